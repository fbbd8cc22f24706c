"""Confidence: dated self-ratings of topics, 1-5. Every rating is kept, so the
history shows how a topic moved; the latest one is the topic's confidence."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session

from tracker import clock
from tracker.catalog import Exam
from tracker.errors import InvalidInput
from tracker.models import Confidence, Goal

MIN_RATING, MAX_RATING = 1, 5


@dataclass(frozen=True)
class Rating:
    topic: str
    rating: int
    rated_at: datetime

    def to_json(self) -> dict:
        return {"topic": self.topic, "rating": self.rating, "rated_at": self.rated_at.isoformat()}


def check_rating(text: str | int) -> int:
    """A whole number from 1 to 5 (``4`` or ``4/5``); anything else is refused."""
    cleaned = str(text).strip()
    m = re.fullmatch(r"([+-]?\d+)(?:/5)?", cleaned)
    if not m or not MIN_RATING <= int(m.group(1)) <= MAX_RATING:
        raise InvalidInput(f"a rating is a whole number from {MIN_RATING} to {MAX_RATING}, "
                           f"not {cleaned!r}")
    return int(m.group(1))


def rate(session: Session, learner_id: int, goal: Goal, exam: Exam, topic: str,
         rating: str | int) -> Rating:
    """Record a new rating of ``topic`` (a name or alias of ``exam``'s topics) now."""
    name = exam.topic(topic).name
    value = check_rating(rating)
    row = Confidence(learner_id=learner_id, goal_id=goal.id, topic=name, rating=value,
                     rated_at=clock.now())
    session.add(row)
    session.flush()
    return Rating(name, value, row.rated_at)


def _latest_rows(goal_id: int):
    """The newest rating per topic, chosen in SQL with a window function."""
    c = Confidence.__table__.c
    rank = func.row_number().over(partition_by=c.topic,
                                  order_by=(c.rated_at.desc(), c.id.desc())).label("rank")
    ranked = select(c.topic, c.rating, c.rated_at, rank).where(c.goal_id == goal_id).subquery()
    return select(ranked.c.topic, ranked.c.rating, ranked.c.rated_at).where(ranked.c.rank == 1)


def latest_ratings(session: Session, goal_id: int) -> list[Rating]:
    """Each rated topic's latest rating, by topic name."""
    rows = session.execute(_latest_rows(goal_id))
    return sorted((Rating(t, int(r), at) for t, r, at in rows), key=lambda x: x.topic)


def latest_confidence(session: Session, goal_id: int) -> dict[str, tuple[int, datetime]]:
    """{topic: (rating, rated_at)} from each topic's latest rating."""
    return {r.topic: (r.rating, r.rated_at) for r in latest_ratings(session, goal_id)}


def history(session: Session, goal_id: int, exam: Exam, topic: str) -> list[Rating]:
    """Every rating of one topic, oldest first."""
    name = exam.topic(topic).name
    rows = session.execute(
        select(Confidence.rating, Confidence.rated_at)
        .where(Confidence.goal_id == goal_id, Confidence.topic == name)
        .order_by(Confidence.rated_at, Confidence.id)
    )
    return [Rating(name, int(rating), at) for rating, at in rows]

