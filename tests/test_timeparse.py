from datetime import UTC, date, datetime

import pytest
from dateutil import tz

from tracker.errors import InvalidInput
from tracker.timeparse import (
    format_duration,
    humanize_until,
    parse_date,
    parse_datetime,
    parse_duration,
    parse_range,
)

TODAY = date(2026, 11, 23)  # a Monday
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
BERLIN = tz.gettz("Europe/Berlin")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-15", date(2026, 12, 15)),
        ("Dec 15", date(2026, 12, 15)),
        ("15 December 2026", date(2026, 12, 15)),
        ("+6w", date(2027, 1, 4)),
        ("+10d", date(2026, 12, 3)),
        ("+2m", date(2027, 1, 23)),
        ("in 6 weeks", date(2027, 1, 4)),
        ("in a month", date(2026, 12, 23)),
        ("In Two Weeks", date(2026, 12, 7)),
        ("3 days ago", date(2026, 11, 20)),
        ("today", TODAY),
        ("tomorrow", date(2026, 11, 24)),
        ("yesterday", date(2026, 11, 22)),
        ("friday", date(2026, 11, 27)),
        ("next monday", date(2026, 11, 30)),
        ("last friday", date(2026, 11, 20)),
    ],
)
def test_dates(text, expected):
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize("text", ["", "soon", "2026-13-45", "+6x", "in many weeks", "31/31/2026"])
def test_bad_dates_say_what_was_typed(text):
    with pytest.raises(InvalidInput) as info:
        parse_date(text, TODAY)
    assert "date" in str(info.value)
    if text:
        assert repr(text) in str(info.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14:30", datetime(2026, 11, 23, 14, 30, tzinfo=BERLIN)),
        ("9pm", datetime(2026, 11, 23, 21, 0, tzinfo=BERLIN)),
        ("yesterday 19:00", datetime(2026, 11, 22, 19, 0, tzinfo=BERLIN)),
        ("2026-11-20 09:15", datetime(2026, 11, 20, 9, 15, tzinfo=BERLIN)),
        ("2026-11-20T09:15:00Z", datetime(2026, 11, 20, 9, 15, tzinfo=UTC)),
        ("-30m", datetime(2026, 11, 23, 9, 30, tzinfo=UTC)),
        ("2 hours ago", datetime(2026, 11, 23, 8, 0, tzinfo=UTC)),
        ("now", NOW),
    ],
)
def test_datetimes(text, expected):
    assert parse_datetime(text, NOW, BERLIN) == expected


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("1h30m", 5400), ("90m", 5400), ("1.5h", 5400), ("1,5h", 5400), ("1:30", 5400),
     ("1:30:15", 5415), ("45s", 45), ("90", 5400), ("2 hours 5 minutes", 7500), ("1h 30m", 5400)],
)
def test_durations(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "0m", "0:00", "abc", "1h30x", "-5m", "1:75", "400d"])
def test_bad_durations(text):
    with pytest.raises(InvalidInput):
        parse_duration(text)


def test_ranges_cross_midnight_and_take_a_day():
    start, end = parse_range("yesterday 19:00-20:30", NOW, BERLIN)
    assert (start, end) == (datetime(2026, 11, 22, 19, 0, tzinfo=BERLIN),
                            datetime(2026, 11, 22, 20, 30, tzinfo=BERLIN))
    start, end = parse_range("23:00-01:00", NOW, BERLIN)
    assert end - start == (end - start).__class__(hours=2)
    with pytest.raises(InvalidInput):
        parse_range("14:00-25:00", NOW, BERLIN)


def test_human_phrases():
    assert humanize_until(date(2026, 12, 16), TODAY) == "in 3 weeks and 2 days"
    assert humanize_until(TODAY, TODAY) == "today"
    assert humanize_until(date(2026, 11, 22), TODAY) == "1 day ago"
    assert format_duration(3725) == "1:02:05"
