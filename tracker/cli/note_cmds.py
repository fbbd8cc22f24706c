"""``certjourney note``: the notes imported from your markdown files."""

from __future__ import annotations

import click

from tracker.cli.output import echo_json, one_line, table


def _note_id(text: str) -> int:
    from tracker.errors import InvalidInput

    digits = text.strip().lstrip("#")
    if not digits.isdigit():
        raise InvalidInput(f"a note ID is a number, not {text!r}")
    return int(digits)


@click.group("note")
def note():
    """Notes: sections of your markdown notes, linked to topics ('certjourney import notes')."""


@note.command("list")
@click.argument("cert", metavar="CODE")
@click.option("--topic", "-T", metavar="TOPIC", help="Only notes linked to this topic (name or alias).")
@click.option("--unlinked", is_flag=True, help="Only notes linked to no topic.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def list_(ctx, cert, topic, unlinked, as_json):
    """List a goal's notes, in file order.

    CODE names the goal by exam code or goal ID.
    """
    from tracker.services import notes as notes_service

    if topic and unlinked:
        raise click.UsageError("give --topic or --unlinked, not both")
    with ctx.session() as session:
        lid = ctx.learner_id(session)
        goal, exam = notes_service.goal_and_exam(session, lid, cert, ctx.catalog)
        name = exam.topic(topic).name if topic else None
        views = notes_service.list_notes(session, goal, topic=name, unlinked=unlinked)
    if as_json:
        echo_json([v.to_json() for v in views])
        return
    if not views:
        what = f"linked to {name}" if name else ("unlinked" if unlinked else "yet")
        click.echo(f"No notes {what} for {goal.exam_code}."
                   + ("" if name or unlinked else
                      f" Import some: certjourney import notes FOLDER --cert {goal.exam_code}"))
        return
    rows = [(v.id, v.source, one_line(v.path, 50),
             one_line(", ".join(t for t, _ in v.topics), 50) or "-", f"{v.size:,}")
            for v in views]
    click.echo(table(("ID", "FILE", "HEADING PATH", "TOPICS", "SIZE"), rows, right=(0, 4)))


@note.command("show")
@click.argument("note_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def show(ctx, note_id, as_json):
    """Show note ID (from 'note list'): heading, file, topics and its text."""
    from tracker import clock
    from tracker.services import notes as notes_service

    with ctx.session() as session:
        view = notes_service.get_note(session, ctx.learner_id(session), _note_id(note_id))
    if as_json:
        echo_json(view.to_json())
        return
    topics = ", ".join(f"{t} ({'by hand' if t in view.hand else f'{w:g}'})"
                       for t, w in view.topics) or "(none)"
    updated = view.updated_at.astimezone(clock.local_tz())
    click.echo(view.path)
    click.echo(f"  File     {view.source}")
    click.echo(f"  Goal     {view.cert} (goal {view.goal_id})")
    click.echo(f"  Topics   {topics}")
    click.echo(f"  Updated  {updated:%Y-%m-%d %H:%M}")
    click.echo("")
    click.echo(view.body)


def _change_link(ctx, note_id: str, topic: str, as_json: bool, *, link: bool) -> None:
    from tracker.services import notes as notes_service

    change = notes_service.link_note if link else notes_service.unlink_note
    number = _note_id(note_id)
    with ctx.session(write=True) as session:
        done = change(session, ctx.learner_id(session), number, topic, catalog=ctx.catalog)
    if as_json:
        echo_json(done.to_json())
    else:
        click.echo(done.message)


@note.command("link")
@click.argument("note_id", metavar="ID")
@click.argument("topic")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def link(ctx, note_id, topic, as_json):
    """Link note ID to TOPIC (a name or alias of its exam's topics) by hand.

    A link made by hand counts fully and stays when you import your notes again.
    """
    _change_link(ctx, note_id, topic, as_json, link=True)


@note.command("unlink")
@click.argument("note_id", metavar="ID")
@click.argument("topic")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def unlink(ctx, note_id, topic, as_json):
    """Remove note ID's link to TOPIC; importing your notes again will not bring it back."""
    _change_link(ctx, note_id, topic, as_json, link=False)
