"""Entries as a Toggl Track detailed-report CSV.

The layout is the one ``certjourney import toggl`` reads back: Client is the
exam's vendor, Project the exam code, Task the topic; times are local, the
Duration ``HH:MM:SS``, the Tags one comma-joined cell. Running entries are left
out (Toggl's reports have none). Billable is always "No" and Amount empty;
tags are sorted, so that the file does not depend on the database.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, tzinfo
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.services.entries import EntryView

HEADER = ("User", "Email", "Client", "Project", "Task", "Description", "Billable", "Start date",
          "Start time", "End date", "End time", "Duration", "Tags", "Amount (USD)")


_EPOCH = datetime(1970, 1, 1)


class _LocalText:
    """Unix seconds as local ``YYYY-MM-DD`` and ``HH:MM:SS``, fast.

    Converting through the time zone for every one of 100,000 rows would be most
    of the export, so the UTC offset is looked up once a UTC day (days when it
    changes take the exact path).
    """

    def __init__(self, tz: tzinfo):
        self.tz = tz
        self._offsets: dict[int, int | None] = {}

    def date_and_time(self, seconds: int) -> tuple[str, str]:
        day = seconds // 86400
        try:
            offset = self._offsets[day]
        except KeyError:
            first = datetime.fromtimestamp(day * 86400, self.tz).utcoffset()
            last = datetime.fromtimestamp(day * 86400 + 86399, self.tz).utcoffset()
            offset = self._offsets[day] = int(first.total_seconds()) if first == last else None
        if offset is None:
            local = datetime.fromtimestamp(seconds, self.tz).replace(tzinfo=None)
        else:
            local = _EPOCH + timedelta(seconds=seconds + offset)
        text = local.isoformat(" ", "seconds")
        return text[:10], text[11:]


def sorted_tags(tags: Iterable[str]) -> list[str]:
    """Tags in one order whatever the database's collation, so exports are reproducible."""
    return sorted(tags, key=lambda t: (t.casefold(), t))


def _duration(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def write_toggl_csv(handle: IO[str], entries: Iterable[EntryView], *, user: str,
                    vendors: Mapping[str, str], tz: tzinfo) -> int:
    """Write the header and one row per finished entry; returns the rows written.

    ``handle`` must be opened with ``newline=""``; ``vendors`` maps exam codes to
    vendors (a code missing from it gets an empty Client).
    """
    writer = csv.writer(handle)
    writer.writerow(HEADER)
    local = _LocalText(tz)
    count = 0
    for entry in entries:
        if entry.end is None:
            continue
        start, end = int(entry.start.timestamp()), int(entry.end.timestamp())
        writer.writerow((
            user, "", vendors.get(entry.exam_code, ""), entry.exam_code, entry.topic or "",
            entry.description, "No", *local.date_and_time(start), *local.date_and_time(end),
            _duration(end - start), ", ".join(sorted_tags(entry.tags)), "",
        ))
        count += 1
    return count
