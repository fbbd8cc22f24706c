"""The learner's own markdown notes: files -> sections -> topic links. Pure; no database.

**Files.** A folder is read recursively for ``*.md`` and ``*.markdown`` (sorted,
hidden files and folders skipped); a single file is read as given. Text is
UTF-8 (a BOM is dropped) or UTF-16/UTF-32 with a BOM. Bytes that are not UTF-8
are read as Windows-1252 and the file gets a warning. A file with a NUL byte
(outside UTF-16/32), or where more than a tenth of the bytes are control
characters, is not text: :class:`ImportFailed` names it and the first bad byte,
and nothing is imported.

**Sections.** Every ATX heading (``#`` to ``######``, closing ``#``'s dropped)
and Setext heading (a paragraph underlined with ``===`` or ``---``) starts a
section, which holds the text up to the next heading of any level. Lines in
fenced code (`````` or ``~~~``), indented code, HTML blocks and HTML comments
are never headings; a ``---`` after a blank line, a list item or a table is a
thematic break, not an underline; YAML (``---``) or TOML (``+++``) front matter
at the top is skipped and its ``title`` kept. Text before the first heading is
a section headed by the file's title (front matter ``title``, else the file
name without extension). Sections with no text are skipped (their heading still
names their sub-sections). A section's text is kept as written, however long:
only line endings become ``\\n`` and blank lines around it are trimmed.

**Identity.** A section is named by its *anchor*, the heading path
``Kinesis > Firehose``; when the same path repeats in one file the later ones
get `` #2``, `` #3``. The text before the first heading has the anchor
``(top)``. Files are named by their path relative to the folder imported
(a single file by its name), with forward slashes.

**Topic links** (:class:`TopicMatcher`). Each topic's name and aliases are
found as whole words, in any case, with spaces and hyphens inside a name
interchangeable and a plural ``s`` allowed; where names overlap the longest
wins (``S3 Glacier`` counts for the storage-classes topic, not also for ``S3``).
Before matching, markdown noise is removed: link and image targets (alt and
link texts stay), bare URLs, HTML tags and comments, Windows paths, and code —
fenced blocks and inline code in the text do not count (policies, ARNs and CLI
lines mention services in passing); a heading's inline code does count. Each
topic scores::

    3  if the section's own heading names it (for the text before the first
       heading: the file's title)
  + 1  if an enclosing heading or the file's title names it
  + 1  per mention in the text, at most 5

and a section is linked to every topic its own heading names, and to every
other topic scoring at least half the section's best score. So a topic named
only by an enclosing heading is linked when nothing in the section does
clearly better, and a passing mention next to a topic the section is about is
not. The score is stored as the link's weight; a section linked to no topic is
kept, unlinked.
"""

from __future__ import annotations

import codecs
import hashlib
import html
import os
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.errors import ImportFailed

if TYPE_CHECKING:
    from tracker.catalog import Topic

SUFFIXES = (".md", ".markdown")
TOP_ANCHOR = "(top)"
UNTITLED = "(untitled)"
MAX_HEADING = 500         # Note.heading
MAX_ANCHOR = 1000         # Note.anchor; a repeat suffix is added within this
MAX_SOURCE = 1000         # Note.source
CONTROL_SHARE = 0.10      # more control bytes than this and it is not text
HEADING_SCORE = 3
ANCESTOR_SCORE = 1
BODY_CAP = 5
MAX_SCORE = HEADING_SCORE + ANCESTOR_SCORE + BODY_CAP  # the strongest link the rule makes


# --- reading files -------------------------------------------------------------

@dataclass(frozen=True)
class Section:
    """One heading's section of a notes file."""

    anchor: str                  # heading path, unique in its file
    heading: str                 # this section's own heading, as plain text
    ancestors: tuple[str, ...]   # the enclosing headings, outermost first
    level: int                   # 1-6; 0 for the text before the first heading
    line: int                    # where the section starts (1-based)
    position: int                # order in the file, from 0
    body: str

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(f"{self.heading}\0{self.body}".encode()).hexdigest()


@dataclass
class NotesFile:
    source: str                  # path relative to the folder imported, with '/'
    label: str                   # the path as the user gave it, for messages
    path: Path
    title: str
    sections: list[Section]
    warning: str | None = None


@dataclass
class ParsedNotes:
    label: str
    is_folder: bool
    files: list[NotesFile] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        return [f.warning for f in self.files if f.warning]


def read_notes(path: Path, label: str | None = None) -> ParsedNotes:
    """Parse a notes file, or every markdown file under a folder.

    Raises ImportFailed for a missing path, a folder without markdown files
    and a file that is not text; nothing else about the markdown is an error.
    """
    label = label or str(path)
    if path.is_dir():
        files = markdown_files(path)
        if not files:
            raise ImportFailed(f"{label}: no markdown files (*.md, *.markdown) in this folder")
        parsed = ParsedNotes(label, True)
        for rel in files:
            parsed.files.append(read_notes_file(path / rel, rel, os.path.join(label, *rel.split("/"))))
        return parsed
    if not path.exists():
        raise ImportFailed(f"{label}: no such file or folder")
    parsed = ParsedNotes(label, False)
    parsed.files.append(read_notes_file(path, path.name, label))
    return parsed


def markdown_files(folder: Path) -> list[str]:
    """Relative paths (with '/') of the markdown files under ``folder``, sorted."""
    found: list[str] = []
    for top, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        rel_top = Path(top).relative_to(folder).as_posix()
        for name in names:
            if not name.startswith(".") and name.lower().endswith(SUFFIXES):
                found.append(name if rel_top == "." else f"{rel_top}/{name}")
    return sorted(found)


def read_notes_file(path: Path, source: str, label: str) -> NotesFile:
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise ImportFailed(f"{label}: is a folder, not a file") from None
    except OSError as exc:
        raise ImportFailed(f"{label}: cannot read: {exc.strerror or exc}") from None
    if len(source) > MAX_SOURCE:
        raise ImportFailed(f"{label}: path longer than {MAX_SOURCE} characters")
    text, warning = decode_notes(data, label)
    fallback = path.name.rsplit(".", 1)[0] if "." in path.name else path.name
    title, sections = split_sections(text, fallback)
    return NotesFile(source, label, path, title, sections, warning)


def _cp1252_bytes(exc: UnicodeDecodeError) -> tuple[str, int]:
    return exc.object[exc.start:exc.end].decode("cp1252", errors="replace"), exc.end


codecs.register_error("certjourney-cp1252", _cp1252_bytes)

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_BAD_CONTROLS = bytes(b for b in range(32) if b not in b"\t\n\v\f\r\x1b") + b"\x7f"
_BAD_CONTROL_CHARS = re.compile("[" + re.escape(_BAD_CONTROLS.decode("ascii")) + "]")


def _not_text(label: str, at: int) -> ImportFailed:
    return ImportFailed(f"{label}: not a text file (binary data at byte {at})")


def decode_notes(data: bytes, label: str) -> tuple[str, str | None]:
    """The text of a notes file with ``\\n`` line ends, and a warning or None."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            width = 4 if codec == "utf-32" else 2
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise _not_text(label, exc.start) from None
            bad = _BAD_CONTROL_CHARS.findall(text)
            if bad and ("\0" in bad or len(bad) > CONTROL_SHARE * len(text)):
                first = _BAD_CONTROL_CHARS.search(text).start()
                raise _not_text(label, len(bom) + width * first)
            return _newlines(text.lstrip("\ufeff")), None
    nul = data.find(b"\0")
    if nul >= 0:
        raise _not_text(label, nul)
    controls = len(data) - len(data.translate(None, _BAD_CONTROLS))
    if controls and controls > CONTROL_SHARE * len(data):
        first = next(i for i, b in enumerate(data) if b in _BAD_CONTROLS)
        raise _not_text(label, first)
    try:
        return _newlines(data.decode("utf-8-sig")), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        warning = (f"{label}: line {line}: not UTF-8 (byte 0x{data[exc.start]:02x}); "
                   "read such bytes as Windows-1252")
    text = data.decode("utf-8", errors="certjourney-cp1252")
    return _newlines(text.removeprefix("\ufeff")), warning


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- sections --------------------------------------------------------------------

_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))??(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"( {0,3})(`{3,}|~{3,})(.*)$")
_UNDERLINE = re.compile(r" {0,3}(=+|-+)[ \t]*$")
_BREAK = re.compile(r" {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
_BLOCK_START = re.compile(r" {0,3}(?:[-+*](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)|>|\|)")
_HTML_TAG_START = re.compile(r" {0,3}<(/?)([A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|$)")
_HTML_TAG_ALONE = re.compile(
    r" {0,3}(?:<[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|</[A-Za-z][A-Za-z0-9-]*\s*>)[ \t]*$")
_HTML_RAW_TAGS = ("pre", "script", "style", "textarea")
_HTML_BLOCK_TAGS = frozenset({  # CommonMark's block-level tags
    "address", "article", "aside", "base", "basefont", "blockquote", "body", "caption", "center",
    "col", "colgroup", "dd", "details", "dialog", "dir", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5",
    "h6", "head", "header", "hr", "html", "iframe", "legend", "li", "link", "main", "menu",
    "menuitem", "nav", "noframes", "ol", "optgroup", "option", "p", "param", "search", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "track", "ul",
})
_FRONT_TITLE = {"---": re.compile(r"title\s*:\s*(.*?)\s*$"),
                "+++": re.compile(r"title\s*=\s*(.*?)\s*$")}
FRONT_MATTER_LINES = 200


def _html_block(line: str, *, interrupting: bool) -> str | None:
    """Whether ``line`` starts an HTML block (CommonMark's seven kinds): None if
    not, "" for one that ends at a blank line, else the text that ends it."""
    text = line.lstrip()
    for opener, end in (("<!--", "-->"), ("<?", "?>"), ("<![CDATA[", "]]>")):
        if text.startswith(opener):
            return end
    if text.startswith("<!") and text[2:3].isalpha():
        return ">"
    m = _HTML_TAG_START.match(line)
    if m:
        name = m.group(2).lower()
        if not m.group(1) and name in _HTML_RAW_TAGS:
            return f"</{name}>"
        if name in _HTML_BLOCK_TAGS:
            return ""
    if not interrupting and _HTML_TAG_ALONE.match(line):
        return ""  # a lone tag of any kind, but it cannot interrupt a paragraph
    return None


def _indent(line: str) -> int:
    width = 0
    for ch in line:
        if ch == " ":
            width += 1
        elif ch == "\t":
            width += 4 - width % 4
        else:
            break
    return width


def _front_matter(lines: list[str]) -> tuple[int, str | None]:
    """Lines taken by front matter at the top, and its title."""
    if not lines or lines[0].rstrip() not in _FRONT_TITLE:
        return 0, None
    fence = lines[0].rstrip()
    closers = (fence, "...") if fence == "---" else (fence,)
    for i in range(1, min(len(lines), FRONT_MATTER_LINES)):
        if lines[i].rstrip() in closers:
            title = None
            for line in lines[1:i]:
                m = _FRONT_TITLE[fence].match(line)
                if m and m.group(1):
                    title = inline_text(m.group(1).strip("'\"")) or None
                    break
            return i + 1, title
    return 0, None


@dataclass
class _Open:
    heading: str
    level: int
    line: int
    ancestors: tuple[str, ...]
    lines: list[str] = field(default_factory=list)


def split_sections(text: str, fallback_title: str) -> tuple[str, list[Section]]:
    """The file's title and its sections, in order (see the module docstring)."""
    lines = text.split("\n")
    start, title = _front_matter(lines)
    title = title or inline_text(fallback_title.replace("_", " ")) or UNTITLED
    opened: list[_Open] = [_Open(title, 0, start + 1, ())]
    stack: list[tuple[int, str]] = []     # enclosing (level, heading)
    fence: tuple[str, int] | None = None  # (char, length) while in fenced code
    html_end: str | None = None           # what ends the raw HTML block we are in
    kind: str | None = None               # the block the previous line belongs to
    para: list[int] = []                  # indexes (in the open section) of paragraph lines

    def open_section(level: int, heading: str, line_no: int) -> None:
        nonlocal kind, para
        while stack and stack[-1][0] >= level:
            stack.pop()
        opened.append(_Open(heading, level, line_no, tuple(h for _, h in stack)))
        stack.append((level, heading))
        kind, para = None, []

    for number, line in enumerate(lines[start:], start + 1):
        body = opened[-1].lines
        if fence is not None:
            body.append(line)
            m = _FENCE.match(line)
            if m and m.group(2)[0] == fence[0] and len(m.group(2)) >= fence[1] and not m.group(3).strip():
                fence = None
            continue
        if html_end is not None:
            body.append(line)
            if html_end in line.lower():
                html_end = None
            continue
        if not line.strip():
            body.append(line)
            kind, para = (kind if kind == "code" else None), []
            continue
        if kind == "html":
            body.append(line)
            continue  # an HTML block runs to the next blank line
        indent = _indent(line)
        if indent >= 4:
            body.append(line)
            if kind is None or kind == "code":
                kind = "code"
            elif kind == "para":
                para.append(len(body) - 1)
            continue
        if kind == "code":
            kind = None
        m = _FENCE.match(line)
        if m and not (m.group(2)[0] == "`" and "`" in m.group(3)):
            body.append(line)
            fence, kind, para = (m.group(2)[0], len(m.group(2))), None, []
            continue
        m = _ATX.match(line)
        if m:
            open_section(len(m.group(1)), inline_text(m.group(2) or "") or UNTITLED, number)
            continue
        m = _UNDERLINE.match(line)
        if m and kind == "para" and para:
            words = " ".join(body[i].strip() for i in para)
            del body[para[0]:]
            open_section(1 if m.group(1)[0] == "=" else 2, inline_text(words) or UNTITLED,
                         number - len(para))
            continue
        body.append(line)
        if _BREAK.match(line):
            kind, para = None, []
        elif kind == "other":
            continue  # a list, quote or table goes on (lazy continuation lines too)
        elif (html := _html_block(line, interrupting=kind == "para")) is not None:
            kind, para = "html", []
            if html:  # a comment, <pre>, <script>...: runs to its end marker, blank lines and all
                kind, html_end = None, (None if html in line.lower()[line.index("<") + 2:] else html)
        elif _BLOCK_START.match(line):
            kind, para = "other", []
        else:
            kind = "para"
            para.append(len(body) - 1)

    return title, _finish(opened)


def _finish(opened: list[_Open]) -> list[Section]:
    sections: list[Section] = []
    seen: Counter[str] = Counter()
    for item in opened:
        if item.level == 0:
            anchor = TOP_ANCHOR
        else:
            anchor = " > ".join(_cut(h, 200) for h in (*item.ancestors, item.heading))
            anchor = _cut(anchor, MAX_ANCHOR - 8)
        seen[anchor] += 1
        if seen[anchor] > 1:
            anchor = f"{anchor} #{seen[anchor]}"
        lines = item.lines
        first, last = 0, len(lines)
        while first < last and not lines[first].strip():
            first += 1
        while last > first and not lines[last - 1].strip():
            last -= 1
        if first == last:
            continue
        sections.append(Section(anchor=anchor, heading=_cut(item.heading, MAX_HEADING),
                                ancestors=item.ancestors, level=item.level,
                                line=item.line + first if item.level == 0 else item.line,
                                position=len(sections), body="\n".join(lines[first:last])))
    return sections


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- plain text for matching ----------------------------------------------------

_IMAGE = re.compile(r"!\[([^\]]*)\](?:\((?:[^()\n]|\([^()\n]*\))*\)|\[[^\]]*\])")
_LINK = re.compile(r"\[([^\]]*)\](?:\((?:[^()\n]|\([^()\n]*\))*\)|\[[^\]]*\])")
_REF_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:[ \t]*\S.*$", re.MULTILINE)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_URL = re.compile(r"<?(?:\b[a-z][a-z0-9+.-]{0,20}://|\bwww\.|\bmailto:)[^\s<>]*>?", re.IGNORECASE)
_WIN_PATH = re.compile(r"(?<![\w\\])(?:[A-Za-z]:\\|\\\\)[^\s<>|\"*?`]*")
_BACKSLASH_PATH = re.compile(r"(?<!\S)[^\s\\]*\\[A-Za-z0-9]\S*")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_INLINE_CODE = re.compile(r"(`+)(.+?)\1")  # one line at most: a stray ` swallows little
_EDGE_UNDERSCORES = re.compile(r"(?<!\w)_+|_+(?!\w)")


def _strip_markup(text: str, *, keep_code: bool) -> str:
    # Each pattern runs only where its mark occurs: most lines have none.
    if "<!--" in text:
        text = _COMMENT.sub(" ", text)
    if "`" in text:
        text = _INLINE_CODE.sub((lambda m: f" {m.group(2)} ") if keep_code else " ", text)
    if "[" in text:
        text = _IMAGE.sub(r" \1 ", text)
        text = _LINK.sub(r" \1 ", text)
        text = _REF_DEF.sub(" ", text)
    if "://" in text or "www." in text or "mailto:" in text:
        text = _URL.sub(" ", text)
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "\\" in text:
        text = _WIN_PATH.sub(" ", text)
        text = _ESCAPE.sub(r"\1", text)
        text = _BACKSLASH_PATH.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    if "_" in text:
        text = _EDGE_UNDERSCORES.sub(" ", text)
    return text


def inline_text(text: str) -> str:
    """A heading (or title) as plain text: no emphasis, links, tags or code marks."""
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = _INLINE_CODE.sub(r"\2", text)
    text = _ESCAPE.sub(r"\1", text)
    text = html.unescape(text)
    text = re.sub(r"(?<!\w)(\*\*|__|\*|_|~~)(?=\S)|(?<=\S)(\*\*|__|\*|_|~~)(?!\w)", "", text)
    return " ".join(text.split())


def plain_text(markdown: str, *, keep_code: bool = False) -> str:
    """Markdown reduced to the words that may name topics (see the module docstring)."""
    kept: list[str] = []
    fence: tuple[str, int] | None = None
    for line in markdown.split("\n"):
        m = _FENCE.match(line)
        if fence is not None:
            if m and m.group(2)[0] == fence[0] and len(m.group(2)) >= fence[1] and not m.group(3).strip():
                fence = None
            if keep_code:
                kept.append(line)
            continue
        if m and not (m.group(2)[0] == "`" and "`" in m.group(3)):
            fence = (m.group(2)[0], len(m.group(2)))
            continue
        kept.append(line)
    return _strip_markup("\n".join(kept), keep_code=keep_code)


# --- topics -----------------------------------------------------------------------

_TOKEN = re.compile(r"\w+|[^\w\s-]")


def _tokens(text: str) -> list[str]:
    """Words and single punctuation marks, in lower case; spaces and hyphens only separate."""
    return _TOKEN.findall(text.casefold())


class TopicMatcher:
    """Finds an exam's topics in text and decides a section's links.

    Names are matched as sequences of words (see :func:`_tokens`), so word
    boundaries come for free and one pass over the text serves every topic:
    at each word the longest name starting there wins.
    """

    def __init__(self, topics: Iterable[Topic]):
        exact: dict[tuple[str, ...], str] = {}
        for topic in topics:
            for word in topic.names():
                key = tuple(_tokens(word))
                if key:
                    exact.setdefault(key, topic.name)
        self._names = dict(exact)
        for key, name in exact.items():  # plurals, never shadowing another name
            for variant in (key[:-1] + (key[-1] + "s",), key + ("'", "s"), key + ("\u2019", "s")):
                self._names.setdefault(variant, name)
        lengths: dict[str, set[int]] = {}
        for key in self._names:
            lengths.setdefault(key[0], set()).add(len(key))
        self._lengths = {first: sorted(ns, reverse=True) for first, ns in lengths.items()}
        self._heading_cache: dict[str, set[str]] = {}

    def mentions(self, text: str) -> Counter[str]:
        """How often each topic is named in ``text`` (already plain)."""
        found: Counter[str] = Counter()
        words = _tokens(text)
        lengths, names = self._lengths, self._names
        n, free = len(words), 0  # words before ``free`` belong to a name already counted
        for i in [i for i, word in enumerate(words) if word in lengths]:
            if i < free:
                continue
            for length in lengths[words[i]]:
                name = names.get(tuple(words[i:i + length])) if i + length <= n else None
                if name is not None:
                    found[name] += 1
                    free = i + length
                    break
        return found

    def heading_topics(self, heading: str) -> set[str]:
        found = self._heading_cache.get(heading)
        if found is None:
            found = self._heading_cache[heading] = set(self.mentions(plain_text(heading, keep_code=True)))
        return found

    def link(self, section: Section, title: str) -> dict[str, float]:
        """The topics ``section`` is linked to, with their scores (its link weights)."""
        own = self.heading_topics(section.heading)
        context: set[str] = set()
        for heading in (title, *section.ancestors) if section.level else section.ancestors:
            context |= self.heading_topics(heading)
        body = self.mentions(plain_text(section.body))
        scores: dict[str, float] = {}
        for topic in own | context | set(body):
            scores[topic] = float(HEADING_SCORE * (topic in own) + ANCESTOR_SCORE * (topic in context)
                                  + min(body.get(topic, 0), BODY_CAP))
        if not scores:
            return {}
        best = max(scores.values())
        return {t: s for t, s in sorted(scores.items()) if t in own or 2 * s >= best}
