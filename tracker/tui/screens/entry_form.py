"""Add or edit an entry: description, exam, topic, tags, and when — in the CLI's forms.

Times accept what ``certjourney add`` accepts (14:00, 'yesterday 19:00', -30m,
a range like 14:00-15:30 in Start); a duration (1h30m, 90m, 1:30) may stand in
for the start or the end. Parsing and saving run in a worker; a mistake shows
on the error line in plain words and nothing is written.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static

from tracker.services.entries import EntryView
from tracker.tui.text import literal
from tracker.tui.widgets.picker import PickerInput
from tracker.tui.worker import run_db

TIME_FORMAT = "%Y-%m-%d %H:%M"


def local_text(moment: datetime | None) -> str:
    from tracker import clock

    return moment.astimezone(clock.local_tz()).strftime(TIME_FORMAT) if moment else ""


def entry_summary(entry: EntryView) -> str:
    """One line naming an entry for a dialog: when, how long, what."""
    from tracker import clock
    from tracker.timeparse import format_duration

    tz = clock.local_tz()
    start = entry.start.astimezone(tz)
    end = entry.end.astimezone(tz).strftime("%H:%M") if entry.end else "now"
    what = " · ".join(p for p in (entry.exam_code, entry.topic, entry.description) if p)
    return f"{start:%a %d %b %Y} {start:%H:%M}–{end} ({format_duration(entry.seconds)})  {what}"


def _duration(text: str | None) -> int | None:
    from tracker.errors import InvalidInput
    from tracker.timeparse import parse_duration

    if not text:
        return None
    try:
        return parse_duration(text)
    except InvalidInput as exc:
        raise InvalidInput(f"Duration: {exc}") from None


def new_span(start_text: str | None, end_text: str | None,
             duration_text: str | None) -> tuple[datetime, datetime]:
    """Start and end of a new entry from the form, by the rules of ``certjourney add``."""
    from tracker import clock
    from tracker.cli.parsing import option_datetime
    from tracker.errors import InvalidInput
    from tracker.timeparse import parse_range

    seconds = _duration(duration_text)
    if start_text and not end_text and seconds is None:
        try:
            return parse_range(start_text, clock.now(), clock.local_tz())
        except InvalidInput:
            pass  # not a range: read it as a start below
    start, end = option_datetime("Start", start_text), option_datetime("End", end_text)
    if seconds is not None:
        if start is not None and end is not None:
            raise InvalidInput("give two of start, end and duration, not all three")
        if start is None:
            end = end or clock.now()
            start = end - timedelta(seconds=seconds)
        else:
            end = start + timedelta(seconds=seconds)
    if start is None or end is None:
        raise InvalidInput("say when: a start with an end or a duration, or a range like "
                           "14:00-15:30 in Start")
    return start, end


def edited_span(entry: EntryView, start_text: str | None, end_text: str | None,
                duration_text: str | None) -> tuple[datetime | None, datetime | None]:
    """The new start and end of an edited entry; None where it stays as it was.

    The fields hold the entry's times to the minute; an unchanged field keeps
    the exact stored time, so editing the description never moves an entry.
    """
    from tracker.cli.parsing import option_datetime
    from tracker.errors import InvalidInput

    changed_start = start_text is not None and start_text != local_text(entry.start)
    changed_end = end_text is not None and end_text != local_text(entry.end)
    start = option_datetime("Start", start_text) if changed_start else entry.start
    end = option_datetime("End", end_text) if changed_end and end_text else entry.end
    seconds = _duration(duration_text)
    if seconds is not None:
        if changed_start and changed_end:
            raise InvalidInput("give two of start, end and duration, not all three")
        if changed_end and end is not None:
            start = end - timedelta(seconds=seconds)
        else:
            end = start + timedelta(seconds=seconds)
    return (start if start != entry.start else None, end if end != entry.end else None)


def split_tags(text: str) -> list[str]:
    return [t for t in (part.strip() for part in text.split(",")) if t]


class EntryFormScreen(ModalScreen[EntryView | None]):
    """Dismisses with the saved entry, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Save")]

    def __init__(self, entry: EntryView | None = None, *, exam_codes: list[str] = (),
                 default_exam: str = "") -> None:
        super().__init__()
        self.entry = entry
        self.exam_codes = list(exam_codes)
        self.default_exam = entry.exam_code if entry else default_exam
        self._saving = False  # a second enter while saving must not add the entry twice

    def compose(self) -> ComposeResult:
        e = self.entry
        title = "Edit entry" if e else "Add an entry"
        with Vertical(classes="dialog", id="entry-box"):
            yield Static(title, classes="dialog-title")
            yield from self._row("Description", Input(e.description if e else "", id="entry-description",
                                                      placeholder="what you studied"))
            yield from self._row("Exam", PickerInput(self.exam_codes, placeholder="exam code",
                                                     id="entry-exam"))
            yield from self._row("Topic", PickerInput(placeholder="optional: topic name or alias",
                                                      id="entry-topic"))
            yield from self._row("Tags", Input(", ".join(e.tags) if e else "", id="entry-tags",
                                               placeholder="comma-separated: lab, video"))
            yield from self._row("Start", Input(local_text(e.start) if e else "", id="entry-start",
                                                placeholder="14:00, 'yesterday 19:00', 14:00-15:30"))
            end_hint = "running — stop it first" if e and e.running else "15:30, -10m, now"
            yield from self._row("End", Input(local_text(e.end) if e else "", id="entry-end",
                                              placeholder=end_hint))
            yield from self._row("Duration", Input(id="entry-duration",
                                                   placeholder="instead of start or end: 1h30m, 90m"))
            yield Checkbox("Allow overlap with other entries", id="entry-overlap")
            yield Static("", id="entry-error", classes="form-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", variant="primary", id="entry-save")
                yield Button("Cancel", id="entry-cancel")

    @staticmethod
    def _row(label: str, field) -> ComposeResult:
        with Horizontal(classes="form-row"):
            yield Label(label)
            yield field

    def on_mount(self) -> None:
        for field in self.query(Input):
            field.compact = True
        self.query_one("#entry-overlap", Checkbox).compact = True
        self.query_one("#entry-exam", PickerInput).set_value(self.default_exam)
        self.query_one("#entry-topic", PickerInput).set_value((self.entry.topic or "") if self.entry else "")
        self._topic_choices()
        self.query_one("#entry-description", Input).focus()

    def _topic_choices(self) -> None:
        exam = self.app.ctx.catalog.find(self.query_one("#entry-exam", PickerInput).value)
        names = sorted({n for t in exam.topics for n in t.names()}) if exam else []
        self.query_one("#entry-topic", PickerInput).set_choices(names)

    @on(PickerInput.Picked, "#entry-exam")
    def _exam_picked(self) -> None:
        self._topic_choices()

    def on_descendant_focus(self) -> None:
        # The exam may have been typed rather than picked: offer its topics.
        self._topic_choices()

    def action_cancel(self) -> None:
        # An open picker list closes on the first escape (its own binding); a
        # closed one lets escape through to here.
        self.dismiss(None)

    @on(Button.Pressed, "#entry-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    @on(Button.Pressed, "#entry-save")
    def action_save(self) -> None:
        if self._saving:
            return

        def value(selector: str) -> str | None:
            return self.query_one(selector).value.strip() or None

        form = {
            "description": self.query_one("#entry-description", Input).value,
            "exam": value("#entry-exam"), "topic": value("#entry-topic"),
            "tags": split_tags(self.query_one("#entry-tags", Input).value),
            "start": value("#entry-start"), "end": value("#entry-end"),
            "duration": value("#entry-duration"),
            "allow_overlap": self.query_one("#entry-overlap", Checkbox).value,
        }
        self.query_one("#entry-error", Static).update("")
        save = self._edit if self.entry else self._add
        self._saving = True
        run_db(self, lambda session, learner: save(session, learner, form), self._saved,
               write=True, failed=self._error)

    def _saved(self, entry: EntryView) -> None:
        if self.is_active:
            self.dismiss(entry)
        else:  # closed while saving: the entry is written all the same
            self.app.data_changed()

    def _add(self, session, learner: int, form: dict) -> EntryView:
        from tracker.errors import InvalidInput
        from tracker.services import goals, tracking

        start, end = new_span(form["start"], form["end"], form["duration"])
        if not form["exam"]:
            raise InvalidInput("choose an exam" + (f": {', '.join(self.exam_codes)}"
                                                  if self.exam_codes else ""))
        catalog = self.app.ctx.catalog
        goal = goals.find_goal(session, learner, form["exam"], catalog)
        return tracking.add_entry(session, learner, goal, catalog.exam(goal.exam_code),
                                  start=start, end=end, description=form["description"],
                                  topic=form["topic"], tags=form["tags"],
                                  allow_overlap=form["allow_overlap"])

    def _edit(self, session, learner: int, form: dict) -> EntryView:
        from tracker.errors import InvalidInput
        from tracker.services import goals, tracking

        entry = self.entry
        if not form["exam"]:
            raise InvalidInput("choose an exam")
        start, end = edited_span(entry, form["start"], form["end"], form["duration"])
        catalog = self.app.ctx.catalog
        exam_changed = catalog.exam(form["exam"]).code != entry.exam_code
        goal = goals.find_goal(session, learner, form["exam"], catalog) if exam_changed else None
        # An untouched topic is kept as stored, even one the catalog no longer knows.
        same_topic = not exam_changed and (form["topic"] or None) == entry.topic
        return tracking.edit_entry(
            session, learner, entry.id, catalog, goal=goal, description=form["description"],
            topic=tracking._KEEP if same_topic else form["topic"], tags=form["tags"],
            start=start, end=end, allow_overlap=form["allow_overlap"])

    def _error(self, message: str) -> None:
        self._saving = False
        if not self.is_attached:
            return
        # The services speak the CLI's language; here the option is a checkbox.
        message = message.replace("use --allow-overlap", "tick “Allow overlap”")
        self.query_one("#entry-error", Static).update(literal(message))
