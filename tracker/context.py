"""What one run of the CLI or the TUI works with: settings, catalog, database.

Each is built on first use, so ``certjourney --help`` or ``catalog list``
never opens the database, and nothing here imports Textual or genanki.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import TYPE_CHECKING

from tracker.settings import Settings

if TYPE_CHECKING:
    from sqlmodel import Session

    from tracker.catalog import Catalog
    from tracker.db import Database


class Context:
    def __init__(self, settings: Settings):
        self.settings = settings

    @cached_property
    def catalog(self) -> Catalog:
        from tracker.catalog import load_catalog

        return load_catalog(self.settings.catalog_dirs)

    @cached_property
    def database(self) -> Database:
        from tracker.db import open_database

        return open_database(self.settings.db_url, create_folder=self.settings.db_is_default)

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """A session in one transaction: committed if the block ends normally,
        rolled back (leaving the database as it was) if anything is raised."""
        from sqlalchemy.exc import DBAPIError
        from sqlmodel import Session

        from tracker.db import reason_of
        from tracker.errors import DatabaseError

        db = self.database
        with Session(db.writer if write else db.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except DBAPIError as exc:
                session.rollback()
                reason = reason_of(exc)
                if "locked" in reason or "busy" in reason:
                    raise DatabaseError(
                        "the database is busy (another certjourney is writing); try again"
                    ) from None
                raise DatabaseError(f"database error: {reason}") from None
            except BaseException:
                session.rollback()
                raise

    def learner_id(self, session: Session) -> int:
        """The id of this run's learner, created on first use."""
        from tracker.services.learners import learner_id

        return learner_id(session, self.settings.learner)
