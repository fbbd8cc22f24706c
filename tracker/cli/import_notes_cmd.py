"""``certjourney import notes``: your markdown study notes, one note per heading."""

from __future__ import annotations

import click

UNLINKED_SHOWN = 15


@click.command("notes")
@click.argument("path", metavar="FILE_OR_FOLDER", type=click.Path(path_type=str))
@click.option("--cert", "-c", metavar="CODE", required=True,
              help="The goal the notes belong to (exam code or goal ID); its exam's topics are linked.")
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.pass_obj
def notes(ctx, path, cert, dry_run):
    """Import your markdown notes, one note per heading.

    FILE_OR_FOLDER is one file, or a folder read for every *.md and *.markdown
    in it and below (hidden folders skipped). Each heading's section becomes a
    note, linked to the topics its heading and text name (names and aliases
    from 'certjourney catalog show CODE'); sections naming no topic are kept,
    unlinked. Importing again updates changed sections and removes the ones
    gone from the files imported.
    """
    from pathlib import Path

    from tracker import clock
    from tracker.importers.notes import read_notes
    from tracker.services import notes as notes_service
    from tracker.services.learners import learner_id

    parsed = read_notes(Path(path).expanduser(), label=path)  # all files, before the database
    with ctx.session(write=not dry_run) as session:
        # A dry run must not even create the learner.
        lid = learner_id(session, ctx.settings.learner, create=not dry_run)
        goal, exam = notes_service.goal_and_exam(session, lid, cert, ctx.catalog)
        report = notes_service.import_notes(session, goal, exam, parsed, dry_run=dry_run,
                                            now=clock.now())
    _echo_report(report)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _echo_report(report) -> None:
    from tracker.cli.output import table

    counts = (f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged, "
              f"{report.removed} removed")
    head = "Dry run: would import" if report.dry_run else "Imported"
    click.echo(f"{head} notes for {report.cert} from {report.label} "
               f"({_plural(report.files, 'file')}): {counts}.")
    if report.per_topic:
        rows = sorted(report.per_topic.items(), key=lambda kv: (-kv[1], kv[0]))
        click.echo(table(("TOPIC", "NOTES"), rows, right=(1,)))
    if report.unlinked:
        n = len(report.unlinked)
        click.echo(f"{_plural(n, 'section')} linked to no topic (kept):")
        for source, path in report.unlinked[:UNLINKED_SHOWN]:
            click.echo(f"  {source}: {path}")
        if n > UNLINKED_SHOWN:
            click.echo(f"  and {n - UNLINKED_SHOWN} more")
    for warning in report.warnings:
        click.echo(f"Warning: {warning}")
    if report.dry_run:
        click.echo("Nothing was written (dry run).")
