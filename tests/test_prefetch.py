"""The first screen: what services.overview reads, and the child process that
reads it while the app paints (tracker.tui.prefetch)."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import textwrap
from datetime import timedelta

from conftest import FROZEN_AT, TEST_TZ
from tui_helpers import run, settle

from tracker.services.overview import (
    Dashboard,
    FirstScreen,
    GoalCard,
    Milestone,
    TimerState,
    first_screen,
)

CHILD_ENV = {"CERTJOURNEY_NOW": FROZEN_AT.isoformat(), "CERTJOURNEY_TZ": TEST_TZ}


def seed(cli) -> None:
    cli("goal", "add", "CLF-C02", "--passed-on", "2024-03-02")
    cli("goal", "add", "SAA-C03", "--exam-date", "+6w", "--target-hours", "60")
    cli("add", "VPC peering", "yesterday 19:00-21:00", "--cert", "SAA-C03")
    cli("add", "S3 classes", "2026-10-01 18:00-19:30", "--cert", "SAA-C03")
    cli("start", "Reading [b]markup[/b]", "--cert", "SAA-C03", "--at", "09:30")


def read_here(ctx) -> FirstScreen:
    with ctx.session() as session:
        return first_screen(session, ctx.learner_id(session), ctx.catalog)


def test_first_screen_reads_goals_timer_and_dashboard(cli, ctx):
    seed(cli)
    screen = read_here(ctx)
    assert screen.goal_codes == ("SAA-C03",) and screen.any_goal
    timer = screen.timer
    assert timer.running and timer.description == "Reading [b]markup[/b]"
    assert timer.exam_code == "SAA-C03"
    # today (Berlin): running since 09:30 local = 08:30 UTC, so 1.5 h at 10:00 UTC
    assert timer.today_seconds == 90 * 60
    [card] = screen.dashboard.goals
    assert card.exam_code == "SAA-C03" and card.status == "planned"
    assert round(card.hours_logged, 2) == 5.0      # 2 h + 1.5 h + the running 1.5 h
    assert card.target_hours == 60 and not card.ready
    assert any(c.name == "target hours logged" and not c.met for c in card.readiness)
    weeks = screen.dashboard.weeks
    assert len(weeks) == 12 and weeks[-1][0].weekday() == 0 and weeks[-1][0] <= FROZEN_AT.date()
    assert round(sum(h for _, h in weeks), 2) == 5.0
    assert [(m.exam_code, m.status) for m in screen.dashboard.milestones] == [("CLF-C02", "passed")]


def test_first_screen_on_an_empty_database_says_first_run(ctx, frozen):
    screen = read_here(ctx)
    assert screen.goal_codes == () and not screen.any_goal
    assert not screen.timer.running and screen.timer.today_seconds == 0
    assert screen.dashboard.goals == () and screen.dashboard.milestones == ()


def test_any_goal_counts_finished_goals_too(cli, ctx):
    cli("goal", "add", "CLF-C02", "--passed-on", "2024-03-02")
    screen = read_here(ctx)
    assert screen.goal_codes == () and screen.any_goal


CHILD_SCRIPT = textwrap.dedent("""
    import pickle, sys
    from tracker.settings import Settings
    from tracker.tui import prefetch

    read = prefetch.start(Settings.resolve(db=sys.argv[1], learner="tester"))
    screen = None if read is None else read.result()
    loaded = sorted(m for m in ("sqlalchemy", "sqlmodel", "textual") if m in sys.modules)
    error = None if read is None else read.error
    sys.stdout.buffer.write(pickle.dumps((read is not None, screen, loaded, error)))
""")


def prefetch_in_fresh_process(db_url: str, **env: str):
    proc = subprocess.run([sys.executable, "-c", CHILD_SCRIPT, db_url], capture_output=True,
                          env={**os.environ, **CHILD_ENV, **env}, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stderr == b""   # the child writes nothing to the terminal
    return pickle.loads(proc.stdout)


def test_child_process_reads_what_the_app_would_read_itself(cli, ctx, db_url):
    seed(cli)
    forked, screen, loaded, error = prefetch_in_fresh_process(db_url)
    assert forked and error is None
    assert screen == read_here(ctx)
    # The parent got all of it without loading the database layer (or Textual).
    assert loaded == []


def test_child_that_cannot_open_the_database_answers_none(tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("not a database\n" * 100)
    forked, screen, _, error = prefetch_in_fresh_process(f"sqlite:///{bad}")
    assert forked and screen is None
    assert "notes.db" in error and "database" in error   # said in plain words, for the app to show
    assert bad.read_text() == "not a database\n" * 100


def test_prefetch_can_be_turned_off(db_url):
    forked, screen, _, _ = prefetch_in_fresh_process(db_url, CERTJOURNEY_PREFETCH="0")
    assert not forked and screen is None


def run_app(db_url: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tracker", "--db", db_url, "--learner", "tester"],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, **CHILD_ENV, "CERTJOURNEY_HEADLESS": "1",
             "CERTJOURNEY_BENCH_EXIT": "dashboard", **env})


def test_app_fills_its_dashboard_from_the_child(cli, db_url):
    seed(cli)
    proc = run_app(db_url)
    assert proc.returncode == 0, proc.stderr
    assert "first_screen=prefetch" in proc.stdout + proc.stderr
    proc = run_app(db_url, CERTJOURNEY_PREFETCH="0")
    assert proc.returncode == 0, proc.stderr
    assert "first_screen=thread" in proc.stdout + proc.stderr


def answer_from_a_child(payload):
    """A FirstScreenRead on a real child process that sends ``payload`` and exits."""
    from tracker.forked import Forked
    from tracker.tui.prefetch import FirstScreenRead

    echo = "import sys; sys.stdout.buffer.write(sys.stdin.buffer.read())"
    child = subprocess.Popen([sys.executable, "-c", echo], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    child.stdin.write(pickle.dumps(payload))
    child.stdin.close()
    read = FirstScreenRead(Forked(child.pid, os.dup(child.stdout.fileno())))
    child.stdout.close()
    return read


def app_with(db_url, read):
    from tracker.settings import Settings
    from tracker.tui.app import make_app

    return make_app(Settings.resolve(db=db_url, learner="tester"), poll=False, prefetch=read)


def test_app_shows_the_prefetched_first_screen(db_url):
    """The app paints what the child sent, not a read of its own (the database is empty)."""
    sent = FirstScreen(
        goal_codes=("ZZ-PREFETCHED",), any_goal=True,
        timer=TimerState(None, "", None, None, None, 3 * 3600, FROZEN_AT),
        dashboard=Dashboard(
            goals=(GoalCard("ZZ-PREFETCHED", "Sent by the child", "planned", None, None, 1.0, None,
                            None, 0.0, False, (), ()),),
            weeks=tuple((FROZEN_AT.date() - timedelta(weeks=11 - i), 1.0) for i in range(12)),
            milestones=(Milestone("OLD-1", "passed", FROZEN_AT.date(), None),)),
    )
    read = answer_from_a_child(("ok", sent))

    async def scenario():
        app = app_with(db_url, read)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            assert app.first_screen_from == "prefetch"
            card = str(app.query(".goal-card").first().render())
            assert "Sent by the child" in card
            assert "OLD-1" in str(app.query_one("#dash-side").render())
            assert str(app.query_one("#timer-today").render()) == "Today 3:00:00"
            assert app.goal_codes == ["ZZ-PREFETCHED"]
    run(scenario)


def test_app_reads_the_first_screen_itself_when_the_child_failed(cli, db_url):
    seed(cli)
    read = answer_from_a_child(("failed", None))

    async def scenario():
        app = app_with(db_url, read)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            assert app.first_screen_from == "thread"
            assert "SAA-C03" in str(app.query(".goal-card").first().render())
            assert app.goal_codes == ["SAA-C03"]
    run(scenario)


def test_app_shows_the_childs_error_without_trying_again(db_url):
    read = answer_from_a_child(("explained", "cannot connect to db.example:5432 [b]now[/b]"))

    async def scenario():
        app = app_with(db_url, read)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            assert not app.ready and "database" not in app.ctx.__dict__   # no second attempt
            [note] = list(app._notifications)
            assert note.message == "cannot connect to db.example:5432 [b]now[/b]" and not note.markup
    run(scenario)


def test_the_cli_turns_cycle_collection_back_on_after_the_first_paint(tmp_path):
    code = textwrap.dedent("""
        import gc, sys
        from tracker.tui.app import CertjourneyApp
        seen = []
        original = CertjourneyApp._bench_exit
        def record(self):
            seen.append(gc.isenabled())
            original(self)
        CertjourneyApp._bench_exit = record
        from tracker.cli import main
        try:
            main()
        except SystemExit:
            pass
        print("collecting:", seen, gc.isenabled(), gc.get_freeze_count() > 0)
    """)
    proc = subprocess.run(
        [sys.executable, "-c", code, "--db", str(tmp_path / "new.db"), "--learner", "tester"],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, **CHILD_ENV, "CERTJOURNEY_HEADLESS": "1", "CERTJOURNEY_BENCH_EXIT": "paint"})
    assert proc.returncode == 0, proc.stderr
    assert "collecting: [True] True True" in proc.stdout
