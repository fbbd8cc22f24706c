"""Shared fixtures.

Every test that touches a database gets a fresh one: a SQLite file in a
temporary folder, or — when ``CERTJOURNEY_TEST_PG`` names a PostgreSQL server
(``.ci/run`` starts one) — a fresh schema on that server. The whole suite runs
once for each.
"""

from __future__ import annotations

import os
import shutil
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker import clock

PG_BASE = os.environ.get("CERTJOURNEY_TEST_PG")
FROZEN_AT = datetime(2026, 11, 23, 10, 0, 0, tzinfo=UTC)
TEST_TZ = "Europe/Berlin"


def pytest_report_header(config):
    return f"certjourney database backend: {'PostgreSQL ' + PG_BASE if PG_BASE else 'SQLite'}"


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory) -> Path:
    """One migrated database per run; each test gets a copy (migrating costs ~0.3 s)."""
    from tracker.db import open_database

    path = tmp_path_factory.mktemp("template") / "template.db"
    database = open_database(f"sqlite:///{path}")
    with database.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.dispose()
    return path


@pytest.fixture
def db_url(tmp_path: Path, request):
    if not PG_BASE:
        target = tmp_path / "test.db"
        shutil.copyfile(request.getfixturevalue("_sqlite_template"), target)
        yield f"sqlite:///{target}"
        return
    import psycopg

    schema = "t_" + uuid.uuid4().hex[:12]
    plain = PG_BASE.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in PG_BASE else "?"
    yield f"{PG_BASE}{sep}options=-csearch_path%3D{schema}"
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path):
    """No test reads the developer's own database, catalogs or clock."""
    for var in ("CERTJOURNEY_DB", "CERTJOURNEY_LEARNER", "CERTJOURNEY_CATALOGS",
                "CERTJOURNEY_NOW", "CERTJOURNEY_TZ"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("CERTJOURNEY_TZ", TEST_TZ)
    monkeypatch.setattr(clock, "_tz", None)


@pytest.fixture
def frozen():
    """Freeze the clock at Monday 2026-11-23 10:00 UTC (11:00 in Berlin)."""
    with clock.frozen(FROZEN_AT, TEST_TZ):
        yield FROZEN_AT


@pytest.fixture
def settings(db_url):
    from tracker.settings import Settings

    return Settings.resolve(db=db_url, learner="tester")


@pytest.fixture
def ctx(settings):
    from tracker.context import Context

    context = Context(settings)
    yield context
    if "database" in context.__dict__:
        context.database.dispose()


class Cli:
    """Runs ``certjourney`` in-process on the test database."""

    def __init__(self, db_url: str):
        self.db_url = db_url
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, learner: str = "tester",
                 ok: bool = True):
        from tracker.cli import cli

        result = self.runner.invoke(
            cli, ["--db", self.db_url, "--learner", learner, *args], input=input, prog_name="certjourney",
            catch_exceptions=True,
        )
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        if ok and result.exit_code != 0:
            raise AssertionError(f"certjourney {' '.join(args)} exited {result.exit_code}:\n"
                                 f"{result.output}")
        return result


@pytest.fixture
def cli(db_url, frozen):
    return Cli(db_url)
