"""Goals: a learner's pursuit of one exam, with its date, target, status and result."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from sqlalchemy import delete, func, select
from sqlmodel import Session

from tracker import clock
from tracker.catalog import Catalog, Exam
from tracker.errors import Conflict, InvalidInput, NotFound
from tracker.models import GOAL_STATUSES, OPEN_STATUSES, Entry, Goal

MAX_TARGET_HOURS = 5000
EXPIRY_WARNING_DAYS = 90


@dataclass(frozen=True)
class GoalView:
    """A goal joined with what the catalog says about its exam."""

    id: int
    exam_code: str
    exam_name: str
    vendor: str
    status: str
    exam_date: date | None
    target_hours: float | None
    passed_on: date | None
    expires_on: date | None
    badge_url: str | None
    created_at: datetime

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def expiring_soon(self, today: date) -> bool:
        return (
            self.status == "passed"
            and self.expires_on is not None
            and today <= self.expires_on <= today + relativedelta(days=EXPIRY_WARNING_DAYS)
        )

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "cert": self.exam_code,
            "name": self.exam_name,
            "vendor": self.vendor,
            "status": self.status,
            "exam_date": self.exam_date.isoformat() if self.exam_date else None,
            "target_hours": self.target_hours,
            "passed_on": self.passed_on.isoformat() if self.passed_on else None,
            "expires_on": self.expires_on.isoformat() if self.expires_on else None,
            "badge_url": self.badge_url,
        }


def expiry_date(exam: Exam, passed_on: date | None) -> date | None:
    """When a credential earned on ``passed_on`` must be renewed (None: never)."""
    if passed_on is None or not exam.expires or exam.validity_years is None:
        return None
    return passed_on + relativedelta(years=exam.validity_years)


def _effective_status(goal: Goal, expires_on: date | None, today: date) -> str:
    if goal.status == "passed" and expires_on is not None and expires_on < today:
        return "expired"
    return goal.status


def view(goal: Goal, catalog: Catalog, today: date) -> GoalView:
    exam = catalog.find(goal.exam_code)
    expires_on = expiry_date(exam, goal.passed_on) if exam else None
    return GoalView(
        id=goal.id,
        exam_code=goal.exam_code,
        exam_name=exam.name if exam else "(exam no longer in the catalog)",
        vendor=exam.vendor if exam else "",
        status=_effective_status(goal, expires_on, today),
        exam_date=goal.exam_date,
        target_hours=goal.target_hours,
        passed_on=goal.passed_on,
        expires_on=expires_on,
        badge_url=goal.badge_url,
        created_at=goal.created_at,
    )


def check_target_hours(hours: float) -> float:
    if not hours > 0:
        raise InvalidInput(f"target hours must be more than 0, not {hours:g}")
    if hours > MAX_TARGET_HOURS:
        raise InvalidInput(f"target hours {hours:g} is more than {MAX_TARGET_HOURS}")
    return float(hours)


def check_status(status: str) -> str:
    value = status.strip().lower()
    if value not in GOAL_STATUSES:
        raise InvalidInput(f"unknown status {status!r}: use one of {', '.join(GOAL_STATUSES)}")
    return value


def check_badge_url(url: str) -> str:
    value = url.strip()
    if not value.startswith(("https://", "http://")) or " " in value or len(value) > 500:
        raise InvalidInput(f"badge URL {url!r} must be an http(s) link, e.g. https://www.credly.com/badges/...")
    return value


def _settle_result(goal: Goal, today: date) -> None:
    """Keep status, result date and exam date consistent; raise on contradictions."""
    if goal.passed_on is not None:
        if goal.passed_on > today:
            raise InvalidInput(f"passed-on date {goal.passed_on} is in the future")
        if goal.status != "passed":
            if goal.status in OPEN_STATUSES:
                goal.status = "passed"
            else:
                raise InvalidInput(f"a {goal.status} goal has no passed-on date")
    if goal.status == "passed" and goal.passed_on is None:
        goal.passed_on = goal.exam_date if goal.exam_date and goal.exam_date <= today else today


def add_goal(
    session: Session,
    learner_id: int,
    exam: Exam,
    *,
    exam_date: date | None = None,
    target_hours: float | None = None,
    status: str | None = None,
    passed_on: date | None = None,
    badge_url: str | None = None,
) -> Goal:
    """Start pursuing ``exam`` (or record a past result with status passed/failed)."""
    today = clock.today()
    status = check_status(status) if status else ("passed" if passed_on else "planned")
    if status == "expired":
        raise InvalidInput("record the pass with --status passed; expiry follows from its date")
    if status in OPEN_STATUSES:
        if exam.is_retired(today):
            when = f" on {exam.status_date}" if exam.status_date else ""
            raise Conflict(
                f"{exam.code} retired{when}; record a past result with --status passed or failed"
                + (f", or study its successor {exam.successor}" if exam.successor else "")
            )
        if exam_date is not None and exam_date < today:
            raise InvalidInput(
                f"exam date {exam_date} is in the past; record a past result with --status passed or failed"
            )
        existing = session.execute(
            select(Goal.id).where(
                Goal.learner_id == learner_id,
                Goal.exam_code == exam.code,
                Goal.status.in_(OPEN_STATUSES),
            )
        ).scalar()
        if existing is not None:
            raise Conflict(f"you already have an open goal for {exam.code} (goal {existing}); "
                           "change it with 'certjourney goal set'")
    now = clock.now()
    goal = Goal(
        learner_id=learner_id,
        exam_code=exam.code,
        status=status,
        exam_date=exam_date,
        target_hours=check_target_hours(target_hours) if target_hours is not None else None,
        passed_on=passed_on,
        badge_url=check_badge_url(badge_url) if badge_url else None,
        created_at=now,
        updated_at=now,
    )
    _settle_result(goal, today)
    session.add(goal)
    session.flush()
    return goal


def list_goals(session: Session, learner_id: int) -> list[Goal]:
    """The learner's journey: every goal, oldest first by its defining date."""
    rows = session.execute(
        select(Goal).where(Goal.learner_id == learner_id).order_by(Goal.created_at, Goal.id)
    ).scalars().all()
    return sorted(rows, key=lambda g: (g.passed_on or g.exam_date or date.max, g.id))


def find_goal(session: Session, learner_id: int, ref: str, catalog: Catalog) -> Goal:
    """The goal named by exam code (or alias) or by goal id.

    With several goals for one exam (a failed attempt, then a pass) the open one
    wins, else the newest; a goal id picks any one exactly.
    """
    text = ref.strip().lstrip("#")
    if text.isdigit():
        goal = session.get(Goal, int(text))
        if goal is None or goal.learner_id != learner_id:
            raise NotFound(f"no goal with id {text}")
        return goal
    exam = catalog.exam(text)
    goals = session.execute(
        select(Goal).where(Goal.learner_id == learner_id, Goal.exam_code == exam.code)
        .order_by(Goal.created_at.desc(), Goal.id.desc())
    ).scalars().all()
    if not goals:
        raise NotFound(f"no goal for {exam.code}; add one with 'certjourney goal add {exam.code}'")
    open_goals = [g for g in goals if g.status in OPEN_STATUSES]
    return (open_goals or goals)[0]


def update_goal(
    session: Session,
    goal: Goal,
    exam: Exam | None,
    *,
    exam_date: date | None = None,
    clear_exam_date: bool = False,
    target_hours: float | None = None,
    status: str | None = None,
    passed_on: date | None = None,
    badge_url: str | None = None,
) -> Goal:
    """Change the given fields of ``goal``; unchanged fields are left alone."""
    today = clock.today()
    if status is not None:
        new_status = check_status(status)
        if new_status == "expired":
            raise InvalidInput("expiry follows from the passed-on date; it cannot be set")
        if new_status in OPEN_STATUSES and goal.status not in OPEN_STATUSES:
            others = session.execute(
                select(Goal.id).where(
                    Goal.learner_id == goal.learner_id, Goal.exam_code == goal.exam_code,
                    Goal.status.in_(OPEN_STATUSES), Goal.id != goal.id,
                )
            ).scalar()
            if others is not None:
                raise Conflict(f"goal {others} is already open for {goal.exam_code}")
        if new_status != "passed" and status is not None and passed_on is None:
            goal.passed_on = None
        goal.status = new_status
    if clear_exam_date:
        goal.exam_date = None
    elif exam_date is not None:
        goal.exam_date = exam_date
    if target_hours is not None:
        goal.target_hours = check_target_hours(target_hours)
    if passed_on is not None:
        goal.passed_on = passed_on
    if badge_url is not None:
        goal.badge_url = check_badge_url(badge_url) if badge_url.strip() else None
    _settle_result(goal, today)
    goal.updated_at = clock.now()
    session.add(goal)
    session.flush()
    return goal


def count_entries(session: Session, goal: Goal) -> int:
    return session.execute(
        select(func.count()).select_from(Entry).where(Entry.goal_id == goal.id)
    ).scalar_one()


def remove_goal(session: Session, goal: Goal) -> int:
    """Delete the goal and everything logged under it; returns how many entries went."""
    entries = count_entries(session, goal)
    session.execute(delete(Entry).where(Entry.goal_id == goal.id))
    session.delete(goal)
    session.flush()
    return entries
