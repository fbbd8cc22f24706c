"""Progress toward exam dates, study plans, the journey and weak areas."""

from __future__ import annotations

import click

from tracker.cli.output import echo_json, table

METER_WIDTH = 20


def _goals_for(ctx, session, learner, code):
    """The goal named by CODE, or every open goal."""
    from sqlalchemy import select

    from tracker.models import OPEN_STATUSES, Goal
    from tracker.services import goals

    if code:
        return [goals.find_goal(session, learner, code, ctx.catalog)]
    return session.execute(
        select(Goal).where(Goal.learner_id == learner, Goal.status.in_(OPEN_STATUSES))
        .order_by(Goal.exam_date, Goal.id)
    ).scalars().all()


def _meter(fraction: float) -> str:
    filled = max(0, min(METER_WIDTH, round(fraction * METER_WIDTH)))
    return "█" * filled + "░" * (METER_WIDTH - filled)


def _pct(value) -> str:
    return "—" if value is None else f"{value:.0f}%"


def _print_progress(p) -> None:
    g = p.goal
    click.echo(f"{g.exam_code}  {p.exam_name}  ({g.status})")
    if g.exam_date:
        click.echo(f"  Exam        {g.exam_date}  {p.countdown}" +
                   (f" ({p.days_left} days)" if p.days_left and p.days_left > 0 else ""))
    else:
        click.echo("  Exam        no date set (certjourney goal set CODE --exam-date ...)")
    if p.target_hours:
        share = p.hours_logged / p.target_hours
        click.echo(f"  Hours       {p.hours_logged:.1f} of {p.target_hours:g} h  {_meter(share)} {share:.0%}")
    else:
        click.echo(f"  Hours       {p.hours_logged:.1f} h (no target set)")
    if p.hours_per_day_needed is not None:
        click.echo(f"  Needed      {p.hours_per_day_needed:.2f} h a day from today")
    line = f"  Pace        {p.pace_hours_per_day:.2f} h a day over the last 14 days"
    if p.projected_hours is not None:
        line += f" → {p.projected_hours:.1f} h by the exam"
        if p.target_hours:
            diff = p.projected_hours - p.target_hours
            line += f" ({abs(diff):.1f} h {'short' if diff < 0 else 'to spare'})"
    click.echo(line)
    if p.plan:
        line = (f"  Plan        {p.plan.text}: {p.plan.sessions_left} sessions, "
                f"{p.plan.hours_left:.1f} h more")
        if p.plan_gap_hours is not None:
            verdict = "reaches the target" if p.plan_gap_hours >= 0 else "misses the target"
            line += f" → {verdict} by {abs(p.plan_gap_hours):.1f} h"
        click.echo(line)
    click.echo("")
    rows = [(f"{d.number}.", d.name, f"{d.weight:.0f}%", f"{d.seconds / 3600:.1f} h",
             _pct(d.share * 100), _pct(d.coverage * 100), _pct(d.practice_score),
             "—" if d.confidence is None else f"{d.confidence:.1f}/5")
            for d in p.domains]
    text = table(("", "DOMAIN", "WEIGHT", "HOURS", "SHARE", "COVERAGE", "PRACTICE", "CONFIDENCE"),
                 rows, right=(2, 3, 4, 5, 6))
    click.echo("\n".join("  " + line for line in text.splitlines()))
    click.echo(f"\n  Readiness: {'READY to book' if p.ready else 'not ready yet'}")
    for c in p.readiness:
        mark = "[x]" if c.met else "[ ]"
        click.echo(f"    {mark} {c.name}: {c.detail}{'' if c.met else '  (not met)'}")
    if p.weakest:
        click.echo("  Weakest topics:")
        for w in p.weakest:
            first = f" — {w.reasons[0]}" if w.reasons else ""
            click.echo(f"    {w.topic} ({w.score:.0f}){first}")
    if g.expires_on:
        click.echo(f"  Valid until {g.expires_on}")


@click.command()
@click.argument("code", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def progress(ctx, code, as_json):
    """Countdown, hours against target, pace, plan and readiness per goal."""
    from tracker.services.progress import goal_progress

    with ctx.session() as session:
        learner = ctx.learner_id(session)
        results = [goal_progress(session, g, ctx.catalog.exam(g.exam_code), ctx.catalog)
                   for g in _goals_for(ctx, session, learner, code)]
    if as_json:
        echo_json([p.to_json() for p in results])
        return
    if not results:
        click.echo("No open goals. Add one: certjourney goal add CODE --exam-date +8w --target-hours 40")
        return
    for i, p in enumerate(results):
        if i:
            click.echo("")
        _print_progress(p)


@click.command()
@click.argument("code", required=False)
@click.option("--top", type=click.IntRange(1, 500), default=10, show_default=True,
              help="How many topics.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def weak(ctx, code, top, as_json):
    """Topics ranked from weakest, each with its reasons."""
    from tracker import clock
    from tracker.services import evidence, weakness

    with ctx.session() as session:
        learner = ctx.learner_id(session)
        topics = []
        for g in _goals_for(ctx, session, learner, code):
            topics += evidence.gather(session, g, ctx.catalog.exam(g.exam_code)).topics
    ranked = weakness.rank(topics, clock.today(), top)
    if as_json:
        echo_json([w.to_json() for w in ranked])
        return
    if not ranked:
        click.echo("No open goals to rank.")
        return
    for i, w in enumerate(ranked, 1):
        click.echo(f"{i:>3}. {w.cert} · {w.domain} · {w.topic}   score {w.score:.0f}")
        for reason in w.reasons:
            click.echo(f"       - {reason}")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--markdown", is_flag=True, help="Print Markdown (a table for your blog).")
@click.option("--out", type=click.Path(dir_okay=False), help="Write Markdown to this file.")
@click.pass_obj
def journey(ctx, as_json, markdown, out):
    """Every goal in order: dates, results, badges, hours — your certification timeline."""
    from tracker.services.journey import journey as build

    with ctx.session() as session:
        milestones = build(session, ctx.learner_id(session), ctx.catalog)
    if as_json:
        echo_json([m.to_json() for m in milestones])
        return
    if markdown or out:
        from exporters.journey_markdown import journey_markdown

        text = journey_markdown(milestones)
        if out:
            from tracker.files import atomic_write_text

            atomic_write_text(out, text)
            click.echo(f"Wrote {len(milestones)} goals to {out}")
        else:
            click.echo(text, nl=False)
        return
    if not milestones:
        click.echo("Your journey starts with: certjourney goal add CODE")
        return
    rows = []
    for m in milestones:
        g = m.goal
        rows.append((m.when or "", g.exam_code, g.status, f"{m.hours:.1f} h",
                     g.expires_on or "", g.badge_url or "", g.exam_name))
    click.echo(table(("DATE", "CERT", "RESULT", "HOURS", "VALID UNTIL", "BADGE", "NAME"), rows,
                     right=(3,)))


@click.group()
def plan():
    """Study plans: a recurring schedule up to the exam date."""


@plan.command("set")
@click.argument("code")
@click.argument("schedule")
@click.pass_obj
def plan_set(ctx, code, schedule):
    """Set the plan: "MO,WE,FR 19:00 1h30m" or "FREQ=WEEKLY;BYDAY=SA;BYHOUR=10 2h"."""
    from tracker.services import goals, plans

    with ctx.session(write=True) as session:
        g = goals.find_goal(session, ctx.learner_id(session), code, ctx.catalog)
        p = plans.plan_view(plans.set_plan(session, g, schedule), g.exam_date)
    line = f"Plan for {g.exam_code}: {p.text}"
    if g.exam_date:
        line += f" — {p.sessions_left} sessions, {p.hours_left:.1f} h before {g.exam_date}"
    else:
        line += " (set an exam date to see the hours it gives)"
    click.echo(line)


@plan.command("show")
@click.argument("code", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def plan_show(ctx, code, as_json):
    """Show the plans of your open goals (or of CODE)."""
    from tracker.services import plans

    out = []
    with ctx.session() as session:
        for g in _goals_for(ctx, session, ctx.learner_id(session), code):
            p = plans.get_plan(session, g)
            out.append((g, plans.plan_view(p, g.exam_date) if p else None))
    if as_json:
        echo_json([{"cert": g.exam_code, "plan": p.to_json() if p else None} for g, p in out])
        return
    for g, p in out:
        if p is None:
            hint = f'certjourney plan set {g.exam_code} "MO,WE,FR 19:00 1h30m"'
            click.echo(f"{g.exam_code}: no plan ({hint})")
        else:
            nxt = f", next {p.next_session:%a %d %b %H:%M}" if p.next_session else ""
            click.echo(f"{g.exam_code}: {p.text} — {p.sessions_left} sessions, {p.hours_left:.1f} h "
                       f"left{nxt}")


@plan.command("clear")
@click.argument("code")
@click.pass_obj
def plan_clear(ctx, code):
    """Remove a goal's plan."""
    from tracker.services import goals, plans

    with ctx.session(write=True) as session:
        g = goals.find_goal(session, ctx.learner_id(session), code, ctx.catalog)
        plans.clear_plan(session, g)
    click.echo(f"Cleared the plan for {g.exam_code}.")


COMMANDS = [progress, weak, journey, plan]
