"""Goals through the CLI: add, list, set, remove — and bad input refused cleanly."""

from __future__ import annotations

import json

import pytest
from helpers import error_line


def goals_json(cli, learner="tester"):
    return json.loads(cli("goal", "list", "--json", learner=learner).stdout)


def test_add_and_list_with_relative_dates(cli):
    out = cli("goal", "add", "mls-c01", "--status", "passed", "--passed-on", "2025-02-10").output
    assert "MLS-C01" in out
    cli("goal", "add", "Saa-C03", "--exam-date", "in 6 weeks", "--target-hours", "60")
    goals = goals_json(cli)
    assert [g["cert"] for g in goals] == ["MLS-C01", "SAA-C03"]
    saa = goals[1]
    assert saa["exam_date"] == "2027-01-04" and saa["target_hours"] == 60 and saa["status"] == "planned"
    mls = goals[0]
    assert mls["passed_on"] == "2025-02-10" and mls["expires_on"] == "2028-02-10"
    table = cli("goal", "list").output
    assert "in 1 month, 1 week and 5 days" in table and "2028-02-10" in table


def test_expiry_follows_validity_and_marks_expired(cli):
    cli("goal", "add", "DP-100", "--passed-on", "2025-01-05")  # renews yearly
    cli("goal", "add", "AZ-900", "--passed-on", "2021-03-01")  # never expires
    cli("goal", "add", "DBS-C01", "--passed-on", "2023-12-01")  # 3 years: renew soon
    by_code = {g["cert"]: g for g in goals_json(cli)}
    assert by_code["DP-100"]["expires_on"] == "2026-01-05"
    assert by_code["DP-100"]["status"] == "expired"
    assert by_code["AZ-900"]["expires_on"] is None and by_code["AZ-900"]["status"] == "passed"
    assert by_code["DBS-C01"]["expires_on"] == "2026-12-01"
    assert "renew soon" in cli("goal", "list").output


def test_same_exam_twice_failed_then_passed(cli):
    cli("goal", "add", "SAA-C03", "--exam-date", "+2w")
    cli("goal", "set", "saa-c03", "--status", "failed")
    cli("goal", "add", "SAA-C03", "--exam-date", "+8w", "--target-hours", "40")
    goals = goals_json(cli)
    assert [g["status"] for g in goals] == ["failed", "planned"]
    cli("goal", "set", "SAA-C03", "--target-hours", "55")  # the open one
    assert [g["target_hours"] for g in goals_json(cli)] == [None, 55]
    failed_id = goals[0]["id"]
    cli("goal", "set", str(failed_id), "--exam-date", "2026-11-20")
    assert goals_json(cli)[0]["exam_date"] == "2026-11-20"


def test_set_passed_and_badge(cli):
    cli("goal", "add", "CLF-C02", "--exam-date", "+1w")
    cli("goal", "set", "clf-c02", "--passed-on", "yesterday",
        "--badge", "https://www.credly.com/badges/abc")
    g = goals_json(cli)[0]
    assert g["status"] == "passed" and g["passed_on"] == "2026-11-22"
    assert g["badge_url"] == "https://www.credly.com/badges/abc"
    assert g["expires_on"] == "2029-11-22"


def test_remove_asks_and_yes_skips(cli):
    cli("goal", "add", "AIF-C01")
    refused = cli("goal", "remove", "aif-c01", input="n\n", ok=False)
    assert refused.exit_code == 1 and len(goals_json(cli)) == 1
    cli("goal", "remove", "aif-c01", input="y\n")
    assert goals_json(cli) == []
    cli("goal", "add", "AIF-C01")
    assert "Removed goal" in cli("goal", "remove", "AIF-C01", "--yes").output
    assert goals_json(cli) == []


def test_learners_see_only_their_own_goals(cli):
    cli("goal", "add", "AZ-900", learner="ana")
    cli("goal", "add", "GCP-ACE", "--exam-date", "+4w", learner="ben")
    assert [g["cert"] for g in goals_json(cli, "ana")] == ["AZ-900"]
    assert [g["cert"] for g in goals_json(cli, "ben")] == ["GCP-ACE"]
    failed = cli("goal", "remove", "AZ-900", "--yes", learner="ben", ok=False)
    assert "no goal for AZ-900" in error_line(failed)
    assert len(goals_json(cli, "ana")) == 1


BAD = [
    (("goal", "add", "XYZ-C01"), "unknown exam code 'XYZ-C01'"),
    (("goal", "add", "MLS-C1"), "MLS-C01?"),
    (("goal", "add", "SAA-C03", "--exam-date", "someday"), "--exam-date: cannot read 'someday' as a date"),
    (("goal", "add", "SAA-C03", "--exam-date", "2026-01-01"), "is in the past"),
    (("goal", "add", "SAA-C03", "--target-hours", "lots"), "--target-hours: cannot read 'lots'"),
    (("goal", "add", "SAA-C03", "--target-hours", "-5"), "must be more than 0"),
    (("goal", "add", "SAA-C03", "--status", "dreaming"), "unknown status 'dreaming'"),
    (("goal", "add", "SAA-C03", "--passed-on", "tomorrow"), "is in the future"),
    (("goal", "add", "SAA-C03", "--badge", "credly"), "must be an http(s) link"),
    (("goal", "add", "MLS-C01", "--exam-date", "+4w"), "MLS-C01 retired on 2026-03-31"),
    (("goal", "set", "SAA-C03", "--target-hours", "10"), "no goal for SAA-C03"),
    (("goal", "set", "99", "--target-hours", "10"), "no goal with id 99"),
]


@pytest.mark.parametrize(("args", "message"), BAD)
def test_bad_input_one_line_nothing_written(cli, args, message):
    cli("goal", "add", "CLF-C02", "--exam-date", "+3w", "--target-hours", "30")
    before = goals_json(cli)
    result = cli(*args, ok=False)
    assert result.exit_code == 1
    assert message in error_line(result)
    assert goals_json(cli) == before


def test_second_open_goal_for_an_exam_is_refused(cli):
    cli("goal", "add", "SAA-C03", "--exam-date", "+3w")
    result = cli("goal", "add", "saa-c03", ok=False)
    assert "already have an open goal for SAA-C03" in error_line(result)
    assert len(goals_json(cli)) == 1
