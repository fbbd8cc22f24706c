"""An input with a fuzzy drop-down of choices (exam codes, topics)."""

from __future__ import annotations

from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from tracker.tui.fuzzy import fuzzy_filter


class PickerInput(Vertical):
    """Type to filter; up/down to move, enter or tab to take a choice, escape to close."""

    DEFAULT_CSS = """
    PickerInput {
        height: auto;
        width: 1fr;
        & > Input { width: 1fr; }
        & > OptionList {
            display: none;
            overlay: screen;
            constrain: none inside;
            max-height: 8;
            width: 1fr;
            border: tall $border-blurred;
            background: $surface;
        }
        &.-open > OptionList { display: block; }
    }
    """

    BINDINGS = [
        Binding("down", "move(1)", "Next choice", show=False),
        Binding("up", "move(-1)", "Previous choice", show=False),
        Binding("escape", "close", "Close", show=False),
    ]

    class Picked(Message):
        """A choice was taken (or the text was confirmed)."""

        def __init__(self, picker: PickerInput, value: str) -> None:
            super().__init__()
            self.picker = picker
            self.value = value

        @property
        def control(self) -> PickerInput:
            return self.picker

    def __init__(self, choices: list[str] | None = None, *, placeholder: str = "",
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.choices = list(choices or [])
        self._placeholder = placeholder
        self._quiet = False

    def compose(self) -> ComposeResult:
        # The drop-down is mounted the first time there is something to show:
        # an option list costs as much to build as the rest of the timer bar.
        yield Input(placeholder=self._placeholder)

    def _options(self) -> OptionList:
        found = self.query(OptionList)
        if found:
            return found.first()
        options = OptionList()
        self.mount(options)
        return options

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @property
    def value(self) -> str:
        return self.input.value.strip()

    def set_value(self, value: str) -> None:
        self._quiet = True
        self.input.value = value
        self._quiet = False
        self.remove_class("-open")

    def set_choices(self, choices: list[str]) -> None:
        self.choices = list(choices)

    @on(Input.Changed)
    def _filter(self, event: Input.Changed) -> None:
        event.stop()
        if self._quiet or not self.input.has_focus:
            return
        matches = fuzzy_filter(event.value, self.choices)
        if not matches and not self.query(OptionList):
            return
        options = self._options()
        options.clear_options()
        # Content, not str: a choice is user text (a note's heading), never markup.
        options.add_options([Option(Content(m)) for m in matches])
        if matches and event.value.strip() and matches[0].casefold() != event.value.strip().casefold():
            options.highlighted = 0
            self.add_class("-open")
        else:
            self.remove_class("-open")

    def _take(self, value: str) -> None:
        self.set_value(value)
        self.input.cursor_position = len(value)
        self.post_message(self.Picked(self, value))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if self.has_class("-open"):
            event.stop()
            options = self.query_one(OptionList)
            if options.highlighted is not None:
                self._take(str(options.get_option_at_index(options.highlighted).prompt))
                return
        self.remove_class("-open")

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._take(str(event.option.prompt))
        self.input.focus()

    def action_move(self, step: int) -> None:
        if not self.has_class("-open"):
            return
        options = self.query_one(OptionList)
        count = options.option_count
        if count:
            current = options.highlighted or 0
            options.highlighted = (current + step) % count

    def action_close(self) -> None:
        if not self.has_class("-open"):
            raise SkipAction()  # let escape reach the dialog or screen
        self.remove_class("-open")

    def on_descendant_blur(self) -> None:
        # Wait a beat: a click on a choice moves focus to the list first.
        self.set_timer(0.15, self._close_if_left)

    def _close_if_left(self) -> None:
        focused = self.screen.focused if self.is_mounted else None
        if focused is None or not (focused is self or self in focused.ancestors):
            self.remove_class("-open")
