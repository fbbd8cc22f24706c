"""Review results from Anki, stored per topic of a goal, and read back as evidence.

For the notes certjourney exported (their GUIDs are in ``card_state``, with the
exam and topic of each), :func:`store_reviews` keeps per topic: the cards, their
lapses and mean ease, every answer recorded, and — what the weak-area ranking
uses — how many of the last :data:`RECENT_ANSWERS` answers were Again. Results go
to the learner's goal for the exam (the open one, else the newest); importing
again replaces a topic's results.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import delete, insert, select, tuple_
from sqlmodel import Session

from tracker.errors import NotFound
from tracker.models import AnkiReview, CardState

if TYPE_CHECKING:
    from tracker.catalog import Catalog
    from tracker.importers.anki_reviews import NoteReviews

RECENT_ANSWERS = 20
AGAIN = 1


def exported_guids(session: Session, learner_id: int) -> dict[str, tuple[str, str]]:
    """GUID -> (exam, topic) of every card the learner has exported."""
    cs = CardState.__table__
    return {guid: (exam, topic) for guid, exam, topic in session.execute(
        select(cs.c.guid, cs.c.exam_code, cs.c.topic).where(cs.c.learner_id == learner_id))}


@dataclass(frozen=True)
class TopicReviews:
    cert: str
    topic: str
    cards: int
    answers: int          # recent answers counted (at most RECENT_ANSWERS)
    again: int
    reviews: int
    lapses: int
    mean_ease: float | None

    def to_json(self) -> dict:
        return {"cert": self.cert, "topic": self.topic, "cards": self.cards,
                "recent_answers": self.answers, "again": self.again, "reviews": self.reviews,
                "lapses": self.lapses, "mean_ease": self.mean_ease}


@dataclass
class ReviewsReport:
    label: str
    notes_found: int = 0
    notes_missing: int = 0           # exported, but not in this collection
    topics: list[TopicReviews] = field(default_factory=list)
    without_goal: dict[str, int] = field(default_factory=dict)   # exam -> notes


def summarise(found: dict[str, NoteReviews], exported: dict[str, tuple[str, str]]
              ) -> list[TopicReviews]:
    """Per (exam, topic): cards, lapses, mean ease and the recent Again answers."""
    groups: dict[tuple[str, str], list[NoteReviews]] = {}
    for guid, reviews in found.items():
        groups.setdefault(exported[guid], []).append(reviews)
    out = []
    for (exam, topic), items in sorted(groups.items()):
        answers = sorted((a for n in items for a in n.answers), reverse=True)
        recent = answers[:RECENT_ANSWERS]
        factors = [f for n in items for f in n.factors]
        out.append(TopicReviews(
            cert=exam, topic=topic, cards=sum(n.cards for n in items), answers=len(recent),
            again=sum(1 for _, ease in recent if ease == AGAIN), reviews=len(answers),
            lapses=sum(n.lapses for n in items),
            mean_ease=round(sum(factors) / len(factors) / 10, 1) if factors else None,
        ))
    return out


def store_reviews(session: Session, learner_id: int, catalog: Catalog, label: str,
                  found: dict[str, NoteReviews], exported: dict[str, tuple[str, str]],
                  now: datetime) -> ReviewsReport:
    """Keep the review results of ``found`` (GUID -> reviews) under the learner's goals."""
    from tracker.services.goals import find_goal

    report = ReviewsReport(label, notes_found=len(found), notes_missing=len(exported) - len(found))
    goals: dict[str, int | None] = {}
    rows = []
    for item in summarise(found, exported):
        if item.cert not in goals:
            try:
                goals[item.cert] = find_goal(session, learner_id, item.cert, catalog).id
            except NotFound:
                goals[item.cert] = None
        goal_id = goals[item.cert]
        if goal_id is None:
            report.without_goal[item.cert] = report.without_goal.get(item.cert, 0) + item.cards
            continue
        report.topics.append(item)
        rows.append({"goal_id": goal_id, "topic": item.topic, "learner_id": learner_id,
                     "cards": item.cards, "answers": item.answers, "again": item.again,
                     "reviews": item.reviews, "lapses": item.lapses, "mean_ease": item.mean_ease,
                     "imported_at": now})
    if rows:
        t = AnkiReview.__table__
        keys = [(r["goal_id"], r["topic"]) for r in rows]
        for i in range(0, len(keys), 500):
            session.execute(delete(t).where(tuple_(t.c.goal_id, t.c.topic).in_(keys[i:i + 500])))
        session.execute(insert(t), rows)
    return report


def again_by_topic(session: Session, goal_id: int) -> dict[str, tuple[int, int]]:
    """Topic -> (Again answers, recent answers) from the goal's imported review results."""
    t = AnkiReview.__table__
    return {topic: (again, answers) for topic, again, answers in session.execute(
        select(t.c.topic, t.c.again, t.c.answers).where(t.c.goal_id == goal_id))}
