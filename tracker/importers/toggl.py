"""Toggl Track CSV: the detailed report, and Toggl's own import format.

Columns are found by header name in any order and any case. Dates are
``YYYY-MM-DD`` and times ``HH:MM:SS`` in the user's time zone; the end comes
from End date/End time, or from Start + Duration when there are no End
columns (the import format). Billable, User, Email and Amount are ignored.

The row loop is the hot path of a 100,000-row import: fields are picked with
one ``itemgetter``; dates, times and namings (project, client, task and tags,
which repeat a lot) are each parsed once; rows are plain tuples.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, time, timedelta, tzinfo
from hashlib import blake2b
from operator import itemgetter
from pathlib import Path

from tracker.importers.common import (
    Naming,
    Namings,
    ParsedFile,
    Row,
    clean_description,
    clean_tags,
    failure,
    read_text,
)
from tracker.services.entries import MAX_DESCRIPTION_LENGTH

SOURCE = "toggl"
MAX_SECONDS = 366 * 86400
KNOWN = ("user", "email", "client", "project", "task", "description", "billable", "start date",
         "start time", "end date", "end time", "duration", "tags")
# The fields the importer reads, in the order the row loop unpacks them.
FIELDS = ("start date", "start time", "end date", "end time", "duration", "project", "client",
          "task", "description", "tags")
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")
_CLOCK_DURATION = re.compile(r"(\d+):([0-5]\d)(?::([0-5]\d))?")
_DECIMAL_HOURS = re.compile(r"\d+(?:[.,]\d+)?|[.,]\d+")


class BadField(ValueError):
    """One field of a row cannot be used; the message names the column."""


class _LocalTimes:
    """Local ``YYYY-MM-DD`` + ``HH:MM:SS`` to Unix seconds, each date and time parsed once.

    Almost every day has one UTC offset from midnight to midnight, so offsets
    are looked up once a midnight; days with a DST change take the exact path.
    """

    def __init__(self, tz: tzinfo):
        self.tz = tz
        self.days: dict[str, tuple[date, int, int | None]] = {}  # text -> day, midnight, offset
        self.clock_times: dict[str, int] = {}
        self._midnights: dict[int, timedelta] = {}  # ordinal -> UTC offset at 00:00

    def _midnight_offset(self, ordinal: int) -> timedelta:
        offset = self._midnights.get(ordinal)
        if offset is None:
            offset = datetime.combine(date.fromordinal(ordinal), time(0), self.tz).utcoffset()
            self._midnights[ordinal] = offset
        return offset

    def _day(self, raw: str, column: str) -> tuple[date, int, int | None]:
        text = raw.strip()
        m = _DATE.fullmatch(text)
        try:
            if not m:
                raise ValueError
            day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            ordinal = day.toordinal()
            first, after = self._midnight_offset(ordinal), self._midnight_offset(ordinal + 1)
        except (ValueError, OverflowError):  # not a date, or one no clock can reach
            shown = f"{text!r} is not" if text else "is empty, not"
            raise BadField(f"{column} {shown} a date (YYYY-MM-DD)") from None
        offset = int(first.total_seconds()) if first == after else None
        value = self.days[raw] = (day, (ordinal - _EPOCH_ORDINAL) * 86400, offset)
        return value

    def _time(self, raw: str, column: str) -> int:
        text = raw.strip()
        if len(text) == 8 and text[2] == text[5] == ":" and text.replace(":", "").isdecimal():
            h, m, s = int(text[:2]), int(text[3:5]), int(text[6:])  # HH:MM:SS, the usual case
        else:
            match = _TIME.fullmatch(text)
            h, m, s = (int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)) if match \
                else (99, 0, 0)
        if h > 23 or m > 59 or s > 59:
            shown = f"{text!r} is not" if text else "is empty, not"
            raise BadField(f"{column} {shown} a time (HH:MM:SS)")
        value = self.clock_times[raw] = h * 3600 + m * 60 + s
        return value

    def epoch(self, day_text: str, time_text: str, column: str, *, fold: int = 0) -> int:
        day, midnight, offset = self.days.get(day_text) or self._day(day_text, f"{column} date")
        seconds = self.clock_times.get(time_text)
        if seconds is None:
            seconds = self._time(time_text, f"{column} time")
        if offset is not None:
            return midnight + seconds - offset
        h, rest = divmod(seconds, 3600)
        return int(datetime.combine(day, time(h, *divmod(rest, 60), fold=fold), self.tz).timestamp())


def _duration(text: str) -> int:
    m = _CLOCK_DURATION.fullmatch(text)
    if m:
        seconds = int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3) or 0)
    elif _DECIMAL_HOURS.fullmatch(text):
        seconds = round(float(text.replace(",", ".")) * 3600)
    else:
        raise BadField(f"Duration {text!r} is not HH:MM:SS or decimal hours")
    if seconds > MAX_SECONDS:
        raise BadField(f"Duration {text!r} is longer than a year")
    return seconds


def _settle_repeated_hour(times: _LocalTimes, row: tuple[str, ...], start: int, end: int
                          ) -> tuple[int, int]:
    """Start and end on a day the clocks change, where a local time in the repeated
    hour may be the first or the second one: the pair that agrees with the
    Duration, else the first times (an end before the start: the second end)."""
    sd, st, ed, et, dur = row
    if dur:
        seconds = _duration(dur)
        for fold_start, fold_end in ((0, 0), (1, 1), (0, 1), (1, 0)):
            a = times.epoch(sd, st, "Start", fold=fold_start)
            b = times.epoch(ed, et, "End", fold=fold_end)
            if b - a == seconds:
                return a, b
    if end < start:
        end = max(end, times.epoch(ed, et, "End", fold=1))
    return start, end


def _columns(header: list[str], label: str, where: str) -> dict[str, int]:
    columns: dict[str, int] = {}
    for i, cell in enumerate(header):
        columns.setdefault(" ".join(cell.split()).casefold(), i)
    if not any(name in columns for name in KNOWN):
        raise failure(label, where, "not a Toggl CSV: expected a header with columns such as "
                      "Project, Start date, Start time, Duration")
    for name in ("start date", "start time"):
        if name not in columns:
            raise failure(label, where, f"missing column '{name.capitalize()}'")
    if not ("end date" in columns and "end time" in columns) and "duration" not in columns:
        raise failure(label, where, "missing columns 'End date' and 'End time', or 'Duration'")
    return columns


def _naming(project: str, client: str, task: str, tags: tuple[str, ...]) -> Naming:
    return Naming(
        goal_names=(project, client),  # an empty name matches no goal
        topic_names=(task, *tags) if task else tags,
        tags=tags,
        shown_name=project or client or "(no project)",
    )


def parse_toggl(path: Path, tz: tzinfo, label: str | None = None) -> ParsedFile:
    """Every row of a Toggl CSV, validated; raises ImportFailed naming the physical line."""
    label = label or str(path)
    text = read_text(path, label)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    times = _LocalTimes(tz)
    days, clock_times = times.days, times.clock_times
    namings = Namings()
    known_namings = namings.known
    tag_cells: dict[str, tuple[str, ...]] = {}
    rows: list[Row] = []
    append = rows.append
    line = last_line = 0
    try:
        for header in reader:
            line, last_line = last_line + 1, reader.line_num
            if any(c.strip() for c in header):
                break
        else:
            raise failure(label, "line 1", "empty file; expected a Toggl CSV with a header line")
        columns = _columns(header, label, f"line {line}")
        width = len(header)
        # A missing optional column reads the empty cell appended to each row.
        pick = itemgetter(*(columns.get(name, width) for name in FIELDS))
        for cells in reader:
            line, last_line = last_line + 1, reader.line_num  # a quoted field may span lines
            if len(cells) != width or not any(cells):
                if not any(c.strip() for c in cells):
                    continue  # blank lines, and Excel's rows of empty cells
                if len(cells) != width:
                    raise BadField(f"{len(cells)} fields where the header has {width}")
            cells.append("")
            # Cells are used as they are where that is safe (dates and times are cached
            # by their text and stripped when parsed): this loop runs once per row.
            sd, st, ed, et, dur, project, client, task, description, tag_cell = pick(cells)
            day, seconds = days.get(sd), clock_times.get(st)
            if day is not None and seconds is not None and day[2] is not None:
                start = day[1] + seconds - day[2]  # _LocalTimes.epoch's fast path, inlined
                dst_day = False
            else:
                start = times.epoch(sd, st, "Start")
                dst_day = days[sd][2] is None
            if ed.strip() and et.strip():
                day, seconds = days.get(ed), clock_times.get(et)
                if day is not None and seconds is not None and day[2] is not None:
                    end = day[1] + seconds - day[2]
                else:
                    end = times.epoch(ed, et, "End")
                    dst_day = dst_day or days[ed][2] is None
                if dst_day:
                    start, end = _settle_repeated_hour(times, row=(sd, st, ed, et, dur.strip()),
                                                       start=start, end=end)
            elif dur.strip():
                end = start + _duration(dur.strip())
            else:
                raise BadField("no End date/End time and no Duration")
            if end < start:
                raise BadField("end before start")
            where = f"line {line}"
            project, client, task, description = (
                project.strip(), client.strip(), task.strip(), description.strip())
            if len(description) > MAX_DESCRIPTION_LENGTH or "\r" in description:
                description = clean_description(description.replace("\r\n", "\n"), label, where)
            naming_key = (project, client, task, tag_cell)
            naming = known_namings.get(naming_key)
            if naming is None:
                tags = tag_cells.get(tag_cell)
                if tags is None:
                    tags = tag_cells[tag_cell] = clean_tags(tag_cell.split(","), label, where)
                naming = namings.add(naming_key, _naming(project, client, task, tags))
            key = f"{start}\x1f{end}\x1f{description}\x1f{project}\x1f{task}".encode()
            # The start first, so that the keys of a chronological file go into the
            # unique index in order rather than at random places.
            append((where, start, end, description,
                    f"toggl:{start:011d}:{blake2b(key, digest_size=16).hexdigest()}", naming))
    except BadField as exc:
        raise failure(label, f"line {line}", str(exc)) from None
    except csv.Error as exc:
        raise failure(label, f"line {reader.line_num}", f"not readable as CSV ({exc})") from None
    return ParsedFile(label, SOURCE, namings.table, rows)
