"""Day totals and counts for a page of the log, aggregated in SQL.

The TUI log shows entries a page at a time; a day's total must still cover
every entry of that day (matching the filters), including those on pages not
loaded yet. So totals come from a GROUP BY over the days on screen, never
from summing the loaded rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from tracker import clock
from tracker.models import Entry, EntryTag, Goal
from tracker.services.reports import local_midnight, local_seconds, offset_segments

EPOCH = date(1970, 1, 1)


def _conditions(learner_id: int, *, start: date | None = None, end: date | None = None,
                exam_codes: list[str] | None = None, topics: list[str] | None = None,
                tag: str | None = None) -> list:
    """The WHERE clauses of ``log.list_entries`` for the same filters."""
    tz = clock.local_tz()
    t = Entry.__table__.c
    conditions = [t.learner_id == learner_id]
    if start is not None:
        conditions.append(t.start_at >= int(local_midnight(start, tz).timestamp()))
    if end is not None:
        conditions.append(t.start_at < int(local_midnight(end + timedelta(days=1), tz).timestamp()))
    if exam_codes:
        conditions.append(t.goal_id.in_(
            select(Goal.id).where(Goal.learner_id == learner_id, Goal.exam_code.in_(exam_codes))))
    if topics is not None:
        conditions.append(t.topic.in_(topics))
    if tag is not None:
        conditions.append(t.id.in_(select(EntryTag.entry_id).where(EntryTag.tag == tag)))
    return conditions


def day_totals(session: Session, learner_id: int, days: Iterable[date], *,
               start: date | None = None, end: date | None = None,
               exam_codes: list[str] | None = None, topics: list[str] | None = None,
               tag: str | None = None) -> dict[date, int]:
    """Seconds per local day (by start, as ``log.by_day`` groups) for the given days.

    A running entry counts up to now. Days without matching entries are absent.
    """
    wanted = set(days)
    if not wanted:
        return {}
    tz = clock.local_tz()
    lo = int(local_midnight(min(wanted), tz).timestamp())
    hi = int(local_midnight(max(wanted) + timedelta(days=1), tz).timestamp())
    t = Entry.__table__.c
    now = int(clock.now().timestamp())
    day_number = local_seconds(t.start_at, offset_segments(tz, lo, hi)) // 86400
    rows = session.execute(
        select(day_number.label("day"), func.sum(func.coalesce(t.end_at, now) - t.start_at))
        .where(*_conditions(learner_id, start=start, end=end, exam_codes=exam_codes,
                            topics=topics, tag=tag), t.start_at >= lo, t.start_at < hi)
        .group_by(day_number)
    )
    totals = {EPOCH + timedelta(days=int(number)): int(seconds) for number, seconds in rows}
    return {day: seconds for day, seconds in totals.items() if day in wanted}


def count_entries(session: Session, learner_id: int, *, start: date | None = None,
                  end: date | None = None, exam_codes: list[str] | None = None,
                  topics: list[str] | None = None, tag: str | None = None) -> int:
    """How many entries ``log.list_entries`` would list with these filters."""
    return int(session.execute(
        select(func.count()).select_from(Entry.__table__)
        .where(*_conditions(learner_id, start=start, end=end, exam_codes=exam_codes,
                            topics=topics, tag=tag))
    ).scalar_one())
