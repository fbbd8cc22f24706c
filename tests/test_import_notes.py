"""``certjourney import notes`` and ``certjourney note``, on the fixture notes folder.

The clock is frozen at Monday 2026-11-23 11:00 in Berlin (10:00 UTC).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers import error_line

NOTES = Path(__file__).parent / "data" / "notes" / "SAA-C03"
FIXTURE_NOTES = 21


@pytest.fixture
def saa(cli):
    cli("goal", "add", "SAA-C03", "--exam-date", "+6w")
    return cli


@pytest.fixture
def folder(tmp_path) -> Path:
    """A copy of the fixture notes that a test may change."""
    target = tmp_path / "my notes" / "SAA-C03"
    shutil.copytree(NOTES, target)
    return target


def notes(cli, *extra) -> list[dict]:
    return json.loads(cli("note", "list", "SAA-C03", "--json", *extra).stdout)


def by_path(cli) -> dict[tuple[str, str], dict]:
    return {(n["file"], n["path"]): n for n in notes(cli)}


def topics_of(note: dict) -> set[str]:
    return {t["topic"] for t in note["topics"]}


def test_import_a_messy_notes_folder(saa):
    out = saa("import", "notes", str(NOTES), "--cert", "saa-c03").output
    assert out.splitlines()[0] == (
        f"Imported notes for SAA-C03 from {NOTES} (6 files): "
        f"{FIXTURE_NOTES} added, 0 updated, 0 unchanged, 0 removed.")
    assert "S3 storage classes and lifecycle" in out and "Hybrid connectivity" in out
    assert "3 sections linked to no topic (kept):" in out
    assert "  misc/exam-day.md: Exam day logistics" in out
    assert "  networking/vpc.md: VPC notes" in out
    assert "Warning: " in out and "caching-cp1252.md: line 1: not UTF-8 (byte 0x97)" in out

    stored = by_path(saa)
    assert len(stored) == FIXTURE_NOTES
    # Hidden folders and files that are not markdown are not read.
    assert {file for file, _ in stored} == {
        "caching-cp1252.md", "iam-windows.md", "kinesis.md", "misc/exam-day.md",
        "networking/vpc.md", "s3.md"}
    # Headings link what they name; the own heading scores 3.
    assert stored[("s3.md", "Amazon S3 deep dive")]["topics"] == [
        {"topic": "Amazon S3 performance", "weight": 3.0}]
    assert topics_of(stored[("networking/vpc.md", "VPC notes > Security groups vs NACLs")]) == {
        "VPC security"}
    assert topics_of(stored[("networking/vpc.md", "VPC notes > Endpoints > Direct Connect vs VPN")]) == {
        "Hybrid connectivity"}
    assert topics_of(stored[("iam-windows.md", "IAM > Roles and STS")]) == {"IAM roles and federation"}
    assert topics_of(stored[("caching-cp1252.md", "Caching — ElastiCache and DAX")]) == {
        "Read replicas and caching"}
    # Bodies: a heading naming nothing, linked by what its text names most.
    assert topics_of(stored[("s3.md", "S3 > Storage classes")]) == {"S3 storage classes and lifecycle"}
    assert topics_of(stored[("misc/exam-day.md", "Things to review")]) == {
        "Loose coupling with queues and events"}
    # Only enclosing headings name a topic: both are linked.
    assert topics_of(stored[("s3.md", "S3 > Storage classes > Glacier > Retrieval options")]) == {
        "Amazon S3 performance", "S3 storage classes and lifecycle"}
    # Code blocks and Windows paths do not link: the S3 in the IAM policy and the backup path.
    assert topics_of(stored[("iam-windows.md", "IAM")]) == {"IAM users, groups and policies"}
    assert topics_of(stored[("iam-windows.md", "IAM > Policies")]) == {"IAM users, groups and policies"}
    # Unlinked sections are kept.
    assert stored[("misc/exam-day.md", "Random thoughts")]["topics"] == []
    assert [n["path"] for n in notes(saa, "--unlinked")] == [
        "Exam day logistics", "Random thoughts", "VPC notes"]
    # The repeated heading and the long section.
    assert ("s3.md", "S3 > Performance #2") in stored
    assert stored[("kinesis.md", "Kinesis lecture transcript")]["size"] > 25_000


def test_note_show_prints_heading_source_topics_and_text(saa):
    saa("import", "notes", str(NOTES), "-c", "SAA-C03")
    note = by_path(saa)[("s3.md", "S3 > Performance")]
    out = saa("note", "show", str(note["id"])).output
    lines = out.splitlines()
    assert lines[0] == "S3 > Performance"
    assert lines[1] == "  File     s3.md"
    assert lines[2].startswith("  Goal     SAA-C03 (goal ")
    assert lines[3] == "  Topics   Amazon S3 performance (2)"
    assert lines[4] == "  Updated  2026-11-23 11:00"
    assert lines[6].startswith("Multipart upload above 100 MB")
    assert "```bash\n# not a heading\naws s3 cp" in out
    shown = json.loads(saa("note", "show", f"#{note['id']}", "--json").stdout)
    assert shown["body"].endswith("--storage-class GLACIER\n```")
    assert "no note with id 9999" in error_line(saa("note", "show", "9999", ok=False))
    assert "a note ID is a number" in error_line(saa("note", "show", "abc", ok=False))
    # Another learner sees none of it.
    assert "no note with id" in error_line(saa("note", "show", str(note["id"]), learner="other", ok=False))


def test_note_list_by_topic(saa):
    saa("import", "notes", str(NOTES), "-c", "saa-c03")
    hits = notes(saa, "--topic", "dax")  # an alias names the topic
    assert [(n["file"], n["path"]) for n in hits] == [
        ("caching-cp1252.md", "Caching — ElastiCache and DAX"), ("caching-cp1252.md", "Read replicas")]
    table = saa("note", "list", "saa-c03", "--topic", "Hybrid connectivity").output
    assert "Direct Connect vs VPN" in table and "s3.md" not in table
    assert "No notes linked to Cost-effective data transfer and migration" in saa(
        "note", "list", "saa-c03", "--topic", "snowball").output
    assert "has no topic 'snowbal'" in error_line(saa("note", "list", "saa-c03", "-T", "snowbal", ok=False))
    result = saa("note", "list", "saa-c03", "--topic", "s3", "--unlinked", ok=False)
    assert result.exit_code == 2


def test_notes_by_topic_counts_linked_notes_in_one_query(saa, ctx):
    from sqlalchemy import event

    from tracker.services.notes import list_notes, notes_by_topic

    saa("import", "notes", str(NOTES), "-c", "saa-c03")
    with ctx.session() as session:
        goal_id = notes(saa)[0]["goal_id"]
        statements = []
        engine = ctx.database.engine
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            counts = notes_by_topic(session, goal_id)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        queries = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
        assert len(queries) == 1 and "GROUP BY" in queries[0]
        from tracker.models import Goal

        views = list_notes(session, session.get(Goal, goal_id))
    expected: dict[str, int] = {}
    for view in views:
        for topic, _ in view.topics:
            expected[topic] = expected.get(topic, 0) + 1
    assert counts == expected
    assert counts["Amazon S3 performance"] == 6 and counts["Hybrid connectivity"] == 1


def test_importing_the_same_folder_again_changes_nothing(saa):
    saa("import", "notes", str(NOTES), "-c", "saa-c03")
    before = notes(saa)
    out = saa("import", "notes", str(NOTES), "-c", "saa-c03").output
    assert f"0 added, 0 updated, {FIXTURE_NOTES} unchanged, 0 removed." in out
    assert notes(saa) == before


def test_reimporting_a_changed_file_updates_removes_and_adds(saa, folder):
    saa("import", "notes", str(folder), "-c", "saa-c03")
    before = by_path(saa)
    s3 = folder / "s3.md"
    text = s3.read_text()
    text = text.replace("Bucket keys cut KMS calls.", "Bucket keys cut KMS calls. DSSE-KMS adds a layer.")
    text = text.replace("## Performance\n\nSecond section with the same heading: byte-range fetches "
                        "parallelise downloads.\n", "")
    text += "\n## Replication\n\nCRR and SRR need versioning; S3 replication is asynchronous.\n"
    s3.write_text(text)

    out = saa("import", "notes", str(folder), "-c", "saa-c03").output
    assert f"1 added, 1 updated, {FIXTURE_NOTES - 2} unchanged, 1 removed." in out
    after = by_path(saa)
    old, new = before[("s3.md", "S3 > Encryption")], after[("s3.md", "S3 > Encryption")]
    assert new["id"] == old["id"] and new["size"] > old["size"]
    assert "DSSE-KMS" in json.loads(saa("note", "show", str(new["id"]), "--json").stdout)["body"]
    assert ("s3.md", "S3 > Performance #2") not in after
    # Named once in the text and by the enclosing heading: a tie, so both.
    assert topics_of(after[("s3.md", "S3 > Replication")]) == {
        "Backups and data durability", "Amazon S3 performance"}
    unchanged = ("networking/vpc.md", "VPC notes > Endpoints")
    assert after[unchanged] == before[unchanged]
    assert len(after) == FIXTURE_NOTES


def test_a_file_emptied_loses_its_notes_but_files_not_imported_keep_theirs(saa, folder):
    saa("import", "notes", str(folder), "-c", "saa-c03")
    (folder / "misc" / "exam-day.md").write_text("")
    out = saa("import", "notes", str(folder / "misc"), "-c", "saa-c03").output
    assert "0 added, 0 updated, 0 unchanged, 3 removed." in out
    assert len(notes(saa)) == FIXTURE_NOTES - 3


def test_one_file_or_a_moved_folder_updates_the_notes_stored_before(saa, folder, tmp_path):
    saa("import", "notes", str(folder), "-c", "saa-c03")
    ids = {key: n["id"] for key, n in by_path(saa).items()}
    vpc = folder / "networking" / "vpc.md"
    vpc.write_text(vpc.read_text().replace("free.", "free of charge."))
    out = saa("import", "notes", str(vpc), "-c", "saa-c03").output
    assert "(1 file): 0 added, 1 updated, 3 unchanged, 0 removed." in out
    moved = tmp_path / "elsewhere" / "SAA-C03"
    shutil.move(folder, moved)
    out = saa("import", "notes", str(moved), "-c", "saa-c03").output
    assert f"0 added, 0 updated, {FIXTURE_NOTES} unchanged, 0 removed." in out
    assert {key: n["id"] for key, n in by_path(saa).items()} == ids


def test_a_binary_file_stops_the_whole_import(saa, folder):
    saa("import", "notes", str(folder), "-c", "saa-c03")
    before = notes(saa)
    (folder / "s3.md").write_text("# S3\nchanged\n")
    png = folder / "networking" / "diagram.md"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)))
    result = saa("import", "notes", str(folder), "-c", "saa-c03", ok=False)
    assert result.exit_code == 1
    assert error_line(result) == f"Error: {png}: not a text file (binary data at byte 8)"
    assert notes(saa) == before


def test_a_binary_file_given_alone(saa, tmp_path):
    blob = tmp_path / "photo.md"
    blob.write_bytes(bytes([0xFF, 0xD8, 0xFF, 0xE0]) + b"\x00\x10JFIF" + bytes(300))
    result = saa("import", "notes", str(blob), "-c", "saa-c03", ok=False)
    assert error_line(result) == f"Error: {blob}: not a text file (binary data at byte 4)"
    assert notes(saa) == []


def test_dry_run_writes_nothing(saa, folder):
    out = saa("import", "notes", str(folder), "-c", "saa-c03", "--dry-run").output
    assert out.startswith(f"Dry run: would import notes for SAA-C03 from {folder} (6 files): "
                          f"{FIXTURE_NOTES} added,")
    assert out.rstrip().endswith("Nothing was written (dry run).")
    assert notes(saa) == []
    saa("import", "notes", str(folder), "-c", "saa-c03")
    before = notes(saa)
    (folder / "kinesis.md").unlink()
    (folder / "s3.md").write_text("# Only this\nEBS now.\n")
    out = saa("import", "notes", str(folder), "-c", "saa-c03", "--dry-run").output
    assert "(5 files): 1 added, 0 updated, 13 unchanged, 6 removed." in out
    assert notes(saa) == before


def test_a_dry_run_for_a_new_learner_creates_nothing(cli, folder, ctx):
    from sqlalchemy import func, select

    from tracker.models import Learner

    result = cli("import", "notes", str(folder), "-c", "saa-c03", "--dry-run", ok=False)
    assert "no goal for SAA-C03" in error_line(result)
    with ctx.session() as session:
        assert session.execute(select(func.count()).select_from(Learner)).scalar_one() == 0


@pytest.mark.parametrize(("args", "message"), [
    (("import", "notes", "{tmp}/nope", "-c", "saa-c03"), "{tmp}/nope: no such file or folder"),
    (("import", "notes", "{tmp}/empty", "-c", "saa-c03"), "{tmp}/empty: no markdown files"),
    (("import", "notes", "{notes}", "-c", "clf-c02"), "no goal for CLF-C02"),
    (("import", "notes", "{notes}", "-c", "zzz-c99"), "unknown exam code 'zzz-c99'"),
    (("note", "list", "clf-c02"), "no goal for CLF-C02"),
])
def test_errors_are_one_line(saa, tmp_path, args, message):
    (tmp_path / "empty").mkdir()
    fill = {"tmp": str(tmp_path), "notes": str(NOTES)}
    result = saa(*(a.format(**fill) for a in args), ok=False)
    assert result.exit_code == 1
    assert message.format(**fill) in error_line(result)


def test_import_requires_the_cert(saa):
    result = saa("import", "notes", str(NOTES), ok=False)
    assert result.exit_code == 2 and "--cert" in result.output


def test_notes_belong_to_the_goal_named(saa, folder):
    saa("goal", "add", "CLF-C02")
    saa("import", "notes", str(folder / "networking"), "-c", "clf-c02")
    clf = json.loads(saa("note", "list", "clf-c02", "--json").stdout)
    # CLF-C02 has VPC as an alias, so the intro section is linked there.
    assert topics_of(clf[0]) == {"Networking with Amazon VPC"}
    assert notes(saa) == []
    assert "No notes yet for SAA-C03." in saa("note", "list", "saa-c03").output


def test_an_import_costs_a_few_statements_however_many_notes(saa, ctx, folder):
    """One query loads the stored notes; changes go in bulk, never a statement per note."""
    from sqlalchemy import event

    from tracker import clock
    from tracker.importers.notes import read_notes
    from tracker.services.notes import goal_and_exam, import_notes

    def run() -> tuple[list[str], object]:
        statements: list[str] = []
        engine = ctx.database.writer

        def listener(conn, cursor, statement, *args):
            statements.append(statement.split()[0].upper())

        event.listen(engine, "before_cursor_execute", listener)
        try:
            with ctx.session(write=True) as session:
                goal, exam = goal_and_exam(session, ctx.learner_id(session), "saa-c03", ctx.catalog)
                statements.clear()
                report = import_notes(session, goal, exam, read_notes(folder), dry_run=False,
                                      now=clock.now())
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return [s for s in statements if s in ("SELECT", "INSERT", "UPDATE", "DELETE")], report

    statements, report = run()
    assert report.added == FIXTURE_NOTES
    assert statements == ["SELECT", "INSERT", "SELECT", "INSERT"]
    (folder / "s3.md").write_text((folder / "s3.md").read_text().replace("Bulk", "Bulk (cheapest)")
                                  .replace("## Encryption", "## Encryption at rest"))
    statements, report = run()
    assert (report.added, report.updated, report.removed) == (1, 1, 1)
    assert statements.count("SELECT") == 2 and len(statements) <= 8
