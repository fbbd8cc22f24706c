"""``certjourney import toggl``: Toggl Track CSVs as users really have them.

The clock is frozen at Monday 2026-11-23 11:00 in Berlin (10:00 UTC). The
journey: SAA-C03 failed on 2026-10-15, its retake booked for 2027-01-08, and
MLS-C01 passed on 2025-02-10.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers import error_line

DATA = Path(__file__).parent / "data"
DETAILED = DATA / "toggl_detailed.csv"
IMPORT_FORMAT = DATA / "toggl_import_format.csv"
HEADER = ("User,Email,Client,Project,Task,Description,Billable,Start date,Start time,"
          "End date,End time,Duration,Tags,Amount (USD)")


def journey(cli) -> dict[str, int]:
    """The fixture journey; returns goal ids by 'SAA-C03 failed', 'SAA-C03', 'MLS-C01'."""
    cli("goal", "add", "SAA-C03", "--status", "failed", "--exam-date", "2026-10-15")
    cli("goal", "add", "SAA-C03", "--exam-date", "2027-01-08", "--target-hours", "60")
    cli("goal", "add", "MLS-C01", "--passed-on", "2025-02-10")
    goals = json.loads(cli("goal", "list", "--json").stdout)
    return {g["cert"] + (" failed" if g["status"] == "failed" else ""): g["id"] for g in goals}


def dump(cli, learner: str = "tester") -> dict:
    """Everything the learner has, as ``export json`` writes it."""
    return json.loads(cli("export", "json", "--out", "-", learner=learner).stdout)


def entries(cli, learner: str = "tester") -> list[dict]:
    return dump(cli, learner)["entries"]


def cells(line: str) -> list[str]:
    """The columns of a table line (separated by two spaces or more)."""
    return re.split(r"\s{2,}", line.strip())


def brief(entry: dict) -> tuple:
    return (entry["goal_id"], entry["topic"], entry["description"], sorted(entry["tags"]),
            entry["start"], entry["end"], entry["seconds"])


def test_detailed_report_with_bom_reordered_columns_and_localised_billable(cli):
    goal = journey(cli)
    out = cli("import", "toggl", str(DETAILED)).output
    assert out.splitlines()[0] == (
        f"Imported 5 entries from {DETAILED}: MLS-C01 2 (1.8 h), SAA-C03 3 (4.0 h).")
    assert "1 without topic." in out
    assert [brief(e) for e in entries(cli)] == [
        # Berlin summer time: 19:00 local is 17:00 UTC; before the failed exam day.
        (goal["SAA-C03 failed"], "VPC security", "Read about NACLs, security groups",
         ["networking", "reading"], "2026-10-01T17:00:00+00:00", "2026-10-01T18:30:00+00:00", 5400),
        # Crosses midnight; starts the day before the failed exam, so it belongs to it.
        # The quoted description spans two lines of the file.
        (goal["SAA-C03 failed"], None, "Practice exam 1\nscored 68%", ["practice"],
         "2026-10-14T21:30:00+00:00", "2026-10-14T22:45:00+00:00", 4500),
        # The day summer time ends (10:00 is UTC+1 again); after the failed exam: the retake.
        # Task 'Labs' names no topic, the tag 'NAT gateway' (an alias) does.
        (goal["SAA-C03"], "VPC security", "NAT gateway lab", ["NAT gateway", "lab"],
         "2026-10-25T09:00:00+00:00", "2026-10-25T10:15:00+00:00", 4500),
        (goal["MLS-C01"], "SageMaker built-in algorithms", 'Übung: "built-in" algorithms – video',
         ["SageMaker", "video"], "2026-11-20T08:00:00+00:00", "2026-11-20T09:00:00+00:00", 3600),
        # Project 'Machine Learning' names nothing; the Client is an alias of MLS-C01.
        (goal["MLS-C01"], "Kinesis", "Kinesis shards", ["KDS"],
         "2026-11-21T17:00:00+00:00", "2026-11-21T17:45:00+00:00", 2700),
    ]
    assert {e["source"] for e in entries(cli)} == {"toggl"}


def test_importing_the_same_file_twice_adds_nothing(cli):
    journey(cli)
    cli("import", "toggl", str(DETAILED))
    before = dump(cli)
    out = cli("import", "toggl", str(DETAILED)).output
    assert out.splitlines() == [f"Imported 0 entries from {DETAILED}.", "5 already present."]
    assert dump(cli) == before


def test_import_format_without_end_columns_uses_the_duration(cli):
    goal = journey(cli)
    out = cli("import", "toggl", str(IMPORT_FORMAT)).output
    assert "Imported 4 entries" in out
    assert [brief(e) for e in entries(cli)] == [
        (goal["SAA-C03"], "S3 storage classes and lifecycle", "Glacier retrieval tiers", [],
         "2026-11-02T06:30:00+00:00", "2026-11-02T08:00:00+00:00", 5400),  # 1:30:00
        # 2.25 decimal hours from 22:15 ends after midnight; the tag names the topic.
        (goal["SAA-C03"], "S3 storage classes and lifecycle", "Late review", ["Glacier", "flashcards"],
         "2026-11-03T21:15:00+00:00", "2026-11-03T23:30:00+00:00", 8100),
        (goal["MLS-C01"], "Model evaluation metrics", "Confusion matrix drills", [],
         "2026-11-04T11:00:00+00:00", "2026-11-04T11:30:00+00:00", 1800),  # "0,5" hours
        (goal["MLS-C01"], None, "", [], "2026-11-05T05:00:00+00:00", "2026-11-05T05:45:00+00:00", 2700),
    ]


def test_dry_run_shows_the_plan_and_writes_nothing(cli):
    goal = journey(cli)
    before = dump(cli)
    out = cli("import", "toggl", str(DETAILED), "--dry-run").output
    lines = out.splitlines()
    assert lines[0] == (f"Dry run: would import 5 entries from {DETAILED}: "
                        "MLS-C01 2 (1.8 h), SAA-C03 3 (4.0 h).")
    assert [cells(line) for line in lines[1:7]] == [
        ["CERT", "GOAL", "TOPIC", "ENTRIES", "HOURS"],
        ["MLS-C01", str(goal["MLS-C01"]), "Kinesis", "1", "0.8 h"],
        ["MLS-C01", str(goal["MLS-C01"]), "SageMaker built-in algorithms", "1", "1.0 h"],
        ["SAA-C03", str(goal["SAA-C03 failed"]), "VPC security", "1", "1.5 h"],
        ["SAA-C03", str(goal["SAA-C03 failed"]), "(no topic)", "1", "1.2 h"],
        ["SAA-C03", str(goal["SAA-C03"]), "VPC security", "1", "1.2 h"],
    ]
    assert "  line 3: 2026-10-14 23:30–00:45 +1d  SAA-C03  Practice exam 1 scored 68%" in lines
    assert lines[-1] == "Nothing was written (dry run)."
    assert dump(cli) == before


def test_dry_run_of_an_unknown_learner_creates_nobody(cli):
    from sqlalchemy import text

    from tracker.db import open_database

    out = cli("import", "toggl", str(DETAILED), "--dry-run", "--cert", "saa-c03", learner="nobody",
              ok=False)
    assert error_line(out) == "Error: no goal for SAA-C03; add one with 'certjourney goal add SAA-C03'"
    database = open_database(cli.db_url)
    with database.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM learner")).scalar() == 0
    database.dispose()


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def row(project="SAA-C03", task="", description="Reading", start=("2026-11-16", "09:00:00"),
        end=("2026-11-16", "10:00:00"), duration="01:00:00", tags="", client="AWS") -> str:
    return (f"Ana,ana@example.com,{client},{project},{task},{description},No,{start[0]},{start[1]},"
            f"{end[0]},{end[1]},{duration},{tags},")


def test_cert_puts_every_entry_under_one_goal(cli, tmp_path):
    goal = journey(cli)
    path = write(tmp_path, "languages.csv", "\n".join([
        HEADER, row(project="Spanish", tags="Kinesis"), row(project="Work", start=("2026-11-17", "09:00:00"),
                                                           end=("2026-11-17", "09:30:00"))]))
    out = cli("import", "toggl", str(path), "--cert", "mls-c01").output
    assert "Imported 2 entries" in out and "MLS-C01 2 (1.5 h)" in out
    got = entries(cli)
    assert {e["goal_id"] for e in got} == {goal["MLS-C01"]}
    assert [e["topic"] for e in got] == ["Kinesis", None]


def test_names_that_match_no_goal_stop_the_import(cli, tmp_path):
    journey(cli)
    cli("import", "toggl", str(IMPORT_FORMAT))
    before = dump(cli)
    path = write(tmp_path, "mixed.csv", "\n".join([
        HEADER, row(), row(project="Spanish", client=""), row(project="Work", client="ACME"),
        row(project="Spanish", client="")]))
    result = cli("import", "toggl", str(path), ok=False)
    assert result.exit_code == 1
    assert error_line(result) == (f"Error: {path}: no goal matches: 'Spanish' at line 3, "
                                  "'Work' at line 4; add goals or use --cert")
    assert dump(cli) == before


def test_overlaps_are_reported_and_kept(cli, tmp_path):
    journey(cli)
    cli("import", "toggl", str(IMPORT_FORMAT))  # 2026-11-02 07:30-09:00 local among them
    path = write(tmp_path, "overlapping.csv", "\n".join([
        HEADER,
        row(start=("2026-11-02", "08:30:00"), end=("2026-11-02", "09:30:00")),
        row(start=("2026-11-10", "09:00:00"), end=("2026-11-10", "10:00:00")),
        row(start=("2026-11-10", "09:45:00"), end=("2026-11-10", "10:15:00"), description="Again"),
    ]))
    out = cli("import", "toggl", str(path)).output
    assert "Imported 3 entries" in out
    assert ("Warning: 3 imported entries overlap other entries (kept as they are), e.g. "
            "a stored entry at 2026-11-02 07:30–09:00 and line 2 at 2026-11-02 08:30–09:30; "
            "line 3 at 2026-11-10 09:00–10:00 and line 4 at 2026-11-10 09:45–10:15.") in out
    assert len(entries(cli)) == 4 + 3


def test_entry_ending_in_the_repeated_hour_when_summer_time_ends(cli, tmp_path):
    journey(cli)
    # 02:30 summer time, then the clocks go back: 02:10 is the second 02:10 (winter time).
    path = write(tmp_path, "dst.csv", "\n".join([
        HEADER, row(start=("2026-10-25", "02:30:00"), end=("2026-10-25", "02:10:00"),
                    duration="00:40:00")]))
    cli("import", "toggl", str(path))
    (entry,) = entries(cli)
    assert (entry["start"], entry["end"], entry["seconds"]) == (
        "2026-10-25T00:30:00+00:00", "2026-10-25T01:10:00+00:00", 2400)


def test_the_duration_tells_which_of_the_repeated_hours(cli, tmp_path):
    journey(cli)
    # 02:30 is in the hour that repeats; with 40 minutes to 03:10 it is the second 02:30.
    path = write(tmp_path, "dst-start.csv", "\n".join([
        HEADER, row(start=("2026-10-25", "02:30:00"), end=("2026-10-25", "03:10:00"),
                    duration="00:40:00")]))
    cli("import", "toggl", str(path))
    (entry,) = entries(cli)
    assert (entry["start"], entry["end"], entry["seconds"]) == (
        "2026-10-25T01:30:00+00:00", "2026-10-25T02:10:00+00:00", 2400)


def test_semicolon_separated_and_blank_lines(cli, tmp_path):
    journey(cli)
    path = write(tmp_path, "excel.csv", "Start date;Start time;Duration;Project\r\n\r\n"
                 "2026-11-16;09:00:00;1:00:00;SAA-C03\r\n;;;\r\n")
    assert "Imported 1 entry " in cli("import", "toggl", str(path)).output


LONG_TAG = "x" * 101
BAD = [
    ("bad-date", "\n".join([HEADER, row(), row(start=("2026-13-01", "09:00:00"))]),
     "line 3: Start date '2026-13-01' is not a date (YYYY-MM-DD)"),
    ("us-date", "\n".join([HEADER, row(start=("11/16/2026", "09:00:00"))]),
     "line 2: Start date '11/16/2026' is not a date (YYYY-MM-DD)"),
    ("bad-time", "\n".join([HEADER, row(), row(), row(end=("2026-11-16", "25:00:00"))]),
     "line 4: End time '25:00:00' is not a time (HH:MM:SS)"),
    ("empty-time", "\n".join([HEADER, row(start=("2026-11-16", ""))]),
     "line 2: Start time is empty, not a time (HH:MM:SS)"),
    ("end-before-start", "\n".join([HEADER, row(), row(end=("2026-11-16", "08:00:00"))]),
     "line 3: end before start"),
    ("bad-duration", "Start date,Start time,Duration,Project\n2026-11-16,09:00:00,1:00:00,SAA-C03\n"
     "2026-11-16,11:00:00,an hour,SAA-C03\n",
     "line 3: Duration 'an hour' is not HH:MM:SS or decimal hours"),
    ("no-end", "Start date,Start time,Duration,Project\n2026-11-16,09:00:00,,SAA-C03\n",
     "line 2: no End date/End time and no Duration"),
    ("latin-1", (HEADER + "\n" + row() + "\n" + row(description="Übung")).encode("latin-1"),
     "line 3: not UTF-8 text (byte 0xdc); save the file as UTF-8"),
    ("utf-16", (HEADER + "\n" + row()).encode("utf-16"), "line 1: UTF-16 text; save the file as UTF-8"),
    ("not-toggl", "Date,Hours,What\n2026-11-16,1,reading\n",
     "line 1: not a Toggl CSV: expected a header with columns such as Project, Start date, "
     "Start time, Duration"),
    ("missing-column", "Project,Start date,Duration\nSAA-C03,2026-11-16,1:00:00\n",
     "line 1: missing column 'Start time'"),
    ("no-end-columns", "Project,Start date,Start time,End date\nSAA-C03,2026-11-16,09:00:00,2026-11-16\n",
     "line 1: missing columns 'End date' and 'End time', or 'Duration'"),
    ("short-row", "\n".join([HEADER, row(), "Ana,ana@example.com,AWS,SAA-C03,oops"]),
     "line 3: 5 fields where the header has 14"),
    # A quoted description over three lines: the bad row after it starts on physical line 5.
    ("multi-line", "\n".join([HEADER, row(description='"one\ntwo\nthree"'), row(duration="x",
                                                                               end=("", ""))]),
     "line 5: Duration 'x' is not HH:MM:SS or decimal hours"),
    ("long-tag", "\n".join([HEADER, row(tags=LONG_TAG)]),
     f"line 2: tag {LONG_TAG[:30]!r}… is longer than 100 characters"),
    ("empty", "", "line 1: empty file; expected a Toggl CSV with a header line"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_file_stops_the_import_and_changes_nothing(cli, tmp_path, name, content, message):
    journey(cli)
    cli("import", "toggl", str(IMPORT_FORMAT))
    before = dump(cli)
    path = write(tmp_path, f"{name}.csv", content)
    result = cli("import", "toggl", str(path), ok=False)
    assert result.exit_code == 1
    assert error_line(result) == f"Error: {path}: {message}"
    assert dump(cli) == before


def test_missing_file_and_unknown_goal_are_one_line(cli, tmp_path):
    journey(cli)
    missing = cli("import", "toggl", str(tmp_path / "nope.csv"), ok=False)
    assert missing.exit_code == 1
    assert error_line(missing) == f"Error: {tmp_path / 'nope.csv'}: no such file"
    unknown = cli("import", "toggl", str(DETAILED), "--cert", "AZ-900", ok=False)
    assert unknown.exit_code == 1
    assert error_line(unknown) == "Error: no goal for AZ-900; add one with 'certjourney goal add AZ-900'"
    assert entries(cli) == []


def test_parsers_and_exporters_stay_light():
    """Parsing a file needs neither SQLModel nor Textual (nor genanki): checked in a
    fresh interpreter."""
    import subprocess
    import sys

    code = ("import sys\nimport tracker.importers.toggl, tracker.importers.watson, "
            "tracker.importers.timewarrior, exporters.toggl_csv, exporters.json_export\n"
            "print(' '.join(m for m in ('sqlmodel', 'textual', 'genanki') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
