"""Dates, times and durations from what users type.

Absolute forms go through python-dateutil; relative forms (``+6w``,
``in 6 weeks``, ``3 days ago``, ``yesterday 19:00``, ``-30m``) are handled
here. Every failure is an :class:`InvalidInput` whose message shows the text
and a form that works.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, tzinfo

from tracker.errors import InvalidInput

# dateutil's parser and relativedelta load on first use: formatting a duration
# (every timer command does) should not pay for them.


def relativedelta(*args, **kwargs):
    from dateutil.relativedelta import relativedelta as rd

    return rd(*args, **kwargs)


def _du_parse(text: str, default: datetime) -> datetime:
    from dateutil import parser

    return parser.parse(text, default=default)

_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}
_UNITS = {
    "d": "days", "day": "days", "days": "days",
    "w": "weeks", "wk": "weeks", "week": "weeks", "weeks": "weeks",
    "m": "months", "mo": "months", "month": "months", "months": "months",
    "y": "years", "yr": "years", "year": "years", "years": "years",
}
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_DATE_HINT = "try 2026-12-15, 'dec 15', +6w, 'in 6 weeks' or 'next friday'"
_TIME_HINT = "try 14:30, 'yesterday 19:00', '2026-11-20 09:15' or -30m"


def _count(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return _NUMBER_WORDS.get(word)


def _weekday(word: str) -> int | None:
    for i, name in enumerate(_WEEKDAYS):
        if len(word) >= 3 and name.startswith(word):
            return i
    return None


def _relative_date(text: str, today: date) -> date | None:
    words = text.split()
    if text in ("today", "now"):
        return today
    if text == "tomorrow":
        return today + timedelta(days=1)
    if text == "yesterday":
        return today - timedelta(days=1)
    m = re.fullmatch(r"([+-])\s*(\d+)\s*([a-z]+)", text)
    if m and m.group(3) in _UNITS:
        n = int(m.group(2)) * (1 if m.group(1) == "+" else -1)
        return today + relativedelta(**{_UNITS[m.group(3)]: n})
    if len(words) == 3 and words[0] == "in" and _count(words[1]) is not None and words[2] in _UNITS:
        return today + relativedelta(**{_UNITS[words[2]]: _count(words[1])})
    if len(words) == 3 and words[2] == "ago" and _count(words[0]) is not None and words[1] in _UNITS:
        return today - relativedelta(**{_UNITS[words[1]]: _count(words[0])})
    if len(words) in (1, 2):
        prefix = words[0] if len(words) == 2 else ""
        day = _weekday(words[-1])
        if day is not None and prefix in ("", "next", "this", "last"):
            if prefix == "last":
                back = (today.weekday() - day) % 7 or 7
                return today - timedelta(days=back)
            ahead = (day - today.weekday()) % 7 or 7
            return today + timedelta(days=ahead)
    return None


def parse_date(text: str, today: date) -> date:
    """A calendar date from ISO, dateutil-readable or relative text."""
    cleaned = " ".join(text.strip().lower().split())
    if not cleaned:
        raise InvalidInput(f"empty date: {_DATE_HINT}")
    rel = _relative_date(cleaned, today)
    if rel is not None:
        return rel
    try:
        parsed = _du_parse(cleaned, datetime(today.year, today.month, today.day))
    except (ValueError, OverflowError):
        raise InvalidInput(f"cannot read {text!r} as a date: {_DATE_HINT}") from None
    return parsed.date()


def _offset(text: str) -> timedelta | None:
    m = re.fullmatch(r"([+-])\s*(.+)", text)
    if m:
        try:
            seconds = parse_duration(m.group(2))
        except InvalidInput:
            return None
        return timedelta(seconds=seconds if m.group(1) == "+" else -seconds)
    m = re.fullmatch(r"(.+?)\s+ago", text)
    if m:
        words = m.group(1).split()
        if len(words) == 2 and _count(words[0]) is not None:
            unit = {"h": "h", "hr": "h", "hrs": "h", "hour": "h", "hours": "h", "min": "m",
                    "mins": "m", "minute": "m", "minutes": "m"}.get(words[1])
            if unit:
                return -timedelta(seconds=_count(words[0]) * (3600 if unit == "h" else 60))
        try:
            return -timedelta(seconds=parse_duration(m.group(1)))
        except InvalidInput:
            return None
    return None


def _clock_time(text: str) -> time | None:
    m = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?\s*(am|pm|a|p)?", text)
    if not m or (m.group(2) is None and m.group(4) is None):
        return None
    hour, minute, second = int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0)
    if m.group(4):
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if m.group(4).startswith("p") else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


def parse_datetime(text: str, now: datetime, tz: tzinfo) -> datetime:
    """An aware instant from text such as ``14:30``, ``yesterday 19:00`` or ``-30m``.

    ``now`` is aware; naive results are read in ``tz`` (the user's zone).
    """
    cleaned = " ".join(text.strip().lower().split())
    if not cleaned:
        raise InvalidInput(f"empty time: {_TIME_HINT}")
    local_now = now.astimezone(tz)
    if cleaned == "now":
        return now
    off = _offset(cleaned)
    if off is not None:
        return now + off
    clock = _clock_time(cleaned)
    if clock is not None:
        return datetime.combine(local_now.date(), clock, tz)
    words = cleaned.split(" ")
    for split in (1, 2):
        if len(words) > split:
            head, tail = " ".join(words[:split]), " ".join(words[split:])
            day = _relative_date(head, local_now.date())
            clock = _clock_time(tail)
            if day is not None and clock is not None:
                return datetime.combine(day, clock, tz)
    try:
        default = datetime.combine(local_now.date(), time(0), None)
        parsed = _du_parse(text.strip(), default)
    except (ValueError, OverflowError):
        raise InvalidInput(f"cannot read {text!r} as a date and time: {_TIME_HINT}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return parsed


_DURATION_PART = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*(hours|hour|hrs|hr|h|minutes|minute|mins|min|m|seconds|second|secs|sec|s)(?![a-z])"
)


def parse_duration(text: str) -> int:
    """Seconds from ``1h30m``, ``90m``, ``1.5h``, ``1:30``, ``1:30:00`` or ``90`` (minutes)."""
    cleaned = text.strip().lower()
    hint = "try 1h30m, 90m, 1.5h or 1:30"
    if not cleaned:
        raise InvalidInput(f"empty duration: {hint}")
    seconds: float | None = None
    m = re.fullmatch(r"(\d+):([0-5]\d)(?::([0-5]\d))?", cleaned)
    if m:
        seconds = int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3) or 0)
    elif re.fullmatch(r"\d+", cleaned):
        seconds = int(cleaned) * 60
    else:
        compact = cleaned.replace(" ", "")
        parts = list(_DURATION_PART.finditer(cleaned))
        if parts and "".join(p.group(0).replace(" ", "") for p in parts) == compact:
            seconds = 0.0
            for p in parts:
                value = float(p.group(1).replace(",", "."))
                unit = p.group(2)[0]
                seconds += value * {"h": 3600, "m": 60, "s": 1}[unit]
    if seconds is None:
        raise InvalidInput(f"cannot read {text!r} as a duration: {hint}")
    if seconds <= 0:
        raise InvalidInput(f"duration {text!r} must be more than zero")
    if seconds > 366 * 86400:
        raise InvalidInput(f"duration {text!r} is longer than a year")
    return int(round(seconds))


_RANGE = re.compile(
    r"^(?:(?P<day>.+?)\s+)?(?P<a>\d{1,2}(?::\d{2})?\s*(?:am|pm)?)\s*(?:-|–|to)\s*"
    r"(?P<b>\d{1,2}(?::\d{2})?\s*(?:am|pm)?)$"
)


def parse_range(text: str, now: datetime, tz: tzinfo) -> tuple[datetime, datetime]:
    """``14:00-15:30`` or ``yesterday 19:00-20:30``; an end before the start is the next day."""
    cleaned = " ".join(text.strip().lower().split())
    m = _RANGE.match(cleaned)
    start_t = _clock_time(m.group("a").strip()) if m else None
    end_t = _clock_time(m.group("b").strip()) if m else None
    if not m or start_t is None or end_t is None:
        raise InvalidInput(f"cannot read {text!r} as a time range: try 14:00-15:30 or "
                           "'yesterday 19:00-20:30'")
    day = now.astimezone(tz).date()
    if m.group("day"):
        day = parse_date(m.group("day"), day)
    start = datetime.combine(day, start_t, tz)
    end = datetime.combine(day, end_t, tz)
    if end <= start:
        end += timedelta(days=1)
    return start, end


def format_duration(seconds: int) -> str:
    """``1:05:09`` style, hours unbounded."""
    seconds = int(seconds)
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    return f"{sign}{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def format_hours(seconds: int | float) -> str:
    return f"{seconds / 3600:.1f} h"


def humanize_until(target: date, today: date) -> str:
    """'in 3 weeks and 2 days', 'today', '5 days ago' — via relativedelta."""
    if target == today:
        return "today"
    future = target > today
    delta = relativedelta(target, today) if future else relativedelta(today, target)
    weeks, days = divmod(delta.days, 7)
    parts = []
    for value, unit in ((delta.years, "year"), (delta.months, "month"), (weeks, "week"),
                        (days, "day")):
        if value:
            parts.append(f"{value} {unit}{'s' if value != 1 else ''}")
    phrase = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"in {phrase}" if future else f"{phrase} ago"
