"""Progress toward the exam date, plans, readiness, the journey and weak areas.

Clock: Monday 2026-11-23 11:00 in Berlin.
"""

from __future__ import annotations

import json

import pytest
from helpers import error_line


@pytest.fixture
def saa(cli):
    cli("goal", "add", "SAA-C03", "--exam-date", "2027-01-04", "--target-hours", "60")
    return cli


def progress(cli, *args):
    return json.loads(cli("progress", "--json", *args).stdout)


def weak(cli, *args):
    return json.loads(cli("weak", "--json", *args).stdout)


def test_countdown_hours_and_pace(saa):
    saa("add", "a", "2026-11-05 18:00-20:00", "-T", "vpc security")     # outside the 14 days
    saa("add", "b", "2026-11-20 18:00-21:00", "-T", "load balancing")
    saa("add", "c", "yesterday 19:00-21:00")
    [p] = progress(saa)
    assert p["cert"] == "SAA-C03" and p["exam_date"] == "2027-01-04"
    assert p["days_left"] == 42 and p["countdown"] == "in 1 month, 1 week and 5 days"
    assert p["hours_logged"] == 7 and p["target_hours"] == 60
    assert p["hours_per_day_needed"] == pytest.approx(53 / 42, abs=0.01)
    assert p["pace_hours_per_day"] == pytest.approx(5 / 14, abs=0.01)
    assert p["projected_hours"] == pytest.approx(7 + 5 / 14 * 42, abs=0.1)
    domains = {d["name"]: d for d in p["domains"]}
    assert domains["Design Secure Architectures"]["hours"] == 2
    assert domains["Design Secure Architectures"]["weight"] == 30
    assert domains["Design High-Performing Architectures"]["hours"] == 3
    assert set(domains["Design Secure Architectures"]) >= {"name", "weight", "hours", "coverage",
                                                           "practice_score"}
    assert p["ready"] is False
    text = saa("progress").output
    assert "7.0 of 60 h" in text and "not ready yet" in text and "(not met)" in text


def test_plan_projects_hours_to_the_exam_and_says_the_gap(saa):
    out = saa("plan", "set", "saa-c03", "MO,WE,FR 19:00 1h30m").output
    # Mondays, Wednesdays and Fridays from today 11:00 to 3 January: 18 sessions.
    assert "18 sessions, 27.0 h" in out
    [p] = progress(saa)
    assert p["plan"]["sessions_left"] == 18 and p["plan"]["hours_left"] == 27
    assert p["plan_gap_hours"] == -33  # 0 logged + 27 planned - 60 target
    assert "misses the target by 33.0 h" in saa("progress").output
    saa("plan", "set", "SAA-C03", "FREQ=DAILY;BYHOUR=7 1h30m")
    [p] = progress(saa)
    assert p["plan"]["sessions_left"] == 41 and p["plan_gap_hours"] == pytest.approx(1.5)
    saa("plan", "clear", "SAA-C03")
    assert progress(saa)[0]["plan"] is None


@pytest.mark.parametrize(("schedule", "message"), [
    ("MO,XX 19:00 1h", "cannot read 'xx' as a weekday"),
    ("MO 19:00 forever", "cannot read 'forever' as a session length"),
    ("MO 25:00 1h", "is not a time of day"),
    ("FREQ=BOGUS 1h", "cannot read the RRULE"),
])
def test_bad_plans_are_refused(saa, schedule, message):
    assert message in error_line(saa("plan", "set", "SAA-C03", schedule, ok=False))
    assert progress(saa)[0]["plan"] is None


def test_readiness_rule(saa):
    saa("add", "lots", "--start", "2026-11-01 08:00", "--duration", "20h")
    saa("add", "more", "--start", "2026-11-02 08:00", "--duration", "20h")
    saa("add", "most", "--start", "2026-11-03 08:00", "--duration", "20h")
    for day, score in (("2026-11-10", 74), ("2026-11-15", 80), ("2026-11-20", 78)):
        saa("practice", "add", "SAA-C03", "--score", str(score), "--date", day,
            "--domain", "1=75", "--domain", "2=80", "--domain", "3=72", "--domain", "4=71")
    [p] = progress(saa)
    assert [c["met"] for c in p["readiness"]] == [True, True, True]
    assert p["ready"] is True
    saa("practice", "add", "SAA-C03", "--score", "70", "--date", "2026-11-22", "--domain", "4=60")
    [p] = progress(saa)
    assert [c["met"] for c in p["readiness"]] == [True, False, False]
    assert "Design Cost-Optimized Architectures 60%" in p["readiness"][2]["detail"]


def test_weak_areas_rank_and_explain(saa):
    saa("add", "vpc", "yesterday 08:00-12:00", "-T", "VPC security")
    saa("practice", "add", "SAA-C03", "--score", "68", "--date", "2026-11-20",
        "--domain", "secure=85", "--domain", "resilient=55")
    saa("confidence", "SAA-C03", "vpc security", "5")
    saa("confidence", "SAA-C03", "disaster recovery strategies", "2")
    ranked = weak(saa, "SAA-C03", "--top", "40")
    assert all(set(w) == {"cert", "domain", "topic", "score", "reasons"} for w in ranked)
    scores = [w["score"] for w in ranked]
    assert scores == sorted(scores, reverse=True)
    topics = [w["topic"] for w in ranked]
    assert topics[-1] == "VPC security"  # the only topic with time, a good score and confidence 5
    dr = next(w for w in ranked if w["topic"] == "Disaster recovery strategies")
    assert "last practice score in Design Resilient Architectures: 55% (below 70%)" in dr["reasons"]
    assert "confidence 2/5 (set today)" in dr["reasons"]
    assert "no notes or resources cover this topic" in dr["reasons"]
    assert topics.index("Disaster recovery strategies") < topics.index("IAM users, groups and policies")
    assert len(weak(saa, "--top", "3")) == 3
    text = saa("weak", "--top", "2").output
    assert text.startswith("  1. SAA-C03 · ") and "       - " in text


def test_journey_in_order_with_markdown(cli, tmp_path):
    cli("goal", "add", "CLF-C02", "--passed-on", "2024-03-02", "--badge", "https://www.credly.com/badges/x")
    cli("goal", "add", "SAA-C03", "--exam-date", "+6w", "--target-hours", "60")
    cli("goal", "add", "MLS-C01", "--status", "failed")
    cli("goal", "set", "MLS-C01", "--exam-date", "2025-05-01")
    cli("add", "x", "yesterday 19:00-21:00", "--cert", "SAA-C03")
    items = json.loads(cli("journey", "--json").stdout)
    assert [i["cert"] for i in items] == ["CLF-C02", "MLS-C01", "SAA-C03"]
    assert items[0]["expires_on"] == "2027-03-02" and items[0]["badge_url"].startswith("https://")
    assert items[2]["hours"] == 2
    out = tmp_path / "journey.md"
    cli("journey", "--out", str(out))
    text = out.read_text()
    badge = "[AWS Certified Cloud Practitioner (CLF-C02)](https://www.credly.com/badges/x)"
    assert f"| 2024-03-02 | {badge}" in text
    assert "Not passed" in text and "1 certification earned" in text


def test_expiring_goal_flagged(cli):
    cli("goal", "add", "DBS-C01", "--passed-on", "2023-12-01")
    assert "renew soon" in cli("goal", "list").output
