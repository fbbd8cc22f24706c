"""Linking notes to topics by hand (``note link`` / ``note unlink``), and re-imports
that keep those choices.

The clock is frozen at Monday 2026-11-23 11:00 in Berlin (10:00 UTC).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import error_line
from sqlalchemy import text

SAA = "SAA-C03"
VPC = """# VPC security

Security groups are stateful.

## Flow logs

Logs of accepted and rejected traffic.

# Exam day

Bring two IDs.
"""


@pytest.fixture
def folder(tmp_path) -> Path:
    target = tmp_path / "notes"
    target.mkdir()
    (target / "vpc.md").write_text(VPC)
    return target


@pytest.fixture
def saa(cli, folder):
    cli("goal", "add", SAA, "--exam-date", "+6w")
    cli("import", "notes", str(folder), "--cert", SAA)
    return cli


def notes(cli) -> dict[str, dict]:
    """The goal's notes by heading path."""
    return {n["path"]: n for n in json.loads(cli("note", "list", SAA, "--json").stdout)}


def links(cli) -> dict[str, dict[str, float]]:
    return {path: {t["topic"]: t["weight"] for t in n["topics"]} for path, n in notes(cli).items()}


def ids(cli) -> dict[str, int]:
    return {path: n["id"] for path, n in notes(cli).items()}


def stored(ctx) -> tuple[list, list]:
    """Every row of the effective links and of the choices, sorted."""
    with ctx.session() as session:
        effective = session.execute(text(
            "SELECT note_id, topic, weight FROM note_topic ORDER BY note_id, topic")).all()
        choices = session.execute(text(
            "SELECT note_id, topic, linked FROM note_topic_choice ORDER BY note_id, topic")).all()
    return [tuple(r) for r in effective], [(n, t, bool(c)) for n, t, c in choices]


def test_the_rule_links_before_any_choice(saa):
    # The fixture as the importer's rule links it, which the tests below change by hand.
    assert links(saa) == {"VPC security": {"VPC security": 4.0},
                          "VPC security > Flow logs": {"VPC security": 1.0},
                          "Exam day": {}}


def test_link_by_hand_counts_fully_and_is_shown(saa, ctx):
    from sqlmodel import select

    from tracker.models import Goal
    from tracker.services.notes import HAND_WEIGHT, notes_by_topic

    exam_day = ids(saa)["Exam day"]
    out = saa("note", "link", str(exam_day), "cognito").output  # an alias names the topic
    assert out == f"Linked note {exam_day} (Exam day) to Amazon Cognito.\n"
    assert links(saa)["Exam day"] == {"Amazon Cognito": HAND_WEIGHT}
    assert HAND_WEIGHT == 9.0  # heading 3 + enclosing heading 1 + five mentions
    with ctx.session() as session:
        goal = session.exec(select(Goal)).one()
        assert notes_by_topic(session, goal.id) == {"VPC security": 2, "Amazon Cognito": 1}

    shown = saa("note", "show", str(exam_day)).output.splitlines()
    assert shown[3] == "  Topics   Amazon Cognito (by hand)"
    assert json.loads(saa("note", "show", str(exam_day), "--json").stdout)["hand_linked"] == [
        "Amazon Cognito"]
    # The importer's own links keep their weight in 'note show'.
    vpc = ids(saa)["VPC security"]
    assert saa("note", "show", str(vpc)).output.splitlines()[3] == "  Topics   VPC security (4)"


def test_linking_twice_says_so_and_writes_nothing(saa, ctx):
    exam_day = ids(saa)["Exam day"]
    saa("note", "link", str(exam_day), "Amazon Cognito")
    before = stored(ctx)
    out = saa("note", "link", str(exam_day), "COGNITO").output
    assert out == f"Note {exam_day} (Exam day) is already linked to Amazon Cognito by hand.\n"
    assert stored(ctx) == before
    assert before[1] == [(exam_day, "Amazon Cognito", True)]


def test_linking_a_rule_link_keeps_it_by_hand(saa, folder):
    flow = ids(saa)["VPC security > Flow logs"]
    out = saa("note", "link", str(flow), "VPC security").output
    assert out == (f"Note {flow} (VPC security > Flow logs) was already linked to VPC security; "
                   "it now stays linked by hand.\n")
    assert links(saa)["VPC security > Flow logs"] == {"VPC security": 9.0}
    # The text now names WAF three times: on its own the rule would drop VPC security
    # (its 1 is under half of WAF's 3), as it does for the section linked by no one.
    waf = "Logs of accepted and rejected traffic. WAF, WAF and WAF."
    (folder / "vpc.md").write_text(VPC.replace("Logs of accepted and rejected traffic.", waf)
                                   + f"\n## Flow logs again\n\n{waf}\n")
    out = saa("import", "notes", str(folder), "--cert", SAA).output
    assert out.splitlines()[0].endswith("1 added, 1 updated, 2 unchanged, 0 removed.")
    assert links(saa)["VPC security > Flow logs"] == {"VPC security": 9.0, "AWS WAF and Shield": 3.0}
    assert links(saa)["Exam day > Flow logs again"] == {"AWS WAF and Shield": 3.0}


def test_unlinking_a_rule_link_removes_it(saa, ctx):
    flow = ids(saa)["VPC security > Flow logs"]
    out = saa("note", "unlink", str(flow), "vpc security").output
    assert out == (f"Unlinked note {flow} (VPC security > Flow logs) from VPC security; "
                   "a re-import will not link it again.\n")
    assert links(saa)["VPC security > Flow logs"] == {}
    assert stored(ctx)[1] == [(flow, "VPC security", False)]
    # Unlinking again says so and writes nothing.
    before = stored(ctx)
    out = saa("note", "unlink", str(flow), "VPC security").output
    assert out == f"Note {flow} (VPC security > Flow logs) is not linked to VPC security.\n"
    assert stored(ctx) == before


def test_reimport_keeps_hand_links_and_removals_without_counting_them_as_changes(saa, folder):
    by_path = ids(saa)
    saa("note", "link", str(by_path["Exam day"]), "cognito")
    saa("note", "unlink", str(by_path["VPC security > Flow logs"]), "VPC security")
    expected = {"VPC security": {"VPC security": 4.0},
                "VPC security > Flow logs": {},
                "Exam day": {"Amazon Cognito": 9.0}}
    assert links(saa) == expected

    out = saa("import", "notes", str(folder), "--cert", SAA).output
    assert out.splitlines()[0].endswith("0 added, 0 updated, 3 unchanged, 0 removed.")
    # The summary speaks of the effective links too.
    assert "VPC security > Flow logs" in out and "Exam day" not in out
    assert links(saa) == expected
    assert ids(saa) == by_path

    # The texts change (and the rule would still link the flow logs): the choices stay.
    (folder / "vpc.md").write_text(VPC.replace("rejected traffic.", "rejected traffic, per ENI.")
                                   .replace("two IDs.", "two IDs and water."))
    out = saa("import", "notes", str(folder), "--cert", SAA).output
    assert out.splitlines()[0].endswith("0 added, 2 updated, 1 unchanged, 0 removed.")
    assert links(saa) == expected
    out = saa("import", "notes", str(folder), "--cert", SAA).output
    assert out.splitlines()[0].endswith("0 added, 0 updated, 3 unchanged, 0 removed.")


def test_a_dry_run_reports_the_effective_links(saa, folder):
    saa("note", "link", str(ids(saa)["Exam day"]), "cognito")
    out = saa("import", "notes", str(folder), "--cert", SAA, "--dry-run").output
    assert "0 added, 0 updated, 3 unchanged, 0 removed" in out.splitlines()[0]
    assert "linked to no topic" not in out


def test_a_removed_section_takes_its_choices_with_it(saa, ctx, folder):
    exam_day = ids(saa)["Exam day"]
    saa("note", "link", str(exam_day), "cognito")
    assert stored(ctx)[1] == [(exam_day, "Amazon Cognito", True)]
    (folder / "vpc.md").write_text(VPC.split("# Exam day")[0])
    out = saa("import", "notes", str(folder), "--cert", SAA).output
    assert out.splitlines()[0].endswith("0 added, 0 updated, 2 unchanged, 1 removed.")
    effective, choices = stored(ctx)
    assert choices == []
    assert all(note_id != exam_day for note_id, _, _ in effective)
    # The same heading back is a new note: the old choice does not come back with it.
    (folder / "vpc.md").write_text(VPC)
    saa("import", "notes", str(folder), "--cert", SAA)
    assert links(saa)["Exam day"] == {}


@pytest.mark.parametrize(("args", "message"), [
    (("link", "9999", "cognito"), "Error: no note with id 9999"),
    (("unlink", "9999", "cognito"), "Error: no note with id 9999"),
    (("link", "abc", "cognito"), "Error: a note ID is a number, not 'abc'"),
    (("link", "{exam_day}", "cognitoo"), "Error: SAA-C03 has no topic 'cognitoo'; closest: Amazon Cognito"),
    (("unlink", "{vpc}", "nowhere"), "Error: SAA-C03 has no topic 'nowhere'"),
])
def test_errors_are_one_line_and_change_nothing(saa, ctx, args, message):
    known = {"exam_day": ids(saa)["Exam day"], "vpc": ids(saa)["VPC security"]}
    before = stored(ctx)
    result = saa("note", *(a.format(**known) for a in args), ok=False)
    assert result.exit_code == 1
    assert error_line(result).startswith(message)
    assert stored(ctx) == before


def test_another_learners_note_is_not_found(saa, ctx):
    vpc = ids(saa)["VPC security"]
    before = stored(ctx)
    for command in ("link", "unlink"):
        result = saa("note", command, str(vpc), "VPC security", learner="other", ok=False)
        assert result.exit_code == 1
        assert error_line(result) == f"Error: no note with id {vpc}"
    assert stored(ctx) == before


def test_services_link_and_unlink(saa, ctx):
    from tracker.errors import NotFound
    from tracker.services.notes import get_note, link_note, unlink_note

    vpc = ids(saa)["VPC security"]
    with ctx.session(write=True) as session:
        learner = ctx.learner_id(session)
        done = link_note(session, learner, vpc, "NACL", catalog=ctx.catalog)  # alias of VPC security
        assert (done.topic, done.changed, done.was_linked) == ("VPC security", True, True)
        done = link_note(session, learner, vpc, "waf", catalog=ctx.catalog)
        assert (done.topic, done.changed, done.was_linked) == ("AWS WAF and Shield", True, False)
        done = unlink_note(session, learner, vpc, "VPC security", catalog=ctx.catalog)
        assert (done.changed, done.linked) == (True, False)
        view = get_note(session, learner, vpc)
        assert view.topics == (("AWS WAF and Shield", 9.0),)
        assert view.hand == ("AWS WAF and Shield",)
        with pytest.raises(NotFound):
            link_note(session, learner + 1, vpc, "waf", catalog=ctx.catalog)
    assert links(saa)["VPC security"] == {"AWS WAF and Shield": 9.0}
