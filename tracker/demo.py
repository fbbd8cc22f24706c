"""A realistic sample journey, so a newcomer sees every screen alive.

Several goals (passed, failed then passed, booked, studying), months of study
entries, practice attempts, confidence ratings, resources, notes and a plan.
Deterministic for a given "now" (seeded), and fast: entries go in with one
bulk insert.
"""

from __future__ import annotations

import hashlib
import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import insert
from sqlmodel import Session

from tracker import clock
from tracker.catalog import Catalog
from tracker.models import Entry, EntryTag, Note, NoteTopic

DESCRIPTIONS = ["Video course", "Reading the FAQ", "Hands-on lab", "Whitepaper", "Practice questions",
                "Flashcards", "Notes review", "Docs deep dive"]
TAGS = ["video", "lab", "reading", "practice", "flashcards"]


def _spread(rng: random.Random, session: Session, learner_id: int, goal, exam, start: date,
            end: date, hours: float, source: str) -> None:
    """Bulk-insert study sessions between two dates adding up to about ``hours``."""
    tz = clock.local_tz()
    topics = [t.name for t in exam.topics]
    heavy = {d.name: d.weight for d in exam.domains}
    weights = [heavy[t.domain] for t in exam.topics]
    rows, tags = [], []
    day = start
    spent = 0.0
    days = max(1, (end - start).days)
    per_day = hours / days
    while day < end and spent < hours:
        if rng.random() < min(0.9, per_day / 1.2 + (0.3 if day.weekday() >= 5 else 0)):
            minutes = rng.choice([25, 30, 45, 50, 60, 75, 90, 120])
            hour = rng.choice([7, 12, 19, 20, 21] if day.weekday() < 5 else [9, 10, 14, 16])
            begin = datetime.combine(day, time(hour, rng.choice([0, 5, 15, 30])), tz)
            finish = begin + timedelta(minutes=minutes)
            if finish > clock.now():
                break
            topic = rng.choices(topics, weights=weights)[0] if rng.random() < 0.85 else None
            key = f"demo:{goal.id}:{begin.isoformat()}"
            rows.append({
                "learner_id": learner_id, "goal_id": goal.id, "topic": topic,
                "description": rng.choice(DESCRIPTIONS), "start_at": int(begin.timestamp()),
                "end_at": int(finish.timestamp()), "source": source, "source_key": key,
                "created_at": int(finish.timestamp()), "updated_at": int(finish.timestamp()),
            })
            spent += minutes / 60
        day += timedelta(days=1)
    if not rows:
        return
    session.execute(insert(Entry.__table__), rows)
    from sqlalchemy import select

    ids = dict(session.execute(select(Entry.source_key, Entry.id).where(
        Entry.learner_id == learner_id, Entry.goal_id == goal.id)).all())
    for row in rows:
        if rng.random() < 0.6:
            tags.append({"entry_id": ids[row["source_key"]], "tag": rng.choice(TAGS)})
    if tags:
        session.execute(insert(EntryTag.__table__), tags)


def build_demo(session: Session, learner_id: int, catalog: Catalog) -> None:
    """Fill an empty database with the sample journey for ``learner_id``."""
    from tracker.services import confidence, goals, plans, practice, resources

    rng = random.Random(2026)
    today = clock.today()
    clf = catalog.exam("CLF-C02")
    mls = catalog.exam("MLS-C01")
    saa = catalog.exam("SAA-C03")
    mla = catalog.exam("MLA-C01")
    az = catalog.exam("AZ-900")

    g_az = goals.add_goal(session, learner_id, az, passed_on=date(2023, 9, 14),
                          badge_url="https://www.credly.com/badges/demo-az-900")
    _spread(rng, session, learner_id, g_az, az, date(2023, 8, 1), date(2023, 9, 13), 18, "demo")
    g_clf = goals.add_goal(session, learner_id, clf, passed_on=date(2024, 3, 2), target_hours=40,
                           badge_url="https://www.credly.com/badges/demo-clf-c02")
    _spread(rng, session, learner_id, g_clf, clf, date(2024, 1, 10), date(2024, 3, 1), 38, "demo")
    g_mls1 = goals.add_goal(session, learner_id, mls, status="failed", target_hours=80)
    g_mls1.exam_date = date(2024, 11, 18)
    _spread(rng, session, learner_id, g_mls1, mls, date(2024, 8, 1), date(2024, 11, 17), 60, "demo")
    g_mls2 = goals.add_goal(session, learner_id, mls, passed_on=date(2025, 2, 21), target_hours=40,
                            badge_url="https://www.credly.com/badges/demo-mls-c01")
    _spread(rng, session, learner_id, g_mls2, mls, date(2024, 12, 2), date(2025, 2, 20), 42, "demo")

    g_saa = goals.add_goal(session, learner_id, saa, exam_date=today + timedelta(days=24),
                           target_hours=80, status="booked")
    _spread(rng, session, learner_id, g_saa, saa, today - timedelta(days=95), today, 58, "demo")
    g_mla = goals.add_goal(session, learner_id, mla, exam_date=today + timedelta(days=75),
                           target_hours=90, status="studying")
    _spread(rng, session, learner_id, g_mla, mla, today - timedelta(days=30), today, 14, "demo")
    plans.set_plan(session, g_saa, "MO,WE,FR 19:00 1h30m")
    plans.set_plan(session, g_mla, "SA,SU 10:00 2h")

    for days_ago, score, doms in ((40, 62, (70, 55, 64, 58)), (26, 68, (75, 61, 70, 66)),
                                  (12, 74, (80, 68, 76, 71)), (4, 77, (84, 69, 79, 75))):
        practice.add_attempt(
            session, learner_id, g_saa, saa,
            score=practice.parse_score(str(score), saa), taken_on=today - timedelta(days=days_ago),
            domains={d.name: float(s) for d, s in zip(saa.domains, doms, strict=True)},
            label="Practice exam set " + str(4 - [40, 26, 12, 4].index(days_ago)),
        )
    practice.add_attempt(session, learner_id, g_mla, mla, score=practice.parse_score("58", mla),
                         taken_on=today - timedelta(days=6),
                         domains={d.name: float(s) for d, s in zip(mla.domains, (60, 52, 61, 57),
                                                                    strict=True)},
                         label="Diagnostic")
    for topic, rating in (("VPC security", 4), ("Disaster recovery strategies", 2),
                          ("Load balancing", 3), ("Amazon S3 performance", 5)):
        if saa.find_topic(topic):
            confidence.rate(session, learner_id, g_saa, saa, topic, rating)
    course = resources.add_resource(
        session, learner_id, g_saa, saa, title="SAA-C03 video course", kind="course",
        units_total=42, unit_name="lectures", topics=[t.name for t in saa.topics[:12]])
    resources.set_progress(session, learner_id, course.id, "29")
    resources.add_resource(session, learner_id, g_saa, saa, title="AWS Well-Architected Framework",
                           kind="whitepaper", url="https://docs.aws.amazon.com/wellarchitected/",
                           units_total=18, unit_name="pages",
                           topics=[saa.domains[1].topics[0].name])
    _notes(session, learner_id, g_saa, saa)


def _notes(session: Session, learner_id: int, goal, exam) -> None:
    now = clock.now()
    for position, topic in enumerate(exam.topics[:10]):
        body = (f"- Key points about {topic.name}\n- Remember the exam traps\n"
                f"<b>[red]markup stays literal[/red]</b>")
        note = Note(learner_id=learner_id, goal_id=goal.id, source="saa-notes.md",
                    anchor=f"SAA > {topic.name}", heading=topic.name, body=body, position=position,
                    content_hash=hashlib.sha256(body.encode()).hexdigest(), created_at=now,
                    updated_at=now)
        session.add(note)
        session.flush()
        session.add(NoteTopic(note_id=note.id, topic=topic.name, weight=3.0))
    session.flush()
