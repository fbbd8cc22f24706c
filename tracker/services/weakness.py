"""Weak areas: a score per topic from the evidence, with its reasons in plain words.

The formula (also in the README):

    gaps, each from 0 (strong) to 1 (weak):
      time        1 - hours / expected hours, floored at 0. Expected hours are the
                  topic's share of the target (domain weight / topics in the
                  domain); without a target, its share of the hours logged so far.
      practice    1 - latest practice score of the topic's domain / 100;
                  0.6 when the domain has no practice score yet.
      confidence  (5 - latest rating) / 4; 0.6 when never rated.
      coverage    1 - (resource progress + min(notes, 2) / 2) / 2.
      anki        share of "Again" among recent Anki answers, when there are any.
    base   = 0.30 time + 0.30 practice + 0.20 confidence + 0.20 coverage
             (with Anki results: 0.25 time + 0.25 practice + 0.15 confidence
              + 0.15 coverage + 0.20 anki)
    score  = 100 × base × (0.6 + 0.4 × domain weight / heaviest domain weight)

Higher is weaker. More hours, a higher practice score, a higher confidence,
more resource progress or notes never raise a topic's score; a topic with no
evidence at all scores above any well-covered topic of the same exam.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from tracker.timeparse import humanize_until

UNKNOWN_GAP = 0.6
LOW_DOMAIN_SCORE = 70.0


@dataclass(frozen=True)
class TopicEvidence:
    """Everything known about one topic of one goal."""

    cert: str
    domain: str
    topic: str
    domain_weight: float          # percent (midpoint for ranges)
    max_domain_weight: float
    expected_seconds: float       # 0 when nothing is expected yet
    seconds: int = 0
    domain_share: float = 0.0     # the domain's share of the goal's hours, 0-1
    practice_score: float | None = None   # latest score of the domain, percent
    practice_on: date | None = None
    confidence: int | None = None
    confidence_at: datetime | None = None
    resource_progress: float = 0.0        # 0-1 over the topic's resources
    resources: int = 0
    notes: int = 0
    anki_again: int | None = None         # "Again" answers among the recent ones
    anki_answers: int | None = None


@dataclass(frozen=True)
class Weakness:
    cert: str
    domain: str
    topic: str
    score: float
    reasons: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"cert": self.cert, "domain": self.domain, "topic": self.topic,
                "score": round(self.score, 1), "reasons": list(self.reasons)}


def _clamp(value: float) -> float:
    return max(0.0, min(1.0, value))


def gaps(ev: TopicEvidence) -> dict[str, float]:
    """Each gap from 0 (strong) to 1 (weak)."""
    result = {
        "time": _clamp(1 - ev.seconds / ev.expected_seconds) if ev.expected_seconds > 0
        else (0.0 if ev.seconds > 0 else 1.0),
        "practice": UNKNOWN_GAP if ev.practice_score is None else _clamp(1 - ev.practice_score / 100),
        "confidence": UNKNOWN_GAP if ev.confidence is None else _clamp((5 - ev.confidence) / 4),
        "coverage": _clamp(1 - (_clamp(ev.resource_progress) + min(ev.notes, 2) / 2) / 2),
    }
    if ev.anki_answers:
        result["anki"] = _clamp((ev.anki_again or 0) / ev.anki_answers)
    return result


WEIGHTS = {"time": 0.30, "practice": 0.30, "confidence": 0.20, "coverage": 0.20}
WEIGHTS_WITH_ANKI = {"time": 0.25, "practice": 0.25, "confidence": 0.15, "coverage": 0.15,
                     "anki": 0.20}


def score(ev: TopicEvidence) -> float:
    g = gaps(ev)
    weights = WEIGHTS_WITH_ANKI if "anki" in g else WEIGHTS
    base = sum(weights[k] * g[k] for k in weights)
    importance = 0.6 + 0.4 * (ev.domain_weight / ev.max_domain_weight if ev.max_domain_weight else 1)
    return 100 * base * importance


def _hours(seconds: float) -> str:
    return f"{seconds / 3600:.1f} h"


def reasons(ev: TopicEvidence, today: date) -> list[str]:
    """The evidence against the topic, weightiest first, in plain words."""
    g = gaps(ev)
    found: list[tuple[float, str]] = []
    if ev.domain_share * 100 < ev.domain_weight * 0.75:
        found.append((WEIGHTS["time"] * 1.01, f"{ev.domain} is {ev.domain_weight:g}% of the exam but "
                      f"{ev.domain_share * 100:.0f}% of your hours"))
    if ev.seconds == 0:
        found.append((WEIGHTS["time"] * g["time"], "no study time logged on this topic"))
    elif g["time"] > 0.25:
        found.append((WEIGHTS["time"] * g["time"],
                      f"{_hours(ev.seconds)} logged of about {_hours(ev.expected_seconds)} expected"))
    if ev.practice_score is None:
        found.append((WEIGHTS["practice"] * g["practice"], f"no practice score in {ev.domain} yet"))
    elif ev.practice_score < LOW_DOMAIN_SCORE:
        found.append((WEIGHTS["practice"] * g["practice"] + 0.1,
                      f"last practice score in {ev.domain}: {ev.practice_score:.0f}% "
                      f"(below {LOW_DOMAIN_SCORE:.0f}%)"))
    if ev.confidence is None:
        found.append((WEIGHTS["confidence"] * g["confidence"] * 0.5, "confidence never rated"))
    elif ev.confidence <= 3:
        when = ""
        if ev.confidence_at is not None:
            when = f" (set {humanize_until(ev.confidence_at.date(), today)})"
        found.append((WEIGHTS["confidence"] * g["confidence"], f"confidence {ev.confidence}/5{when}"))
    if ev.resources == 0 and ev.notes == 0:
        found.append((WEIGHTS["coverage"] * g["coverage"], "no notes or resources cover this topic"))
    elif ev.resources and ev.resource_progress < 0.5:
        found.append((WEIGHTS["coverage"] * g["coverage"],
                      f"resources {ev.resource_progress * 100:.0f}% done"))
    if ev.anki_answers and g.get("anki", 0) >= 0.2:
        found.append((WEIGHTS_WITH_ANKI["anki"] * g["anki"] + 0.05,
                      f"Anki: {ev.anki_again} of your last {ev.anki_answers} answers on "
                      f"{ev.topic} were Again"))
    found.sort(key=lambda pair: -pair[0])
    return [text for _, text in found]


def rank(evidence: list[TopicEvidence], today: date, top: int | None = None) -> list[Weakness]:
    """Topics from weakest to strongest (ties broken by exam weight, then name)."""
    scored = [
        Weakness(ev.cert, ev.domain, ev.topic, score(ev), reasons(ev, today))
        for ev in evidence
    ]
    weights = {(ev.cert, ev.topic): ev.domain_weight for ev in evidence}
    scored.sort(key=lambda w: (-round(w.score, 6), -weights[(w.cert, w.topic)], w.cert, w.topic))
    return scored[:top] if top is not None else scored
