"""Review results from an Anki collection (``collection.anki2``). No database of ours.

The learner's collection is never opened in place: the file (with its ``-wal``,
if Anki left one) is copied to a temporary folder and the copy is read with
SQLite, so neither its bytes nor its modification time change, whatever state
Anki left it in. Only the notes certjourney exported are read, found by their
GUIDs: per note its cards' lapses and ease factors, and every answer in the
review log (``revlog.ease`` 1-4; 1 is Again).
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tracker.errors import ImportFailed

CHUNK = 500
COLLECTION_FILE = "collection.anki2"


@dataclass
class NoteReviews:
    guid: str
    cards: int = 0
    lapses: int = 0
    factors: list[int] = field(default_factory=list)       # ease factors in permille (2500 = 250%)
    answers: list[tuple[int, int]] = field(default_factory=list)  # (answered at, ms; ease 1-4)


def collection_path(path: Path, label: str) -> Path:
    """The collection file: ``path`` itself, or ``collection.anki2`` in a profile folder."""
    if path.is_dir():
        inner = path / COLLECTION_FILE
        if not inner.is_file():
            raise ImportFailed(f"{label}: no {COLLECTION_FILE} in this folder")
        return inner
    if not path.exists():
        raise ImportFailed(f"{label}: no such file")
    return path


def read_reviews(path: Path, guids: Iterable[str], *, label: str | None = None) -> dict[str, NoteReviews]:
    """Cards and answers of the notes with these GUIDs, read from a copy of the collection."""
    label = label or str(path)
    source = collection_path(path, label)
    wanted = sorted(set(guids))
    with tempfile.TemporaryDirectory(prefix="certjourney-anki-") as tmp:
        copy = Path(tmp) / COLLECTION_FILE
        try:
            shutil.copyfile(source, copy)
            wal = source.with_name(source.name + "-wal")
            if wal.is_file():
                shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
        except OSError as exc:
            raise ImportFailed(f"{label}: cannot read: {exc.strerror or exc}") from None
        try:
            conn = sqlite3.connect(copy)
        except sqlite3.Error as exc:
            raise ImportFailed(f"{label}: cannot open: {exc}") from None
        try:
            return _read(conn, wanted, label)
        except sqlite3.DatabaseError as exc:
            raise ImportFailed(f"{label}: not an Anki collection ({exc})") from None
        finally:
            conn.close()


def _read(conn: sqlite3.Connection, guids: list[str], label: str) -> dict[str, NoteReviews]:
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not {"notes", "cards", "revlog"} <= tables:
        raise ImportFailed(f"{label}: not an Anki collection (no notes, cards and revlog tables)")
    found: dict[str, NoteReviews] = {}
    card_guid: dict[int, str] = {}
    for i in range(0, len(guids), CHUNK):
        chunk = guids[i:i + CHUNK]
        marks = ",".join("?" * len(chunk))
        for guid, card_id, factor, lapses in conn.execute(
            f"SELECT n.guid, c.id, c.factor, c.lapses FROM notes n JOIN cards c ON c.nid = n.id "
            f"WHERE n.guid IN ({marks})", chunk,
        ):
            item = found.setdefault(guid, NoteReviews(guid))
            item.cards += 1
            item.lapses += lapses or 0
            if factor and factor > 0:
                item.factors.append(factor)
            card_guid[card_id] = guid
    card_ids = sorted(card_guid)
    for i in range(0, len(card_ids), CHUNK):
        chunk = card_ids[i:i + CHUNK]
        marks = ",".join("?" * len(chunk))
        for card_id, answered_at, ease in conn.execute(
            f"SELECT cid, id, ease FROM revlog WHERE cid IN ({marks}) AND ease BETWEEN 1 AND 4", chunk,
        ):
            found[card_guid[card_id]].answers.append((answered_at, ease))
    return found
