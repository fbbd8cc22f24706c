"""``export anki`` proved with real Anki: every package is imported into a fresh
collection of the ``anki`` package (the library Anki itself runs on).

Clock: Monday 2026-11-23 11:00 in Berlin, frozen: two exports happen in the same
second, which is what ``card_state.changed_at`` is for.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest
from helpers import error_line

DATA = Path(__file__).parent / "data"
CARDS = DATA / "cards"
GOLDEN = Path(__file__).parent / "golden"

SG_FRONT = "Are security groups stateful or stateless?"


# --- helpers --------------------------------------------------------------------------

@pytest.fixture
def no_shipped(monkeypatch, tmp_path):
    """Only the cards a test names: the shipped folder is an empty one."""
    empty = tmp_path / "no-shipped-cards"
    empty.mkdir()
    monkeypatch.setattr("tracker.cards.shipped_cards_dir", lambda: empty)
    return empty


@pytest.fixture
def cards_dir(tmp_path) -> Path:
    """A copy of the fixture cards that a test may edit."""
    target = tmp_path / "my-cards"
    shutil.copytree(CARDS, target)
    return target


@pytest.fixture
def saa(cli):
    cli("goal", "add", "SAA-C03", "--exam-date", "2027-01-04", "--target-hours", "60")
    return cli


def new_collection(folder: Path):
    from anki.collection import Collection

    folder.mkdir(parents=True, exist_ok=True)
    return Collection(str(folder / "collection.anki2"))


def import_package(col, path: Path):
    """Import as Anki's own import dialog does by default: update notes if newer."""
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest
    from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition as Update

    options = ImportAnkiPackageOptions(
        update_notes=Update.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
        update_notetypes=Update.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
        with_scheduling=False, with_deck_configs=False, merge_notetypes=False,
    )
    return col.import_anki_package(ImportAnkiPackageRequest(package_path=str(path), options=options)).log


def note_with(col, text: str):
    """The one note whose first field holds ``text``."""
    [found] = [nid for nid in col.find_notes("") if text in col.get_note(nid).fields[0]]
    return found


def package_notes(path: Path) -> dict[str, dict]:
    """GUID -> fields, tags and mod of the notes in an .apkg, read without Anki."""
    with zipfile.ZipFile(path) as archive, tempfile.TemporaryDirectory() as tmp:
        archive.extract("collection.anki2", tmp)
        conn = sqlite3.connect(Path(tmp) / "collection.anki2")
        rows = conn.execute("SELECT guid, flds, tags, mod FROM notes").fetchall()
        conn.close()
    return {guid: {"fields": flds.split("\x1f"), "tags": tags.split(), "mod": mod}
            for guid, flds, tags, mod in rows}


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


def cards_json(cli, *args) -> list[dict]:
    return json.loads(cli("card", "list", *args, "--json").stdout)


def export(cli, *args, out: Path):
    return cli("export", "anki", *args, "--out", str(out))


# --- (1) decks, notes and cards -----------------------------------------------------------

def test_export_imports_into_anki_with_nested_decks_tags_clozes_and_media(saa, no_shipped, cards_dir,
                                                                          tmp_path):
    out = tmp_path / "saa.apkg"
    result = export(saa, "SAA-C03", "--cards-dir", str(cards_dir), out=out)
    assert f"Wrote 11 notes (14 cards, 1 image) to {out}" in result.stdout
    assert re.search(r"^certjourney::SAA-C03::Design Secure Architectures::VPC security +4$", result.stdout,
                     re.MULTILINE)
    assert "11 new, 0 changed, 0 unchanged since your last export." in result.stdout

    col = new_collection(tmp_path / "anki")
    try:
        log = import_package(col, out)
        assert len(log.new) == 11 and not log.updated and not log.duplicate
        assert col.note_count() == 11 and col.card_count() == 14
        names = {d.name for d in col.decks.all_names_and_ids()}
        assert {"certjourney", "certjourney::SAA-C03",
                "certjourney::SAA-C03::Design Secure Architectures",
                "certjourney::SAA-C03::Design Secure Architectures::VPC security",
                "certjourney::SAA-C03::Design High-Performing Architectures::Load balancing",
                "certjourney::SAA-C03::Design Cost-Optimized Architectures::"
                "S3 storage classes and lifecycle"} <= names
        vpc = col.find_notes('"deck:certjourney::SAA-C03::Design Secure Architectures::VPC security"')
        assert len(vpc) == 4

        sg = note_with(col, SG_FRONT)
        note = col.get_note(sg)
        assert note.note_type()["name"] == "certjourney basic"
        assert sorted(note.tags) == sorted(["certjourney::SAA-C03", "domain::Design_Secure_Architectures",
                                            "topic::VPC_security", "networking", "security"])
        assert note["Back"].startswith("<p><strong>Stateful</strong>: return traffic")

        alb = note_with(col, "Application Load Balancer}}")
        cloze = col.get_note(alb)
        assert cloze.note_type()["name"] == "certjourney cloze"
        assert sorted(c.ord for c in cloze.cards()) == [0, 1, 2]          # c1, c2, c3
        assert "{{c1::Application Load Balancer}}" in cloze["Text"]
        assert cloze["Back Extra"] == "<p>Gateway Load Balancer works at layer 3 for virtual appliances.</p>"
        glacier = note_with(col, "Deep Archive")
        assert len(col.get_note(glacier).cards()) == 2                    # c1, c2: two cards

        pic = note_with(col, "Which diagram")
        src = re.search(r'<img src="([^"]+)"', col.get_note(pic)["Back"]).group(1)
        assert re.fullmatch(r"[0-9a-f]{20}\.png", src)
        media = Path(col.media.dir()) / src
        assert media.read_bytes() == (cards_dir / "SAA-C03" / "img" / "sg.png").read_bytes()
        for model in (m for m in col.models.all() if m["name"].startswith("certjourney")):
            for template in model["tmpls"]:
                assert "<script" not in (template["qfmt"] + template["afmt"]).lower()
    finally:
        col.close()


# --- (2) an edited answer updates the same note, within the same second -----------------------

def test_edited_answer_updates_the_same_note_without_waiting(saa, no_shipped, cards_dir, tmp_path):
    first, second, third = (tmp_path / f"{n}.apkg" for n in ("first", "second", "third"))
    export(saa, "--cards-dir", str(cards_dir), out=first)
    col = new_collection(tmp_path / "anki")
    try:
        import_package(col, first)
        sg = note_with(col, SG_FRONT)
        nat = note_with(col, "Where must a NAT gateway live?")
        mod_before = col.get_note(sg).mod
        count = col.note_count()

        card_file = cards_dir / "SAA-C03" / "networking.md"
        text = card_file.read_text()
        card_file.write_text(text.replace("whatever the inbound rules.", "whatever the inbound rules say."))
        # The card without an id: its question is its identity, its answer is not.
        card_file.write_text(card_file.read_text().replace("with a route to the internet gateway",
                                                           "routing 0.0.0.0/0 to the internet gateway"))
        result = export(saa, "--cards-dir", str(cards_dir), out=second)     # the same frozen second
        assert "0 new, 2 changed, 9 unchanged since your last export." in result.stdout
        log = import_package(col, second)
        assert len(log.updated) == 2 and not log.new
        assert col.note_count() == count
        note = col.get_note(sg)                                             # the same note id
        assert "whatever the inbound rules say." in note["Back"]
        assert note.mod == mod_before + 1
        assert "routing 0.0.0.0/0" in col.get_note(nat)["Back"]

        result = export(saa, "--cards-dir", str(cards_dir), out=third)      # nothing changed
        assert "0 new, 0 changed, 11 unchanged" in result.stdout
        log = import_package(col, third)
        assert not log.updated and not log.new and col.note_count() == count
    finally:
        col.close()
    assert package_notes(second) == package_notes(third)


def test_without_a_newer_mod_anki_keeps_the_old_answer(saa, no_shipped, cards_dir, tmp_path):
    """Why changed_at exists: the same edit, written with the first export's mod, is ignored."""
    from exporters.anki import AnkiNote, write_package

    first = tmp_path / "first.apkg"
    export(saa, "--cards-dir", str(cards_dir), out=first)
    notes = package_notes(first)
    col = new_collection(tmp_path / "anki")
    try:
        import_package(col, first)
        sg = note_with(col, SG_FRONT)
        guid = col.get_note(sg).guid
        same_mod = AnkiNote(guid, "certjourney::SAA-C03::Design Secure Architectures::VPC security",
                            "basic", (notes[guid]["fields"][0], "<p>edited</p>"),
                            tuple(notes[guid]["tags"]), notes[guid]["mod"])
        write_package([same_mod], tmp_path / "stale.apkg", timestamp=notes[guid]["mod"])
        import_package(col, tmp_path / "stale.apkg")
        assert "edited" not in col.get_note(sg)["Back"]
        same_mod.mod += 1
        write_package([same_mod], tmp_path / "newer.apkg", timestamp=notes[guid]["mod"])
        import_package(col, tmp_path / "newer.apkg")
        assert col.get_note(sg)["Back"] == "<p>edited</p>"
    finally:
        col.close()


# --- (3) no script, event handler or javascript: link reaches Anki -----------------------------

HOSTILE = """---
exam: SAA-C03
topic: VPC security
---

Q: <script>alert('q')</script>What does <b onmouseover="alert(0)">this</b> do?
A: <img src="x.png" onerror="alert('a')"> then [click](javascript:alert(1)),
<a href="javascript:alert(2)">here</a>, <a href=" JaVaScRiPt:alert(3)">caps</a>,
<a href="data:text/html;base64,PHNjcmlwdD4=">data</a>, <svg onload="alert(4)"></svg>
<iframe src="https://evil.example"></iframe><style>body { display: none }</style>
<form action="https://evil.example"><input name="x"></form><p style="color:red">styled</p>

C: Security groups are {{c1::<span onclick="alert(5)">stateful</span>}}, NACLs {{c2::stateless}}.
Extra: <object data="x.swf"></object><embed src="x.swf">[ok](https://aws.amazon.com/vpc/)
"""


def test_scripts_event_handlers_and_javascript_links_never_reach_anki(saa, no_shipped, tmp_path):
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "hostile.md").write_text(HOSTILE, encoding="utf-8")
    out = tmp_path / "hostile.apkg"
    export(saa, "--cards-dir", str(folder), out=out)
    col = new_collection(tmp_path / "anki")
    try:
        import_package(col, out)
        fields = [f for nid in col.find_notes("") for f in col.get_note(nid).fields]
        models = [t["qfmt"] + t["afmt"] for m in col.models.all() for t in m["tmpls"]
                  if m["name"].startswith("certjourney")]
    finally:
        col.close()
    assert len(fields) == 4 and len(models) == 2
    html = "\n".join(fields + models).lower()
    for bad in ("<script", "onerror", "onclick", "onload", "onmouseover", "<iframe", "<svg", "<object",
                "<embed", "<form", "<style", "style=", "data:text"):
        assert bad not in html, bad
    assert not re.search(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", html)
    text = "\n".join(fields)
    assert "What does <b>this</b> do?" in text                 # the card itself is kept
    assert "{{c1::<span>stateful</span>}}" in text and "{{c2::stateless}}" in text
    assert '<a href="https://aws.amazon.com/vpc/" rel="noopener noreferrer">ok</a>' in text


# --- (4) --weak --top N: the cards of the N weakest topics ------------------------------------

def test_weak_top_n_exports_exactly_the_cards_of_the_weakest_topics(saa, cards_dir, tmp_path):
    # Evidence that separates the topics (shipped cards cover every topic).
    saa("add", "vpc", "yesterday 08:00-12:00", "-T", "VPC security")
    saa("add", "lb", "2026-11-20 18:00-20:00", "-T", "load balancing")
    saa("practice", "add", "SAA-C03", "--score", "64", "--date", "2026-11-20",
        "--domain", "secure=85", "--domain", "resilient=52", "--domain", "performing=70")
    saa("confidence", "SAA-C03", "disaster recovery strategies", "1")
    saa("confidence", "SAA-C03", "scaling strategies", "2")
    for top in (1, 3, 6):
        weakest = [(w["cert"], w["topic"]) for w in
                   json.loads(saa("weak", "SAA-C03", "--json", "--top", str(top)).stdout)]
        assert len(weakest) == top
        out = tmp_path / f"weak-{top}.apkg"
        export(saa, "SAA-C03", "--weak", "--top", str(top), "--cards-dir", str(cards_dir), out=out)
        cards = cards_json(saa, "SAA-C03", "--cards-dir", str(cards_dir))
        expected = {c["guid"] for c in cards if (c["exam"], c["topic"]) in weakest}
        exported = package_notes(out)
        assert set(exported) == expected and expected
        assert all("weak" in n["tags"] for n in exported.values())
        assert {t for n in exported.values() for t in n["tags"] if t.startswith("topic::")} == \
            {"topic::" + topic.replace(" ", "_") for _, topic in weakest}
    # A full export tags exactly those notes 'weak'.
    out = tmp_path / "all.apkg"
    export(saa, "SAA-C03", "--top", "3", "--cards-dir", str(cards_dir), out=out)
    weakest = {w["topic"] for w in json.loads(saa("weak", "SAA-C03", "--json", "--top", "3").stdout)}
    cards = {c["guid"]: c for c in cards_json(saa, "SAA-C03", "--cards-dir", str(cards_dir))}
    notes = package_notes(out)
    assert set(notes) == set(cards)
    assert {g for g, n in notes.items() if "weak" in n["tags"]} == \
        {g for g, c in cards.items() if c["topic"] in weakest}


# --- the fields, golden ------------------------------------------------------------------------

def test_rendered_fields_match_the_golden_file():
    """Markdown -> HTML -> allow-list, for a few cards; CERTJOURNEY_UPDATE_GOLDEN=1 rewrites it."""
    from exporters.anki import render_card
    from tracker.cards import parse_card_text
    from tracker.catalog import load_catalog

    source = GOLDEN / "anki_fields.md"
    parsed = parse_card_text(source.read_text(encoding="utf-8"), "anki_fields.md",
                             load_catalog(use_cache=False), base_dir=str(GOLDEN))
    assert parsed.problems == []
    rendered = {}
    for card in parsed.cards:
        r = render_card(card)
        rendered[card.card_id] = {"kind": card.kind, "fields": list(r.fields),
                                  "media": sorted(r.media), "missing": list(r.missing)}
    golden = GOLDEN / "anki_fields.json"
    if os.environ.get("CERTJOURNEY_UPDATE_GOLDEN"):
        golden.write_text(json.dumps(rendered, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert rendered == json.loads(golden.read_text(encoding="utf-8"))


# --- choosing cards -------------------------------------------------------------------------------

def test_topics_all_goals_retired_exams_and_exam_without_goal(cli, no_shipped, tmp_path):
    cards = ("--cards-dir", str(CARDS))
    cli("goal", "add", "SAA-C03")
    out = tmp_path / "x.apkg"
    result = export(cli, "--topic", "kinesis", "--topic", "ELB", *cards, out=out)   # the one open goal
    assert set(re.findall(r"certjourney::\S+::[^\n]+?(?=\s{2,}\d)", result.stdout)) == {
        "certjourney::SAA-C03::Design High-Performing Architectures::Data ingestion and transformation",
        "certjourney::SAA-C03::Design High-Performing Architectures::Load balancing"}
    cli("goal", "add", "CLF-C02")
    cli("goal", "add", "MLS-C01", "--status", "failed")
    result = export(cli, "--all", *cards, out=out)
    assert "Wrote 16 notes" in result.stdout
    notes = package_notes(out).values()
    assert {n["tags"][0] for n in notes} == {
        "certjourney::SAA-C03", "certjourney::CLF-C02", "certjourney::MLS-C01"}
    # Like 'certjourney weak' without CODE, --all ranks the open goals: never the failed MLS-C01.
    assert any("weak" in n["tags"] for n in notes)
    assert not any("weak" in n["tags"] for n in notes if "certjourney::MLS-C01" in n["tags"])
    result = export(cli, "mls-c01", *cards, out=out)                                  # a failed goal
    assert "Wrote 3 notes (3 cards)" in result.stdout
    assert "certjourney::MLS-C01::Data Engineering::Kinesis" in result.stdout


def test_shipped_cards_of_a_retired_exam_without_a_goal(cli, tmp_path):
    out = tmp_path / "mls.apkg"
    result = export(cli, "--exam", "MLS-C01", out=out)
    notes = package_notes(out)
    assert notes and f"Wrote {len(notes)} notes" in result.stdout
    assert all("certjourney::MLS-C01" in n["tags"] and "weak" not in n["tags"] for n in notes.values())
    assert "certjourney::MLS-C01::Data Engineering::Kinesis" in result.stdout


def test_a_changed_image_changes_the_note(saa, no_shipped, cards_dir, tmp_path):
    first, second = tmp_path / "first.apkg", tmp_path / "second.apkg"
    export(saa, "--cards-dir", str(cards_dir), out=first)
    image = cards_dir / "SAA-C03" / "img" / "sg.png"
    image.write_bytes(image.read_bytes() + b"another picture")
    result = export(saa, "--cards-dir", str(cards_dir), out=second)
    assert "0 new, 1 changed, 10 unchanged" in result.stdout
    [old] = [n["fields"][1] for n in package_notes(first).values() if "<img" in n["fields"][1]]
    [new] = [n["fields"][1] for n in package_notes(second).values() if "<img" in n["fields"][1]]
    assert old != new
    with zipfile.ZipFile(second) as archive:
        [name] = json.loads(archive.read("media")).values()
        assert name in new and archive.read("0") == image.read_bytes()


def test_missing_image_warns_and_the_card_is_still_exported(saa, no_shipped, tmp_path):
    folder = tmp_path / "pics"
    folder.mkdir()
    (folder / "p.md").write_text("---\nexam: SAA-C03\ntopic: VPC security\n---\n"
                                 "Q: Where is the picture?\nA: ![diagram](nowhere/sg.png)\n")
    out = tmp_path / "p.apkg"
    result = export(saa, "--cards-dir", str(folder), out=out)
    assert f"Warning: {folder}/p.md:5: image 'nowhere/sg.png' not found; the card is exported " \
           "without it" in result.output
    assert "Wrote 1 note (1 card) to" in result.stdout
    [note] = package_notes(out).values()
    assert note["fields"][1] == '<p><img src="nowhere/sg.png" alt="diagram"></p>'
    with zipfile.ZipFile(out) as archive:
        assert json.loads(archive.read("media")) == {}


# --- bad requests -------------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "message"), [
    (("XYZ-999",), "unknown exam code 'XYZ-999'"),
    (("CLF-C02",), "no goal for CLF-C02"),
    (("SAA-C03", "--all"), "give CODE or --all, not both"),
    (("SAA-C03", "--weak", "--topic", "kinesis"), "give --weak or --topic, not both"),
    (("--exam", "SAA-C03", "--weak"), "--weak ranks a goal's topics"),
    (("--exam", "SAA-C03", "--all"), "leave out CODE and --all"),
    (("SAA-C03", "--topic", "basket weaving"), "SAA-C03 has no topic 'basket weaving'"),
    (("MLA-C01",), "no cards for MLA-C01"),
    ((), "several open goals (MLA-C01, SAA-C03)"),
    (("SAA-C03", "--cards-dir", "/no/such/folder"), "/no/such/folder: card folder does not exist"),
])
def test_bad_export_requests_change_nothing(saa, no_shipped, db_url, tmp_path, args, message):
    saa("goal", "add", "MLA-C01")
    export(saa, "SAA-C03", "--cards-dir", str(CARDS), out=tmp_path / "first.apkg")
    before = table_rows(db_url)
    out = tmp_path / "bad.apkg"
    result = saa("export", "anki", *args, "--out", str(out), ok=False)
    assert result.exit_code == 1
    assert message in error_line(result)
    assert not out.exists()
    assert table_rows(db_url) == before


@pytest.mark.parametrize(("out", "message"), [("missing/deck.apkg", "does not exist"), (".", "is a folder")])
def test_bad_output_paths(saa, no_shipped, db_url, tmp_path, monkeypatch, out, message):
    monkeypatch.chdir(tmp_path)
    before = table_rows(db_url)
    assert message in error_line(saa("export", "anki", "--cards-dir", str(CARDS), "--out", out, ok=False))
    assert table_rows(db_url) == before


def test_a_failed_write_keeps_the_old_package_and_the_old_state(saa, no_shipped, db_url, cards_dir,
                                                                tmp_path, monkeypatch):
    out = tmp_path / "deck.apkg"
    export(saa, "--cards-dir", str(cards_dir), out=out)
    old = out.read_bytes()
    before = table_rows(db_url)
    card_file = cards_dir / "SAA-C03" / "networking.md"
    card_file.write_text(card_file.read_text().replace("whatever the inbound rules.", "changed."))

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("exporters.anki.json.dumps", broken)
    with pytest.raises(OSError, match="disk full"):
        export(saa, "--cards-dir", str(cards_dir), out=out)
    assert out.read_bytes() == old
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".deck")) == []
    assert table_rows(db_url) == before          # changed_at was not moved on


# --- headless -------------------------------------------------------------------------------------

def modules_after(code: str, env: dict | None = None) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys\nprint('\\n'.join(sys.modules))"],
                         capture_output=True, text=True, check=True,
                         env={**os.environ, **(env or {})}).stdout
    return set(out.split())


def test_timer_commands_never_load_genanki_and_the_card_core_never_loads_textual(tmp_path):
    db = str(tmp_path / "h.db")
    for command in (["goal", "add", "SAA-C03"], ["start", "x"], ["status"], ["stop"]):
        loaded = modules_after(f"from tracker.cli import cli\ntry:\n    cli({['--db', db, *command]!r})\n"
                               "except SystemExit:\n    pass")
        for heavy in ("genanki", "nh3", "cmarkgfm", "textual", "tracker.cli.anki_cmds.exporters"):
            assert heavy not in loaded, (command, heavy)
    loaded = modules_after("import tracker.cards, tracker.services.cards, tracker.services.anki_reviews,"
                           " tracker.importers.anki_reviews, tracker.cli.anki_cmds")
    assert not {"textual", "genanki", "nh3", "cmarkgfm"} & loaded
    assert "textual" not in modules_after("import exporters.anki")
