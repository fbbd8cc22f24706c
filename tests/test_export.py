"""``certjourney export toggl`` and ``export json``: golden file, round trip, filters.

The clock is frozen at Monday 2026-11-23 11:00 in Berlin (10:00 UTC).
"""

from __future__ import annotations

import json
from pathlib import Path

from helpers import error_line
from test_import_timewarrior import EXPORT as TIMEW_EXPORT
from test_import_toggl import DETAILED, IMPORT_FORMAT, dump, entries, journey
from test_import_watson import FRAMES

from exporters.toggl_csv import HEADER

GOLDEN = Path(__file__).parent / "data" / "toggl_export_golden.csv"


def test_toggl_csv_matches_the_golden_file(cli, tmp_path):
    """Detailed-report layout: Client = vendor, Project = exam code, Task = topic, local
    times, HH:MM:SS durations, tags in one cell, Amount empty; CRLF as the csv module writes."""
    journey(cli)
    cli("import", "toggl", str(DETAILED))
    folder = tmp_path / "exports"
    folder.mkdir()
    out = folder / "toggl.csv"
    assert cli("export", "toggl", "--out", str(out)).output == f"Wrote 5 entries to {out}.\n"
    assert out.read_bytes() == GOLDEN.read_bytes()
    assert [p.name for p in folder.iterdir()] == ["toggl.csv"]  # no temporary file left


def comparable(cli, learner: str) -> list[tuple]:
    """Entries as the learner sees them, goals named by exam and status rather than by id."""
    data = dump(cli, learner)
    goals = {g["id"]: (g["cert"], g["status"]) for g in data["goals"]}
    return [(goals[e["goal_id"]], e["topic"], e["description"], e["tags"], e["start"], e["end"],
             e["seconds"]) for e in data["entries"]]


def test_export_then_import_gives_back_the_same_entries(cli, tmp_path):
    journey(cli)
    # The night summer time ends in Berlin: 02:30 comes twice.
    repeated_hour = tmp_path / "repeated-hour.csv"
    repeated_hour.write_text("Project,Start date,Start time,End date,End time,Duration\n"
                             "SAA-C03,2026-10-25,02:30:00,2026-10-25,02:50:00,00:20:00\n"
                             "SAA-C03,2026-10-25,02:30:00,2026-10-25,03:10:00,00:40:00\n")
    for kind, path in (("toggl", DETAILED), ("toggl", IMPORT_FORMAT), ("watson", FRAMES),
                       ("timewarrior", TIMEW_EXPORT), ("toggl", repeated_hour)):
        cli("import", kind, str(path))
    out = tmp_path / "all.csv"
    cli("export", "toggl", "--out", str(out))
    # Another learner, with the same goals and no entries: an empty database for them.
    for args in (("SAA-C03", "--status", "failed", "--exam-date", "2026-10-15"),
                 ("SAA-C03", "--exam-date", "2027-01-08"), ("MLS-C01", "--passed-on", "2025-02-10")):
        cli("goal", "add", *args, learner="copy")
    result = cli("import", "toggl", str(out), learner="copy").output
    assert result.startswith(f"Imported 19 entries from {out}")
    original = comparable(cli, "tester")
    assert len(original) == 19
    assert [e[4:] for e in original if "2026-10-25T00" <= e[4] < "2026-10-25T02"] == [
        ("2026-10-25T00:30:00+00:00", "2026-10-25T00:50:00+00:00", 1200),
        ("2026-10-25T01:30:00+00:00", "2026-10-25T02:10:00+00:00", 2400)]
    assert comparable(cli, "copy") == original
    # And the copy exports to the very same file.
    again = tmp_path / "again.csv"
    cli("export", "toggl", "--out", str(again), learner="copy")
    assert again.read_text().replace("copy,", "tester,") == out.read_text()


def test_running_entry_is_in_json_but_not_in_toggl_csv(cli, tmp_path):
    journey(cli)
    cli("import", "toggl", str(DETAILED))
    cli("start", "--cert", "SAA-C03", "--at", "10:30", "Reading")
    out = tmp_path / "toggl.csv"
    assert cli("export", "toggl", "--out", str(out)).output == (
        f"Wrote 5 entries to {out} (the running entry is left out).\n")
    assert len(out.read_text().splitlines()) == 1 + 6  # header, 5 rows, one description on 2 lines
    running = entries(cli)[-1]
    assert (running["end"], running["running"], running["start"], running["seconds"]) == (
        None, True, "2026-11-23T09:30:00+00:00", 1800)


def test_json_export_holds_goals_and_every_entry(cli, tmp_path):
    goal = journey(cli)
    cli("import", "toggl", str(DETAILED))
    out = tmp_path / "journey.json"
    assert cli("export", "json", "--out", str(out)).output == (
        f"Wrote 3 goals and 5 entries to {out}.\n")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert (data["format"], data["learner"], data["exported_at"]) == (
        1, "tester", "2026-11-23T10:00:00+00:00")
    assert [(g["id"], g["cert"], g["status"]) for g in data["goals"]] == [
        (goal["MLS-C01"], "MLS-C01", "passed"), (goal["SAA-C03 failed"], "SAA-C03", "failed"),
        (goal["SAA-C03"], "SAA-C03", "planned")]
    first = data["entries"][0]
    assert {k: v for k, v in first.items() if k != "id"} == {
        "goal_id": goal["SAA-C03 failed"], "cert": "SAA-C03", "topic": "VPC security",
        "description": "Read about NACLs, security groups", "tags": ["networking", "reading"],
        "start": "2026-10-01T17:00:00+00:00", "end": "2026-10-01T18:30:00+00:00",
        "seconds": 5400, "running": False, "source": "toggl"}
    assert data["entries"][2]["tags"] == ["lab", "NAT gateway"]  # sorted, whatever the database


def test_filters_by_cert_and_dates(cli, tmp_path):
    goal = journey(cli)
    cli("import", "toggl", str(DETAILED))
    saa = dump_args(cli, "--cert", "saa-c03")
    assert [g["cert"] for g in saa["goals"]] == ["SAA-C03", "SAA-C03"]
    assert len(saa["entries"]) == 3
    one_goal = dump_args(cli, "--cert", str(goal["SAA-C03 failed"]))
    assert [g["id"] for g in one_goal["goals"]] == [goal["SAA-C03 failed"]]
    assert [e["description"][:15] for e in one_goal["entries"]] == ["Read about NACL",
                                                                    "Practice exam 1"]
    # Local dates, inclusive; an entry belongs to the day it starts.
    october = dump_args(cli, "--from", "2026-10-14", "--to", "2026-10-25")
    assert [e["start"] for e in october["entries"]] == ["2026-10-14T21:30:00+00:00",
                                                        "2026-10-25T09:00:00+00:00"]
    out = tmp_path / "mls.csv"
    cli("export", "toggl", "--out", str(out), "--cert", "MLS-C01", "--from", "2026-11-21")
    assert out.read_text().splitlines() == [",".join(HEADER), "tester,,AWS,MLS-C01,Kinesis,"
                                            "Kinesis shards,No,2026-11-21,18:00:00,2026-11-21,"
                                            "18:45:00,00:45:00,KDS,"]


def dump_args(cli, *args: str) -> dict:
    return json.loads(cli("export", "json", "--out", "-", *args).stdout)


def test_a_learner_with_nothing_exports_empty_files(cli, tmp_path):
    out = tmp_path / "empty.csv"
    assert cli("export", "toggl", "--out", str(out)).output == f"Wrote 0 entries to {out}.\n"
    assert out.read_text().splitlines() == [",".join(HEADER)]
    assert dump(cli)["entries"] == [] and dump(cli)["goals"] == []


def test_bad_export_options_are_one_line_and_keep_the_old_file(cli, tmp_path):
    journey(cli)
    out = tmp_path / "keep.csv"
    out.write_text("old")
    cases = [
        (("export", "toggl", "--out", str(tmp_path / "no" / "such" / "x.csv")),
         f"Error: {tmp_path / 'no' / 'such' / 'x.csv'}: folder {tmp_path / 'no' / 'such'} does not exist"),
        (("export", "toggl", "--out", str(out), "--from", "2026-11-20", "--to", "2026-11-01"),
         "Error: --from 2026-11-20 is after --to 2026-11-01"),
        (("export", "json", "--out", str(out), "--from", "someday"),
         "Error: --from: cannot read 'someday' as a date"),
        (("export", "json", "--out", str(out), "--cert", "AZ-900"),
         "Error: no goal for AZ-900; add one with 'certjourney goal add AZ-900'"),
        (("export", "json", "--out", str(tmp_path)), f"Error: {tmp_path}: is a folder"),
    ]
    for args, message in cases:
        result = cli(*args, ok=False)
        assert result.exit_code == 1
        assert error_line(result).startswith(message), args
    assert out.read_text() == "old"
