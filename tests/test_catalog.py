"""Exam catalogs: the shipped files agree with our collected facts; bad files
are refused with one line naming the file and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.catalog import load_catalog, read_exam_file, shipped_content_dir
from tracker.errors import CatalogError, NotFound

REQUIRED_CODES = {
    "CLF-C02", "SAA-C03", "DVA-C02", "MLS-C01", "MLA-C01", "AIF-C01", "DEA-C01", "DAS-C01",
    "DBS-C01", "AZ-900", "AI-900", "DP-100", "DP-203", "GCP-PMLE", "GCP-ACE",
}
SHARED_FACTS = Path(__file__).resolve().parents[2] / "shared" / "exams.yaml"
GOOGLE_CODES = {"Professional Machine Learning Engineer": "GCP-PMLE",
                "Associate Cloud Engineer": "GCP-ACE"}

VALID = """\
code = "TST-C01"
vendor = "Test"
name = "Test Exam"
level = "Associate"
status = "active"
pass_mark = 700
score_min = 100
score_max = 1000
validity_years = 3

[[domains]]
name = "First"
weight = 60

[[domains.topics]]
name = "Kinesis"
aliases = ["KDS", "Firehose"]

[[domains]]
name = "Second"
weight = 40

[[domains.topics]]
name = "Glue"
"""


def test_every_required_exam_ships_and_loads():
    catalog = load_catalog()
    assert {e.code for e in catalog} >= REQUIRED_CODES
    for exam in catalog:
        assert exam.domains and all(d.topics for d in exam.domains), exam.code
        assert exam.source.parent == shipped_content_dir() / "catalogs"


def test_mls_c01_weights_as_the_guide_gives_them():
    exam = load_catalog().exam("mls-c01")
    assert [(d.name, d.weight_min) for d in exam.domains] == [
        ("Data Engineering", 20), ("Exploratory Data Analysis", 24), ("Modeling", 36),
        ("Machine Learning Implementation and Operations", 20)]
    assert exam.pass_mark == 750 and exam.status == "retired"


@pytest.mark.skipif(not SHARED_FACTS.exists(), reason="shared/exams.yaml is not beside the checkout")
def test_catalogs_match_the_collected_facts():
    yaml = pytest.importorskip("yaml")
    facts = yaml.safe_load(SHARED_FACTS.read_text(encoding="utf-8"))
    catalog = load_catalog()
    for fact in facts:
        code = GOOGLE_CODES.get(fact["exam_code"], fact["exam_code"])
        exam = catalog.exam(code)
        assert exam.vendor == fact["vendor"], code
        assert exam.status == fact["status"], code
        assert exam.pass_mark == fact["passing_score"], code
        assert exam.minutes == fact.get("duration_minutes"), code
        assert exam.price_usd == fact.get("price_usd"), code
        assert exam.validity_years == fact.get("validity_years"), code
        assert exam.questions == fact.get("questions"), code
        retired_on = fact.get("retirement_date")
        assert (exam.status_date.isoformat() if exam.status_date else None) == retired_on, code
        assert [(d.name, d.weight_min, d.weight_max) for d in exam.domains] == [
            (d["name"], d["weight_min"], d["weight_max"]) for d in fact["domains"]], code


def test_topics_by_name_or_alias_in_any_case():
    exam = read_exam_file(_write(VALID))
    assert exam.topic("kds").name == "Kinesis"
    assert exam.topic("  FIREHOSE ").name == "Kinesis"
    assert exam.domain_of("firehose").name == "First"
    with pytest.raises(NotFound, match="closest: Kinesis"):
        exam.topic("Kinesiss")


def test_domains_by_number_name_or_prefix():
    exam = read_exam_file(_write(VALID))
    assert exam.domain("2").name == "Second"
    assert exam.domain("fir").name == "First"
    with pytest.raises(NotFound):
        exam.domain("3")


def test_unknown_code_suggests_close_ones():
    with pytest.raises(NotFound, match="did you mean .*MLS-C01"):
        load_catalog().exam("MLS-C1")


_tmp_counter = iter(range(10**6))


def _write(text: str, folder: Path | None = None) -> Path:
    import tempfile

    folder = folder or Path(tempfile.mkdtemp())
    path = folder / f"exam{next(_tmp_counter)}.toml"
    path.write_text(text, encoding="utf-8")
    return path


BAD_FILES = [
    ('code = "TST-C01"\n', "vendor: missing"),
    (VALID.replace('level = "Associate"\n', ""), "level: missing"),
    (VALID.replace("weight = 40", "weight = 30"), "domains: weights sum to 90, not 100"),
    (VALID.replace('name = "Glue"', 'name = "kinesis"'), "domains[1].topics[0].name: duplicate topic name"),
    (VALID.replace('name = "Glue"', 'name = "Glue"\naliases = ["kds"]'),
     "domains[1].topics[0].aliases[0]: duplicate alias 'kds'"),
    (VALID.replace("pass_mark = 700", 'pass_mark = "700"'), "pass_mark: must be an integer, not a string"),
    (VALID.replace('status = "active"', 'status = "gone"'), "status: must be one of"),
    (VALID.replace("weight = 60", 'weight = "60%"'), "domains[0].weight: must be a number"),
    (VALID.replace("weight = 60", "weight = 60\ncolour = 1"), "domains[0].colour: unknown field"),
    (VALID.replace('name = "Second"', 'name = "first"'), "domains[1].name: duplicate domain"),
    (VALID + "\n[[oops\n", "invalid TOML"),
    (VALID.replace("score_min = 100\n", ""), "score_min: give score_min and score_max together"),
    (VALID.replace("weight = 60", "weight_min = 70\nweight_max = 60"),
     "domains[0].weight_max: must not be below weight_min"),
]


@pytest.mark.parametrize(("text", "message"), BAD_FILES)
def test_bad_catalog_files_name_the_file_and_field(text, message):
    path = _write(text)
    with pytest.raises(CatalogError) as info:
        read_exam_file(path)
    assert str(info.value).startswith(f"{path}: ")
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_file_that_is_not_text(tmp_path):
    path = tmp_path / "binary.toml"
    path.write_bytes(b"code = \"X\"\n\xff\xfe\x00garbage")
    with pytest.raises(CatalogError, match=r"binary.toml: line 2: not UTF-8 text"):
        read_exam_file(path)


def test_ranges_may_bracket_100(tmp_path):
    text = VALID.replace("weight = 60", "weight_min = 55\nweight_max = 65").replace(
        "weight = 40", "weight_min = 35\nweight_max = 40")
    exam = read_exam_file(_write(text, tmp_path))
    assert exam.domains[0].weight_text() == "55–65%"
    bad = text.replace("weight_max = 40", "weight_max = 36").replace("weight_max = 65", "weight_max = 60")
    with pytest.raises(CatalogError, match="cannot sum to 100"):
        read_exam_file(_write(bad, tmp_path))


def test_user_folder_adds_exams_and_duplicates_are_refused(tmp_path):
    _write(VALID, tmp_path)
    catalog = load_catalog([tmp_path])
    assert catalog.exam("tst-c01").name == "Test Exam"
    second = _write(VALID, tmp_path)
    with pytest.raises(CatalogError, match=rf"{second.name}: code: 'TST-C01' is already defined"):
        load_catalog([tmp_path])


def test_user_folder_cannot_redefine_a_shipped_code(tmp_path):
    path = _write(VALID.replace("TST-C01", "mls-c01"), tmp_path)
    with pytest.raises(CatalogError, match=rf"{path}: code: 'MLS-C01' is already defined"):
        load_catalog([tmp_path])


def test_missing_user_folder(tmp_path):
    with pytest.raises(CatalogError, match="catalog folder does not exist"):
        load_catalog([tmp_path / "nope"])


def test_cache_is_used_and_refreshed_when_a_file_changes(tmp_path):
    import os

    path = _write(VALID, tmp_path)
    first = load_catalog([tmp_path])
    assert first.exam("TST-C01").name == "Test Exam"
    cache = Path(os.environ["XDG_CACHE_HOME"]) / "certjourney" / "catalog.pickle"
    assert cache.exists()
    path.write_text(VALID.replace("Test Exam", "Renamed Exam"), encoding="utf-8")
    os.utime(path, ns=(1, 1))  # a different mtime even on coarse clocks
    assert load_catalog([tmp_path]).exam("TST-C01").name == "Renamed Exam"
    path.write_text(VALID.replace("weight = 40", "weight = 10"), encoding="utf-8")
    with pytest.raises(CatalogError, match="weights sum to 70"):
        load_catalog([tmp_path])


def test_domains_by_a_word_inside_their_name():
    exam = load_catalog().exam("SAA-C03")
    assert exam.domain("secure").name == "Design Secure Architectures"
    assert exam.domain("cost").name == "Design Cost-Optimized Architectures"
    with pytest.raises(NotFound, match="matches several"):
        exam.domain("design")


def test_cli_refuses_a_bad_user_catalog_with_one_line(cli, tmp_path):
    from helpers import error_line

    bad = _write(VALID.replace("weight = 40", "weight = 30"), tmp_path)
    result = cli("--catalog-dir", str(tmp_path), "catalog", "list", ok=False)
    line = error_line(result)
    assert str(bad) in line and "weights sum to 90, not 100" in line
    import os

    os.environ["CERTJOURNEY_CATALOGS"] = str(tmp_path)
    try:
        result = cli("goal", "add", "SAA-C03", ok=False)
        assert "weights sum to 90" in error_line(result)
    finally:
        del os.environ["CERTJOURNEY_CATALOGS"]
