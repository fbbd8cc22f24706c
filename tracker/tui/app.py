"""The certjourney app: a timer bar always on top, and one tab per view.

Nothing here touches the database on the UI thread: the first worker opens
it after the first paint (or takes what a child process read meanwhile, see
tracker.tui.prefetch), and every read or write runs in a thread worker
(tracker.tui.worker.run_db) whose result comes back to a handler here or in
a view.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from textual import on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Container
from textual.screen import Screen
from textual.widgets import Footer, Header

from tracker.context import Context
from tracker.errors import TrackerError
from tracker.services.overview import FirstScreen, TimerState
from tracker.settings import Settings
from tracker.tui.views.dashboard import DashboardView
from tracker.tui.widgets.tab_strip import TabStrip
from tracker.tui.widgets.timer_bar import TimerBar
from tracker.tui.worker import run_db

# (tab id, title, view class or "module:Class" imported when the tab first opens)
VIEWS = [
    ("dashboard", "Dashboard", DashboardView),
    ("log", "Log", "tracker.tui.views.log:LogView"),
    ("coverage", "Coverage", "tracker.tui.views.coverage:CoverageView"),
    ("practice", "Practice", "tracker.tui.views.practice:PracticeView"),
    ("weak", "Weak areas", "tracker.tui.views.weak:WeakView"),
    ("reports", "Reports", "tracker.tui.views.reports:ReportsView"),
]


def _view_class(spec):
    if not isinstance(spec, str):
        return spec
    import importlib

    module, name = spec.split(":")
    return getattr(importlib.import_module(module), name)
POLL_SECONDS = 1.0


class CertjourneyApp(App):
    TITLE = "certjourney"
    AUTO_FOCUS = "#tabs"
    SUB_TITLE = "your certification journey"
    CSS_PATH = [
        "app.tcss",
        "views/dashboard.tcss",
        "views/log.tcss",
        "views/coverage.tcss",
        "views/practice.tcss",
        "views/weak.tcss",
        "views/reports.tcss",
        "screens/dialogs.tcss",
        "screens/forms.tcss",
        "screens/coverage_forms.tcss",
    ]
    BINDINGS = [
        Binding("ctrl+t", "toggle_timer", "Start/Stop", priority=True),
        Binding("t", "toggle_timer", "Start/Stop", show=False),
        Binding("o", "continue_last", "Continue last"),
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit", "Quit"),
        *[Binding(str(i), f"show_tab('{key}')", title, show=False)
          for i, (key, title, _) in enumerate(VIEWS, 1)],
    ]

    def __init__(self, settings: Settings, *, poll: bool = True, prefetch=None):
        super().__init__()
        self.ctx = Context(settings)
        self.ready = False
        self._poll = poll
        self._prefetch = prefetch   # a tracker.tui.prefetch.FirstScreenRead, or None
        self.first_screen_from = ""  # "prefetch" or "thread": where the first screen was read
        self.goal_codes: list[str] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield TimerBar(id="timer-bar")
        yield TabStrip([(key, title) for key, title, _ in VIEWS], "dashboard", id="tabs")
        # Only the dashboard is built now; each other view is built the first
        # time its tab opens (fewer widgets to style means a faster first paint).
        with Container(id="views"):
            yield DashboardView(id="view-dashboard")
        yield Footer()

    @on(TabStrip.Changed)
    def _tab_opened(self, event: TabStrip.Changed) -> None:
        key = event.key
        box = self.query_one("#views", Container)
        for child in box.children:
            child.display = child.id == f"view-{key}"
        views = box.query(f"#view-{key}")
        if not views:
            view = _view_class(next(v for k, _, v in VIEWS if k == key))(id=f"view-{key}")
            box.mount(view)
            if self.ready:
                self.call_after_refresh(view.load)
        else:
            view = views.first()
        if not event.keep_focus:
            self.call_after_refresh(view.focus_main)

    # --- start-up: the database opens in a worker, after the first paint ----

    def on_mount(self) -> None:
        # bench/tui.py times whole processes up to a point, then asks the app to leave.
        self._bench = os.environ.get("CERTJOURNEY_BENCH_EXIT")
        self.call_after_refresh(_collect_again)
        if self._bench == "paint":
            self.call_after_refresh(self._bench_exit)
            return
        self.run_worker(self._read_first_screen, thread=True, group="db")

    def _read_first_screen(self) -> None:
        """Worker thread: the prefetching child's answer, else read it here."""
        from tracker.services.overview import first_screen

        screen = self._prefetch.result() if self._prefetch is not None else None
        if self._prefetch is not None and self._prefetch.error:
            self.first_screen_from = "prefetch"
            self.call_from_thread(self._failed_to_open, self._prefetch.error)
            return
        self.first_screen_from = "prefetch" if screen is not None else "thread"
        if screen is None:
            try:
                with self.ctx.session() as session:
                    screen = first_screen(session, self.ctx.learner_id(session), self.ctx.catalog)
            except TrackerError as exc:
                self.call_from_thread(self._failed_to_open, str(exc))
                return
        self.call_from_thread(self._opened, screen)

    def on_unmount(self) -> None:
        # Close pooled connections now, not whenever the engine is collected: a shared
        # PostgreSQL server counts every open connection against its limit.
        if "database" in self.ctx.__dict__:
            self.ctx.database.dispose()

    def _bench_exit(self) -> None:
        import resource

        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.exit(return_code=0, message=f"maxrss_mb={rss_mb:.1f} first_screen={self.first_screen_from}")

    def dashboard_painted(self) -> None:
        """Called by the dashboard after it shows data (used by the benchmark)."""
        if self._bench == "dashboard":
            self.call_after_refresh(self._bench_exit)

    def _failed_to_open(self, message: str) -> None:
        self.notify(message, title="Cannot open the database", severity="error", timeout=30,
                    markup=False)

    def _opened(self, screen: FirstScreen) -> None:
        self.ready = True
        self._set_goal_codes(list(screen.goal_codes))
        self._show_timer(screen.timer)
        if self._poll:
            self.set_interval(POLL_SECONDS, self.poll_timer)
        for view in self.query(DashboardView):
            view.show(screen.dashboard)
        for key, _, _ in VIEWS[1:]:  # tabs opened before the database was ready
            for view in self.query(f"#view-{key}"):
                view.load()
        if not screen.any_goal:
            from tracker.tui.screens.welcome import WelcomeScreen

            self.push_screen(WelcomeScreen(), lambda _: self.data_changed())

    def _set_goal_codes(self, codes: list[str]) -> None:
        self.goal_codes = codes
        bar = self.query_one(TimerBar)
        bar.set_exam_choices(codes)
        if bar.exam_code:
            self.load_topics(bar.exam_code)

    # --- shared refresh -------------------------------------------------------

    def data_changed(self) -> None:
        """Something was written: reload the goal list, the timer and every view."""
        from tracker.services.overview import goal_codes

        run_db(self, goal_codes, self._set_goal_codes)
        self.poll_timer()
        self.refresh_views()

    def refresh_views(self) -> None:
        if not self.ready:
            return
        for key, _, _ in VIEWS:
            for view in self.query(f"#view-{key}"):
                view.load()

    def load_topics(self, code: str) -> None:
        if not self.ready or not code:
            return
        exam = self.ctx.catalog.find(code)
        if exam is not None:
            self.query_one(TimerBar).set_topic_choices(
                sorted({name for t in exam.topics for name in t.names()}))

    def poll_timer(self) -> None:
        """Read the running entry: a timer started from the CLI shows here within a second."""
        if not self.ready:
            return
        from tracker.services.overview import timer_state

        run_db(self, timer_state, self._show_timer, group="timer", exclusive=True)

    def _show_timer(self, state: TimerState) -> None:
        bar = self.query_one(TimerBar)
        old = bar.state
        bar.state = state
        if old is not None and (old.entry_id != state.entry_id):
            self.refresh_views()

    # --- actions --------------------------------------------------------------

    def action_toggle_timer(self) -> None:
        self.query_one(TimerBar).request_toggle()

    @on(TimerBar.StartRequested)
    def _start(self, event: TimerBar.StartRequested) -> None:
        code, topic, description = event.exam_code, event.topic, event.description

        def start(session, learner):
            from tracker.services import goals, tracking

            if code:
                goal = goals.find_goal(session, learner, code, self.ctx.catalog)
            else:
                from tracker.cli.tracking_cmds import _goal_and_exam

                goal, _ = _goal_and_exam(self.ctx, session, learner, None)
            exam = self.ctx.catalog.exam(goal.exam_code)
            return tracking.start_timer(session, learner, goal, exam, description=description,
                                        topic=topic or None)

        run_db(self, start, lambda change: self._timer_changed(f"Started {change.started.exam_code}"),
               write=True)

    @on(TimerBar.StopRequested)
    def _stop(self, _: TimerBar.StopRequested) -> None:
        from tracker.services import tracking

        run_db(self, lambda s, learner: tracking.stop_timer(s, learner),
               lambda view: self._timer_changed(f"Stopped: {view.seconds // 60} min logged"),
               write=True)

    def action_continue_last(self) -> None:
        from tracker.services import tracking

        run_db(self, lambda s, learner: tracking.continue_entry(s, learner, self.ctx.catalog),
               lambda change: self._timer_changed(f"Continued {change.started.exam_code}"),
               write=True)

    def continue_entry(self, entry_id: int) -> None:
        from tracker.services import tracking

        run_db(self, lambda s, learner: tracking.continue_entry(s, learner, self.ctx.catalog, entry_id),
               lambda change: self._timer_changed(f"Continued {change.started.exam_code}"),
               write=True)

    def _timer_changed(self, message: str) -> None:
        self.notify(message, timeout=3, markup=False)
        self.data_changed()

    def action_show_tab(self, key: str) -> None:
        strip = self.query_one(TabStrip)
        if strip.active == key:  # already there: the key still takes you into the view
            for view in self.query(f"#view-{key}"):
                view.focus_main()
        strip.active = key

    def action_help(self) -> None:
        from tracker.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Start or stop the timer", "Toggle the running timer",
                            self.action_toggle_timer)
        yield SystemCommand("Continue last entry", "Start again what you studied last",
                            self.action_continue_last)
        for key, title, _ in VIEWS:
            yield SystemCommand(f"Show {title}", f"Switch to the {title} tab",
                                lambda key=key: self.action_show_tab(key))
        yield SystemCommand("Add a goal", "Pick an exam and set its date and target",
                            self.action_add_goal)
        yield SystemCommand("Help", "Keys and what each view shows", self.action_help)

    def action_add_goal(self) -> None:
        from tracker.tui.screens.welcome import WelcomeScreen

        self.push_screen(WelcomeScreen(first_run=False), lambda _: self.data_changed())


def _collect_again() -> None:
    """After the first paint, if the CLI turned cycle collection off for the start-up:
    what start-up built lives as long as the app, so it moves to the permanent
    generation (never scanned again), and collection resumes. An app started some
    other way (tests, the demo) leaves the collector as it found it."""
    import gc

    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def make_app(settings: Settings, *, poll: bool = True, prefetch=None) -> CertjourneyApp:
    """Build the app on the given settings (tests pass a temporary database); ``prefetch``
    is a child already reading the first screen (tracker.tui.prefetch.start)."""
    return CertjourneyApp(settings, poll=poll, prefetch=prefetch)
