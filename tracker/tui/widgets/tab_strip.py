"""The row of tabs, drawn by one widget.

Textual's TabbedContent builds fifteen widgets for six tabs (a tab, a pane
and their containers each); every widget costs start-up time, and this row
is on screen from the first paint. Here the labels and the underline are one
renderable; clicks are mapped to a tab by column. Left/right move between
tabs when the row has focus (and leave the focus there); the app binds 1–6
as well.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.events import Click
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

PAD = 1  # spaces either side of a label, as Textual's tabs have


class TabStrip(Widget, can_focus=True):
    DEFAULT_CSS = """
    TabStrip {
        height: 2;
        width: 1fr;
    }
    """

    BINDINGS = [
        Binding("left", "move(-1)", "Previous tab", show=False),
        Binding("right", "move(1)", "Next tab", show=False),
    ]

    active: reactive[str] = reactive("", init=False)

    class Changed(Message):
        """Another tab was chosen."""

        def __init__(self, strip: TabStrip, key: str, keep_focus: bool) -> None:
            super().__init__()
            self.strip = strip
            self.key = key
            self.keep_focus = keep_focus  # moved with the arrow keys: the row keeps the focus

        @property
        def control(self) -> TabStrip:
            return self.strip

    def __init__(self, tabs: list[tuple[str, str]], active: str, *, id: str | None = None) -> None:
        """``tabs``: (key, title) pairs in order; ``active``: the key shown first."""
        super().__init__(id=id)
        self.tabs = list(tabs)
        self._by_arrow = False
        self.set_reactive(TabStrip.active, active)

    def spans(self) -> list[tuple[str, int, int]]:
        """(key, first column, column after the last) of each label with its padding."""
        out, x = [], 0
        for key, title in self.tabs:
            width = len(title) + 2 * PAD
            out.append((key, x, x + width))
            x += width
        return out

    def render(self) -> Content:
        parts: list[tuple[str, str]] = []
        line: list[tuple[str, str]] = []
        for (key, title), (_, start, end) in zip(self.tabs, self.spans(), strict=True):
            label = " " * PAD + title + " " * PAD
            if key == self.active:
                style = ("bold $block-cursor-foreground on $block-cursor-background" if self.has_focus
                         else "bold $foreground")
                parts.append((label, style))
                line.append(("━" * (end - start), "$accent"))
            else:
                parts.append((label, "$foreground-muted"))
                line.append(("━" * (end - start), "$foreground 15%"))
        rest = max(0, self.size.width - sum(len(text) for text, _ in line))
        line.append(("━" * rest, "$foreground 15%"))
        return Content.assemble(*parts, "\n", *line)

    def watch_active(self, key: str) -> None:
        self.post_message(self.Changed(self, key, keep_focus=self._by_arrow))
        self._by_arrow = False

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_click(self, event: Click) -> None:
        for key, start, end in self.spans():
            if start <= event.x < end:
                self.active = key
                return

    def action_move(self, step: int) -> None:
        keys = [key for key, _ in self.tabs]
        self._by_arrow = True
        self.active = keys[(keys.index(self.active) + step) % len(keys)]
