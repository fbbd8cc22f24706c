"""Reports: study time per exam, domain, topic, tag, resource, day, week or month.

Every figure is a SQL aggregation (GROUP BY over the entry table); Python only
labels and rolls up the grouped rows — never a loop over entries. Days,
weeks and months are the user's local ones: the UTC offset is added in SQL
with a CASE over the zone's offset changes inside the reported span, so
daylight-saving time is honoured on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from sqlalchemy import case, func, literal, select
from sqlmodel import Session

from tracker import clock
from tracker.catalog import Catalog
from tracker.models import Entry, EntryTag, Goal

GROUPINGS = ("cert", "domain", "topic", "tag", "resource", "day", "week", "month")
NO_TOPIC = "(no topic)"
NO_TAG = "(no tag)"
NO_RESOURCE = "(no resource)"
EPOCH_MONDAY = date(1969, 12, 29)  # the Monday on or before 1970-01-01


@dataclass(frozen=True)
class Group:
    name: str
    seconds: int
    share: float
    weight_min: float | None = None
    weight_max: float | None = None

    def to_json(self) -> dict:
        data = {"name": self.name, "seconds": self.seconds, "share": round(self.share, 4)}
        if self.weight_min is not None:
            data["weight_min"] = self.weight_min
            data["weight_max"] = self.weight_max
        return data


@dataclass(frozen=True)
class Report:
    by: str
    start: date | None
    end: date | None  # inclusive
    total_seconds: int
    groups: list[Group] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
            "by": self.by,
            "total_seconds": self.total_seconds,
            "groups": [g.to_json() for g in self.groups],
        }


def local_midnight(day: date, tz: tzinfo) -> datetime:
    return clock.local_midnight(day, tz)


def offset_segments(tz: tzinfo, lo: int, hi: int) -> list[tuple[int, int]]:
    """[(from_ts, utc_offset_seconds)] covering [lo, hi]: the zone's offset changes."""

    def offset(ts: int) -> int:
        return int(datetime.fromtimestamp(ts, tz).utcoffset().total_seconds())

    segments = [(lo, offset(lo))]
    t = lo
    while t < hi:
        nxt = min(t + 86400, hi)
        if offset(nxt) != segments[-1][1]:
            a, b = t, nxt
            while b - a > 1:
                mid = (a + b) // 2
                if offset(mid) == segments[-1][1]:
                    a = mid
                else:
                    b = mid
            segments.append((b, offset(b)))
        t = nxt
    return segments


def local_seconds(column, segments: list[tuple[int, int]]):
    """SQL: ``column`` (UTC epoch seconds) shifted to local wall-clock seconds."""
    if len(segments) == 1:
        return column + segments[0][1]
    whens = [(column < segments[i + 1][0], literal(segments[i][1])) for i in range(len(segments) - 1)]
    return column + case(*whens, else_=literal(segments[-1][1]))


class _Query:
    """The shared pieces: the entries in range and their clipped durations."""

    def __init__(self, learner_id: int, start: date | None, end: date | None,
                 exam_codes: list[str] | None):
        tz = clock.local_tz()
        self.now = int(clock.now().timestamp())
        self.t = Entry.__table__.c
        self.lo = int(local_midnight(start, tz).timestamp()) if start else None
        self.hi = int(local_midnight(end + timedelta(days=1), tz).timestamp()) if end else None
        self.seconds = func.coalesce(self.t.end_at, self.now) - self.t.start_at
        conditions = [self.t.learner_id == learner_id]
        if self.lo is not None:
            conditions.append(self.t.start_at >= self.lo)
        if self.hi is not None:
            conditions.append(self.t.start_at < self.hi)
        if exam_codes:
            conditions.append(self.t.goal_id.in_(
                select(Goal.id).where(Goal.learner_id == learner_id, Goal.exam_code.in_(exam_codes))
            ))
        self.conditions = conditions

    def total(self, session: Session) -> tuple[int, int | None, int | None]:
        row = session.execute(
            select(func.coalesce(func.sum(self.seconds), 0), func.min(self.t.start_at),
                   func.max(self.t.start_at)).where(*self.conditions)
        ).one()
        first, last = (int(v.timestamp()) if v is not None else None for v in (row[1], row[2]))
        return int(row[0]), first, last


def _shares(items: dict[str, int], total: int) -> list[Group]:
    ordered = sorted(items.items(), key=lambda kv: (-kv[1], kv[0]))
    return [Group(name, secs, secs / total if total else 0.0) for name, secs in ordered]


def _by_exam_topic(session: Session, q: _Query) -> list[tuple[str, str | None, int]]:
    g = Goal.__table__.c
    rows = session.execute(
        select(g.exam_code, q.t.topic, func.sum(q.seconds))
        .select_from(Entry.__table__.join(Goal.__table__, g.id == q.t.goal_id))
        .where(*q.conditions).group_by(g.exam_code, q.t.topic)
    )
    return [(code, topic, int(secs)) for code, topic, secs in rows]


def _calendar(session: Session, q: _Query, lo: int, hi: int, by: str) -> dict[str, int]:
    segments = offset_segments(clock.local_tz(), lo, hi)
    day_number = local_seconds(q.t.start_at, segments) // 86400
    bucket = (day_number + 3) // 7 if by == "week" else day_number
    rows = session.execute(
        select(bucket.label("b"), func.sum(q.seconds)).where(*q.conditions).group_by(bucket)
    )
    result: dict[str, int] = defaultdict(int)
    for number, secs in rows:
        if by == "week":
            monday = EPOCH_MONDAY + timedelta(weeks=int(number))
            label = f"{monday.isoformat()} (week {monday.isocalendar().week})"
        else:
            day = date(1970, 1, 1) + timedelta(days=int(number))
            label = day.strftime("%Y-%m") if by == "month" else day.isoformat()
        result[label] += int(secs)
    return result


def build_report(session: Session, learner_id: int, catalog: Catalog, *, by: str = "cert",
                 start: date | None = None, end: date | None = None,
                 exam_codes: list[str] | None = None) -> Report:
    """Totals per group for entries starting inside [start, end] (local dates, inclusive)."""
    if by not in GROUPINGS:
        raise ValueError(by)
    q = _Query(learner_id, start, end, exam_codes)
    total, first, last = q.total(session)
    if total == 0 or first is None:
        return Report(by, start, end, 0, [])
    several = len(exam_codes or []) != 1
    groups: list[Group]
    if by in ("day", "week", "month"):
        groups = _shares(_calendar(session, q, first, last, by), total)
        groups.sort(key=lambda grp: grp.name)
    elif by == "tag":
        tag = func.coalesce(EntryTag.__table__.c.tag, NO_TAG)
        rows = session.execute(
            select(tag, func.sum(q.seconds))
            .select_from(Entry.__table__.outerjoin(
                EntryTag.__table__, EntryTag.__table__.c.entry_id == q.t.id))
            .where(*q.conditions).group_by(tag)
        )
        groups = _shares({name: int(secs) for name, secs in rows}, total)
    elif by == "resource":
        groups = _shares(_by_resource(session, q), total)
    else:
        groups = _grouped_by_catalog(session, q, catalog, by, several, total)
    return Report(by, start, end, total, groups)


def _by_resource(session: Session, q: _Query) -> dict[str, int]:
    """Seconds per resource title; the exam is named only when resources of
    several exams are in the report, the id only when two share a title."""
    from tracker.study_models import Resource  # only this grouping needs the study tables

    r, g = Resource.__table__.c, Goal.__table__.c
    rows = session.execute(
        select(q.t.resource_id, r.title, g.exam_code, func.sum(q.seconds))
        .select_from(Entry.__table__.outerjoin(Resource.__table__, r.id == q.t.resource_id)
                     .outerjoin(Goal.__table__, g.id == r.goal_id))
        .where(*q.conditions).group_by(q.t.resource_id, r.title, g.exam_code)
    ).all()
    named = [(title, code) for rid, title, code, _ in rows if rid is not None]
    several = len({code for _, code in named}) > 1
    sums: dict[str, int] = {}
    for rid, title, code, secs in rows:
        if rid is None:
            sums[NO_RESOURCE] = int(secs)
            continue
        name = f"{code} · {title}" if several else title
        if named.count((title, code)) > 1:
            name += f" (#{rid})"
        sums[name] = int(secs)
    return sums


def _grouped_by_catalog(session, q, catalog: Catalog, by: str, several: bool,
                        total: int) -> list[Group]:
    rows = _by_exam_topic(session, q)
    sums: dict[str, int] = defaultdict(int)
    weights: dict[str, tuple[float, float]] = {}
    for code, topic, secs in rows:
        if by == "cert":
            sums[code] += secs
            continue
        exam = catalog.find(code)
        found = exam.find_topic(topic) if (exam and topic) else None
        prefix = f"{code} · " if several else ""
        if by == "topic":
            sums[prefix + (found.name if found else topic or NO_TOPIC)] += secs
        else:
            if found is None:
                sums[prefix + NO_TOPIC] += secs
                continue
            domain = next(d for d in exam.domains if d.name == found.domain)
            name = prefix + domain.name
            sums[name] += secs
            weights[name] = (domain.weight_min, domain.weight_max)
    if by == "domain" and not several and rows:
        # Show every domain of the exam, studied or not: a zero is news too.
        exam = catalog.find(rows[0][0])
        for d in exam.domains if exam else ():
            sums.setdefault(d.name, 0)
            weights[d.name] = (d.weight_min, d.weight_max)
    groups = _shares(dict(sums), total)
    return [Group(g.name, g.seconds, g.share, *weights.get(g.name, (None, None))) for g in groups]
