"""Reports: totals by exam, domain, topic, tag, day, week or month for a
period, with a bar chart — the same SQL aggregations as `certjourney report`."""

from __future__ import annotations

from datetime import date, timedelta

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Select, Static

from tracker.tui.text import cell, clock_text, literal
from tracker.tui.views.base import View

GROUPINGS = [("Exam", "cert"), ("Domain", "domain"), ("Topic", "topic"), ("Tag", "tag"),
             ("Day", "day"), ("Week", "week"), ("Month", "month")]
PERIODS = [("This week", "week"), ("Last 7 days", "7d"), ("This month", "month"),
           ("Last 30 days", "30d"), ("Last 12 weeks", "12w"), ("This year", "year"),
           ("All time", "all")]
BAR = 30


def period_dates(period: str, today: date) -> tuple[date | None, date | None]:
    if period == "week":
        return today - timedelta(days=today.weekday()), today
    if period == "7d":
        return today - timedelta(days=6), today
    if period == "month":
        return today.replace(day=1), today
    if period == "30d":
        return today - timedelta(days=29), today
    if period == "12w":
        return today - timedelta(days=today.weekday()) - timedelta(weeks=11), today
    if period == "year":
        return today.replace(month=1, day=1), today
    return None, None


class ReportsView(View):
    BINDINGS = [Binding("g", "focus_grouping", "Grouping"), Binding("p", "focus_period", "Period")]

    def compose(self) -> ComposeResult:
        with Horizontal(id="reports-controls"):
            yield Select(GROUPINGS, value="cert", allow_blank=False, id="reports-by")
            yield Select(PERIODS, value="12w", allow_blank=False, id="reports-period")
        yield Static(id="reports-total")
        yield DataTable(id="reports-table", cursor_type="row", zebra_stripes=True)

    def fetch(self, session, learner_id: int):
        from tracker import clock
        from tracker.services.reports import build_report

        by = self.query_one("#reports-by", Select).value
        period = self.query_one("#reports-period", Select).value
        by = by if isinstance(by, str) else "cert"  # blank while the Select mounts
        period = period if isinstance(period, str) else "12w"
        start, end = period_dates(str(period), clock.today())
        return build_report(session, learner_id, self.ctx.catalog, by=str(by), start=start, end=end)

    def show(self, report) -> None:
        span = f"{report.start} to {report.end}" if report.start else "all time"
        self.query_one("#reports-total", Static).update(
            literal(f"Total {clock_text(report.total_seconds)} ({report.total_seconds / 3600:.1f} h), "
                    f"{span}, by {report.by}"))
        table = self.query_one(DataTable)
        if not table.columns:
            table.add_columns("Name", "Time", "Share", "Weight", "")
        table.clear()
        top = max((g.seconds for g in report.groups), default=0) or 1
        for g in report.groups:
            if g.weight_min is None:
                weight = ""
            elif g.weight_min == g.weight_max:
                weight = f"{g.weight_min:g}%"
            else:
                weight = f"{g.weight_min:g}–{g.weight_max:g}%"
            bar = "█" * max(1 if g.seconds else 0, round(g.seconds / top * BAR))
            table.add_row(cell(g.name), clock_text(g.seconds), f"{g.share:.0%}", weight,
                          cell(bar, "cyan"))
        if not report.groups:
            table.add_row(cell("No entries in this period."), "", "", "", "")

    @on(Select.Changed)
    def _changed(self) -> None:
        if self.app.ready:
            self.load()

    def action_focus_grouping(self) -> None:
        self.query_one("#reports-by", Select).focus()

    def action_focus_period(self) -> None:
        self.query_one("#reports-period", Select).focus()
