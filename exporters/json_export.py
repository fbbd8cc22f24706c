"""Everything a learner has logged, as one JSON document for scripts and backups.

Shape (``format`` 1)::

    {"format": 1, "learner": "...", "exported_at": "...Z",
     "goals":   [GoalView.to_json() ...],
     "entries": [{"id", "goal_id", "cert", "topic", "description", "tags",
                  "start", "end", "seconds", "running", "source"} ...]}

Instants are ISO 8601 in UTC; a running entry has ``"end": null`` and counts
its seconds up to the export.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.services.entries import EntryView
    from tracker.services.goals import GoalView

FORMAT_VERSION = 1


def export_document(*, learner: str, exported_at: datetime, goals: Iterable[GoalView],
                    entries: Iterable[EntryView]) -> dict:
    return {
        "format": FORMAT_VERSION,
        "learner": learner,
        "exported_at": exported_at.isoformat(),
        "goals": [g.to_json() for g in goals],
        # Tags sorted here, not by the database's collation: the same data, the same file.
        "entries": [{"goal_id": e.goal_id, **e.to_json(),
                     "tags": sorted(e.tags, key=lambda t: (t.casefold(), t))} for e in entries],
    }


def write_json(handle: IO[str], document: dict) -> None:
    json.dump(document, handle, indent=2, ensure_ascii=False)
    handle.write("\n")
