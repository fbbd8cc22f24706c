"""A topic's resources: mark one done, set its progress, add another, link one
of the goal's other resources to the topic or unlink one from it.

``ResourcesScreen`` lists the resources covering one topic; ``ResourceFormScreen``
adds a resource (title, kind, size) covering it. Both write in workers and say
what went wrong inline, in plain words.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Footer, Input, Label, Select, Static

from tracker.models import RESOURCE_KINDS
from tracker.tui.fuzzy import pick_one
from tracker.tui.text import Doc, literal
from tracker.tui.widgets.picker import PickerInput
from tracker.tui.worker import run_db


def plain(message: str) -> str:
    """Service messages name CLI options; say it as the form does, as a sentence."""
    text = message.replace("--units", "Size").replace("--kind", "kind")
    return text[:1].upper() + text[1:]


class ResourcesScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("d", "mark_done", "Mark done"),
        Binding("p", "progress", "Set progress"),
        Binding("a", "add", "Add resource"),
        Binding("l", "pick", "Link one"),
        Binding("u", "unlink", "Unlink"),
        Binding("escape", "close", "Close"),
    ]

    def __init__(self, goal_id: int, exam_code: str, topic: str):
        super().__init__()
        self.goal_id = goal_id
        self.exam_code = exam_code
        self.topic = topic
        self.titles: dict[int, str] = {}
        self.others: dict[str, int] = {}   # picker label -> id of a goal's resource not covering it
        self._after_load = ""

    def compose(self) -> ComposeResult:
        with Vertical(id="resources-dialog", classes="dialog"):
            yield Static(Doc().add("Resources for ").add(self.topic, "bold").content(),
                         classes="dialog-title")
            yield DataTable(id="resources-table", cursor_type="row", zebra_stripes=True)
            with Horizontal(id="resources-progress", classes="form-row"):
                yield Label("Units done")
                yield Input(placeholder="12, +3 more, or 12/42", id="resources-units")
            with Horizontal(id="resources-link", classes="form-row"):
                yield Label("Link")
                yield PickerInput(placeholder="a resource of this goal: type its title, then enter",
                                  id="resources-picker")
            yield Static(id="resources-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Done (d)", id="resources-done", variant="success")
                yield Button("Progress (p)", id="resources-set")
                yield Button("Add (a)", id="resources-add")
                yield Button("Link (l)", id="resources-link-button")
                yield Button("Unlink (u)", id="resources-unlink")
                yield Button("Close (esc)", id="resources-close")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Title", "Kind", "Progress", "Status")
        table.focus()
        self.load()

    # --- data -----------------------------------------------------------------

    def load(self) -> None:
        def fetch(session, learner):
            from tracker.services.resources import list_resources

            return list_resources(session, learner, self.goal_id)

        run_db(self, fetch, self._show)

    def _show(self, every: list) -> None:
        views = [v for v in every if self.topic in v.topics]
        self.others = {}
        for v in every:
            if self.topic not in v.topics:
                label = f"{v.title} ({v.kind})"
                self.others[label if label not in self.others else f"{label} #{v.id}"] = v.id
        self.query_one("#resources-picker", PickerInput).set_choices(list(self.others))
        colours = self.app.theme_variables
        table = self.query_one(DataTable)
        selected = self.selected_id()
        table.clear()
        self.titles = {v.id: v.title for v in views}
        for v in views:
            if v.done:
                status = Text("✓ done", style=colours.get("success", ""))
            elif v.ratio > 0:
                status = Text("… in progress")
            else:
                status = Text("not started", style=colours.get("text-muted", ""))
            table.add_row(Text(v.title), Text(v.kind), Text(v.progress_text()), status, key=str(v.id))
        if selected in self.titles:
            table.move_cursor(row=table.get_row_index(str(selected)))
        if self._after_load:  # what the change that caused this reload says
            self.say(self._after_load)
            self._after_load = ""
        elif not views:
            self.say("No resources cover this topic yet. Press a to add one"
                     + (", or l to link one of this goal's." if self.others else "."))

    def selected_id(self) -> int | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return int(key.value)

    def say(self, message: str, error: bool = False) -> None:
        box = self.query_one("#resources-message", Static)
        box.set_class(error, "form-error")
        box.update(literal(message))

    def _need_selection(self) -> int | None:
        rid = self.selected_id()
        if rid is None:
            self.say("There is no resource to change: press a to add one.", error=True)
        return rid

    def _written(self, message: str):
        def done(view) -> None:
            self.say(message.format(title=view.title, progress=view.progress_text()))
            self.load()
            self.app.data_changed()

        return done

    # --- actions --------------------------------------------------------------

    def action_mark_done(self) -> None:
        rid = self._need_selection()
        if rid is None:
            return
        from tracker.services import resources

        run_db(self, lambda s, learner: resources.mark_done(s, learner, rid),
               self._written("Marked “{title}” done."), write=True,
               failed=lambda m: self.say(plain(m), error=True))

    def action_progress(self) -> None:
        if self._need_selection() is None:
            return
        self.query_one("#resources-progress").display = True
        self.query_one("#resources-units", Input).focus()
        self.say(f"Units done of “{self.titles[self.selected_id()]}”, then enter.")

    @on(Input.Submitted, "#resources-units")
    def _set_progress(self, event: Input.Submitted) -> None:
        rid = self._need_selection()
        text = event.value.strip()
        if rid is None or not text:
            self.say("Type the units done: 12, +3 (three more) or 12/42.", error=True)
            return
        from tracker.services import resources

        def done(view) -> None:
            event.input.value = ""
            self.query_one("#resources-progress").display = False
            self.query_one(DataTable).focus()
            self._written("“{title}”: {progress}.")(view)

        run_db(self, lambda s, learner: resources.set_progress(s, learner, rid, text), done,
               write=True, failed=lambda m: self.say(plain(m), error=True))

    def action_add(self) -> None:
        def added(ok: bool | None) -> None:
            if ok:
                self.load()
                self.app.data_changed()

        self.app.push_screen(ResourceFormScreen(self.goal_id, self.exam_code, self.topic), added)

    def action_pick(self) -> None:
        if not self.others:
            self.say("Every resource of this goal covers this topic already: press a to add one.",
                     error=True)
            return
        self.query_one("#resources-progress").display = False
        self.query_one("#resources-link").display = True
        self.query_one("#resources-picker", PickerInput).input.focus()
        self.say("Type a few letters of the resource's title, then enter.")

    def _picked_id(self, text: str) -> int | None:
        rid, why = pick_one(text, self.others, "resource")
        if rid is None:
            self.say(why, error=True)
        return rid

    def action_link(self) -> None:
        picker = self.query_one("#resources-picker", PickerInput)
        if not self.query_one("#resources-link").display:
            self.action_pick()
            return
        rid = self._picked_id(picker.value)
        if rid is None:
            return
        from tracker.services import resources

        def linked(result) -> None:
            view, topic, _ = result
            picker.set_value("")
            self.query_one("#resources-link").display = False
            self.query_one(DataTable).focus()
            self._after_load = f"“{view.title}” now covers {topic}."
            self.load()
            self.app.data_changed()

        run_db(self, lambda s, learner: resources.link_topic(s, learner, rid, self.app.ctx.catalog,
                                                             self.topic),
               linked, write=True, failed=lambda m: self.say(plain(m), error=True))

    @on(Input.Submitted, "#resources-picker Input")
    def _link_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_link()

    def action_unlink(self) -> None:
        rid = self._need_selection()
        if rid is None:
            return
        from tracker.services import resources

        def unlinked(result) -> None:
            view, topic, _ = result
            self._after_load = (f"“{view.title}” no longer covers {topic}; "
                                "it stays among the goal's resources.")
            self.load()
            self.app.data_changed()

        run_db(self, lambda s, learner: resources.unlink_topic(s, learner, rid, self.app.ctx.catalog,
                                                               self.topic),
               unlinked, write=True, failed=lambda m: self.say(plain(m), error=True))

    def action_close(self) -> None:
        for row_id in ("#resources-progress", "#resources-link"):
            row = self.query_one(row_id)
            if row.display:  # escape leaves an open box first
                row.display = False
                self.query_one(DataTable).focus()
                self.say("")
                return
        self.dismiss(None)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        action = {"resources-done": self.action_mark_done, "resources-set": self.action_progress,
                  "resources-add": self.action_add, "resources-link-button": self.action_link,
                  "resources-unlink": self.action_unlink, "resources-close": self.dismiss}
        action[event.button.id]()


class ResourceFormScreen(ModalScreen[bool]):
    """Add a resource covering one topic; returns True once it is stored."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Add"),
        Binding("escape", "dismiss(False)", "Cancel"),
    ]

    def __init__(self, goal_id: int, exam_code: str, topic: str):
        super().__init__()
        self.goal_id = goal_id
        self.exam_code = exam_code
        self.topic = topic

    def compose(self) -> ComposeResult:
        with Vertical(id="resource-form", classes="dialog"):
            yield Static(Doc().add("Add a resource for ").add(self.topic, "bold").content(),
                         classes="dialog-title")
            with Horizontal(classes="form-row"):
                yield Label("Title")
                yield Input(placeholder="SAA-C03 video course", id="resource-title")
            with Horizontal(classes="form-row"):
                yield Label("Kind")
                yield Select([(k, k) for k in RESOURCE_KINDS], prompt="Pick a kind", id="resource-kind")
            with Horizontal(classes="form-row"):
                yield Label("Size")
                yield Input(placeholder="optional: 42 or 42 lectures", id="resource-units")
            yield Static(id="resource-error", classes="form-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Add (ctrl+s)", variant="primary", id="resource-add")
                yield Button("Cancel (esc)", id="resource-cancel")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#resource-title", Input).focus()

    def _error(self, message: str) -> None:
        self.query_one("#resource-error", Static).update(literal(plain(message)))

    @on(Input.Submitted)
    @on(Button.Pressed, "#resource-add")
    def action_save(self) -> None:
        from tracker.errors import TrackerError
        from tracker.services.resources import check_kind, check_title, parse_units

        title = self.query_one("#resource-title", Input).value
        kind = self.query_one("#resource-kind", Select).value
        units = self.query_one("#resource-units", Input).value.strip()
        # Checked here first so a mistake is shown at once and nothing is written.
        try:
            title = check_title(title)
            if kind is Select.NULL:
                self._error("Pick what kind of resource it is.")
                return
            kind = check_kind(str(kind))
            total, unit_name = parse_units(units) if units else (None, None)
        except TrackerError as exc:
            self._error(str(exc))
            return

        def add(session, learner):
            from tracker.models import Goal
            from tracker.services import resources

            goal = session.get(Goal, self.goal_id)
            return resources.add_resource(
                session, learner, goal, self.app.ctx.catalog.exam(goal.exam_code), title=title,
                kind=kind, units_total=total, unit_name=unit_name, topics=[self.topic])

        def added(view) -> None:
            self.app.notify(f"Added resource “{view.title}”.", timeout=3, markup=False)
            self.dismiss(True)

        run_db(self, add, added, write=True, failed=self._error)

    @on(Button.Pressed, "#resource-cancel")
    def _cancel(self) -> None:
        self.dismiss(False)
