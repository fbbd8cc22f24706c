"""The app shell driven like a user: first run, timer, dashboard, help, sync with the CLI."""

from __future__ import annotations

import asyncio
import json
import threading
from datetime import timedelta

from textual.widgets import Input
from tui_helpers import app_for, run, settle

from tracker import clock
from tracker.tui.widgets.tab_strip import TabStrip
from tracker.tui.widgets.timer_bar import TimerBar


def test_first_run_welcome_adds_a_goal(db_url, frozen, cli):
    async def scenario():
        app = app_for(db_url)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            assert app.screen.__class__.__name__ == "WelcomeScreen"
            await pilot.press(*"solutions architect")
            await settle(app, pilot)
            app.screen.query_one("#welcome-date", Input).value = "+6w"
            app.screen.query_one("#welcome-hours", Input).value = "60"
            await pilot.click("#welcome-add")
            await settle(app, pilot)
            assert app.screen.__class__.__name__ == "Screen"
    run(scenario)
    [goal] = json.loads(cli("goal", "list", "--json").stdout)
    assert goal["cert"] == "SAA-C03" and goal["exam_date"] == "2027-01-04"
    assert goal["target_hours"] == 60


def test_welcome_refuses_a_bad_date_inline(db_url, frozen, cli):
    async def scenario():
        app = app_for(db_url)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            await pilot.press(*"saa")
            app.screen.query_one("#welcome-date", Input).value = "someday"
            await pilot.click("#welcome-add")
            await settle(app, pilot)
            error = str(app.screen.query_one("#welcome-error").render())
            assert "cannot read 'someday' as a date" in error
    run(scenario)
    assert json.loads(cli("goal", "list", "--json").stdout) == []


def test_timer_start_and_stop_with_keys(db_url, frozen, cli):
    cli("goal", "add", "SAA-C03", "--exam-date", "+6w", "--target-hours", "60")

    async def scenario():
        app = app_for(db_url)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            bar = app.query_one(TimerBar)
            bar.query_one("#timer-description", Input).value = "[b]VPC[/b] lab"
            await pilot.press("ctrl+t")
            await settle(app, pilot)
            assert bar.state.running and bar.state.exam_code == "SAA-C03"
            assert bar.has_class("-running")
            status = json.loads(cli("status", "--json").stdout)
            assert status["running"] and status["description"] == "[b]VPC[/b] lab"
            with clock.frozen(frozen + timedelta(minutes=25)):
                await pilot.press("ctrl+t")
                await settle(app, pilot)
            assert not bar.state.running
    run(scenario)
    assert not json.loads(cli("status", "--json").stdout)["running"]
    [entry] = json.loads(cli("log", "--json").stdout)
    assert entry["seconds"] == 25 * 60


def test_dashboard_shows_goal_readiness_and_journey(db_url, frozen, cli):
    cli("goal", "add", "CLF-C02", "--passed-on", "2024-03-02")
    cli("goal", "add", "SAA-C03", "--exam-date", "+6w", "--target-hours", "60")
    cli("add", "x", "yesterday 19:00-21:00", "--cert", "SAA-C03")

    async def scenario():
        app = app_for(db_url)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            card = str(app.query(".goal-card").first().render())
            assert "SAA-C03" in card and "2.0/60 h" in card
            assert "✗ not met target hours logged" in card
            journey = str(app.query_one("#dash-side").render())
            assert "CLF-C02" in journey and "✓ pass" in journey and "→2027-03-02" in journey
    run(scenario)


def test_tab_row_by_keys_and_mouse_builds_each_view_once(db_url, frozen, cli):
    cli("goal", "add", "SAA-C03", "--exam-date", "+6w")

    async def scenario():
        app = app_for(db_url)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            strip = app.query_one(TabStrip)
            assert app.focused is strip and strip.active == "dashboard"
            assert [v.id for v in app.query("#views > *")] == ["view-dashboard"]  # others wait
            await pilot.press("right")        # arrows on the row: the focus stays on it
            await settle(app, pilot)
            assert strip.active == "log" and app.focused is strip
            await pilot.press("2")            # a number key: the focus goes into the view
            await settle(app, pilot)
            assert strip.active == "log" and app.focused.id == "log-table"
            assert "Dashboard" in str(strip.render()) and "Reports" in str(strip.render())
            # ' Dashboard ' spans columns 0-10, ' Log ' 11-15, ' Coverage ' 16-25.
            await pilot.click(TabStrip, offset=(18, 0))
            await settle(app, pilot)
            assert strip.active == "coverage"
            shown = [v.id for v in app.query("#views > *") if v.display]
            assert shown == ["view-coverage"]
            strip.focus()
            await pilot.press("left", "left")
            await settle(app, pilot)
            assert strip.active == "dashboard" and app.focused is strip
            await pilot.press("right")
            await settle(app, pilot)
            assert [v.id for v in app.query("#views > *")] == [
                "view-dashboard", "view-log", "view-coverage"]     # the log view was reused
    run(scenario)


def test_tabs_help_and_palette_commands(db_url, frozen, cli):
    cli("goal", "add", "SAA-C03", "--exam-date", "+6w")

    async def scenario():
        app = app_for(db_url)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            await pilot.press("6")
            assert app.query_one(TabStrip).active == "reports"
            await pilot.press("5")
            assert app.query_one(TabStrip).active == "weak"
            await pilot.press("question_mark")
            await settle(app, pilot)
            assert app.screen.__class__.__name__ == "HelpScreen"
            await pilot.press("escape")
            titles = [c.title for c in app.get_system_commands(app.screen)]
            assert "Start or stop the timer" in titles and "Show Log" in titles
    run(scenario)


def test_cli_and_tui_see_each_others_writes(db_url, frozen, cli):
    """The CLI starts a timer while the app runs: the app shows it on its next
    poll (every second); the app stops it and the CLI sees that."""
    cli("goal", "add", "SAA-C03", "--exam-date", "+6w")

    async def scenario():
        app = app_for(db_url, poll=True)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            bar = app.query_one(TimerBar)
            assert not bar.state.running
            # The CLI runs in another thread at the same time, on the same database.
            worker = threading.Thread(target=cli, args=("start", "from the CLI"))
            worker.start()
            worker.join()
            # The app polls every second; allow a few polls on a busy machine.
            for _ in range(10):
                await pilot.pause(0.5)
                await settle(app, pilot, rounds=2)
                if bar.state.running:
                    break
            assert bar.state.running and bar.state.description == "from the CLI"
            with clock.frozen(frozen + timedelta(minutes=5)):
                await pilot.press("ctrl+t")
                await settle(app, pilot)
    run(scenario)
    assert not json.loads(cli("status", "--json").stdout)["running"]
    [entry] = json.loads(cli("log", "--json").stdout)
    assert entry["description"] == "from the CLI" and entry["end"] is not None


def test_weak_view_ranks_and_explains(db_url, frozen, cli):
    cli("goal", "add", "SAA-C03", "--exam-date", "+6w", "--target-hours", "60")
    cli("practice", "add", "SAA-C03", "--score", "60", "--domain", "resilient=50")

    async def scenario():
        app = app_for(db_url)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            await pilot.press("5")
            await settle(app, pilot)
            view = app.query_one("#view-weak")
            assert len(view.ranked) > 10
            scores = [w.score for w in view.ranked]
            assert scores == sorted(scores, reverse=True)
            reasons = str(app.query_one("#weak-reasons").render())
            assert view.ranked[0].topic in reasons and "•" in reasons
    run(scenario)


def test_reports_view_groups_by_domain(db_url, frozen, cli):
    cli("goal", "add", "SAA-C03", "--exam-date", "+6w")
    cli("add", "x", "yesterday 19:00-21:00", "-T", "vpc security")

    async def scenario():
        app = app_for(db_url)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            await pilot.press("6")
            from textual.widgets import DataTable, Select

            app.query_one("#reports-by", Select).value = "domain"
            await settle(app, pilot)
            table = app.query_one("#reports-table", DataTable)
            names = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
            assert "SAA-C03 · Design Secure Architectures" in names
            total = str(app.query_one("#reports-total").render())
            assert "2.0 h" in total and "by domain" in total
    run(scenario)


def test_export_anki_deck_from_the_weak_view(db_url, frozen, cli, tmp_path):
    cli("goal", "add", "SAA-C03", "--exam-date", "+6w", "--target-hours", "60")
    (tmp_path / "[b]decks").mkdir()
    target = tmp_path / "[b]decks" / "weak [red]1.apkg"   # markup in a path is shown as typed

    async def scenario():
        app = app_for(db_url)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            await pilot.press("5")
            await settle(app, pilot)
            await pilot.press("x")
            await settle(app, pilot)
            assert app.screen.__class__.__name__ == "ExportAnkiScreen"
            app.screen.query_one("#export-top", Input).value = "lots"
            await pilot.click("#export-go")
            await settle(app, pilot)
            assert "whole number" in str(app.screen.query_one("#export-error").render())
            assert not target.exists()
            app.screen.query_one("#export-top", Input).value = "3"
            app.screen.query_one("#export-path", Input).value = str(target)
            await pilot.click("#export-go")
            await settle(app, pilot, rounds=12)
            assert app.screen.__class__.__name__ == "Screen"
            [done] = [n for n in app._notifications if "cards" in n.message]
            assert f"to {target}" in done.message and not done.markup
    run(scenario)
    import zipfile

    assert zipfile.is_zipfile(target)


def test_welcome_leaves_only_when_back_on_top(db_url, frozen):
    """A goal saved while another screen covers the welcome screen must not close that one."""
    from tracker.tui.screens.help import HelpScreen
    from tracker.tui.screens.welcome import WelcomeScreen

    async def scenario():
        app = app_for(db_url)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            welcome = app.screen
            assert isinstance(welcome, WelcomeScreen)
            app.push_screen(HelpScreen())
            await settle(app, pilot)
            welcome._added("SAA-C03")          # what the save worker calls back
            await settle(app, pilot)
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("escape")
            await settle(app, pilot)
            assert not isinstance(app.screen, (HelpScreen, WelcomeScreen))
    run(scenario)


def test_leaving_the_app_closes_its_database_connections(db_url, frozen, cli):
    cli("goal", "add", "SAA-C03", "--exam-date", "+6w")

    async def scenario():
        app = app_for(db_url)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            pool = app.ctx.database.engine.pool
            assert pool.checkedin() >= 1      # the first screen's read left one in the pool
        return app, pool

    app, pool = asyncio.run(scenario())
    assert pool.checkedin() == 0
