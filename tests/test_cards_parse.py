"""Cards: the authoring format, problems with file and line, identity, and the
``card`` commands (add, list, remove, check) on the test database.

Clock: Monday 2026-11-23 11:00 in Berlin.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import error_line
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.cards import (
    cloze_numbers,
    cloze_problem,
    guid_for,
    parse_card_text,
    parse_note_cards,
    read_card_paths,
)
from tracker.catalog import load_catalog

DATA = Path(__file__).parent / "data"
CARDS = DATA / "cards"
BAD = DATA / "cards-bad"


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(use_cache=False)


@pytest.fixture
def no_shipped(monkeypatch, tmp_path):
    """Only the cards a test names: the shipped folder is an empty one."""
    empty = tmp_path / "no-shipped-cards"
    empty.mkdir()
    monkeypatch.setattr("tracker.cards.shipped_cards_dir", lambda: empty)
    return empty


def parse(text: str, catalog, source: str = "t.md"):
    return parse_card_text(text, source, catalog)


def problems(parsed) -> list[str]:
    return [str(p) for p in parsed.problems]


# --- the format ------------------------------------------------------------------------

def test_fixture_folder_loads_every_card_with_its_topic(catalog):
    parsed = read_card_paths([(CARDS, "cards")], catalog)
    assert parsed.problems == [] and parsed.skipped == 0 and parsed.files == 4
    by_front = {c.front: c for c in parsed.cards}
    sg = by_front["Are security groups stateful or stateless?"]
    assert (sg.exam, sg.domain, sg.topic, sg.kind) == ("SAA-C03", "Design Secure Architectures",
                                                      "VPC security", "basic")
    assert sg.card_id == "fixture-sg-stateful" and sg.tags == ("networking", "security")
    assert sg.back == ("**Stateful**: return traffic is allowed automatically, whatever the inbound rules.\n"
                       "Network ACLs are *stateless*: both directions need rules.")
    assert sg.where == "cards/SAA-C03/networking.md:8"
    # "## NAT gateway" is an alias of VPC security; "# Kinesis" of Data ingestion in SAA-C03.
    assert by_front["Where must a NAT gateway live?"].topic == "VPC security"
    assert by_front["How long does Kinesis Data Streams keep records by default?"].topic == \
        "Data ingestion and transformation"
    cloze = next(c for c in parsed.cards if c.front.startswith("An {{c1::Application"))
    assert cloze.kind == "cloze" and cloze.topic == "Load balancing"
    assert cloze.back == "Gateway Load Balancer works at layer 3 for virtual appliances."
    assert cloze.ords() == (0, 1, 2)
    # Front matter: the exam by alias in any case; the topic before the first heading.
    clf = [c for c in parsed.cards if c.exam == "CLF-C02"]
    assert [c.topic for c in clf] == ["Shared responsibility model", "AWS global infrastructure"]
    assert {c.exam for c in parsed.cards} == {"SAA-C03", "MLS-C01", "CLF-C02"}
    assert len(parsed.cards) == 16


def test_answers_keep_blank_lines_lists_and_code_and_drop_trailing_blanks(catalog):
    text = ("---\nexam: SAA-C03\ntopic: VPC security\n---\n"
            "Q: First line\nsecond line of the question\nA: One\n\nTwo\n\n"
            "```\nQ: not a marker inside code\n# nor a heading\n```\n\n\n"
            "Q: Next?\nA: Yes.\n")
    parsed = parse(text, catalog)
    assert problems(parsed) == []
    first, second = parsed.cards
    assert first.front == "First line\nsecond line of the question"
    assert first.back == "One\n\nTwo\n\n```\nQ: not a marker inside code\n# nor a heading\n```"
    assert (second.front, second.back, second.line) == ("Next?", "Yes.", 17)


def test_a_marker_needs_a_space_after_its_colon(catalog):
    text = ("---\nexam: SAA-C03\ntopic: VPC security\n---\n"
            "Q:    Where is the hosts file on Windows?\nA:\nC:\\Windows\\System32\\drivers\\etc\\hosts\n")
    parsed = parse(text, catalog)
    assert problems(parsed) == []
    [card] = parsed.cards
    assert card.front == "Where is the hosts file on Windows?"
    assert card.back == "C:\\Windows\\System32\\drivers\\etc\\hosts"


@pytest.mark.parametrize(("text", "expected"), [
    ("---\nexam: SAA-C03\ntopic: VPC security\n---\nQ: No answer\n\nQ: Fine?\nA: Yes\n",
     ["t.md:5: Q: without A:"]),
    ("---\nexam: XYZ-999\n---\n# Kinesis\nQ: a\nA: b\n",
     ["t.md:2: unknown exam code 'XYZ-999' ('certjourney catalog list' shows all)"]),
    ("---\nexam: SAA-C03\n---\n# Kinesis\nQ: kept\nA: yes\n# Underwater basket weaving\nQ: a\nA: b\n",
     ["t.md:7: heading 'Underwater basket weaving' is not a topic of SAA-C03; "
      "the cards under it are skipped"]),
    ("---\nexam: SAA-C03\ncolour: blue\n---\n# Kinesis\nQ: a\nA: b\n",
     ["t.md:3: front matter: unknown key 'colour' (known: exam, topic, tags)"]),
    ("---\nexam: SAA-C03\n# Kinesis\nQ: a\nA: b\n", ["t.md:1: front matter has no closing '---'"]),
    ("# Kinesis\nQ: a\nA: b\n",
     ["t.md:1: no front matter: start the file with '---', 'exam: CODE' and '---'"]),
    ("---\ntopic: Kinesis\n---\nQ: a\nA: b\n", ["t.md:1: front matter has no 'exam:' (an exam code)"]),
    ("---\nexam: SAA-C03\nthis is not a key value line\n---\n",
     ["t.md:3: front matter: cannot read 'this is not a key value line' (expected 'key: value')"]),
    ("---\nexam: SAA-C03\n---\n# Load balancing\nC: An {{c1::ALB works at layer 7\nQ: kept?\nA: yes\n",
     ["t.md:5: unbalanced cloze: '{{' without '}}'"]),
    ("---\nexam: SAA-C03\n---\n# Load balancing\nC: An ALB}} works at layer 7\n",
     ["t.md:5: unbalanced cloze: '}}' without '{{'"]),
    ("---\nexam: SAA-C03\n---\n# Load balancing\nC: No deletion here\n",
     ["t.md:5: a cloze card needs at least one deletion like {{c1::answer}}"]),
    ("---\nexam: SAA-C03\n---\n# Load balancing\nC: A {{c21::high}} number\n",
     ["t.md:5: cloze number c21 is outside c1 to c20"]),
    ("---\nexam: SAA-C03\n---\n# Load balancing\nC: An {{c1::}} deletion\n",
     ["t.md:5: empty cloze deletion c1"]),
    ("---\nexam: SAA-C03\n---\n# Kinesis\nid: has spaces\nQ: a\nA: b\n",
     ["t.md:5: id 'has spaces' may hold only letters, digits, '-', '_' and '.'"]),
    ("---\nexam: SAA-C03\n---\n# Kinesis\nid: x1\n\nQ: a\nA: b\n",
     ["t.md:5: id: must be on the line right before Q: or C:"]),
    ("---\nexam: SAA-C03\n---\nQ: where does this go?\nA: nowhere\n",
     ["t.md:4: card has no topic: put a topic heading above it or 'topic:' in the front matter"]),
    ("---\nexam: SAA-C03\n---\n# Kinesis\nA: an answer without a question\n",
     ["t.md:5: A: without Q:"]),
    ("---\nexam: SAA-C03\n---\n# Kinesis\nSome prose that is not a card.\nQ: a\nA: b\n",
     ["t.md:5: text outside a card (start cards with Q: or C:)"]),
])
def test_problems_name_file_and_line_and_the_rest_still_loads(catalog, text, expected):
    parsed = parse(text, catalog)
    assert problems(parsed) == expected


def test_bad_folder_reports_everything_and_counts_what_was_skipped(catalog):
    parsed = read_card_paths([(BAD, "bad")], catalog)
    found = sorted(problems(parsed))
    assert found == sorted([
        "bad/broken-front-matter.md:3: front matter: unknown key 'colour' (known: exam, topic, tags)",
        "bad/mixed.md:7: Q: without A:",
        "bad/mixed.md:12: heading 'Not a real topic' is not a topic of SAA-C03 (closest: "
        "Cost-optimized networking); the cards under it are skipped",
        "bad/mixed.md:19: unbalanced cloze: '{{' without '}}'",
        "bad/mixed.md:21: a cloze card needs at least one deletion like {{c1::answer}}",
        "bad/mixed.md:23: cloze number c21 is outside c1 to c20",
        "bad/mixed.md:25: id 'has spaces' may hold only letters, digits, '-', '_' and '.'",
        "bad/unknown-exam.md:2: unknown exam code 'XYZ-999' ('certjourney catalog list' shows all)",
        "bad/duplicate.md:11: duplicate id 'dup-one' (first at bad/duplicate.md:7)",
        "bad/mixed.md:9: duplicate card: the same question in VPC security is at bad/duplicate.md:14",
    ])
    assert sorted(c.front for c in parsed.cards) == [
        "Are NACLs stateful?", "First with this id?", "Good card after the bad ones?"]
    assert parsed.skipped == 10 and parsed.files == 4


def test_cards_in_notes_take_the_notes_topic_and_ignore_prose(catalog):
    exam = catalog.exam("SAA-C03")
    body = ("Security groups are stateful.\nA: this line is prose, not an answer\n\n"
            "Q: Stateful or stateless?\nA: Stateful.\n\nMore prose after it belongs to the answer.\n\n"
            "C: NACLs are {{c1::stateless}}.\n")
    parsed = parse_note_cards(body, exam, exam.topic("VPC security"), "note 1")
    assert problems(parsed) == []
    assert [(c.kind, c.topic, c.front) for c in parsed.cards] == [
        ("basic", "VPC security", "Stateful or stateless?"),
        ("cloze", "VPC security", "NACLs are {{c1::stateless}}.")]
    assert parsed.cards[0].back == "Stateful.\n\nMore prose after it belongs to the answer."
    unlinked = parse_note_cards(body, exam, None, "note 2")
    assert unlinked.cards == [] and unlinked.skipped == 2
    assert parse_note_cards("no cards here", exam, None, "note 3").skipped == 0


# --- identity ----------------------------------------------------------------------------

def test_identity_is_the_id_or_exam_topic_and_question_never_the_answer(catalog):
    base = "---\nexam: SAA-C03\n---\n# Kinesis\n"
    one = parse(base + "Q: How long are records kept?\nA: 24 hours.\n", catalog).cards[0]
    edited = parse(base + "Q:   How long are\nrecords kept?\nA: 24 hours by default.\n", catalog).cards[0]
    assert one.guid == edited.guid                     # answer and whitespace do not matter
    moved = parse(base.replace("# Kinesis", "# Load balancing") + "Q: How long are records kept?\nA: x\n",
                  catalog).cards[0]
    assert moved.guid != one.guid                      # another topic: another card
    with_id = parse(base + "id: kds-retention\nQ: How long are records kept?\nA: 24 h\n", catalog).cards[0]
    renamed = parse("---\nexam: SAA-C03\n---\n# Load balancing\nid: kds-retention\nQ: Retention?\nA: 1\n",
                    catalog).cards[0]
    assert with_id.guid == renamed.guid != one.guid   # the id alone, whatever the topic and question


def test_guid_format_matches_genanki():
    from genanki.util import guid_for as genanki_guid

    for key in ("certjourney\x1fSAA-C03\x1fid\x1fx", "ä ö ü", "a" * 1000):
        assert guid_for(key) == genanki_guid(key)


def test_cloze_helpers():
    assert cloze_numbers("{{c2::b}} and {{c1::a::hint}} and {{c2::c}}") == (1, 2)
    assert cloze_problem("{{c1::a {{c2::nested}} b}}") is None
    assert cloze_problem("{{c1::a::hint}}") is None
    assert cloze_problem("{{b}}") == "unbalanced cloze: '{{' must start a deletion like {{c1::answer}}"
    assert cloze_problem("{{c0::x}}") == "cloze number c0 is outside c1 to c20"


# --- the fast path of rendering ----------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80))
def test_plain_text_fast_path_renders_as_markdown_and_nh3_would(text):
    from exporters.anki import _CLEANER, _md_to_html, render_markdown

    full = _CLEANER.clean(_md_to_html(text.strip())).strip().replace("\x1f", "") if text.strip() else ""
    assert render_markdown(text) == full


# --- card check ---------------------------------------------------------------------------

def test_card_check_lists_problems_and_exits_1(cli):
    result = cli("card", "check", str(BAD), ok=False)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == f"{BAD}/broken-front-matter.md:3: front matter: unknown key 'colour' " \
                       "(known: exam, topic, tags)"
    assert lines[-1] == "Checked 4 files: 3 cards (SAA-C03), 10 problems, 10 cards skipped."
    ok = cli("card", "check", str(CARDS))
    assert ok.output.strip() == "Checked 4 files: 16 cards (CLF-C02, MLS-C01, SAA-C03), 0 problems."
    assert "no such file or folder" in error_line(cli("card", "check", "/no/such/dir", ok=False))


def test_shipped_cards_pass_the_check(cli):
    result = cli("card", "check")
    assert result.output.startswith("Checked ") and "0 problems" in result.output


# --- card add, list, remove -----------------------------------------------------------------

def cards_json(cli, *args):
    return json.loads(cli("card", "list", *args, "--json").stdout)


def table_rows(db_url) -> dict[str, list]:
    """Every row of every table: to prove a refused command changed nothing."""
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            names = sorted(inspect(conn).get_table_names())
            return {n: sorted(map(tuple, conn.execute(text(f'SELECT * FROM "{n}"'))), key=repr)
                    for n in names}
    finally:
        engine.dispose()


def test_card_add_updates_the_answer_of_the_same_question(cli, no_shipped):
    out = cli("card", "add", "SAA-C03", "kinesis", "--front", "Default retention?", "--back", "24 h").output
    assert out.strip() == "Added card 1: SAA-C03 · Data ingestion and transformation"
    out = cli("card", "add", "saa-c03", "Data ingestion and transformation", "--front",
              "  Default   retention? ", "--back", "24 hours, up to 365 days").output
    assert out.strip() == "Updated the answer of card 1: SAA-C03 · Data ingestion and transformation"
    assert "already says that" in cli("card", "add", "SAA-C03", "kinesis", "--front", "Default retention?",
                                      "--back", "24 hours, up to 365 days").output
    cli("card", "add", "SAA-C03", "ALB", "--cloze", "An {{c1::ALB}} works at layer {{c2::7}}",
        "--extra", "NLB: layer 4")
    cards = cards_json(cli, "SAA-C03")
    assert [(c["id"], c["topic"], c["kind"], c["back"]) for c in cards] == [
        (1, "Data ingestion and transformation", "basic", "24 hours, up to 365 days"),
        (2, "Load balancing", "cloze", "NLB: layer 4")]
    assert cards[0]["source"] == "card 1"
    assert [c["id"] for c in cards_json(cli, "SAA-C03", "--topic", "elb")] == [2]
    assert cli("card", "remove", "1").output.strip() == \
        "Removed card 1 (SAA-C03 · Data ingestion and transformation: Default retention?)."
    assert [c["id"] for c in cards_json(cli, "SAA-C03")] == [2]


def test_card_add_overrides_a_card_from_a_file(cli, no_shipped):
    before = {c["front"]: c for c in cards_json(cli, "SAA-C03", "--cards-dir", str(CARDS))}
    original = before["What is the default limit of security groups per network interface?"]
    out = cli("card", "add", "SAA-C03", "security groups", "--front",
              "What is the default limit of security groups per network interface?", "--back",
              "5, up to 16", "--cards-dir", str(CARDS)).output
    assert out.startswith("Added card 1: SAA-C03 · VPC security (it replaces the card at ")
    after = {c["front"]: c for c in cards_json(cli, "SAA-C03", "--cards-dir", str(CARDS))}
    replaced = after["What is the default limit of security groups per network interface?"]
    assert replaced["guid"] == original["guid"] and replaced["back"] == "5, up to 16"
    assert replaced["source"] == "card 1" and len(after) == len(before)


def test_card_folders_from_the_environment(cli, no_shipped, monkeypatch):
    assert cards_json(cli, "MLS-C01") == []
    monkeypatch.setenv("CERTJOURNEY_CARDS", str(CARDS))
    assert len(cards_json(cli, "MLS-C01")) == 3
    text = cli("card", "list", "MLS-C01").output
    assert "fixture-kds-shard" in text and "3 cards." in text


@pytest.mark.parametrize(("args", "message"), [
    (("card", "add", "XYZ-1", "kinesis", "--front", "a", "--back", "b"), "unknown exam code 'XYZ-1'"),
    (("card", "add", "SAA-C03", "basket weaving", "--front", "a", "--back", "b"),
     "SAA-C03 has no topic 'basket weaving'"),
    (("card", "add", "SAA-C03", "kinesis", "--front", "  ", "--back", "b"), "--front is empty"),
    (("card", "add", "SAA-C03", "kinesis", "--front", "a"), "a card needs --front and --back"),
    (("card", "add", "SAA-C03", "kinesis", "--cloze", "An {{c1::ALB"), "--cloze: unbalanced cloze"),
    (("card", "add", "SAA-C03", "kinesis", "--cloze", "x {{c1::y}}", "--front", "a"), "not both"),
    (("card", "add", "SAA-C03", "kinesis", "--front", "a", "--back", "b", "--cards-dir", "/no/such"),
     "/no/such: card folder does not exist"),
    (("card", "remove", "99"), "no card with id 99"),
    (("card", "remove", "saa-sg-stateful"), "cards from files are edited in their file"),
    (("card", "list", "SAA-C03", "--topic", "basket weaving"), "SAA-C03 has no topic"),
])
def test_bad_card_commands_change_nothing(cli, db_url, no_shipped, args, message):
    cli("card", "add", "SAA-C03", "kinesis", "--front", "kept?", "--back", "yes")
    before = table_rows(db_url)
    assert message in error_line(cli(*args, ok=False))
    assert table_rows(db_url) == before


def test_cards_in_imported_notes(cli, no_shipped, tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "week-3.md").write_text(
        "# Kinesis\n\nKinesis Data Streams keep records for a day by default.\n\n"
        "Q: How long does Kinesis keep records by default?\nA: 24 hours.\n\n"
        "# Misc\n\nNothing about any exam topic here.\n\nQ: An orphan question?\nA: Skipped.\n\n"
        "C: Also {{c1::skipped}}.\n", encoding="utf-8")
    cli("goal", "add", "SAA-C03")
    cli("import", "notes", str(notes), "--cert", "SAA-C03")
    result = cli("card", "list", "SAA-C03", "--json")
    cards = json.loads(result.stdout)
    assert [(c["topic"], c["front"], c["back"]) for c in cards] == [
        ("Data ingestion and transformation", "How long does Kinesis keep records by default?",
         "24 hours.")]
    assert cards[0]["source"].startswith("note ") and "week-3.md > Kinesis" in cards[0]["source"]
    assert "Skipped 2 cards in notes linked to no topic." in result.output
