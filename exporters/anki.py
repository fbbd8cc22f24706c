"""Anki decks (``.apkg``) from cards, with genanki. Headless; imported only to export.

**Fields.** A card's markdown is rendered to HTML (cmark-gfm: CommonMark plus
tables, strikethrough and autolinks) and then sanitised with an allow-list (nh3): no
``<script>``, no ``on*`` attributes, no ``javascript:`` or ``data:`` URLs, no
styles. The templates hold no JavaScript. Cloze deletions (``{{c1::...}}``) pass
through both untouched. A one-line plain text, which neither step would change
except for the ``<p>``, skips them (a test checks it gives the same HTML).

**Images** a card names that exist on disk travel in the package under a bare,
unique name (a hash of their content plus the extension), and the ``<img src>``
is rewritten to it; a missing one is reported and the card is exported anyway.

**Identity and updates.** Model IDs are constants, deck IDs derive from the deck's
name, note GUIDs from the card's identity (:func:`tracker.cards.guid_for`). Each
note's modification time is the one given (when the card last changed): Anki
updates a note it already has only when the imported one is newer.

**Writing.** The collection is built in memory (notes and cards inserted with
``executemany``) and zipped into the output file, which is replaced atomically.
"""

from __future__ import annotations

import functools
import hashlib
import html
import itertools
import json
import re
import sqlite3
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote

import cmarkgfm
import genanki
import nh3
from cmarkgfm.cmark import Options as CmarkOptions

from tracker.cards import IMAGE_SUFFIXES, Card, media_name
from tracker.files import atomic_writer

# Bump when the rendering changes: every card is rendered again, and notes whose
# HTML changed are updated in the learner's collection.
RENDER_VERSION = "2"  # 2: cmark-gfm renders the markdown

BASIC_MODEL_ID = 1735689601
CLOZE_MODEL_ID = 1735689602
DECK_ROOT = "certjourney"

CSS = """\
.card { font-family: -apple-system, "Segoe UI", Roboto, Arial, sans-serif; font-size: 20px;
  text-align: left; color: #1d1d1f; background-color: #fff; line-height: 1.45; }
.nightMode .card, .card.nightMode { color: #e8e8e8; background-color: #1e1e1e; }
code, pre { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.9em; }
pre { padding: 0.6em; overflow-x: auto; background: rgba(127, 127, 127, 0.12); }
table { border-collapse: collapse; } td, th { border: 1px solid #999; padding: 0.2em 0.5em; }
img { max-width: 100%; }
.cloze { font-weight: bold; color: #0a58ca; } .nightMode .cloze { color: #7fb2ff; }
"""

BASIC_MODEL = genanki.Model(
    BASIC_MODEL_ID, "certjourney basic",
    fields=[{"name": "Front"}, {"name": "Back"}],
    templates=[{"name": "Card 1", "qfmt": "{{Front}}",
                "afmt": "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}"}],
    css=CSS,
)
CLOZE_MODEL = genanki.Model(
    CLOZE_MODEL_ID, "certjourney cloze",
    fields=[{"name": "Text"}, {"name": "Back Extra"}],
    templates=[{"name": "Cloze", "qfmt": "{{cloze:Text}}",
                "afmt": "{{cloze:Text}}<br>\n{{Back Extra}}"}],
    css=CSS, model_type=genanki.Model.CLOZE,
)
MODELS = {"basic": BASIC_MODEL, "cloze": CLOZE_MODEL}

# --- rendering ----------------------------------------------------------------------

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "b", "em", "i", "u", "s", "del", "ins", "mark", "sub", "sup",
    "small", "code", "kbd", "pre", "blockquote", "ul", "ol", "li", "dl", "dt", "dd",
    "h1", "h2", "h3", "h4", "h5", "h6", "a", "img", "span", "div",
    "table", "thead", "tbody", "tr", "th", "td", "caption",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
URL_SCHEMES = {"http", "https", "mailto"}

def _md_to_html(text: str) -> str:
    """GitHub-flavoured markdown (tables, strikethrough, autolinks) to HTML with cmark-gfm,
    a C library about ten times faster here than a pure-Python renderer. Raw HTML is let
    through (CMARK_OPT_UNSAFE) only because nh3 sanitises everything right after."""
    # No "tagfilter" extension: it would turn <script> into visible text; nh3 drops it instead.
    return cmarkgfm.markdown_to_html_with_extensions(
        text, options=CmarkOptions.CMARK_OPT_UNSAFE, extensions=_CMARK_EXTENSIONS)


_CMARK_EXTENSIONS = ["table", "strikethrough", "autolink"]
_CLEANER = nh3.Cleaner(tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                       link_rel="noopener noreferrer", strip_comments=True)
# Text that CommonMark renders as one plain paragraph: no inline syntax, no
# character it escapes, no line break, and no block marker at the start.
_PLAIN = re.compile(r"[^\\`*_\[\]<>&!#|~{}\"\x00-\x1f\x7f\xa0]+")
_BLOCK_START = re.compile(r"[-+=>]|\d{1,9}[.)]( |$)")
_IMG = re.compile(r'<img\b[^>]*?\ssrc="([^"]*)"')


@dataclass(frozen=True)
class RenderedCard:
    fields: tuple[str, str]
    media: dict[str, str] = field(default_factory=dict)   # bare name -> file path
    missing: tuple[str, ...] = ()                          # image references not found
    looked_for: tuple[str, ...] = ()                       # the paths tried for those


def render_markdown(text: str) -> str:
    """Sanitised HTML for a card's markdown (a cloze's ``{{cN::...}}`` kept as is)."""
    text = text.strip()
    if not text:
        return ""
    if _PLAIN.fullmatch(text) and not _BLOCK_START.match(text):
        return f"<p>{text}</p>"
    # \x1f separates fields in Anki's storage; it has no business inside one.
    return _CLEANER.clean(_md_to_html(text)).strip().replace("\x1f", "")


def _local_image(src: str, base_dir: str | None) -> Path | None:
    """The file an ``<img src>`` names, or None for a remote reference."""
    ref = unquote(html.unescape(src))
    if "://" in ref or ref.startswith(("data:", "//", "mailto:")):
        return None
    path = Path(ref).expanduser()
    if not path.is_absolute() and base_dir is not None:
        path = Path(base_dir) / path
    return path


def _with_media(fragment: str, base_dir: str | None, media: dict[str, str],
                missing: list[str], looked_for: list[str]) -> str:
    if "<img" not in fragment:
        return fragment

    def swap(m: re.Match) -> str:
        src = m.group(1)
        path = _local_image(src, base_dir)
        if path is None:
            return m.group(0)
        data = None
        if path.is_absolute() and path.suffix.lower() in IMAGE_SUFFIXES:
            try:
                data = path.read_bytes()
            except OSError:
                data = None
        if data is None:
            missing.append(unquote(html.unescape(src)))
            looked_for.append(str(path) if path.is_absolute() else "")
            return m.group(0)
        name = media_name(data, path.suffix)
        media[name] = str(path)
        start, end = m.start(1) - m.start(), m.end(1) - m.start()
        return m.group(0)[:start] + name + m.group(0)[end:]

    return _IMG.sub(swap, fragment)


def render_card(card: Card) -> RenderedCard:
    """The card's two fields as sanitised HTML, with its images."""
    media: dict[str, str] = {}
    missing: list[str] = []
    looked_for: list[str] = []
    fields = tuple(_with_media(render_markdown(text), card.base_dir, media, missing, looked_for)
                   for text in (card.front, card.back))
    return RenderedCard(fields, media, tuple(missing), tuple(looked_for))  # type: ignore[arg-type]


# --- names, ids and tags ------------------------------------------------------------

def _component(name: str) -> str:
    return " ".join(name.replace("::", ":").split())


@functools.lru_cache(maxsize=4096)
def deck_name(exam: str, domain: str, topic: str) -> str:
    return "::".join((DECK_ROOT, _component(exam), _component(domain), _component(topic)))


def deck_id(name: str) -> int:
    """A stable deck ID from the deck's name (41 bits: safe in JavaScript too)."""
    digest = hashlib.sha256(f"certjourney deck\0{name}".encode()).digest()
    return (1 << 40) + int.from_bytes(digest[:5], "big")


def anki_tag(text: str) -> str:
    """A tag Anki accepts: no spaces (they become '_') and no quotes."""
    return "_".join(text.replace('"', "").split())


@functools.lru_cache(maxsize=4096)
def _tags(exam: str, domain: str, topic: str, own: tuple[str, ...], weak: bool) -> tuple[str, ...]:
    tags = [f"{DECK_ROOT}::{anki_tag(exam)}", f"domain::{anki_tag(domain)}", f"topic::{anki_tag(topic)}"]
    tags += [t for t in (anki_tag(t) for t in own) if t and t not in tags]
    if weak:
        tags.append("weak")
    return tuple(tags)


def card_tags(card: Card, *, weak: bool) -> tuple[str, ...]:
    """The exam, domain and topic as tags (``certjourney::SAA-C03``, ``domain::...``,
    ``topic::VPC_security``), the card's own tags, and ``weak`` for a weak topic."""
    return _tags(card.exam, card.domain, card.topic, card.tags, weak)


# --- writing ------------------------------------------------------------------------

class NoteLike(Protocol):
    guid: str
    deck: str
    kind: str
    fields: tuple[str, str]
    tags: tuple[str, ...]
    mod: int
    ords: tuple[int, ...]


@dataclass(slots=True)
class AnkiNote:
    """A note ready to write: HTML fields, tags, its deck and its modification time."""

    guid: str
    deck: str
    kind: str
    fields: tuple[str, str]
    tags: tuple[str, ...]
    mod: int
    ords: tuple[int, ...] = (0,)


def anki_note(card: Card, fields: tuple[str, str], *, weak: bool = False, mod: int = 0) -> AnkiNote:
    """The note for ``card`` with these rendered fields (``mod`` is set by the caller)."""
    return AnkiNote(card.guid, deck_name(card.exam, card.domain, card.topic), card.kind,
                    fields, card_tags(card, weak=weak), mod, card.ords())


class _Deck(genanki.Deck):
    """A deck whose notes are written in two ``executemany`` calls, each note with
    its own modification time (genanki stamps every note with the write time)."""

    def __init__(self, deck_id: int, name: str, notes: list[NoteLike]):
        super().__init__(deck_id, name)
        self.ours = notes

    def write_to_db(self, cursor, timestamp: float, id_gen) -> None:
        for kind in {n.kind for n in self.ours}:
            self.add_model(MODELS[kind])
        super().write_to_db(cursor, timestamp, id_gen)  # decks and models JSON; no genanki notes
        notes, cards = [], []
        now = int(timestamp)
        for n in self.ours:
            model = MODELS[n.kind]
            note_id = next(id_gen)
            notes.append((note_id, n.guid, model.model_id, n.mod, -1,
                           " " + " ".join(n.tags) + " " if n.tags else "",
                           "\x1f".join(n.fields), _sort_field(n.fields[0]), 0, 0, ""))
            for ord_ in n.ords:
                cards.append((next(id_gen), note_id, self.deck_id, ord_, now, -1, 0, 0, 0, 0, 0, 0,
                              0, 0, 0, 0, 0, ""))
        cursor.executemany("INSERT INTO notes VALUES (?,?,?,?,?,?,?,?,?,?,?)", notes)
        cursor.executemany("INSERT INTO cards VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", cards)


_TAG = re.compile(r"<[^>]*>")


def _sort_field(html_text: str) -> str:
    if "<" not in html_text and "&" not in html_text:
        return html_text
    return html.unescape(_TAG.sub("", html_text))


@dataclass(frozen=True)
class PackageSummary:
    notes: int
    cards: int
    media: int
    per_deck: dict[str, int]


def build_decks(notes: Iterable[NoteLike]) -> list[_Deck]:
    by_deck: dict[str, list[NoteLike]] = {}
    for n in notes:
        by_deck.setdefault(n.deck, []).append(n)
    return [_Deck(deck_id(name), name, by_deck[name]) for name in sorted(by_deck)]


def write_package(notes: Sequence[NoteLike], out: str | Path, *, media: dict[str, str] | None = None,
                  timestamp: float) -> PackageSummary:
    """Write ``notes`` (and the ``media`` files, bare name -> path) as an ``.apkg``.

    ``timestamp`` stamps the package (card ids, model times); each note keeps its
    own ``mod``. The file is replaced atomically.
    """
    decks = build_decks(notes)
    conn = sqlite3.connect(":memory:")
    try:
        cursor = conn.cursor()
        ids = itertools.count(int(timestamp * 1000))
        genanki.Package(decks).write_to_db(cursor, timestamp, ids)
        conn.commit()
        data = conn.serialize()
    finally:
        conn.close()
    names = sorted(media or {})
    with atomic_writer(out, binary=True) as handle, zipfile.ZipFile(handle, "w") as outzip:
        outzip.writestr("collection.anki2", data)
        outzip.writestr("media", json.dumps({str(i): name for i, name in enumerate(names)}))
        for i, name in enumerate(names):
            outzip.write(media[name], str(i))
    return PackageSummary(
        notes=len(notes), cards=sum(len(n.ords) for n in notes), media=len(names),
        per_deck={d.name: len(d.ours) for d in decks},
    )

