"""Export an Anki deck of the weakest topics to a path the user chooses,
with progress shown and a notification saying how many cards went where."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, LoadingIndicator, Static

from tracker.tui.text import literal
from tracker.tui.worker import run_db


class ExportAnkiScreen(ModalScreen[bool]):
    BINDINGS = [Binding("escape", "dismiss(False)", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(id="export-anki", classes="dialog"):
            yield Static("Export an Anki deck of your weakest topics", classes="dialog-title")
            with Horizontal(classes="form-row"):
                yield Label("Exam")
                yield Input(placeholder="exam code (blank: every open goal)", id="export-cert")
            with Horizontal(classes="form-row"):
                yield Label("Weakest topics")
                yield Input("5", id="export-top")
            with Horizontal(classes="form-row"):
                yield Label("Save to")
                yield Input(str(Path.home() / "certjourney-weak.apkg"), id="export-path")
            yield Static("", id="export-error", classes="form-error")
            yield LoadingIndicator(id="export-busy")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Export", variant="primary", id="export-go")
                yield Button("Cancel", id="export-cancel")

    def on_mount(self) -> None:
        self.query_one("#export-busy").display = False
        codes = getattr(self.app, "goal_codes", [])
        if len(codes) == 1:
            self.query_one("#export-cert", Input).value = codes[0]
        self.query_one("#export-path", Input).focus()

    @on(Button.Pressed, "#export-cancel")
    def _cancel(self) -> None:
        self.dismiss(False)

    @on(Input.Submitted)
    @on(Button.Pressed, "#export-go")
    def _export(self) -> None:
        code = self.query_one("#export-cert", Input).value.strip() or None
        top_text = self.query_one("#export-top", Input).value.strip()
        out = self.query_one("#export-path", Input).value.strip()
        if not top_text.isdigit() or not 1 <= int(top_text) <= 500:
            self._failed(f"the number of topics must be a whole number from 1 to 500, not {top_text!r}")
            return
        if not out:
            self._failed("say where to save the deck")
            return
        self.query_one("#export-busy").display = True
        self.query_one("#export-go", Button).disabled = True

        def export(session, learner):
            from exporters.anki_job import export_anki
            from tracker.cards import card_folders

            return export_anki(session, learner, self.app.ctx.catalog, out=out,
                               folders=card_folders(()), code=code, weak=True, top=int(top_text),
                               all_goals=code is None)

        run_db(self, export, self._done, write=True, failed=self._failed)

    def _done(self, result) -> None:
        summary = result.summary
        self.app.notify(f"Exported {summary.cards} cards ({summary.notes} notes) in "
                        f"{len(summary.per_deck)} decks to {result.target}", title="Anki deck written",
                        timeout=8, markup=False)  # the path is the user's own text
        if self.is_active:
            self.dismiss(True)
        else:  # another screen opened on top meanwhile: leave when it is back on top
            self._exported = True

    def on_screen_resume(self) -> None:
        if getattr(self, "_exported", False):
            self.dismiss(True)

    def _failed(self, message: str) -> None:
        self.query_one("#export-busy").display = False
        self.query_one("#export-go", Button).disabled = False
        self.query_one("#export-error", Static).update(literal(message))
