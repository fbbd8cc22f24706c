"""Practice exams: scores converted to percentages, per-domain results, verdicts
against the pass mark, trends, and the read functions for readiness and weak areas.

The clock is frozen at Monday 2026-11-23 11:00 in Berlin (10:00 UTC).
SAA-C03: pass mark 720 on a 100-1000 scale, four domains all starting "Design".
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from helpers import error_line


@pytest.fixture
def saa(cli):
    cli("goal", "add", "SAA-C03", "--exam-date", "+6w")
    return cli


def attempts(cli, code="SAA-C03"):
    return json.loads(cli("practice", "list", code, "--json").stdout)


@pytest.mark.parametrize(("args", "pct", "scaled"), [
    (("--score", "78"), 78.0, 780),
    (("--score", "78%"), 78.0, 780),
    (("--score", "780", "--of", "1000"), 78.0, 780),
    (("--score", "52", "--of", "65"), 80.0, 800),
    (("--score", "52/65"), 80.0, 800),
    (("--score", "780"), 78.0, 780),          # above 100: read on the exam's scale
    (("--score", "71.5"), 71.5, 715),
    (("--score", "0"), 0.0, 0),
])
def test_scores_are_stored_as_percentages(saa, args, pct, scaled):
    saa("practice", "add", "SAA-C03", *args)
    [a] = attempts(saa)
    assert a["score_pct"] == pytest.approx(pct) and a["scaled_score"] == scaled


def test_json_shape(saa):
    saa("practice", "add", "saa-c03", "--score", "780", "--date", "2026-11-20", "--label", "TD set 1",
        "-d", "1=60", "-d", "Design Resilient=65%", "-d", "design high-performing architectures=13/20")
    assert attempts(saa) == [{
        "id": attempts(saa)[0]["id"], "date": "2026-11-20", "score_pct": 78.0, "scaled_score": 780,
        "full": True, "label": "TD set 1", "passed": True,
        "domains": {"Design Secure Architectures": 60.0, "Design Resilient Architectures": 65.0,
                    "Design High-Performing Architectures": 65.0},
    }]


@pytest.mark.parametrize(("score", "passed"), [("72", True), ("71.9", False), ("720", True),
                                               ("719", False)])
def test_verdict_against_the_pass_mark_as_a_percentage(saa, score, passed):
    saa("practice", "add", "SAA-C03", "--score", score)
    assert attempts(saa)[0]["passed"] is passed


def test_partial_attempts_get_no_verdict(saa):
    saa("practice", "add", "SAA-C03", "--score", "90", "--partial", "-d", "2=90")
    [a] = attempts(saa)
    assert a["full"] is False and a["passed"] is None
    assert "partial" in saa("practice", "list", "SAA-C03").output


def test_an_exam_without_a_published_pass_mark_has_no_verdict(cli):
    cli("goal", "add", "GCP-ACE")
    out = cli("practice", "add", "gcp-ace", "--score", "81", "-d", "1=70").output
    assert "81%" in out and "pass" not in out
    [a] = attempts(cli, "GCP-ACE")
    assert a["passed"] is None and a["scaled_score"] is None
    listing = cli("practice", "list", "GCP-ACE").output
    assert "no pass mark" in listing and "fail" not in listing


def test_list_shows_scale_verdict_and_domain_trend(saa):
    saa("practice", "add", "SAA-C03", "--score", "650", "--date", "2026-11-01", "-d", "1=60", "-d", "2=70")
    saa("practice", "add", "SAA-C03", "--score", "55", "--date", "2026-11-10", "--partial", "-d", "1=50")
    saa("practice", "add", "SAA-C03", "--score", "780", "--date", "2026-11-20", "-d", "1=75", "-d", "2=68")
    out = saa("practice", "list", "SAA-C03").output
    assert "pass mark 720/1000 = 72%" in out
    assert "65% (650/1000)" in out and "78% (780/1000)" in out
    lines = out.splitlines()
    first = next(line for line in lines if "2026-11-01" in line)
    latest = next(line for line in lines if "2026-11-20" in line)
    assert "fail" in first and "pass" in latest
    secure = next(line for line in lines if line.startswith("Design Secure"))
    assert secure.split()[-4:] == ["60%", "75%", "+15", "3"]
    resilient = next(line for line in lines if line.startswith("Design Resilient"))
    assert resilient.split()[-4:] == ["70%", "68%", "-2", "2"]
    assert [a["date"] for a in attempts(saa)] == ["2026-11-01", "2026-11-10", "2026-11-20"]


def test_remove_asks(saa):
    saa("practice", "add", "SAA-C03", "--score", "70", "-d", "1=60")
    aid = str(attempts(saa)[0]["id"])
    saa("practice", "remove", aid, input="n\n", ok=False)
    assert len(attempts(saa)) == 1
    saa("practice", "remove", aid, "--yes")
    assert attempts(saa) == []


def test_empty_list(saa):
    assert "No practice exams for SAA-C03 yet" in saa("practice", "list", "SAA-C03").output
    assert attempts(saa) == []


BAD = [
    (("--score", "130", "--of", "100"), "is 130%"),
    (("--score", "1200"), "--score 1200 (of 1000) is 120%"),
    (("--score", "-5"), "--score: cannot read '-5'"),
    (("--score", "abc"), "--score: cannot read 'abc'"),
    (("--score", "52", "--of", "0"), "--of must be more than 0"),
    (("--score", "78%", "--of", "100"), "not both"),
    (("--score", "52/65", "--of", "65"), "not both"),
    (("--of", "65"), "give the overall score with --score"),
    (("--score", "70", "--date", "tomorrow"), "is in the future"),
    (("--score", "70", "--date", "someday"), "--date: cannot read 'someday'"),
    (("--score", "70", "-d", "Design=60"), "matches several SAA-C03 domains"),
    (("--score", "70", "-d", "Networking=60"), "--domain: SAA-C03 has no domain 'Networking'"),
    (("--score", "70", "-d", "5=60"), "domains 1 to 4, not 5"),
    (("--score", "70", "-d", "1=60", "-d", "Design Secure Architectures=70"), "given twice"),
    (("--score", "70", "-d", "1=101"), "is 101%"),
    (("--score", "70", "-d", "1=21/20"), "is 105%"),
    (("--score", "70", "-d", "1=13/0"), "the total must be more than 0"),
    (("--score", "70", "-d", "1=lots"), "cannot read 'lots' as a score"),
    (("--score", "70", "-d", "1"), "give NAME=SCORE"),
    (("--score", "70", "--label", "x" * 201), "--label is longer than 200"),
]


@pytest.mark.parametrize(("args", "message"), BAD)
def test_bad_input_one_line_nothing_written(saa, args, message):
    saa("practice", "add", "SAA-C03", "--score", "70", "-d", "1=60", "--date", "yesterday")
    before = attempts(saa)
    result = saa("practice", "add", "SAA-C03", *args, ok=False)
    assert result.exit_code == 1
    assert message in error_line(result)
    assert attempts(saa) == before


def test_above_100_without_a_scale_is_refused(cli):
    cli("goal", "add", "GCP-ACE")
    result = cli("practice", "add", "GCP-ACE", "--score", "130", ok=False)
    assert "above 100%" in error_line(result)
    assert attempts(cli, "GCP-ACE") == []


def test_remove_unknown_or_another_learners_attempt(saa):
    saa("practice", "add", "SAA-C03", "--score", "70")
    aid = str(attempts(saa)[0]["id"])
    for args, learner in ((("999",), "tester"), ((aid,), "someone-else")):
        result = saa("practice", "remove", *args, "--yes", learner=learner, ok=False)
        assert "no practice attempt with id" in error_line(result)
    assert len(attempts(saa)) == 1


# --- read by the readiness and weak-area code ---------------------------------

def test_latest_domain_scores_and_attempts(saa, ctx):
    from tracker.services.practice import attempts as attempt_views
    from tracker.services.practice import latest_domain_scores

    saa("practice", "add", "SAA-C03", "--score", "60", "--date", "2026-11-01", "-d", "1=50", "-d", "2=70")
    saa("practice", "add", "SAA-C03", "--score", "75", "--date", "2026-11-15", "-d", "1=80")
    # Recorded later but taken earlier: the date decides what is latest.
    saa("practice", "add", "SAA-C03", "--score", "65", "--date", "2026-11-10", "-d", "1=55", "-d", "4=40")
    goal_id = json.loads(saa("goal", "list", "--json").stdout)[0]["id"]
    with ctx.session() as session:
        scores = latest_domain_scores(session, goal_id)
        views = attempt_views(session, goal_id)
    assert scores == {
        "Design Secure Architectures": (80.0, date(2026, 11, 15)),
        "Design Resilient Architectures": (70.0, date(2026, 11, 1)),
        "Design Cost-Optimized Architectures": (40.0, date(2026, 11, 10)),
    }
    assert [v.taken_on.day for v in views] == [1, 10, 15]
    assert views[0].domains == {"Design Secure Architectures": 50.0, "Design Resilient Architectures": 70.0}
    assert views[0].passed is None  # no exam given: no verdict
