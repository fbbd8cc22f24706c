"""The dashboard: each open goal at a glance, study hours per week, and the
journey of passed certifications."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from tracker.services.overview import Dashboard, GoalCard
from tracker.tui.text import Doc, meter
from tracker.tui.views.base import View

BARS = " ▁▂▃▄▅▆▇█"


def week_chart(weeks, height: int = 6, text: Doc | None = None):
    """Vertical bars, one per week (oldest first), the day of the week's Monday below."""
    top = max((h for _, h in weeks), default=0) or 1
    text = text if text is not None else Doc()
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
    text.line("".join(f"{monday:%d} " for monday, _ in weeks), "dim")
    text.line(f"max {top:.1f} h a week", "dim")
    return text


def goal_card(card: GoalCard):
    text = Doc()
    text.add(card.exam_code, "bold").add("  ").add(card.exam_name).line(f"  ({card.status})", "dim")
    if card.exam_date:
        text.add(f"Exam {card.exam_date} — {card.countdown}\n")
    else:
        text.add("No exam date yet\n", "dim")
    if card.target_hours:
        share = min(1.0, card.hours_logged / card.target_hours)
        text.add(f"{meter(share, 24)} {card.hours_logged:.1f}/{card.target_hours:g} h\n")
    else:
        text.add(f"{card.hours_logged:.1f} h logged (no target)\n")
    if card.hours_per_day_needed is not None:
        label = "BEHIND PACE" if card.behind_pace else "on pace"
        text.add(f"Needs {card.hours_per_day_needed:.1f} h/day · pace {card.pace_hours_per_day:.1f} h/day "
                 f"· {label}\n", "bold $warning" if card.behind_pace else "")
    ready = "READY to book" if card.ready else "not ready"
    text.add(f"Readiness: {ready}\n", "bold $success" if card.ready else "")
    for c in card.readiness:
        mark = "✓ met    " if c.met else "✗ not met"
        text.add(f"  {mark} ", "$success" if c.met else "$error")
        text.add(f"{c.name} ({c.detail})\n")
    if card.weakest:
        text.add("Weakest: ", "bold")
        text.add(", ".join(card.weakest), "$warning")
        text.add("\n")
    return text.content()


def side_panel(data: Dashboard):
    """The right column: hours per week, then the journey."""
    text = Doc().line("Study hours per week", "bold $accent")
    week_chart(data.weeks, text=text)
    text.line().line("Journey", "bold $accent")
    for m in data.milestones:
        when = m.when.isoformat() if m.when else "—"
        mark = {"passed": "✓ pass", "expired": "✓ exp.", "failed": "✗ fail"}[m.status]
        text.add(f"{when} ", "dim").add(f"{m.exam_code:<8}", "bold")
        text.add(f" {mark}", "$success" if m.status == "passed" else "$warning")
        text.line(f" →{m.expires_on}" if m.expires_on else "", "dim")
    if not data.milestones:
        text.add("No results yet.", "dim")
    return text.content()


class DashboardView(View):
    # Three widgets: each costs start-up time, so the side column is one Static.
    def compose(self) -> ComposeResult:
        yield VerticalScroll(id="dash-goals")
        yield Static(id="dash-side")

    def fetch(self, session, learner_id: int) -> Dashboard:
        from tracker.services.overview import dashboard

        return dashboard(session, learner_id, self.ctx.catalog)

    def show(self, data: Dashboard) -> None:
        box = self.query_one("#dash-goals", VerticalScroll)
        box.remove_children()
        if not data.goals:
            box.mount(Static("No open goals. Press ctrl+p and choose “Add a goal”.", classes="goal-card"))
        for card in data.goals:
            widget = Static(goal_card(card), classes="goal-card")
            widget.border_title = card.exam_code
            if card.ready:
                widget.add_class("-ready")
            box.mount(widget)
        self.query_one("#dash-side", Static).update(side_panel(data))
        self.app.dashboard_painted()
