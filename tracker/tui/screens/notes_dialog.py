"""The notes linked to one topic: each heading, its file and its text, shown literally."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

from tracker.tui.text import Doc, literal
from tracker.tui.worker import run_db

MAX_NOTES = 100  # a topic with more is unusual; the CLI lists them all


@dataclass(frozen=True)
class ShownNote:
    path: str
    source: str
    body: str


class NotesScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Close")]

    def __init__(self, goal_id: int, topic: str):
        super().__init__()
        self.goal_id = goal_id
        self.topic = topic

    def compose(self) -> ComposeResult:
        with Vertical(id="notes-dialog", classes="dialog"):
            yield Static(Doc().add("Notes on ").add(self.topic, "bold").content(),
                         classes="dialog-title")
            yield VerticalScroll(Static(Doc().add("Loading…", "dim").content()), id="notes-list")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Close (esc)", id="notes-close")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#notes-list").focus()
        run_db(self, self._fetch, self._show)

    def _fetch(self, session, learner) -> list[ShownNote]:
        from sqlalchemy import select

        from tracker.models import Goal, Note
        from tracker.services.notes import list_notes

        goal = session.get(Goal, self.goal_id)
        views = list_notes(session, goal, topic=self.topic)[:MAX_NOTES]
        # The listing leaves bodies out; fetch this topic's in one query.
        bodies = dict(session.execute(
            select(Note.id, Note.body).where(Note.id.in_([v.id for v in views]))).all()) if views else {}
        return [ShownNote(v.path, v.source, bodies.get(v.id, "")) for v in views]

    def _show(self, notes: list[ShownNote]) -> None:
        box = self.query_one("#notes-list", VerticalScroll)
        box.remove_children()
        if not notes:
            box.mount(Static(Doc().add(
                "No notes are linked to this topic yet. Import your notes with "
                "'certjourney import notes FOLDER --cert CODE'.", "dim").content()))
            return
        for note in notes:
            box.mount(Static(Doc().add(note.path, "bold").add(f"  {note.source}", "dim").content(),
                             classes="note-heading"))
            box.mount(Static(literal(note.body.strip() or "(no text)"), classes="note-body"))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)
