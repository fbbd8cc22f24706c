"""Where things are: the database URL, the learner, the catalog folders.

Each comes from a command-line option, else an environment variable, else a
default. Nothing here touches the database.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from pathlib import Path

from tracker.errors import InvalidInput

ENV_DB = "CERTJOURNEY_DB"
ENV_LEARNER = "CERTJOURNEY_LEARNER"
ENV_CATALOGS = "CERTJOURNEY_CATALOGS"


def default_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path("certjourney", appauthor=False)


def default_db_url() -> str:
    return "sqlite:///" + str(default_data_dir() / "certjourney.db")


def normalise_db_url(text: str) -> str:
    """Accept a SQLAlchemy URL or a plain file path; pick our PostgreSQL driver."""
    text = text.strip()
    if not text:
        raise InvalidInput("the database URL is empty")
    if "://" not in text:
        return "sqlite:///" + str(Path(text).expanduser().resolve())
    scheme, rest = text.split("://", 1)
    if scheme in ("postgresql", "postgres"):
        return "postgresql+psycopg://" + rest
    if scheme.startswith("sqlite") or scheme.startswith("postgresql+"):
        return text
    raise InvalidInput(
        f"unsupported database URL {text!r}: use a file path, sqlite:///PATH or postgresql://..."
    )


def default_learner() -> str:
    try:
        return getpass.getuser() or "me"
    except Exception:  # no login name (some containers): still usable
        return "me"


@dataclass(frozen=True)
class Settings:
    db_url: str
    learner: str
    catalog_dirs: tuple[Path, ...] = field(default_factory=tuple)
    db_is_default: bool = False

    @classmethod
    def resolve(
        cls,
        db: str | None = None,
        learner: str | None = None,
        catalog_dirs: tuple[str, ...] | list[str] = (),
    ) -> Settings:
        given = db or os.environ.get(ENV_DB)
        url = given or default_db_url()
        name = (learner or os.environ.get(ENV_LEARNER) or default_learner()).strip()
        if not name:
            raise InvalidInput("the learner name is empty")
        dirs = [Path(d).expanduser() for d in catalog_dirs]
        env_dirs = os.environ.get(ENV_CATALOGS, "")
        dirs += [Path(d).expanduser() for d in env_dirs.split(os.pathsep) if d.strip()]
        return cls(
            db_url=normalise_db_url(url),
            learner=name,
            catalog_dirs=tuple(dirs),
            db_is_default=not given,
        )
