"""The ? screen: every key, and what each tab shows."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tracker.tui.text import Doc

HELP = [
    ("Everywhere", [
        ("ctrl+t / t", "start or stop the timer (t when no text box has focus)"),
        ("o", "continue the last entry"),
        ("1 … 6", "Dashboard, Log, Coverage, Practice, Weak areas, Reports (on Coverage,"
                   " 1-5 rate the topic: use ctrl+p, a click or shift+tab to the tabs)"),
        ("← →", "previous / next tab while the tab row has the focus"),
        ("ctrl+p", "command palette: every action by name"),
        ("?", "this help"), ("q", "quit (a running timer keeps running)"),
    ]),
    ("Timer bar", [
        ("type", "what you study; exam and topic boxes complete fuzzily (↑↓, enter)"),
        ("enter", "start the timer"),
    ]),
    ("Log", [
        ("a", "add an entry"), ("e / enter", "edit the selected entry"),
        ("s", "split it"), ("d", "delete it (asks first)"), ("c", "continue it"),
        ("f", "filter by exam, topic, tag or dates"), ("r", "reload"),
    ]),
    ("Coverage", [("1…5 / c", "rate your confidence in the selected topic"),
                  ("n / R / a", "the topic's notes, its resources, add a resource"),
                  ("l / u", "in the notes or resources dialog: link one to the topic, unlink one")]),
    ("Practice", [("a", "record a practice attempt with per-domain scores"),
                  ("x", "remove the selected attempt (asks first)"), ("g", "next goal")]),
    ("Weak areas", [("x", "export an Anki deck of the weakest topics")]),
    ("Reports", [("g", "change the grouping"), ("p", "change the period")]),
]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        text = Doc()
        text.add("certjourney — keys\n\n", "bold")
        for section, keys in HELP:
            text.add(f"{section}\n", "bold $accent")
            for key, what in keys:
                text.add(f"  {key:<14}", "bold")
                text.add(f"{what}\n")
            text.add("\n")
        text.add("Colours always come with words: ✓ met / ✗ not met, BEHIND PACE, READY.",
                    style="dim")
        with VerticalScroll(id="help-box", classes="dialog"):
            yield Static(text.content())
