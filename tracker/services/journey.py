"""The journey: every goal in order with its dates, result, badge and hours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlmodel import Session

from tracker import clock
from tracker.catalog import Catalog
from tracker.models import Entry
from tracker.services.goals import GoalView, list_goals, view


@dataclass(frozen=True)
class Milestone:
    goal: GoalView
    hours: float
    level: str

    @property
    def when(self) -> date | None:
        return self.goal.passed_on or self.goal.exam_date

    def to_json(self) -> dict:
        data = self.goal.to_json()
        data.update({"hours": round(self.hours, 1), "level": self.level,
                     "date": self.when.isoformat() if self.when else None})
        return data


def journey(session: Session, learner_id: int, catalog: Catalog) -> list[Milestone]:
    today = clock.today()
    now = int(clock.now().timestamp())
    t = Entry.__table__.c
    hours = dict(session.execute(
        select(t.goal_id, func.sum(func.coalesce(t.end_at, now) - t.start_at))
        .where(t.learner_id == learner_id).group_by(t.goal_id)
    ).all())
    result = []
    for goal in list_goals(session, learner_id):
        exam = catalog.find(goal.exam_code)
        result.append(Milestone(view(goal, catalog, today), int(hours.get(goal.id, 0)) / 3600,
                                exam.level if exam else ""))
    return result
