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
import os
import re
import sqlite3
import sys
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote

import genanki
import nh3
from cmarkgfm import _cmark
from cmarkgfm.cmark import Options as CmarkOptions

from tracker.cards import IMAGE_SUFFIXES, Card, media_name
from tracker.files import atomic_writer
from tracker.forked import Forked, can_fork, fork_call

# Bump when the rendering changes: every card is rendered again, and notes whose
# HTML changed are updated in the learner's collection.
RENDER_VERSION = "3"  # 2: cmark-gfm renders the markdown; 3: bare links on plain lines are linked

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
    through (CMARK_OPT_UNSAFE) only because nh3 sanitises everything right after.

    The calls of ``cmarkgfm.markdown_to_html_with_extensions``, without its per-call
    lookup of the extensions by name (a test checks both give the same HTML)."""
    encoded = text.encode("utf-8")
    parser = _cmark_lib.cmark_parser_new(_CMARK_OPTIONS)
    try:
        for extension in _cmark_extensions():
            _cmark_lib.cmark_parser_attach_syntax_extension(parser, extension)
        _cmark_lib.cmark_parser_feed(parser, encoded, len(encoded))
        root = _cmark_lib.cmark_parser_finish(parser)
        if _cmark_lib.cmark_node_get_type(root) == _cmark_lib.CMARK_NODE_NONE:
            raise ValueError("cmark-gfm could not parse the markdown")
        html_text = _cmark_lib.cmark_render_html(
            root, _CMARK_OPTIONS, _cmark_lib.cmark_parser_get_syntax_extensions(parser))
        return _cmark_ffi.string(html_text).decode("utf-8")
    finally:
        _cmark_lib.cmark_parser_free(parser)


# No "tagfilter" extension: it would turn <script> into visible text; nh3 drops it instead.
_CMARK_EXTENSIONS = ["table", "strikethrough", "autolink"]
_CMARK_OPTIONS = CmarkOptions.CMARK_OPT_UNSAFE
_cmark_lib, _cmark_ffi = _cmark.lib, _cmark.ffi


@functools.cache
def _cmark_extensions() -> tuple:
    _cmark_lib.cmark_gfm_core_extensions_ensure_registered()
    found = tuple(_cmark_lib.cmark_find_syntax_extension(name.encode()) for name in _CMARK_EXTENSIONS)
    if any(extension == _cmark_ffi.NULL for extension in found):
        raise ValueError(f"cmark-gfm lacks one of the extensions {_CMARK_EXTENSIONS}")
    return found


_CLEANER = nh3.Cleaner(tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                       link_rel="noopener noreferrer", strip_comments=True)
# Text that CommonMark renders as one plain paragraph: no inline syntax, no
# character it escapes, no line break, and no block marker at the start. Braces
# are plain to both steps, so a one-line cloze ({{c1::...}}) takes this path too.
_PLAIN = re.compile(r"[^\\`*_\[\]<>&!#|~\"\x00-\x1f\x7f\xa0]+")
_BLOCK_START = re.compile(r"[-+=>]|\d{1,9}[.)]( |$)")


def _linkish(text: str) -> bool:
    """Whether cmark-gfm's autolink extension may turn part of ``text`` into a link (URLs,
    www., e-mail addresses). Substring tests: a regex here cost a third of the rendering."""
    if "@" in text or "://" in text:
        return True
    low = text.lower()
    return "www." in low or "mailto:" in low or "xmpp:" in low


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
    if _PLAIN.fullmatch(text) and not _BLOCK_START.match(text) and not _linkish(text):
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
    front, back = render_markdown(card.front), render_markdown(card.back)
    if "<img" not in front and "<img" not in back:
        return RenderedCard((front, back))
    media: dict[str, str] = {}
    missing: list[str] = []
    looked_for: list[str] = []
    fields = (_with_media(front, card.base_dir, media, missing, looked_for),
              _with_media(back, card.base_dir, media, missing, looked_for))
    return RenderedCard(fields, media, tuple(missing), tuple(looked_for))


# Below this many cards, forking costs about what a free core saves (bench/anki_export.py:
# rendering is 20-25 µs a card; a fork, the copies-on-write and the results sent back
# cost ~10-20 ms; on a busy machine the helper always lost).
PARALLEL_MIN_CARDS = 3000
MAX_HELPERS = 3
# Rendering a card costs about twice what the caller then does with it (the note,
# its hash, the card_state row): this process, doing both, takes a smaller share.
OWN_SHARE = 0.67


def render_cards(cards: Sequence[Card], *, helpers: int | None = None) -> Iterator[RenderedCard]:
    """:func:`render_card` of every card, in order, rendered by this process and by
    ``helpers`` forked child processes at once (None: one fewer than the cores this
    process may use, at most :data:`MAX_HELPERS`, when there are at least
    :data:`PARALLEL_MIN_CARDS` cards and forking is safe; else none).

    This process renders the first share lazily, as the caller asks for each card,
    so that the caller's own work on those cards overlaps with the helpers'; its
    share is smaller for that reason. Forking is only safe in a process with a
    single thread (a lock another thread holds would stay locked in the child) and
    is only used on Linux, where it is the norm: the TUI's worker thread, for one,
    renders in-process. A helper that fails has its cards rendered here: the
    result is the same either way.
    """
    if helpers is None:
        helpers = helpers_for(len(cards))
    helpers = min(helpers, len(cards) - 1)  # a helper that cannot fork: its cards are done here
    if helpers <= 0:
        yield from map(render_card, cards)
        return
    # This process's share weighs OWN_SHARE, each helper's 1.
    total = OWN_SHARE + helpers
    bounds = [0] + [round(len(cards) * (OWN_SHARE + i) / total) for i in range(helpers)] + [len(cards)]
    started: list[tuple[int, int, Forked | None]] = []
    try:
        for i in range(1, helpers + 1):
            started.append((bounds[i], bounds[i + 1], _fork_renderer(cards[bounds[i]:bounds[i + 1]])))
        yield from map(render_card, cards[:bounds[1]])
        for start, end, helper in started:
            done = _collect(helper, end - start)
            yield from done if done is not None else map(render_card, cards[start:end])
    finally:
        for _, _, helper in started:
            _reap(helper)


def helpers_for(n: int) -> int:
    """How many helpers :func:`render_cards` forks for ``n`` cards here and now: one
    for each core that is free, by the load average (which counts this process),
    but none when this process has other threads, off Linux, or for few cards."""
    if n < PARALLEL_MIN_CARDS or not sys.platform.startswith("linux") or not can_fork():
        return 0
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    try:
        busy = os.getloadavg()[0]
    except (AttributeError, OSError):
        busy = 1.0
    # A helper on a core another process keeps busy only adds the fork's cost.
    free = int(cores - max(busy, 1.0) + 0.5)
    # Each process gets at least half of PARALLEL_MIN_CARDS cards.
    return max(0, min(free, cores - 1, MAX_HELPERS, 2 * n // PARALLEL_MIN_CARDS - 1))


def _fork_renderer(cards: Sequence[Card]) -> Forked | None:
    """A child process rendering ``cards`` (None if it could not be started)."""
    return fork_call(lambda: [(r.fields, r.media, r.missing, r.looked_for)
                              for r in map(render_card, cards)])


def _collect(helper: Forked | None, expected: int) -> list[RenderedCard] | None:
    """A helper's results, or None when it failed (the caller renders those cards)."""
    if helper is None:
        return None
    status, rows = helper.outcome()
    if status != "ok" or len(rows) != expected:
        return None
    return [RenderedCard(*row) for row in rows]


def _reap(helper: Forked | None) -> None:
    if helper is not None:
        helper.close()


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
        for kind in sorted({n.kind for n in self.ours}):  # models in a fixed order
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

