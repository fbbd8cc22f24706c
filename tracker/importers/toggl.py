"""Toggl Track CSV: the detailed report, and Toggl's own import format.

Columns are found by header name in any order and any case. Dates are
``YYYY-MM-DD`` and times ``HH:MM:SS`` in the user's time zone; the end comes
from End date/End time, or from Start + Duration when there are no End
columns (the import format). Billable, User, Email and Amount are ignored.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path

from tracker.importers.common import (
    ParsedEntry,
    ParsedFile,
    clean_description,
    clean_tags,
    failure,
    read_text,
)

SOURCE = "toggl"
MAX_SECONDS = 366 * 86400
KNOWN = ("user", "email", "client", "project", "task", "description", "billable", "start date",
         "start time", "end date", "end time", "duration", "tags")
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_TIME = re.compile(r"(\d{1,2}):([0-5]\d)(?::([0-5]\d))?")
_CLOCK_DURATION = re.compile(r"(\d+):([0-5]\d)(?::([0-5]\d))?")
_DECIMAL_HOURS = re.compile(r"\d+(?:[.,]\d+)?|[.,]\d+")


class _LocalClock:
    """Local wall-clock times to Unix seconds, fast.

    Almost every day has one UTC offset from midnight to midnight; for those the
    offset is computed once. Days with a DST change take the slow, exact path.
    """

    def __init__(self, tz: tzinfo):
        self.tz = tz
        self._offsets: dict[date, int | None] = {}

    def epoch(self, day: date, seconds_of_day: int) -> int:
        try:
            offset = self._offsets[day]
        except KeyError:
            first = datetime.combine(day, time(0), self.tz).utcoffset()
            after = datetime.combine(day + timedelta(days=1), time(0), self.tz).utcoffset()
            offset = int(first.total_seconds()) if first == after else None
            self._offsets[day] = offset
        if offset is not None:
            return (day.toordinal() - _EPOCH_ORDINAL) * 86400 + seconds_of_day - offset
        h, rest = divmod(seconds_of_day, 3600)
        return int(datetime.combine(day, time(h, *divmod(rest, 60)), self.tz).timestamp())


class _Row:
    """Reads the fields of one CSV row, naming the line and column on failure."""

    def __init__(self, label: str, columns: dict[str, int]):
        self.label = label
        self.columns = columns
        self.line = 0
        self.cells: list[str] = []
        self._days: dict[str, date] = {}

    def get(self, name: str) -> str:
        i = self.columns.get(name)
        return self.cells[i].strip() if i is not None else ""

    def fail(self, reason: str):
        return failure(self.label, f"line {self.line}", reason)

    def day(self, name: str) -> date:
        text = self.get(name)
        try:
            return self._days[text]
        except KeyError:
            pass
        m = _DATE.fullmatch(text)
        try:
            if not m:
                raise ValueError
            value = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            shown = f"{text!r} is not" if text else "is empty, not"
            raise self.fail(f"{_title(name)} {shown} a date (YYYY-MM-DD)") from None
        self._days[text] = value
        return value

    def clock(self, name: str) -> int:
        text = self.get(name)
        m = _TIME.fullmatch(text)
        if not m or int(m.group(1)) > 23:
            shown = f"{text!r} is not" if text else "is empty, not"
            raise self.fail(f"{_title(name)} {shown} a time (HH:MM:SS)")
        return int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3) or 0)

    def duration(self) -> int:
        text = self.get("duration")
        m = _CLOCK_DURATION.fullmatch(text)
        if m:
            seconds = int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3) or 0)
        elif _DECIMAL_HOURS.fullmatch(text):
            seconds = round(float(text.replace(",", ".")) * 3600)
        else:
            raise self.fail(f"Duration {text!r} is not HH:MM:SS or decimal hours")
        if seconds > MAX_SECONDS:
            raise self.fail(f"Duration {text!r} is longer than a year")
        return seconds


def _title(name: str) -> str:
    return name[0].upper() + name[1:]


def _columns(header: list[str], label: str) -> dict[str, int]:
    columns: dict[str, int] = {}
    for i, cell in enumerate(header):
        columns.setdefault(" ".join(cell.split()).casefold(), i)
    if not any(name in columns for name in KNOWN):
        raise failure(label, "line 1", "not a Toggl CSV: expected a header with columns such as "
                      "Project, Start date, Start time, Duration")
    for name in ("start date", "start time"):
        if name not in columns:
            raise failure(label, "line 1", f"missing column '{_title(name)}'")
    has_end = "end date" in columns and "end time" in columns
    if not has_end and "duration" not in columns:
        raise failure(label, "line 1", "missing columns 'End date' and 'End time', or 'Duration'")
    return columns


def _source_key(start: int, end: int, description: str, project: str, task: str) -> str:
    text = "\x1f".join((str(start), str(end), description, project, task))
    return "toggl:" + hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def parse_toggl(path: Path, tz: tzinfo, label: str | None = None) -> ParsedFile:
    """Every row of a Toggl CSV, validated; raises ImportFailed naming the line."""
    label = label or str(path)
    text = read_text(path, label)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    clock = _LocalClock(tz)
    entries: list[ParsedEntry] = []
    row: _Row | None = None
    last_line = 0
    try:
        for cells in reader:
            line, last_line = last_line + 1, reader.line_num
            if not any(c.strip() for c in cells):
                continue  # blank lines, and Excel's rows of empty cells
            if row is None:
                row = _Row(label, _columns(cells, label))
                width = len(cells)
                continue
            row.line, row.cells = line, cells
            if len(cells) != width:
                raise row.fail(f"{len(cells)} fields where the header has {width}")
            entries.append(_entry(row, clock, label))
    except csv.Error as exc:
        raise failure(label, f"line {reader.line_num}", f"not readable as CSV ({exc})") from None
    if row is None:
        raise failure(label, "line 1", "empty file; expected a Toggl CSV with a header line")
    return ParsedFile(label, SOURCE, entries)


def _entry(row: _Row, clock: _LocalClock, label: str) -> ParsedEntry:
    where = f"line {row.line}"
    start = clock.epoch(row.day("start date"), row.clock("start time"))
    if row.get("end date") and row.get("end time"):
        end = clock.epoch(row.day("end date"), row.clock("end time"))
    elif row.get("duration"):
        end = start + row.duration()
    else:
        raise row.fail("no End date/End time and no Duration")
    if end < start:
        raise row.fail("end before start")
    project, client, task = row.get("project"), row.get("client"), row.get("task")
    description = clean_description(row.get("description"), label, where)
    tags = clean_tags(row.get("tags").split(","), label, where)
    return ParsedEntry(
        where=where, start=start, end=end, description=description,
        goal_names=tuple(n for n in (project, client) if n),
        topic_names=(task, *tags) if task else tuple(tags),
        tags=tags,
        source_key=_source_key(start, end, description, project, task),
        shown_name=project or client or "(no project)",
    )
