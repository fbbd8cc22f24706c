"""``certjourney resource``: what you study from, its size, progress and topics."""

from __future__ import annotations

import click

from tracker.cli.output import echo_json, one_line, table

KIND_HELP = "course, video, whitepaper, faq, lab, practice-test, book, article or other"


@click.group("resource")
def resource():
    """Resources: courses, videos, whitepapers, FAQs, labs, practice tests — with progress."""


def _units(units: str | None, unit: str | None):
    """(total, unit name) from --units '42' or '42 lectures' and --unit."""
    from tracker.errors import InvalidInput
    from tracker.services.resources import check_unit_name, parse_units

    if units is None:
        if unit is not None:
            raise InvalidInput("--unit needs --units: e.g. --units 42 --unit lectures")
        return None, None
    total, name = parse_units(units)
    return total, check_unit_name(unit) if unit is not None else name


def _describe(view) -> str:
    return f"{view.id} {view.title!r} ({view.exam_code}, {view.kind}): {view.progress_text()}"


@resource.command("add")
@click.argument("code")
@click.argument("title", nargs=-1, required=True)
@click.option("--kind", "-k", metavar="KIND", help=f"One of {KIND_HELP}.")
@click.option("--url", metavar="URL", help="Where it is: an http(s) link.")
@click.option("--units", metavar="N", help="Its size: 42, or '42 lectures'.")
@click.option("--unit", metavar="NAME", help="What a unit is: lectures, pages, labs...")
@click.option("--topic", "-T", "topics", metavar="TOPIC", multiple=True,
              help="A topic it covers (name or alias); repeatable.")
@click.pass_obj
def add(ctx, code, title, kind, url, units, unit, topics):
    """Add a resource to the goal for exam CODE (or goal ID)."""
    from tracker.errors import InvalidInput
    from tracker.services import goals, resources

    if kind is None:
        raise InvalidInput(f"say what it is with --kind: {KIND_HELP}")
    total, unit_name = _units(units, unit)
    with ctx.session(write=True) as session:
        learner = ctx.learner_id(session)
        goal = goals.find_goal(session, learner, code, ctx.catalog)
        view = resources.add_resource(
            session, learner, goal, ctx.catalog.exam(goal.exam_code), title=" ".join(title),
            kind=kind, url=url, units_total=total, unit_name=unit_name, topics=list(topics))
    click.echo(f"Added resource {_describe(view)}")
    if view.topics:
        click.echo(f"Topics: {', '.join(view.topics)}")


@resource.command("list", short_help="List resources with their progress.")
@click.argument("code", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def list_(ctx, code, as_json):
    """List resources with their progress: all of them, or those of exam CODE."""
    from tracker import clock
    from tracker.services import goals, resources
    from tracker.timeparse import format_duration

    with ctx.session() as session:
        learner = ctx.learner_id(session)
        goal = goals.find_goal(session, learner, code, ctx.catalog) if code else None
        views = resources.list_resources(session, learner, goal.id if goal else None)
    if as_json:
        echo_json([v.to_json() for v in views])
        return
    if not views:
        click.echo("No resources yet. Add one: certjourney resource add CODE TITLE --kind video "
                   "--units 42 --unit lectures")
        return
    tz = clock.local_tz()
    rows = [
        (v.id, v.exam_code, v.kind, one_line(v.title, 40), v.progress_text(),
         v.done_at.astimezone(tz).date().isoformat() if v.done_at else "",
         format_duration(v.seconds) if v.seconds else "", one_line(", ".join(v.topics), 50))
        for v in views
    ]
    click.echo(table(("ID", "CERT", "KIND", "TITLE", "PROGRESS", "DONE", "TIME", "TOPICS"),
                     rows, right=(0, 6)))


@resource.command("progress", short_help="Record units done: N, +N or N/M.")
@click.argument("resource_id", type=int)
@click.argument("done", metavar="N")
@click.pass_obj
def progress(ctx, resource_id, done):
    """Record units done: N (so far), +N (more) or N/M (done of a new total)."""
    from tracker.services import resources

    with ctx.session(write=True) as session:
        view = resources.set_progress(session, ctx.learner_id(session), resource_id, done)
    click.echo(f"Resource {_describe(view)}" + (" — done" if view.done else ""))


@resource.command("done")
@click.argument("resource_id", type=int)
@click.pass_obj
def done(ctx, resource_id):
    """Mark a resource finished (every unit done)."""
    from tracker.services import resources

    with ctx.session(write=True) as session:
        view = resources.mark_done(session, ctx.learner_id(session), resource_id)
    click.echo(f"Done: resource {_describe(view)}")


@resource.command("edit")
@click.argument("resource_id", type=int)
@click.option("--title", metavar="TEXT", help="New title.")
@click.option("--kind", "-k", metavar="KIND", help=f"New kind: {KIND_HELP}.")
@click.option("--url", metavar="URL", help="New link ('' or 'none' clears it).")
@click.option("--units", metavar="N", help="New size: 42 or '42 lectures' ('none' clears it).")
@click.option("--unit", metavar="NAME", help="New unit name.")
@click.option("--topic", "-T", "topics", metavar="TOPIC", multiple=True,
              help="Replace the topics; repeatable.")
@click.option("--no-topics", is_flag=True, help="Remove every topic.")
@click.pass_obj
def edit(ctx, resource_id, title, kind, url, units, unit, topics, no_topics):
    """Change a resource's title, kind, link, size or topics."""
    from tracker.errors import InvalidInput
    from tracker.models import Goal
    from tracker.services import resources
    from tracker.services.resources import KEEP, check_unit_name, parse_units

    if topics and no_topics:
        raise InvalidInput("give --topic or --no-topics, not both")
    changes = {}
    if url is not None:
        changes["url"] = None if url.strip().lower() in ("", "none") else url
    if units is not None:
        if units.strip().lower() in ("", "none"):
            changes["units_total"] = None
        else:
            changes["units_total"], name = parse_units(units)
            if name:
                changes["unit_name"] = name
    if unit is not None:
        changes["unit_name"] = check_unit_name(unit)
    if not (title or kind or changes or topics or no_topics):
        raise InvalidInput("nothing to change: give --title, --kind, --url, --units, --unit or --topic")
    with ctx.session(write=True) as session:
        learner = ctx.learner_id(session)
        found = resources.get_resource(session, learner, resource_id)
        exam = ctx.catalog.exam(session.get(Goal, found.goal_id).exam_code)
        view = resources.edit_resource(
            session, learner, resource_id, exam, title=title, kind=kind,
            url=changes.get("url", KEEP), units_total=changes.get("units_total", KEEP),
            unit_name=changes.get("unit_name", KEEP),
            topics=[] if no_topics else (list(topics) if topics else None))
    click.echo(f"Updated resource {_describe(view)}")


@resource.command("link", short_help="Add a topic to a resource's topics.")
@click.argument("resource_id", type=int)
@click.argument("topic")
@click.pass_obj
def link(ctx, resource_id, topic):
    """Say resource RESOURCE_ID also covers TOPIC (a name or alias of its exam's topics)."""
    _change_topic(ctx, resource_id, topic, add=True)


@resource.command("unlink", short_help="Remove a topic from a resource's topics.")
@click.argument("resource_id", type=int)
@click.argument("topic")
@click.pass_obj
def unlink(ctx, resource_id, topic):
    """Say resource RESOURCE_ID no longer covers TOPIC."""
    _change_topic(ctx, resource_id, topic, add=False)


def _change_topic(ctx, resource_id: int, topic: str, *, add: bool) -> None:
    from tracker.services import resources

    change = resources.link_topic if add else resources.unlink_topic
    with ctx.session(write=True) as session:
        view, name, changed = change(session, ctx.learner_id(session), resource_id, ctx.catalog, topic)
    if not changed:
        state = "already covers" if add else "does not cover"
        click.echo(f"Resource {view.id} {view.title!r} {state} {name}; nothing changed.")
    else:
        verb = "now covers" if add else "no longer covers"
        click.echo(f"Resource {view.id} {view.title!r} {verb} {name}.")


@resource.command("remove", short_help="Remove a resource (its logged time stays).")
@click.argument("resource_id", type=int)
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def remove(ctx, resource_id, yes):
    """Remove a resource (time logged against it stays, without the resource)."""
    from tracker.services import resources

    with ctx.session(write=True) as session:
        learner = ctx.learner_id(session)
        view = resources.view_of(session, resources.get_resource(session, learner, resource_id))
        if not yes:
            click.confirm(f"Remove resource {_describe(view)}?", abort=True, err=True)
        resources.remove_resource(session, learner, resource_id)
    click.echo(f"Removed resource {view.id} {view.title!r}.")
