"""Properties of the weak-area formula, checked with hypothesis."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from tracker.services.weakness import TopicEvidence, rank, reasons, score

TODAY = date(2026, 11, 23)

evidence = st.builds(
    TopicEvidence,
    cert=st.just("MLS-C01"),
    domain=st.sampled_from(["Data Engineering", "Modeling"]),
    topic=st.just("Kinesis"),
    domain_weight=st.sampled_from([20.0, 24.0, 36.0]),
    max_domain_weight=st.just(36.0),
    expected_seconds=st.floats(0, 200_000),
    seconds=st.integers(0, 400_000),
    domain_share=st.floats(0, 1),
    practice_score=st.none() | st.floats(0, 100),
    confidence=st.none() | st.integers(1, 5),
    resource_progress=st.floats(0, 1),
    resources=st.integers(0, 5),
    notes=st.integers(0, 10),
    anki_again=st.none(),
    anki_answers=st.none(),
)


@given(evidence, st.integers(1, 100_000))
def test_more_hours_never_make_a_topic_weaker(ev, extra):
    assert score(replace(ev, seconds=ev.seconds + extra)) <= score(ev) + 1e-9


@given(evidence, st.floats(0, 100))
def test_a_lower_practice_score_never_makes_it_stronger(ev, lower):
    if ev.practice_score is None:
        return
    worse = replace(ev, practice_score=min(lower, ev.practice_score))
    assert score(worse) >= score(ev) - 1e-9


@given(evidence, st.integers(1, 5))
def test_a_higher_confidence_never_makes_it_weaker(ev, higher):
    if ev.confidence is None:
        return
    better = replace(ev, confidence=max(higher, ev.confidence))
    assert score(better) <= score(ev) + 1e-9


@given(evidence, st.integers(0, 5), st.floats(0, 1))
def test_more_notes_or_resource_progress_never_make_it_weaker(ev, more_notes, progress):
    better = replace(ev, notes=ev.notes + more_notes,
                     resource_progress=max(ev.resource_progress, progress))
    assert score(better) <= score(ev) + 1e-9


@given(st.sampled_from([20.0, 24.0, 36.0]), st.sampled_from([20.0, 24.0, 36.0]),
       st.floats(72, 100), st.integers(4, 5), st.floats(0, 200_000), st.integers(0, 200_000))
def test_no_evidence_ranks_above_a_well_covered_topic(w_bare, w_covered, practice, confidence,
                                                      expected, surplus):
    bare = TopicEvidence("MLS-C01", "A", "Bare", w_bare, 36.0, expected_seconds=expected)
    covered = TopicEvidence(
        "MLS-C01", "B", "Covered", w_covered, 36.0, expected_seconds=expected,
        seconds=int(expected) + surplus, domain_share=w_covered / 100, practice_score=practice,
        confidence=confidence, resource_progress=1.0, resources=2, notes=3,
    )
    ranked = rank([covered, bare], TODAY)
    assert [w.topic for w in ranked] == ["Bare", "Covered"]


def test_reasons_speak_plainly():
    ev = TopicEvidence(
        "MLS-C01", "Modeling", "Hyperparameter tuning", 36.0, 36.0, expected_seconds=10 * 3600,
        seconds=0, domain_share=0.12, practice_score=55.0, confidence=2,
        confidence_at=None, resources=0, notes=0,
    )
    text = reasons(ev, TODAY)
    assert "Modeling is 36% of the exam but 12% of your hours" in text
    assert "last practice score in Modeling: 55% (below 70%)" in text
    assert "confidence 2/5" in text
    assert "no notes or resources cover this topic" in text
    assert "no study time logged on this topic" in text
