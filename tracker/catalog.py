"""Exam catalogs: one TOML file per exam, shipped in ``content/catalogs`` and
added by the user from folders of their own.

Every file is validated field by field; a bad file is refused with one line
naming the file and the field. Lookups of exam codes and topics are
case-insensitive and suggest close matches when nothing fits.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from tracker.errors import CatalogError, NotFound

STATUSES = ("active", "retiring", "retired")
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{1,39}$")


def shipped_content_dir() -> Path:
    """``content/`` from a checkout, or its copy inside an installed wheel."""
    here = Path(__file__).resolve().parent
    packaged = here / "_content"
    if packaged.is_dir():
        return packaged
    return here.parent / "content"


@dataclass(frozen=True)
class Topic:
    name: str
    domain: str
    aliases: tuple[str, ...] = ()
    summary: str | None = None

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Domain:
    number: int
    name: str
    weight_min: float
    weight_max: float
    topics: tuple[Topic, ...]

    @property
    def weight(self) -> float:
        """The weight as one figure: the midpoint of a range."""
        return (self.weight_min + self.weight_max) / 2

    def weight_text(self) -> str:
        if self.weight_min == self.weight_max:
            return f"{self.weight_min:g}%"
        return f"{self.weight_min:g}–{self.weight_max:g}%"


@dataclass(frozen=True)
class Exam:
    code: str
    vendor: str
    name: str
    level: str
    status: str
    domains: tuple[Domain, ...]
    source: Path
    aliases: tuple[str, ...] = ()
    status_date: date | None = None
    successor: str | None = None
    questions: int | None = None
    scored_questions: int | None = None
    questions_range: tuple[int, int] | None = None
    minutes: int | None = None
    pass_mark: int | None = None
    score_min: int | None = None
    score_max: int | None = None
    price_usd: int | None = None
    validity_years: int | None = None
    expires: bool = True
    guide: str | None = None
    confirmation: str | None = None
    _topic_index: dict[str, Topic] = field(default_factory=dict, repr=False, compare=False)

    @property
    def topics(self) -> tuple[Topic, ...]:
        return tuple(t for d in self.domains for t in d.topics)

    def status_text(self, today: date | None = None) -> str:
        if self.status_date is None:
            return self.status
        if today is not None and self.status == "retiring" and self.status_date < today:
            return f"retired {self.status_date.isoformat()}"
        return f"{self.status} {self.status_date.isoformat()}"

    def is_retired(self, today: date) -> bool:
        if self.status == "retired":
            return True
        return self.status == "retiring" and self.status_date is not None and self.status_date < today

    def domain_of(self, topic_name: str) -> Domain:
        topic = self.topic(topic_name)
        return next(d for d in self.domains if d.name == topic.domain)

    def find_topic(self, text: str) -> Topic | None:
        return self._topic_index.get(text.strip().casefold())

    def topic(self, text: str) -> Topic:
        """The topic named ``text`` (name or alias, any case) or a NotFound with suggestions."""
        found = self.find_topic(text)
        if found is not None:
            return found
        names = self.similar_topics(text)
        hint = f"; closest: {', '.join(names)}" if names else ""
        raise NotFound(f"{self.code} has no topic {text!r}{hint}")

    def similar_topics(self, text: str, limit: int = 5) -> list[str]:
        """Topic names that look like ``text``: containing it, or spelled alike."""
        key = text.strip().casefold()
        found: list[str] = []
        if len(key) >= 2:
            for word, topic in self._topic_index.items():
                if re.search(rf"\b{re.escape(key)}", word) and topic.name not in found:
                    found.append(topic.name)
        import difflib

        for close in difflib.get_close_matches(key, list(self._topic_index), n=limit, cutoff=0.5):
            name = self._topic_index[close].name
            if name not in found:
                found.append(name)
        return found[:limit]

    def domain(self, ref: str) -> Domain:
        """A domain by number (1-based), exact name, or unambiguous name prefix."""
        text = ref.strip()
        if text.isdigit():
            n = int(text)
            if 1 <= n <= len(self.domains):
                return self.domains[n - 1]
            raise NotFound(f"{self.code} has domains 1 to {len(self.domains)}, not {n}")
        folded = text.casefold()
        for d in self.domains:
            if d.name.casefold() == folded:
                return d
        matches = [d for d in self.domains if d.name.casefold().startswith(folded)]
        if not matches:
            # "secure" for "Design Secure Architectures": a word inside the name.
            pattern = re.compile(rf"\b{re.escape(folded)}")
            matches = [d for d in self.domains if pattern.search(d.name.casefold())]
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise NotFound(
                f"{text!r} matches several {self.code} domains: "
                + ", ".join(d.name for d in matches)
            )
        raise NotFound(
            f"{self.code} has no domain {text!r}; domains: "
            + "; ".join(f"{d.number}. {d.name}" for d in self.domains)
        )


class Catalog:
    """All exams known to this run, by upper-case code and by alias."""

    def __init__(self, exams: list[Exam]):
        self.exams = sorted(exams, key=lambda e: (e.vendor, e.code))
        self._index: dict[str, Exam] = {}
        for exam in self.exams:
            for key in (exam.code, *exam.aliases):
                self._index[key.casefold()] = exam

    def __iter__(self):
        return iter(self.exams)

    def __len__(self) -> int:
        return len(self.exams)

    def find(self, code: str) -> Exam | None:
        return self._index.get(code.strip().casefold())

    def exam(self, code: str) -> Exam:
        found = self.find(code)
        if found is not None:
            return found
        import difflib

        close = difflib.get_close_matches(code.strip().casefold(), list(self._index), n=3, cutoff=0.6)
        names = sorted({self._index[c].code for c in close})
        hint = f"; did you mean {', '.join(names)}?" if names else ""
        raise NotFound(f"unknown exam code {code!r}{hint} ('certjourney catalog list' shows all)")


# --- loading and validation -------------------------------------------------

_EXAM_KEYS = {
    "code": str, "vendor": str, "name": str, "level": str, "status": str, "aliases": list,
    "status_date": date, "successor": str, "questions": int, "scored_questions": int,
    "questions_range": list, "minutes": int, "pass_mark": int, "score_min": int,
    "score_max": int, "price_usd": int, "validity_years": int, "expires": bool, "guide": str,
    "confirmation": str, "domains": list,
}
_REQUIRED = ("code", "vendor", "name", "level", "status", "domains")
_DOMAIN_KEYS = {"name": str, "weight": (int, float), "weight_min": (int, float),
                "weight_max": (int, float), "topics": list}
_TOPIC_KEYS = {"name": str, "aliases": list, "summary": str}


class _Checker:
    def __init__(self, path: Path):
        self.path = path

    def fail(self, where: str, problem: str) -> CatalogError:
        return CatalogError(f"{self.path}: {where}: {problem}")

    def table(self, data: Any, where: str, keys: dict[str, Any], required: tuple[str, ...]):
        if not isinstance(data, dict):
            raise self.fail(where, "must be a table")
        for key in data:
            if key not in keys:
                raise self.fail(f"{where}.{key}" if where else key, "unknown field")
        for key in required:
            if key not in data:
                raise self.fail(f"{where}.{key}" if where else key, "missing")
        for key, value in data.items():
            expected = keys[key]
            name = f"{where}.{key}" if where else key
            if isinstance(value, bool) and expected is not bool:
                raise self.fail(name, f"must be {_type_name(expected)}, not true/false")
            if not isinstance(value, expected):
                raise self.fail(name, f"must be {_type_name(expected)}, not {_toml_type(value)}")
            if isinstance(value, str) and not value.strip():
                raise self.fail(name, "is empty")
            if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
                raise self.fail(name, "must not be negative")

    def strings(self, values: list, where: str) -> tuple[str, ...]:
        for i, v in enumerate(values):
            if not isinstance(v, str) or not v.strip():
                raise self.fail(f"{where}[{i}]", "must be a non-empty string")
        return tuple(v.strip() for v in values)


def _type_name(expected: Any) -> str:
    if isinstance(expected, tuple):
        return "a number"
    return {str: "a string", int: "an integer", bool: "true or false", list: "a list",
            date: "a date (YYYY-MM-DD)", dict: "a table"}.get(expected, str(expected))


def _toml_type(value: Any) -> str:
    return {str: "a string", int: "an integer", float: "a number", bool: "true/false",
            list: "a list", dict: "a table", date: "a date"}.get(type(value), type(value).__name__)


def parse_exam(path: Path, data: dict[str, Any]) -> Exam:
    """Validate one catalog file's data and build its :class:`Exam`."""
    check = _Checker(path)
    check.table(data, "", _EXAM_KEYS, _REQUIRED)
    code = data["code"].strip()
    if not CODE_RE.match(code):
        raise check.fail("code", f"{code!r} must be 2-40 letters, digits and hyphens")
    if data["status"] not in STATUSES:
        raise check.fail("status", f"must be one of {', '.join(STATUSES)}, not {data['status']!r}")
    if data["status"] == "active" and "status_date" in data:
        raise check.fail("status_date", "an active exam has no retirement date")
    if ("score_min" in data) != ("score_max" in data):
        raise check.fail("score_max" if "score_min" in data else "score_min",
                         "give score_min and score_max together")
    if "score_min" in data and data["score_min"] >= data["score_max"]:
        raise check.fail("score_max", "must be above score_min")
    if "pass_mark" in data and "score_max" in data and not (
        data["score_min"] <= data["pass_mark"] <= data["score_max"]
    ):
        raise check.fail("pass_mark", "must lie between score_min and score_max")
    qrange = None
    if "questions_range" in data:
        values = data["questions_range"]
        if len(values) != 2 or not all(isinstance(v, int) and not isinstance(v, bool)
                                       for v in values) or values[0] > values[1]:
            raise check.fail("questions_range", "must be [min, max] with two integers, min <= max")
        qrange = (values[0], values[1])
    if data.get("confirmation") not in (None, "full", "partial"):
        raise check.fail("confirmation", "must be full or partial")
    if data.get("expires") is False and "validity_years" in data:
        raise check.fail("validity_years", "an exam that does not expire has no validity")
    if "validity_years" in data and data["validity_years"] == 0:
        raise check.fail("validity_years", "must be at least 1 (leave it out if it never expires)")

    domains_data = data["domains"]
    if not domains_data:
        raise check.fail("domains", "an exam needs at least one domain")
    domains: list[Domain] = []
    seen_topics: dict[str, str] = {}
    domain_names: set[str] = set()
    for i, raw in enumerate(domains_data):
        where = f"domains[{i}]"
        check.table(raw, where, _DOMAIN_KEYS, ("name", "topics"))
        name = raw["name"].strip()
        if name.casefold() in domain_names:
            raise check.fail(f"{where}.name", f"duplicate domain {name!r}")
        domain_names.add(name.casefold())
        if "weight" in raw:
            if "weight_min" in raw or "weight_max" in raw:
                raise check.fail(f"{where}.weight", "give weight, or weight_min and weight_max")
            low = high = float(raw["weight"])
        elif "weight_min" in raw and "weight_max" in raw:
            low, high = float(raw["weight_min"]), float(raw["weight_max"])
            if low > high:
                raise check.fail(f"{where}.weight_max", "must not be below weight_min")
        else:
            raise check.fail(f"{where}.weight", "missing (weight, or weight_min and weight_max)")
        if high > 100:
            raise check.fail(f"{where}.weight", "must not exceed 100")
        topics_data = raw["topics"]
        if not topics_data:
            raise check.fail(f"{where}.topics", "a domain needs at least one topic")
        topics: list[Topic] = []
        for j, traw in enumerate(topics_data):
            twhere = f"{where}.topics[{j}]"
            check.table(traw, twhere, _TOPIC_KEYS, ("name",))
            tname = traw["name"].strip()
            aliases = check.strings(traw.get("aliases", []), f"{twhere}.aliases")
            summary = traw.get("summary")
            if summary is not None and "\n" in summary.strip():
                raise check.fail(f"{twhere}.summary", "must be one line")
            for k, word in enumerate((tname, *aliases)):
                key = word.casefold()
                field_name = f"{twhere}.name" if k == 0 else f"{twhere}.aliases[{k - 1}]"
                if key in seen_topics:
                    kind = "topic name" if k == 0 else "alias"
                    raise check.fail(field_name, f"duplicate {kind} {word!r} (already {seen_topics[key]})")
                seen_topics[key] = f"used by topic {tname!r}" if k else f"topic {tname!r}"
            topics.append(Topic(name=tname, domain=name, aliases=aliases,
                                summary=summary.strip() if summary else None))
        domains.append(Domain(number=i + 1, name=name, weight_min=low, weight_max=high,
                              topics=tuple(topics)))
    low_sum = sum(d.weight_min for d in domains)
    high_sum = sum(d.weight_max for d in domains)
    if not (low_sum - 0.5 <= 100 <= high_sum + 0.5):
        if low_sum == high_sum:
            raise check.fail("domains", f"weights sum to {low_sum:g}, not 100")
        raise check.fail("domains", f"weights range {low_sum:g}–{high_sum:g} cannot sum to 100")

    exam = Exam(
        code=code.upper(), vendor=data["vendor"].strip(), name=data["name"].strip(),
        level=data["level"].strip(), status=data["status"], domains=tuple(domains), source=path,
        aliases=check.strings(data.get("aliases", []), "aliases"),
        status_date=data.get("status_date"), successor=data.get("successor"),
        questions=data.get("questions"), scored_questions=data.get("scored_questions"),
        questions_range=qrange, minutes=data.get("minutes"), pass_mark=data.get("pass_mark"),
        score_min=data.get("score_min"), score_max=data.get("score_max"),
        price_usd=data.get("price_usd"), validity_years=data.get("validity_years"),
        expires=data.get("expires", True), guide=data.get("guide"),
        confirmation=data.get("confirmation"),
    )
    for topic in exam.topics:
        for word in topic.names():
            exam._topic_index[word.casefold()] = topic
    return exam


def read_exam_file(path: Path) -> Exam:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CatalogError(f"{path}: line {line}: not UTF-8 text") from None
    import tomllib  # only when a file is parsed: the validated catalog is usually cached

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{path}: invalid TOML: {exc}") from None
    return parse_exam(path, data)


def catalog_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.toml") if p.is_file())


def _cache_path() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path("certjourney", appauthor=False) / "catalog.pickle"


def _signature(files: list[Path]) -> str:
    """Changes whenever a catalog file, this module or the Python version changes."""
    parts = [sys.version, str(Path(__file__).stat().st_mtime_ns)]
    for path in files:
        st = path.stat()
        parts.append(f"{path}\0{st.st_mtime_ns}\0{st.st_size}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _read_cache(signature: str) -> list[Exam] | None:
    try:
        with open(_cache_path(), "rb") as handle:
            stored_signature, exams = pickle.load(handle)
    except Exception:  # missing, stale or unreadable: parse the files instead
        return None
    return exams if stored_signature == signature else None


def _write_cache(signature: str, exams: list[Exam]) -> None:
    path = _cache_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as handle:
            pickle.dump((signature, exams), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only cache folder only costs speed


def load_catalog(extra_dirs: tuple[Path, ...] | list[Path] = (), *, use_cache: bool = True) -> Catalog:
    """The shipped catalogs plus every ``*.toml`` in the user's folders.

    Parsing and validating every TOML file costs more than the rest of a
    short command, so the validated exams are cached (in the user cache
    folder) until any file changes.
    """
    folders = [shipped_content_dir() / "catalogs"]
    for folder in extra_dirs:
        if not folder.is_dir():
            raise CatalogError(f"{folder}: catalog folder does not exist")
        folders.append(folder)
    files = [path for folder in folders for path in catalog_files(folder)]
    signature = _signature(files) if use_cache else ""
    cached = _read_cache(signature) if use_cache else None
    if cached is not None:
        return Catalog(cached)
    exams: list[Exam] = []
    owners: dict[str, Path] = {}
    for folder in folders:
        for path in catalog_files(folder):
            exam = read_exam_file(path)
            for key in (exam.code, *exam.aliases):
                other = owners.get(key.casefold())
                if other is not None:
                    field_name = "code" if key == exam.code else "aliases"
                    raise CatalogError(f"{path}: {field_name}: {key!r} is already defined in {other}")
                owners[key.casefold()] = path
            exams.append(exam)
    if use_cache:
        _write_cache(signature, exams)
    return Catalog(exams)
