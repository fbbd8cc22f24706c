"""The database: pragmas, migrations on open with a backup, and unusable databases refused."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import PG_BASE
from helpers import error_line
from sqlalchemy import text

from tracker import db as dbmod
from tracker.db import HEAD_REVISION, open_database
from tracker.errors import DatabaseError

sqlite_only = pytest.mark.skipif(bool(PG_BASE), reason="SQLite file behaviour")


def test_head_revision_constant_matches_alembic():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(dbmod.MIGRATIONS))
    assert ScriptDirectory.from_config(cfg).get_current_head() == HEAD_REVISION


def test_fresh_database_is_created_at_head(db_url, tmp_path):
    if not PG_BASE:
        db_url = f"sqlite:///{tmp_path / 'fresh.db'}"
    database = open_database(db_url)
    with database.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD_REVISION
    database.dispose()


@sqlite_only
def test_sqlite_runs_with_wal_foreign_keys_and_busy_timeout(db_url):
    database = open_database(db_url)
    with database.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    database.dispose()


@sqlite_only
def test_upgrade_keeps_a_copy_first(tmp_path, monkeypatch):
    """An older database is copied beside itself, then upgraded, data intact."""
    path = tmp_path / "old.db"
    database = open_database(f"sqlite:///{path}")
    with database.writer.begin() as conn:
        conn.execute(text("INSERT INTO learner (name, created_at) VALUES ('ana', 0)"))
    database.dispose()
    # A newer certjourney: same migrations plus one more revision.
    newer = tmp_path / "migrations"
    shutil.copytree(dbmod.MIGRATIONS, newer)
    (newer / "versions" / "9999_test.py").write_text(
        'import sqlalchemy as sa\nfrom alembic import op\nrevision = "9999"\n'
        f'down_revision = "{HEAD_REVISION}"\nbranch_labels = None\ndepends_on = None\n'
        'def upgrade():\n    op.add_column("learner", sa.Column("extra", sa.String(10)))\n'
    )
    monkeypatch.setattr(dbmod, "MIGRATIONS", newer)
    monkeypatch.setattr(dbmod, "HEAD_REVISION", "9999")
    upgraded = open_database(f"sqlite:///{path}")
    upgraded.dispose()
    backups = list(tmp_path.glob("old.db.backup-*"))
    assert len(backups) == 1
    old = sqlite3.connect(backups[0])
    assert old.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD_REVISION,)
    assert old.execute("SELECT name FROM learner").fetchall() == [("ana",)]
    old.close()
    new = sqlite3.connect(path)
    assert new.execute("SELECT version_num FROM alembic_version").fetchone() == ("9999",)
    assert new.execute("SELECT name, extra FROM learner").fetchall() == [("ana", None)]
    new.close()


def test_newer_schema_is_refused(db_url):
    database = open_database(db_url)
    with database.writer.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'zzzz'"))
    database.dispose()
    with pytest.raises(DatabaseError, match="newer certjourney"):
        open_database(db_url)


@sqlite_only
def test_file_that_is_not_a_database(tmp_path, cli):
    path = tmp_path / "notes.db"
    path.write_text("just some notes\n" * 200)
    result = cli("--db", str(path), "goal", "list", ok=False)
    assert "is not a database" in error_line(result)
    assert path.read_text() == "just some notes\n" * 200


@sqlite_only
def test_foreign_sqlite_database_is_not_touched(tmp_path, cli):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.commit()
    conn.close()
    result = cli("--db", str(path), "goal", "list", ok=False)
    assert "not a certjourney database" in error_line(result)
    conn = sqlite3.connect(path)
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["invoices"]
    conn.close()


def test_database_url_that_cannot_be_opened(cli, tmp_path):
    result = cli("--db", str(tmp_path / "no" / "such" / "folder" / "x.db"), "goal", "list", ok=False)
    assert "does not exist" in error_line(result)
    result = cli("--db", "postgresql://nobody@127.0.0.1:1/nothing", "goal", "list", ok=False)
    assert "cannot open database postgresql" in error_line(result)
    result = cli("--db", "mysql://x@y/z", "goal", "list", ok=False)
    assert "unsupported database URL" in error_line(result)


def test_default_database_lives_in_the_user_data_folder(tmp_path, monkeypatch, frozen):
    from click.testing import CliRunner

    from tracker.cli import cli as command

    monkeypatch.setenv("HOME", str(tmp_path))
    result = CliRunner().invoke(command, ["goal", "list"])
    assert result.exit_code == 0, result.output
    assert list(Path(tmp_path / "xdg-data" / "certjourney").glob("certjourney.db"))


def test_env_var_chooses_the_database(tmp_path, monkeypatch, frozen):
    from click.testing import CliRunner

    from tracker.cli import cli as command

    target = tmp_path / "via-env.db"
    monkeypatch.setenv("CERTJOURNEY_DB", str(target))
    assert CliRunner().invoke(command, ["goal", "add", "SAA-C03"]).exit_code == 0
    assert target.exists()


def test_database_allows_one_running_timer_per_learner(db_url):
    from sqlalchemy.exc import IntegrityError

    database = open_database(db_url)
    with database.writer.begin() as conn:
        conn.execute(text("INSERT INTO learner (id, name, created_at) VALUES (1, 'a', 0), (2, 'b', 0)"))
        conn.execute(text("INSERT INTO goal (id, learner_id, exam_code, status, created_at, updated_at)"
                          " VALUES (1, 1, 'SAA-C03', 'planned', 0, 0), (2, 2, 'SAA-C03', 'planned', 0, 0)"))
        insert = text("INSERT INTO entry (learner_id, goal_id, description, start_at, end_at, source,"
                      " created_at, updated_at) VALUES (:l, :l, '', :s, :e, 'timer', 0, 0)")
        conn.execute(insert, {"l": 1, "s": 100, "e": None})
        conn.execute(insert, {"l": 1, "s": 10, "e": 50})      # finished entries are fine
        conn.execute(insert, {"l": 2, "s": 100, "e": None})   # another learner's timer too
    with pytest.raises(IntegrityError), database.writer.begin() as conn:
        conn.execute(insert, {"l": 1, "s": 200, "e": None})
    database.dispose()


def test_a_0001_database_with_data_upgrades_to_head(db_url, tmp_path):
    """The real migration path: entries written under schema 0001 survive 0002."""
    from alembic import command
    from alembic.config import Config

    from tracker.db import make_engine

    if not PG_BASE:
        db_url = f"sqlite:///{tmp_path / 'old.db'}"  # an empty file, not the migrated template
    engine = make_engine(db_url)
    cfg = Config()
    cfg.set_main_option("script_location", str(dbmod.MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.execute(text("INSERT INTO learner (id, name, created_at) VALUES (1, 'a', 0)"))
        conn.execute(text("INSERT INTO goal (id, learner_id, exam_code, status, created_at, updated_at)"
                          " VALUES (1, 1, 'SAA-C03', 'planned', 0, 0)"))
        conn.execute(text("INSERT INTO entry (learner_id, goal_id, description, start_at, end_at, source,"
                          " created_at, updated_at) VALUES (1, 1, 'kept', 10, 70, 'manual', 0, 0)"))
    engine.dispose()
    database = open_database(db_url)
    with database.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD_REVISION
        row = conn.execute(text("SELECT description, end_at - start_at, resource_id FROM entry")).one()
        assert tuple(row) == ("kept", 60, None)
    database.dispose()
    path = dbmod.sqlite_path(db_url)
    if path is not None:
        assert list(path.parent.glob(f"{path.name}.backup-0001-*"))


def test_a_0003_database_with_notes_upgrades_and_keeps_its_links(db_url, tmp_path):
    """0004 adds the hand-link choices; the notes and their links of 0003 stay as they were."""
    from alembic import command
    from alembic.config import Config

    from tracker.db import make_engine

    if not PG_BASE:
        db_url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(db_url)
    cfg = Config()
    cfg.set_main_option("script_location", str(dbmod.MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003")
        conn.execute(text("INSERT INTO learner (id, name, created_at) VALUES (1, 'a', 0)"))
        conn.execute(text("INSERT INTO goal (id, learner_id, exam_code, status, created_at, updated_at)"
                          " VALUES (1, 1, 'SAA-C03', 'planned', 0, 0)"))
        conn.execute(text("INSERT INTO note (id, learner_id, goal_id, source, anchor, heading, body,"
                          " position, content_hash, created_at, updated_at)"
                          " VALUES (7, 1, 1, 'vpc.md', 'VPC security', 'VPC security', 'NACLs',"
                          " 0, 'h', 0, 0)"))
        conn.execute(text("INSERT INTO note_topic (note_id, topic, weight) VALUES (7, 'VPC security', 4)"))
    engine.dispose()
    database = open_database(db_url)
    with database.writer.begin() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0004"
        assert [tuple(r) for r in conn.execute(text("SELECT note_id, topic, weight FROM note_topic"))] == [
            (7, "VPC security", 4.0)]
        assert conn.execute(text("SELECT count(*) FROM note_topic_choice")).scalar() == 0
        conn.execute(text("INSERT INTO note_topic_choice (note_id, topic, linked)"
                          " VALUES (7, 'Amazon Cognito', :yes)"), {"yes": True})
        conn.execute(text("DELETE FROM note WHERE id = 7"))  # a note's choices go with it
        assert conn.execute(text("SELECT count(*) FROM note_topic_choice")).scalar() == 0
    database.dispose()
    path = dbmod.sqlite_path(db_url)
    if path is not None:
        assert list(path.parent.glob(f"{path.name}.backup-0003-*"))
