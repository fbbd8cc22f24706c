"""``certjourney import timewarrior``: the output of ``timew export``.

The clock is frozen at Monday 2026-11-23 11:00 in Berlin (10:00 UTC); the
journey is SAA-C03 failed on 2026-10-15 with a retake on 2027-01-08, and
MLS-C01 passed on 2025-02-10.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import error_line
from test_import_toggl import brief, dump, entries, journey

EXPORT = Path(__file__).parent / "data" / "timew_export.json"
SKIPPED = ("Skipped 1 running interval: entry 5 (line 6), running since 2026-11-23 10:00; "
           "stop it and import again.")


def test_tags_name_goal_and_topic_and_running_interval_is_skipped(cli):
    goal = journey(cli)
    out = cli("import", "timewarrior", str(EXPORT)).output
    assert out.splitlines() == [
        f"Imported 4 entries from {EXPORT}: MLS-C01 1 (1.0 h), SAA-C03 3 (2.8 h).",
        "1 without topic.",
        SKIPPED,
    ]
    got = entries(cli)
    assert [brief(e) for e in got] == [
        # The tag that named the goal is not kept; the topic tag is.
        (goal["SAA-C03"], "VPC security", "NAT gateways vs instances", ["VPC security"],
         "2026-11-01T08:00:00+00:00", "2026-11-01T09:30:00+00:00", 5400),
        (goal["MLS-C01"], "Kinesis", "", ["evening", "kinesis"],
         "2026-11-02T18:00:00+00:00", "2026-11-02T19:00:00+00:00", 3600),
        # 'saa-c03/glacier' names the goal (so it is dropped) and, after the '/', the topic.
        (goal["SAA-C03"], "S3 storage classes and lifecycle", "", [],
         "2026-11-03T18:00:00+00:00", "2026-11-03T18:30:00+00:00", 1800),
        # The exam's alias as a tag.
        (goal["SAA-C03"], None, "Anki", ["flashcards"],
         "2026-11-04T06:00:00+00:00", "2026-11-04T06:45:00+00:00", 2700),
    ]
    assert {e["source"] for e in got} == {"timewarrior"}


def test_importing_again_adds_nothing_even_when_ids_shift(cli, tmp_path):
    journey(cli)
    cli("import", "timewarrior", str(EXPORT))
    before = dump(cli)
    # A later export: one more interval, so Timewarrior renumbers every id.
    intervals = json.loads(EXPORT.read_text())
    intervals[-1]["end"] = "20261123T093000Z"
    for interval in intervals:
        interval["id"] += 1
    later = tmp_path / "later.json"
    later.write_text(json.dumps(intervals))
    out = cli("import", "timewarrior", str(later)).output
    assert out.splitlines() == [f"Imported 1 entry from {later}: SAA-C03 1 (0.5 h).",
                                "4 already present, 1 without topic."]
    assert len(entries(cli)) == len(before["entries"]) + 1


def test_dry_run_names_the_running_interval(cli):
    journey(cli)
    out = cli("import", "timewarrior", str(EXPORT), "--dry-run").output
    assert SKIPPED in out.splitlines()
    assert out.splitlines()[-1] == "Nothing was written (dry run)."
    assert entries(cli) == []


def test_unknown_tags_stop_the_import(cli, tmp_path):
    journey(cli)
    path = tmp_path / "spanish.json"
    path.write_text('[\n{"id":2,"start":"20261101T080000Z","end":"20261101T090000Z",'
                    '"tags":["saa-c03"]},\n{"id":1,"start":"20261102T080000Z",'
                    '"end":"20261102T090000Z","tags":["spanish","verbs"]}\n]\n')
    result = cli("import", "timewarrior", str(path), ok=False)
    assert result.exit_code == 1
    assert error_line(result) == (f"Error: {path}: no goal matches: 'spanish verbs' at entry 2 "
                                  "(line 3); add goals or use --cert")
    assert entries(cli) == []


GOOD = '{"id":2,"start":"20261101T080000Z","end":"20261101T090000Z","tags":["saa-c03"]}'
BAD = [
    ("end-before-start", f'[\n{GOOD},\n{{"start":"20261102T090000Z","end":"20261102T080000Z"}}\n]',
     "entry 2 (line 3): end before start"),
    ("local-time", f'[\n{GOOD},\n{{"start":"2026-11-02 09:00","end":"20261102T100000Z"}}\n]',
     "entry 2 (line 3): start '2026-11-02 09:00' is not a time like 20221210T083000Z"),
    ("bad-end", f'[\n{GOOD},\n{{"start":"20261102T090000Z","end":"20261302T100000Z"}}\n]',
     "entry 2 (line 3): end '20261302T100000Z' is not a time like 20221210T093000Z"),
    ("not-an-object", f"[\n{GOOD},\n[1, 2]\n]", "entry 2 (line 3): expected an interval object "
     "with start, end and tags"),
    ("tags", f'[\n{GOOD},\n{{"start":"20261102T090000Z","end":"20261102T100000Z","tags":"x"}}\n]',
     "entry 2 (line 3): tags must be a list of strings"),
    ("annotation", f'[\n{GOOD},\n{{"start":"20261102T090000Z","end":"20261102T100000Z",'
     '"tags":["saa-c03"],"annotation":7}\n]', "entry 2 (line 3): the annotation must be a string"),
    ("syntax", f'[\n{GOOD},\n{{"start":"20261102T090000Z",,}}\n]',
     "line 3: not valid JSON (Expecting property name enclosed in double quotes)"),
    ("missing-comma", f"[\n{GOOD}\n{GOOD}\n]", "line 3: not valid JSON (Expecting ',' or ']')"),
    ("extra-data", f"[\n{GOOD}\n]\n[]\n", "line 4: not valid JSON (Extra data after the list)"),
    ("empty", "", "line 1: empty file; expected a JSON list"),
    ("timew-summary-text", "Wk  Date       Day Tags\n", "line 1: not valid JSON (Expecting value)"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_export_stops_the_import_and_changes_nothing(cli, tmp_path, name, content, message):
    journey(cli)
    cli("import", "timewarrior", str(EXPORT))
    before = dump(cli)
    path = tmp_path / f"{name}.json"
    path.write_text(content)
    result = cli("import", "timewarrior", str(path), ok=False)
    assert result.exit_code == 1
    assert error_line(result) == f"Error: {path}: {message}"
    assert dump(cli) == before


def test_reads_timew_export_piped_in(cli):
    journey(cli)
    piped = EXPORT.read_text()
    out = cli("import", "timewarrior", "-", input=piped).output
    assert out.splitlines()[0] == ("Imported 4 entries from standard input: "
                                   "MLS-C01 1 (1.0 h), SAA-C03 3 (2.8 h).")
    before = entries(cli)
    # The same export piped again adds nothing, as a file would.
    cli("import", "timewarrior", "-", input=piped)
    assert entries(cli) == before


def test_nothing_piped_in_is_one_line_and_changes_nothing(cli):
    journey(cli)
    result = cli("import", "timewarrior", "-", input="", ok=False)
    assert result.exit_code == 1
    assert error_line(result) == "Error: standard input: nothing was piped in"
    assert entries(cli) == []
