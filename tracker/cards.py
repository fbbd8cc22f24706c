"""Flashcards in the card authoring format: files -> cards, validated. Pure; no database.

A card file is markdown (``*.md``) under ``content/cards/`` or a folder the learner
adds (``--cards-dir DIR``, ``CERTJOURNEY_CARDS``)::

    ---
    exam: SAA-C03                 # required: an exam code or alias
    topic: VPC security           # optional: the topic of cards before the first heading
    tags: networking, security    # optional: added to every card of the file
    ---
    # Load balancing              <- a heading names the topic of the cards under it

    id: saa-alb-layer             <- optional stable identity, right before Q: or C:
    Q: Which layer does an ALB work at?
    A: Layer **7**.

    C: A {{c1::Network Load Balancer}} works at layer {{c2::4}}.
    Extra: Gateway Load Balancer: layer 3.

``Q:`` runs to ``A:``; ``A:`` runs to the next ``Q:``, ``C:``, ``id:``, heading or the
end (blank lines inside are kept); ``C:`` runs to ``Extra:`` or the next card. Lines
in fenced code are never markers. A card's identity is its ``id:`` or else its exam,
topic and question (whitespace normalised); the Anki GUID derives from that alone, so
editing an answer updates the card instead of making a new one.

Problems (a ``Q:`` without ``A:``, an unknown exam or topic, broken front matter, a
bad cloze, a duplicate id...) are reported as ``FILE:LINE: reason``; the file's other
cards still load and ``skipped`` counts the cards left out. Notes imported with
``import notes`` may hold cards too (:func:`parse_note_cards`).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from tracker.catalog import Catalog, Exam, Topic

ENV_CARDS = "CERTJOURNEY_CARDS"
SUFFIXES = (".md", ".markdown")
FRONT_MATTER_KEYS = ("exam", "topic", "tags")
MAX_CLOZE = 20
MAX_TEXT = 20_000          # characters of one side of a card
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".avif")

_HEADING = re.compile(r" {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
# A marker is followed by a space or the line's end: a path like C:\Windows in an answer is text.
_MARKER = re.compile(r"(Q|A|C|Extra|id):(?=[ \t]|$)[ \t]*(.*)$")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_FRONT_LINE = re.compile(r"([A-Za-z][A-Za-z0-9_-]*)[ \t]*:[ \t]*(.*?)[ \t]*$")
_ID = re.compile(r"[A-Za-z0-9._-]{1,200}$")
_CLOZE_OPEN = re.compile(r"\{\{c(\d+)::")


# --- cards ------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Card:
    """One flashcard: a basic question and answer, or a cloze text and its extra."""

    exam: str                  # the exam's code, as the catalog spells it
    domain: str
    topic: str                 # the topic's name, as the catalog spells it
    kind: str                  # "basic" or "cloze"
    front: str                 # the question, or the cloze text (markdown)
    back: str                  # the answer, or the cloze's Extra (markdown; may be empty)
    key: str                   # the identity the GUID derives from
    guid: str
    tags: tuple[str, ...] = ()
    card_id: str | None = None         # the `id:` given, if any
    source: str = ""                   # a file, "note 12 (...)" or "card 7" (card add)
    line: int = 0
    base_dir: str | None = None        # where relative image paths are looked up
    db_id: int | None = None           # the card table's id, for cards added with `card add`

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}" if self.line else self.source

    def ords(self) -> tuple[int, ...]:
        """Anki card ordinals: 0 for a basic card, N-1 for each cloze deletion cN."""
        if self.kind == "basic":
            return (0,)
        return tuple(n - 1 for n in cloze_numbers(self.front)) or (0,)

    def to_json(self) -> dict:
        return {"guid": self.guid, "id": self.db_id if self.db_id is not None else self.card_id,
                "exam": self.exam, "domain": self.domain, "topic": self.topic, "kind": self.kind,
                "front": self.front, "back": self.back, "tags": list(self.tags),
                "source": self.source, "line": self.line or None}


def normalise_front(text: str) -> str:
    return " ".join(text.split())


def card_key(exam: str, topic: str, front: str, card_id: str | None = None) -> str:
    """A card's identity: its ``id:``, else its exam, topic and question."""
    if card_id:
        return f"certjourney\x1f{exam}\x1fid\x1f{card_id}"
    return f"certjourney\x1f{exam}\x1f{topic}\x1f{normalise_front(front)}"


_BASE91 = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
           "!#$%&()*+,-./:;<=>?@[]^_`{|}~")


def guid_for(key: str) -> str:
    """Anki's GUID format (genanki's ``guid_for``): 64 bits of SHA-256 in base 91."""
    n = int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big")
    digits = []
    while n:
        n, r = divmod(n, 91)
        digits.append(_BASE91[r])
    return "".join(reversed(digits))


def make_card(exam: Exam, topic: Topic, kind: str, front: str, back: str, *,
              tags: Sequence[str] = (), card_id: str | None = None, source: str = "",
              line: int = 0, base_dir: str | None = None, db_id: int | None = None,
              key: str | None = None) -> Card:
    key = key or card_key(exam.code, topic.name, front, card_id)
    return Card(exam.code, topic.domain, topic.name, kind, front, back, key, guid_for(key),
                tuple(tags), card_id, source, line, base_dir, db_id)


# --- clozes -----------------------------------------------------------------------

def cloze_numbers(text: str) -> tuple[int, ...]:
    return tuple(sorted({int(n) for n in _CLOZE_OPEN.findall(text)}))


def cloze_problem(text: str) -> str | None:
    """Why ``text`` is not a valid cloze, or None."""
    depth = 0
    i = 0
    found = 0
    while True:
        opening = text.find("{{", i)
        closing = text.find("}}", i)
        if opening < 0 and closing < 0:
            break
        if opening >= 0 and (closing < 0 or opening < closing):
            m = _CLOZE_OPEN.match(text, opening)
            if m is None:
                return "unbalanced cloze: '{{' must start a deletion like {{c1::answer}}"
            n = int(m.group(1))
            if not 1 <= n <= MAX_CLOZE:
                return f"cloze number c{n} is outside c1 to c{MAX_CLOZE}"
            body_start = m.end()
            close = text.find("}}", body_start)
            nested = text.find("{{", body_start)
            if close >= 0 and (nested < 0 or close < nested) \
                    and not text[body_start:close].split("::")[0].strip():
                return f"empty cloze deletion c{n}"
            depth += 1
            found += 1
            i = body_start
        else:
            if depth == 0:
                return "unbalanced cloze: '}}' without '{{'"
            depth -= 1
            i = closing + 2
    if depth:
        return "unbalanced cloze: '{{' without '}}'"
    if not found:
        return "a cloze card needs at least one deletion like {{c1::answer}}"
    return None


# --- images -----------------------------------------------------------------------

def media_name(data: bytes, suffix: str) -> str:
    """The bare, unique name an image travels under in a package: its content hash."""
    return hashlib.sha256(data).hexdigest()[:20] + suffix.lower()


# --- problems and results ---------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    source: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.reason}" if self.line else f"{self.source}: {self.reason}"


@dataclass
class ParsedCards:
    cards: list[Card] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: int = 0           # cards left out because of a problem
    files: int = 0

    def extend(self, other: ParsedCards) -> None:
        self.cards += other.cards
        self.problems += other.problems
        self.skipped += other.skipped
        self.files += other.files


# --- the body: markers, headings, fences ------------------------------------------

@dataclass
class _Raw:
    kind: str
    line: int
    card_id: tuple[str, int] | None
    heading: tuple[str, int] | None
    front: list[str]
    back: list[str] | None = None


def _text(lines: list[str]) -> str:
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return "\n".join(lines[start:end]).rstrip()


def _heading_text(text: str) -> str:
    return text.strip().strip("*_`").strip()


def _split(lines: list[str], start: int, source: str, problems: list[Problem], *,
           strict: bool) -> list[_Raw]:
    """The cards in ``lines[start:]`` with the heading above each, before any checks.

    ``strict`` (card files) reports text outside cards and misplaced markers; notes
    are free text around their cards, so there such lines are simply not cards.
    """
    raws: list[_Raw] = []
    cur: _Raw | None = None
    heading: tuple[str, int] | None = None
    pending_id: tuple[str, int] | None = None
    fence: str | None = None

    def add(line: str) -> None:
        (cur.back if cur.back is not None else cur.front).append(line)

    for idx in range(start, len(lines)):
        line = lines[idx]
        no = idx + 1
        if fence is not None:
            if cur is not None:
                add(line)
            stripped = line.strip()
            if stripped.startswith(fence) and not stripped.strip(fence[0]):
                fence = None
            continue
        marker = _MARKER.match(line)
        if pending_id is not None and not (marker and marker.group(1) in ("Q", "C")):
            if strict:
                problems.append(Problem(source, pending_id[1],
                                        "id: must be on the line right before Q: or C:"))
            pending_id = None
        fm = _FENCE.match(line)
        if fm:
            run = fm.group(1)
            fence = run[0] * len(run)
            if cur is not None:
                add(line)
            elif strict:
                problems.append(Problem(source, no, "text outside a card (start cards with Q: or C:)"))
            continue
        hm = _HEADING.match(line)
        if hm:
            if cur is not None:
                raws.append(cur)
                cur = None
            heading = (_heading_text(hm.group(2)), no)
            continue
        if marker:
            tag, rest = marker.groups()
            if tag in ("Q", "C"):
                if cur is not None:
                    raws.append(cur)
                cur = _Raw("basic" if tag == "Q" else "cloze", no, pending_id, heading, [rest])
                pending_id = None
            elif tag == "id":
                if cur is not None:
                    raws.append(cur)
                    cur = None
                pending_id = (rest.strip(), no)
            elif tag == "A":
                if cur is not None and cur.kind == "basic" and cur.back is None:
                    cur.back = [rest]
                elif strict:
                    why = ("a cloze card takes Extra:, not A:" if cur is not None and cur.kind == "cloze"
                           else "A: without Q:" if cur is None else "a second A: in one card")
                    problems.append(Problem(source, no, why))
                elif cur is not None:
                    add(line)
            else:  # Extra:
                if cur is not None and cur.kind == "cloze" and cur.back is None:
                    cur.back = [rest]
                elif strict:
                    why = ("Extra: belongs to a cloze card (C:)" if cur is None or cur.kind == "basic"
                           else "a second Extra: in one card")
                    problems.append(Problem(source, no, why))
                elif cur is not None:
                    add(line)
            continue
        if cur is not None:
            add(line)
        elif strict and line.strip():
            problems.append(Problem(source, no, "text outside a card (start cards with Q: or C:)"))
    if cur is not None:
        raws.append(cur)
    if pending_id is not None and strict:
        problems.append(Problem(source, pending_id[1], "id: must be on the line right before Q: or C:"))
    return raws


def _check(raw: _Raw, source: str) -> tuple[str, str, str | None, list[Problem]]:
    """The card's front, back and id, and what is wrong with it."""
    front = _text(raw.front)
    back = _text(raw.back) if raw.back is not None else ""
    found: list[Problem] = []
    if raw.kind == "basic":
        if raw.back is None:
            found.append(Problem(source, raw.line, "Q: without A:"))
        elif not front:
            found.append(Problem(source, raw.line, "Q: has no question"))
        elif not back:
            found.append(Problem(source, raw.line, "A: has no answer"))
    else:
        why = cloze_problem(front) if front else "C: has no text"
        if why:
            found.append(Problem(source, raw.line, why))
    if len(front) > MAX_TEXT or len(back) > MAX_TEXT:
        found.append(Problem(source, raw.line, f"card longer than {MAX_TEXT:,} characters"))
    card_id = None
    if raw.card_id is not None:
        card_id, id_line = raw.card_id
        if not _ID.match(card_id):
            found.append(Problem(source, id_line, f"id {card_id!r} may hold only letters, digits, "
                                                  "'-', '_' and '.'" if card_id else "id: is empty"))
    return front, back, card_id, found


def _resolve(raws: list[_Raw], exam: Exam | None, default_topic: Topic | None, source: str,
             result: ParsedCards, *, tags: Sequence[str] = (), base_dir: str | None = None,
             topic_problem: bool = False) -> None:
    """Turn raw cards into checked cards of ``exam`` (None: the file is unusable)."""
    bad_headings: set[int] = set()
    for raw in raws:
        if exam is None:
            result.skipped += 1
            continue
        if raw.heading is not None:
            topic = exam.find_topic(raw.heading[0])
            if topic is None:
                result.skipped += 1
                if raw.heading[1] not in bad_headings:
                    bad_headings.add(raw.heading[1])
                    names = exam.similar_topics(raw.heading[0])
                    hint = f" (closest: {', '.join(names)})" if names else ""
                    result.problems.append(Problem(
                        source, raw.heading[1], f"heading {raw.heading[0]!r} is not a topic of "
                        f"{exam.code}{hint}; the cards under it are skipped"))
                continue
        else:
            topic = default_topic
            if topic is None:
                result.skipped += 1
                if not topic_problem:
                    result.problems.append(Problem(source, raw.line, "card has no topic: put a "
                                                   "topic heading above it or 'topic:' in the front matter"))
                continue
        front, back, card_id, found = _check(raw, source)
        if found:
            result.problems += found
            result.skipped += 1
            continue
        result.cards.append(make_card(exam, topic, raw.kind, front, back, tags=tags, card_id=card_id,
                                      source=source, line=raw.line, base_dir=base_dir))


# --- card files -------------------------------------------------------------------

def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1].strip()
    return value


def parse_card_text(text: str, source: str, catalog: Catalog, *, base_dir: str | None = None,
                    exams: set[str] | None = None) -> ParsedCards:
    """The cards of one card file's text; ``exams`` keeps only files of those exam codes."""
    result = ParsedCards(files=1)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    problems = result.problems
    meta: dict[str, tuple[str, int]] = {}
    broken = False
    body_start = 0
    if not lines or lines[0].strip() != "---":
        problems.append(Problem(source, 1, "no front matter: start the file with '---', "
                                           "'exam: CODE' and '---'"))
        broken = True
    else:
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is None:
            problems.append(Problem(source, 1, "front matter has no closing '---'"))
            broken = True
            body_start = 1
        else:
            body_start = end + 1
            for i in range(1, end):
                raw_line = lines[i].strip()
                if not raw_line or raw_line.startswith("#"):
                    continue
                m = _FRONT_LINE.match(raw_line)
                if m is None:
                    problems.append(Problem(source, i + 1, f"front matter: cannot read {raw_line!r} "
                                                           "(expected 'key: value')"))
                    broken = True
                    continue
                key, value = m.group(1).lower(), _unquote(m.group(2))
                if key not in FRONT_MATTER_KEYS:
                    problems.append(Problem(source, i + 1, f"front matter: unknown key {key!r} "
                                                           f"(known: {', '.join(FRONT_MATTER_KEYS)})"))
                    broken = True
                elif key in meta:
                    problems.append(Problem(source, i + 1, f"front matter: {key!r} given twice"))
                    broken = True
                else:
                    meta[key] = (value, i + 1)
    exam = None
    if not broken:
        if "exam" not in meta or not meta["exam"][0]:
            line = meta["exam"][1] if "exam" in meta else 1
            problems.append(Problem(source, line, "front matter has no 'exam:' (an exam code)"))
        else:
            value, line = meta["exam"]
            exam = catalog.find(value)
            if exam is None:
                try:
                    catalog.exam(value)
                except NotFound as exc:
                    problems.append(Problem(source, line, str(exc)))
    if exam is not None and exams is not None and exam.code not in exams:
        return ParsedCards(files=1)
    default_topic = None
    topic_problem = False
    if exam is not None and "topic" in meta:
        value, line = meta["topic"]
        default_topic = exam.find_topic(value)
        if default_topic is None:
            topic_problem = True
            try:
                exam.topic(value)
            except NotFound as exc:
                problems.append(Problem(source, line, f"front matter: {exc}; the cards "
                                                      "before the first heading are skipped"))
    tags: list[str] = []
    if "tags" in meta:
        tags = [t.strip() for t in meta["tags"][0].split(",") if t.strip()]
    # An unusable file reports its front matter only; its cards are just counted.
    raws = _split(lines, body_start, source, problems if exam is not None else [],
                  strict=exam is not None)
    _resolve(raws, exam, default_topic, source, result, tags=tags, base_dir=base_dir,
             topic_problem=topic_problem)
    return result


def parse_note_cards(body: str, exam: Exam, topic: Topic | None, source: str, *,
                     base_dir: str | None = None) -> ParsedCards:
    """The cards (``Q:``/``A:``, ``C:``) in an imported note's text, all of ``topic``.

    Text around the cards is the note's own prose and not a problem. Without a
    topic (a note linked to none) every card is skipped.
    """
    result = ParsedCards()
    if "Q:" not in body and "C:" not in body:
        return result
    raws = _split(body.split("\n"), 0, source, result.problems, strict=False)
    if topic is None:
        result.skipped += len(raws)
        return result
    # Headings do not occur in a note's text (each heading starts a note), so the
    # note's topic applies to every card.
    for raw in raws:
        raw.heading = None
    _resolve(raws, exam, topic, source, result, base_dir=base_dir)
    return result


def card_files(folder: Path) -> list[str]:
    """Relative paths (with '/') of the card files under ``folder``, sorted.

    Hidden files and folders are skipped, and so is a README, so a folder can
    describe itself.
    """
    found: list[str] = []
    for top, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        rel_top = Path(top).relative_to(folder).as_posix()
        for name in names:
            low = name.lower()
            if name.startswith(".") or not low.endswith(SUFFIXES) or low.rsplit(".", 1)[0] == "readme":
                continue
            found.append(name if rel_top == "." else f"{rel_top}/{name}")
    return sorted(found)


def read_card_file(path: Path, label: str, catalog: Catalog, *,
                   exams: set[str] | None = None) -> ParsedCards:
    try:
        data = path.read_bytes()
    except OSError as exc:
        result = ParsedCards(files=1)
        result.problems.append(Problem(label, 0, f"cannot read: {exc.strerror or exc}"))
        return result
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        result = ParsedCards(files=1)
        line = data.count(b"\n", 0, exc.start) + 1
        result.problems.append(Problem(label, line, "not UTF-8 text; the file is skipped"))
        return result
    return parse_card_text(text, label, catalog, base_dir=str(path.parent.resolve()), exams=exams)


def read_card_paths(paths: Iterable[tuple[Path, str]], catalog: Catalog, *,
                    exams: set[str] | None = None) -> ParsedCards:
    """Every card in these files and folders (``(path, label)`` pairs), duplicates left out."""
    result = ParsedCards()
    for path, label in paths:
        if path.is_dir():
            for rel in card_files(path):
                result.extend(read_card_file(path / rel, os.path.join(label, *rel.split("/")),
                                             catalog, exams=exams))
        else:
            result.extend(read_card_file(path, label, catalog, exams=exams))
    return drop_duplicates(result)


def drop_duplicates(parsed: ParsedCards) -> ParsedCards:
    """Keep the first card of each identity and of each ``id:`` in an exam; report the others."""
    seen_keys: dict[str, Card] = {}
    seen_ids: dict[tuple[str, str], Card] = {}
    kept: list[Card] = []
    for card in parsed.cards:
        if card.card_id is not None:
            first = seen_ids.get((card.exam, card.card_id))
            if first is not None:
                parsed.problems.append(Problem(card.source, card.line, f"duplicate id {card.card_id!r} "
                                                                       f"(first at {first.where})"))
                parsed.skipped += 1
                continue
            seen_ids[(card.exam, card.card_id)] = card
        first = seen_keys.get(card.key)
        if first is not None:
            parsed.problems.append(Problem(card.source, card.line, "duplicate card: the same question "
                                                                   f"in {card.topic} is at {first.where}"))
            parsed.skipped += 1
            continue
        seen_keys[card.key] = card
        kept.append(card)
    parsed.cards = kept
    return parsed


# --- where card files are ---------------------------------------------------------

def shipped_cards_dir() -> Path:
    from tracker.catalog import shipped_content_dir

    return shipped_content_dir() / "cards"


def card_folders(extra: Sequence[str] = ()) -> list[tuple[Path, str]]:
    """The shipped card folder plus the learner's (``--cards-dir``, then ``CERTJOURNEY_CARDS``),
    as ``(path, label)`` pairs; a named folder that does not exist is an error."""
    folders: list[tuple[Path, str]] = []
    shipped = shipped_cards_dir()
    if shipped.is_dir():
        folders.append((shipped, "content/cards"))
    named = list(extra) + [d for d in os.environ.get(ENV_CARDS, "").split(os.pathsep) if d.strip()]
    for text in named:
        path = Path(text).expanduser()
        if not path.is_dir():
            raise InvalidInput(f"{text}: card folder does not exist")
        folders.append((path, text))
    return folders
