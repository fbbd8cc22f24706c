"""Split an entry in two at a time inside it."""

from __future__ import annotations

import re

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from tracker.services.entries import EntryView
from tracker.tui.screens.entry_form import entry_summary, local_text
from tracker.tui.text import literal
from tracker.tui.worker import run_db

# A bare clock time ("15:00", "3pm") means that time on the entry's day, not today.
_CLOCK = re.compile(r"\d{1,2}(:\d{2}){1,2}\s*([ap]m?)?|\d{1,2}\s*[ap]m?", re.IGNORECASE)


def split_time(entry: EntryView, text: str):
    """Where to cut: the CLI's time forms; a bare time is read on the entry's last day."""
    from tracker import clock
    from tracker.cli.parsing import option_datetime
    from tracker.errors import InvalidInput
    from tracker.timeparse import parse_datetime

    if not text:
        raise InvalidInput("Split at: give a time inside the entry, e.g. 15:00")
    if _CLOCK.fullmatch(text.strip()):
        anchor = entry.end or clock.now()
        try:
            at = parse_datetime(text, anchor, clock.local_tz())
        except InvalidInput as exc:
            raise InvalidInput(f"Split at: {exc}") from None
        if at >= anchor:  # an entry crossing midnight: the time is on its first day
            at = parse_datetime(text, entry.start, clock.local_tz())
        return at
    return option_datetime("Split at", text)


class SplitScreen(ModalScreen[tuple[EntryView, EntryView] | None]):
    """Dismisses with the two halves, or None when cancelled."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, entry: EntryView) -> None:
        super().__init__()
        self.entry = entry

    def compose(self) -> ComposeResult:
        from tracker import clock

        entry = self.entry
        middle = entry.start + (((entry.end or clock.now()) - entry.start) / 2)
        with Vertical(classes="dialog", id="split-box"):
            yield Static("Split entry", classes="dialog-title")
            yield Static(literal(entry_summary(entry)), id="split-entry")
            with Horizontal(classes="form-row"):
                yield Label("Split at")
                yield Input(local_text(middle), placeholder="15:00 or 2026-11-22 15:00", id="split-at")
            yield Static("", id="split-error", classes="form-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Split", variant="primary", id="split-ok")
                yield Button("Cancel", id="split-cancel")

    def on_mount(self) -> None:
        field = self.query_one("#split-at", Input)
        field.compact = True
        field.focus()

    @on(Button.Pressed, "#split-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#split-at")
    @on(Button.Pressed, "#split-ok")
    def _split(self) -> None:
        text = self.query_one("#split-at", Input).value.strip()
        entry = self.entry

        def split(session, learner):
            from tracker.services import tracking

            return tracking.split_entry(session, learner, entry.id, split_time(entry, text))

        run_db(self, split, self._split_done, write=True, failed=self._error)

    def _split_done(self, halves: tuple[EntryView, EntryView]) -> None:
        if self.is_active:
            self.dismiss(halves)
        else:  # closed while saving: the split is written all the same
            self.app.data_changed()

    def _error(self, message: str) -> None:
        if self.is_attached:
            self.query_one("#split-error", Static).update(literal(message))
