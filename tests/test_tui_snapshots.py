"""Snapshot tests of the shell's screens: frozen clock, fixed theme, no blinking cursor.

Regenerate after an intended change with: pytest tests/test_tui_snapshots.py --snapshot-update
"""

from __future__ import annotations

import pytest
from conftest import PG_BASE
from textual.widgets import Input
from tui_helpers import app_for, settle

pytestmark = pytest.mark.skipif(bool(PG_BASE), reason="one set of pictures, taken on SQLite")

SIZE = (100, 30)


def _prepare(app):
    async def run_before(pilot):
        app.theme = "textual-dark"
        await settle(app, pilot)
        for screen in app.screen_stack:  # dialogs included: a blinking cursor is a coin toss
            for field in screen.query(Input):
                field.cursor_blink = False
        await settle(app, pilot)
    return run_before


@pytest.fixture
def journey(cli):
    cli("goal", "add", "CLF-C02", "--passed-on", "2024-03-02")
    cli("goal", "add", "SAA-C03", "--exam-date", "2026-12-17", "--target-hours", "60",
        "--status", "booked")
    for day, span, topic in (("2026-11-10", "19:00-21:00", "vpc security"),
                             ("2026-11-16", "18:00-19:30", "load balancing"),
                             ("2026-11-18", "20:00-21:00", "s3 storage classes"),
                             ("yesterday", "19:00-20:30", "disaster recovery strategies")):
        cli("add", "study", f"{day} {span}", "-T", topic)
    cli("practice", "add", "SAA-C03", "--score", "70", "--date", "2026-11-20",
        "--domain", "1=80", "--domain", "2=55", "--domain", "3=72", "--domain", "4=68")
    return cli


def test_dashboard(snap_compare, db_url, frozen, journey):
    """The dashboard: the SAA-C03 card with 'in 3 weeks and 3 days', the hours meter at
    7.0/60 h, BEHIND PACE, readiness with ✗ not met on each condition and the three
    weakest topics; the 12-week chart; the journey line for CLF-C02 ✓ passed."""
    app = app_for(db_url)
    assert snap_compare(app, terminal_size=SIZE, run_before=_prepare(app))


def test_weak_areas(snap_compare, db_url, frozen, journey):
    """The weak-areas tab: ranked topics with scores and words (weak/fair/ok), and the
    reasons of the first one in the panel below."""
    app = app_for(db_url)
    assert snap_compare(app, press=["5"], terminal_size=SIZE, run_before=_prepare(app))


def test_reports(snap_compare, db_url, frozen, journey):
    """The reports tab: grouping 'Exam' over the last 12 weeks, a total of 7.0 h, one
    row for SAA-C03 with its bar."""
    app = app_for(db_url)
    assert snap_compare(app, press=["6"], terminal_size=SIZE, run_before=_prepare(app))


def test_help(snap_compare, db_url, frozen, journey):
    """The ? help screen listing the keys of every tab over the dashboard."""
    app = app_for(db_url)
    assert snap_compare(app, press=["question_mark"], terminal_size=SIZE, run_before=_prepare(app))


def test_welcome_on_first_run(snap_compare, db_url, frozen):
    """First run: the welcome dialog with the exam search box and the list of active exams."""
    app = app_for(db_url)
    assert snap_compare(app, terminal_size=SIZE, run_before=_prepare(app))


def test_dashboard_fits_80x24(snap_compare, db_url, frozen, journey):
    """At 80×24 the timer bar, tabs, the goal card and the footer all stay visible."""
    app = app_for(db_url)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_prepare(app))
