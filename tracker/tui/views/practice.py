"""The practice view: the attempts of one open goal (newest first) with their
verdict against the pass mark and per-domain scores, and each domain's trend
from its first score to its latest. Record an attempt (a), remove one (x)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Label, Select, Static

from tracker.tui.text import literal
from tracker.tui.views.base import View
from tracker.tui.views.coverage import fit
from tracker.tui.worker import run_db

LOW_PRACTICE = 70.0  # as weakness.LOW_DOMAIN_SCORE: a domain under it is weak
SPARKS = "▁▂▃▄▅▆▇█"
SPARK_POINTS = 8


def pct(value: float, sign: bool = False) -> str:
    """78 -> '78%', 78.46 -> '78.5%'; with ``sign``: '+15', '-2.5' (as the CLI prints)."""
    text = f"{value:{'+' if sign else ''}.1f}".rstrip("0").rstrip(".")
    return text if sign else f"{text}%"


def sparkline(values: list[float]) -> str:
    """One bar per score on a fixed 0-100 scale, so domains compare at a glance."""
    return "".join(SPARKS[min(len(SPARKS) - 1, int(v / 100 * len(SPARKS)))]
                   for v in values[-SPARK_POINTS:])


@dataclass(frozen=True)
class PracticeData:
    goals: list[tuple[int, str, str]]   # (goal id, exam code, exam name), open goals
    goal_id: int | None
    exam_code: str | None
    pass_text: str
    domains: list[tuple[int, str]]      # (number, name) in the exam's order
    attempts: list                      # AttemptView, oldest first
    trends: list                        # DomainTrend


class PracticeView(View):
    BINDINGS = [
        Binding("a", "add_attempt", "Add attempt"),
        Binding("x", "remove_attempt", "Remove"),
        Binding("g", "next_goal", "Next goal"),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.goal_id: int | None = None
        self.data: PracticeData | None = None
        self._listed: list | None = None  # the goals in the Select, to refill it only on change

    def compose(self) -> ComposeResult:
        with Horizontal(id="practice-top"):
            yield Label("Goal")
            yield Select([], prompt="No open goal", id="practice-goal", compact=True)
            yield Static(id="practice-mark")
        yield DataTable(id="practice-attempts", cursor_type="row", zebra_stripes=True)
        yield Static("Trend per domain: first → latest", id="practice-trend-title")
        trends = DataTable(id="practice-trends", cursor_type="none", zebra_stripes=True)
        trends.can_focus = False  # read-only: focus stays on the attempts
        yield trends

    # --- data -----------------------------------------------------------------

    def fetch(self, session, learner_id: int) -> PracticeData:
        from sqlalchemy import select

        from tracker.models import OPEN_STATUSES, Goal
        from tracker.services import practice

        catalog = self.ctx.catalog
        goals = [g for g in session.execute(
            select(Goal).where(Goal.learner_id == learner_id, Goal.status.in_(OPEN_STATUSES))
            .order_by(Goal.exam_date, Goal.id)
        ).scalars() if catalog.find(g.exam_code) is not None]
        listed = [(g.id, g.exam_code, catalog.exam(g.exam_code).name) for g in goals]
        goal = next((g for g in goals if g.id == self.goal_id), goals[0] if goals else None)
        if goal is None:
            return PracticeData(listed, None, None, "", [], [], [])
        exam = catalog.exam(goal.exam_code)
        views = practice.attempts(session, goal.id, exam)
        mark = practice.pass_pct(exam)
        if mark is None:
            pass_text = f"{exam.vendor} publishes no pass mark: no pass/fail verdict"
        else:
            pass_text = f"Pass mark {exam.pass_mark}/{exam.score_max} = {pct(mark)}"
        return PracticeData(listed, goal.id, exam.code, pass_text,
                            [(d.number, d.name) for d in exam.domains], views,
                            practice.domain_trends(views, exam))

    def show(self, data: PracticeData) -> None:
        self.data = data
        self.goal_id = data.goal_id
        select = self.query_one("#practice-goal", Select)
        with self.prevent(Select.Changed):  # filling the list is not the user choosing
            if self._listed != data.goals:
                self._listed = data.goals
                select.set_options([(literal(f"{code} {name}"), gid) for gid, code, name in data.goals])
            if data.goal_id is not None and select.value != data.goal_id:
                select.value = data.goal_id
        self.query_one("#practice-mark", Static).update(literal(data.pass_text))
        self._fill_attempts(data)
        self._fill_trends(data)

    def _fill_attempts(self, data: PracticeData) -> None:
        colours = self.app.theme_variables
        table = self.query_one("#practice-attempts", DataTable)
        selected = self.selected_attempt()
        table.clear(columns=True)
        # The label goes last: on a narrow terminal it is what scrolls out of sight.
        table.add_columns("Date", "Score", "Result", "Type",
                          *[f"D{number}" for number, _ in data.domains], "Label")
        if not data.attempts:
            return
        for v in reversed(data.attempts):  # newest first: the latest matters most
            score = pct(v.score_pct) + (f" ({v.scaled_score}/{v.scale_max})" if v.scale_max else "")
            if v.passed is None:
                result = Text("—" if v.full else "no verdict", style=colours.get("text-muted", ""))
            elif v.passed:
                result = Text("✓ pass", style=colours.get("success", ""))
            else:
                result = Text("✗ fail", style=colours.get("error", ""))
            cells = []
            for _, name in data.domains:
                value = v.domains.get(name)
                if value is None:
                    cells.append(Text("—", style=colours.get("text-muted", "")))
                elif value < LOW_PRACTICE:
                    cells.append(Text(f"{pct(value)} ✗", style=colours.get("error", "")))
                else:
                    cells.append(Text(pct(value)))
            table.add_row(Text(v.taken_on.isoformat()), Text(score), result,
                          Text("full" if v.full else "partial"), *cells, Text(v.label or ""),
                          key=str(v.id))
        if selected is not None and any(v.id == selected for v in data.attempts):
            table.move_cursor(row=table.get_row_index(str(selected)))

    def _fill_trends(self, data: PracticeData) -> None:
        colours = self.app.theme_variables
        table = self.query_one("#practice-trends", DataTable)
        table.clear(columns=True)
        table.add_columns("Domain", "First", "Latest", "Change", "Scores")
        number = {name: n for n, name in data.domains}
        room = max(16, self.size.width - 44)  # the domain name gives way on a narrow terminal
        for t in data.trends:
            scores = [v.domains[t.domain] for v in data.attempts if t.domain in v.domains]
            if t.attempts < 2:
                change = Text("one score so far", style=colours.get("text-muted", ""))
            elif abs(t.change) < 0.05:
                change = Text("→ 0 no change")
            elif t.change > 0:
                change = Text(f"↑ {pct(t.change, sign=True)} better", style=colours.get("success", ""))
            else:
                change = Text(f"↓ {pct(t.change, sign=True)} worse", style=colours.get("error", ""))
            latest = Text(pct(t.latest) + (" ✗" if t.latest < LOW_PRACTICE else ""),
                          style=colours.get("error", "") if t.latest < LOW_PRACTICE else "")
            name = f"D{number[t.domain]} {t.domain}" if t.domain in number else t.domain
            table.add_row(Text(fit(name, room).rstrip()), Text(pct(t.first)), latest, change,
                          Text(sparkline(scores)))
        if not data.trends:
            message = ("No open goal: add one with ctrl+p, “Add a goal”." if data.goal_id is None else
                       "No practice attempts yet. Press a to record one." if not data.attempts else
                       "No per-domain scores yet: add them when you record an attempt.")
            table.add_row(Text(message, style=colours.get("text-muted", "")), "", "", "", "")

    def selected_attempt(self) -> int | None:
        table = self.query_one("#practice-attempts", DataTable)
        if not table.row_count:
            return None
        return int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def on_resize(self) -> None:
        if self.data is not None:
            self._fill_trends(self.data)

    @on(Select.Changed, "#practice-goal")
    def _goal_chosen(self, event: Select.Changed) -> None:
        if event.value is not Select.NULL and event.value != self.goal_id:
            self.goal_id = event.value
            self.load()

    # --- actions --------------------------------------------------------------

    def action_next_goal(self) -> None:
        goals = [g[0] for g in self.data.goals] if self.data else []
        if len(goals) < 2:
            self.app.notify("There is only one open goal." if goals else "There is no open goal.",
                            timeout=3)
            return
        at = goals.index(self.goal_id) if self.goal_id in goals else -1
        self.query_one("#practice-goal", Select).value = goals[(at + 1) % len(goals)]

    def action_add_attempt(self) -> None:
        from tracker.tui.screens.attempt_form import AttemptFormScreen

        if self.data is None or self.data.goal_id is None:
            self.app.notify("Add a goal first (ctrl+p, “Add a goal”).", severity="warning")
            return

        def recorded(view) -> None:
            if view is None:
                return
            verdict = {True: " — pass", False: " — fail", None: ""}[view.passed]
            self.app.notify(f"Recorded a practice attempt: {pct(view.score_pct)}{verdict}",
                            timeout=4, markup=False)
            self.app.data_changed()

        self.app.push_screen(AttemptFormScreen(self.data.goal_id, self.data.exam_code), recorded)

    def action_remove_attempt(self) -> None:
        attempt_id = self.selected_attempt()
        view = next((v for v in self.data.attempts if v.id == attempt_id), None) if self.data else None
        if view is None:
            self.app.notify("There is no attempt to remove.", severity="warning", timeout=3)
            return
        from tracker.tui.screens.confirm import ConfirmScreen

        what = f"the attempt of {view.taken_on} ({pct(view.score_pct)}"
        what += f", {view.label})" if view.label else ")"

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            from tracker.services import practice

            def done(_) -> None:
                self.app.notify(f"Removed {what}.", timeout=3, markup=False)
                self.app.data_changed()

            run_db(self, lambda s, learner: practice.remove_attempt(s, learner, view.id), done,
                   write=True)

        self.app.push_screen(ConfirmScreen("Remove this practice attempt?",
                                           f"Remove {what} and its domain scores?",
                                           yes="Remove (y)", no="Keep it (n)", danger=True),
                             answered)

