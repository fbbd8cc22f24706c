"""Progress toward an exam date: countdown, hours against target, pace, plan,
readiness per domain and the readiness rule.

The readiness rule (also in the README) — ready when all three hold:
  1. the target hours are logged;
  2. the last three full practice attempts are each at or above the pass mark
     (the exam's pass mark as a percentage of its scale; 70% where the vendor
     publishes none);
  3. no domain is under 70% in its latest practice score.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session

from tracker import clock
from tracker.catalog import Exam
from tracker.models import Goal
from tracker.services import evidence as ev_service
from tracker.services.goals import GoalView, view
from tracker.services.plans import PlanView, get_plan, plan_view
from tracker.services.weakness import LOW_DOMAIN_SCORE, Weakness, rank
from tracker.timeparse import humanize_until

PACE_DAYS = 14
ATTEMPTS_FOR_READINESS = 3


@dataclass(frozen=True)
class DomainProgress:
    number: int
    name: str
    weight: float
    weight_min: float
    weight_max: float
    seconds: int
    share: float
    coverage: float
    practice_score: float | None
    confidence: float | None

    def to_json(self) -> dict:
        return {
            "number": self.number, "name": self.name, "weight": round(self.weight, 2),
            "weight_min": self.weight_min, "weight_max": self.weight_max,
            "hours": round(self.seconds / 3600, 2), "share": round(self.share, 4),
            "coverage": round(self.coverage, 3), "practice_score": self.practice_score,
            "confidence": None if self.confidence is None else round(self.confidence, 2),
        }


@dataclass(frozen=True)
class Condition:
    name: str
    met: bool
    detail: str

    def to_json(self) -> dict:
        return {"name": self.name, "met": self.met, "detail": self.detail}


@dataclass(frozen=True)
class GoalProgress:
    goal: GoalView
    exam_name: str
    days_left: int | None
    countdown: str | None
    hours_logged: float
    target_hours: float | None
    hours_per_day_needed: float | None
    pace_hours_per_day: float
    projected_hours: float | None
    plan: PlanView | None
    plan_gap_hours: float | None    # plan + logged - target: negative means short
    pass_percent: float
    pass_mark_published: bool
    domains: list[DomainProgress]
    readiness: list[Condition]
    weakest: list[Weakness] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return all(c.met for c in self.readiness)

    def to_json(self) -> dict:
        g = self.goal
        return {
            "cert": g.exam_code, "goal_id": g.id, "name": self.exam_name, "status": g.status,
            "exam_date": g.exam_date.isoformat() if g.exam_date else None,
            "days_left": self.days_left, "countdown": self.countdown,
            "hours_logged": round(self.hours_logged, 2), "target_hours": self.target_hours,
            "hours_per_day_needed": None if self.hours_per_day_needed is None
            else round(self.hours_per_day_needed, 2),
            "pace_hours_per_day": round(self.pace_hours_per_day, 2),
            "projected_hours": None if self.projected_hours is None else round(self.projected_hours, 1),
            "plan": self.plan.to_json() if self.plan else None,
            "plan_gap_hours": None if self.plan_gap_hours is None else round(self.plan_gap_hours, 1),
            "pass_percent": round(self.pass_percent, 1),
            "domains": [d.to_json() for d in self.domains],
            "readiness": [c.to_json() for c in self.readiness],
            "ready": self.ready,
            "weakest": [w.to_json() for w in self.weakest],
            "passed_on": g.passed_on.isoformat() if g.passed_on else None,
            "expires_on": g.expires_on.isoformat() if g.expires_on else None,
        }


def _coverage(topics) -> float:
    """Mean over the domain's topics of (time ratio + resource progress + notes) / 3."""
    if not topics:
        return 0.0
    total = 0.0
    for t in topics:
        time_ratio = min(1.0, t.seconds / t.expected_seconds) if t.expected_seconds else (
            1.0 if t.seconds else 0.0)
        total += (time_ratio + min(1.0, t.resource_progress) + min(t.notes, 2) / 2) / 3
    return total / len(topics)


def readiness(session: Session, goal: Goal, exam: Exam, hours_logged: float,
              domain_scores: dict[str, float | None]) -> list[Condition]:
    from tracker.services.practice import attempts

    pass_pct, published = ev_service.pass_percent(exam)
    conditions = []
    if goal.target_hours:
        conditions.append(Condition(
            "target hours logged", hours_logged >= goal.target_hours,
            f"{hours_logged:.1f} of {goal.target_hours:g} h"))
    else:
        conditions.append(Condition("target hours logged", False, "no target set"))
    full = [a for a in attempts(session, goal.id) if a.full]
    last = full[-ATTEMPTS_FOR_READINESS:]
    mark = f"{pass_pct:.0f}%" + ("" if published else " (no published pass mark; 70% used)")
    if len(last) < ATTEMPTS_FOR_READINESS:
        detail = f"{len(full)} of {ATTEMPTS_FOR_READINESS} full practice exams taken"
        met = False
    else:
        detail = ", ".join(f"{a.score_pct:.0f}%" for a in last) + f" against {mark}"
        met = all(a.score_pct >= pass_pct for a in last)
    conditions.append(Condition(
        f"last {ATTEMPTS_FOR_READINESS} full practice exams at or above the pass mark", met, detail))
    scored = {name: s for name, s in domain_scores.items() if s is not None}
    low = [f"{name} {s:.0f}%" for name, s in scored.items() if s < LOW_DOMAIN_SCORE]
    missing = [name for name, s in domain_scores.items() if s is None]
    if low:
        detail, met = "under: " + "; ".join(low), False
    elif missing:
        detail, met = f"no score yet for {len(missing)} of {len(domain_scores)} domains", False
    else:
        detail, met = "lowest " + f"{min(scored.values()):.0f}%", True
    conditions.append(Condition(f"no domain under {LOW_DOMAIN_SCORE:.0f}%", met, detail))
    return conditions


def goal_progress(session: Session, goal: Goal, exam: Exam, catalog, *, weakest: int = 3) -> GoalProgress:
    today = clock.today()
    gathered = ev_service.gather(session, goal, exam)
    hours = gathered.total_seconds / 3600
    now = clock.now()
    recent = _goal_seconds_since(session, goal, now - timedelta(days=PACE_DAYS))
    pace = recent / 3600 / PACE_DAYS
    days_left = (goal.exam_date - today).days if goal.exam_date else None
    open_goal = goal.status in ("planned", "studying", "booked")
    needed = None
    projected = None
    if days_left is not None and days_left > 0 and open_goal:
        projected = hours + pace * days_left
        if goal.target_hours:
            needed = max(0.0, goal.target_hours - hours) / days_left
    plan = get_plan(session, goal)
    plan_v = plan_view(plan, goal.exam_date) if plan and open_goal else None
    gap = None
    if plan_v and goal.target_hours:
        gap = hours + plan_v.hours_left - goal.target_hours
    by_domain: dict[str, list] = {}
    for t in gathered.topics:
        by_domain.setdefault(t.domain, []).append(t)
    weights = ev_service.normalised_weights(exam)
    domains = []
    for d in exam.domains:
        topics = by_domain.get(d.name, [])
        ratings = [t.confidence for t in topics if t.confidence is not None]
        secs = gathered.domain_seconds[d.name]
        domains.append(DomainProgress(
            number=d.number, name=d.name, weight=weights[d.name], weight_min=d.weight_min,
            weight_max=d.weight_max, seconds=secs,
            share=secs / gathered.total_seconds if gathered.total_seconds else 0.0,
            coverage=_coverage(topics),
            practice_score=topics[0].practice_score if topics else None,
            confidence=sum(ratings) / len(ratings) if ratings else None,
        ))
    pass_pct, published = ev_service.pass_percent(exam)
    conditions = readiness(session, goal, exam, hours, {d.name: d.practice_score for d in domains})
    return GoalProgress(
        goal=view(goal, catalog, today), exam_name=exam.name, days_left=days_left,
        countdown=humanize_until(goal.exam_date, today) if goal.exam_date else None,
        hours_logged=hours, target_hours=goal.target_hours, hours_per_day_needed=needed,
        pace_hours_per_day=pace, projected_hours=projected, plan=plan_v, plan_gap_hours=gap,
        pass_percent=pass_pct, pass_mark_published=published, domains=domains,
        readiness=conditions, weakest=rank(gathered.topics, today, weakest) if weakest else [],
    )


def _goal_seconds_since(session: Session, goal: Goal, since: datetime) -> int:
    from sqlalchemy import func, select

    from tracker.models import Entry
    from tracker.services.tracking import _greatest

    now = int(clock.now().timestamp())
    t = Entry.__table__.c
    lo = int(since.timestamp())
    end_col = func.coalesce(t.end_at, now)
    total = session.execute(
        select(func.coalesce(func.sum(end_col - _greatest(t.start_at, lo)), 0))
        .where(t.goal_id == goal.id, end_col > lo)
    ).scalar_one()
    return int(total)
