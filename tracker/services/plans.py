"""Study plans: a recurring schedule expanded with python-dateutil's rrule.

A plan is written the short way, ``MO,WE,FR 19:00 1h30m`` (also ``daily``,
``weekdays``, ``weekends``, ``sat,sun``), or as an RFC 5545 rule followed by
the session length, ``FREQ=WEEKLY;BYDAY=SA;BYHOUR=10 2h``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from dateutil import rrule
from sqlalchemy import select
from sqlmodel import Session

from tracker import clock
from tracker.errors import InvalidInput, NotFound
from tracker.models import Goal, Plan
from tracker.timeparse import parse_duration

_DAYS = {"mo": "MO", "tu": "TU", "we": "WE", "th": "TH", "fr": "FR", "sa": "SA", "su": "SU"}
_GROUPS = {"daily": "MO,TU,WE,TH,FR,SA,SU", "everyday": "MO,TU,WE,TH,FR,SA,SU",
           "weekdays": "MO,TU,WE,TH,FR", "weekends": "SA,SU"}
_HINT = "try \"MO,WE,FR 19:00 1h30m\", \"weekdays 07:00 45m\" or \"FREQ=WEEKLY;BYDAY=SA;BYHOUR=10 2h\""


@dataclass(frozen=True)
class ParsedPlan:
    rule: str        # RRULE body without DTSTART, e.g. FREQ=WEEKLY;BYDAY=MO,WE;BYHOUR=19;BYMINUTE=0
    minutes: int


def _days(text: str) -> str:
    if text in _GROUPS:
        return _GROUPS[text]
    days = []
    for part in text.split(","):
        key = part.strip()[:2]
        if key not in _DAYS or (len(part.strip()) > 2 and not
                                any(full.startswith(part.strip()) for full in
                                    ("monday", "tuesday", "wednesday", "thursday", "friday",
                                     "saturday", "sunday"))):
            raise InvalidInput(f"cannot read {part.strip()!r} as a weekday: {_HINT}")
        days.append(_DAYS[key])
    return ",".join(dict.fromkeys(days))


def parse_plan(text: str) -> ParsedPlan:
    words = text.strip().split()
    if len(words) < 2:
        raise InvalidInput(f"cannot read {text!r} as a plan: {_HINT}")
    try:
        minutes = parse_duration(words[-1]) // 60
    except InvalidInput:
        raise InvalidInput(f"cannot read {words[-1]!r} as a session length: {_HINT}") from None
    if minutes < 5 or minutes > 16 * 60:
        raise InvalidInput("a study session must last between 5 minutes and 16 hours")
    body = " ".join(words[:-1])
    if "freq=" in body.lower():
        rule = re.sub(r"^rrule:", "", body.strip(), flags=re.I).upper()
        try:
            rrule.rrulestr(rule, dtstart=datetime(2026, 1, 1))
        except (ValueError, TypeError) as exc:
            raise InvalidInput(f"cannot read the RRULE {rule!r}: {exc}") from None
        # Pin the clock fields the rule leaves open, or they follow "now".
        for part, default in (("BYHOUR", "19"), ("BYMINUTE", "0"), ("BYSECOND", "0")):
            if f"{part}=" not in rule:
                rule += f";{part}={default}"
        return ParsedPlan(rule, minutes)
    m = re.fullmatch(r"(.+?)\s+(\d{1,2})(?::(\d{2}))?", body.strip().lower())
    if not m:
        raise InvalidInput(f"cannot read {text!r} as a plan: {_HINT}")
    hour, minute = int(m.group(2)), int(m.group(3) or 0)
    if hour > 23 or minute > 59:
        raise InvalidInput(f"{m.group(2)}:{m.group(3) or '00'} is not a time of day")
    days = _days(m.group(1).replace(" ", ""))
    return ParsedPlan(f"FREQ=WEEKLY;BYDAY={days};BYHOUR={hour};BYMINUTE={minute};BYSECOND=0", minutes)


def sessions(rule: str, start: datetime, until: date) -> list[datetime]:
    """Local session starts from ``start`` up to the day before ``until``."""
    tz = clock.local_tz()
    naive_start = start.astimezone(tz).replace(tzinfo=None)
    end = datetime.combine(until, time(0))
    if end <= naive_start:
        return []
    rule_obj = rrule.rrulestr(rule, dtstart=naive_start)
    return [s.replace(tzinfo=tz) for s in rule_obj.between(naive_start, end, inc=True)]


@dataclass(frozen=True)
class PlanView:
    text: str
    rule: str
    minutes: int
    sessions_left: int
    hours_left: float
    next_session: datetime | None

    def to_json(self) -> dict:
        return {"text": self.text, "rrule": self.rule, "minutes": self.minutes,
                "sessions_left": self.sessions_left, "hours_left": round(self.hours_left, 2),
                "next_session": self.next_session.isoformat() if self.next_session else None}


def plan_view(plan: Plan, exam_date: date | None) -> PlanView:
    upcoming = sessions(plan.rrule, clock.now(), exam_date) if exam_date else []
    return PlanView(plan.text, plan.rrule, plan.minutes, len(upcoming),
                    len(upcoming) * plan.minutes / 60, upcoming[0] if upcoming else None)


def get_plan(session: Session, goal: Goal) -> Plan | None:
    return session.execute(select(Plan).where(Plan.goal_id == goal.id)).scalar()


def set_plan(session: Session, goal: Goal, text: str) -> Plan:
    parsed = parse_plan(text)
    plan = get_plan(session, goal) or Plan(goal_id=goal.id, created_at=clock.now(), text="",
                                          rrule="", minutes=0)
    plan.text, plan.rrule, plan.minutes = " ".join(text.split()), parsed.rule, parsed.minutes
    session.add(plan)
    session.flush()
    return plan


def clear_plan(session: Session, goal: Goal) -> None:
    plan = get_plan(session, goal)
    if plan is None:
        raise NotFound(f"{goal.exam_code} has no plan")
    session.delete(plan)
    session.flush()


