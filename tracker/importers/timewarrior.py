"""Timewarrior: the output of ``timew export``, a JSON list of intervals
``{"id", "start", "end", "tags", "annotation"}`` with times like ``20221210T000000Z``.

A running interval (no ``end``) is skipped and named in the summary: the
learner may have a certjourney timer running, and the interval is still
changing anyway — stop it and import again. Timewarrior's ``id`` is a
position (``@1`` is always the latest) that shifts as intervals are added, so
the dedupe key is the start instead: intervals never share a start.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from tracker.importers.common import (
    Naming,
    Namings,
    ParsedFile,
    Row,
    clean_description,
    clean_tags,
    failure,
    iter_json_list,
    read_text,
    split_project,
)

SOURCE = "timewarrior"
_INSTANT = re.compile(r"\d{8}T\d{6}Z")


def _instant(text) -> int | None:
    if not isinstance(text, str) or not _INSTANT.fullmatch(text):
        return None
    try:
        return int(datetime.strptime(text, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC).timestamp())
    except ValueError:
        return None


def parse_timewarrior(path: Path, tz: tzinfo, label: str | None = None) -> ParsedFile:
    """Every finished interval, validated; running ones are listed in ``running``."""
    label = label or str(path)
    text = read_text(path, label)
    namings = Namings()
    rows: list[Row] = []
    running: list[str] = []
    for number, line, interval in iter_json_list(text, label):
        where = f"entry {number} (line {line})"

        def bad(reason: str, where: str = where):
            return failure(label, where, reason)

        if not isinstance(interval, dict):
            raise bad("expected an interval object with start, end and tags")
        start = _instant(interval.get("start"))
        if start is None:
            raise bad(f"start {interval.get('start')!r} is not a time like 20221210T083000Z")
        tags = interval.get("tags") or []
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise bad("tags must be a list of strings")
        annotation = interval.get("annotation") or ""
        if not isinstance(annotation, str):
            raise bad("the annotation must be a string")
        if "end" not in interval:
            began = datetime.fromtimestamp(start, tz)
            running.append(f"{where}, running since {began:%Y-%m-%d %H:%M}")
            continue
        end = _instant(interval["end"])
        if end is None:
            raise bad(f"end {interval['end']!r} is not a time like 20221210T093000Z")
        if end < start:
            raise bad("end before start")
        tags = clean_tags(tags, label, where)
        heads, tails = [], []
        for tag in tags:
            head, tail = split_project(tag)
            if tail:
                heads.append(head)
                tails.append(tail)
        naming = Naming(
            goal_names=(*tags, *heads),
            topic_names=(*tails, *tags),
            tags=tags,
            shown_name=" ".join(tags) or "(no tags)",
            drop_goal_tags=True,
        )
        rows.append((where, start, end, clean_description(annotation, label, where),
                     f"timewarrior:{interval['start']}",
                     namings.add(naming, naming)))
    return ParsedFile(label, SOURCE, namings.table, rows, running)
