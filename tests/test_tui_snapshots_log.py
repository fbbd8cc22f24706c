"""Snapshot of the Log tab (pytest-textual-snapshot). Update the baseline with
``pytest tests/test_tui_snapshots_log.py --snapshot-update`` after checking the
new screen by eye; the clock is frozen (the ``frozen`` fixture, in-process) and
the theme fixed, so the picture does not depend on when or where it runs.
Nothing on screen shows a database id, so SQLite and PostgreSQL agree."""

from __future__ import annotations

from tui_helpers import app_for, settle


def test_log_tab(snap_compare, db_url, frozen, cli):
    """The Log tab at 100×30, Monday 23 Nov 2026 11:00 in Berlin.

    Must show: the status line "5 of 5 entries"; the column labels When,
    Duration, Exam · topic, Description, Tags; a day header "Mon 23 Nov 2026"
    with its total 1:30:00 above the running entry "▶ 10:30–now" (S3 deep dive,
    0:30:00, highlighted by the cursor) and the 08:00–09:00 entry; "Sun 22 Nov
    2026  2:15:00" above 21:00–21:45 whose description reads "[b]not bold[/b]"
    literally and 19:00–20:30 "SAA-C03 VPC security" tagged lab; "Thu 19 Nov
    2026  0:30:00" with one entry; the footer's a Add, e Edit, s Split,
    d Delete, c Continue, f Filter, r Reload.
    """
    cli("goal", "add", "SAA-C03", "--exam-date", "+6w", "--target-hours", "60")
    cli("add", "VPC lab", "yesterday 19:00-20:30", "-T", "vpc security", "-t", "lab")
    cli("add", "[b]not bold[/b]", "yesterday 21:00-21:45", "-t", "[i]")
    cli("add", "Morning read", "08:00-09:00", "-t", "reading", "-t", "s3")
    cli("add", "Old one", "--start", "2026-11-19 10:00", "--duration", "30m")
    cli("start", "S3 deep dive", "--at", "10:30", "-T", "s3", "-t", "video")

    async def open_log(pilot) -> None:
        pilot.app.theme = "textual-dark"
        await settle(pilot.app, pilot)
        await pilot.press("2")
        await settle(pilot.app, pilot)

    assert snap_compare(app_for(db_url), terminal_size=(100, 30), run_before=open_log)
