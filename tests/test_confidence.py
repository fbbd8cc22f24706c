"""Confidence: dated 1-5 self-ratings of topics, every one kept.

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
    cli("goal", "add", "SAA-C03", "--exam-date", "+6w")
    return cli


def latest(cli, *args):
    return json.loads(cli("confidence", "SAA-C03", *args, "--json").stdout)


def rate_earlier(cli, frozen, weeks, topic, rating):
    with clock.frozen(frozen - timedelta(weeks=weeks), "Europe/Berlin"):
        cli("confidence", "SAA-C03", topic, rating)


def test_rating_resolves_an_alias_and_shows_the_latest(saa):
    out = saa("confidence", "saa-c03", "NACL", "4").output
    assert "VPC security: 4/5" in out
    assert latest(saa) == [{"topic": "VPC security", "rating": 4,
                            "rated_at": "2026-11-23T10:00:00+00:00"}]


def test_every_rating_is_kept_and_the_latest_wins(saa, frozen):
    rate_earlier(saa, frozen, 3, "VPC security", "2")
    rate_earlier(saa, frozen, 1, "VPC security", "3")
    saa("confidence", "SAA-C03", "vpc security", "5")
    saa("confidence", "SAA-C03", "iam", "1")
    assert [(r["topic"], r["rating"]) for r in latest(saa)] == [
        ("IAM users, groups and policies", 1), ("VPC security", 5)]
    assert [r["rating"] for r in latest(saa, "security groups")] == [2, 3, 5]


def test_same_second_ratings_keep_their_order(saa):
    """Two ratings in one second: the one recorded last is the latest."""
    saa("confidence", "SAA-C03", "iam", "2")
    saa("confidence", "SAA-C03", "iam", "4")
    assert latest(saa)[0]["rating"] == 4


def test_listing_says_when_each_was_set(saa, frozen):
    rate_earlier(saa, frozen, 3, "VPC security", "2")
    saa("confidence", "SAA-C03", "iam", "4")
    out = saa("confidence", "SAA-C03").output
    vpc = next(line for line in out.splitlines() if line.startswith("VPC security"))
    assert "2/5" in vpc and "set 3 weeks ago" in vpc and "Design Secure Architectures" in vpc
    assert "set today" in out
    assert "27 of 29 topics not rated yet" in out
    assert out.index("IAM users") < out.index("VPC security")  # the exam's order


def test_history_of_one_topic(saa, frozen):
    rate_earlier(saa, frozen, 3, "VPC security", "2")
    saa("confidence", "SAA-C03", "VPC security", "4")
    out = saa("confidence", "SAA-C03", "vpc security").output
    assert "2 ratings" in out
    assert out.index("2026-11-02") < out.index("2026-11-23")
    assert "set 3 weeks ago" in out and "set today" in out


def test_nothing_rated_yet(saa):
    assert "No ratings for SAA-C03 yet" in saa("confidence", "SAA-C03").output
    assert "not rated yet" in saa("confidence", "SAA-C03", "load balancing").output
    assert latest(saa) == []


@pytest.mark.parametrize(("args", "message"), [
    (("iam", "0"), "a rating is a whole number from 1 to 5, not '0'"),
    (("iam", "6"), "not '6'"),
    (("iam", "3.5"), "not '3.5'"),
    (("iam", "high"), "not 'high'"),
    (("iam", " "), "not ''"),
    (("vpc", "3"), "closest: VPC security"),
])
def test_bad_ratings_one_line_nothing_written(saa, args, message):
    saa("confidence", "SAA-C03", "Load balancing", "3")
    before = latest(saa)
    result = saa("confidence", "SAA-C03", *args, ok=False)
    assert result.exit_code == 1
    assert message in error_line(result)
    assert latest(saa) == before


def test_unknown_goal_is_one_line(saa):
    result = saa("confidence", "AZ-900", "x", "3", ok=False)
    assert "no goal for AZ-900" in error_line(result)


def test_ratings_are_per_learner(saa):
    saa("confidence", "SAA-C03", "iam", "4")
    saa("goal", "add", "SAA-C03", learner="other")
    assert json.loads(saa("confidence", "SAA-C03", "--json", learner="other").stdout) == []


def test_latest_confidence_for_the_weak_area_code(saa, frozen, ctx):
    from tracker.services.confidence import latest_confidence

    rate_earlier(saa, frozen, 2, "VPC security", "2")
    saa("confidence", "SAA-C03", "VPC security", "4")
    saa("confidence", "SAA-C03", "Load balancing", "3")
    goal_id = json.loads(saa("goal", "list", "--json").stdout)[0]["id"]
    with ctx.session() as session:
        got = latest_confidence(session, goal_id)
    assert got == {"VPC security": (4, frozen), "Load balancing": (3, frozen)}
