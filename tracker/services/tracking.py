"""The timer and manual entries: start, stop, cancel, continue, add, edit, split, delete.

One running entry per learner (the database enforces it); starting a new one
stops the running one at the same instant, as Toggl does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import case, delete, func, insert, select
from sqlmodel import Session

from tracker import clock
from tracker.errors import Conflict, InvalidInput, NotFound
from tracker.models import Entry, EntryTag, Goal
from tracker.services.entries import EntryView, check_description, normalise_tags, resolve_topic
from tracker.timeparse import format_duration

if TYPE_CHECKING:
    from tracker.catalog import Catalog, Exam


@dataclass(frozen=True)
class TimerChange:
    """What a start or continue did: the new timer and the entry it stopped, if any."""

    started: EntryView
    stopped: EntryView | None


def check_entry_resource(session: Session, learner_id: int, goal: Goal,
                         resource_id: int | None) -> int | None:
    """The resource check, loaded only when an entry names a resource (the timer
    commands stay clear of the study tables otherwise)."""
    if resource_id is None:
        return None
    from tracker.services.resources import check_entry_resource as check

    return check(session, learner_id, goal, resource_id)


def _ts(value: datetime) -> int:
    return int(value.timestamp())


def _greatest(a, b):
    return case((a > b, a), else_=b)


def _least(a, b):
    return case((a < b, a), else_=b)


def _set_tags(session: Session, entry_id: int, tags: list[str]) -> None:
    session.execute(delete(EntryTag).where(EntryTag.entry_id == entry_id))
    if tags:
        session.execute(insert(EntryTag), [{"entry_id": entry_id, "tag": t} for t in tags])


def tags_of(session: Session, entry_ids: list[int]) -> dict[int, list[str]]:
    result: dict[int, list[str]] = {i: [] for i in entry_ids}
    if not entry_ids:
        return result
    rows = session.execute(
        select(EntryTag.entry_id, EntryTag.tag).where(EntryTag.entry_id.in_(entry_ids))
        .order_by(EntryTag.entry_id, EntryTag.tag)
    )
    for entry_id, tag in rows:
        result[entry_id].append(tag)
    return result


def views(session: Session, entries: list[tuple[Entry, str]]) -> list[EntryView]:
    """EntryViews for (entry, exam code) pairs, tags fetched in one query."""
    now = clock.now()
    tags = tags_of(session, [e.id for e, _ in entries])
    return [
        EntryView(
            id=e.id, goal_id=e.goal_id, exam_code=code, topic=e.topic, description=e.description,
            start=e.start_at, end=e.end_at,
            seconds=int(((e.end_at or now) - e.start_at).total_seconds()),
            tags=tags[e.id], source=e.source,
        )
        for e, code in entries
    ]


def view_of(session: Session, entry: Entry) -> EntryView:
    code = session.execute(select(Goal.exam_code).where(Goal.id == entry.goal_id)).scalar_one()
    return views(session, [(entry, code)])[0]


def running_entry(session: Session, learner_id: int) -> Entry | None:
    return session.execute(
        select(Entry).where(Entry.learner_id == learner_id, Entry.end_at.is_(None))
    ).scalar()


def get_entry(session: Session, learner_id: int, entry_id: int) -> Entry:
    entry = session.get(Entry, entry_id)
    if entry is None or entry.learner_id != learner_id:
        raise NotFound(f"no entry with id {entry_id}")
    return entry


def find_overlap(session: Session, learner_id: int, start: datetime, end: datetime,
                 exclude: tuple[int, ...] = ()) -> Entry | None:
    """The earliest other entry sharing some time with [start, end)."""
    now = _ts(clock.now())
    query = select(Entry).where(
        Entry.learner_id == learner_id,
        Entry.start_at < end,
        func.coalesce(Entry.__table__.c.end_at, now) > _ts(start),
    )
    if exclude:
        query = query.where(Entry.id.not_in(exclude))
    return session.execute(query.order_by(Entry.start_at).limit(1)).scalar()


def _describe(entry: Entry) -> str:
    start = entry.start_at.astimezone(clock.local_tz()).strftime("%Y-%m-%d %H:%M")
    end = entry.end_at.astimezone(clock.local_tz()).strftime("%H:%M") if entry.end_at else "now"
    text = f" {entry.description!r}" if entry.description else ""
    return f"entry {entry.id}{text} ({start}–{end})"


def _check_span(start: datetime, end: datetime) -> None:
    if end < start:
        raise InvalidInput("the end is before the start")
    if end == start:
        raise InvalidInput("the entry would last zero seconds")
    if start > clock.now():
        raise InvalidInput("the start is in the future")
    if end - start > timedelta(days=2):
        raise InvalidInput(f"the entry would last {format_duration(int((end - start).total_seconds()))}"
                           ", more than two days")


def _check_no_overlap(session, learner_id, start, end, exclude=()) -> None:
    other = find_overlap(session, learner_id, start, end, exclude)
    if other is not None:
        raise Conflict(f"overlaps {_describe(other)}; use --allow-overlap to keep both")


def _new_entry(learner_id: int, goal: Goal, exam: Exam, *, description: str | None,
               topic: str | None, start: datetime, end: datetime | None, source: str,
               resource_id: int | None = None) -> Entry:
    now = clock.now()
    return Entry(
        learner_id=learner_id, goal_id=goal.id, topic=resolve_topic(exam, topic),
        description=check_description(description), start_at=start, end_at=end,
        source=source, resource_id=resource_id, created_at=now, updated_at=now,
    )


def _stop(session: Session, entry: Entry, at: datetime) -> None:
    if at == entry.start_at:
        raise InvalidInput("the timer has run for less than a second; 'cancel' discards it")
    if at < entry.start_at:
        raise InvalidInput(f"cannot stop {_describe(entry)} at or before its start")
    entry.end_at = at
    entry.updated_at = clock.now()
    session.add(entry)
    session.flush()


def start_timer(session: Session, learner_id: int, goal: Goal, exam: Exam, *,
                description: str | None = None, topic: str | None = None,
                tags: list[str] = (), at: datetime | None = None,
                resource_id: int | None = None) -> TimerChange:
    """Start the timer; a running one stops at the same instant."""
    start = (at or clock.now()).replace(microsecond=0)
    if start > clock.now():
        raise InvalidInput("cannot start a timer in the future")
    tag_list = normalise_tags(tags)
    entry = _new_entry(learner_id, goal, exam, description=description, topic=topic,
                       start=start, end=None, source="timer",
                       resource_id=check_entry_resource(session, learner_id, goal, resource_id))
    stopped = running_entry(session, learner_id)
    if stopped is not None:
        _stop(session, stopped, start)
    session.add(entry)
    session.flush()
    _set_tags(session, entry.id, tag_list)
    return TimerChange(view_of(session, entry), view_of(session, stopped) if stopped else None)


def stop_timer(session: Session, learner_id: int, at: datetime | None = None) -> EntryView:
    entry = running_entry(session, learner_id)
    if entry is None:
        raise NotFound("no timer is running")
    stop = (at or clock.now()).replace(microsecond=0)
    if stop > clock.now():
        raise InvalidInput("cannot stop the timer in the future")
    _stop(session, entry, stop)
    return view_of(session, entry)


def cancel_timer(session: Session, learner_id: int) -> EntryView:
    entry = running_entry(session, learner_id)
    if entry is None:
        raise NotFound("no timer is running")
    gone = view_of(session, entry)
    session.delete(entry)
    session.flush()
    return gone


def last_entry(session: Session, learner_id: int) -> Entry | None:
    return session.execute(
        select(Entry).where(Entry.learner_id == learner_id)
        .order_by(Entry.start_at.desc(), Entry.id.desc()).limit(1)
    ).scalar()


def continue_entry(session: Session, learner_id: int, catalog: Catalog,
                   entry_id: int | None = None, at: datetime | None = None) -> TimerChange:
    """Start a timer with the description, goal, topic, resource and tags of an earlier entry."""
    source = get_entry(session, learner_id, entry_id) if entry_id else last_entry(session, learner_id)
    if source is None:
        raise NotFound("nothing to continue: no entries yet")
    if source.end_at is None:
        raise Conflict(f"{_describe(source)} is still running")
    goal = session.get(Goal, source.goal_id)
    exam = catalog.exam(goal.exam_code)
    tags = tags_of(session, [source.id])[source.id]
    return start_timer(session, learner_id, goal, exam, description=source.description,
                       topic=source.topic, tags=tags, at=at, resource_id=source.resource_id)


def add_entry(session: Session, learner_id: int, goal: Goal, exam: Exam, *,
              start: datetime, end: datetime, description: str | None = None,
              topic: str | None = None, tags: list[str] = (),
              allow_overlap: bool = False, resource_id: int | None = None) -> EntryView:
    """A finished entry typed in by hand."""
    _check_span(start, end)
    if end > clock.now():
        raise InvalidInput("the end is in the future")
    tag_list = normalise_tags(tags)
    entry = _new_entry(learner_id, goal, exam, description=description, topic=topic,
                       start=start, end=end, source="manual",
                       resource_id=check_entry_resource(session, learner_id, goal, resource_id))
    if not allow_overlap:
        _check_no_overlap(session, learner_id, start, end)
    session.add(entry)
    session.flush()
    _set_tags(session, entry.id, tag_list)
    return view_of(session, entry)


_KEEP = object()


def edit_entry(session: Session, learner_id: int, entry_id: int, catalog: Catalog, *,
               goal: Goal | None = None, description: str | None = None,
               topic: object = _KEEP, tags: list[str] | None = None,
               start: datetime | None = None, end: datetime | None = None,
               allow_overlap: bool = False, resource_id: object = _KEEP) -> EntryView:
    """Change the given fields; ``topic=None`` / ``resource_id=None`` clear them."""
    entry = get_entry(session, learner_id, entry_id)
    new_goal = goal or session.get(Goal, entry.goal_id)
    exam = catalog.exam(new_goal.exam_code)
    if goal is not None and goal.id != entry.goal_id and topic is _KEEP and entry.topic:
        # The old topic must exist in the new goal's exam too.
        entry.topic = resolve_topic(exam, entry.topic)
    if topic is not _KEEP:
        entry.topic = resolve_topic(exam, topic)  # type: ignore[arg-type]
    # A kept resource must belong to the new goal too.
    kept = entry.resource_id if resource_id is _KEEP else resource_id
    entry.resource_id = check_entry_resource(session, learner_id, new_goal, kept)  # type: ignore[arg-type]
    entry.goal_id = new_goal.id
    if description is not None:
        entry.description = check_description(description)
    new_start = start or entry.start_at
    if entry.end_at is None:
        if end is not None:
            raise InvalidInput("the running entry has no end yet; stop it first")
        if new_start > clock.now():
            raise InvalidInput("the start is in the future")
    else:
        new_end = end or entry.end_at
        _check_span(new_start, new_end)
        if (start or end) and not allow_overlap:
            _check_no_overlap(session, learner_id, new_start, new_end, (entry.id,))
        entry.end_at = new_end
    entry.start_at = new_start
    entry.updated_at = clock.now()
    session.add(entry)
    session.flush()
    if tags is not None:
        _set_tags(session, entry.id, normalise_tags(tags))
    return view_of(session, entry)


def delete_entry(session: Session, learner_id: int, entry_id: int) -> EntryView:
    entry = get_entry(session, learner_id, entry_id)
    gone = view_of(session, entry)
    session.delete(entry)
    session.flush()
    return gone


def split_entry(session: Session, learner_id: int, entry_id: int,
                at: datetime) -> tuple[EntryView, EntryView]:
    """Cut an entry in two at ``at``; both halves keep goal, topic, resource, description and tags."""
    entry = get_entry(session, learner_id, entry_id)
    end = entry.end_at or clock.now()
    if not entry.start_at < at < end:
        raise InvalidInput(f"split time must fall inside {_describe(entry)}")
    tags = tags_of(session, [entry.id])[entry.id]
    now = clock.now()
    second = Entry(
        learner_id=learner_id, goal_id=entry.goal_id, topic=entry.topic,
        description=entry.description, start_at=at, end_at=entry.end_at, source=entry.source,
        resource_id=entry.resource_id, created_at=now, updated_at=now,
    )
    entry.end_at = at
    entry.updated_at = now
    session.add(entry)
    session.flush()  # the first half stops before the second (maybe running) half exists
    session.add(second)
    session.flush()
    _set_tags(session, second.id, tags)
    return view_of(session, entry), view_of(session, second)


def seconds_between(session: Session, learner_id: int, start: datetime, end: datetime) -> int:
    """Seconds studied inside [start, end), clipping entries that cross its edges."""
    now = _ts(clock.now())
    lo, hi = _ts(start), _ts(end)
    end_col = func.coalesce(Entry.__table__.c.end_at, now)
    start_col = Entry.__table__.c.start_at
    clipped = _least(end_col, hi) - _greatest(start_col, lo)
    total = session.execute(
        select(func.coalesce(func.sum(clipped), 0)).where(
            Entry.learner_id == learner_id, start_col < hi, end_col > lo,
        )
    ).scalar_one()
    return int(total)
