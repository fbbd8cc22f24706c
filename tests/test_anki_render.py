"""Rendering cards for Anki: the forked helpers give what one process gives, the
direct cmark-gfm calls give what cmarkgfm's own wrapper gives, and the plain-text
fast path (clozes included) gives what the full path gives."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exporters import anki

GOLDEN = Path(__file__).parent / "golden"

HOSTILE = """\
---
exam: SAA-C03
topic: VPC security
---

Q: <script>alert(1)</script>What does <b onclick="x()">this</b> do? <img src=x onerror=alert(1)>
A: [click](javascript:alert(1)) <a href="JaVaScRiPt:alert(2)">b</a> <svg onload=alert(3)></svg>

C: {{c1::<span onmouseover="y()">stateful</span>}} or {{c2::stateless}}
Extra: <iframe src="https://evil.example"></iframe><style>body{}</style>![p](data:text/html,x)
"""


def _cards():
    """The golden cards (images found, missing and remote), hostile ones, and many more."""
    from tracker.cards import make_card, parse_card_text
    from tracker.catalog import load_catalog

    catalog = load_catalog(use_cache=False)
    golden = parse_card_text((GOLDEN / "anki_fields.md").read_text(encoding="utf-8"), "anki_fields.md",
                             catalog, base_dir=str(GOLDEN))
    hostile = parse_card_text(HOSTILE, "hostile.md", catalog, base_dir=str(GOLDEN))
    assert golden.problems == [] and hostile.problems == []
    exam = catalog.exam("SAA-C03")
    more = []
    for i in range(120):
        topic = exam.topics[i % len(exam.topics)]
        if i % 3 == 0:
            more.append(make_card(exam, topic, "cloze", f"Card {i}: {{{{c1::NAT}}}} in {{{{c2::{i}}}}}",
                                  "", source="gen.md", line=i))
        else:
            more.append(make_card(exam, topic, "basic", f"Q{i} about *{topic.name}*?",
                                  f"- a `{i}`\n- ![i](../data/cards/SAA-C03/img/sg.png)",
                                  source="gen.md", line=i, base_dir=str(GOLDEN)))
    cards = golden.cards + hostile.cards + more
    # The mix must hold images found and missing, or this test proves less than it says.
    rendered = [anki.render_card(c) for c in cards]
    assert any(r.media for r in rendered) and any(r.missing for r in rendered)
    return cards


@pytest.fixture(scope="module")
def cards():
    return _cards()


@pytest.fixture
def forks(monkeypatch):
    """The pids of the helpers forked (recorded in this process)."""
    pids: list[int] = []
    real_fork = os.fork

    def fork():
        pid = real_fork()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    return pids


def _assert_reaped(pids):
    for pid in pids:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
@pytest.mark.parametrize("helpers", [1, 2, 3])
def test_forked_helpers_render_exactly_what_one_process_renders(cards, forks, monkeypatch, helpers):
    collected = []
    real_collect = anki._collect
    monkeypatch.setattr(anki, "_collect", lambda h, n: collected.append(real_collect(h, n)) or collected[-1])
    expected = [anki.render_card(c) for c in cards]
    assert list(anki.render_cards(cards, helpers=helpers)) == expected
    assert len(forks) == helpers
    assert len(collected) == helpers and all(r is not None for r in collected)   # no fallback
    _assert_reaped(forks)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
def test_a_failing_helper_s_cards_are_rendered_here(cards, forks, monkeypatch):
    parent = os.getpid()
    real_render = anki.render_card

    def render_here_only(card):
        if os.getpid() != parent:
            raise RuntimeError("helper broke")
        return real_render(card)

    monkeypatch.setattr(anki, "render_card", render_here_only)
    assert list(anki.render_cards(cards, helpers=2)) == [real_render(c) for c in cards]
    assert len(forks) == 2
    _assert_reaped(forks)


def test_no_fork_from_a_process_with_other_threads(cards, forks, monkeypatch):
    """The TUI exports from a worker thread: forking there could copy a held lock."""
    monkeypatch.setattr(anki, "PARALLEL_MIN_CARDS", 2)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)
    monkeypatch.setattr(os, "getloadavg", lambda: (0.2, 0.2, 0.2))
    results = []
    worker = threading.Thread(target=lambda: results.append(list(anki.render_cards(cards))))
    worker.start()
    worker.join()
    assert results == [[anki.render_card(c) for c in cards]]
    assert forks == []
    if hasattr(os, "fork") and sys.platform.startswith("linux") and threading.active_count() == 1:
        assert anki.helpers_for(len(cards)) == 3        # the same call, single-threaded, forks


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="helpers only on Linux")
def test_helpers_only_for_free_cores_and_many_cards(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    many = 10 * anki.PARALLEL_MIN_CARDS
    monkeypatch.setattr(os, "getloadavg", lambda: (0.9, 0.9, 0.9))     # this process alone
    assert anki.helpers_for(many) == 1
    assert anki.helpers_for(anki.PARALLEL_MIN_CARDS - 1) == 0
    monkeypatch.setattr(os, "getloadavg", lambda: (2.1, 2.0, 1.5))     # the other core is taken
    assert anki.helpers_for(many) == 0
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3, 4, 5, 6, 7})
    assert anki.helpers_for(many) == anki.MAX_HELPERS


def test_few_cards_are_rendered_in_process(cards, forks):
    assert anki.helpers_for(anki.PARALLEL_MIN_CARDS - 1) == 0
    assert list(anki.render_cards(cards[:3])) == [anki.render_card(c) for c in cards[:3]]
    assert forks == []


# --- cmark-gfm called directly --------------------------------------------------------------

SAMPLES = [
    "", "plain", "**bold** and _em_ ~~gone~~", "| a | b |\n|---|---|\n| 1 | 2 |",
    "see www.example.com and https://x.org/a?b=c and a@b.com", "```py\nx = 1\n```",
    "<script>alert(1)</script><b onclick=x>y</b>", "1. one\n2. two\n\n> quote", "ä ö ü — 😀",
    "{{c1::a **b**}} and {{c2::c::hint}}", "<!-- c -->\n<div>raw</div>", "x\x00y", "[l](javascript:x)",
]


def _cmarkgfm_wrapper(text: str) -> str:
    import cmarkgfm

    return cmarkgfm.markdown_to_html_with_extensions(
        text, options=anki._CMARK_OPTIONS, extensions=anki._CMARK_EXTENSIONS)


@pytest.mark.parametrize("text", SAMPLES)
def test_direct_cmark_calls_match_cmarkgfm_s_wrapper(text):
    assert anki._md_to_html(text) == _cmarkgfm_wrapper(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=120))
def test_direct_cmark_calls_match_cmarkgfm_s_wrapper_on_any_text(text):
    assert anki._md_to_html(text) == _cmarkgfm_wrapper(text)


# --- the plain-text fast path: clozes -------------------------------------------------------

@pytest.mark.parametrize("text", [
    "An {{c1::Application Load Balancer}} works at layer {{c2::7}} (card 12).",
    "{{c1::x::a hint}}", "{a} {{b}} }} {{", "Question 3 about VPC security: what does {x} do?",
    "{{c1::1}}. starts like a list?", "- {{c1::x}}",
])
def test_cloze_text_takes_the_fast_path_with_the_same_html(text):
    full = anki._CLEANER.clean(anki._md_to_html(text.strip())).strip().replace("\x1f", "")
    assert anki.render_markdown(text) == full


@pytest.mark.parametrize("text", [
    "See https://docs.aws.amazon.com/s3/ for limits.", "docs at www.example.com",
    "mail support@example.com", "Also HTTP://EXAMPLE.COM",
])
def test_text_with_a_bare_link_is_linked_as_the_full_path_links_it(text):
    full = anki._CLEANER.clean(anki._md_to_html(text.strip())).strip().replace("\x1f", "")
    assert "<a " in full
    assert anki.render_markdown(text) == full


@given(st.text(alphabet="abw.:/@{}- 1xyz", max_size=40))
def test_fast_path_gives_what_the_full_path_gives_on_any_plain_looking_text(text):
    full = anki._CLEANER.clean(anki._md_to_html(text.strip())).strip().replace("\x1f", "")
    assert anki.render_markdown(text) == full


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
def test_helpers_are_reaped_when_the_caller_stops_early(cards, forks):
    rendered = anki.render_cards(cards, helpers=2)
    assert next(rendered) == anki.render_card(cards[0])
    rendered.close()
    assert len(forks) == 2
    _assert_reaped(forks)
