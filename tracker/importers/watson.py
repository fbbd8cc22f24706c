"""Watson's ``frames`` file: a JSON list of ``[start, stop, project, id, tags, updated_at]``.

Times are Unix seconds. The frame id is Watson's own and never changes, so it
is the dedupe key; ``updated_at`` says when Watson last changed the frame, so a
frame edited in Watson after an import is updated by the next one (unless the
entry was edited in certjourney since). Watson keeps its running frame in a
separate ``state`` file, so every frame here is finished.
"""

from __future__ import annotations

import os
from pathlib import Path

from tracker.importers.common import (
    Naming,
    Namings,
    ParsedFile,
    Row,
    clean_tags,
    failure,
    iter_json_list,
    read_text,
    split_project,
)

SOURCE = "watson"
LAST_SECOND = 253402300799  # 9999-12-31 23:59:59 UTC
MAX_ID_LENGTH = 150


def frames_path(given: str | None, env: dict[str, str] | None = None) -> Path:
    """The frames file: the given file, ``frames`` inside a given folder, else in
    ``$WATSON_DIR`` or Watson's own default folder."""
    if given:
        path = Path(given).expanduser()
        return path / "frames" if path.is_dir() else path
    env = os.environ if env is None else env
    folder = env.get("WATSON_DIR")
    if not folder:
        import click  # Watson finds its folder with click too (~/.config/watson on Linux)

        folder = click.get_app_dir("watson")
    return Path(folder).expanduser() / "frames"


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def parse_watson(path: Path, label: str | None = None) -> ParsedFile:
    """Every frame, validated; raises ImportFailed naming the frame and its line."""
    label = label or str(path)
    text = read_text(path, label)
    if not text.strip():
        return ParsedFile(label, SOURCE, [], [])  # Watson's file before the first frame
    namings = Namings()
    rows: list[Row] = []
    edited_at: dict[str, int] = {}
    for number, line, frame in iter_json_list(text, label):
        where = f"entry {number} (line {line})"

        def bad(reason: str, where: str = where):
            return failure(label, where, reason)

        if not isinstance(frame, list) or not 4 <= len(frame) <= 6:
            raise bad("expected a frame [start, stop, project, id, tags, updated_at]")
        start, stop, project, frame_id = frame[:4]
        tags = frame[4] if len(frame) > 4 and frame[4] is not None else []
        if not _is_number(start) or not _is_number(stop):
            raise bad("start and stop must be Unix times in seconds")
        if not 0 <= start <= LAST_SECOND or not 0 <= stop <= LAST_SECOND:
            raise bad("start or stop is not a Unix time in seconds")
        if stop < start:
            raise bad("stop before start")
        if not isinstance(project, str) or not project.strip():
            raise bad("the project is missing")
        if not isinstance(frame_id, str) or not frame_id.strip():
            raise bad("the frame id is missing")
        if len(frame_id.strip()) > MAX_ID_LENGTH:
            raise bad(f"the frame id is longer than {MAX_ID_LENGTH} characters")
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise bad("tags must be a list of strings")
        updated_at = frame[5] if len(frame) > 5 else None
        if updated_at is not None and (not _is_number(updated_at) or not 0 <= updated_at <= LAST_SECOND):
            raise bad("updated_at is not a Unix time in seconds")
        project = project.strip()
        head, tail = split_project(project)
        tags = clean_tags(tags, label, where)
        naming = Naming(
            goal_names=(project, head) if tail else (project,),
            topic_names=(tail, *tags) if tail else tags,
            tags=tags,
            shown_name=project,
        )
        key = f"watson:{frame_id.strip()}"
        rows.append((where, int(start), int(stop), "", key, namings.add(naming, naming)))
        if updated_at is not None:
            edited_at[key] = int(updated_at)
    return ParsedFile(label, SOURCE, namings.table, rows, edited_at=edited_at)
