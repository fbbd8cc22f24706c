"""``certjourney import``: bring history from other tools."""

from __future__ import annotations

import click

from tracker.cli.output import one_line, table

CERT_HELP = "Put every entry under this goal (exam code or goal ID) instead of matching names."
DRY_RUN_HELP = "Show what would be imported; write nothing."


@click.group("import")
def import_():
    """Import from other tools: study time from Toggl, Watson or Timewarrior, and more.

    Time entries go to the goal their project, client or tags name (an exam code
    such as SAA-C03, or the exam's name or alias); topics come from Toggl's Task
    and from tags. Importing the same file again adds nothing.
    """


def _run(ctx, parse, cert: str | None, dry_run: bool) -> None:
    """Parse the whole file (``parse()``), then map, dedupe and insert it in one
    transaction, then print the summary."""
    from tracker import clock
    from tracker.bulk import paused_gc
    from tracker.importers.common import import_entries
    from tracker.services.learners import learner_id

    with paused_gc():
        parsed = parse()  # a bad file fails here, before the database is opened
        with ctx.session(write=not dry_run) as session:
            # A dry run must not even create the learner.
            lid = learner_id(session, ctx.settings.learner, create=not dry_run)
            report = import_entries(session, lid, ctx.catalog, parsed, cert=cert,
                                    dry_run=dry_run, tz=clock.local_tz(), now=clock.now())
    _echo_report(report)


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _hours(seconds: int) -> str:
    return f"{seconds / 3600:.1f} h"


def _echo_report(report) -> None:
    from datetime import datetime

    from tracker import clock

    per_exam = ", ".join(f"{code} {t.entries} ({_hours(t.seconds)})"
                         for code, t in sorted(report.per_exam.items()))
    verb = "Dry run: would import" if report.dry_run else "Imported"
    head = f"{verb} {_plural(report.imported, 'entry', 'entries')} from {report.label}"
    click.echo(head + (f": {per_exam}." if per_exam else "."))
    if report.dry_run and report.imported:
        order = sorted(report.per_goal_topic.items(),
                       key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] is None, kv[0][2] or ""))
        rows = [(code, goal_id, topic or "(no topic)", t.entries, _hours(t.seconds))
                for (code, goal_id, topic), t in order]
        click.echo(table(("CERT", "GOAL", "TOPIC", "ENTRIES", "HOURS"), rows, right=(1, 3, 4)))
        click.echo("First entries:")
        tz = clock.local_tz()
        for where, start, end, code, topic, description in report.preview:
            a, b = datetime.fromtimestamp(start, tz), datetime.fromtimestamp(end, tz)
            span = f"{a:%Y-%m-%d %H:%M}–{b:%H:%M}" + ("" if a.date() == b.date() else " +1d")
            text = "  ".join(x for x in (code, topic, one_line(description, 40)) if x)
            click.echo(f"  {where}: {span}  {text}")
    notes = []
    if report.updated:
        verb = "would be updated" if report.dry_run else "updated"
        notes.append(f"{_plural(report.updated, 'entry', 'entries')} changed in {report.source.title()} "
                     f"since the last import {verb}")
    if report.already_present:
        notes.append(f"{report.already_present} already present")
    if report.repeated_in_file:
        notes.append(f"{_plural(report.repeated_in_file, 'repeated row')} in the file skipped")
    if report.without_topic:
        notes.append(f"{report.without_topic} without topic")
    if notes:
        click.echo(", ".join(notes) + ".")
    if report.overlapping:
        n = report.overlapping
        click.echo(f"Warning: {n} imported {'entry overlaps' if n == 1 else 'entries overlap'} "
                   f"other entries (kept as they are), e.g. {'; '.join(report.overlap_examples)}.")
    if report.running_skipped:
        n = len(report.running_skipped)
        click.echo(f"Skipped {_plural(n, 'running interval')}: {'; '.join(report.running_skipped)}; "
                   f"stop {'it' if n == 1 else 'them'} and import again.")
    if report.dry_run:
        click.echo("Nothing was written (dry run).")


@import_.command("toggl")
@click.argument("file", type=click.Path(path_type=str))
@click.option("--cert", metavar="CODE", help=CERT_HELP)
@click.option("--dry-run", is_flag=True, help=DRY_RUN_HELP)
@click.pass_obj
def toggl(ctx, file, cert, dry_run):
    """Import a Toggl Track CSV (detailed report, or Toggl's import format); - reads it piped in.

    Client or Project name the goal, Task and Tags the topic; times are read in
    your time zone.
    """
    from pathlib import Path

    from tracker import clock
    from tracker.importers.toggl import parse_toggl

    label = "standard input" if file == "-" else file
    _run(ctx, lambda: parse_toggl(Path(file), clock.local_tz(), label=label), cert, dry_run)


@import_.command("watson")
@click.argument("path", required=False, metavar="[FRAMES_FILE | WATSON_DIR]")
@click.option("--cert", metavar="CODE", help=CERT_HELP)
@click.option("--dry-run", is_flag=True, help=DRY_RUN_HELP)
@click.pass_obj
def watson(ctx, path, cert, dry_run):
    """Import Watson's frames (default: the frames file in $WATSON_DIR or
    Watson's own folder).

    The project names the goal (``saa-c03/networking`` also names the topic);
    tags name the topic.
    """
    from tracker.importers.watson import frames_path, parse_watson

    frames = frames_path(path)
    _run(ctx, lambda: parse_watson(frames, label=str(frames)), cert, dry_run)


@import_.command("timewarrior")
@click.argument("file", type=click.Path(path_type=str))
@click.option("--cert", metavar="CODE", help=CERT_HELP)
@click.option("--dry-run", is_flag=True, help=DRY_RUN_HELP)
@click.pass_obj
def timewarrior(ctx, file, cert, dry_run):
    """Import the output of 'timew export': a saved file, or - to read it piped in
    ('timew export | certjourney import timewarrior -').

    Tags name the goal and the topic; running intervals are skipped.
    """
    from pathlib import Path

    from tracker import clock
    from tracker.importers.timewarrior import parse_timewarrior

    label = "standard input" if file == "-" else file
    _run(ctx, lambda: parse_timewarrior(Path(file), clock.local_tz(), label=label), cert, dry_run)
