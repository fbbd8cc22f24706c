"""Logging study time: start, stop, cancel, continue, status, add, edit, delete, split, log."""

from __future__ import annotations

import click

from tracker.cli.output import echo_json, one_line
from tracker.cli.parsing import option_date, option_datetime

cert_option = click.option("--cert", "-c", "cert", metavar="CODE",
                           help="The goal's exam code (optional when one goal is open).")
topic_option = click.option("--topic", "-T", metavar="TOPIC", help="Topic name or alias.")
tag_option = click.option("--tag", "-t", "tags", metavar="TAG", multiple=True,
                          help="A tag; repeatable.")
resource_option = click.option("--resource", "-r", "resource", metavar="ID",
                               help="The resource studied (an ID from 'resource list').")


def _resource_id(text: str | None, *, clearable: bool = False):
    """The --resource value as an id; None if not given (or 'none' when ``clearable``)."""
    from tracker.errors import InvalidInput

    if text is None:
        return None
    cleaned = text.strip().lstrip("#")
    if clearable and cleaned.lower() in ("", "none"):
        return None
    if not cleaned.isdigit():
        raise InvalidInput(f"--resource: {text!r} is not a resource ID (see 'certjourney resource list')")
    return int(cleaned)


def _goal_and_exam(ctx, session, learner_id, cert, resource_id=None):
    """The goal named by --cert, else the --resource's goal, else the only open goal."""
    from sqlalchemy import select

    from tracker.errors import InvalidInput, NotFound
    from tracker.models import OPEN_STATUSES, Goal
    from tracker.services import goals

    if cert:
        goal = goals.find_goal(session, learner_id, cert, ctx.catalog)
    elif resource_id is not None:
        from tracker.services.resources import get_resource

        goal = session.get(Goal, get_resource(session, learner_id, resource_id).goal_id)
    else:
        open_goals = session.execute(
            select(Goal).where(Goal.learner_id == learner_id, Goal.status.in_(OPEN_STATUSES))
        ).scalars().all()
        if not open_goals:
            raise NotFound("no open goal: add one with 'certjourney goal add CODE', or give --cert")
        if len(open_goals) > 1:
            codes = ", ".join(sorted(g.exam_code for g in open_goals))
            raise InvalidInput(f"several open goals ({codes}): name one with --cert")
        goal = open_goals[0]
    return goal, ctx.catalog.exam(goal.exam_code)


def _hm(moment) -> str:
    from tracker import clock

    return moment.astimezone(clock.local_tz()).strftime("%H:%M")


def _label(view) -> str:
    parts = [view.exam_code]
    if view.topic:
        parts.append(view.topic)
    text = " · ".join(parts)
    if view.description:
        text += f"  {one_line(view.description)}"
    if view.tags:
        text += f"  [{', '.join(view.tags)}]"
    return text


def _duration(seconds: int) -> str:
    from tracker.timeparse import format_duration

    return format_duration(seconds)


@click.command()
@click.argument("description", nargs=-1)
@cert_option
@topic_option
@tag_option
@resource_option
@click.option("--at", metavar="TIME", help="Start time if not now: 14:05, -10m, 'yesterday 19:00'.")
@click.pass_obj
def start(ctx, description, cert, topic, tags, resource, at):
    """Start the timer (a running timer stops at the same instant)."""
    from tracker.services import tracking

    at_time = option_datetime("--at", at)
    resource_id = _resource_id(resource)
    with ctx.session(write=True) as session:
        learner = ctx.learner_id(session)
        goal, exam = _goal_and_exam(ctx, session, learner, cert, resource_id)
        change = tracking.start_timer(session, learner, goal, exam,
                                      description=" ".join(description), topic=topic,
                                      tags=list(tags), at=at_time, resource_id=resource_id)
    if change.stopped:
        click.echo(f"Stopped {change.stopped.id}: {_label(change.stopped)} "
                   f"({_duration(change.stopped.seconds)})")
    click.echo(f"Started {change.started.id} at {_hm(change.started.start)}: {_label(change.started)}")


@click.command()
@click.option("--at", metavar="TIME", help="Stop time if not now: 17:30, -5m.")
@click.pass_obj
def stop(ctx, at):
    """Stop the running timer."""
    from tracker.services import tracking

    at_time = option_datetime("--at", at)
    with ctx.session(write=True) as session:
        view = tracking.stop_timer(session, ctx.learner_id(session), at_time)
    click.echo(f"Stopped {view.id} at {_hm(view.end)}: {_label(view)} ({_duration(view.seconds)})")


@click.command()
@click.pass_obj
def cancel(ctx):
    """Discard the running timer without logging it."""
    from tracker.services import tracking

    with ctx.session(write=True) as session:
        view = tracking.cancel_timer(session, ctx.learner_id(session))
    click.echo(f"Cancelled {view.id}: {_label(view)} ({_duration(view.seconds)} discarded)")


@click.command("continue")
@click.argument("entry_id", required=False, type=int)
@click.option("--at", metavar="TIME", help="Start time if not now.")
@click.pass_obj
def continue_(ctx, entry_id, at):
    """Start again what the last entry (or entry ENTRY_ID) was."""
    from tracker.services import tracking

    at_time = option_datetime("--at", at)
    with ctx.session(write=True) as session:
        change = tracking.continue_entry(session, ctx.learner_id(session), ctx.catalog,
                                         entry_id, at_time)
    if change.stopped:
        click.echo(f"Stopped {change.stopped.id}: {_label(change.stopped)}")
    click.echo(f"Started {change.started.id} at {_hm(change.started.start)}: {_label(change.started)}")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def status(ctx, as_json):
    """What runs, since when, for how long; and today's total."""
    from datetime import timedelta

    from tracker import clock
    from tracker.services import tracking

    with ctx.session() as session:
        learner = ctx.learner_id(session)
        entry = tracking.running_entry(session, learner)
        view = tracking.view_of(session, entry) if entry else None
        midnight = clock.local_midnight(clock.today())
        today = tracking.seconds_between(session, learner, midnight, midnight + timedelta(days=1))
    if as_json:
        data = {"running": view is not None, "today_seconds": today}
        if view:
            data.update(view.to_json())
            data["elapsed_seconds"] = view.seconds
        echo_json(data)
        return
    if view is None:
        click.echo("No timer running.")
    else:
        click.echo(f"Running {view.id} since {_hm(view.start)} ({_duration(view.seconds)}): "
                   f"{_label(view)}")
    click.echo(f"Today: {_duration(today)}")


def _split_range(words: tuple[str, ...]):
    """A compact time range at the start or end of the words, and the rest."""
    from tracker import clock
    from tracker.errors import InvalidInput
    from tracker.timeparse import parse_range

    for k in (3, 2, 1):
        if len(words) < k:
            continue
        for chunk, rest in ((words[-k:], words[:-k]), (words[:k], words[k:])):
            try:
                span = parse_range(" ".join(chunk), clock.now(), clock.local_tz())
            except InvalidInput:
                continue
            return span, rest
    return None, words


@click.command()
@click.argument("description", nargs=-1)
@cert_option
@topic_option
@tag_option
@resource_option
@click.option("--start", "start_text", metavar="TIME", help="Start: 14:00, 'yesterday 19:00'.")
@click.option("--end", "end_text", metavar="TIME", help="End time.")
@click.option("--duration", metavar="DUR", help="Length: 1h30m, 90m, 1.5h, 1:30.")
@click.option("--allow-overlap", is_flag=True, help="Keep it even if it overlaps another entry.")
@click.pass_obj
def add(ctx, description, cert, topic, tags, resource, start_text, end_text, duration,
        allow_overlap):
    """Add a finished entry: a range such as 14:00-15:30 or 'yesterday 19:00-20:30'
    among the words, or --start with --end or --duration."""
    from datetime import timedelta

    from tracker import clock
    from tracker.errors import InvalidInput
    from tracker.services import tracking
    from tracker.timeparse import parse_duration

    resource_id = _resource_id(resource)
    span, words = (None, description)
    if start_text is None and end_text is None:
        span, words = _split_range(description)
    if span is not None:
        if duration:
            raise InvalidInput("give a range or --duration, not both")
        start_at, end_at = span
    else:
        seconds = None
        if duration is not None:
            try:
                seconds = parse_duration(duration)
            except InvalidInput as exc:
                raise InvalidInput(f"--duration: {exc}") from None
        start_at = option_datetime("--start", start_text)
        end_at = option_datetime("--end", end_text)
        if seconds is not None and start_at is not None and end_at is not None:
            raise InvalidInput("give two of --start, --end and --duration, not all three")
        if seconds is not None:
            if start_at is None:
                end_at = end_at or clock.now()
                start_at = end_at - timedelta(seconds=seconds)
            else:
                end_at = start_at + timedelta(seconds=seconds)
        if start_at is None or end_at is None:
            raise InvalidInput("say when: a range like 14:00-15:30, or --start with --end or --duration")
    with ctx.session(write=True) as session:
        learner = ctx.learner_id(session)
        goal, exam = _goal_and_exam(ctx, session, learner, cert, resource_id)
        view = tracking.add_entry(session, learner, goal, exam, start=start_at, end=end_at,
                                  description=" ".join(words), topic=topic, tags=list(tags),
                                  allow_overlap=allow_overlap, resource_id=resource_id)
    click.echo(f"Added {view.id}: {view.start.astimezone(clock.local_tz()):%Y-%m-%d} "
               f"{_hm(view.start)}–{_hm(view.end)} ({_duration(view.seconds)}) {_label(view)}")


@click.command()
@click.argument("entry_id", type=int)
@click.option("--description", "-d", metavar="TEXT", help="New description.")
@cert_option
@click.option("--topic", "-T", metavar="TOPIC", help="New topic ('none' clears it).")
@click.option("--tag", "-t", "tags", metavar="TAG", multiple=True, help="Replace the tags; repeatable.")
@click.option("--no-tags", is_flag=True, help="Remove every tag.")
@click.option("--resource", "-r", "resource", metavar="ID", help="New resource ('none' clears it).")
@click.option("--start", "start_text", metavar="TIME", help="New start.")
@click.option("--end", "end_text", metavar="TIME", help="New end.")
@click.option("--allow-overlap", is_flag=True, help="Keep it even if it overlaps another entry.")
@click.pass_obj
def edit(ctx, entry_id, description, cert, topic, tags, no_tags, resource, start_text, end_text,
         allow_overlap):
    """Change an entry's description, exam, topic, tags, resource, start or end."""
    from tracker.services import goals, tracking
    from tracker.services.tracking import _KEEP

    start_at = option_datetime("--start", start_text)
    end_at = option_datetime("--end", end_text)
    topic_value = _KEEP if topic is None else (None if topic.strip().lower() in ("", "none") else topic)
    new_tags = [] if no_tags else (list(tags) if tags else None)
    resource_value = _KEEP if resource is None else _resource_id(resource, clearable=True)
    with ctx.session(write=True) as session:
        learner = ctx.learner_id(session)
        goal = goals.find_goal(session, learner, cert, ctx.catalog) if cert else None
        view = tracking.edit_entry(session, learner, entry_id, ctx.catalog, goal=goal,
                                   description=description, topic=topic_value, tags=new_tags,
                                   start=start_at, end=end_at, allow_overlap=allow_overlap,
                                   resource_id=resource_value)
    end = _hm(view.end) if view.end else "now"
    click.echo(f"Updated {view.id}: {_hm(view.start)}–{end} ({_duration(view.seconds)}) {_label(view)}")


@click.command()
@click.argument("entry_id", type=int)
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def delete(ctx, entry_id, yes):
    """Delete an entry."""
    from tracker.services import tracking

    with ctx.session(write=True) as session:
        learner = ctx.learner_id(session)
        view = tracking.view_of(session, tracking.get_entry(session, learner, entry_id))
        if not yes:
            click.confirm(f"Delete {view.id}: {_label(view)} ({_duration(view.seconds)})?",
                          abort=True, err=True)
        tracking.delete_entry(session, learner, entry_id)
    click.echo(f"Deleted {view.id}.")


@click.command()
@click.argument("entry_id", type=int)
@click.option("--at", required=True, metavar="TIME", help="Where to cut: 15:00.")
@click.pass_obj
def split(ctx, entry_id, at):
    """Cut an entry in two at a time inside it."""
    from tracker.services import tracking

    at_time = option_datetime("--at", at)
    with ctx.session(write=True) as session:
        first, second = tracking.split_entry(session, ctx.learner_id(session), entry_id, at_time)
    end = _hm(second.end) if second.end else "now"
    click.echo(f"Split into {first.id} ({_hm(first.start)}–{_hm(first.end)}) and "
               f"{second.id} ({_hm(second.start)}–{end})")


def resolve_filters(ctx, session, learner, cert, topic):
    """Exam codes and canonical topic names for --cert/--topic filters."""
    from sqlalchemy import select

    from tracker.errors import NotFound
    from tracker.models import Goal

    codes = [ctx.catalog.exam(cert).code] if cert else None
    topics = None
    if topic:
        if codes:
            topics = [ctx.catalog.exam(codes[0]).topic(topic).name]
        else:
            mine = session.execute(
                select(Goal.exam_code).where(Goal.learner_id == learner).distinct()
            ).scalars().all()
            found = {t.name for c in mine if (e := ctx.catalog.find(c)) and (t := e.find_topic(topic))}
            if not found:
                raise NotFound(f"no exam of yours has a topic {topic!r}")
            topics = sorted(found)
    return codes, topics


@click.command()
@click.option("--from", "from_", metavar="DATE", help="First day (default: 6 days ago).")
@click.option("--to", metavar="DATE", help="Last day (default: today).")
@cert_option
@topic_option
@click.option("--tag", "-t", metavar="TAG", help="Only entries with this tag.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
@click.pass_obj
def log(ctx, from_, to, cert, topic, tag, as_json, as_csv):
    """List entries grouped by day, with day totals."""
    from datetime import timedelta

    from tracker import clock
    from tracker.errors import InvalidInput
    from tracker.services import log as log_service

    if as_json and as_csv:
        raise InvalidInput("choose --json or --csv, not both")
    end = option_date("--to", to) or clock.today()
    start = option_date("--from", from_) or end - timedelta(days=6)
    if start > end:
        raise InvalidInput(f"--from {start} is after --to {end}")
    with ctx.session() as session:
        learner = ctx.learner_id(session)
        codes, topics = resolve_filters(ctx, session, learner, cert, topic)
        entries = log_service.list_entries(session, learner, start=start, end=end,
                                           exam_codes=codes, topics=topics, tag=tag)
    if as_json:
        echo_json([e.to_json() for e in entries])
        return
    if as_csv:
        import csv
        import sys

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["id", "cert", "topic", "description", "tags", "start", "end", "seconds"])
        for e in entries:
            writer.writerow([e.id, e.exam_code, e.topic or "", e.description, ",".join(e.tags),
                             e.start.isoformat(), e.end.isoformat() if e.end else "", e.seconds])
        return
    if not entries:
        click.echo(f"No entries from {start} to {end}.")
        return
    for day in log_service.by_day(entries):
        click.echo(f"{day.day:%a %d %b %Y}  {_duration(day.seconds):>9}")
        for e in day.entries:
            end_text = _hm(e.end) if e.end else "now  "
            click.echo(f"  {e.id:>6}  {_hm(e.start)}–{end_text}  {_duration(e.seconds):>8}  {_label(e)}")
    total = sum(d.seconds for d in log_service.by_day(entries))
    click.echo(f"Total {_duration(total)} in {len(entries)} entries")


COMMANDS = [start, stop, cancel, continue_, status, add, edit, delete, split, log]
