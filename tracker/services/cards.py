"""Cards: where they come from, cards added with ``card add``, choosing cards to
export, and what the last export held for each (``card_state``).

A learner's cards for an exam are, in this order: the card files (shipped, then
the learner's folders), the cards in their imported notes (topic: the note's
strongest link; notes linked to no topic are skipped and counted), and the cards
added with ``card add``. An added card with the identity of a card from a file
overrides it (same GUID), so a learner can correct a shipped answer.

Each export compares every chosen card with its ``card_state`` row: a card whose
exported note (fields, tags, deck) changed gets ``changed_at = max(now,
previous + 1)``, which becomes the Anki note's modification time, so Anki's
"update if newer" takes the change even two exports within one second apart. The
rendered fields are kept in the row, keyed by a hash of the card's text, so an
unchanged card is never rendered twice.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, delete, insert, or_, select, update
from sqlmodel import Session

from tracker.bulk import insert_rows
from tracker.cards import (
    Card,
    ParsedCards,
    Problem,
    card_key,
    cloze_problem,
    drop_duplicates,
    guid_for,
    make_card,
    media_name,
    normalise_front,
    parse_note_cards,
    read_card_paths,
)
from tracker.errors import InvalidInput, NotFound
from tracker.models import OPEN_STATUSES, AddedCard, CardState, Goal, Note, NoteTopic

if TYPE_CHECKING:
    from pathlib import Path

    from tracker.catalog import Catalog, Exam, Topic

DEFAULT_WEAK_TOP = 5
MAX_CARD_TEXT = 20_000
CHUNK = 500


# --- loading every card ---------------------------------------------------------------

@dataclass
class CardSet(ParsedCards):
    notes_without_topic: int = 0     # cards in notes linked to no topic (skipped)


def load_cards(session: Session | None, learner_id: int | None, catalog: Catalog,
               folders: Sequence[tuple[Path, str]], *, exams: set[str] | None = None) -> CardSet:
    """Every card of ``exams`` (None: all) the learner has: files, notes, added cards."""
    parsed = read_card_paths(folders, catalog, exams=exams)
    result = CardSet(cards=parsed.cards, problems=parsed.problems, skipped=parsed.skipped,
                     files=parsed.files)
    if session is None or learner_id is None:
        return result
    from_notes = _note_cards(session, learner_id, catalog, exams, result)
    if from_notes:
        combined = drop_duplicates(ParsedCards(cards=result.cards + from_notes))
        result.cards = combined.cards
        result.problems += combined.problems
        result.skipped += combined.skipped
    added = _added_cards(session, learner_id, catalog, exams, result)
    if added:
        position = {c.guid: i for i, c in enumerate(result.cards)}
        for card in added:
            i = position.get(card.guid)
            if i is None:
                result.cards.append(card)
            else:
                result.cards[i] = card
    return result


def _note_cards(session: Session, learner_id: int, catalog: Catalog, exams: set[str] | None,
                result: CardSet) -> list[Card]:
    note, link, goal = Note.__table__, NoteTopic.__table__, Goal.__table__
    query = (select(note.c.id, note.c.source, note.c.anchor, note.c.body, goal.c.exam_code)
             .join(goal, goal.c.id == note.c.goal_id)
             .where(note.c.learner_id == learner_id,
                    or_(note.c.body.like("%Q:%"), note.c.body.like("%C:%")))
             .order_by(goal.c.exam_code, note.c.source, note.c.position, note.c.id))
    if exams is not None:
        query = query.where(goal.c.exam_code.in_(sorted(exams)))
    rows = session.execute(query).all()
    if not rows:
        return []
    strongest: dict[int, tuple[float, str]] = {}
    ids = [r.id for r in rows]
    for i in range(0, len(ids), CHUNK):
        for note_id, topic, weight in session.execute(
            select(link.c.note_id, link.c.topic, link.c.weight).where(link.c.note_id.in_(ids[i:i + CHUNK]))
        ):
            best = strongest.get(note_id)
            if best is None or (-weight, topic) < (-best[0], best[1]):
                strongest[note_id] = (weight, topic)
    cards: list[Card] = []
    for r in rows:
        exam = catalog.find(r.exam_code)
        if exam is None:
            continue
        best = strongest.get(r.id)
        topic = exam.find_topic(best[1]) if best else None
        found = parse_note_cards(r.body, exam, topic, f"note {r.id} ({r.source} > {r.anchor})")
        if topic is None:
            result.notes_without_topic += found.skipped
        else:
            result.problems += found.problems
            result.skipped += found.skipped
        cards += found.cards
    return cards


def _added_cards(session: Session, learner_id: int, catalog: Catalog, exams: set[str] | None,
                 result: CardSet) -> list[Card]:
    t = AddedCard.__table__
    query = select(t).where(t.c.learner_id == learner_id).order_by(t.c.id)
    if exams is not None:
        query = query.where(t.c.exam_code.in_(sorted(exams)))
    cards = []
    for r in session.execute(query).all():
        exam = catalog.find(r.exam_code)
        topic = exam.find_topic(r.topic) if exam else None
        if topic is None:
            result.problems.append(Problem(f"card {r.id}", 0, f"{r.exam_code} has no topic "
                                                               f"{r.topic!r} any more; skipped"))
            result.skipped += 1
            continue
        cards.append(make_card(exam, topic, r.kind, r.front, r.back, source=f"card {r.id}",
                               db_id=r.id, key=r.card_key))
    return cards


# --- card add / remove ----------------------------------------------------------------

@dataclass(frozen=True)
class AddResult:
    id: int
    action: str                      # "added", "updated" or "unchanged"
    overrides: Card | None = None    # the card from a file this one replaces


def _check_text(what: str, text: str, *, required: bool = True) -> str:
    value = text.strip()
    if required and not value:
        raise InvalidInput(f"{what} is empty")
    if len(value) > MAX_CARD_TEXT:
        raise InvalidInput(f"{what} is longer than {MAX_CARD_TEXT:,} characters")
    return value


def add_card(session: Session, learner_id: int, exam: Exam, topic: Topic, *, front: str,
             back: str, kind: str, file_cards: Sequence[Card], now: datetime) -> AddResult:
    """Store a card; the question of a card this topic already has updates its answer."""
    if kind == "cloze":
        front = _check_text("the cloze text", front)
        back = _check_text("the extra text", back, required=False)
        why = cloze_problem(front)
        if why:
            raise InvalidInput(f"--cloze: {why}")
    else:
        front = _check_text("--front", front)
        back = _check_text("--back", back)
    wanted = normalise_front(front)
    overrides = next((c for c in file_cards if c.exam == exam.code and c.topic == topic.name
                      and normalise_front(c.front) == wanted), None)
    key = overrides.key if overrides else card_key(exam.code, topic.name, front)
    guid = guid_for(key)
    t = AddedCard.__table__
    row = session.execute(select(t.c.id, t.c.front, t.c.back, t.c.kind).where(
        t.c.learner_id == learner_id, t.c.guid == guid)).first()
    if row is not None:
        if (normalise_front(row.front), row.back, row.kind) == (wanted, back, kind):
            return AddResult(row.id, "unchanged", overrides)
        session.execute(update(t).where(t.c.id == row.id).values(
            front=front, back=back, kind=kind, topic=topic.name, updated_at=now))
        return AddResult(row.id, "updated", overrides)
    new_id = session.execute(insert(t).values(
        learner_id=learner_id, exam_code=exam.code, topic=topic.name, kind=kind, front=front,
        back=back, card_key=key, guid=guid, created_at=now, updated_at=now)).inserted_primary_key[0]
    return AddResult(new_id, "added", overrides)


def find_added_card(session: Session, learner_id: int, card_id: int) -> AddedCard:
    card = session.get(AddedCard, card_id)
    if card is None or card.learner_id != learner_id:
        raise NotFound(f"no card with id {card_id} (ids are those of cards added with "
                       "'certjourney card add'; see 'certjourney card list CODE')")
    return card


def remove_card(session: Session, card: AddedCard) -> None:
    session.execute(delete(AddedCard.__table__).where(AddedCard.__table__.c.id == card.id))


# --- choosing cards to export ---------------------------------------------------------

@dataclass
class ExportScope:
    goals: list[Goal]       # whose weak-area ranking applies (none for --exam)
    exams: list[Exam]


def _preferred_goals(goals: list[Goal]) -> list[Goal]:
    """One goal per exam: the open one, else the newest."""
    chosen: dict[str, Goal] = {}
    for g in sorted(goals, key=lambda g: (g.status in OPEN_STATUSES, g.created_at, g.id)):
        chosen[g.exam_code] = g
    return sorted(chosen.values(), key=lambda g: g.exam_code)


def export_scope(session: Session, learner_id: int, catalog: Catalog, *, code: str | None,
                 all_goals: bool, exam_code: str | None) -> ExportScope:
    """The goals and exams an export covers: a goal, every goal, or an exam alone."""
    from tracker.services.goals import find_goal, list_goals

    if exam_code:
        return ExportScope([], [catalog.exam(exam_code)])
    if code:
        goals = [find_goal(session, learner_id, code, catalog)]
    else:
        everything = list_goals(session, learner_id)
        if all_goals:
            goals = _preferred_goals(everything)
            if not goals:
                raise NotFound("no goals yet; add one with 'certjourney goal add CODE', "
                               "or export an exam's cards with --exam CODE")
        else:
            goals = [g for g in everything if g.status in OPEN_STATUSES]
            if not goals:
                raise NotFound("no open goal: name the exam (CODE), use --all, or --exam CODE")
            if len(goals) > 1:
                raise InvalidInput("you have several open goals ("
                                   + ", ".join(sorted(g.exam_code for g in goals))
                                   + "): name one (CODE) or use --all")
    exams = []
    for g in goals:
        exam = catalog.find(g.exam_code)
        if exam is None:
            raise NotFound(f"goal {g.id}: exam {g.exam_code} is no longer in the catalog")
        exams.append(exam)
    return ExportScope(goals, exams)


def weakest_topics(session: Session, goals: Sequence[Goal], catalog: Catalog, top: int,
                   today: date) -> list[tuple[str, str]]:
    """(exam, topic) of the ``top`` weakest topics of these goals: the weak-area ranking."""
    from tracker.services import evidence, weakness

    topics = []
    for g in goals:
        topics += evidence.gather(session, g, catalog.exam(g.exam_code)).topics
    return [(w.cert, w.topic) for w in weakness.rank(topics, today, top)]


def resolve_topics(exams: Sequence[Exam], names: Sequence[str]) -> set[tuple[str, str]]:
    """``--topic`` names (or aliases) as (exam, topic) pairs of the exams exported."""
    chosen: set[tuple[str, str]] = set()
    for name in names:
        found = [(e.code, t.name) for e in exams if (t := e.find_topic(name)) is not None]
        if not found:
            exams[0].topic(name)  # raises NotFound with the closest names
            raise NotFound(f"no exam exported has a topic {name!r}")
        chosen.update(found)
    return chosen


def choose_cards(cards: Sequence[Card], exams: Sequence[Exam],
                 topics: set[tuple[str, str]] | None = None) -> list[Card]:
    codes = {e.code for e in exams}
    return [c for c in cards if c.exam in codes and (topics is None or (c.exam, c.topic) in topics)]


# --- export state -----------------------------------------------------------------------

@dataclass
class ExportPlan:
    notes: list[Any] = field(default_factory=list)
    media: dict[str, str] = field(default_factory=dict)       # bare name -> path
    warnings: list[str] = field(default_factory=list)
    new: int = 0
    changed: int = 0
    rendered: int = 0


def content_hash(card: Card, render_version: str) -> str:
    """What the rendered fields depend on (images aside: they are checked by name)."""
    text = f"{render_version}\0{card.kind}\0{card.front}\0{card.back}\0{card.base_dir or ''}"
    return hashlib.sha256(text.encode()).hexdigest()


def note_hash(note: Any) -> str:
    """What the learner's Anki note holds: fields, tags, deck and type."""
    text = "\0".join((note.deck, note.kind, " ".join(note.tags), *note.fields))
    return hashlib.sha256(text.encode()).hexdigest()


def _media_still_valid(media: dict) -> bool:
    for name, path in media.get("files", {}).items():
        try:
            with open(path, "rb") as handle:
                if media_name(handle.read(), os.path.splitext(path)[1]) != name:
                    return False
        except OSError:
            return False
    return not any(looked and os.path.exists(looked) for _, looked in media.get("missing", []))


_STATE_COLUMNS = ("learner_id", "guid", "exam_code", "topic", "content_hash", "note_hash",
                  "changed_at", "fields_html", "media")


def prepare_export(session: Session, learner_id: int, cards: Sequence[Card],
                   weak: set[tuple[str, str]], *, render_cards: Callable[[Sequence[Card]], Iterable[Any]],
                   note_for: Callable[..., Any], render_version: str, now: datetime) -> ExportPlan:
    """The notes to write for ``cards``, each with its modification time, and the
    ``card_state`` rows brought up to date (in the caller's transaction).

    ``render_cards(cards)`` gives, in order, an object for each card with ``fields``,
    ``media``, ``missing`` and ``looked_for`` (a list, or an iterator read as the
    cards are processed); it is called once, with the cards whose kept fields cannot
    be used. ``note_for(card, fields, weak=...)`` gives the note (with a settable
    ``mod``) — the exporter's, so this module needs no genanki.
    """
    cs = CardState.__table__
    stored = {r.guid: r for r in session.execute(
        select(cs.c.guid, cs.c.content_hash, cs.c.note_hash, cs.c.changed_at, cs.c.fields_html,
               cs.c.media).where(cs.c.learner_id == learner_id))}
    now_s = int(now.timestamp())
    plan = ExportPlan()
    # The fields kept from the last export where they still hold; the others are
    # rendered in one call (on several cores when there are many), read in order.
    hashes = [content_hash(card, render_version) for card in cards]
    olds = [stored.get(card.guid) for card in cards]
    kept: list[Any] = [None] * len(cards)
    to_render: list[Card] = []
    for i, (card, old) in enumerate(zip(cards, olds, strict=True)):
        if old is not None and old.content_hash == hashes[i] and old.fields_html:
            stored_media = json.loads(old.media) if old.media else {}
            if _media_still_valid(stored_media):
                kept[i] = tuple(old.fields_html.split("\x1f")), stored_media
                continue
        to_render.append(card)
    rendered_in_order = iter(render_cards(to_render) if to_render else ())
    plan.rendered = len(to_render)
    inserts: list[tuple] = []     # in the order of _STATE_COLUMNS
    updates: list[dict] = []
    try:
        for card, chash, old, content in zip(cards, hashes, olds, kept, strict=True):
            if content is None:
                rendered = next(rendered_in_order)
                fields, media = rendered.fields, {}
                if rendered.media:
                    media["files"] = rendered.media
                if rendered.missing:
                    media["missing"] = [[ref, looked] for ref, looked
                                        in zip(rendered.missing, rendered.looked_for, strict=True)]
            else:
                fields, media = content
            if media:
                for ref, _ in media.get("missing", ()):
                    plan.warnings.append(f"{card.where}: image {ref!r} not found; the card is "
                                         "exported without it")
                plan.media.update(media.get("files", {}))
            note = note_for(card, fields, weak=(card.exam, card.topic) in weak)
            nhash = note_hash(note)
            media_json = json.dumps(media, sort_keys=True) if media else ""
            if old is None:
                changed_at = now_s
                plan.new += 1
                inserts.append((learner_id, card.guid, card.exam, card.topic, chash, nhash, changed_at,
                                "\x1f".join(fields), media_json))
            else:
                previous = int(old.changed_at.timestamp())
                if old.note_hash != nhash:
                    changed_at = max(now_s, previous + 1)
                    plan.changed += 1
                else:
                    changed_at = previous
                if old.note_hash != nhash or (old.content_hash, old.media or "") != (chash, media_json):
                    updates.append({"b_guid": card.guid, "exam_code": card.exam, "topic": card.topic,
                                    "content_hash": chash, "note_hash": nhash,
                                    "changed_at": changed_at, "fields_html": "\x1f".join(fields),
                                    "media": media_json})
            note.mod = changed_at
            plan.notes.append(note)
    finally:
        close = getattr(rendered_in_order, "close", None)
        if close is not None:
            close()    # a generator's helpers are reaped now, not when it is collected
    if inserts:
        insert_rows(session, cs, _STATE_COLUMNS, inserts)
    if updates:
        session.execute(
            update(cs).where(cs.c.learner_id == learner_id, cs.c.guid == bindparam("b_guid"))
            .values(exam_code=bindparam("exam_code"), topic=bindparam("topic"),
                    content_hash=bindparam("content_hash"), note_hash=bindparam("note_hash"),
                    changed_at=bindparam("changed_at"), fields_html=bindparam("fields_html"),
                    media=bindparam("media")),
            updates)
    return plan
