"""Flashcards and Anki: ``card add/list/remove/check``, ``export anki`` and
``import anki-reviews``. genanki, cmark-gfm and nh3 are imported only inside
``export anki``."""

from __future__ import annotations

import click

from tracker.cli.output import echo_json, one_line, table

CARDS_DIR_HELP = ("Extra folder of card files (*.md); repeatable. Also $CERTJOURNEY_CARDS, "
                  "folders separated like PATH.")
PROBLEMS_SHOWN = 10


def _cards_dir_option(func):
    return click.option("--cards-dir", "cards_dirs", metavar="DIR", multiple=True,
                        help=CARDS_DIR_HELP)(func)


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _echo_problems(card_set, *, err: bool = True) -> None:
    """The problems found while loading cards (the first few) and what was skipped."""
    for problem in card_set.problems[:PROBLEMS_SHOWN]:
        click.echo(f"Warning: {problem}", err=err)
    more = len(card_set.problems) - PROBLEMS_SHOWN
    if more > 0:
        click.echo(f"Warning: and {_plural(more, 'more problem')} ('certjourney card check' lists all)",
                   err=err)
    if card_set.skipped:
        click.echo(f"Skipped {_plural(card_set.skipped, 'card')} with problems.", err=err)
    if getattr(card_set, "notes_without_topic", 0):
        click.echo(f"Skipped {_plural(card_set.notes_without_topic, 'card')} in notes linked to "
                   "no topic.", err=err)


# --- card ---------------------------------------------------------------------------

@click.group("card")
def card():
    """Flashcards: card files, cards in your notes, and cards you add here."""


@card.command("add")
@click.argument("code")
@click.argument("topic")
@click.option("--front", metavar="TEXT", help="The question (markdown).")
@click.option("--back", metavar="TEXT", help="The answer (markdown).")
@click.option("--cloze", metavar="TEXT", help="A cloze text instead: 'An {{c1::ALB}} works at layer 7'.")
@click.option("--extra", metavar="TEXT", default="", help="Extra text shown under a cloze's answer.")
@_cards_dir_option
@click.pass_obj
def add(ctx, code, topic, front, back, cloze, extra, cards_dirs):
    """Add a card for TOPIC of exam CODE (the question of a card the topic already
    has updates its answer)."""
    from tracker import clock
    from tracker.cards import card_folders
    from tracker.errors import InvalidInput
    from tracker.services import cards as cards_service

    exam = ctx.catalog.exam(code)
    chosen = exam.topic(topic)
    if cloze is not None:
        if front is not None or back is not None:
            raise InvalidInput("give --front and --back, or --cloze, not both")
        kind, front, back = "cloze", cloze, extra
    else:
        if front is None or back is None:
            raise InvalidInput("a card needs --front and --back (or --cloze)")
        if extra:
            raise InvalidInput("--extra goes with --cloze")
        kind = "basic"
    folders = card_folders(cards_dirs)
    file_cards = cards_service.load_cards(None, None, ctx.catalog, folders, exams={exam.code}).cards
    with ctx.session(write=True) as session:
        result = cards_service.add_card(session, ctx.learner_id(session), exam, chosen, front=front,
                                        back=back, kind=kind, file_cards=file_cards, now=clock.now())
    what = f"{exam.code} · {chosen.name}"
    over = f" (it replaces the card at {result.overrides.where})" if result.overrides else ""
    if result.action == "added":
        click.echo(f"Added card {result.id}: {what}{over}")
    elif result.action == "updated":
        part = "extra text" if kind == "cloze" else "answer"
        click.echo(f"Updated the {part} of card {result.id}: {what}{over}")
    else:
        click.echo(f"Card {result.id} already says that: {what}")


@card.command("list")
@click.argument("code")
@click.option("--topic", "-T", metavar="TOPIC", help="Only this topic's cards (name or alias).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@_cards_dir_option
@click.pass_obj
def list_(ctx, code, topic, as_json, cards_dirs):
    """List the cards of exam CODE: card files, your notes and cards you added."""
    from tracker.cards import card_folders
    from tracker.services import cards as cards_service
    from tracker.services.learners import learner_id

    exam = ctx.catalog.exam(code)
    name = exam.topic(topic).name if topic else None
    folders = card_folders(cards_dirs)
    with ctx.session() as session:
        lid = learner_id(session, ctx.settings.learner, create=False)
        card_set = cards_service.load_cards(session, lid, ctx.catalog, folders, exams={exam.code})
    cards = [c for c in card_set.cards if name is None or c.topic == name]
    if as_json:
        echo_json([c.to_json() for c in cards])
        _echo_problems(card_set)
        return
    if not cards:
        click.echo(f"No cards for {exam.code}{' · ' + name if name else ''} yet. Add one: "
                   f"certjourney card add {exam.code} TOPIC --front ... --back ...")
    else:
        rows = [(c.db_id if c.db_id is not None else (c.card_id or ""), one_line(c.topic, 30), c.kind,
                 one_line(c.front, 60), c.where) for c in cards]
        click.echo(table(("ID", "TOPIC", "KIND", "FRONT", "SOURCE"), rows))
        click.echo(f"{_plural(len(cards), 'card')}.")
    _echo_problems(card_set)


@card.command("remove")
@click.argument("card_id", metavar="ID")
@click.pass_obj
def remove(ctx, card_id):
    """Remove card ID, one you added with 'card add' (edit card files to change theirs)."""
    from tracker.errors import InvalidInput
    from tracker.services import cards as cards_service

    text = card_id.strip().lstrip("#")
    if not text.isdigit():
        raise InvalidInput(f"a card ID is the number 'card list' shows for cards you added, not "
                           f"{card_id!r} (cards from files are edited in their file)")
    with ctx.session(write=True) as session:
        row = cards_service.find_added_card(session, ctx.learner_id(session), int(text))
        what = f"card {row.id} ({row.exam_code} · {row.topic}: {one_line(row.front, 50)})"
        cards_service.remove_card(session, row)
    click.echo(f"Removed {what}.")


@card.command("check")
@click.argument("paths", nargs=-1, metavar="[DIR_OR_FILE]...")
@_cards_dir_option
@click.pass_obj
def check(ctx, paths, cards_dirs):
    """Check card files (default: the shipped ones and your card folders); print each
    problem as FILE:LINE: reason. Exits 1 when there is any."""
    from pathlib import Path

    from tracker.cards import card_folders, read_card_paths
    from tracker.errors import InvalidInput

    if paths:
        targets = []
        for text in paths:
            path = Path(text).expanduser()
            if not path.exists():
                raise InvalidInput(f"{text}: no such file or folder")
            targets.append((path, text))
    else:
        targets = card_folders(cards_dirs)
    parsed = read_card_paths(targets, ctx.catalog)
    for problem in sorted(parsed.problems, key=lambda p: (p.source, p.line)):
        click.echo(str(problem))
    exams = sorted({c.exam for c in parsed.cards})
    line = (f"Checked {_plural(parsed.files, 'file')}: {_plural(len(parsed.cards), 'card')}"
            + (f" ({', '.join(exams)})" if exams else "")
            + f", {_plural(len(parsed.problems), 'problem')}")
    if parsed.skipped:
        line += f", {_plural(parsed.skipped, 'card')} skipped"
    click.echo(line + ".")
    if parsed.problems:
        click.get_current_context().exit(1)


# --- export anki ----------------------------------------------------------------------

@click.command("anki")
@click.argument("code", required=False)
@click.option("--weak", is_flag=True, help="Only the cards of the weakest topics (see 'certjourney weak').")
@click.option("--top", type=click.IntRange(1, 500), default=None, metavar="N",
              help="How many weakest topics: exported with --weak, tagged 'weak' always (default 5).")
@click.option("--topic", "topics", multiple=True, metavar="TOPIC",
              help="Only this topic's cards (name or alias); repeatable.")
@click.option("--all", "all_goals", is_flag=True, help="The cards of every goal.")
@click.option("--exam", "exam_code", metavar="CODE", help="An exam's cards, without a goal.")
@click.option("--out", required=True, metavar="FILE.apkg", help="Package to write (replaced atomically).")
@_cards_dir_option
@click.pass_obj
def anki(ctx, code, weak, top, topics, all_goals, exam_code, out, cards_dirs):
    """Write an Anki package of your cards: the goal CODE's (the only open goal's
    when left out), every goal's (--all) or an exam's (--exam).

    Decks nest as certjourney::CODE::Domain::Topic; notes are tagged with the exam,
    domain and topic, and 'weak' for the weakest topics. Importing a newer export
    into Anki updates the notes it has (edited answers too) instead of duplicating them.
    """
    from exporters.anki_job import export_anki
    from tracker.cards import card_folders

    folders = card_folders(cards_dirs)
    with ctx.session(write=True) as session:
        done = export_anki(session, ctx.learner_id(session), ctx.catalog, out=out, folders=folders,
                           code=code, weak=weak, top=top, topics=topics, all_goals=all_goals,
                           exam_code=exam_code)
    card_set, plan, summary, target = done.card_set, done.plan, done.summary, done.target
    _echo_problems(card_set)
    for warning in plan.warnings:
        click.echo(f"Warning: {warning}", err=True)
    media = f", {_plural(summary.media, 'image')}" if summary.media else ""
    click.echo(f"Wrote {_plural(summary.notes, 'note')} ({_plural(summary.cards, 'card')}{media}) "
               f"to {target.resolve()}")
    rows = [(name, count) for name, count in summary.per_deck.items()]
    click.echo(table(("DECK", "NOTES"), rows, right=(1,)))
    unchanged = summary.notes - plan.new - plan.changed
    click.echo(f"{plan.new} new, {plan.changed} changed, {unchanged} unchanged since your last export.")


# --- import anki-reviews ----------------------------------------------------------------

@click.command("anki-reviews")
@click.argument("path", metavar="COLLECTION", type=click.Path(path_type=str))
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.pass_obj
def anki_reviews(ctx, path, as_json):
    """Read review results for your exported cards from an Anki collection
    (collection.anki2, or the profile folder holding it). The collection is copied
    and read; Anki's file is never changed.

    Per topic: lapses, mean ease and how many of the last 20 answers were Again;
    'certjourney weak' then counts them.
    """
    from pathlib import Path

    from tracker import clock
    from tracker.errors import ImportFailed
    from tracker.importers.anki_reviews import collection_path, read_reviews
    from tracker.services import anki_reviews as service
    from tracker.services.learners import learner_id

    collection_path(Path(path).expanduser(), path)  # a missing file fails before the database
    with ctx.session(write=True) as session:
        lid = learner_id(session, ctx.settings.learner, create=False)
        exported = service.exported_guids(session, lid) if lid is not None else {}
        if not exported:
            raise ImportFailed("you have not exported any cards yet ('certjourney export anki')")
        found = read_reviews(Path(path).expanduser(), exported, label=path)
        if not found:
            raise ImportFailed(f"{path}: none of the cards you exported are in this collection")
        report = service.store_reviews(session, lid, ctx.catalog, path, found, exported, clock.now())
    if as_json:
        echo_json({"notes_found": report.notes_found, "notes_missing": report.notes_missing,
                   "topics": [t.to_json() for t in report.topics],
                   "without_goal": report.without_goal})
        return
    answers = sum(t.reviews for t in report.topics)
    click.echo(f"Imported review results for {_plural(report.notes_found, 'note')} from {path}: "
               f"{_plural(len(report.topics), 'topic')}, {_plural(answers, 'answer')}.")
    if report.topics:
        rows = [(t.cert, one_line(t.topic, 40), t.cards, t.reviews, f"{t.again}/{t.answers}",
                 t.lapses, "—" if t.mean_ease is None else f"{t.mean_ease:.0f}%") for t in report.topics]
        click.echo(table(("CERT", "TOPIC", "CARDS", "ANSWERS", "AGAIN (LAST 20)", "LAPSES", "EASE"),
                         rows, right=(2, 3, 4, 5, 6)))
    if report.notes_missing:
        click.echo(f"{_plural(report.notes_missing, 'exported note')} not in this collection "
                   "(not imported into Anki yet, or deleted there).")
    for exam, n in sorted(report.without_goal.items()):
        click.echo(f"Skipped {_plural(n, 'card')} of {exam}: no goal for it "
                   f"('certjourney goal add {exam}').")
