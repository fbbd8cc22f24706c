"""Logging time through the CLI: the timer, manual entries, edits, the log.

The clock is frozen at Monday 2026-11-23 11:00 in Berlin (10:00 UTC).
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from helpers import error_line

from tracker import clock


@pytest.fixture
def saa(cli):
    cli("goal", "add", "SAA-C03", "--exam-date", "+6w", "--target-hours", "60")
    return cli


def entries(cli, *extra):
    return json.loads(cli("log", "--from", "2026-01-01", "--json", *extra).stdout)


def status(cli):
    return json.loads(cli("status", "--json").stdout)


def test_start_stop_round_trip(saa):
    out = saa("start", "VPC", "lab", "--topic", "vpc security", "-t", "lab", "--at", "10:15").output
    assert "Started" in out and "10:15" in out
    st = status(saa)
    assert st["running"] and st["description"] == "VPC lab" and st["topic"] == "VPC security"
    assert st["elapsed_seconds"] == 45 * 60 and st["today_seconds"] == 45 * 60
    saa("stop")
    [entry] = entries(saa)
    assert entry["seconds"] == 45 * 60 and entry["tags"] == ["lab"] and not entry["running"]
    assert not status(saa)["running"]


def test_one_goal_open_means_no_cert_needed_but_two_need_it(saa):
    saa("start", "reading")
    saa("goal", "add", "DVA-C02")
    result = saa("start", "more", ok=False)
    assert "several open goals (DVA-C02, SAA-C03)" in error_line(result)
    assert status(saa)["description"] == "reading"


def test_starting_a_new_timer_stops_the_running_one_at_the_same_instant(saa):
    saa("goal", "add", "DVA-C02")
    saa("start", "first", "--cert", "saa-c03", "--at", "10:00")
    out = saa("start", "second", "--cert", "dva-c02", "--at", "10:30").output
    assert "Stopped" in out
    first, second = sorted(entries(saa), key=lambda e: e["start"])
    assert first["end"] == second["start"]
    assert second["running"] and second["cert"] == "DVA-C02"


def test_timer_survives_the_process(saa, db_url):
    """The running entry lives in the database: a new process sees it."""
    saa("start", "long", "read", "--at", "9:00")
    from conftest import Cli

    assert Cli(db_url)("status").output.startswith("Running")


def test_cancel_and_continue(saa):
    saa("add", "S3", "deep", "dive", "yesterday", "19:00-20:30", "-T", "s3 storage classes",
        "-t", "video", "-t", "notes")
    saa("start", "oops")
    saa("cancel")
    assert len(entries(saa)) == 1
    out = saa("continue").output
    assert "S3 deep dive" in out
    running = status(saa)
    assert running["topic"] == "S3 storage classes and lifecycle"
    assert sorted(running["tags"]) == ["notes", "video"]
    result = saa("continue", ok=False)
    assert "still running" in error_line(result)


@pytest.mark.parametrize(
    "args",
    [
        ("yesterday", "19:00-20:30"),
        ("--start", "yesterday 19:00", "--end", "yesterday 20:30"),
        ("--start", "yesterday 19:00", "--duration", "1h30m"),
        ("--start", "yesterday 19:00", "--duration", "1:30"),
        ("--end", "yesterday 20:30", "--duration", "1.5h"),
        ("--start", "2026-11-22 19:00", "--duration", "90m"),
    ],
)
def test_manual_entry_forms(saa, args):
    saa("add", "Reading", *args)
    [entry] = entries(saa)
    assert entry["start"] == "2026-11-22T18:00:00+00:00"  # 19:00 in Berlin
    assert entry["seconds"] == 5400 and entry["description"] == "Reading"


BAD = [
    (("add", "x", "--start", "10:00", "--end", "9:00"), "the end is before the start"),
    (("add", "x", "--start", "10:00", "--end", "10:00"), "zero seconds"),
    (("add", "x", "--start", "tomorrow 10:00", "--duration", "1h"), "in the future"),
    (("add", "x", "--start", "10:00", "--duration", "0m"), "must be more than zero"),
    (("add", "x", "--start", "10:00", "--duration", "forever"), "--duration: cannot read 'forever'"),
    (("add", "x", "--start", "when?", "--duration", "1h"), "--start: cannot read 'when?'"),
    (("add", "x", "yesterday", "19:30-20:00"), "overlaps entry"),
    (("add", "x", "--start", "9:00", "--duration", "1h", "--topic", "kinesiss"), "has no topic 'kinesiss'"),
    (("add", "x", "--start", "9:00", "--duration", "1h", "--cert", "AZ-900"), "no goal for AZ-900"),
    (("add", "just words"), "say when"),
    (("start", "--at", "12:00"), "in the future"),
    (("stop",), "no timer is running"),
    (("cancel",), "no timer is running"),
    (("edit", "999", "-d", "x"), "no entry with id 999"),
    (("split", "1", "--at", "21:00"), "must fall inside"),
    (("log", "--from", "someday"), "--from: cannot read 'someday'"),
]


@pytest.mark.parametrize(("args", "message"), BAD)
def test_bad_input_one_line_nothing_written(saa, args, message):
    saa("add", "existing", "yesterday", "19:00-20:30")
    before = entries(saa)
    result = saa(*args, ok=False)
    assert result.exit_code == 1
    assert message in error_line(result)
    assert entries(saa) == before


def test_unknown_topic_lists_closest(saa):
    result = saa("start", "--topic", "vpc", ok=False)
    assert "closest: VPC security" in error_line(result)


def test_overlap_allowed_on_request(saa):
    saa("add", "a", "yesterday", "19:00-20:30")
    saa("add", "b", "yesterday", "20:00-21:00", "--allow-overlap")
    assert len(entries(saa)) == 2


def test_edit_fields_and_keep_what_is_not_given(saa):
    saa("add", "draft", "yesterday", "19:00-20:30", "-T", "vpc security", "-t", "x")
    entry_id = entries(saa)[0]["id"]
    saa("edit", str(entry_id), "-d", "final", "--end", "yesterday 21:00", "-t", "a", "-t", "b")
    [e] = entries(saa)
    assert e["description"] == "final" and e["seconds"] == 7200
    assert e["tags"] == ["a", "b"] and e["topic"] == "VPC security"
    saa("edit", str(entry_id), "--topic", "none", "--no-tags")
    [e] = entries(saa)
    assert e["topic"] is None and e["tags"] == [] and e["description"] == "final"


def test_split_keeps_everything_on_both_halves(saa):
    saa("add", "long", "yesterday", "19:00-21:00", "-T", "load balancing", "-t", "lab")
    entry_id = entries(saa)[0]["id"]
    saa("split", str(entry_id), "--at", "yesterday 20:00")
    halves = sorted(entries(saa), key=lambda e: e["start"])
    assert [h["seconds"] for h in halves] == [3600, 3600]
    assert all(h["topic"] == "Load balancing" and h["tags"] == ["lab"] for h in halves)


def test_delete_asks(saa):
    saa("add", "gone", "yesterday", "19:00-20:00")
    entry_id = str(entries(saa)[0]["id"])
    saa("delete", entry_id, input="n\n", ok=False)
    assert len(entries(saa)) == 1
    saa("delete", entry_id, "--yes")
    assert entries(saa) == []


def test_log_groups_by_day_with_totals_and_filters(saa):
    saa("goal", "add", "DVA-C02")
    saa("add", "a", "yesterday", "19:00-20:00", "--cert", "saa-c03", "-T", "vpc security")
    saa("add", "b", "yesterday", "20:00-20:30", "--cert", "saa-c03", "-t", "lab")
    saa("add", "c", "9:00-10:00", "--cert", "dva-c02")
    out = saa("log").output
    assert "Sun 22 Nov 2026    1:30:00" in out and "Mon 23 Nov 2026    1:00:00" in out
    assert out.index("Mon 23 Nov") < out.index("Sun 22 Nov")
    assert [e["description"] for e in entries(saa, "--cert", "DVA-C02")] == ["c"]
    assert [e["description"] for e in entries(saa, "--tag", "lab")] == ["b"]
    assert [e["description"] for e in entries(saa, "--topic", "VPC security")] == ["a"]
    csv_out = saa("log", "--csv").stdout.splitlines()
    assert csv_out[0].startswith("id,cert,topic") and len(csv_out) == 4


def test_status_today_total_clips_at_midnight(saa):
    saa("add", "late", "yesterday", "23:00-01:00")  # 23:00 Sunday to 01:00 Monday, Berlin
    assert status(saa)["today_seconds"] == 3600


def test_times_are_stored_in_utc_and_shown_locally(saa):
    saa("add", "evening", "yesterday", "19:00-20:00")
    assert entries(saa)[0]["start"].endswith("+00:00")
    assert "19:00–20:00" in saa("log").output


def test_clock_moves_for_a_running_timer(saa, frozen):
    saa("start", "reading")
    with clock.frozen(frozen + timedelta(minutes=25), "Europe/Berlin"):
        assert status(saa)["elapsed_seconds"] == 25 * 60
