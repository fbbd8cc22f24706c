"""Practice exams: attempts with an overall score and per-domain scores.

Every score is stored as a percentage. A score on the exam's scale (AWS 100-1000)
or out of a number of questions is converted on the way in; the pass mark is
compared as a percentage too (pass_mark / score_max), which is how practice
sites report it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, func, select
from sqlmodel import Session

from tracker import clock
from tracker.catalog import Exam
from tracker.errors import InvalidInput, NotFound
from tracker.models import Attempt, AttemptDomain, Goal

MAX_LABEL_LENGTH = 200
_NUMBER = r"\d+(?:[.,]\d+)?"


@dataclass(frozen=True)
class Score:
    """A score read from the user: the percentage and, if given so, the raw figures."""

    pct: float
    raw: float | None = None
    raw_max: float | None = None


@dataclass(frozen=True)
class AttemptView:
    id: int
    goal_id: int
    taken_on: date
    score_pct: float
    raw_score: float | None
    raw_max: float | None
    full: bool
    label: str | None
    domains: dict[str, float] = field(default_factory=dict)
    scaled_score: int | None = None  # on the exam's scale, when it has one
    scale_max: int | None = None
    pass_pct: float | None = None  # the exam's pass mark as a percentage
    passed: bool | None = None  # None: a partial attempt, or no published pass mark

    def to_json(self) -> dict:
        return {
            "id": self.id, "date": self.taken_on.isoformat(), "score_pct": self.score_pct,
            "scaled_score": self.scaled_score, "full": self.full, "label": self.label,
            "passed": self.passed, "domains": self.domains,
        }


@dataclass(frozen=True)
class DomainTrend:
    domain: str
    first: float
    latest: float
    attempts: int

    @property
    def change(self) -> float:
        return self.latest - self.first


# --- reading what the user typed -----------------------------------------------

def _number(text: str, what: str) -> float:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise InvalidInput(f"cannot read {text!r} as {what}") from None


def _pct_in_range(pct: float, what: str) -> float:
    if not 0 <= pct <= 100:
        raise InvalidInput(f"{what} is {pct:.4g}%: a score must lie between 0 and 100%")
    return round(pct, 2)


def parse_score(text: str, exam: Exam, of: str | None = None) -> Score:
    """The overall score: ``78`` / ``78%`` (a percentage), ``52/65``, ``780`` with
    ``of='1000'``, or ``780`` alone on an exam whose scale reaches 1000."""
    cleaned = text.strip().replace(" ", "")
    hint = "give a percentage (78), a score out of a total (52/65) or --of MAX"
    m = re.fullmatch(rf"({_NUMBER})(%|/({_NUMBER}))?", cleaned)
    if not m:
        raise InvalidInput(f"--score: cannot read {text!r}: {hint}")
    value = _number(m.group(1), "a score")
    if m.group(3) is not None or of is not None:
        if m.group(2) == "%":
            raise InvalidInput("--score: give a percentage or --of MAX, not both")
        if m.group(3) is not None and of is not None:
            raise InvalidInput("--score: give SCORE/MAX or --of MAX, not both")
        top = _number(m.group(3) or of.strip(), "a maximum score")
        if top <= 0:
            raise InvalidInput(f"--of must be more than 0, not {top:g}")
        given = f"--score {text}" + (f" --of {of}" if of is not None else "")
        return Score(_pct_in_range(value / top * 100, given), value, top)
    if m.group(2) is None and value > 100 and exam.score_max:
        # Above 100 cannot be a percentage: read it on the exam's own scale.
        return Score(_pct_in_range(value / exam.score_max * 100,
                                   f"--score {text} (of {exam.score_max})"), value,
                     float(exam.score_max))
    if value > 100:
        raise InvalidInput(f"--score {text} is above 100%: {hint}")
    return Score(_pct_in_range(value, f"--score {text}"))


def parse_domain_score(text: str, exam: Exam) -> tuple[str, float]:
    """``NAME=SCORE``: a domain by number, name or unambiguous prefix; a
    percentage (``65``, ``65%``) or a fraction (``13/20``)."""
    name, sep, score = text.rpartition("=")
    if not sep or not name.strip() or not score.strip():
        raise InvalidInput(f"--domain {text!r}: give NAME=SCORE, e.g. '1=65', "
                           "'Design Secure=65%' or '2=13/20'")
    try:
        domain = exam.domain(name).name
    except NotFound as exc:
        raise NotFound(f"--domain: {exc}") from None
    cleaned = score.strip().replace(" ", "")
    m = re.fullmatch(rf"({_NUMBER})(%|/({_NUMBER}))?", cleaned)
    if not m:
        raise InvalidInput(f"--domain {text!r}: cannot read {score.strip()!r} as a score: "
                           "give a percentage (65) or a fraction (13/20)")
    value = _number(m.group(1), "a score")
    if m.group(3) is not None:
        top = _number(m.group(3), "a number of questions")
        if top <= 0:
            raise InvalidInput(f"--domain {text!r}: the total must be more than 0")
        value = value / top * 100
    return domain, _pct_in_range(value, f"--domain {domain}={score.strip()}")


def parse_domain_scores(texts: list[str], exam: Exam) -> dict[str, float]:
    scores: dict[str, float] = {}
    for text in texts:
        domain, pct = parse_domain_score(text, exam)
        if domain in scores:
            raise InvalidInput(f"--domain: {domain!r} is given twice")
        scores[domain] = pct
    return scores


def check_label(text: str | None) -> str | None:
    label = " ".join((text or "").split())
    if len(label) > MAX_LABEL_LENGTH:
        raise InvalidInput(f"--label is longer than {MAX_LABEL_LENGTH} characters")
    return label or None


# --- writing -----------------------------------------------------------------

def add_attempt(session: Session, learner_id: int, goal: Goal, exam: Exam, *, score: Score,
                taken_on: date | None = None, domains: dict[str, float] | None = None,
                full: bool = True, label: str | None = None) -> AttemptView:
    """Record an attempt and its domain scores (already parsed, see parse_*)."""
    day = taken_on or clock.today()
    if day > clock.today():
        raise InvalidInput(f"--date {day} is in the future")
    attempt = Attempt(
        learner_id=learner_id, goal_id=goal.id, taken_on=day, score_pct=score.pct,
        raw_score=score.raw, raw_max=score.raw_max, full=full, label=check_label(label),
        created_at=clock.now(),
    )
    session.add(attempt)
    session.flush()
    for domain, pct in (domains or {}).items():
        session.add(AttemptDomain(attempt_id=attempt.id, domain=domain, score_pct=pct))
    session.flush()
    return _view(attempt, domains or {}, exam)


def get_attempt(session: Session, learner_id: int, attempt_id: int) -> Attempt:
    attempt = session.get(Attempt, attempt_id)
    if attempt is None or attempt.learner_id != learner_id:
        raise NotFound(f"no practice attempt with id {attempt_id}")
    return attempt


def remove_attempt(session: Session, learner_id: int, attempt_id: int) -> None:
    attempt = get_attempt(session, learner_id, attempt_id)
    session.execute(delete(AttemptDomain).where(AttemptDomain.attempt_id == attempt.id))
    session.delete(attempt)
    session.flush()


# --- reading -----------------------------------------------------------------

def pass_pct(exam: Exam | None) -> float | None:
    """The pass mark as a percentage of the scale's top (720/1000: 72%), if published."""
    if exam is None or exam.pass_mark is None or not exam.score_max:
        return None
    return exam.pass_mark / exam.score_max * 100


def _view(attempt: Attempt, domains: dict[str, float], exam: Exam | None) -> AttemptView:
    mark = pass_pct(exam)
    scale = exam.score_max if exam else None
    if exam is not None:
        order = {d.name: d.number for d in exam.domains}
        domains = dict(sorted(domains.items(), key=lambda kv: (order.get(kv[0], 99), kv[0])))
    return AttemptView(
        id=attempt.id, goal_id=attempt.goal_id, taken_on=attempt.taken_on,
        score_pct=attempt.score_pct, raw_score=attempt.raw_score, raw_max=attempt.raw_max,
        full=bool(attempt.full), label=attempt.label, domains=domains,
        scaled_score=round(attempt.score_pct * scale / 100) if scale else None, scale_max=scale,
        pass_pct=mark,
        passed=(attempt.score_pct >= mark - 1e-9) if (mark is not None and attempt.full) else None,
    )


def attempts(session: Session, goal_id: int, exam: Exam | None = None) -> list[AttemptView]:
    """The goal's attempts, oldest first, with their domain scores (two queries).
    Give ``exam`` to get scaled scores and pass/fail verdicts."""
    rows = session.execute(
        select(Attempt).where(Attempt.goal_id == goal_id).order_by(Attempt.taken_on, Attempt.id)
    ).scalars().all()
    domains: dict[int, dict[str, float]] = {a.id: {} for a in rows}
    if rows:
        for attempt_id, domain, pct in session.execute(
            select(AttemptDomain.attempt_id, AttemptDomain.domain, AttemptDomain.score_pct)
            .where(AttemptDomain.attempt_id.in_(list(domains)))
        ):
            domains[attempt_id][domain] = pct
    return [_view(a, domains[a.id], exam) for a in rows]


def domain_trends(views: list[AttemptView], exam: Exam | None = None) -> list[DomainTrend]:
    """Per domain: its first and latest score over the attempts (oldest first) that
    have it, in the exam's domain order."""
    seen: dict[str, list[float]] = {}
    for v in views:
        for domain, pct in v.domains.items():
            seen.setdefault(domain, []).append(pct)
    order = {d.name: d.number for d in exam.domains} if exam else {}
    names = sorted(seen, key=lambda name: (order.get(name, 99), name))
    return [DomainTrend(n, seen[n][0], seen[n][-1], len(seen[n])) for n in names]


def latest_domain_scores(session: Session, goal_id: int) -> dict[str, tuple[float, date]]:
    """{domain: (score_pct, taken_on)} from the latest attempt that scored each domain."""
    a, d = Attempt.__table__.c, AttemptDomain.__table__.c
    rank = func.row_number().over(partition_by=d.domain,
                                  order_by=(a.taken_on.desc(), a.id.desc())).label("rank")
    ranked = (select(d.domain, d.score_pct, a.taken_on, rank)
              .select_from(AttemptDomain.__table__.join(Attempt.__table__, a.id == d.attempt_id))
              .where(a.goal_id == goal_id).subquery())
    rows = session.execute(select(ranked.c.domain, ranked.c.score_pct, ranked.c.taken_on)
                           .where(ranked.c.rank == 1))
    return {domain: (float(pct), taken_on) for domain, pct, taken_on in rows}
