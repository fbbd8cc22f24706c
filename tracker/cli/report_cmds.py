"""``certjourney report``: totals per exam, domain, topic, tag, resource, day, week or month."""

from __future__ import annotations

import click

from tracker.cli.output import echo_json, table
from tracker.cli.parsing import option_date

BAR_WIDTH = 24


@click.command()
@click.option("--from", "from_", metavar="DATE", help="First day (default: the first entry).")
@click.option("--to", metavar="DATE", help="Last day, inclusive (default: today).")
@click.option("--by", type=click.Choice(["cert", "domain", "topic", "tag", "resource", "day", "week",
                                        "month"]), default="cert", show_default=True, help="How to group.")
@click.option("--cert", "-c", metavar="CODE", help="Only this exam.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def report(ctx, from_, to, by, cert, as_json):
    """Study time per group for a period, with each group's share."""
    from tracker.errors import InvalidInput
    from tracker.services.reports import build_report
    from tracker.timeparse import format_duration

    start, end = option_date("--from", from_), option_date("--to", to)
    if start and end and start > end:
        raise InvalidInput(f"--from {start} is after --to {end}")
    codes = [ctx.catalog.exam(cert).code] if cert else None
    with ctx.session() as session:
        result = build_report(session, ctx.learner_id(session), ctx.catalog, by=by,
                              start=start, end=end, exam_codes=codes)
    if as_json:
        echo_json(result.to_json())
        return
    period = f"{start or 'the beginning'} to {end or 'today'}"
    click.echo(f"Study time by {by}, {period}: {format_duration(result.total_seconds)} "
               f"({result.total_seconds / 3600:.1f} h)")
    if not result.groups:
        click.echo("No entries in this period.")
        return
    top = max(g.seconds for g in result.groups) or 1
    with_weight = any(g.weight_min is not None for g in result.groups)
    rows = []
    for g in result.groups:
        bar = "█" * max(1 if g.seconds else 0, round(g.seconds / top * BAR_WIDTH))
        row = [g.name, format_duration(g.seconds), f"{g.share:.0%}"]
        if with_weight:
            if g.weight_min is None:
                row.append("")
            elif g.weight_min == g.weight_max:
                row.append(f"{g.weight_min:g}%")
            else:
                row.append(f"{g.weight_min:g}–{g.weight_max:g}%")
        rows.append([*row, bar])
    headers = ["NAME", "TIME", "SHARE"] + (["EXAM WEIGHT"] if with_weight else []) + [""]
    click.echo(table(headers, rows, right=(1, 2, 3) if with_weight else (1, 2)))
