"""``certjourney export``: write your data for other tools."""

from __future__ import annotations

import click

OUT_HELP = "File to write (replaced atomically); '-' for standard output."


def _filters(func):
    for decorator in reversed((
        click.option("--out", required=True, metavar="FILE", help=OUT_HELP),
        click.option("--from", "date_from", metavar="DATE", help="Only entries starting on or after DATE."),
        click.option("--to", "date_to", metavar="DATE", help="Only entries starting on or before DATE."),
        click.option("--cert", metavar="CODE", help="Only this exam's goals (or one goal, by ID)."),
    )):
        func = decorator(func)
    return func


@click.group("export")
def export():
    """Export your entries (Toggl CSV, JSON)."""


def _select(ctx, session, cert, date_from, date_to):
    """The learner's goal views and entry views (oldest first) that pass the filters."""
    from tracker import clock
    from tracker.cli.parsing import option_date
    from tracker.errors import InvalidInput
    from tracker.services import goals
    from tracker.services.learners import learner_id
    from tracker.services.log import list_entries

    since, until = option_date("--from", date_from), option_date("--to", date_to)
    if since and until and since > until:
        raise InvalidInput(f"--from {since} is after --to {until}")
    lid = learner_id(session, ctx.settings.learner, create=False)  # exporting writes nothing
    if lid is None:
        return [], []
    goal_rows = goals.list_goals(session, lid)
    exam_codes = None
    if cert:
        chosen = goals.find_goal(session, lid, cert, ctx.catalog)
        by_id = cert.strip().lstrip("#").isdigit()
        goal_rows = [g for g in goal_rows
                     if (g.id == chosen.id if by_id else g.exam_code == chosen.exam_code)]
        exam_codes = [chosen.exam_code]
    goal_ids = {g.id for g in goal_rows}
    entries = list_entries(session, lid, start=since, end=until, exam_codes=exam_codes,
                           newest_first=False)
    today = clock.today()
    return ([goals.view(g, ctx.catalog, today) for g in goal_rows],
            [e for e in entries if e.goal_id in goal_ids])


def _write(out: str, write):
    """``write(handle)`` on standard output or on an atomically replaced file; its result."""
    if out == "-":
        import sys

        return write(sys.stdout)
    from tracker.files import atomic_writer

    with atomic_writer(out, newline="") as handle:
        return write(handle)


@export.command("toggl")
@_filters
@click.pass_obj
def toggl(ctx, out, date_from, date_to, cert):
    """Write finished entries as a Toggl Track detailed-report CSV.

    Client is the vendor, Project the exam code, Task the topic; times are local.
    'certjourney import toggl' reads the file back.
    """
    from exporters.toggl_csv import write_toggl_csv
    from tracker import clock

    with ctx.session() as session:
        _, entries = _select(ctx, session, cert, date_from, date_to)
    vendors = {exam.code: exam.vendor for exam in ctx.catalog}
    written = _write(out, lambda handle: write_toggl_csv(
        handle, entries, user=ctx.settings.learner, vendors=vendors, tz=clock.local_tz()))
    note = " (the running entry is left out)" if written < len(entries) else ""
    click.echo(f"Wrote {written} entr{'y' if written == 1 else 'ies'} to {out}{note}.",
               err=out == "-")


@export.command("json")
@_filters
@click.pass_obj
def json_(ctx, out, date_from, date_to, cert):
    """Write your goals and every entry (running ones too) as JSON; instants in UTC."""
    from exporters.json_export import export_document, write_json
    from tracker import clock

    with ctx.session() as session:
        goal_views, entries = _select(ctx, session, cert, date_from, date_to)
    document = export_document(learner=ctx.settings.learner, exported_at=clock.now(),
                               goals=goal_views, entries=entries)
    _write(out, lambda handle: write_json(handle, document))
    n = len(entries)
    click.echo(f"Wrote {len(goal_views)} goal{'' if len(goal_views) == 1 else 's'} and {n} "
               f"entr{'y' if n == 1 else 'ies'} to {out}.", err=out == "-")
