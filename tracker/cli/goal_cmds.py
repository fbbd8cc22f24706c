"""``certjourney goal``: your pursuit of each exam."""

from __future__ import annotations

import click

from tracker.cli.output import echo_json, table
from tracker.cli.parsing import option_date, option_hours

STATUS_HELP = "planned, studying, booked, passed or failed"


@click.group()
def goal():
    """Goals: the exams you pursue, with dates, targets and results."""


@goal.command("add")
@click.argument("code")
@click.option("--exam-date", metavar="DATE", help="When you sit the exam: 2026-12-15, +6w, 'in 6 weeks'.")
@click.option("--target-hours", metavar="H", help="How many hours you plan to study.")
@click.option("--status", metavar="STATUS", help=f"One of {STATUS_HELP} (default planned).")
@click.option("--passed-on", metavar="DATE", help="Record a pass on this date.")
@click.option("--badge", "badge_url", metavar="URL", help="Link to your badge (e.g. Credly).")
@click.pass_obj
def add(ctx, code, exam_date, target_hours, status, passed_on, badge_url):
    """Add a goal for exam CODE (any case; see 'certjourney catalog list')."""
    from tracker.services import goals

    exam = ctx.catalog.exam(code)
    with ctx.session(write=True) as session:
        g = goals.add_goal(
            session, ctx.learner_id(session), exam,
            exam_date=option_date("--exam-date", exam_date),
            target_hours=option_hours("--target-hours", target_hours),
            status=status,
            passed_on=option_date("--passed-on", passed_on),
            badge_url=badge_url,
        )
        gid = g.id
    click.echo(f"Added goal {gid}: {exam.code} {exam.name} ({g.status})")


def _countdown(view, today) -> str:
    from tracker.timeparse import humanize_until

    if view.exam_date is None:
        return ""
    if view.is_open:
        return f"{view.exam_date} ({humanize_until(view.exam_date, today)})"
    return view.exam_date.isoformat()


@goal.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def list_(ctx, as_json):
    """List your goals, the whole journey in order."""
    from tracker import clock
    from tracker.services import goals

    today = clock.today()
    with ctx.session() as session:
        rows = goals.list_goals(session, ctx.learner_id(session))
        views = [goals.view(g, ctx.catalog, today) for g in rows]
    if as_json:
        echo_json([v.to_json() for v in views])
        return
    if not views:
        click.echo("No goals yet. Add one: certjourney goal add CODE --exam-date +8w --target-hours 40")
        return
    out = []
    for v in views:
        expires = v.expires_on.isoformat() if v.expires_on else ""
        if v.expiring_soon(today):
            expires += " (renew soon)"
        target = f"{v.target_hours:g} h" if v.target_hours else ""
        out.append((v.id, v.exam_code, v.status, _countdown(v, today), target,
                    v.passed_on or "", expires, v.exam_name))
    click.echo(table(("ID", "CERT", "STATUS", "EXAM DATE", "TARGET", "PASSED", "EXPIRES", "NAME"),
                     out, right=(0, 4)))


@goal.command("set")
@click.argument("ref", metavar="CODE")
@click.option("--exam-date", metavar="DATE", help="New exam date, or 'none' to clear it.")
@click.option("--target-hours", metavar="H", help="New target hours.")
@click.option("--status", metavar="STATUS", help=f"One of {STATUS_HELP}.")
@click.option("--passed-on", metavar="DATE", help="Date you passed (sets status passed).")
@click.option("--badge", "badge_url", metavar="URL", help="Badge link ('' to clear).")
@click.pass_obj
def set_(ctx, ref, exam_date, target_hours, status, passed_on, badge_url):
    """Change a goal, named by exam CODE or goal ID."""
    from tracker.services import goals

    if all(v is None for v in (exam_date, target_hours, status, passed_on, badge_url)):
        raise click.UsageError("nothing to change: give --exam-date, --target-hours, --status, "
                               "--passed-on or --badge")
    clear = exam_date is not None and exam_date.strip().lower() in ("none", "")
    with ctx.session(write=True) as session:
        g = goals.find_goal(session, ctx.learner_id(session), ref, ctx.catalog)
        goals.update_goal(
            session, g, ctx.catalog.find(g.exam_code),
            exam_date=None if clear else option_date("--exam-date", exam_date),
            clear_exam_date=clear,
            target_hours=option_hours("--target-hours", target_hours),
            status=status,
            passed_on=option_date("--passed-on", passed_on),
            badge_url=badge_url,
        )
        gid, code, st = g.id, g.exam_code, g.status
    click.echo(f"Updated goal {gid}: {code} ({st})")


@goal.command("remove")
@click.argument("ref", metavar="CODE")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def remove(ctx, ref, yes):
    """Remove a goal (named by exam CODE or goal ID) and the time logged under it."""
    from tracker.services import goals

    with ctx.session(write=True) as session:
        g = goals.find_goal(session, ctx.learner_id(session), ref, ctx.catalog)
        n = goals.count_entries(session, g)
        what = f"goal {g.id} ({g.exam_code}, {g.status})"
        if n:
            what += f" and its {n} time entr{'y' if n == 1 else 'ies'}"
        if not yes:
            click.confirm(f"Remove {what}?", abort=True, err=True)
        goals.remove_goal(session, g)
    click.echo(f"Removed {what}.")
