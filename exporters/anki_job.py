"""One Anki export, start to finish: scope, weakest topics, cards, rendering,
the package. Shared by ``certjourney export anki`` and the TUI's export dialog."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from tracker import clock
from tracker.bulk import paused_gc
from tracker.errors import InvalidInput, NotFound
from tracker.models import OPEN_STATUSES
from tracker.services import cards as cards_service


@dataclass(frozen=True)
class AnkiExport:
    target: Path
    summary: Any      # exporters.anki.PackageSummary
    plan: Any         # tracker.services.cards.ExportPlan
    card_set: Any     # tracker.services.cards.CardSet


def check_target(out: str) -> Path:
    target = Path(out).expanduser()
    if target.is_dir():
        raise InvalidInput(f"--out {out}: is a folder")
    if not (target.parent if str(target.parent) else Path(".")).is_dir():
        raise InvalidInput(f"--out {out}: folder {target.parent} does not exist")
    return target


def export_anki(session, learner_id: int, catalog, *, out: str, folders, code: str | None = None,
                weak: bool = False, top: int | None = None, topics=(), all_goals: bool = False,
                exam_code: str | None = None) -> AnkiExport:
    """Write the package of the chosen cards; raise a TrackerError on bad choices."""
    if code and all_goals:
        raise InvalidInput("give CODE or --all, not both")
    if exam_code and (code or all_goals):
        raise InvalidInput("--exam exports an exam's cards without a goal: leave out CODE and --all")
    if weak and topics:
        raise InvalidInput("give --weak or --topic, not both")
    if weak and exam_code:
        raise InvalidInput("--weak ranks a goal's topics: name the goal (CODE) instead of --exam")
    target = check_target(out)
    now = clock.now()
    top = top or cards_service.DEFAULT_WEAK_TOP
    scope = cards_service.export_scope(session, learner_id, catalog, code=code,
                                       all_goals=all_goals, exam_code=exam_code)
    # As 'certjourney weak': a goal named ranks its topics; --all ranks the open goals'.
    ranked = [g for g in scope.goals if g.status in OPEN_STATUSES] if all_goals else scope.goals
    weakest = cards_service.weakest_topics(session, ranked, catalog, top,
                                           clock.today()) if ranked else []
    chosen_topics = None
    if weak:
        chosen_topics = set(weakest)
    elif topics:
        chosen_topics = cards_service.resolve_topics(scope.exams, list(topics))
    card_set = cards_service.load_cards(session, learner_id, catalog, folders,
                                        exams={e.code for e in scope.exams})
    cards = cards_service.choose_cards(card_set.cards, scope.exams, chosen_topics)
    if not cards:
        codes = ", ".join(e.code for e in scope.exams)
        which = " of the weakest topics" if weak else " of those topics" if topics else ""
        raise NotFound(f"no cards{which} for {codes}; add some with 'certjourney card add' "
                       "or a card folder (--cards-dir)")
    plan, summary = write_cards(session, learner_id, cards, set(weakest), target, now)
    return AnkiExport(target, summary, plan, card_set)


def write_cards(session, learner_id: int, cards, weak: set[tuple[str, str]], target: Path,
                now: datetime) -> tuple[Any, Any]:
    """Bring ``card_state`` up to date for ``cards`` and write their package: the plan
    (:class:`tracker.services.cards.ExportPlan`) and the package's summary.

    Python's cyclic garbage collector is paused meanwhile: the tens of thousands of
    objects made here (kept until the end) would each trigger collections that scan
    the whole heap, for cycles these steps do not make (about 0.1 s of 0.8 s for
    10,000 new cards; bench/anki_export.py)."""
    from exporters import anki as exporter  # genanki, cmark-gfm and nh3: only here

    with paused_gc():
        plan = cards_service.prepare_export(
            session, learner_id, cards, weak, render_cards=exporter.render_cards,
            note_for=exporter.anki_note, render_version=exporter.RENDER_VERSION, now=now)
        summary = exporter.write_package(plan.notes, target, media=plan.media,
                                         timestamp=now.timestamp())
    return plan, summary
