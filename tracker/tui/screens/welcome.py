"""First run (and "Add a goal"): pick an exam with fuzzy search, set its date and target."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tracker.tui.fuzzy import fuzzy_score
from tracker.tui.text import literal
from tracker.tui.worker import run_db


class WelcomeScreen(ModalScreen[bool]):
    BINDINGS = [Binding("escape", "dismiss(False)", "Close")]

    def __init__(self, first_run: bool = True):
        super().__init__()
        self.first_run = first_run

    def compose(self) -> ComposeResult:
        with Vertical(id="welcome", classes="dialog"):
            if self.first_run:
                yield Static("Welcome to certjourney! Which exam are you studying for?",
                             classes="dialog-title")
            else:
                yield Static("Add a goal", classes="dialog-title")
            yield Input(placeholder="Search exams: code or name (e.g. saa, machine learning)",
                        id="welcome-search")
            yield OptionList(id="welcome-exams")
            with Horizontal(classes="form-row"):
                yield Label("Exam date")
                yield Input(placeholder="2027-01-15, +8w, in 6 weeks", id="welcome-date")
            with Horizontal(classes="form-row"):
                yield Label("Target hours")
                yield Input(placeholder="40", id="welcome-hours")
            yield Static("", id="welcome-error", classes="form-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Add goal", variant="primary", id="welcome-add")
                yield Button("Later", id="welcome-cancel")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#welcome-search", Input).focus()

    def _fill(self, query: str) -> None:
        from tracker import clock

        today = clock.today()
        scored = []
        for exam in self.app.ctx.catalog:
            if exam.is_retired(today):
                continue
            best = max((s for s in (fuzzy_score(query, exam.code), fuzzy_score(query, exam.name),
                                    *(fuzzy_score(query, a) for a in exam.aliases)) if s is not None),
                       default=None)
            if best is not None:
                scored.append((best, exam))
        scored.sort(key=lambda pair: (-pair[0], pair[1].code))
        options = self.query_one("#welcome-exams", OptionList)
        options.clear_options()
        options.add_options([Option(f"{e.code:<9} {e.name}", id=e.code) for _, e in scored])
        if scored:
            options.highlighted = 0

    @on(Input.Changed, "#welcome-search")
    def _search(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#welcome-search")
    def _to_list(self) -> None:
        self.query_one("#welcome-date", Input).focus()

    @on(Button.Pressed, "#welcome-cancel")
    def _cancel(self) -> None:
        self.dismiss(False)

    @on(Input.Submitted, "#welcome-hours")
    @on(Button.Pressed, "#welcome-add")
    def _add(self) -> None:
        options = self.query_one("#welcome-exams", OptionList)
        if options.highlighted is None:
            self._error("Pick an exam from the list first.")
            return
        code = options.get_option_at_index(options.highlighted).id
        date_text = self.query_one("#welcome-date", Input).value.strip() or None
        hours_text = self.query_one("#welcome-hours", Input).value.strip() or None

        def add(session, learner):
            from tracker.cli.parsing import option_date, option_hours
            from tracker.services import goals

            exam = self.app.ctx.catalog.exam(code)
            return goals.add_goal(session, learner, exam,
                                  exam_date=option_date("Exam date", date_text),
                                  target_hours=option_hours("Target hours", hours_text)).exam_code

        run_db(self, add, self._added, write=True, failed=self._error)

    def _added(self, code: str) -> None:
        self.app.notify(f"Added a goal for {code}.", markup=False)
        if self.is_active:
            self.dismiss(True)
        else:  # another screen opened on top while saving: leave when it is back on top
            self._added_goal = True

    def on_screen_resume(self) -> None:
        if getattr(self, "_added_goal", False):
            self.dismiss(True)

    def _error(self, message: str) -> None:
        self.query_one("#welcome-error", Static).update(literal(message))
