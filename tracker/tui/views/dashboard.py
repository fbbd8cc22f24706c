"""The dashboard: each open goal at a glance, study hours per week, and the
journey of passed certifications."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Static

from tracker.tui.text import Doc, meter
from tracker.tui.views.base import View

WEEKS = 12
BARS = " ▁▂▃▄▅▆▇█"


@dataclass(frozen=True)
class DashboardData:
    goals: list          # GoalProgress
    weeks: list[tuple[str, float]]   # (Monday label, hours), oldest first
    milestones: list     # journey.Milestone, passed ones


def week_chart(weeks: list[tuple[str, float]], height: int = 6):
    """Vertical bars, one per week (oldest first), the week's Monday below."""
    top = max((h for _, h in weeks), default=0) or 1
    text = Doc()
    for row in range(height, 0, -1):
        for _, h in weeks:
            level = h / top * height
            if level >= row:
                cell = "██"
            elif level > row - 1:
                cell = BARS[max(1, round((level - row + 1) * 8))] * 2
            else:
                cell = "  "
            text.add(cell + " ", "bold $accent" if h == top else "")
        text.line()
    text.line("".join(f"{label:<3}" for label, _ in weeks), "dim")
    text.add(f"max {top:.1f} h a week", "dim")
    return text.content()


def goal_card(p):
    g = p.goal
    text = Doc()
    text.add(g.exam_code, "bold").add("  ").add(p.exam_name).line(f"  ({g.status})", "dim")
    if g.exam_date:
        text.add(f"Exam {g.exam_date} — {p.countdown}\n")
    else:
        text.add("No exam date yet\n", "dim")
    if p.target_hours:
        share = min(1.0, p.hours_logged / p.target_hours)
        text.add(f"{meter(share, 24)} {p.hours_logged:.1f}/{p.target_hours:g} h\n")
    else:
        text.add(f"{p.hours_logged:.1f} h logged (no target)\n")
    if p.hours_per_day_needed is not None:
        behind = p.projected_hours is not None and p.target_hours and p.projected_hours < p.target_hours
        style = "bold $warning" if behind else ""
        label = "BEHIND PACE" if behind else "on pace"
        text.add(f"Needs {p.hours_per_day_needed:.1f} h/day · pace {p.pace_hours_per_day:.1f} h/day "
                    f"· {label}\n", style)
    ready = "READY to book" if p.ready else "not ready"
    text.add(f"Readiness: {ready}\n", "bold $success" if p.ready else "")
    for c in p.readiness:
        mark = "✓ met    " if c.met else "✗ not met"
        text.add(f"  {mark} ", "$success" if c.met else "$error")
        text.add(f"{c.name} ({c.detail})\n")
    if p.weakest:
        text.add("Weakest: ", "bold")
        text.add(", ".join(w.topic for w in p.weakest), "$warning")
        text.add("\n")
    return text.content()


class DashboardView(View):
    def compose(self) -> ComposeResult:
        with Horizontal(id="dash-top"):
            yield VerticalScroll(id="dash-goals")
            with Vertical(id="dash-side"):
                yield Static("Study hours per week", classes="dash-title")
                yield Static(id="dash-chart")
                yield Static("Journey", classes="dash-title")
                yield Static(id="dash-journey")

    def fetch(self, session, learner_id: int) -> DashboardData:
        from sqlalchemy import select

        from tracker import clock
        from tracker.models import OPEN_STATUSES, Goal
        from tracker.services.journey import journey
        from tracker.services.progress import goal_progress
        from tracker.services.reports import build_report

        goals = session.execute(
            select(Goal).where(Goal.learner_id == learner_id, Goal.status.in_(OPEN_STATUSES))
            .order_by(Goal.exam_date, Goal.id)
        ).scalars().all()
        catalog = self.ctx.catalog
        progress = [goal_progress(session, g, catalog.exam(g.exam_code), catalog) for g in goals]
        today = clock.today()
        monday = today - timedelta(days=today.weekday())
        first = monday - timedelta(weeks=WEEKS - 1)
        report = build_report(session, learner_id, catalog, by="week", start=first, end=today)
        by_week = {g.name[:10]: g.seconds for g in report.groups}
        weeks = []
        for i in range(WEEKS):
            day = first + timedelta(weeks=i)
            weeks.append((day.strftime("%d"), by_week.get(day.isoformat(), 0) / 3600))
        passed = [m for m in journey(session, learner_id, catalog)
                  if m.goal.status in ("passed", "expired", "failed")]
        return DashboardData(progress, weeks, passed)

    def show(self, data: DashboardData) -> None:
        box = self.query_one("#dash-goals", VerticalScroll)
        box.remove_children()
        if not data.goals:
            box.mount(Static("No open goals. Press ctrl+p and choose “Add a goal”.", classes="goal-card"))
        for p in data.goals:
            card = Static(goal_card(p), classes="goal-card")
            card.border_title = p.goal.exam_code
            if p.ready:
                card.add_class("-ready")
            box.mount(card)
        self.query_one("#dash-chart", Static).update(week_chart(data.weeks))
        journey = Doc()
        for m in data.milestones:
            g = m.goal
            when = m.when.isoformat() if m.when else "—"
            mark = {"passed": "✓ pass", "expired": "✓ exp.", "failed": "✗ fail"}[g.status]
            journey.add(f"{when} ", "dim").add(f"{g.exam_code:<8}", "bold")
            journey.add(f" {mark}", "$success" if g.status == "passed" else "$warning")
            journey.line(f" →{g.expires_on}" if g.expires_on else "", "dim")
        self.query_one("#dash-journey", Static).update(
            journey.content() if journey else Doc().add("No results yet.", "dim").content())
        self.app.dashboard_painted()
