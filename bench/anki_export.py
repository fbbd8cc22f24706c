"""Anki export of 10,000 cards against genanki alone building and writing the same notes.

Timed in-process (function calls, not processes: start-up is measured by
startup.py), interleaved rounds, medians — as common.py does for processes.
Each timed step starts from a collected heap (``gc.collect()``, untimed), so no
step pays for garbage another left:

- ``genanki alone``: genanki.Note objects with the same HTML fields, GUIDs,
  tags, models and decks, written with ``genanki.Package.write_to_file``.
- ``certjourney exporter``: ``exporters.anki`` on the 10,000 prepared cards
  (parsed, fields rendered: what a re-export of unchanged cards has) — building
  each note (deck name, tags, ordinals) and writing the package atomically.
  Limit: 1.3x genanki alone.
- ``certjourney export, cards unchanged``: ``exporters.anki_job.write_cards``, the
  call ``export anki`` makes once it has the cards: it also brings ``card_state``
  up to date (one query for the stored state, hashes of every note, changed_at)
  on a SQLite database in a temporary folder, here with no card changed.
  Limit: 1.3x.
- ``certjourney export, first time``: the same with an empty ``card_state`` (emptied
  before the step, untimed), so every card's markdown is rendered and sanitised
  (cmark-gfm + nh3) and its state inserted. Rendering uses the other cores through
  forked helpers (``exporters.anki.render_cards``), as the CLI does. Limit: 1.3x.

Run: ``python bench/anki_export.py [--cards N] [--runs N]``.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from common import report  # noqa: E402

TIMESTAMP = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
ANSWERS = (
    "{w}: return traffic is allowed automatically, whatever the inbound rules.",
    "**Stateful** {w}: return traffic is allowed.\nNetwork ACLs are *stateless*: both directions need rules.",
    "Use `{w}` with:\n\n- one static IP per AZ\n- or your own Elastic IPs",
    "In a *public* subnet ({w}), with a route to the internet gateway:\n\n```\n0.0.0.0/0 -> igw-1234\n```",
)


def make_cards(n: int, seed: int = 7):
    """``n`` cards over every SAA-C03 topic: 4 in 5 basic, the rest clozes; half with markdown."""
    from tracker.cards import make_card
    from tracker.catalog import load_catalog

    exam = load_catalog().exam("SAA-C03")
    rng = random.Random(seed)
    words = [w for t in exam.topics for w in t.name.split()]
    cards = []
    for i in range(n):
        topic = exam.topics[i % len(exam.topics)]
        w = " ".join(rng.choice(words) for _ in range(3))
        if i % 5 == 4:
            front = f"An {{{{c1::{w}}}}} works at layer {{{{c2::{i % 7 + 1}}}}} (card {i})."
            cards.append(make_card(exam, topic, "cloze", front, f"Extra {w}", tags=("generated",),
                                   source="bench.md", line=i))
        else:
            front = f"Question {i} about {topic.name}: what does {w} do?"
            back = ANSWERS[i % len(ANSWERS)].format(w=w)
            cards.append(make_card(exam, topic, "basic", front, back, tags=("generated",),
                                   source="bench.md", line=i))
    return cards


def genanki_alone(cards, fields, out: Path) -> None:
    """What a plain genanki script does with the same notes."""
    import genanki

    from exporters.anki import MODELS, card_tags, deck_id, deck_name

    decks: dict[str, genanki.Deck] = {}
    for card, (front, back) in zip(cards, fields, strict=True):
        name = deck_name(card.exam, card.domain, card.topic)
        deck = decks.get(name)
        if deck is None:
            deck = decks[name] = genanki.Deck(deck_id(name), name)
        deck.add_note(genanki.Note(model=MODELS[card.kind], fields=[front, back], guid=card.guid,
                                   tags=list(card_tags(card, weak=False))))
    genanki.Package(list(decks.values())).write_to_file(str(out), timestamp=TIMESTAMP.timestamp())


def exporter(cards, fields, out: Path) -> None:
    from exporters.anki import anki_note, write_package

    mod = int(TIMESTAMP.timestamp())
    notes = [anki_note(card, f, mod=mod) for card, f in zip(cards, fields, strict=True)]
    write_package(notes, out, timestamp=TIMESTAMP.timestamp())


class Service:
    """``prepare_export`` + ``write_package`` on a SQLite database, as ``export anki`` calls them."""

    def __init__(self, folder: Path):
        from sqlmodel import Session

        from tracker.db import open_database
        from tracker.services.learners import learner_id

        self.db = open_database(f"sqlite:///{folder / 'bench.db'}")
        self.session_class = Session
        with Session(self.db.writer) as session:
            self.learner = learner_id(session, "bench")
            session.commit()

    def clear(self) -> None:
        from sqlalchemy import delete

        from tracker.models import CardState

        with self.session_class(self.db.writer) as session:
            session.execute(delete(CardState.__table__))
            session.commit()

    def export(self, cards, out: Path) -> None:
        from exporters.anki_job import write_cards

        with self.session_class(self.db.writer) as session:
            write_cards(session, self.learner, cards, set(), out, TIMESTAMP)
            session.commit()


def timed(func) -> float:
    """Seconds ``func`` takes, from a collected heap: no step pays for another's garbage."""
    gc.collect()
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()

    import warnings

    from exporters.anki import helpers_for, render_card

    warnings.filterwarnings("ignore", module="genanki")
    cards = make_cards(args.cards)
    start = time.perf_counter()
    fields = [render_card(c).fields for c in cards]
    render_s = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        service = Service(folder)
        names = ("genanki alone", "certjourney exporter", "certjourney export, cards unchanged",
                 "certjourney export, first time")

        steps = {
            names[0]: lambda: genanki_alone(cards, fields, folder / "a.apkg"),
            names[1]: lambda: exporter(cards, fields, folder / "b.apkg"),
            names[2]: lambda: service.export(cards, folder / "c.apkg"),
            names[3]: lambda: service.export(cards, folder / "d.apkg"),
        }
        # Untimed, before a step: emptying card_state is no part of a first export.
        setups = {names[3]: service.clear}
        service.export(cards, folder / "c.apkg")          # card_state for "cards unchanged"
        for name, step in steps.items():                  # warm-up round
            setups.get(name, lambda: None)()
            step()
        samples: dict[str, list[float]] = {name: [] for name in names}
        for _ in range(args.runs):
            # After the first-time export card_state holds every card: "unchanged" again.
            for name in (names[0], names[1], names[0], names[2], names[3]):
                setups.get(name, lambda: None)()
                samples[name].append(timed(steps[name]))
        medians = {name: statistics.median(values) for name, values in samples.items()}
        service.db.dispose()
    print(f"python {sys.version.split()[0]}; {args.cards:,} cards; {args.runs} interleaved rounds "
          f"(genanki alone twice a round); rendering all fields once, in-process: {render_s:.2f} s; "
          f"rendering helpers on a first export: {helpers_for(len(cards))}")
    ok = report(f"Anki export of {args.cards:,} cards", medians, "genanki alone",
                limits={names[1]: 1.3, names[2]: 1.3, names[3]: 1.3})
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
