"""The core never imports Textual; the CLI's help never imports SQLModel;
start-up paths import only what they need. Checked in fresh interpreters."""

from __future__ import annotations

import subprocess
import sys

import pytest


def modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys\nprint('\\n'.join(sys.modules))"],
        capture_output=True, text=True, check=True,
    ).stdout
    return set(out.split())


@pytest.mark.parametrize(
    "module",
    ["tracker.models", "tracker.services.goals", "tracker.catalog", "tracker.db",
     "tracker.context", "tracker.timeparse", "exporters"],
)
def test_core_modules_do_not_import_textual(module):
    loaded = modules_after(f"import {module}")
    assert "textual" not in loaded
    assert "genanki" not in loaded


@pytest.mark.parametrize("module", ["tracker.services.overview", "tracker.tui.prefetch"])
def test_first_screen_types_load_without_the_database_layer(module):
    # The app unpickles what the prefetching child read before it loads SQLAlchemy.
    loaded = modules_after(f"import {module}")
    for heavy in ("sqlmodel", "sqlalchemy", "textual", "pydantic"):
        assert heavy not in loaded, heavy


def test_help_imports_neither_sqlmodel_nor_textual():
    loaded = modules_after(
        "from tracker.cli import cli\n"
        "try:\n    cli(['--help'], prog_name='certjourney')\nexcept SystemExit:\n    pass"
    )
    assert "tracker.cli" in loaded
    for heavy in ("sqlmodel", "sqlalchemy", "textual", "genanki", "alembic", "pydantic"):
        assert heavy not in loaded, heavy


def test_goal_list_does_not_import_alembic_on_a_current_database(tmp_path):
    db = tmp_path / "x.db"
    run = (f"from tracker.cli import cli\ntry:\n    cli(['--db', {str(db)!r}, 'goal', 'list'])\n"
           "except SystemExit:\n    pass")
    modules_after(run)  # creates the database (runs the migrations)
    loaded = modules_after(run)
    assert "sqlmodel" in loaded
    for heavy in ("alembic", "textual", "genanki"):
        assert heavy not in loaded, heavy


def test_timer_commands_load_neither_study_tables_nor_genanki(tmp_path):
    """start/stop/status/add/delete and goal remove work without the study tables
    (resources, notes, cards...) being built, and never import genanki or Textual."""
    db = str(tmp_path / "t.db")
    script = f"""
import sys
from tracker.cli import cli
def run(*args):
    try:
        cli(['--db', {db!r}, *args])
    except SystemExit as exc:
        assert not exc.code, (args, exc.code)
run('goal', 'add', 'SAA-C03')
run('start', 'reading', '--at', '-30m')
run('status')
run('stop')
run('add', 'x', '--start', '-3h', '--duration', '1h')
run('delete', '1', '--yes')
run('goal', 'remove', 'SAA-C03', '--yes')
"""
    loaded = modules_after(script)  # the first command creates the database: alembic may load
    for heavy in ("tracker.study_models", "genanki", "textual"):
        assert heavy not in loaded, heavy
