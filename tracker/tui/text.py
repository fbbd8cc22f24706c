"""Showing user text literally: markup in descriptions, notes or card text
must never be interpreted. Everything here builds Textual ``Content`` from
plain strings, whose styles may use theme variables ($success, $warning...)."""

from __future__ import annotations

from textual.content import Content


def literal(value: object, style: str = "") -> Content:
    """Content that renders ``value`` exactly, markup characters included."""
    text = "" if value is None else str(value)
    return Content.styled(text, style) if style else Content(text)


class Doc:
    """A small builder: append plain strings with styles, get Content."""

    def __init__(self) -> None:
        self.parts: list[tuple[str, str]] = []

    def add(self, text: object, style: str = "") -> Doc:
        self.parts.append(("" if text is None else str(text), style))
        return self

    def line(self, text: object = "", style: str = "") -> Doc:
        return self.add(f"{text}\n", style)

    def content(self) -> Content:
        return Content.assemble(*self.parts)

    def __bool__(self) -> bool:
        return any(text for text, _ in self.parts)


def cell(value: object, style: str = ""):
    """A DataTable cell shown literally (DataTable reads plain strings as markup).

    Rich Text, not Content: DataTable measures Rich renderables for column widths.
    Styles here are Rich styles (no theme variables).
    """
    from rich.text import Text

    return Text("" if value is None else str(value), style=style)


def hours(seconds: float) -> str:
    return f"{seconds / 3600:.1f} h"


def clock_text(seconds: int) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def meter(fraction: float, width: int = 20) -> str:
    filled = max(0, min(width, round(fraction * width)))
    return "█" * filled + "░" * (width - filled)
