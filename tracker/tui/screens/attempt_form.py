"""Record a practice attempt: overall score, date, full or partial, label, and a
score per domain. Read with the CLI's own parsers (practice.parse_score,
parse_domain_scores, option_date) so both accept the same forms; everything is
checked before anything is written, and a mistake is shown inline."""

from __future__ import annotations

import re

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Footer, Input, Label, Static

from tracker.errors import TrackerError
from tracker.tui.text import Doc, literal
from tracker.tui.worker import run_db

# The services name the CLI's options; the form names its own fields.
_OPTION_WORDS = [("--score", "Score"), ("--of MAX", "a total in “Out of”"), ("--of", "Out of"),
                 ("--date", "Date"), ("--label", "Label"), ("--domain", "Domain")]


def plain(message: str) -> str:
    for option, words in _OPTION_WORDS:
        message = message.replace(option, words)
    return message[:1].upper() + message[1:]


def domain_error(number: int, name: str, message: str) -> str:
    """'--domain '2=abc': cannot read...' as 'Domain 2 (Name): cannot read...'."""
    reason = re.sub(r"^--domain '.*?': ", "", message)
    reason = re.sub(r"^--domain [^=]*=", "", reason)
    return f"Domain {number} ({name}): {reason}"


class AttemptFormScreen(ModalScreen[object]):
    """Returns the stored AttemptView, or None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "dismiss(None)", "Cancel"),
    ]

    def __init__(self, goal_id: int, exam_code: str):
        super().__init__()
        self.goal_id = goal_id
        self.exam_code = exam_code

    @property
    def exam(self):
        return self.app.ctx.catalog.exam(self.exam_code)

    def compose(self) -> ComposeResult:
        exam = self.exam
        scale = f" or {round(0.78 * exam.score_max)} (of {exam.score_max})" if exam.score_max else ""
        with Vertical(id="attempt-form", classes="dialog"):
            yield Static(Doc().add(f"Record a practice attempt for {exam.code}").content(),
                         classes="dialog-title")
            with VerticalScroll(id="attempt-fields"):
                yield from self._row("Score", "attempt-score", f"78 (%), 52/65{scale}")
                yield from self._row("Out of", "attempt-of", "optional: 1000 or 65")
                yield from self._row("Date", "attempt-date", "today, yesterday, 2026-11-20, -3d")
                yield from self._row("Label", "attempt-label", "optional: Tutorials Dojo set 3")
                yield Checkbox("Full practice exam (untick for a partial test or quiz)", value=True,
                               id="attempt-full", compact=True)
                yield Static(Doc().add("Score per domain (optional): 65 or 13/20", "bold").content(),
                             id="attempt-domains-title")
                for d in exam.domains:
                    with Horizontal(classes="form-row attempt-domain"):
                        yield Label(literal(f"{d.number}. {d.name}"))
                        yield Input(placeholder="65 or 13/20", id=f"attempt-domain-{d.number}",
                                    compact=True)
            yield Static(id="attempt-error", classes="form-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="attempt-save", compact=True)
                yield Button("Cancel (esc)", id="attempt-cancel", compact=True)
        yield Footer()

    def _row(self, label: str, input_id: str, placeholder: str) -> ComposeResult:
        with Horizontal(classes="form-row"):
            yield Label(label)
            yield Input(placeholder=placeholder, id=input_id, compact=True)

    def on_mount(self) -> None:
        self.query_one("#attempt-score", Input).focus()

    def _value(self, input_id: str) -> str:
        return self.query_one(f"#{input_id}", Input).value.strip()

    def _error(self, message: str, input_id: str | None = None) -> None:
        for box in self.query(Input):
            box.remove_class("-invalid")
        if input_id is not None:
            box = self.query_one(f"#{input_id}", Input)
            box.add_class("-invalid")
            box.focus()
        self.query_one("#attempt-error", Static).update(literal(message))

    def read(self) -> dict | None:
        """The attempt as add_attempt takes it, or None after showing what is wrong."""
        from tracker import clock
        from tracker.cli.parsing import option_date
        from tracker.services import practice

        exam = self.exam
        score_text = self._value("attempt-score")
        if not score_text:
            self._error("Give the overall score: 78 (%), 52/65, or 780 on the exam's scale.",
                        "attempt-score")
            return None
        field = "attempt-score"
        try:
            score = practice.parse_score(score_text, exam, self._value("attempt-of") or None)
            field = "attempt-date"
            taken_on = option_date("Date", self._value("attempt-date") or None)
            if taken_on is not None and taken_on > clock.today():
                self._error(f"Date {taken_on} is in the future.", field)
                return None
            field = "attempt-label"
            label = practice.check_label(self._value("attempt-label"))
        except TrackerError as exc:
            self._error(plain(str(exc)), field)
            return None
        domains: dict[str, float] = {}
        for d in exam.domains:
            text = self._value(f"attempt-domain-{d.number}")
            if not text:
                continue
            try:
                domains.update(practice.parse_domain_scores([f"{d.number}={text}"], exam))
            except TrackerError as exc:
                self._error(domain_error(d.number, d.name, str(exc)), f"attempt-domain-{d.number}")
                return None
        full = self.query_one("#attempt-full", Checkbox).value
        return {"score": score, "taken_on": taken_on, "domains": domains, "full": full,
                "label": label}

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        # Enter moves on through the fields; on the last one it saves.
        if event.input is list(self.query(Input))[-1]:
            self.action_save()
        else:
            self.focus_next()

    @on(Button.Pressed, "#attempt-save")
    def action_save(self) -> None:
        values = self.read()
        if values is None:
            return
        self._error("")

        def add(session, learner):
            from tracker.models import Goal
            from tracker.services import practice

            goal = session.get(Goal, self.goal_id)
            return practice.add_attempt(session, learner, goal, self.exam, **values)

        run_db(self, add, self.dismiss, write=True, failed=lambda m: self._error(plain(m)))

    @on(Button.Pressed, "#attempt-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
