"""Opening the database: engine, SQLite pragmas, migrations on open.

``open_database(url)`` returns a :class:`Database` whose schema is current.
Opening an older database upgrades it with Alembic, and on SQLite keeps a copy
of the file first. The check on the fast path is one ``SELECT`` on
``alembic_version``; Alembic itself is imported only when an upgrade is due.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from tracker import clock
from tracker.errors import DatabaseError

# The newest revision in tracker/migrations/versions; a test keeps the two equal.
HEAD_REVISION = "0004"
MIGRATIONS = Path(__file__).parent / "migrations"


@dataclass(frozen=True)
class Database:
    """A reader engine and a writer view of it (on SQLite writers ``BEGIN IMMEDIATE``)."""

    engine: Engine
    writer: Engine
    url: str

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def dispose(self) -> None:
        self.engine.dispose()


def display_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _install_sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # SQLAlchemy, not the driver, decides when transactions begin (see "begin").
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout = 10000")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # A writer takes the write lock up front, so two writers queue on the busy
        # timeout instead of failing when a read lock cannot be upgraded.
        immediate = conn.get_execution_options().get("cj_writer", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str) -> Engine:
    try:
        engine = create_engine(url, future=True)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        hint = ""
        if url.startswith("postgresql"):
            hint = " (install the PostgreSQL driver: pip install 'certjourney[postgres]')"
        raise DatabaseError(f"cannot use database URL {display_url(url)}: {exc}{hint}") from None
    if engine.dialect.name == "sqlite":
        _install_sqlite_pragmas(engine)
    return engine


def reason_of(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__


def _current_revision(engine: Engine, url: str) -> str | None:
    """The stored revision, None for an empty database; raises if it is not ours."""
    try:
        with engine.connect() as conn:
            try:
                return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            except DBAPIError:
                conn.rollback()
                tables = inspect(conn).get_table_names()
    except DBAPIError as exc:
        reason = reason_of(exc)
        if "not a database" in reason or "malformed" in reason:
            raise DatabaseError(f"{display_url(url)} is not a database ({reason})") from None
        raise DatabaseError(f"cannot open database {display_url(url)}: {reason}") from None
    if tables:
        raise DatabaseError(
            f"{display_url(url)} is not a certjourney database "
            f"(it holds other tables: {', '.join(sorted(tables)[:5])})"
        )
    return None


def backup_sqlite(path: Path, revision: str) -> Path:
    """Copy a SQLite database (WAL included) beside itself before a schema change."""
    stamp = clock.now().strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.backup-{revision}-{stamp}")
    src = sqlite3.connect(path)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target


def upgrade(engine: Engine, url: str, from_revision: str | None) -> Path | None:
    """Bring the schema to HEAD_REVISION; returns the backup path if one was made."""
    from alembic import command
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    known = {rev.revision for rev in ScriptDirectory.from_config(cfg).walk_revisions()}
    if from_revision is not None and from_revision not in known:
        raise DatabaseError(
            f"{display_url(url)} was written by a newer certjourney "
            f"(schema {from_revision}); upgrade certjourney to open it"
        )
    backup = None
    path = sqlite_path(url)
    if from_revision is not None and path is not None:
        backup = backup_sqlite(path, from_revision)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return backup


def open_database(url: str, *, create_folder: bool = False) -> Database:
    """Open (creating or upgrading as needed) the database at ``url``."""
    path = sqlite_path(url)
    if path is not None:
        if create_folder:
            path.parent.mkdir(parents=True, exist_ok=True)
        elif not path.parent.is_dir():
            raise DatabaseError(f"cannot open database {path}: folder {path.parent} does not exist")
        if path.is_dir():
            raise DatabaseError(f"cannot open database {path}: it is a folder")
    engine = make_engine(url)
    revision = _current_revision(engine, url)
    if revision != HEAD_REVISION:
        try:
            upgrade(engine, url, revision)
        except DBAPIError as exc:
            raise DatabaseError(f"cannot upgrade database {display_url(url)}: {reason_of(exc)}") from None
    return Database(engine=engine, writer=engine.execution_options(cj_writer=True), url=url)
