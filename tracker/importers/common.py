"""What every importer shares: parsed rows and namings, reading files, matching
names to goals and topics, dedupe, overlap warnings, the bulk insert and the summary.

Parsing is pure Python; the database is touched only by :func:`import_entries`,
inside the caller's one transaction. Speed matters (100,000 Toggl rows in under
5 seconds, start-up included), so rows stay plain dataclasses and tuples, never
ORM objects, everything looked up per row is cached, and the rows go to the
database in multi-row INSERTs.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.bulk import insert_rows
from tracker.errors import ImportFailed, InvalidInput, NotFound
from tracker.services.entries import check_description, normalise_tags

if TYPE_CHECKING:
    from sqlmodel import Session

    from tracker.catalog import Catalog, Exam

OVERLAP_EXAMPLES = 3
PREVIEW_ENTRIES = 5
UNMATCHED_SHOWN = 8


@dataclass(frozen=True, slots=True)
class Naming:
    """What names the goal and topic of an entry; rows that name alike share one."""

    goal_names: tuple[str, ...]   # what may name the goal, most specific first
    topic_names: tuple[str, ...]  # what may name the topic; the first hit wins
    tags: tuple[str, ...]
    shown_name: str               # how the entries are named when no goal matches
    drop_goal_tags: bool = False  # Timewarrior: tags naming the goal are not kept


# One validated row: (where, start, end, description, source key, naming index).
# ``where`` ("line 12", "entry 3 (line 40)") names it in messages; start and end are
# Unix seconds; the source key is deterministic, so a second import adds nothing.
# Plain tuples, not objects: a Toggl file may hold 100,000 rows.
Row = tuple[str, int, int, str, str, int]


@dataclass
class ParsedFile:
    label: str                   # the file as the user named it, for messages
    source: str                  # 'toggl' | 'watson' | 'timewarrior'
    namings: list[Naming]
    rows: list[Row]
    running: list[str] = field(default_factory=list)  # skipped running intervals, described
    # Source key -> when the source itself last changed that row (Unix seconds), for
    # sources that say so (Watson's frames do): a row changed there after we stored
    # it is updated on the next import, unless it was edited here since.
    edited_at: dict[str, int] = field(default_factory=dict)


class Namings:
    """A file's naming table, each distinct naming once; ``known`` maps keys to indexes."""

    def __init__(self):
        self.table: list[Naming] = []
        self.known: dict[object, int] = {}

    def add(self, key: object, naming: Naming) -> int:
        """The index of the naming known by ``key``; ``naming`` is stored the first time."""
        index = self.known.get(key)
        if index is None:
            self.table.append(naming)
            index = self.known[key] = len(self.table) - 1
        return index


def failure(label: str, where: str, reason: str) -> ImportFailed:
    return ImportFailed(f"{label}: {where}: {reason}")


STDIN = "-"   # the path that means standard input: timew export | certjourney import timewarrior -


def read_text(path: Path, label: str) -> str:
    """The file (or standard input, for ``-``) decoded as UTF-8 (a BOM is dropped);
    unreadable bytes name their line."""
    try:
        if str(path) == STDIN:
            import sys

            data = sys.stdin.buffer.read()
            if not data.strip():
                raise ImportFailed(f"{label}: nothing was piped in")
        else:
            data = path.read_bytes()
    except FileNotFoundError:
        raise ImportFailed(f"{label}: no such file") from None
    except IsADirectoryError:
        raise ImportFailed(f"{label}: is a folder, not a file") from None
    except OSError as exc:
        raise ImportFailed(f"{label}: cannot read: {exc.strerror or exc}") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise failure(label, "line 1", "UTF-16 text; save the file as UTF-8")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise failure(label, f"line {line}",
                      f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8") from None


_JSON_SPACE = re.compile(r"[ \t\n\r]*")


def _skip_space(text: str, pos: int) -> int:
    return _JSON_SPACE.match(text, pos).end()


class _LineCounter:
    """Line numbers of increasing positions in a text, counted once."""

    def __init__(self, text: str):
        self.text, self.pos, self.line = text, 0, 1

    def at(self, pos: int) -> int:
        self.line += self.text.count("\n", self.pos, pos)
        self.pos = pos
        return self.line


def iter_json_list(text: str, label: str) -> Iterator[tuple[int, int, Any]]:
    """``(number, line, value)`` for each element of a top-level JSON list.

    Elements are decoded one at a time so that a bad one can be named by its
    line as well as its number; syntax errors name the line json reports.
    """
    decoder = json.JSONDecoder()
    lines = _LineCounter(text)
    pos = _skip_space(text, 0)
    if pos == len(text):
        raise failure(label, f"line {lines.at(pos)}", "empty file; expected a JSON list")
    try:
        if text[pos] != "[":
            value, _ = decoder.raw_decode(text, pos)
            raise failure(label, f"line {lines.at(pos)}",
                          f"expected a JSON list, found {_json_kind(value)}")
        pos = _skip_space(text, pos + 1)
        if text.startswith("]", pos):
            pos += 1
        else:
            number = 0
            while True:
                value, end = decoder.raw_decode(text, pos)
                number += 1
                yield number, lines.at(pos), value
                pos = _skip_space(text, end)
                if text.startswith("]", pos):
                    pos += 1
                    break
                if not text.startswith(",", pos):
                    raise json.JSONDecodeError("Expecting ',' or ']'", text, pos)
                pos = _skip_space(text, pos + 1)
        pos = _skip_space(text, pos)
        if pos != len(text):
            raise json.JSONDecodeError("Extra data after the list", text, pos)
    except json.JSONDecodeError as exc:
        raise failure(label, f"line {exc.lineno}", f"not valid JSON ({exc.msg})") from None


def _json_kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "true/false",
            type(None): "null"}.get(type(value), "a number")


def clean_tags(tags: Iterable[str], label: str, where: str) -> tuple[str, ...]:
    try:
        return tuple(normalise_tags(tags))
    except InvalidInput as exc:
        raise failure(label, where, str(exc)) from None


def clean_description(text: str, label: str, where: str) -> str:
    try:
        return check_description(text)
    except InvalidInput as exc:
        raise failure(label, where, str(exc)) from None


def split_project(name: str) -> tuple[str, str | None]:
    """``saa-c03/networking`` -> ``('saa-c03', 'networking')``; no slash: ``(name, None)``."""
    head, sep, tail = name.partition("/")
    return (head.strip(), tail.strip() or None) if sep else (name, None)


# --- matching names to goals and topics --------------------------------------

class ExamMatcher:
    """Which of the learner's exams a project, client or tag names.

    A name names an exam when it contains the exam code as a word
    (``AWS MLS-C01``, ``saa-c03/networking``) or equals its name or an alias,
    in any case.
    """

    def __init__(self, exams: Iterable[Exam]):
        exams = list(exams)
        self._by_name: dict[str, Exam] = {}
        for exam in exams:
            for name in (exam.code, exam.name, *exam.aliases):
                self._by_name.setdefault(name.casefold(), exam)
        self._by_code = {exam.code.casefold(): exam for exam in exams}
        codes = sorted(self._by_code, key=len, reverse=True)
        self._code_re = re.compile(
            r"(?<![0-9a-z])(" + "|".join(map(re.escape, codes)) + r")(?![0-9a-z])", re.IGNORECASE
        ) if codes else None
        self._cache: dict[str, Exam | None] = {}

    def exam_for(self, name: str) -> Exam | None:
        try:
            return self._cache[name]
        except KeyError:
            pass
        key = " ".join(name.split()).casefold()
        found = self._by_name.get(key)
        if found is None and self._code_re is not None:
            m = self._code_re.search(key)
            if m:
                found = self._by_code[m.group(1).casefold()]
        self._cache[name] = found
        return found


@dataclass(frozen=True)
class GoalRow:
    id: int
    exam_code: str
    day: date | None      # the exam date, or the day it was passed
    created_at: int


class GoalPicker:
    """For an exam and an entry's start, the goal the entry belongs to.

    With several goals for one exam (a failed attempt, then a retake) the entry
    goes to the goal whose exam day is the first on or after the entry's
    local day; after the last one, to the newest goal.
    """

    def __init__(self, goals: Iterable[GoalRow], tz: tzinfo):
        by_exam: dict[str, list[GoalRow]] = {}
        for goal in goals:
            by_exam.setdefault(goal.exam_code, []).append(goal)
        self._deadlines: dict[str, list[int]] = {}  # first instant after each goal's day
        self._dated_ids: dict[str, list[int]] = {}
        self._newest: dict[str, int] = {}
        for code, rows in by_exam.items():
            dated = sorted((g for g in rows if g.day is not None), key=lambda g: (g.day, g.id))
            self._deadlines[code] = [_local_midnight(g.day + timedelta(days=1), tz) for g in dated]
            self._dated_ids[code] = [g.id for g in dated]
            self._newest[code] = max(rows, key=lambda g: (g.created_at, g.id)).id

    def only_choice(self, exam_code: str) -> int | None:
        """The goal every entry for this exam goes to, when there is no choice to make."""
        newest = self._newest[exam_code]
        return newest if all(i == newest for i in self._dated_ids[exam_code]) else None

    def pick(self, exam_code: str, start: int) -> int:
        deadlines = self._deadlines[exam_code]
        i = bisect.bisect_right(deadlines, start)
        return self._dated_ids[exam_code][i] if i < len(deadlines) else self._newest[exam_code]


def _local_midnight(day: date, tz: tzinfo) -> int:
    return int(datetime.combine(day, time(0), tz).timestamp())


class Mapper:
    """Maps a naming to its exam, goal, topic and the tags it keeps.

    ``forced`` is the (goal id, exam) that ``--cert`` names, if any.
    """

    def __init__(self, matcher: ExamMatcher, picker: GoalPicker,
                 forced: tuple[int, Exam] | None):
        self.matcher = matcher
        self.picker = picker
        self.forced = forced

    def exam_of(self, naming: Naming) -> Exam | None:
        if self.forced is not None:
            return self.forced[1]
        for name in naming.goal_names:
            exam = self.matcher.exam_for(name)
            if exam is not None:
                return exam
        return None

    def fixed_goal(self, exam: Exam) -> int | None:
        """The goal of every entry for ``exam`` when it does not depend on the date."""
        if self.forced is not None:
            return self.forced[0]
        return self.picker.only_choice(exam.code)

    def goal_of(self, exam: Exam, start: int) -> int:
        if self.forced is not None:
            return self.forced[0]
        return self.picker.pick(exam.code, start)

    def topic_of(self, exam: Exam, naming: Naming) -> str | None:
        for name in naming.topic_names:
            found = exam.find_topic(name) if name else None
            if found is not None:
                return found.name
        return None

    def kept_tags(self, exam: Exam, naming: Naming) -> tuple[str, ...]:
        if not naming.drop_goal_tags:
            return naming.tags
        return tuple(t for t in naming.tags
                     if self.matcher.exam_for(t) is not exam
                     and self.matcher.exam_for(split_project(t)[0]) is not exam)


# --- the import itself ---------------------------------------------------------

@dataclass
class Tally:
    entries: int = 0
    seconds: int = 0


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do)."""

    label: str
    source: str
    dry_run: bool
    imported: int = 0
    per_exam: dict[str, Tally] = field(default_factory=dict)
    per_goal_topic: dict[tuple[str, int, str | None], Tally] = field(default_factory=dict)
    already_present: int = 0
    updated: int = 0              # stored rows changed in the source since (Watson)
    repeated_in_file: int = 0
    without_topic: int = 0
    overlapping: int = 0
    overlap_examples: list[str] = field(default_factory=list)
    running_skipped: list[str] = field(default_factory=list)
    preview: list[tuple[str, int, int, str, str | None, str]] = field(default_factory=list)


def _span(start: int, end: int, tz: tzinfo) -> str:
    a = datetime.fromtimestamp(start, tz)
    b = datetime.fromtimestamp(end, tz)
    tail = b.strftime("%H:%M") if a.date() == b.date() else b.strftime("%Y-%m-%d %H:%M")
    return f"{a:%Y-%m-%d %H:%M}–{tail}"


def find_overlaps(new: list[Row], stored: list[tuple[int, int]], tz: tzinfo,
                  report: ImportReport) -> None:
    """Count new rows overlapping any other (new or stored) entry; keep a few examples."""
    items: list[tuple[int, int, int]] = [(s, e, -1) for s, e in stored]
    items += [(row[1], row[2], i) for i, row in enumerate(new)]
    items.sort()
    hit: set[int] = set()
    reach = None  # the item reaching furthest so far
    for item in items:
        if reach is not None and item[0] < reach[1] and (item[2] >= 0 or reach[2] >= 0):
            hit.update(i for i in (item[2], reach[2]) if i >= 0)
            if len(report.overlap_examples) < OVERLAP_EXAMPLES:
                report.overlap_examples.append(
                    f"{_describe(reach, new, tz)} and {_describe(item, new, tz)}")
        if reach is None or item[1] > reach[1]:
            reach = item
    report.overlapping = len(hit)


def _describe(item: tuple[int, int, int], new: list[Row], tz: tzinfo) -> str:
    where = new[item[2]][0] if item[2] >= 0 else "a stored entry"
    return f"{where} at {_span(item[0], item[1], tz)}"


def _unmatched_error(parsed: ParsedFile, names: dict[str, str]) -> ImportFailed:
    shown = [f"{name!r} at {where}" for name, where in list(names.items())[:UNMATCHED_SHOWN]]
    more = f" and {len(names) - UNMATCHED_SHOWN} more" if len(names) > UNMATCHED_SHOWN else ""
    return ImportFailed(f"{parsed.label}: no goal matches: {', '.join(shown)}{more}; "
                        "add goals or use --cert")


def _load_goals(session: Session, learner_id: int | None) -> list[GoalRow]:
    from sqlalchemy import select

    from tracker.models import Goal

    if learner_id is None:
        return []
    table = Goal.__table__
    rows = session.execute(
        select(table.c.id, table.c.exam_code, table.c.exam_date, table.c.passed_on,
               table.c.created_at).where(table.c.learner_id == learner_id)
    ).all()
    return [GoalRow(r.id, r.exam_code, r.passed_on or r.exam_date, int(r.created_at.timestamp()))
            for r in rows]


def _forced_goal(session: Session, learner_id: int | None, cert: str, catalog: Catalog
                 ) -> tuple[int, Exam]:
    from tracker.services.goals import find_goal

    if learner_id is None:
        exam = catalog.exam(cert)
        raise NotFound(f"no goal for {exam.code}; add one with 'certjourney goal add {exam.code}'")
    goal = find_goal(session, learner_id, cert, catalog)
    exam = catalog.find(goal.exam_code)
    if exam is None:
        raise NotFound(f"goal {goal.id}: exam {goal.exam_code} is no longer in the catalog")
    return goal.id, exam


def _stored_keys(session: Session, learner_id: int, source: str) -> set[str]:
    from sqlalchemy import select

    from tracker.models import Entry

    table = Entry.__table__
    return set(session.execute(
        select(table.c.source_key).where(table.c.learner_id == learner_id,
                                         table.c.source == source)
    ).scalars())


def _stored_edit_times(session: Session, learner_id: int, source: str,
                       keys: set[str]) -> dict[str, tuple[int, int]]:
    """Source key -> (entry id, when it was last written here) for the stored ``keys``."""
    from sqlalchemy import BigInteger, select, type_coerce

    from tracker.models import Entry

    table = Entry.__table__
    rows = session.execute(
        select(table.c.source_key, table.c.id, type_coerce(table.c.updated_at, BigInteger))
        .where(table.c.learner_id == learner_id, table.c.source == source)
    ).all()
    return {key: (entry_id, written) for key, entry_id, written in rows if key in keys}


def _update(session: Session, updates: list[tuple], now_s: int) -> None:
    """Rewrite changed entries in place (same ids, so splits and links stay) with their tags."""
    from sqlalchemy import bindparam, delete, update

    from tracker.models import Entry, EntryTag

    if not updates:
        return
    table, tag = Entry.__table__, EntryTag.__table__
    session.execute(
        update(table).where(table.c.id == bindparam("b_id")).values(
            goal_id=bindparam("b_goal"), topic=bindparam("b_topic"),
            description=bindparam("b_description"), start_at=bindparam("b_start"),
            end_at=bindparam("b_end"), updated_at=bindparam("b_now")),
        [{"b_id": i, "b_goal": g, "b_topic": t, "b_description": d, "b_start": s, "b_end": e,
          "b_now": now_s} for i, g, t, d, s, e, _ in updates])
    ids = [u[0] for u in updates]
    for i in range(0, len(ids), 500):
        session.execute(delete(tag).where(tag.c.entry_id.in_(ids[i:i + 500])))
    tag_rows = [(u[0], name) for u in updates for name in u[6]]
    if tag_rows:
        insert_rows(session, tag, ("entry_id", "tag"), tag_rows)


def _stored_spans(session: Session, learner_id: int, now: int) -> list[tuple[int, int]]:
    from sqlalchemy import BigInteger, select, type_coerce

    from tracker.models import Entry

    table = Entry.__table__
    # Raw integers: converting every stored instant to a datetime would be wasted work.
    rows = session.execute(
        select(type_coerce(table.c.start_at, BigInteger), type_coerce(table.c.end_at, BigInteger))
        .where(table.c.learner_id == learner_id)
    ).all()
    return [(s, e if e is not None else max(s, now)) for s, e in rows]


ENTRY_COLUMNS = ("learner_id", "goal_id", "topic", "description", "start_at", "end_at", "source",
                 "source_key", "created_at", "updated_at")


def _insert(session: Session, learner_id: int, source: str, rows: list[tuple],
            tags: dict[str, tuple[str, ...]]) -> None:
    """The entries, then their tags under the ids the entries got."""
    from sqlalchemy import func, select

    from tracker.models import Entry, EntryTag

    if not rows:
        return
    table = Entry.__table__
    sqlite = session.connection().dialect.name == "sqlite"
    last_id = session.execute(select(func.max(table.c.id))).scalar() or 0 if sqlite else None
    insert_rows(session, table, ENTRY_COLUMNS, rows)
    if not tags:
        return
    if sqlite and session.execute(
        select(func.max(table.c.id), func.count()).where(table.c.id > last_id)
    ).one() == (last_id + len(rows), len(rows)):
        # SQLite gave the rows the ids after the largest one, in order (its documented
        # rowid choice, checked just above): no need to read 100,000 ids back.
        tag_rows = [(last_id + 1 + i, tag) for i, row in enumerate(rows)
                    for tag in tags.get(row[7], ())]
    else:
        ids = dict(session.execute(
            select(table.c.source_key, table.c.id).where(table.c.learner_id == learner_id,
                                                         table.c.source == source)
        ).all())
        tag_rows = [(ids[key], tag) for key, names in tags.items() for tag in names]
    insert_rows(session, EntryTag.__table__, ("entry_id", "tag"), tag_rows)


def import_entries(session: Session, learner_id: int | None, catalog: Catalog, parsed: ParsedFile,
                   *, cert: str | None, dry_run: bool, tz: tzinfo, now: datetime) -> ImportReport:
    """Map, dedupe and (unless ``dry_run``) insert ``parsed`` for the learner.

    Raises ImportFailed, before writing anything, when entries name no goal.
    ``learner_id`` may be None in a dry run for a learner not stored yet.
    """
    report = ImportReport(parsed.label, parsed.source, dry_run,
                          running_skipped=list(parsed.running))
    goals = _load_goals(session, learner_id)
    forced = _forced_goal(session, learner_id, cert, catalog) if cert else None
    exams = [e for e in (catalog.find(code) for code in {g.exam_code for g in goals}) if e]
    matcher = ExamMatcher(exams)
    # The picker works on exam codes as the catalog spells them.
    picker = GoalPicker([GoalRow(g.id, e.code, g.day, g.created_at) for g in goals
                         if (e := catalog.find(g.exam_code)) is not None], tz)
    mapper = Mapper(matcher, picker, forced)

    stored = _stored_keys(session, learner_id, parsed.source) if learner_id is not None else set()
    seen = set(stored)  # one lookup a row tells new keys from stored or repeated ones
    edited = parsed.edited_at
    written = (_stored_edit_times(session, learner_id, parsed.source, stored & edited.keys())
               if edited and stored else {})
    updates: list[tuple] = []   # (entry id, goal id, topic, description, start, end, tags)
    # Each naming is mapped once: [exam, topic, goal id unless it depends on the date,
    # kept tags, entries, seconds].
    mapped: list[list] = []
    for naming in parsed.namings:
        exam = mapper.exam_of(naming)
        mapped.append([exam, exam and mapper.topic_of(exam, naming),
                       exam and mapper.fixed_goal(exam), exam and mapper.kept_tags(exam, naming),
                       0, 0])
    dated: dict[tuple[int, int], list[int]] = {}  # (naming, goal id) -> [entries, seconds]
    unmatched: dict[str, str] = {}
    fresh: list[Row] = []
    rows: list[tuple] = []
    tags: dict[str, tuple[str, ...]] = {}
    now_s = int(now.timestamp())
    source = parsed.source
    # This loop runs once per row of a 100,000-row file: plain tuples and lists only.
    for row in parsed.rows:
        where, start, end, description, key, naming = row
        m = mapped[naming]
        exam = m[0]
        if exam is None:
            unmatched.setdefault(parsed.namings[naming].shown_name, where)
            continue
        if unmatched:
            continue  # the import fails anyway; only the names are still wanted
        if key in seen:
            if key not in stored:
                report.repeated_in_file += 1
            elif key in written and edited[key] > written[key][1]:
                # Changed in the source after we last wrote it: take the new version.
                entry_id = written.pop(key)[0]  # once, even if the file repeats the row
                goal_id = m[2] if m[2] is not None else mapper.goal_of(exam, start)
                updates.append((entry_id, goal_id, m[1], description, start, end, m[3] or ()))
            else:
                report.already_present += 1
            continue
        seen.add(key)
        fresh.append(row)
        goal_id = m[2]
        if goal_id is None:  # the goal depends on the date: tallied per goal
            goal_id = mapper.goal_of(exam, start)
            tally = dated.get((naming, goal_id))
            if tally is None:
                tally = dated[(naming, goal_id)] = [0, 0]
            tally[0] += 1
            tally[1] += end - start
        else:
            m[4] += 1
            m[5] += end - start
        rows.append((learner_id, goal_id, m[1], description, start, end,
                     source, key, now_s, now_s))  # in ENTRY_COLUMNS order (key: row[7])
        if m[3]:
            tags[key] = m[3]
    if unmatched:
        raise _unmatched_error(parsed, unmatched)

    counted = [(exam, goal_id, topic, count, seconds)
               for exam, topic, goal_id, _, count, seconds in mapped if count]
    counted += [(mapped[naming][0], goal_id, mapped[naming][1], count, seconds)
                for (naming, goal_id), (count, seconds) in dated.items()]
    for exam, goal_id, topic, count, seconds in counted:
        for tally in (report.per_goal_topic.setdefault((exam.code, goal_id, topic), Tally()),
                      report.per_exam.setdefault(exam.code, Tally())):
            tally.entries += count
            tally.seconds += seconds
        if topic is None:
            report.without_topic += count
    for where, start, end, description, _, naming in fresh[:PREVIEW_ENTRIES]:
        exam, topic = mapped[naming][:2]
        report.preview.append((where, start, end, exam.code, topic, description))
    report.imported = len(rows)
    report.updated = len(updates)
    spans = _stored_spans(session, learner_id, now_s) if learner_id is not None else []
    find_overlaps(fresh, spans, tz, report)
    if not dry_run:
        _insert(session, learner_id, parsed.source, rows, tags)
        _update(session, updates, now_s)
    return report
