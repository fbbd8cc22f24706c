"""The notes linked to one topic: each heading, its file and its text, shown literally.

The learner can link another of the goal's notes to the topic (a fuzzy picker
over their heading paths and files) and unlink the highlighted one. Both are
hand links (:func:`tracker.services.notes.link_note`), kept across re-imports.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Label, ListItem, ListView, Static

from tracker.tui.fuzzy import pick_one
from tracker.tui.text import Doc, literal
from tracker.tui.widgets.picker import PickerInput
from tracker.tui.worker import run_db

MAX_NOTES = 100  # a topic with more is unusual; the CLI lists them all


@dataclass(frozen=True)
class ShownNote:
    id: int
    path: str
    source: str
    body: str
    by_hand: bool = False


@dataclass(frozen=True)
class NotesData:
    linked: list[ShownNote]                 # linked to the topic, in file order
    others: dict[str, int]                  # picker label -> id of a note not linked to it


def picker_label(path: str, source: str) -> str:
    return f"{path} — {source}"


class NotesScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("l", "pick", "Link a note"),
        Binding("u", "unlink", "Unlink"),
        Binding("escape", "dismiss(None)", "Close"),
    ]

    def __init__(self, goal_id: int, topic: str):
        super().__init__()
        self.goal_id = goal_id
        self.topic = topic
        self.notes: list[ShownNote] = []
        self.others: dict[str, int] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="notes-dialog", classes="dialog"):
            yield Static(Doc().add("Notes on ").add(self.topic, "bold").content(),
                         classes="dialog-title")
            yield ListView(id="notes-list")
            yield Static(Doc().add("Loading…", "dim").content(), id="notes-empty")
            with Horizontal(id="notes-link", classes="form-row"):
                yield Label("Link a note")
                yield PickerInput(placeholder="type a heading or file, then enter", id="notes-picker")
            yield Static(id="notes-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Link (enter)", id="notes-link-button", variant="primary")
                yield Button("Unlink (u)", id="notes-unlink")
                yield Button("Close (esc)", id="notes-close")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#notes-list").focus()
        self.load()

    # --- data -----------------------------------------------------------------

    def load(self) -> None:
        run_db(self, self._fetch, self._show)

    def _fetch(self, session, learner) -> NotesData:
        from sqlalchemy import select

        from tracker.models import Goal, Note
        from tracker.services.notes import hand_linked, list_notes

        goal = session.get(Goal, self.goal_id)
        views = list_notes(session, goal)
        linked = [v for v in views if any(t == self.topic for t, _ in v.topics)][:MAX_NOTES]
        by_hand = hand_linked(session, goal.id, self.topic)
        # The listing leaves bodies out; fetch this topic's in one query.
        bodies = dict(session.execute(
            select(Note.id, Note.body).where(Note.id.in_([v.id for v in linked]))).all()) if linked else {}
        shown = {v.id for v in linked}
        others: dict[str, int] = {}
        for v in views:
            if v.id in shown:
                continue
            label = picker_label(v.path, v.source)
            others[label if label not in others else f"{label} (note {v.id})"] = v.id
        return NotesData(
            [ShownNote(v.id, v.path, v.source, bodies.get(v.id, ""), v.id in by_hand) for v in linked],
            others)

    async def _show(self, data: NotesData) -> None:
        box = self.query_one("#notes-list", ListView)
        index = box.index
        self.notes, self.others = data.linked, data.others
        self.query_one("#notes-picker", PickerInput).set_choices(list(data.others))
        await box.clear()
        empty = self.query_one("#notes-empty", Static)
        empty.display = not self.notes
        if not self.notes:
            empty.update(Doc().add(
                "No notes are linked to this topic yet. Link one below (l), or import your notes "
                "with 'certjourney import notes FOLDER --cert CODE'.", "dim").content())
            return
        items = []
        for note in self.notes:
            heading = Doc().add(note.path, "bold").add(f"  {note.source}", "dim")
            if note.by_hand:
                heading.add("  · linked by hand", "italic")
            items.append(ListItem(Static(heading.content(), classes="note-heading"),
                                  Static(literal(note.body.strip() or "(no text)"), classes="note-body")))
        await box.extend(items)
        box.index = min(index or 0, len(self.notes) - 1)

    def say(self, message: str) -> None:
        self.query_one("#notes-message", Static).update(literal(message))

    def error(self, message: str) -> None:
        self.app.notify(message, title="Not done", severity="error", markup=False)

    def _changed(self, change) -> None:
        self.say(change.message)
        self.load()
        if change.changed:
            self.app.data_changed()

    # --- actions --------------------------------------------------------------

    def action_pick(self) -> None:
        self.query_one("#notes-picker", PickerInput).input.focus()

    def _picked_id(self, text: str) -> int | None:
        if not self.others:
            self.error("Every note of this goal is linked to this topic already.")
            return None
        note_id, why = pick_one(text, self.others, "note")
        if note_id is None:
            self.error(why)
        return note_id

    @on(Button.Pressed, "#notes-link-button")
    def action_link(self) -> None:
        picker = self.query_one("#notes-picker", PickerInput)
        note_id = self._picked_id(picker.value)
        if note_id is None:
            return
        from tracker.services.notes import link_note

        def linked(change) -> None:
            picker.set_value("")
            self._changed(change)

        run_db(self, lambda s, learner: link_note(s, learner, note_id, self.topic,
                                                  catalog=self.app.ctx.catalog),
               linked, write=True)

    @on(PickerInput.Picked, "#notes-picker")
    def _picked(self, event: PickerInput.Picked) -> None:
        event.stop()
        self.say(f"Enter links “{event.value}” to {self.topic}.")

    @on(ListView.Selected)
    def _selected(self, event: ListView.Selected) -> None:
        event.stop()  # enter on a note does nothing more than highlight it

    def on_input_submitted(self, event) -> None:
        # Enter in the picker with no list open: link what it names.
        event.stop()
        self.action_link()

    def action_unlink(self) -> None:
        box = self.query_one("#notes-list", ListView)
        if not self.notes or box.index is None:
            self.error("There is no note here to unlink.")
            return
        note = self.notes[min(box.index, len(self.notes) - 1)]
        from tracker.services.notes import unlink_note

        run_db(self, lambda s, learner: unlink_note(s, learner, note.id, self.topic,
                                                    catalog=self.app.ctx.catalog),
               self._changed, write=True)

    @on(Button.Pressed, "#notes-unlink")
    def _unlink_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_unlink()

    @on(Button.Pressed, "#notes-close")
    def _close(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)
