"""The log: entries in a period, filtered, newest first, with day totals."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlmodel import Session

from tracker import clock
from tracker.models import Entry, EntryTag, Goal
from tracker.services.entries import EntryView
from tracker.services.reports import local_midnight
from tracker.services.tracking import views


@dataclass(frozen=True)
class Day:
    day: date
    seconds: int
    entries: list[EntryView]


def list_entries(session: Session, learner_id: int, *, start: date | None = None,
                 end: date | None = None, exam_codes: list[str] | None = None,
                 topics: list[str] | None = None, tag: str | None = None,
                 limit: int | None = None, offset: int = 0,
                 newest_first: bool = True) -> list[EntryView]:
    """Entries starting inside [start, end] (local dates, inclusive), filtered in SQL."""
    tz = clock.local_tz()
    query = (
        select(Entry, Goal.exam_code).join(Goal, Goal.id == Entry.goal_id)
        .where(Entry.learner_id == learner_id)
    )
    if start is not None:
        query = query.where(Entry.start_at >= local_midnight(start, tz))
    if end is not None:
        query = query.where(Entry.start_at < local_midnight(end + timedelta(days=1), tz))
    if exam_codes:
        query = query.where(Goal.exam_code.in_(exam_codes))
    if topics is not None:
        query = query.where(Entry.topic.in_(topics))
    if tag is not None:
        query = query.where(Entry.id.in_(select(EntryTag.entry_id).where(EntryTag.tag == tag)))
    order = (Entry.start_at.desc(), Entry.id.desc()) if newest_first else (Entry.start_at, Entry.id)
    query = query.order_by(*order).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return views(session, [(e, code) for e, code in session.execute(query)])


def by_day(entries: list[EntryView]) -> list[Day]:
    """Group listed entries by local start date, keeping their order."""
    tz = clock.local_tz()
    days: OrderedDict[date, list[EntryView]] = OrderedDict()
    for entry in entries:
        days.setdefault(entry.start.astimezone(tz).date(), []).append(entry)
    return [Day(d, sum(e.seconds for e in items), items) for d, items in days.items()]
