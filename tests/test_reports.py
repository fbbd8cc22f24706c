"""Reports: SQL totals per group, local days across daylight-saving changes."""

from __future__ import annotations

import json
import random
from collections import defaultdict
from datetime import datetime, timedelta

import pytest
from dateutil import tz
from helpers import error_line

BERLIN = tz.gettz("Europe/Berlin")


@pytest.fixture
def two_goals(cli):
    cli("goal", "add", "SAA-C03", "--exam-date", "+6w")
    cli("goal", "add", "MLA-C01", "--exam-date", "+10w")
    return cli


def report(cli, *args):
    return json.loads(cli("report", "--json", *args).stdout)


def add(cli, when, cert, *extra):
    cli("add", "x", when, "--cert", cert, *extra)


def test_json_shape_and_shares(two_goals):
    add(two_goals, "yesterday 19:00-21:00", "SAA-C03", "-T", "VPC security", "-t", "lab", "-t", "video")
    add(two_goals, "2026-11-20 18:00-19:00", "MLA-C01")
    data = report(two_goals)
    assert data["from"] is None and data["to"] is None
    assert data["total_seconds"] == 3 * 3600
    assert [(g["name"], g["seconds"]) for g in data["groups"]] == [("SAA-C03", 7200), ("MLA-C01", 3600)]
    assert data["groups"][0]["share"] == pytest.approx(2 / 3, abs=1e-3)
    tags = {g["name"]: g["seconds"] for g in report(two_goals, "--by", "tag")["groups"]}
    assert tags == {"lab": 7200, "video": 7200, "(no tag)": 3600}


def test_by_domain_shows_weights_and_unstudied_domains(two_goals):
    add(two_goals, "yesterday 19:00-21:00", "SAA-C03", "-T", "VPC security")
    add(two_goals, "yesterday 21:00-22:00", "SAA-C03", "-T", "load balancing")
    add(two_goals, "yesterday 22:00-22:30", "SAA-C03")
    data = report(two_goals, "--by", "domain", "--cert", "saa-c03")
    groups = {g["name"]: g for g in data["groups"]}
    assert groups["Design Secure Architectures"]["seconds"] == 7200
    assert groups["Design Secure Architectures"]["weight_min"] == 30
    assert groups["Design High-Performing Architectures"]["seconds"] == 3600
    assert groups["Design Cost-Optimized Architectures"]["seconds"] == 0
    assert groups["(no topic)"]["seconds"] == 1800
    text = two_goals("report", "--by", "domain", "--cert", "SAA-C03").output
    assert "EXAM WEIGHT" in text and "30%" in text


def test_by_topic_names_the_exam_when_several(two_goals):
    add(two_goals, "yesterday 19:00-20:00", "SAA-C03", "-T", "vpc security")
    add(two_goals, "yesterday 20:00-21:00", "MLA-C01")
    names = [g["name"] for g in report(two_goals, "--by", "topic")["groups"]]
    assert sorted(names) == ["MLA-C01 · (no topic)", "SAA-C03 · VPC security"]


def test_period_is_inclusive_local_days(two_goals):
    add(two_goals, "2026-11-20 23:30-23:59", "SAA-C03")   # Friday, late evening in Berlin
    add(two_goals, "2026-11-21 00:10-01:00", "SAA-C03")   # Saturday just after midnight
    friday = report(two_goals, "--from", "2026-11-20", "--to", "2026-11-20")
    assert friday["total_seconds"] == 29 * 60 and friday["from"] == "2026-11-20"
    both = report(two_goals, "--from", "2026-11-20", "--to", "2026-11-21")
    assert both["total_seconds"] == 29 * 60 + 50 * 60


def test_days_follow_daylight_saving_time(two_goals):
    """Berlin moves to +02:00 on 2026-03-29; a fixed offset would put the late
    entries on the wrong day."""
    add(two_goals, "2026-03-28 23:30-23:50", "SAA-C03")   # +01:00
    add(two_goals, "2026-03-30 00:30-01:00", "SAA-C03")   # +02:00: 22:30 UTC on the 29th
    add(two_goals, "2026-10-25 23:30-23:45", "SAA-C03")   # back to +01:00 that morning
    days = {g["name"]: g["seconds"] for g in report(two_goals, "--by", "day")["groups"]}
    assert days == {"2026-03-28": 1200, "2026-03-30": 1800, "2026-10-25": 900}
    months = {g["name"]: g["seconds"] for g in report(two_goals, "--by", "month")["groups"]}
    assert months == {"2026-03": 3000, "2026-10": 900}


def test_weeks_start_on_monday(two_goals):
    add(two_goals, "2026-11-22 10:00-11:00", "SAA-C03")   # Sunday
    add(two_goals, "2026-11-23 08:00-09:00", "SAA-C03")   # Monday
    weeks = {g["name"]: g["seconds"] for g in report(two_goals, "--by", "week")["groups"]}
    assert weeks == {"2026-11-16 (week 47)": 3600, "2026-11-23 (week 48)": 3600}


def test_totals_match_a_python_sum_of_random_entries(two_goals):
    rng = random.Random(7)
    start = datetime(2026, 1, 5, 8, 0, tzinfo=BERLIN)
    expected_days: dict[str, int] = defaultdict(int)
    cursor = start
    for _ in range(40):
        cursor += timedelta(hours=rng.randint(5, 140), minutes=rng.randint(0, 59))
        minutes = rng.randint(10, 180)
        end = cursor + timedelta(minutes=minutes)
        two_goals("add", "r", "--start", cursor.strftime("%Y-%m-%d %H:%M"), "--duration",
                  f"{minutes}m", "--cert", rng.choice(["SAA-C03", "MLA-C01"]))
        expected_days[cursor.date().isoformat()] += minutes * 60
        cursor = end
    data = report(two_goals, "--by", "day")
    assert data["total_seconds"] == sum(expected_days.values())
    assert {g["name"]: g["seconds"] for g in data["groups"]} == dict(expected_days)


def test_running_timer_counts_until_now(two_goals):
    two_goals("start", "--cert", "SAA-C03", "--at", "10:30")
    assert report(two_goals)["total_seconds"] == 30 * 60


def test_empty_report(two_goals):
    data = report(two_goals)
    assert data["total_seconds"] == 0 and data["groups"] == []
    assert "No entries" in two_goals("report").output


@pytest.mark.parametrize(
    ("args", "message"),
    [(("--from", "nope"), "--from: cannot read 'nope'"),
     (("--from", "2026-11-20", "--to", "2026-11-01"), "is after --to"),
     (("--cert", "ABC-123"), "unknown exam code")],
)
def test_bad_report_input(two_goals, args, message):
    assert message in error_line(two_goals("report", *args, ok=False))
