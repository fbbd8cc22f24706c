"""What is known about each topic of a goal, gathered in a handful of SQL queries."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlmodel import Session

from tracker import clock
from tracker.catalog import Exam
from tracker.models import Entry, Goal
from tracker.services.weakness import TopicEvidence


def pass_percent(exam: Exam) -> tuple[float, bool]:
    """The pass mark as a percentage, and whether the vendor publishes one (else 70%)."""
    if exam.pass_mark is not None and exam.score_max:
        return 100 * exam.pass_mark / exam.score_max, True
    return 70.0, False


def normalised_weights(exam: Exam) -> dict[str, float]:
    """Domain weights in percent summing to 100 (midpoints of Microsoft's ranges, rescaled)."""
    total = sum(d.weight for d in exam.domains) or 1
    return {d.name: 100 * d.weight / total for d in exam.domains}


@dataclass(frozen=True)
class GoalEvidence:
    total_seconds: int
    topic_seconds: dict[str, int]
    domain_seconds: dict[str, int]
    topics: list[TopicEvidence]


def seconds_by_topic(session: Session, goal_id: int) -> dict[str | None, int]:
    now = int(clock.now().timestamp())
    t = Entry.__table__.c
    rows = session.execute(
        select(t.topic, func.sum(func.coalesce(t.end_at, now) - t.start_at))
        .where(t.goal_id == goal_id).group_by(t.topic)
    )
    return {topic: int(secs) for topic, secs in rows}


def gather(session: Session, goal: Goal, exam: Exam) -> GoalEvidence:
    from tracker.services.anki_reviews import again_by_topic
    from tracker.services.confidence import latest_confidence
    from tracker.services.notes import notes_by_topic
    from tracker.services.practice import latest_domain_scores
    from tracker.services.resources import resource_progress_by_topic

    by_topic = seconds_by_topic(session, goal.id)
    total = sum(by_topic.values())
    weights = normalised_weights(exam)
    heaviest = max(weights.values())
    domain_seconds = {d.name: sum(by_topic.get(t.name, 0) for t in d.topics) for d in exam.domains}
    scores = latest_domain_scores(session, goal.id)
    ratings = latest_confidence(session, goal.id)
    resources = resource_progress_by_topic(session, goal.id)
    notes = notes_by_topic(session, goal.id)
    anki = again_by_topic(session, goal.id)
    budget = (goal.target_hours or 0) * 3600 or total
    topics = []
    for d in exam.domains:
        share = domain_seconds[d.name] / total if total else 0.0
        practice = scores.get(d.name)
        for t in d.topics:
            rating = ratings.get(t.name)
            res = resources.get(t.name)
            topics.append(TopicEvidence(
                cert=exam.code, domain=d.name, topic=t.name, domain_weight=weights[d.name],
                max_domain_weight=heaviest,
                expected_seconds=budget * weights[d.name] / 100 / len(d.topics),
                seconds=by_topic.get(t.name, 0), domain_share=share,
                practice_score=practice[0] if practice else None,
                practice_on=practice[1] if practice else None,
                confidence=rating[0] if rating else None,
                confidence_at=rating[1] if rating else None,
                resource_progress=res[0] if res else 0.0, resources=res[1] if res else 0,
                notes=notes.get(t.name, 0),
                anki_again=anki[t.name][0] if t.name in anki else None,
                anki_answers=anki[t.name][1] if t.name in anki else None,
            ))
    return GoalEvidence(total, {k: v for k, v in by_topic.items() if k}, domain_seconds, topics)
