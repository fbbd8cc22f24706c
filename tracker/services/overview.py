"""What the app's first screen shows, as plain values: the goal codes for the
timer's exam picker, the timer, and the dashboard (goal cards, hours per week,
the journey of passed certifications).

Everything returned here is built from builtins, dates and the frozen
dataclasses below, and this module imports nothing heavy at load time: a
``FirstScreen`` read in another process (``tracker.tui.prefetch``) is
unpickled without loading SQLAlchemy or SQLModel.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

WEEKS = 12


@dataclass(frozen=True)
class TimerState:
    """What the database says: the running entry (if any) and today's total."""

    entry_id: int | None
    description: str
    exam_code: str | None
    topic: str | None
    started: datetime | None
    today_seconds: int          # finished and running time today, as of ``read_at``
    read_at: datetime

    @property
    def running(self) -> bool:
        return self.entry_id is not None


@dataclass(frozen=True)
class Condition:
    name: str
    met: bool
    detail: str


@dataclass(frozen=True)
class GoalCard:
    """One open goal at a glance."""

    exam_code: str
    exam_name: str
    status: str
    exam_date: date | None
    countdown: str | None
    hours_logged: float
    target_hours: float | None
    hours_per_day_needed: float | None
    pace_hours_per_day: float
    behind_pace: bool
    readiness: tuple[Condition, ...]
    weakest: tuple[str, ...]

    @property
    def ready(self) -> bool:
        return all(c.met for c in self.readiness)


@dataclass(frozen=True)
class Milestone:
    """A finished goal on the journey."""

    exam_code: str
    status: str          # passed, expired or failed
    when: date | None
    expires_on: date | None


@dataclass(frozen=True)
class Dashboard:
    goals: tuple[GoalCard, ...]
    weeks: tuple[tuple[date, float], ...]   # (Monday, hours), oldest first, WEEKS of them
    milestones: tuple[Milestone, ...]


@dataclass(frozen=True)
class FirstScreen:
    goal_codes: tuple[str, ...]     # open goals, by exam date
    any_goal: bool                  # False on first run: the welcome screen opens
    timer: TimerState
    dashboard: Dashboard


def goal_codes(session, learner_id: int) -> list[str]:
    from sqlalchemy import select

    from tracker.models import OPEN_STATUSES, Goal

    return list(session.execute(
        select(Goal.exam_code).where(Goal.learner_id == learner_id, Goal.status.in_(OPEN_STATUSES))
        .order_by(Goal.exam_date, Goal.id)
    ).scalars())


def any_goal(session, learner_id: int) -> bool:
    from sqlalchemy import select

    from tracker.models import Goal

    return session.execute(select(Goal.id).where(Goal.learner_id == learner_id).limit(1)).first() \
        is not None


def timer_state(session, learner_id: int) -> TimerState:
    from tracker import clock
    from tracker.services import tracking
    from tracker.services.reports import local_midnight

    entry = tracking.running_entry(session, learner_id)
    view = tracking.view_of(session, entry) if entry else None
    midnight = local_midnight(clock.today(), clock.local_tz())
    now = clock.now()
    today = tracking.seconds_between(session, learner_id, midnight, midnight + timedelta(days=1))
    return TimerState(
        entry_id=view.id if view else None, description=view.description if view else "",
        exam_code=view.exam_code if view else None, topic=view.topic if view else None,
        started=view.start if view else None, today_seconds=today, read_at=now,
    )


def _card(p) -> GoalCard:
    g = p.goal
    behind = bool(p.projected_hours is not None and p.target_hours
                  and p.projected_hours < p.target_hours)
    return GoalCard(
        exam_code=g.exam_code, exam_name=p.exam_name, status=g.status, exam_date=g.exam_date,
        countdown=p.countdown, hours_logged=p.hours_logged, target_hours=p.target_hours,
        hours_per_day_needed=p.hours_per_day_needed, pace_hours_per_day=p.pace_hours_per_day,
        behind_pace=behind, readiness=tuple(Condition(c.name, c.met, c.detail) for c in p.readiness),
        weakest=tuple(w.topic for w in p.weakest),
    )


def dashboard(session, learner_id: int, catalog) -> Dashboard:
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
    cards = tuple(_card(goal_progress(session, g, catalog.exam(g.exam_code), catalog)) for g in goals)
    today = clock.today()
    monday = today - timedelta(days=today.weekday())
    first = monday - timedelta(weeks=WEEKS - 1)
    report = build_report(session, learner_id, catalog, by="week", start=first, end=today)
    by_week = {g.name[:10]: g.seconds for g in report.groups}
    weeks = tuple((first + timedelta(weeks=i), by_week.get((first + timedelta(weeks=i)).isoformat(), 0)
                   / 3600) for i in range(WEEKS))
    milestones = tuple(
        Milestone(m.goal.exam_code, m.goal.status, m.when, m.goal.expires_on)
        for m in journey(session, learner_id, catalog) if m.goal.status in ("passed", "expired", "failed")
    )
    return Dashboard(cards, weeks, milestones)


def first_screen(session, learner_id: int, catalog) -> FirstScreen:
    codes = tuple(goal_codes(session, learner_id))
    return FirstScreen(
        goal_codes=codes,
        any_goal=bool(codes) or any_goal(session, learner_id),
        timer=timer_state(session, learner_id),
        dashboard=dashboard(session, learner_id, catalog),
    )
