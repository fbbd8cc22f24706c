"""Resources: what a learner studies from (courses, videos, whitepapers, labs...),
with their size in units, progress and the exam topics they cover.

Progress rule: a resource with a size is done exactly when all its units are;
one without a size is done when marked so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Float, case, cast, delete, func, insert, select, update
from sqlmodel import Session

from tracker import clock
from tracker.catalog import Exam
from tracker.errors import Conflict, InvalidInput, NotFound
from tracker.models import RESOURCE_KINDS, Entry, Goal, Resource, ResourceTopic

MAX_TITLE_LENGTH = 300
MAX_UNITS = 100_000
MAX_UNIT_NAME_LENGTH = 40
# Words users type for a kind, beyond the kinds themselves.
_KIND_ALIASES = {"practice": "practice-test", "practice test": "practice-test",
                 "practice exam": "practice-test", "exam": "practice-test", "quiz": "practice-test",
                 "paper": "whitepaper", "white paper": "whitepaper", "doc": "article",
                 "docs": "article", "blog": "article", "faqs": "faq", "hands-on": "lab",
                 "courses": "course", "videos": "video", "labs": "lab", "books": "book"}
KEEP = object()  # "leave this field as it is" in edit_resource


@dataclass(frozen=True)
class ResourceView:
    id: int
    goal_id: int
    exam_code: str
    title: str
    kind: str
    url: str | None
    units_total: int | None
    units_done: int
    unit_name: str | None
    done_at: datetime | None
    topics: list[str] = field(default_factory=list)
    seconds: int = 0  # time logged against it

    @property
    def done(self) -> bool:
        return self.done_at is not None

    @property
    def ratio(self) -> float:
        """Share done, 0..1: units done over units total, else 1 when done."""
        if self.units_total:
            return self.units_done / self.units_total
        return 1.0 if self.done else 0.0

    def progress_text(self) -> str:
        """'12/42 lectures (29%)'; 'done' or 'not done' for a resource without a size."""
        if self.units_total:
            return (f"{self.units_done}/{self.units_total} {self.unit_name or 'units'} "
                    f"({self.ratio:.0%})")
        return "done" if self.done else "not done"

    def to_json(self) -> dict:
        return {
            "id": self.id, "cert": self.exam_code, "title": self.title, "kind": self.kind,
            "url": self.url, "units_total": self.units_total, "units_done": self.units_done,
            "unit": self.unit_name, "progress": round(self.ratio, 4), "done": self.done,
            "done_at": self.done_at.isoformat() if self.done_at else None,
            "topics": self.topics, "seconds": self.seconds,
        }


# --- checks ------------------------------------------------------------------

def check_kind(text: str) -> str:
    key = " ".join(text.strip().lower().replace("_", " ").split())
    hyphenated = key.replace(" ", "-")
    kind = hyphenated if hyphenated in RESOURCE_KINDS else _KIND_ALIASES.get(key)
    if kind is None:
        raise InvalidInput(f"unknown kind {text!r}: use one of {', '.join(RESOURCE_KINDS)}")
    return kind


def check_title(text: str) -> str:
    title = " ".join(text.split())
    if not title:
        raise InvalidInput("a resource needs a title")
    if len(title) > MAX_TITLE_LENGTH:
        raise InvalidInput(f"title is longer than {MAX_TITLE_LENGTH} characters")
    return title


def check_url(text: str) -> str:
    url = text.strip()
    if not re.match(r"^https?://\S+$", url) or len(url) > 1000:
        raise InvalidInput(f"URL {text!r} must be an http(s) link such as https://example.com/course")
    return url


def parse_units(text: str) -> tuple[int, str | None]:
    """A size such as ``42`` or ``42 lectures``: the count and the unit's name."""
    m = re.fullmatch(r"\s*(\d+)\s*([^\d\s].*)?", text)
    if not m:
        raise InvalidInput(f"--units: cannot read {text!r}: give a whole number such as 42 "
                           "or '42 lectures'")
    count = int(m.group(1))
    if not 1 <= count <= MAX_UNITS:
        raise InvalidInput(f"--units must be from 1 to {MAX_UNITS}, not {count}")
    return count, check_unit_name(m.group(2)) if m.group(2) else None


def check_unit_name(text: str) -> str | None:
    name = " ".join(text.split())
    if len(name) > MAX_UNIT_NAME_LENGTH:
        raise InvalidInput(f"unit name is longer than {MAX_UNIT_NAME_LENGTH} characters")
    return name or None


def resolve_topics(exam: Exam, topics: list[str]) -> list[str]:
    """Canonical topic names, duplicates dropped; NotFound with suggestions for a stranger."""
    names: list[str] = []
    for text in topics:
        if text.strip():
            name = exam.topic(text).name
            if name not in names:
                names.append(name)
    return names


def parse_progress(text: str) -> tuple[str, int, int | None]:
    """``12`` (set), ``+3`` (add) or ``12/42`` (set done and total): (mode, done, total)."""
    cleaned = text.replace(" ", "")
    m = re.fullmatch(r"(\+)?(\d+)(?:/(\d+))?", cleaned)
    if not m or (m.group(1) and m.group(3)):
        raise InvalidInput(f"cannot read {text!r} as progress: give units done (12), "
                           "more units done (+3) or done/total (12/42)")
    if m.group(3) is not None:
        total = int(m.group(3))
        if not 1 <= total <= MAX_UNITS:
            raise InvalidInput(f"the total must be from 1 to {MAX_UNITS}, not {total}")
        return "set", int(m.group(2)), total
    return ("add" if m.group(1) else "set"), int(m.group(2)), None


# --- reading -----------------------------------------------------------------

def get_resource(session: Session, learner_id: int, resource_id: int) -> Resource:
    resource = session.get(Resource, resource_id)
    if resource is None or resource.learner_id != learner_id:
        raise NotFound(f"no resource with id {resource_id}")
    return resource


def list_resources(session: Session, learner_id: int, goal_id: int | None = None,
                   ids: list[int] | None = None) -> list[ResourceView]:
    """The learner's resources (of one goal, or the given ids), oldest first,
    with their topics and logged time fetched in one query each."""
    query = (select(Resource, Goal.exam_code).join(Goal, Goal.id == Resource.goal_id)
             .where(Resource.learner_id == learner_id))
    if goal_id is not None:
        query = query.where(Resource.goal_id == goal_id)
    if ids is not None:
        query = query.where(Resource.id.in_(ids))
    rows = session.execute(query.order_by(Resource.goal_id, Resource.id)).all()
    found = [r.id for r, _ in rows]
    topics: dict[int, list[str]] = {i: [] for i in found}
    seconds: dict[int, int] = {}
    if found:
        for rid, topic in session.execute(
            select(ResourceTopic.resource_id, ResourceTopic.topic)
            .where(ResourceTopic.resource_id.in_(found))
            .order_by(ResourceTopic.resource_id, ResourceTopic.topic)
        ):
            topics[rid].append(topic)
        e = Entry.__table__.c
        spent = func.sum(func.coalesce(e.end_at, int(clock.now().timestamp())) - e.start_at)
        seconds = dict(session.execute(
            select(e.resource_id, spent).where(e.resource_id.in_(found)).group_by(e.resource_id)
        ).all())
    return [
        ResourceView(
            id=r.id, goal_id=r.goal_id, exam_code=code, title=r.title, kind=r.kind, url=r.url,
            units_total=r.units_total, units_done=r.units_done, unit_name=r.unit_name,
            done_at=r.done_at, topics=topics[r.id], seconds=int(seconds.get(r.id) or 0),
        )
        for r, code in rows
    ]


def view_of(session: Session, resource: Resource) -> ResourceView:
    return list_resources(session, resource.learner_id, ids=[resource.id])[0]


def check_entry_resource(session: Session, learner_id: int, goal: Goal,
                         resource_id: int | None) -> int | None:
    """``resource_id`` if the learner owns it under ``goal``; else one clear error."""
    if resource_id is None:
        return None
    resource = get_resource(session, learner_id, resource_id)
    if resource.goal_id != goal.id:
        code = session.execute(select(Goal.exam_code).where(Goal.id == resource.goal_id)).scalar_one()
        raise Conflict(f"resource {resource_id} ({resource.title!r}) belongs to your {code} goal, "
                       f"not to {goal.exam_code} (goal {goal.id})")
    return resource_id


# --- writing -----------------------------------------------------------------

def _settle(resource: Resource) -> None:
    """With a size, done means every unit done: keep done_at in step with the units."""
    if resource.units_total is None:
        return
    if resource.units_done > resource.units_total:
        unit = resource.unit_name or "units"
        raise InvalidInput(f"{resource.units_done} {unit} done is more than the "
                           f"{resource.units_total} in {resource.title!r}")
    if resource.units_done == resource.units_total:
        resource.done_at = resource.done_at or clock.now()
    else:
        resource.done_at = None


def _set_topics(session: Session, resource_id: int, topics: list[str]) -> None:
    session.execute(delete(ResourceTopic).where(ResourceTopic.resource_id == resource_id))
    if topics:
        session.execute(insert(ResourceTopic),
                        [{"resource_id": resource_id, "topic": t} for t in topics])


def _save(session: Session, resource: Resource) -> None:
    resource.updated_at = clock.now()
    session.add(resource)
    session.flush()


def add_resource(session: Session, learner_id: int, goal: Goal, exam: Exam, *, title: str,
                 kind: str, url: str | None = None, units_total: int | None = None,
                 unit_name: str | None = None, topics: list[str] = ()) -> ResourceView:
    """Add a resource to ``goal``; topics are names or aliases of ``exam``'s topics."""
    now = clock.now()
    resource = Resource(
        learner_id=learner_id, goal_id=goal.id, title=check_title(title), kind=check_kind(kind),
        url=check_url(url) if url else None, units_total=units_total, units_done=0,
        unit_name=unit_name if units_total else None, created_at=now, updated_at=now,
    )
    names = resolve_topics(exam, list(topics))
    _save(session, resource)
    _set_topics(session, resource.id, names)
    return view_of(session, resource)


def set_progress(session: Session, learner_id: int, resource_id: int, text: str) -> ResourceView:
    """Record progress given as ``12``, ``+3`` or ``12/42`` (see :func:`parse_progress`)."""
    mode, count, total = parse_progress(text)
    resource = get_resource(session, learner_id, resource_id)
    if total is not None:
        resource.units_total = total
    elif resource.units_total is None:
        raise InvalidInput(f"resource {resource_id} ({resource.title!r}) has no size: give "
                           f"done/total ({count}/TOTAL), or mark it with 'resource done {resource_id}'")
    resource.units_done = resource.units_done + count if mode == "add" else count
    _settle(resource)
    _save(session, resource)
    return view_of(session, resource)


def mark_done(session: Session, learner_id: int, resource_id: int) -> ResourceView:
    """Every unit done; a resource already done keeps its first done date."""
    resource = get_resource(session, learner_id, resource_id)
    if resource.units_total is not None:
        resource.units_done = resource.units_total
    resource.done_at = resource.done_at or clock.now()
    _save(session, resource)
    return view_of(session, resource)


def edit_resource(session: Session, learner_id: int, resource_id: int, exam: Exam, *,
                  title: str | None = None, kind: str | None = None, url: object = KEEP,
                  units_total: object = KEEP, unit_name: object = KEEP,
                  topics: list[str] | None = None) -> ResourceView:
    """Change the given fields; ``url=None`` / ``units_total=None`` clear them,
    ``topics`` replaces the topic list (``[]`` removes every topic)."""
    resource = get_resource(session, learner_id, resource_id)
    if title is not None:
        resource.title = check_title(title)
    if kind is not None:
        resource.kind = check_kind(kind)
    if url is not KEEP:
        resource.url = check_url(url) if url else None  # type: ignore[arg-type]
    if unit_name is not KEEP:
        resource.unit_name = unit_name  # type: ignore[assignment]
    if units_total is not KEEP:
        if resource.units_total is None and resource.done_at is not None:
            resource.units_done = units_total or 0  # sized after being marked done: all of it
        resource.units_total = units_total  # type: ignore[assignment]
    if resource.units_total is None:
        if unit_name not in (KEEP, None):
            raise InvalidInput(f"{resource.title!r} has no size: give --units with --unit")
        resource.units_done, resource.unit_name = 0, None
    names = resolve_topics(exam, topics) if topics is not None else None
    _settle(resource)
    _save(session, resource)
    if names is not None:
        _set_topics(session, resource.id, names)
    return view_of(session, resource)


def link_topic(session: Session, learner_id: int, resource_id: int, catalog,
               topic_query: str) -> tuple[ResourceView, str, bool]:
    """Add one topic (a name or alias of the resource's exam) to the resource's topics;
    (the resource, the topic's name, whether anything changed)."""
    return _change_topic(session, learner_id, resource_id, catalog, topic_query, add=True)


def unlink_topic(session: Session, learner_id: int, resource_id: int, catalog,
                 topic_query: str) -> tuple[ResourceView, str, bool]:
    """Remove one topic from the resource's topics (its name as stored also works, for a
    topic the catalog no longer has); (the resource, the topic's name, whether it changed)."""
    return _change_topic(session, learner_id, resource_id, catalog, topic_query, add=False)


def _change_topic(session: Session, learner_id: int, resource_id: int, catalog, topic_query: str,
                  *, add: bool) -> tuple[ResourceView, str, bool]:
    resource = get_resource(session, learner_id, resource_id)
    current = view_of(session, resource).topics
    code = session.get(Goal, resource.goal_id).exam_code
    if not add and topic_query in current:
        name = topic_query
    else:
        exam = catalog.find(code)
        if exam is None:
            raise NotFound(f"exam {code} is no longer in the catalog")
        name = exam.topic(topic_query).name
    if (name in current) == add:
        return view_of(session, resource), name, False
    _set_topics(session, resource.id, [*current, name] if add else [t for t in current if t != name])
    _save(session, resource)
    return view_of(session, resource), name, True


def remove_resource(session: Session, learner_id: int, resource_id: int) -> ResourceView:
    """Delete a resource; entries logged against it stay, without a resource."""
    resource = get_resource(session, learner_id, resource_id)
    gone = view_of(session, resource)
    # Explicit rather than trusting ON DELETE, which SQLite honours only with its pragma.
    session.execute(update(Entry).where(Entry.resource_id == resource_id).values(resource_id=None))
    session.execute(delete(ResourceTopic).where(ResourceTopic.resource_id == resource_id))
    session.delete(resource)
    session.flush()
    return gone


# --- for progress and weak areas ---------------------------------------------

def resource_progress_by_topic(session: Session, goal_id: int) -> dict[str, tuple[float, int, int]]:
    """Per topic of the goal's resources: (mean share done, resources, resources done).

    The mean is over resources, not units: units differ between resources
    (pages, lectures), so each resource counts once. A resource without a size
    counts 1.0 when done, 0.0 otherwise.
    """
    r = Resource.__table__.c
    ratio = case(
        (r.units_total > 0, cast(r.units_done, Float) / r.units_total),
        (r.done_at.is_not(None), 1.0),
        else_=0.0,
    )
    done = func.sum(case((r.done_at.is_not(None), 1), else_=0))
    t = ResourceTopic.__table__.c
    rows = session.execute(
        select(t.topic, func.avg(ratio), func.count(), done)
        .select_from(ResourceTopic.__table__.join(Resource.__table__, r.id == t.resource_id))
        .where(r.goal_id == goal_id).group_by(t.topic)
    )
    return {topic: (float(avg), int(n), int(n_done)) for topic, avg, n, n_done in rows}
