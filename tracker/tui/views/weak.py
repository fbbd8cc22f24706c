"""Weak areas: topics ranked from weakest, the reasons for the selected one,
and an Anki export of the top N."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from tracker.tui.text import Doc, cell
from tracker.tui.views.base import View

TOP = 40


class WeakView(View):
    BINDINGS = [Binding("x", "export", "Export Anki deck"), Binding("r", "reload", "Reload")]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.ranked: list = []

    def compose(self) -> ComposeResult:
        yield DataTable(id="weak-table", cursor_type="row", zebra_stripes=True)
        with Vertical(id="weak-reasons-box"):
            yield Static("Reasons", classes="weak-title")
            yield Static(id="weak-reasons")

    def fetch(self, session, learner_id: int):
        from sqlalchemy import select

        from tracker import clock
        from tracker.models import OPEN_STATUSES, Goal
        from tracker.services import evidence, weakness

        goals = session.execute(select(Goal).where(
            Goal.learner_id == learner_id, Goal.status.in_(OPEN_STATUSES))).scalars().all()
        topics = []
        for g in goals:
            topics += evidence.gather(session, g, self.ctx.catalog.exam(g.exam_code)).topics
        return weakness.rank(topics, clock.today(), TOP)

    def show(self, ranked) -> None:
        self.ranked = ranked
        table = self.query_one(DataTable)
        if not table.columns:
            table.add_columns("#", "Exam", "Domain", "Topic", "Score")
        row = table.cursor_row
        table.clear()
        for i, w in enumerate(ranked, 1):
            level = "weak" if w.score >= 50 else ("fair" if w.score >= 30 else "ok")
            style = {"weak": "bold red", "fair": "yellow", "ok": "green"}[level]
            table.add_row(str(i), w.cert, cell(w.domain), cell(w.topic),
                          cell(f"{w.score:5.1f} {level}", style), key=str(i))
        if ranked:
            table.move_cursor(row=min(row, len(ranked) - 1))
            self._show_reasons(min(row, len(ranked) - 1))
        else:
            self.query_one("#weak-reasons", Static).update("No open goals to rank.")

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_reasons(event.cursor_row)

    def _show_reasons(self, index: int) -> None:
        if not 0 <= index < len(self.ranked):
            return
        w = self.ranked[index]
        doc = Doc().add(w.topic, "bold").line(f"  ({w.cert} · {w.domain})", "dim")
        doc.line(f"score {w.score:.1f} of 100 — higher is weaker", "dim")
        for reason in w.reasons:
            doc.add("• ", "$warning").line(reason)
        if not w.reasons:
            doc.line("Nothing against this topic.", "$success")
        self.query_one("#weak-reasons", Static).update(doc.content())

    def action_reload(self) -> None:
        self.load()

    def action_export(self) -> None:
        from tracker.tui.screens.export_anki import ExportAnkiScreen

        self.app.push_screen(ExportAnkiScreen())
