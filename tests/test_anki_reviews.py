"""``import anki-reviews``: review results read back from a real Anki collection whose
cards were answered with Anki's own scheduler, without changing the collection.

Clock: Monday 2026-11-23 11:00 in Berlin (certjourney's); Anki runs on real time.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import error_line
from test_anki_export import CARDS, import_package, new_collection, table_rows

KINESIS = "Data ingestion and transformation"   # SAA-C03's topic for the fixture's "# Kinesis"
DR = "Disaster recovery strategies"
AGAIN, GOOD = 1, 3


@pytest.fixture
def no_shipped(monkeypatch, tmp_path):
    """Only the fixture cards: the shipped folder is an empty one."""
    empty = tmp_path / "no-shipped-cards"
    empty.mkdir()
    monkeypatch.setattr("tracker.cards.shipped_cards_dir", lambda: empty)
    return empty


@pytest.fixture
def saa(cli):
    cli("goal", "add", "SAA-C03", "--exam-date", "2027-01-04", "--target-hours", "60")
    return cli


def topic_of(note) -> str:
    return next(t for t in note.tags if t.startswith("topic::"))[len("topic::"):].replace("_", " ")


def study(col, again_for: dict[str, int], limit: int = 300) -> None:
    """Answer every card Anki's v3 scheduler shows: Again ``again_for[topic]`` times per
    card of those topics, then Good; Good for every other card."""
    col.decks.select(col.decks.id_for_name("certjourney"))   # study the whole certjourney tree
    seen: dict[int, int] = {}
    for _ in range(limit):
        card = col.sched.getCard()
        if card is None:
            return
        topic = topic_of(card.note())
        seen[card.id] = seen.get(card.id, 0) + 1
        ease = AGAIN if seen[card.id] <= again_for.get(topic, 0) else GOOD
        col.sched.answerCard(card, ease)
    raise AssertionError("the scheduler kept showing cards")


def recent_answers(col, topic: str, n: int = 20) -> list[int]:
    """The eases of the last ``n`` answers on ``topic``, straight from Anki's review log."""
    rows = col.db.all("SELECT r.ease, n.tags FROM revlog r JOIN cards c ON c.id = r.cid "
                      "JOIN notes n ON n.id = c.nid WHERE r.ease BETWEEN 1 AND 4 ORDER BY r.id DESC")
    tag = "topic::" + topic.replace(" ", "_")
    return [ease for ease, tags in rows if tag in tags.split()][:n]


def fingerprint(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def studied(saa, no_shipped, tmp_path):
    """Our deck imported into a fresh collection, studied, and the collection closed."""
    out = tmp_path / "saa.apkg"
    saa("export", "anki", "SAA-C03", "--cards-dir", str(CARDS), "--out", str(out))
    folder = tmp_path / "anki-profile"
    col = new_collection(folder)
    try:
        import_package(col, out)
        study(col, {KINESIS: 3, DR: 1})
        expected = {topic: recent_answers(col, topic) for topic in (KINESIS, DR, "VPC security")}
        lapses = col.db.scalar("SELECT sum(lapses) FROM cards")
    finally:
        col.close()
    return folder, expected, lapses


def test_review_results_become_a_weak_area_reason(saa, studied):
    folder, expected, _ = studied
    kinesis = expected[KINESIS]
    again = kinesis.count(AGAIN)
    assert again >= 3 and again / len(kinesis) >= 0.2        # enough for a reason to show
    before = fingerprint(folder)

    result = saa("import", "anki-reviews", str(folder / "collection.anki2"))
    assert result.output.startswith(f"Imported review results for 11 notes from {folder}/collection.anki2: "
                                    "5 topics, ")
    assert fingerprint(folder) == before                       # bytes and mtime, no -wal or -shm left

    ranked = json.loads(saa("weak", "SAA-C03", "--json", "--top", "40").stdout)
    by_topic = {w["topic"]: w for w in ranked}
    reason = f"Anki: {again} of your last {len(kinesis)} answers on {KINESIS} were Again"
    assert reason in by_topic[KINESIS]["reasons"]
    assert not any(r.startswith("Anki:") for r in by_topic["VPC security"]["reasons"])   # all Good
    assert not any(r.startswith("Anki:") for r in by_topic["Amazon Cognito"]["reasons"])  # no cards
    assert f"       - {reason}" in saa("weak", "SAA-C03", "--top", "40").output


def test_stored_results_per_topic_and_a_second_import_replaces_them(saa, studied):
    folder, expected, lapses = studied
    first = json.loads(saa("import", "anki-reviews", str(folder), "--json").stdout)   # the profile folder
    topics = {t["topic"]: t for t in first["topics"]}
    assert set(topics) == {"VPC security", "Load balancing", "S3 storage classes and lifecycle", DR, KINESIS}
    assert first["notes_found"] == 11 and first["notes_missing"] == 0
    assert topics[KINESIS]["again"] == expected[KINESIS].count(AGAIN)
    assert topics[KINESIS]["recent_answers"] == len(expected[KINESIS])
    assert topics[DR]["again"] == expected[DR].count(AGAIN) and topics[DR]["cards"] == 2
    assert topics["VPC security"]["again"] == 0 and topics["VPC security"]["cards"] == 4
    assert topics["Load balancing"]["cards"] == 4           # a basic card and a cloze with c1-c3
    assert sum(t["lapses"] for t in first["topics"]) == lapses
    assert all(t["mean_ease"] is None or 130 <= t["mean_ease"] <= 350 for t in first["topics"])
    second = json.loads(saa("import", "anki-reviews", str(folder), "--json").stdout)
    assert second == first
    text = saa("import", "anki-reviews", str(folder)).output
    assert "AGAIN (LAST 20)" in text and f"{topics[KINESIS]['again']}/{len(expected[KINESIS])}" in text


def test_exported_notes_missing_from_the_collection_are_counted(saa, no_shipped, tmp_path):
    out = tmp_path / "saa.apkg"
    saa("export", "anki", "SAA-C03", "--cards-dir", str(CARDS), "--out", str(out))
    col = new_collection(tmp_path / "profile")
    try:
        import_package(col, out)
        col.remove_notes(list(col.find_notes("tag:topic::VPC_security")))
    finally:
        col.close()
    text = saa("import", "anki-reviews", str(tmp_path / "profile")).output
    assert "Imported review results for 7 notes" in text
    assert "4 exported notes not in this collection" in text


@pytest.mark.parametrize(("make", "message"), [
    (lambda d: d / "nothing.anki2", "no such file"),
    (lambda d: d, "no collection.anki2 in this folder"),
    (lambda d: (d / "notes.txt").write_text("hello\n" * 100) and d / "notes.txt", "not an Anki collection"),
])
def test_bad_collections_change_nothing(saa, no_shipped, db_url, tmp_path, make, message):
    saa("export", "anki", "SAA-C03", "--cards-dir", str(CARDS), "--out", str(tmp_path / "x.apkg"))
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    path = make(folder)
    before = table_rows(db_url)
    assert message in error_line(saa("import", "anki-reviews", str(path), ok=False))
    assert table_rows(db_url) == before


def test_nothing_exported_yet_or_a_collection_without_our_notes(saa, no_shipped, db_url, tmp_path):
    col = new_collection(tmp_path / "empty")
    col.close()
    untouched = fingerprint(tmp_path / "empty")
    before = table_rows(db_url)
    assert "you have not exported any cards yet" in error_line(
        saa("import", "anki-reviews", str(tmp_path / "empty"), ok=False))
    assert table_rows(db_url) == before
    saa("export", "anki", "SAA-C03", "--cards-dir", str(CARDS), "--out", str(tmp_path / "x.apkg"))
    before = table_rows(db_url)
    assert "none of the cards you exported are in this collection" in error_line(
        saa("import", "anki-reviews", str(tmp_path / "empty"), ok=False))
    assert table_rows(db_url) == before
    assert fingerprint(tmp_path / "empty") == untouched
