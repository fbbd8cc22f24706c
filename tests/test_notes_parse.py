"""Reading markdown notes into sections, and linking sections to topics (no database)."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from tracker.catalog import load_catalog
from tracker.errors import ImportFailed
from tracker.importers.notes import (
    TOP_ANCHOR,
    TopicMatcher,
    decode_notes,
    markdown_files,
    plain_text,
    read_notes,
    split_sections,
)

NOTES = Path(__file__).parent / "data" / "notes" / "SAA-C03"


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(use_cache=False)


@pytest.fixture(scope="module")
def saa(catalog):
    return TopicMatcher(catalog.exam("SAA-C03").topics)


def sections(text: str, title: str = "notes"):
    return split_sections(text, title)[1]


def anchors(text: str) -> list[str]:
    return [s.anchor for s in sections(text)]


# --- headings and sections --------------------------------------------------------

def test_atx_headings_make_a_heading_path_and_repeats_are_numbered():
    text = (
        "# Kinesis #\nstreams\n"
        "## Firehose\nbuffers\n"
        "### Limits ###\n1 MB\n"
        "## Firehose\nagain\n"
        "# Kinesis\nsecond top\n"
        "####### seven hashes is text\n#hashtag is text\n"
    )
    found = sections(text)
    assert [s.anchor for s in found] == [
        "Kinesis", "Kinesis > Firehose", "Kinesis > Firehose > Limits",
        "Kinesis > Firehose #2", "Kinesis #2",
    ]
    assert [s.level for s in found] == [1, 2, 3, 2, 1]
    assert found[2].heading == "Limits" and found[2].ancestors == ("Kinesis", "Firehose")
    assert found[4].body == "second top\n####### seven hashes is text\n#hashtag is text"
    assert [s.position for s in found] == [0, 1, 2, 3, 4]
    assert [s.line for s in found] == [1, 3, 5, 7, 9]


def test_a_shallower_heading_closes_the_deeper_ones():
    assert anchors("### Deep\na\n# Top\nb\n## Mid\nc\n") == ["Deep", "Top", "Top > Mid"]


def test_code_html_and_comments_never_hold_headings():
    text = (
        "# Real\n"
        "```bash\n# not a heading\n```\n"
        "~~~~\n```\n# still code\n~~~~\n"
        "    # indented code\n\n"
        "<div>\n# raw html block\n</div>\n\n"
        "<!--\n# in a comment\n\n# still in it\n-->\n"
        "Text\n\n"
        "## Next\nbody\n"
    )
    found = sections(text)
    assert [s.anchor for s in found] == ["Real", "Real > Next"]
    assert "# not a heading" in found[0].body and "# still in it" in found[0].body


def test_html_blocks_follow_commonmark():
    text = (
        "# A\n"
        "<details><summary>Answer</summary>\n```\nan unclosed fence in html\n</details>\n\n"
        "<pre>\n# pre\n\n# still pre\n</pre>\n"
        "<b>Bold</b> starts a paragraph\n"
        "# B\n"
        "<img src='x.png'>\n"         # a lone tag: an HTML block up to the blank line
        "# not C\n\n"
        "<!-- one line -->\n"
        "# D\nd\n"
    )
    found = sections(text)
    assert [s.anchor for s in found] == ["A", "B", "D"]
    assert "# still pre" in found[0].body
    assert found[1].body == "<img src='x.png'>\n# not C\n\n<!-- one line -->"


def test_an_unclosed_fence_runs_to_the_end_like_a_renderer_shows_it():
    assert anchors("# A\n```\n# inside\n") == ["A"]


def test_setext_headings_and_thematic_breaks():
    text = (
        "Big title\n=========\nintro\n\n"
        "Sub part\n--------\nbody\n\n"
        "---\n\nafter a break\n\n"          # after a blank line: a thematic break
        "- a list item\n---\n"              # after a list: a break as well
        "Two line\nheading\n---\nunder it\n"
        "| a | b |\n|---|---|\n"              # a table's delimiter row is no underline
    )
    found = sections(text)
    assert [s.anchor for s in found] == [
        "Big title", "Big title > Sub part", "Big title > Two line heading",
    ]
    assert found[1].body == "body\n\n---\n\nafter a break\n\n- a list item\n---"
    assert found[2].line == 15 and found[2].body.startswith("under it")


def test_front_matter_is_skipped_and_gives_the_title_of_the_text_before_any_heading():
    text = "---\ntitle: 'My **S3** notes'\ntags: [aws]\n---\nIntro text.\n\n# S3\nbody\n"
    title, found = split_sections(text, "s3-notes")
    assert title == "My S3 notes"
    assert [(s.anchor, s.heading, s.level, s.line) for s in found] == [
        (TOP_ANCHOR, "My S3 notes", 0, 5), ("S3", "S3", 1, 7)]
    assert "tags" not in found[0].body


def test_without_front_matter_the_title_is_the_file_name_and_a_lone_rule_is_not_front_matter():
    title, found = split_sections("---\nJust a rule above.\n", "week_3-notes")
    assert title == "week 3-notes"
    assert found[0].body == "---\nJust a rule above."
    assert split_sections("+++\ntitle = \"Hugo\"\n+++\nx\n", "f")[0] == "Hugo"


def test_empty_sections_are_skipped_but_still_name_their_children():
    found = sections("\n\n# Storage\n\n## EBS\nvolumes\n# Empty\n   \n")
    assert [s.anchor for s in found] == ["Storage > EBS"]


def test_headings_are_plain_text():
    found = sections("## **Bold** [link](http://x) `code` <b>tag</b> C# ##\nx\n#\nno heading text\n")
    assert found[0].heading == "Bold link code tag C#"
    assert found[1].heading == "(untitled)"


def test_section_text_is_kept_as_written():
    body = ("| Service | Use |\n|---|---|\n| S3 | objects |\n\n<details><summary>x</summary>\n\n"
            "![missing](img/nope.png)\n</details>\n\n```\ncode\n```\n\nQ: What is S3?\nA: Object storage.")
    [found] = sections(f"# S3\n\n\n{body}\n\n\n")
    assert found.body == body


def test_a_very_long_section_is_kept_whole():
    line = "Kinesis shards take 1 MB/s in and 2 MB/s out. " * 4
    body = "\n".join(f"{i}. {line}" for i in range(5000))
    [found] = sections(f"# Transcript\n{body}\n")
    assert found.body == body and len(found.body) > 900_000


def test_the_content_hash_follows_heading_and_text():
    a, b, c = (sections(t)[0] for t in ("# A\nx\n", "# A\nx\n\n", "# B\nx\n"))
    assert a.content_hash == b.content_hash != c.content_hash


# --- files and decoding -------------------------------------------------------------

def test_a_folder_is_read_recursively_sorted_without_hidden_files():
    assert markdown_files(NOTES) == [
        "caching-cp1252.md", "iam-windows.md", "kinesis.md", "misc/exam-day.md",
        "networking/vpc.md", "s3.md",
    ]


def test_the_fixture_notes(saa):
    parsed = read_notes(NOTES, "notes")
    files = {f.source: f for f in parsed.files}
    s3 = files["s3.md"]
    assert s3.title == "Amazon S3 deep dive"
    assert [s.anchor for s in s3.sections] == [
        TOP_ANCHOR, "S3 > Storage classes", "S3 > Storage classes > Glacier > Retrieval options",
        "S3 > Performance", "S3 > Encryption", "S3 > Performance #2",
    ]
    assert "# not a heading" in s3.sections[3].body
    assert "C:\\Users\\me\\notes\\img\\s3-glacier.png" in s3.sections[2].body
    vpc = files["networking/vpc.md"]
    assert [s.anchor for s in vpc.sections] == [
        "VPC notes", "VPC notes > Security groups vs NACLs", "VPC notes > Endpoints",
        "VPC notes > Endpoints > Direct Connect vs VPN",
    ]
    iam = files["iam-windows.md"]
    assert [s.anchor for s in iam.sections] == [
        "IAM", "IAM > Policies", "IAM > Roles and STS", "IAM > Roles and STS > Identity Center"]
    assert "\r" not in iam.sections[0].body
    cp = files["caching-cp1252.md"]
    assert cp.sections[0].heading == "Caching — ElastiCache and DAX"
    assert "Café" in cp.sections[0].body and "“Redis”" in cp.sections[0].body
    assert parsed.warnings == [
        f"{Path('notes', 'caching-cp1252.md')}: line 1: not UTF-8 (byte 0x97); "
        "read such bytes as Windows-1252"]
    assert len(files["kinesis.md"].sections[0].body) > 25_000


def test_a_single_file_is_named_by_its_file_name(tmp_path):
    path = tmp_path / "deep" / "notes.txt"
    path.parent.mkdir()
    path.write_text("# S3\nx\n")
    parsed = read_notes(path)
    assert [f.source for f in parsed.files] == ["notes.txt"] and not parsed.is_folder


def test_missing_paths_and_folders_without_markdown(tmp_path):
    with pytest.raises(ImportFailed, match="nope: no such file or folder"):
        read_notes(tmp_path / "nope", "nope")
    (tmp_path / "a.txt").write_text("# x")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "b.md").write_text("# x")
    with pytest.raises(ImportFailed, match=r"no markdown files \(\*\.md, \*\.markdown\) in this folder"):
        read_notes(tmp_path, "folder")


@pytest.mark.parametrize("data", [
    "# Café\nnaïve\n".encode("utf-8-sig"),
    codecs.BOM_UTF16_LE + "# Café\nnaïve\n".encode("utf-16-le"),
    codecs.BOM_UTF16_BE + "# Café\r\nnaïve\r\n".encode("utf-16-be"),
    "# Café\r\nnaïve\r\n".encode(),
    "# Café\rnaïve\r".encode(),
])
def test_decoding_utf8_utf16_and_line_endings(data):
    text, warning = decode_notes(data, "f.md")
    assert text == "# Café\nnaïve\n" and warning is None


def test_bytes_that_are_not_utf8_are_read_as_windows_1252_each_where_it_is():
    data = "# Café ok\n".encode() + "smart “quotes” and é\n".encode("cp1252")
    text, warning = decode_notes(data, "notes/x.md")
    assert text == "# Café ok\nsmart “quotes” and é\n"
    assert warning == "notes/x.md: line 2: not UTF-8 (byte 0x93); read such bytes as Windows-1252"


@pytest.mark.parametrize(("data", "at"), [
    (b"# Notes\n\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 16),
    (b"\x00\x01\x02", 0),
    (bytes(range(1, 9)) * 20 + b"# text", 0),
    (codecs.BOM_UTF16_LE + "# a\n\0b".encode("utf-16-le"), 10),
])
def test_binary_data_is_refused_naming_the_first_bad_byte(data, at):
    with pytest.raises(ImportFailed) as caught:
        decode_notes(data, "notes/img.md")
    assert str(caught.value) == f"notes/img.md: not a text file (binary data at byte {at})"


def test_a_few_stray_control_characters_are_still_text():
    text, warning = decode_notes(b"# Terminal paste\n\x1b[32mgreen\x1b[0m and a \x08 backspace\f\n", "t.md")
    assert text.startswith("# Terminal paste") and warning is None


# --- matching topics ------------------------------------------------------------------

def test_plain_text_drops_urls_paths_tags_and_code_but_keeps_link_and_alt_text():
    text = plain_text(
        "See [the S3 FAQ](https://aws.amazon.com/s3/faqs/) and <https://x.io/kinesis>.\n"
        "![KMS diagram](C:\\Users\\me\\img\\kms.png) <img src='iam.png'> <b>Bold</b>\n"
        "Synced to D:\\OneDrive\\notes\\sqs and notes\\sns\\x.md, www.ec2.example.com\n"
        "`aws s3 ls` then\n```\nDynamoDB in code\n```\n<!-- RDS hidden -->__EBS__ and s3_bucket"
    )
    words = text.split()
    assert "S3" in words and "FAQ" in words and "KMS" in words and "Bold" in words
    assert "EBS" in words and "s3_bucket" in words
    for gone in ("faqs", "kinesis", "kms.png", "iam.png", "sqs", "sns", "ec2", "s3", "DynamoDB", "RDS"):
        assert not any(gone in w for w in words if w not in ("S3", "s3_bucket")), gone


def test_topic_names_and_aliases_match_as_whole_words_in_any_case(saa):
    found = saa.mentions("s3, S3's and Amazon S3; not S30, XS3 or s3_bucket. Lambdas, multi az, Multi-AZ.")
    assert found == {"Amazon S3 performance": 3, "Containers and serverless": 1,
                     "Multi-AZ and multi-Region design": 2}


def test_the_longest_name_wins_where_names_overlap(saa):
    assert saa.mentions("S3 Glacier then S3 Lifecycle then plain S3") == {
        "S3 storage classes and lifecycle": 2, "Amazon S3 performance": 1}


def test_names_with_punctuation(catalog):
    mla = TopicMatcher(catalog.exam("MLA-C01").topics)
    assert mla.mentions("CI/CD for ML, A/B testing, L1/L2 and X-Ray (x ray)") == {
        "CI/CD for ML": 1, "A/B testing in production": 1, "Regularization and ensembles": 1,
        "Observability with CloudWatch and X-Ray": 2}
    assert mla.mentions("CI CD, AB testing") == {}


def link(saa, text: str, title: str = "notes") -> list[dict[str, float]]:
    title, found = split_sections(text, title)
    return [saa.link(s, title) for s in found]


def test_the_own_heading_counts_most_and_passing_mentions_do_not_link(saa):
    [links] = link(saa, "# Kinesis\nKinesis shards. Kinesis retention. Firehose writes to S3.\n")
    assert links == {"Data ingestion and transformation": 5.0}


def test_near_best_body_mentions_link_too(saa):
    [links] = link(saa, "# Week 3\nSQS and SNS decouple; DynamoDB or RDS? DynamoDB.\n")
    assert links == {"Loose coupling with queues and events": 2.0, "Choosing a database engine": 3.0}


def test_an_enclosing_heading_links_when_nothing_does_better(saa):
    text = "# DynamoDB\nintro\n## Limits\n400 KB items\n## Caching\nDAX in front. DAX again. DAX!\n"
    intro, limits, caching = link(saa, text)
    assert limits == {"Choosing a database engine": 1.0}
    assert caching == {"Read replicas and caching": 3.0}


def test_the_file_title_names_the_topic_of_its_first_text_and_frames_the_rest(saa):
    top, section = link(saa, "About buckets.\n# Replication\nCRR needs versioning.\n", "s3")
    assert top == {"Amazon S3 performance": 3.0}
    assert section == {"Amazon S3 performance": 1.0}


def test_code_and_paths_do_not_link(saa):
    [links] = link(saa, "# Policy example\n```json\n{\"Action\": \"s3:GetObject\"}\n```\n"
                        "Saved as C:\\Users\\me\\notes\\iam\\s3-policy.json\n")
    assert links == {}
