"""The one injectable clock.

Nothing else in the code calls ``datetime.now()``. Tests freeze time with
:func:`frozen`; a process (a CLI test, a snapshot test, a demo) can freeze it
with ``CERTJOURNEY_NOW=2026-11-23T10:00:00Z``. The local time zone is the
system's unless ``CERTJOURNEY_TZ`` names another (an IANA name).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, tzinfo

_frozen: datetime | None = None
_tz: tzinfo | None = None


def _from_env() -> datetime | None:
    text = os.environ.get("CERTJOURNEY_NOW")
    if not text:
        return None
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=local_tz())
    return value.astimezone(UTC)


def now() -> datetime:
    """The current instant, timezone-aware, in UTC, truncated to whole seconds."""
    if _frozen is not None:
        return _frozen
    env = _from_env()
    if env is not None:
        return env
    return datetime.now(UTC).replace(microsecond=0)


def local_tz() -> tzinfo:
    """The user's time zone: ``CERTJOURNEY_TZ`` if set, else the system's."""
    global _tz
    if _tz is None:
        from dateutil import tz

        name = os.environ.get("CERTJOURNEY_TZ")
        zone = tz.gettz(name) if name else None
        _tz = zone or tz.tzlocal()
    return _tz


def local_now() -> datetime:
    return now().astimezone(local_tz())


def local_midnight(day: date, tz: tzinfo | None = None) -> datetime:
    """The instant a local day starts (in ``tz``, by default the user's zone)."""
    return datetime.combine(day, time(0), tz or local_tz())


def today() -> date:
    """Today's date in the user's time zone."""
    return local_now().date()


@contextmanager
def frozen(at: datetime, tz_name: str | None = None) -> Iterator[None]:
    """Freeze :func:`now` at ``at`` (and optionally the zone) inside the block."""
    global _frozen, _tz
    saved = (_frozen, _tz)
    if at.tzinfo is None:
        raise ValueError("frozen() needs an aware datetime")
    _frozen = at.astimezone(UTC).replace(microsecond=0)
    if tz_name is not None:
        from dateutil import tz

        _tz = tz.gettz(tz_name)
    try:
        yield
    finally:
        _frozen, _tz = saved
