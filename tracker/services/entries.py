"""Entries: spans of study time. Shared rules for the timer, manual entries and imports."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from tracker.errors import InvalidInput

if TYPE_CHECKING:
    from tracker.catalog import Exam

MAX_TAG_LENGTH = 100
MAX_DESCRIPTION_LENGTH = 2000


def normalise_tags(tags: Iterable[str]) -> list[str]:
    """Tags stripped, empty ones dropped, duplicates (any case) removed, order kept."""
    seen: set[str] = set()
    result: list[str] = []
    for raw in tags:
        tag = " ".join(raw.split())
        if not tag:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            raise InvalidInput(f"tag {tag[:30]!r}… is longer than {MAX_TAG_LENGTH} characters")
        if tag.casefold() not in seen:
            seen.add(tag.casefold())
            result.append(tag)
    return result


def check_description(text: str | None) -> str:
    value = (text or "").strip()
    if len(value) > MAX_DESCRIPTION_LENGTH:
        raise InvalidInput(f"description is longer than {MAX_DESCRIPTION_LENGTH} characters")
    return value


def resolve_topic(exam: Exam, text: str | None) -> str | None:
    """The canonical topic name for a name or alias (any case); None for no topic.

    Raises NotFound listing the closest topics when nothing matches.
    """
    if text is None or not text.strip():
        return None
    return exam.topic(text).name


@dataclass(frozen=True)
class EntryView:
    """An entry as shown and exported: plain data, times aware in UTC."""

    id: int
    goal_id: int
    exam_code: str
    topic: str | None
    description: str
    start: datetime
    end: datetime | None
    seconds: int
    tags: list[str] = field(default_factory=list)
    source: str = "manual"

    @property
    def running(self) -> bool:
        return self.end is None

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "cert": self.exam_code,
            "topic": self.topic,
            "description": self.description,
            "tags": self.tags,
            "start": self.start.isoformat(),
            "end": self.end.isoformat() if self.end else None,
            "seconds": self.seconds,
            "running": self.running,
            "source": self.source,
        }
