"""Fuzzy matching for pickers: prefix, then word start, then substring, then
letters in order ("saa3" finds "SAA-C03")."""

from __future__ import annotations

import re


def fuzzy_score(query: str, candidate: str) -> float | None:
    """Higher is better; None when ``candidate`` does not match ``query`` at all."""
    q = query.strip().casefold()
    c = candidate.casefold()
    if not q:
        return 0.0
    if c.startswith(q):
        return 4.0 - len(c) / 1000
    if re.search(rf"\b{re.escape(q)}", c):
        return 3.0 - len(c) / 1000
    if q in c:
        return 2.0 - len(c) / 1000
    pos = 0
    gaps = 0
    for ch in q:
        found = c.find(ch, pos)
        if found < 0:
            return None
        gaps += found - pos
        pos = found + 1
    return 1.0 - gaps / (len(c) + 1)


def fuzzy_filter(query: str, candidates: list[str], limit: int = 8) -> list[str]:
    scored = [(s, c) for c in candidates if (s := fuzzy_score(query, c)) is not None]
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    return [c for _, c in scored[:limit]]


def pick_one(text: str, choices: dict[str, int], what: str) -> tuple[int | None, str]:
    """The id ``text`` names among ``choices`` (label -> id): the exact label, ``#id``, or
    the only fuzzy match; else (None, why not, in words about ``what``: "note", "resource")."""
    if text in choices:
        return choices[text], ""
    number = text.lstrip("#")
    if number.isdigit() and int(number) in choices.values():
        return int(number), ""
    matches = fuzzy_filter(text, list(choices), limit=2)
    if len(matches) == 1:
        return choices[matches[0]], ""
    if not text:
        return None, f"Type a few letters, then pick a {what} from the list."
    if not matches:
        return None, f"No other {what} of this goal matches “{text}”."
    return None, f"Several {what}s match “{text}”: pick one from the list."
