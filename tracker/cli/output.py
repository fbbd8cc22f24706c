"""Plain-text tables and JSON for the CLI (no Rich: start-up time matters)."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from typing import Any

import click


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * max(0, width - _width(text))
    return gap + text if right else text + gap


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], *, right: Sequence[int] = ()) -> str:
    """Columns padded to fit; ``right`` lists the column numbers to right-align."""
    cells = [[("" if c is None else str(c)) for c in row] for row in rows]
    widths = [_width(h) for h in headers]
    for row in cells:
        for i, c in enumerate(row):
            widths[i] = max(widths[i], _width(c))
    lines = ["  ".join(_pad(h, widths[i], i in right) for i, h in enumerate(headers)).rstrip()]
    for row in cells:
        lines.append("  ".join(_pad(c, widths[i], i in right) for i, c in enumerate(row)).rstrip())
    return "\n".join(lines)


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def one_line(text: str, limit: int = 60) -> str:
    """User text flattened to one line and cut to ``limit`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
