"""``certjourney import watson``: Watson's frames file, by path, folder, $WATSON_DIR or default.

The clock is frozen at Monday 2026-11-23 11:00 in Berlin (10:00 UTC); the
journey is SAA-C03 failed on 2026-10-15 with a retake on 2027-01-08, and
MLS-C01 passed on 2025-02-10.
"""

from __future__ import annotations

import json
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import FROZEN_AT
from helpers import error_line
from test_import_toggl import brief, dump, entries, journey

from tracker import clock

FRAMES = Path(__file__).parent / "data" / "watson_frames"


def expected(goal: dict[str, int]) -> list[tuple]:
    return [
        # 'saa-c03/nacl': the project names the goal, the part after '/' the topic (an alias).
        (goal["SAA-C03"], "VPC security", "", ["video"],
         "2026-11-02T17:00:00+00:00", "2026-11-02T18:00:00+00:00", 3600),
        (goal["MLS-C01"], "Kinesis", "", ["kinesis", "lab"],
         "2026-11-03T19:30:00+00:00", "2026-11-03T20:45:00+00:00", 4500),
        # The exam's alias before the '/', a topic alias after it.
        (goal["SAA-C03"], "S3 storage classes and lifecycle", "", [],
         "2026-11-04T06:00:00+00:00", "2026-11-04T06:40:00+00:00", 2400),
        (goal["SAA-C03"], None, "", ["reading"],
         "2026-11-05T20:00:00+00:00", "2026-11-05T21:10:00+00:00", 4200),
    ]


def test_frames_file_by_path(cli):
    goal = journey(cli)
    out = cli("import", "watson", str(FRAMES)).output
    assert out.splitlines() == [
        f"Imported 4 entries from {FRAMES}: MLS-C01 1 (1.2 h), SAA-C03 3 (2.8 h).",
        "1 without topic.",
    ]
    got = entries(cli)
    assert [brief(e) for e in got] == expected(goal)
    assert {e["source"] for e in got} == {"watson"}


def test_watson_folder_env_and_default_folder(cli, tmp_path, monkeypatch):
    goal = journey(cli)
    folder = tmp_path / "watson-data"
    folder.mkdir()
    shutil.copy(FRAMES, folder / "frames")
    assert "Imported 4 entries" in cli("import", "watson", str(folder)).output
    monkeypatch.setenv("WATSON_DIR", str(folder))
    assert cli("import", "watson").output.splitlines()[1] == "4 already present."
    monkeypatch.delenv("WATSON_DIR")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # Watson's own default
    (tmp_path / "config").mkdir()
    shutil.copytree(folder, tmp_path / "config" / "watson")
    out = cli("import", "watson", "--dry-run").output
    assert out.splitlines()[0] == (f"Dry run: would import 0 entries from "
                                   f"{tmp_path / 'config' / 'watson' / 'frames'}.")
    assert [brief(e) for e in entries(cli)] == expected(goal)


def test_an_empty_frames_file_imports_nothing(cli, tmp_path):
    journey(cli)
    (tmp_path / "frames").write_text("")
    assert cli("import", "watson", str(tmp_path)).output.startswith("Imported 0 entries")


def test_unknown_project_stops_the_import_unless_cert(cli, tmp_path):
    goal = journey(cli)
    frames = json.loads(FRAMES.read_text())
    frames[2][2] = "spanish/verbs"
    path = tmp_path / "frames"
    path.write_text(json.dumps(frames, indent=1))
    result = cli("import", "watson", str(path), ok=False)
    assert result.exit_code == 1
    assert error_line(result) == (f"Error: {path}: no goal matches: 'spanish/verbs' at entry 3 "
                                  "(line 23); add goals or use --cert")
    assert entries(cli) == []
    cli("import", "watson", str(path), "--cert", "SAA-C03")
    assert {e["goal_id"] for e in entries(cli)} == {goal["SAA-C03"]}


def frames_text(*frames) -> str:
    return json.dumps(list(frames), indent=1)


GOOD = [1793638800, 1793642400, "saa-c03", "a" * 32, [], 1793642401]
BAD = [
    ("stop-before-start", frames_text(GOOD, [1793642400, 1793638800, "saa-c03", "b" * 32, [], 0]),
     "entry 2 (line 10): stop before start"),
    ("not-json", '[\n [1793638800, 1793642400, "saa-c03", "a", [], 0],\n [1793638800,\n',
     "line 4: not valid JSON (Expecting value)"),
    ("trailing-comma", '[\n [1793638800, 1793642400, "saa-c03", "a", [], 0],\n]\n',
     "line 3: not valid JSON (Expecting value)"),
    ("object", '{"frames": []}', "line 1: expected a JSON list, found an object"),
    ("frame-shape", frames_text(GOOD, {"start": 1}), "entry 2 (line 10): expected a frame "
     "[start, stop, project, id, tags, updated_at]"),
    ("text-times", frames_text(GOOD, ["yesterday", 1793642400, "saa-c03", "c" * 32, [], 0]),
     "entry 2 (line 10): start and stop must be Unix times in seconds"),
    ("no-project", frames_text(GOOD, [1793638800, 1793642400, " ", "c" * 32, [], 0]),
     "entry 2 (line 10): the project is missing"),
    ("tags", frames_text(GOOD, [1793638800, 1793642400, "saa-c03", "c" * 32, "video", 0]),
     "entry 2 (line 10): tags must be a list of strings"),
    ("bytes", b'[\n [1793638800, 1793642400, "\xff", "a", [], 0]\n]',
     "line 2: not UTF-8 text (byte 0xff); save the file as UTF-8"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_frames_file_stops_the_import_and_changes_nothing(cli, tmp_path, name, content,
                                                                message):
    journey(cli)
    cli("import", "watson", str(FRAMES))
    before = dump(cli)
    path = tmp_path / "frames"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    result = cli("import", "watson", str(path), ok=False)
    assert result.exit_code == 1
    assert error_line(result) == f"Error: {path}: {message}"
    assert dump(cli) == before


def test_missing_frames_file(cli, tmp_path):
    result = cli("import", "watson", str(tmp_path), ok=False)
    assert result.exit_code == 1
    assert error_line(result) == f"Error: {tmp_path / 'frames'}: no such file"


def edited_frames(tmp_path, stop_shift: int, tags: list[str], updated_at: int) -> Path:
    """The fixture's frames with the first one edited in Watson at ``updated_at``."""
    frames = json.loads(FRAMES.read_text())
    frames[0][1] += stop_shift
    frames[0][4] = tags
    frames[0][5] = updated_at
    path = tmp_path / "frames"
    path.write_text(json.dumps(frames))
    return path


def test_frame_edited_in_watson_after_the_import_is_updated_in_place(cli, tmp_path):
    goal = journey(cli)
    cli("import", "watson", str(FRAMES))
    before = entries(cli)
    later = int(FROZEN_AT.timestamp()) + 3600   # edited in Watson an hour after our import
    path = edited_frames(tmp_path, 1800, ["video", "notes"], later)

    dry = cli("import", "watson", str(path), "--dry-run").output
    assert "1 entry changed in Watson since the last import would be updated, 3 already present." in dry
    assert entries(cli) == before

    with clock.frozen(FROZEN_AT + timedelta(hours=2)):
        out = cli("import", "watson", str(path)).output
    assert out.splitlines()[:2] == [
        f"Imported 0 entries from {path}.",
        "1 entry changed in Watson since the last import updated, 3 already present.",
    ]
    after = entries(cli)
    assert [e["id"] for e in after] == [e["id"] for e in before]   # same entries, no duplicate
    assert brief(after[0]) == (goal["SAA-C03"], "VPC security", "", ["notes", "video"],
                               "2026-11-02T17:00:00+00:00", "2026-11-02T18:30:00+00:00", 5400)
    assert after[1:] == before[1:]
    # Imported again: nothing changed since, so nothing is rewritten.
    with clock.frozen(FROZEN_AT + timedelta(hours=3)):
        assert cli("import", "watson", str(path)).output.splitlines()[1] == "4 already present."


def test_entry_edited_here_since_is_not_overwritten_by_an_older_watson_edit(cli, tmp_path):
    journey(cli)
    cli("import", "watson", str(FRAMES))
    first = entries(cli)[0]
    path = edited_frames(tmp_path, 1800, ["video"], int(FROZEN_AT.timestamp()) + 3600)
    with clock.frozen(FROZEN_AT + timedelta(hours=2)):   # edited here after Watson's edit
        cli("edit", str(first["id"]), "--description", "kept: edited here")
    with clock.frozen(FROZEN_AT + timedelta(hours=3)):
        out = cli("import", "watson", str(path)).output
    assert out.splitlines()[1] == "4 already present."
    kept = entries(cli)[0]
    assert kept["description"] == "kept: edited here" and kept["end"] == first["end"]


def test_frame_with_a_bad_updated_at_is_one_line_and_changes_nothing(cli, tmp_path):
    journey(cli)
    frames = json.loads(FRAMES.read_text())
    frames[2][5] = "yesterday"
    path = tmp_path / "frames"
    path.write_text(json.dumps(frames, indent=1))
    result = cli("import", "watson", str(path), ok=False)
    assert error_line(result).startswith(f"Error: {path}: entry 3 (line ")
    assert error_line(result).endswith("updated_at is not a Unix time in seconds")
    assert entries(cli) == []
