"""A yes/no question in a modal box; dismisses with True (yes) or False (no)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tracker.tui.text import literal


class ConfirmScreen(ModalScreen[bool]):
    """Ask before doing something that cannot be undone.

    ``message`` is shown literally when it is a plain string (it may hold user
    text); pass Content to style it. "No" has the focus, so a stray enter is safe.
    """

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, title: str, message: str | Content = "", *, yes: str = "Yes",
                 no: str = "No", danger: bool = False) -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.yes_label = yes
        self.no_label = no
        self.danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="confirm-box"):
            yield Static(literal(self.title_text), classes="dialog-title")
            if self.message:
                message = self.message if isinstance(self.message, Content) else literal(self.message)
                yield Static(message, id="confirm-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.yes_label, variant="error" if self.danger else "primary",
                             id="confirm-yes")
                yield Button(self.no_label, id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    @on(Button.Pressed, "#confirm-yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def _no(self) -> None:
        self.dismiss(False)

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
