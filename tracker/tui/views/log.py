"""The log view (being written)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from tracker.tui.views.base import View


class LogView(View):
    def compose(self) -> ComposeResult:
        yield Static("Coming soon.")

    def load(self) -> None:
        pass
