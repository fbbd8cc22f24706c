"""Resources: adding, progress, editing, removing; time logged against them;
``report --by resource``; the per-topic progress read by the weak-area code.

The clock is frozen at Monday 2026-11-23 11:00 in Berlin (10:00 UTC).
"""

from __future__ import annotations

import json

import pytest
from helpers import error_line


@pytest.fixture
def saa(cli):
    cli("goal", "add", "SAA-C03", "--exam-date", "+6w")
    return cli


def resources(cli, *args):
    return json.loads(cli("resource", "list", *args, "--json").stdout)


def entries(cli):
    return json.loads(cli("log", "--from", "2026-01-01", "--json").stdout)


def by_resource(cli, *args):
    data = json.loads(cli("report", "--by", "resource", "--json", *args).stdout)
    return {g["name"]: g["seconds"] for g in data["groups"]}


def add_course(cli, *extra):
    cli("resource", "add", "SAA-C03", "Ultimate", "course", "--kind", "video", "--units", "42",
        "--unit", "lectures", "-T", "iam", "-T", "Security groups", *extra)
    return resources(cli)[-1]["id"]


def test_add_resolves_topic_aliases_to_canonical_names(saa):
    rid = add_course(saa, "--url", "https://example.com/course", "-T", "IAM policies")
    [r] = resources(saa)
    assert r["id"] == rid and r["title"] == "Ultimate course" and r["kind"] == "video"
    assert r["topics"] == ["IAM users, groups and policies", "VPC security"]  # duplicates dropped
    assert (r["units_total"], r["units_done"], r["unit"]) == (42, 0, "lectures")
    assert r["url"] == "https://example.com/course" and not r["done"] and r["done_at"] is None


@pytest.mark.parametrize(("kind", "stored"), [("Practice Test", "practice-test"), ("FAQ", "faq"),
                                              ("white paper", "whitepaper"), ("lab", "lab")])
def test_kinds_are_read_loosely(saa, kind, stored):
    saa("resource", "add", "SAA-C03", "Thing", "--kind", kind)
    assert resources(saa)[0]["kind"] == stored


def test_units_and_their_name_in_one_option(saa):
    saa("resource", "add", "SAA-C03", "S3 guide", "--kind", "whitepaper", "--units", "18 pages")
    [r] = resources(saa)
    assert (r["units_total"], r["unit"]) == (18, "pages")


def test_progress_set_add_and_set_both(saa):
    rid = str(add_course(saa))
    out = saa("resource", "progress", rid, "12").output
    assert "12/42 lectures (29%)" in out
    saa("resource", "progress", rid, "+3")
    assert resources(saa)[0]["units_done"] == 15
    saa("resource", "progress", rid, "20/40")
    r = resources(saa)[0]
    assert (r["units_done"], r["units_total"], r["done"]) == (20, 40, False)
    assert r["progress"] == 0.5


def test_reaching_every_unit_is_done_and_going_back_is_not(saa):
    rid = str(add_course(saa))
    assert "done" in saa("resource", "progress", rid, "42").output
    r = resources(saa)[0]
    assert r["done"] and r["done_at"] == "2026-11-23T10:00:00+00:00"
    saa("resource", "progress", rid, "41")
    assert not resources(saa)[0]["done"]


def test_done_fills_every_unit_and_works_without_a_size(saa):
    rid = str(add_course(saa))
    saa("resource", "add", "SAA-C03", "VPC FAQ", "--kind", "faq", "-T", "nacl")
    saa("resource", "done", rid)
    saa("resource", "done", str(resources(saa)[1]["id"]))
    course, faq = resources(saa)
    assert course["units_done"] == 42 and course["done"]
    assert faq["done"] and faq["units_total"] is None and faq["progress"] == 1.0


def test_list_text_shows_progress_done_date_and_topics(saa):
    rid = str(add_course(saa))
    saa("resource", "add", "SAA-C03", "VPC FAQ", "--kind", "faq")
    saa("resource", "progress", rid, "12")
    saa("resource", "done", str(int(rid) + 1))
    out = saa("resource", "list").output
    assert "12/42 lectures (29%)" in out
    faq_line = next(line for line in out.splitlines() if "VPC FAQ" in line)
    assert "done" in faq_line and "2026-11-23" in faq_line
    assert "IAM users, groups and policies, VPC security" in out


def test_list_by_exam_or_all(saa):
    saa("goal", "add", "CLF-C02")
    add_course(saa)
    saa("resource", "add", "clf-c02", "Cloud Practitioner essentials", "--kind", "course")
    assert [r["cert"] for r in resources(saa)] == ["SAA-C03", "CLF-C02"]
    assert [r["cert"] for r in resources(saa, "CLF-C02")] == ["CLF-C02"]


def test_empty_list_says_how_to_add(saa):
    assert "No resources yet" in saa("resource", "list").output


def test_edit_changes_only_what_is_given(saa):
    rid = str(add_course(saa, "--url", "https://example.com/c"))
    saa("resource", "progress", rid, "10")
    saa("resource", "edit", rid, "--title", "Maarek course", "--kind", "course", "--url", "none",
        "-T", "load balancing")
    r = resources(saa)[0]
    assert (r["title"], r["kind"], r["url"]) == ("Maarek course", "course", None)
    assert r["topics"] == ["Load balancing"] and r["units_done"] == 10 and r["units_total"] == 42
    saa("resource", "edit", rid, "--units", "10 sections")
    r = resources(saa)[0]
    assert (r["units_total"], r["unit"], r["done"]) == (10, "sections", True)
    saa("resource", "edit", rid, "--no-topics")
    assert resources(saa)[0]["topics"] == []


def test_a_size_given_after_done_keeps_it_done(saa):
    saa("resource", "add", "SAA-C03", "Lab", "--kind", "lab")
    rid = str(resources(saa)[0]["id"])
    saa("resource", "done", rid)
    saa("resource", "edit", rid, "--units", "5")
    r = resources(saa)[0]
    assert (r["units_done"], r["units_total"], r["done"]) == (5, 5, True)


def test_remove_asks_and_keeps_the_time(saa):
    rid = str(add_course(saa))
    saa("add", "watching", "yesterday", "19:00-20:00", "--resource", rid)
    saa("resource", "remove", rid, input="n\n", ok=False)
    assert len(resources(saa)) == 1
    saa("resource", "remove", rid, "--yes")
    assert resources(saa) == []
    assert len(entries(saa)) == 1
    assert by_resource(saa) == {"(no resource)": 3600}


BAD = [
    (("resource", "add", "SAA-C03", "X", "--kind", "podcast"), "unknown kind 'podcast'"),
    (("resource", "add", "SAA-C03", "X"), "--kind"),
    (("resource", "add", "SAA-C03", "X", "--kind", "video", "--url", "example.com"), "http(s) link"),
    (("resource", "add", "SAA-C03", "X", "--kind", "video", "--units", "0"), "from 1 to"),
    (("resource", "add", "SAA-C03", "X", "--kind", "video", "--units", "many"), "--units: cannot read"),
    (("resource", "add", "SAA-C03", "X", "--kind", "video", "--unit", "pages"), "--unit needs --units"),
    (("resource", "add", "SAA-C03", "X", "--kind", "video", "-T", "vpc"), "closest: VPC security"),
    (("resource", "add", "AZ-900", "X", "--kind", "video"), "no goal for AZ-900"),
    (("resource", "add", "SAA-C03", " ", "--kind", "video"), "needs a title"),
    (("resource", "progress", "{rid}", "43"), "43 lectures done is more than the 42"),
    (("resource", "progress", "{rid}", "+50"), "more than the 42"),
    (("resource", "progress", "{rid}", "half"), "cannot read 'half' as progress"),
    (("resource", "progress", "{rid}", "5/0"), "the total must be from 1"),
    (("resource", "progress", "{faq}", "5"), "has no size"),
    (("resource", "progress", "999", "5"), "no resource with id 999"),
    (("resource", "done", "999"), "no resource with id 999"),
    (("resource", "edit", "{rid}"), "nothing to change"),
    (("resource", "edit", "{rid}", "--units", "3"), "5 lectures done is more than the 3"),
    (("resource", "edit", "{rid}", "-T", "x", "--no-topics"), "not both"),
    (("resource", "edit", "{rid}", "-T", "kinesiss"), "has no topic 'kinesiss'"),
    (("resource", "edit", "{faq}", "--unit", "pages"), "has no size: give --units"),
    (("resource", "remove", "999", "--yes"), "no resource with id 999"),
    (("resource", "link", "{rid}", "kinesiss"), "has no topic 'kinesiss'"),
    (("resource", "link", "999", "iam"), "no resource with id 999"),
    (("resource", "unlink", "{rid}", "kinesiss"), "has no topic 'kinesiss'"),
]


@pytest.mark.parametrize(("args", "message"), BAD)
def test_bad_input_one_line_nothing_written(saa, args, message):
    rid = str(add_course(saa))
    saa("resource", "progress", rid, "5")
    saa("resource", "add", "SAA-C03", "FAQ", "--kind", "faq")
    ids = {"rid": rid, "faq": str(resources(saa)[1]["id"])}
    before = resources(saa)
    result = saa(*(a.format(**ids) for a in args), ok=False)
    assert result.exit_code == 1
    assert message in error_line(result)
    assert resources(saa) == before


def test_link_and_unlink_one_topic_at_a_time(saa):
    rid = str(add_course(saa))
    out = saa("resource", "link", rid, "waf").output
    assert out == f"Resource {rid} 'Ultimate course' now covers AWS WAF and Shield.\n"
    assert resources(saa)[0]["topics"] == ["AWS WAF and Shield", "IAM users, groups and policies",
                                           "VPC security"]
    assert "already covers" in saa("resource", "link", rid, "iam").output
    assert len(resources(saa)[0]["topics"]) == 3
    assert saa("resource", "unlink", rid, "security groups").output == (
        f"Resource {rid} 'Ultimate course' no longer covers VPC security.\n")
    assert "VPC security" not in resources(saa)[0]["topics"]
    assert "does not cover" in saa("resource", "unlink", rid, "security groups").output


def test_another_learners_resource_is_not_found(saa):
    rid = str(add_course(saa))
    result = saa("resource", "done", rid, learner="someone-else", ok=False)
    assert f"no resource with id {rid}" in error_line(result)
    assert not resources(saa)[0]["done"]


# --- time logged against a resource -------------------------------------------

def test_entries_name_their_resource_and_the_report_groups_by_it(saa):
    rid = str(add_course(saa))
    saa("add", "lectures 1-5", "yesterday", "19:00-20:30", "--resource", rid)
    saa("add", "reading", "yesterday", "21:00-21:30")
    assert by_resource(saa, "--cert", "SAA-C03") == {"Ultimate course": 5400, "(no resource)": 1800}
    assert resources(saa)[0]["seconds"] == 5400
    text = saa("report", "--by", "resource", "--cert", "SAA-C03").output
    assert "Ultimate course" in text and "(no resource)" in text


def test_report_by_resource_across_exams_names_the_exam_and_keeps_namesakes_apart(saa):
    saa("goal", "add", "CLF-C02")
    saa("resource", "add", "SAA-C03", "Practice set", "--kind", "practice-test")
    saa("resource", "add", "SAA-C03", "Practice set", "--kind", "practice-test")
    saa("resource", "add", "CLF-C02", "Essentials", "--kind", "course")
    a, b, c = (str(r["id"]) for r in resources(saa))
    saa("add", "x", "yesterday", "18:00-19:00", "-r", a)
    saa("add", "x", "yesterday", "19:00-19:30", "-r", b)
    saa("add", "x", "yesterday", "20:00-20:15", "-r", c)
    assert by_resource(saa) == {f"SAA-C03 · Practice set (#{a})": 3600,
                                f"SAA-C03 · Practice set (#{b})": 1800, "CLF-C02 · Essentials": 900}


def test_start_with_a_resource_picks_its_goal_and_continue_carries_it(saa):
    saa("goal", "add", "CLF-C02")  # two open goals: --resource says which
    rid = str(add_course(saa))
    saa("start", "watching", "--resource", rid, "--at", "10:00")
    saa("stop", "--at", "10:30")
    assert entries(saa)[0]["cert"] == "SAA-C03"
    saa("continue", "--at", "10:40")
    saa("stop")
    assert by_resource(saa) == {"Ultimate course": 30 * 60 + 20 * 60}


def test_split_keeps_the_resource_on_both_halves(saa):
    rid = str(add_course(saa))
    saa("add", "long", "yesterday", "19:00-21:00", "-r", rid)
    saa("split", str(entries(saa)[0]["id"]), "--at", "yesterday 20:00")
    assert by_resource(saa) == {"Ultimate course": 7200}


def test_edit_sets_and_clears_the_resource(saa):
    rid = str(add_course(saa))
    saa("add", "x", "yesterday", "19:00-20:00")
    eid = str(entries(saa)[0]["id"])
    saa("edit", eid, "--resource", rid)
    assert by_resource(saa) == {"Ultimate course": 3600}
    saa("edit", eid, "-d", "kept")
    assert by_resource(saa) == {"Ultimate course": 3600}
    saa("edit", eid, "--resource", "none")
    assert by_resource(saa) == {"(no resource)": 3600}


BAD_ENTRY = [
    (("add", "x", "9:00-9:30", "--resource", "abc"), "--resource: 'abc' is not a resource ID"),
    (("add", "x", "9:00-9:30", "--resource", "999"), "no resource with id 999"),
    (("add", "x", "9:00-9:30", "-c", "CLF-C02", "-r", "{rid}"), "belongs to your SAA-C03 goal"),
    (("start", "x", "-c", "SAA-C03", "--resource", "{clf}"), "belongs to your CLF-C02 goal"),
    (("edit", "{eid}", "--resource", "{clf}"), "belongs to your CLF-C02 goal"),
    (("edit", "{eid}", "--cert", "CLF-C02"), "belongs to your SAA-C03 goal"),
]


@pytest.mark.parametrize(("args", "message"), BAD_ENTRY)
def test_a_resource_must_be_the_learners_and_the_goals(saa, args, message):
    saa("goal", "add", "CLF-C02")
    rid = str(add_course(saa))
    saa("resource", "add", "CLF-C02", "Essentials", "--kind", "course")
    clf = str(resources(saa, "CLF-C02")[0]["id"])
    saa("add", "x", "yesterday", "19:00-20:00", "-c", "SAA-C03", "-r", rid)
    ids = {"rid": rid, "clf": clf, "eid": str(entries(saa)[0]["id"])}
    before = (entries(saa), by_resource(saa))
    result = saa(*(a.format(**ids) for a in args), ok=False)
    assert result.exit_code == 1
    assert message in error_line(result)
    assert (entries(saa), by_resource(saa)) == before


def test_another_learners_resource_cannot_be_logged(saa):
    rid = str(add_course(saa))
    saa("goal", "add", "SAA-C03", learner="other")
    result = saa("add", "x", "9:00-9:30", "-r", rid, learner="other", ok=False)
    assert f"no resource with id {rid}" in error_line(result)


# --- read by the weak-area code -----------------------------------------------

def test_resource_progress_by_topic(saa, ctx):
    from tracker.services.resources import resource_progress_by_topic

    course = str(add_course(saa))                                   # IAM + VPC security
    saa("resource", "progress", course, "21")                       # half done
    saa("resource", "add", "SAA-C03", "IAM FAQ", "--kind", "faq", "-T", "iam")
    saa("resource", "done", str(resources(saa)[1]["id"]))           # done, no size
    saa("resource", "add", "SAA-C03", "VPC FAQ", "--kind", "faq", "-T", "vpc security")
    goal_id = json.loads(saa("goal", "list", "--json").stdout)[0]["id"]
    with ctx.session() as session:
        got = resource_progress_by_topic(session, goal_id)
    assert got == {
        "IAM users, groups and policies": (pytest.approx(0.75), 2, 1),
        "VPC security": (pytest.approx(0.25), 2, 0),
    }
