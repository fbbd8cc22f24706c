"""A realistic study history, written for certjourney, Watson, Timewarrior and Toggl.

One learner pursues six goals on five exams (CLF-C02 passed, DVA-C02, MLS-C01
and DP-100 passed, SAA-C03 failed and now being retaken), studying ~40 catalog
topics in sessions of 15 minutes to 3 hours, mostly on weekday evenings and at
weekends, with descriptions and 0-3 tags, never overlapping. Everything comes
from one seeded ``random.Random``: the same arguments give the same history.

The same history is written as

- ``certjourney.db``: a certjourney database (Core inserts; the learner is the
  login name, the CLI's default learner);
- ``watson/``: a Watson folder (``WATSON_DIR``): ``frames`` and ``state``;
- ``timewarrior/``: a Timewarrior folder (``TIMEWARRIORDB``): ``timewarrior.cfg``,
  ``data/YYYY-MM.data`` and ``data/tags.data``;
- ``toggl.csv``: a Toggl Track detailed-report CSV (local times).

How long the history is: the goals span about six years ending yesterday as
long as six years of evenings and weekends hold N sessions. They hold about
40 sessions a week at most (~12,500 in six years), so a larger N stretches the
same plan further back: N = 100,000 starts around 1980. A history of 100,000
sessions of at least 15 minutes cannot fit in six years without overlaps.

Run: ``python bench/generate.py --entries N --out DIR`` (or import
:func:`cached` to reuse bench/.work/history-N-... between benchmark runs).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
import sys
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / ".work"
sys.path.insert(0, str(ROOT))

# Bump when the output changes, so cached histories are rebuilt.
FORMAT_VERSION = 1
DEFAULT_ENTRIES = 100_000
DEFAULT_SEED = 20261123
PLAN_YEARS = 6
TOPICS_PER_EXAM = 8

# Sessions a week at full density: weekday evenings and weekend days.
WEEKDAY_SESSIONS = 4.5
WEEKEND_SESSIONS = 11.0
STUDY_PROBABILITY = 0.92  # the rest are days off (ill, travelling, holidays)
FULL_WEEKLY = (5 * WEEKDAY_SESSIONS + 2 * WEEKEND_SESSIONS) * STUDY_PROBABILITY
MIN_SESSION = 15 * 60
MAX_SESSION = 3 * 3600

# (key, exam code, final status, share of the timeline, target hours).
PLAN = (
    ("clf", "CLF-C02", "passed", 0.10, 30),
    ("dva", "DVA-C02", "passed", 0.20, 80),
    ("mls", "MLS-C01", "passed", 0.22, 120),
    ("dp100", "DP-100", "passed", 0.16, 90),
    ("saa1", "SAA-C03", "failed", 0.18, 70),
    ("saa2", "SAA-C03", "booked", 0.14, 60),
)
OPEN_CERT = "SAA-C03"  # the open goal, where a new timer goes

# What a session is, with the tags that tend to go with it.
ACTIVITIES = (
    # weight, description templates, tags
    (24, ("Video course: {topic}", "Watched lectures on {topic}", "Course section {n}: {topic}"),
     ("video", "udemy", "adrian cantrill", "skill builder", "course")),
    (18, ("Read the docs on {topic}", "Reading: {topic}", "FAQ and docs: {topic}"),
     ("docs", "reading", "faq", "notes")),
    (16, ("Hands-on lab: {topic}", "Built a demo for {topic}", "Lab {n} ({topic})"),
     ("lab", "hands-on", "console", "cli")),
    (14, ("Practice exam {n}", "Practice questions: {topic}", "Reviewed practice exam {n}"),
     ("practice exam", "tutorials dojo", "review", "weak area")),
    (10, ("Flashcards", "Anki review, {topic}", "Flashcards: {topic}"),
     ("flashcards", "anki", "review")),
    (8, ("Whitepaper: {topic}", "Summary notes on {topic}", "Mind map of {topic}"),
     ("whitepaper", "notes", "reading")),
    (6, ("Study group", "Study group: {topic}", "Explained {topic} to a friend"),
     ("study group", "discussion")),
    (4, ("", "Misc study", "Catch-up"),
     ("misc",)),
)
EXTRA_TAGS = ("focus", "weak area", "morning coffee", "commute", "exam week", "deep dive")


@dataclass(frozen=True)
class GoalSpec:
    id: int
    code: str
    vendor: str
    status: str
    study_from: int  # Unix seconds: the first instant of its study window
    study_to: int
    exam_date: date | None
    passed_on: date | None
    target_hours: float
    topics: tuple[str, ...]
    topic_weights: tuple[float, ...]

    @property
    def project(self) -> str:
        """The project name in Watson and Toggl, a tag in Timewarrior: 'AWS SAA-C03'."""
        return f"{self.vendor} {self.code}"


@dataclass(frozen=True)
class Session:
    start: int
    stop: int
    goal: int  # index into History.goals
    topic: str | None
    description: str
    tags: tuple[str, ...]
    source: str
    uid: str  # 32 hex digits: Watson frame id


@dataclass
class History:
    learner: str
    end_day: date
    goals: list[GoalSpec]
    sessions: list[Session] = field(default_factory=list)

    def first_day(self) -> date:
        return datetime.fromtimestamp(self.sessions[0].start).date()

    def report_week(self) -> tuple[date, date]:
        """A Monday-to-Sunday week full of data: the one before the last."""
        last = datetime.fromtimestamp(self.sessions[-1].start).date()
        monday = last - timedelta(days=last.weekday() + 7)
        return monday, monday + timedelta(days=6)


def _local_midnight(day: date) -> int:
    return int(datetime(day.year, day.month, day.day).astimezone().timestamp())


def _pick_topics(exam, rng: random.Random) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """TOPICS_PER_EXAM topics over all domains, weighted by each domain's exam weight."""
    chosen: list[tuple[str, float]] = []
    pools = [list(d.topics) for d in exam.domains]
    i = 0
    while len(chosen) < TOPICS_PER_EXAM and any(pools):
        domain = exam.domains[i % len(pools)]
        pool = pools[i % len(pools)]
        if pool:
            topic = pool.pop(rng.randrange(len(pool)))
            chosen.append((topic.name, domain.weight))
        i += 1
    # Each domain's weight shared by the topics we chose from it.
    per_domain: dict[float, int] = defaultdict(int)
    for _, w in chosen:
        per_domain[w] += 1
    return tuple(n for n, _ in chosen), tuple(w / per_domain[w] for _, w in chosen)


def _durations(rng: random.Random, k: int) -> list[int]:
    out = []
    for _ in range(k):
        r = rng.random()
        if r < 0.50:
            d = rng.randint(15 * 60, 45 * 60)
        elif r < 0.85:
            d = rng.randint(45 * 60, 90 * 60)
        else:
            d = rng.randint(90 * 60, MAX_SESSION)
        out.append(d)
    return out


def _day_sessions(rng: random.Random, day: date, density: float) -> list[tuple[int, int]]:
    """Non-overlapping (start, stop) spans on ``day``, local evening or weekend hours."""
    if rng.random() > STUDY_PROBABILITY:
        return []
    weekend = day.weekday() >= 5
    mean = (WEEKEND_SESSIONS if weekend else WEEKDAY_SESSIONS) * density * rng.uniform(0.4, 1.6)
    k = int(mean) + (rng.random() < mean - int(mean))
    if k == 0:
        return []
    midnight = _local_midnight(day)
    if weekend:
        lo, hi = 8 * 3600 + rng.randint(0, 90) * 60, 23 * 3600 + 30 * 60
    else:
        lo, hi = 17 * 3600 + 30 * 60 + rng.randint(0, 60) * 60, 23 * 3600 + 45 * 60
    spans: list[tuple[int, int]] = []
    earliest = 6 * 3600
    if not weekend and k > 1 and rng.random() < 0.08:  # a lunchtime session
        start = 12 * 3600 + rng.randint(0, 45) * 60 + rng.randint(0, 59)
        spans.append((midnight + start, midnight + start + rng.randint(15 * 60, 40 * 60)))
        earliest = 14 * 3600
        k -= 1
    durations = _durations(rng, k)
    gaps = [rng.randint(5 * 60, 40 * 60) for _ in range(k - 1)]
    window = hi - lo
    if sum(durations) + sum(gaps) > window:
        gaps = [2 * 60] * (k - 1)
    while sum(durations) + sum(gaps) > window:
        if lo > earliest:  # a long day: start earlier
            lo = max(earliest, lo - 3600)
            window = hi - lo
            continue
        excess = sum(durations) + sum(gaps) - window
        longest = max(range(k), key=durations.__getitem__)
        if durations[longest] <= MIN_SESSION:
            durations.pop()
            gaps = gaps[:-1] if gaps else gaps
            k -= 1
            continue
        durations[longest] = max(MIN_SESSION, durations[longest] - excess)
    slack = window - sum(durations) - sum(gaps)
    t = midnight + lo + int(slack * rng.random() ** 2)  # usually early in the window
    for d, g in zip(durations, [*gaps, 0], strict=True):
        spans.append((t, t + d))
        t += d + g
    return spans


def _description(rng: random.Random, topic: str | None) -> tuple[str, tuple[str, ...]]:
    weights = [a[0] for a in ACTIVITIES]
    _, templates, tag_pool = rng.choices(ACTIVITIES, weights)[0]
    template = rng.choice(templates)
    if topic is None and "{topic}" in template:  # "Video course: {topic}" -> "Video course"
        template = template.split(":")[0] if ":" in template else "Study session"
    text = template.format(topic=topic or "", n=rng.randint(1, 12))
    n_tags = rng.choices((0, 1, 2, 3), (20, 40, 28, 12))[0]
    tags: list[str] = []
    pool = list(tag_pool)
    while len(tags) < n_tags:
        source = pool if pool and rng.random() < 0.8 else list(EXTRA_TAGS)
        tag = rng.choice(source)
        if tag not in tags:
            tags.append(tag)
        if tag in pool:
            pool.remove(tag)
    return text, tuple(tags)


def make_history(entries: int = DEFAULT_ENTRIES, *, seed: int = DEFAULT_SEED,
                 end_day: date | None = None, learner: str | None = None) -> History:
    """The history: goals and ``entries`` sessions ending on ``end_day`` (default yesterday)."""
    from tracker.catalog import load_catalog
    from tracker.settings import default_learner

    if entries < 1:
        raise ValueError("at least one entry")
    rng = random.Random(seed)
    end_day = end_day or (date.today() - timedelta(days=1))
    weeks = max(PLAN_YEARS * 52.18, entries / FULL_WEEKLY)
    density = min(1.0, entries / (weeks * FULL_WEEKLY))

    # Sessions, walking back from end_day until there are enough.
    spans: list[tuple[int, int]] = []
    day = end_day
    while len(spans) < entries:
        spans.extend(reversed(_day_sessions(rng, day, density)))
        day -= timedelta(days=1)
    spans = spans[:entries]
    spans.reverse()

    # Goals: consecutive study windows over the timeline, in PLAN's shares.
    catalog = load_catalog()
    t0, t1 = spans[0][0], spans[-1][1]
    goals: list[GoalSpec] = []
    edge = t0
    topics_of: dict[str, tuple[tuple[str, ...], tuple[float, ...]]] = {}
    for i, (_key, code, status, share, target) in enumerate(PLAN):
        exam = catalog.exam(code)
        to = t1 + 1 if i == len(PLAN) - 1 else edge + int((t1 - t0) * share)
        if code not in topics_of:  # a retake studies the same topics
            topics_of[code] = _pick_topics(exam, rng)
        topics, weights = topics_of[code]
        if status == "booked":
            exam_date, passed_on = end_day + timedelta(days=rng.randint(10, 30)), None
        else:
            exam_date = datetime.fromtimestamp(to).date() + timedelta(days=1)
            passed_on = exam_date if status == "passed" else None
        goals.append(GoalSpec(
            id=i + 1, code=exam.code, vendor=exam.vendor, status=status, study_from=edge,
            study_to=to, exam_date=exam_date, passed_on=passed_on, target_hours=float(target),
            topics=topics, topic_weights=weights,
        ))
        edge = to

    sessions: list[Session] = []
    g = 0
    for start, stop in spans:
        while start >= goals[g].study_to:
            g += 1
        goal = goals[g]
        topic = None if rng.random() < 0.04 else rng.choices(goal.topics, goal.topic_weights)[0]
        text, tags = _description(rng, topic)
        sessions.append(Session(
            start=start, stop=stop, goal=g, topic=topic, description=text, tags=tags,
            source="manual" if rng.random() < 0.15 else "timer",
            uid=uuid.UUID(int=rng.getrandbits(128), version=4).hex,
        ))
    return History(learner=learner or default_learner(), end_day=end_day, goals=goals,
                   sessions=sessions)


# -- writers ------------------------------------------------------------------------------


def write_certjourney(history: History, path: Path) -> None:
    """A certjourney database at ``path`` (replaced if it exists)."""
    from sqlalchemy import insert

    from tracker.db import open_database
    from tracker.models import Entry, EntryTag, Goal, Learner

    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = open_database("sqlite:///" + str(Path(path).resolve()), create_folder=True)
    created = history.sessions[0].start - 86400
    with db.writer.begin() as conn:
        learner_id = conn.execute(
            insert(Learner.__table__).values(name=history.learner, created_at=created)
        ).inserted_primary_key[0]
        conn.execute(insert(Goal.__table__), [
            {
                "id": g.id, "learner_id": learner_id, "exam_code": g.code, "status": g.status,
                "exam_date": g.exam_date, "target_hours": g.target_hours,
                "passed_on": g.passed_on, "badge_url": None,
                "created_at": max(created, g.study_from - 86400),
                "updated_at": g.study_to if g.status != "booked" else g.study_from,
            }
            for g in history.goals
        ])
        entry_rows = []
        tag_rows = []
        for i, s in enumerate(history.sessions, start=1):
            entry_rows.append({
                "id": i, "learner_id": learner_id, "goal_id": history.goals[s.goal].id,
                "topic": s.topic, "description": s.description, "start_at": s.start,
                "end_at": s.stop, "source": s.source, "source_key": None,
                "created_at": s.stop, "updated_at": s.stop,
            })
            tag_rows.extend({"entry_id": i, "tag": t} for t in s.tags)
        conn.execute(insert(Entry.__table__), entry_rows)
        if tag_rows:
            conn.execute(insert(EntryTag.__table__), tag_rows)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.exec_driver_sql("ANALYZE")
    db.dispose()


def watson_tags(history: History, s: Session) -> list[str]:
    """Watson has projects and tags only: the topic becomes the first tag."""
    return ([s.topic] if s.topic else []) + list(s.tags)


def write_watson(history: History, folder: Path) -> None:
    """A Watson data folder: ``frames`` (a JSON list) and an empty ``state``."""
    folder.mkdir(parents=True, exist_ok=True)
    frames = [
        [s.start, s.stop, history.goals[s.goal].project, s.uid, watson_tags(history, s), s.stop]
        for s in history.sessions
    ]
    # Watson writes its files with json.dump(..., indent=1, ensure_ascii=False).
    with open(folder / "frames", "w", encoding="utf-8") as f:
        json.dump(frames, f, indent=1, ensure_ascii=False)
    (folder / "state").write_text("{}", encoding="utf-8")


def _tw_quote(text: str) -> str:
    """A tag or annotation as Timewarrior writes it: bare if it is one plain word."""
    if text and not any(c in text for c in ' "\t#'):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def timewarrior_tags(history: History, s: Session) -> list[str]:
    """Timewarrior has tags only: the project, the topic, then the entry's tags."""
    goal = history.goals[s.goal]
    return [goal.project, *([s.topic] if s.topic else []), *s.tags]


def _tw_time(ts: int) -> str:
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(ts))


def write_timewarrior(history: History, folder: Path) -> None:
    """A Timewarrior database: one ``data/YYYY-MM.data`` file per month, as timew 1.4 writes."""
    data = folder / "data"
    if data.exists():
        shutil.rmtree(data)
    data.mkdir(parents=True)
    (folder / "timewarrior.cfg").touch()
    counts: dict[str, int] = defaultdict(int)
    months: dict[str, list[str]] = defaultdict(list)
    for s in history.sessions:
        tags = sorted(set(timewarrior_tags(history, s)))  # timew keeps tags in a sorted set
        for t in tags:
            counts[t] += 1
        line = f"inc {_tw_time(s.start)} - {_tw_time(s.stop)} # " + " ".join(map(_tw_quote, tags))
        if s.description:
            line += " # " + _tw_quote(s.description)
        months[time.strftime("%Y-%m", time.gmtime(s.start))].append(line)
    for month, lines in months.items():
        (data / f"{month}.data").write_text("\n".join(lines) + "\n", encoding="utf-8")
    tags_json = ",\n".join(f"  {json.dumps(t, ensure_ascii=False)}:{{\"count\":{n}}}"
                           for t, n in sorted(counts.items()))
    (data / "tags.data").write_text("{\n" + tags_json + "\n}", encoding="utf-8")


TOGGL_HEADER = ("User", "Email", "Client", "Project", "Task", "Description", "Billable",
                "Start date", "Start time", "End date", "End time", "Duration", "Tags",
                "Amount (USD)")


def _hms(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def write_toggl(history: History, path: Path) -> None:
    """A Toggl Track detailed-report CSV: local dates and times, the topic as the Task."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(TOGGL_HEADER)
        email = f"{history.learner}@example.com"
        for s in history.sessions:
            goal = history.goals[s.goal]
            a, b = datetime.fromtimestamp(s.start), datetime.fromtimestamp(s.stop)
            out.writerow((
                history.learner, email, goal.vendor, goal.project, s.topic or "", s.description,
                "No", a.strftime("%Y-%m-%d"), a.strftime("%H:%M:%S"), b.strftime("%Y-%m-%d"),
                b.strftime("%H:%M:%S"), _hms(s.stop - s.start), ", ".join(s.tags), "",
            ))


def goal_add_args(history: History) -> list[list[str]]:
    """``certjourney goal add`` arguments that recreate the history's goals in a new database."""
    args = []
    for g in history.goals:
        a = ["goal", "add", g.code, "--target-hours", f"{g.target_hours:g}"]
        if g.status == "passed":
            a += ["--exam-date", g.exam_date.isoformat(), "--passed-on", g.passed_on.isoformat()]
        elif g.status == "failed":
            a += ["--status", "failed", "--exam-date", g.exam_date.isoformat()]
        else:
            a += ["--status", g.status, "--exam-date", g.exam_date.isoformat()]
        args.append(a)
    return args


def summary(history: History) -> dict:
    """What a benchmark needs to know about a history, kept beside the files as meta.json."""
    week = history.report_week()
    return {
        "entries": len(history.sessions),
        "learner": history.learner,
        "first_day": history.first_day().isoformat(),
        "last_day": history.end_day.isoformat(),
        "hours": round(sum(s.stop - s.start for s in history.sessions) / 3600, 1),
        "topics": len({s.topic for s in history.sessions if s.topic}),
        "week": [week[0].isoformat(), week[1].isoformat()],
        "week_entries": sum(1 for s in history.sessions
                            if week[0] <= datetime.fromtimestamp(s.start).date() <= week[1]),
        "open_cert": OPEN_CERT,
        "goal_add": goal_add_args(history),
    }


@dataclass(frozen=True)
class Generated:
    folder: Path
    meta: dict

    @property
    def db(self) -> Path:
        return self.folder / "certjourney.db"

    @property
    def watson(self) -> Path:
        return self.folder / "watson"

    @property
    def timewarrior(self) -> Path:
        return self.folder / "timewarrior"

    @property
    def toggl(self) -> Path:
        return self.folder / "toggl.csv"


def generate(entries: int, out: Path, *, seed: int = DEFAULT_SEED,
             end_day: date | None = None, verbose: bool = False) -> Generated:
    """Write the history of ``entries`` sessions into ``out`` in all four forms."""
    out.mkdir(parents=True, exist_ok=True)
    steps = []
    t = time.perf_counter()
    history = make_history(entries, seed=seed, end_day=end_day)
    steps.append(("history", time.perf_counter() - t))
    generated = Generated(out, summary(history))
    for name, write, target in (
        ("certjourney", write_certjourney, generated.db),
        ("watson", write_watson, generated.watson),
        ("timewarrior", write_timewarrior, generated.timewarrior),
        ("toggl", write_toggl, generated.toggl),
    ):
        t = time.perf_counter()
        write(history, target)
        steps.append((name, time.perf_counter() - t))
    (out / "meta.json").write_text(json.dumps(generated.meta, indent=1), encoding="utf-8")
    if verbose:
        m = generated.meta
        print(f"{entries:,} entries, {len(history.goals)} goals, {m['topics']} topics, "
              f"{m['hours']:,.0f} h, {m['first_day']} to {m['last_day']}; "
              f"learner {m['learner']!r}")
        print("  generated in " + ", ".join(f"{name} {secs:.1f} s" for name, secs in steps)
              + f"; total {sum(s for _, s in steps):.1f} s")
    return generated


def cache_folder(entries: int, seed: int, end_day: date) -> Path:
    """Named by everything the files depend on, the database schema included."""
    from tracker.db import HEAD_REVISION

    return WORK / (f"history-{entries}-{seed}-{end_day.isoformat()}-v{FORMAT_VERSION}"
                   f"-schema{HEAD_REVISION}")


def cached(entries: int = DEFAULT_ENTRIES, *, seed: int = DEFAULT_SEED,
           end_day: date | None = None, verbose: bool = True) -> Generated:
    """The history under bench/.work/history-N-SEED-ENDDAY-vV-schemaR, made on first use."""
    end_day = end_day or (date.today() - timedelta(days=1))
    folder = cache_folder(entries, seed, end_day)
    meta = folder / "meta.json"
    if (folder / ".complete").exists() and meta.exists():
        if verbose:
            print(f"reusing {folder.relative_to(ROOT)}")
        return Generated(folder, json.loads(meta.read_text(encoding="utf-8")))
    for stale in WORK.glob(f"history-{entries}-*"):  # older days, schemas or formats
        shutil.rmtree(stale)
    if verbose:
        print(f"generating {folder.relative_to(ROOT)}")
    generated = generate(entries, folder, seed=seed, end_day=end_day, verbose=verbose)
    (folder / ".complete").write_text(datetime.now(UTC).isoformat())
    return generated


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=DEFAULT_ENTRIES)
    parser.add_argument("--out", type=Path, help="Folder to write (default: the cache under "
                        "bench/.work, reused when it exists).")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--end", type=date.fromisoformat, help="Last day (default: yesterday).")
    args = parser.parse_args()
    if args.entries < 1:
        parser.error("--entries must be at least 1")
    if args.out is None:
        generated = cached(args.entries, seed=args.seed, end_day=args.end)
    else:
        generated = generate(args.entries, args.out, seed=args.seed, end_day=args.end,
                             verbose=True)
    print(f"  {generated.db}\n  WATSON_DIR={generated.watson}\n"
          f"  TIMEWARRIORDB={generated.timewarrior}\n  {generated.toggl}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
