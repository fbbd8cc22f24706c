"""Reading option values with our own parsers, naming the option on failure."""

from __future__ import annotations

from tracker.errors import InvalidInput


def option_date(option: str, text: str | None):
    if text is None:
        return None
    from tracker import clock
    from tracker.timeparse import parse_date

    try:
        return parse_date(text, clock.today())
    except InvalidInput as exc:
        raise InvalidInput(f"{option}: {exc}") from None


def option_datetime(option: str, text: str | None):
    if text is None:
        return None
    from tracker import clock
    from tracker.timeparse import parse_datetime

    try:
        return parse_datetime(text, clock.now(), clock.local_tz())
    except InvalidInput as exc:
        raise InvalidInput(f"{option}: {exc}") from None


def option_hours(option: str, text: str | None) -> float | None:
    """Hours as a number (``40``, ``37.5``) or a duration (``40h``, ``90m``)."""
    if text is None:
        return None
    cleaned = text.strip().replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        pass
    from tracker.timeparse import parse_duration

    try:
        return parse_duration(cleaned) / 3600
    except InvalidInput:
        raise InvalidInput(f"{option}: cannot read {text!r} as hours: try 40 or 37.5") from None
