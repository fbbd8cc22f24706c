"""Notes: sections of the learner's markdown notes, stored under a goal and linked to topics.

:func:`import_notes` stores what :mod:`tracker.importers.notes` parsed, in the
caller's one transaction. A note is identified by (goal, file, anchor), so a
re-import adds new sections, updates changed ones (text, heading or links),
leaves unchanged ones alone and removes the sections gone from a file that was
part of this import. Files are named relative to the folder imported; when a
single file (or a sub-folder) is imported after its whole folder, it is
matched to the stored file whose path ends the same way, so it updates its
notes instead of duplicating them.

It costs one query to load the stored notes of the goal with their links, and
bulk statements (executemany) for the changes — never a query per note.

**Links by hand.** :func:`link_note` and :func:`unlink_note` record the
learner's choice for a note and a topic in ``note_topic_choice`` and change
``note_topic`` (the effective links every reader uses) at once. An import
applies the choices on top of its rule — rule links, plus the topics linked by
hand, minus those unlinked by hand — so a re-import neither drops a hand link
nor brings back a link removed, and counts a note as updated only when its
effective links change. A hand link weighs :data:`HAND_WEIGHT`, the strongest
the rule gives. A note's choices go with it when its section is removed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, delete, exists, func, insert, select, update
from sqlmodel import Session

from tracker import clock
from tracker.errors import NotFound
from tracker.importers.notes import MAX_SCORE, TOP_ANCHOR, TopicMatcher
from tracker.models import Goal, Note, NoteTopic, NoteTopicChoice

if TYPE_CHECKING:
    from tracker.catalog import Catalog, Exam
    from tracker.importers.notes import NotesFile, ParsedNotes

CHUNK = 500  # ids per IN (...) list
HAND_WEIGHT = float(MAX_SCORE)  # a link made by hand counts as fully as the rule's strongest


@dataclass
class NotesImportReport:
    """What an import of notes did (or, in a dry run, would do)."""

    label: str
    cert: str
    dry_run: bool
    files: int
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    per_topic: dict[str, int] = field(default_factory=dict)  # notes of these files linked, by topic
    unlinked: list[tuple[str, str]] = field(default_factory=list)  # (file, heading path)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class NoteView:
    id: int
    cert: str
    goal_id: int
    source: str
    anchor: str
    heading: str
    position: int
    size: int                                  # characters of text
    topics: tuple[tuple[str, float], ...]      # (topic, weight), strongest first
    updated_at: datetime
    body: str | None = None                    # only when asked for one note
    hand: tuple[str, ...] = ()                 # topics linked by hand (only for one note)

    @property
    def path(self) -> str:
        """The heading path as shown: the file's title for the text before any heading."""
        return self.heading if self.anchor == TOP_ANCHOR else self.anchor

    def to_json(self) -> dict:
        data = {
            "id": self.id, "cert": self.cert, "goal_id": self.goal_id, "file": self.source,
            "anchor": self.anchor, "heading": self.heading, "path": self.path,
            "position": self.position, "size": self.size,
            "topics": [{"topic": t, "weight": w} for t, w in self.topics],
            "updated_at": self.updated_at.isoformat(),
        }
        if self.body is not None:
            data["body"] = self.body
            data["hand_linked"] = list(self.hand)
        return data


def shown_path(anchor: str, heading: str) -> str:
    return heading if anchor == TOP_ANCHOR else anchor


def goal_and_exam(session: Session, learner_id: int | None, cert: str,
                  catalog: Catalog) -> tuple[Goal, Exam]:
    """The goal named by ``cert`` and its exam (the topics notes link to)."""
    from tracker.services.goals import find_goal

    if learner_id is None:  # a dry run for a learner not stored yet
        exam = catalog.exam(cert)
        raise NotFound(f"no goal for {exam.code}; add one with 'certjourney goal add {exam.code}'")
    goal = find_goal(session, learner_id, cert, catalog)
    exam = catalog.find(goal.exam_code)
    if exam is None:
        raise NotFound(f"goal {goal.id}: exam {goal.exam_code} is no longer in the catalog")
    return goal, exam


# --- import -----------------------------------------------------------------------

@dataclass
class _Stored:
    id: int
    content_hash: str
    position: int
    links: dict[str, float] = field(default_factory=dict)      # effective, as stored
    choices: dict[str, bool] = field(default_factory=dict)     # by hand: topic -> linked


def _load_stored(session: Session, goal_id: int) -> dict[str, dict[str, _Stored]]:
    """Every note of the goal with its links and choices, by file and anchor: one query, no bodies."""
    note, link, choice = Note.__table__, NoteTopic.__table__, NoteTopicChoice.__table__
    rows = session.execute(
        select(note.c.id, note.c.source, note.c.anchor, note.c.content_hash, note.c.position,
               link.c.topic, link.c.weight, choice.c.topic.label("chosen"), choice.c.linked)
        .select_from(note.outerjoin(link, link.c.note_id == note.c.id)
                     .outerjoin(choice, choice.c.note_id == note.c.id))
        .where(note.c.goal_id == goal_id)
    ).all()
    stored: dict[str, dict[str, _Stored]] = {}
    for r in rows:
        by_anchor = stored.setdefault(r.source, {})
        item = by_anchor.get(r.anchor)
        if item is None:
            item = by_anchor[r.anchor] = _Stored(r.id, r.content_hash, r.position)
        if r.topic is not None:
            item.links[r.topic] = float(r.weight)
        if r.chosen is not None:
            item.choices[r.chosen] = bool(r.linked)
    return stored


def apply_choices(rule: dict[str, float], choices: dict[str, bool]) -> dict[str, float]:
    """The effective links: the rule's, plus the topics linked by hand, minus those unlinked."""
    if not choices:
        return rule
    links = dict(rule)
    for topic, linked in choices.items():
        if linked:
            links[topic] = HAND_WEIGHT
        else:
            links.pop(topic, None)
    return links


def _ends_with(path: Path, source: str) -> bool:
    parts = source.split("/")
    return list(path.parts[-len(parts):]) == parts


def _resolve_sources(files: list[NotesFile], stored: set[str]) -> dict[str, str]:
    """The stored file name each parsed file goes to.

    Its own relative name when stored (or new); else the longest stored name
    that ends with it and with which the file's real path ends — the file was
    imported before as part of a larger folder.
    """
    resolved = {f.source: f.source for f in files if f.source in stored}
    claimed = set(resolved)
    by_name: dict[str, list[str]] = {}
    for s in stored:
        by_name.setdefault(s.rsplit("/", 1)[-1], []).append(s)
    for f in files:
        if f.source in resolved:
            continue
        same_name = by_name.get(f.source.rsplit("/", 1)[-1], [])
        candidates = [s for s in same_name if s not in claimed and s.endswith("/" + f.source)]
        if candidates:
            real = Path(os.path.abspath(f.path))
            candidates = [s for s in candidates if _ends_with(real, s)]
        resolved[f.source] = max(candidates, key=len) if candidates else f.source
        claimed.add(resolved[f.source])
    return resolved


def import_notes(session: Session, goal: Goal, exam: Exam, parsed: ParsedNotes, *,
                 dry_run: bool, now: datetime) -> NotesImportReport:
    """Store the parsed notes under ``goal``, linked to ``exam``'s topics (unless ``dry_run``)."""
    report = NotesImportReport(parsed.label, exam.code, dry_run, len(parsed.files),
                               warnings=parsed.warnings)
    matcher = TopicMatcher(exam.topics)
    stored = _load_stored(session, goal.id)
    sources = _resolve_sources(parsed.files, set(stored))
    now_s = int(now.timestamp())

    new_rows: list[dict] = []
    new_links: dict[tuple[str, str], dict[str, float]] = {}
    changed: list[dict] = []
    moved: list[dict] = []
    relinked: dict[int, dict[str, float]] = {}
    gone: list[int] = []
    for f in parsed.files:
        source = sources[f.source]
        existing = stored.get(source, {})
        for section in f.sections:
            old = existing.get(section.anchor)
            links = matcher.link(section, f.title)
            if old is not None:
                links = apply_choices(links, old.choices)
            for topic in links:
                report.per_topic[topic] = report.per_topic.get(topic, 0) + 1
            if not links:
                report.unlinked.append((source, shown_path(section.anchor, section.heading)))
            digest = section.content_hash
            if old is None:
                report.added += 1
                new_rows.append({
                    "learner_id": goal.learner_id, "goal_id": goal.id, "source": source,
                    "anchor": section.anchor, "heading": section.heading, "body": section.body,
                    "position": section.position, "content_hash": digest,
                    "created_at": now_s, "updated_at": now_s,
                })
                if links:
                    new_links[(source, section.anchor)] = links
                continue
            if old.content_hash != digest:
                changed.append({"b_id": old.id, "heading": section.heading, "body": section.body,
                                "content_hash": digest, "position": section.position,
                                "updated_at": now_s})
            elif old.position != section.position:
                moved.append({"b_id": old.id, "position": section.position})
            if old.links != links:
                relinked[old.id] = links
            if old.content_hash != digest or old.links != links:
                report.updated += 1
            else:
                report.unchanged += 1
        anchors = {s.anchor for s in f.sections}
        gone += [old.id for anchor, old in existing.items() if anchor not in anchors]
    report.removed = len(gone)
    if dry_run:
        return report

    note, link = Note.__table__, NoteTopic.__table__
    for chunk in _chunks(gone):  # their choices go by ON DELETE CASCADE
        session.execute(delete(link).where(link.c.note_id.in_(chunk)))
        session.execute(delete(note).where(note.c.id.in_(chunk)))
    if changed:
        session.execute(
            update(note).where(note.c.id == bindparam("b_id")).values(
                heading=bindparam("heading"), body=bindparam("body"),
                content_hash=bindparam("content_hash"), position=bindparam("position"),
                updated_at=bindparam("updated_at")),
            changed)
    if moved:
        session.execute(update(note).where(note.c.id == bindparam("b_id"))
                        .values(position=bindparam("position")), moved)
    rewritten = {row["b_id"] for row in changed}
    touched = [i for i in relinked if i not in rewritten]
    if touched:
        session.execute(update(note).where(note.c.id == bindparam("b_id"))
                        .values(updated_at=bindparam("updated_at")),
                        [{"b_id": i, "updated_at": now_s} for i in touched])
    for chunk in _chunks(list(relinked)):
        session.execute(delete(link).where(link.c.note_id.in_(chunk)))
    link_rows = [{"note_id": note_id, "topic": t, "weight": w}
                 for note_id, links in relinked.items() for t, w in links.items()]
    if new_rows:
        session.execute(insert(note), new_rows)
    if new_links:
        ids = _ids_of(session, goal.id, {source for source, _ in new_links})
        link_rows += [{"note_id": ids[key], "topic": t, "weight": w}
                      for key, links in new_links.items() for t, w in links.items()]
    if link_rows:
        session.execute(insert(link), link_rows)
    return report


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[i:i + CHUNK] for i in range(0, len(ids), CHUNK)]


def _ids_of(session: Session, goal_id: int, sources: set[str]) -> dict[tuple[str, str], int]:
    note = Note.__table__
    ids: dict[tuple[str, str], int] = {}
    names = sorted(sources)
    for i in range(0, len(names), CHUNK):
        rows = session.execute(
            select(note.c.source, note.c.anchor, note.c.id)
            .where(note.c.goal_id == goal_id, note.c.source.in_(names[i:i + CHUNK]))
        ).all()
        ids.update({(r.source, r.anchor): r.id for r in rows})
    return ids


# --- reading -----------------------------------------------------------------------

def list_notes(session: Session, goal: Goal, *, topic: str | None = None,
               unlinked: bool = False) -> list[NoteView]:
    """The goal's notes in file order; only those linked to ``topic`` (a topic's
    name as the catalog spells it), or only the unlinked ones."""
    note, link = Note.__table__, NoteTopic.__table__
    query = (
        select(note.c.id, note.c.source, note.c.anchor, note.c.heading, note.c.position,
               func.length(note.c.body).label("size"), note.c.updated_at,
               link.c.topic, link.c.weight)
        .select_from(note.outerjoin(link, link.c.note_id == note.c.id))
        .where(note.c.goal_id == goal.id)
        .order_by(note.c.source, note.c.position, note.c.id)
    )
    other = link.alias("nt")  # the filter's own copy: the join above lists every link
    if topic is not None:
        query = query.where(exists().where(other.c.note_id == note.c.id, other.c.topic == topic))
    if unlinked:
        query = query.where(~exists().where(other.c.note_id == note.c.id))
    views: list[NoteView] = []
    topics: dict[int, list[tuple[str, float]]] = {}
    for r in session.execute(query).all():
        if r.id not in topics:
            topics[r.id] = []
            views.append(NoteView(r.id, goal.exam_code, goal.id, r.source, r.anchor, r.heading,
                                  r.position, r.size or 0, (), r.updated_at))
        if r.topic is not None:
            topics[r.id].append((r.topic, float(r.weight)))
    return [_with_topics(v, topics[v.id]) for v in views]


def _with_topics(view: NoteView, links: list[tuple[str, float]]) -> NoteView:
    from dataclasses import replace

    return replace(view, topics=tuple(sorted(links, key=lambda tw: (-tw[1], tw[0]))))


def _own_note(session: Session, learner_id: int, note_id: int) -> tuple[Note, str]:
    """The learner's note and its goal's exam code; NotFound for anyone else's."""
    row = session.execute(
        select(Note, Goal.exam_code).join(Goal, Goal.id == Note.goal_id)
        .where(Note.id == note_id, Note.learner_id == learner_id)
    ).first()
    if row is None:
        raise NotFound(f"no note with id {note_id}")
    return row[0], row[1]


def get_note(session: Session, learner_id: int, note_id: int) -> NoteView:
    """One of the learner's notes, with its text."""
    n, code = _own_note(session, learner_id, note_id)
    link = NoteTopic.__table__
    links = session.execute(
        select(link.c.topic, link.c.weight).where(link.c.note_id == n.id)
    ).all()
    choice = NoteTopicChoice.__table__
    hand = session.execute(
        select(choice.c.topic).where(choice.c.note_id == n.id, choice.c.linked.is_(True))
    ).scalars().all()
    linked = {t for t, _ in links}
    view = NoteView(n.id, code, n.goal_id, n.source, n.anchor, n.heading, n.position,
                    len(n.body), (), n.updated_at, body=n.body,
                    hand=tuple(sorted(t for t in hand if t in linked)))
    return _with_topics(view, [(t, float(w)) for t, w in links])


# --- links by hand ---------------------------------------------------------------

@dataclass(frozen=True)
class LinkChange:
    """What :func:`link_note` or :func:`unlink_note` did."""

    note_id: int
    path: str
    cert: str
    topic: str
    linked: bool           # the link asked for: True to link, False to unlink
    changed: bool          # False: it already was so, nothing written
    was_linked: bool       # whether the note was linked to the topic before

    @property
    def message(self) -> str:
        """One line saying what was done, for the CLI and the app alike."""
        note = f"note {self.note_id} ({self.path})"
        if self.linked and not self.changed:
            return f"Note {self.note_id} ({self.path}) is already linked to {self.topic} by hand."
        if self.linked and self.was_linked:
            return (f"Note {self.note_id} ({self.path}) was already linked to {self.topic}; "
                    "it now stays linked by hand.")
        if self.linked:
            return f"Linked {note} to {self.topic}."
        if not self.changed:
            return f"Note {self.note_id} ({self.path}) is not linked to {self.topic}."
        return f"Unlinked {note} from {self.topic}; a re-import will not link it again."

    def to_json(self) -> dict:
        return {"note_id": self.note_id, "cert": self.cert, "topic": self.topic,
                "linked": self.linked, "changed": self.changed}


@dataclass
class _Linking:
    note: Note
    cert: str
    topic: str
    links: dict[str, float]
    choices: dict[str, bool]


def _linking(session: Session, learner_id: int, note_id: int, topic_query: str,
             catalog: Catalog, *, stored_names: bool) -> _Linking:
    """The learner's note, the topic named (through its goal's exam) and the note's links.

    With ``stored_names`` a topic the note is linked to also resolves by its stored
    name, so a link to a topic since dropped from the catalog can still be removed.
    """
    note, code = _own_note(session, learner_id, note_id)
    link, choice = NoteTopic.__table__, NoteTopicChoice.__table__
    links = {t: float(w) for t, w in session.execute(
        select(link.c.topic, link.c.weight).where(link.c.note_id == note.id)).all()}
    choices = {t: bool(c) for t, c in session.execute(
        select(choice.c.topic, choice.c.linked).where(choice.c.note_id == note.id)).all()}
    exam = catalog.find(code)
    wanted = topic_query.strip().casefold()
    stored = [t for t in links if t.casefold() == wanted] if stored_names else []
    if exam is None:
        if stored:
            return _Linking(note, code, stored[0], links, choices)
        raise NotFound(f"note {note_id}: exam {code} is no longer in the catalog")
    try:
        name = exam.topic(topic_query).name
    except NotFound:
        if not stored:
            raise
        name = stored[0]
    return _Linking(note, code, name, links, choices)


def _choose(session: Session, note_id: int, topic: str, linked: bool) -> None:
    row = session.get(NoteTopicChoice, (note_id, topic))
    if row is None:
        session.add(NoteTopicChoice(note_id=note_id, topic=topic, linked=linked))
    else:
        row.linked = linked


def link_note(session: Session, learner_id: int, note_id: int, topic_query: str, *,
              catalog: Catalog) -> LinkChange:
    """Link one of the learner's notes to a topic (name or alias of its goal's exam) by hand.

    The link weighs :data:`HAND_WEIGHT` and survives re-imports. A note already
    linked by the importer's rule is kept linked by hand from now on; one already
    linked by hand is left alone.
    """
    found = _linking(session, learner_id, note_id, topic_query, catalog, stored_names=False)
    note, topic = found.note, found.topic
    was_linked = topic in found.links
    path = shown_path(note.anchor, note.heading)
    if was_linked and found.choices.get(topic) is True:
        return LinkChange(note.id, path, found.cert, topic, True, False, True)
    _choose(session, note.id, topic, True)
    link = NoteTopic.__table__
    if was_linked:
        session.execute(update(link).where(link.c.note_id == note.id, link.c.topic == topic)
                        .values(weight=HAND_WEIGHT))
    else:
        session.execute(insert(link).values(note_id=note.id, topic=topic, weight=HAND_WEIGHT))
    note.updated_at = clock.now()
    session.flush()
    return LinkChange(note.id, path, found.cert, topic, True, True, was_linked)


def unlink_note(session: Session, learner_id: int, note_id: int, topic_query: str, *,
                catalog: Catalog) -> LinkChange:
    """Remove a note's link to a topic by hand, so that re-imports do not bring it back."""
    found = _linking(session, learner_id, note_id, topic_query, catalog, stored_names=True)
    note, topic = found.note, found.topic
    path = shown_path(note.anchor, note.heading)
    if topic not in found.links:
        return LinkChange(note.id, path, found.cert, topic, False, False, False)
    _choose(session, note.id, topic, False)
    link = NoteTopic.__table__
    session.execute(delete(link).where(link.c.note_id == note.id, link.c.topic == topic))
    note.updated_at = clock.now()
    session.flush()
    return LinkChange(note.id, path, found.cert, topic, False, True, True)


def hand_linked(session: Session, goal_id: int, topic: str) -> set[int]:
    """The ids of the goal's notes linked to ``topic`` by hand."""
    note, choice = Note.__table__, NoteTopicChoice.__table__
    return set(session.execute(
        select(choice.c.note_id).join(note, note.c.id == choice.c.note_id)
        .where(note.c.goal_id == goal_id, choice.c.topic == topic, choice.c.linked.is_(True))
    ).scalars().all())


def notes_by_topic(session: Session, goal_id: int) -> dict[str, int]:
    """How many of the goal's notes are linked to each topic (topics without notes left out)."""
    note, link = Note.__table__, NoteTopic.__table__
    rows = session.execute(
        select(link.c.topic, func.count())
        .select_from(link.join(note, note.c.id == link.c.note_id))
        .where(note.c.goal_id == goal_id)
        .group_by(link.c.topic)
    ).all()
    return {topic: count for topic, count in rows}
