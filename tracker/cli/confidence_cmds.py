"""``certjourney confidence``: rate a topic 1-5, or show your ratings."""

from __future__ import annotations

import click

from tracker.cli.output import echo_json, table


def _stars(rating: int) -> str:
    return "●" * rating + "○" * (5 - rating)


@click.command("confidence")
@click.argument("code")
@click.argument("topic", required=False)
@click.argument("rating", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def confidence(ctx, code, topic, rating, as_json):
    """Rate how sure you are of a TOPIC of exam CODE, from 1 (lost) to 5 (could teach it).

    Without a RATING: the latest rating of every rated topic, or the history of TOPIC.
    Every rating is kept with its date.
    """
    from tracker import clock
    from tracker.services import confidence as service
    from tracker.services import goals
    from tracker.timeparse import humanize_until

    with ctx.session(write=rating is not None) as session:
        learner = ctx.learner_id(session)
        goal = goals.find_goal(session, learner, code, ctx.catalog)
        exam = ctx.catalog.exam(goal.exam_code)
        if rating is not None:
            saved = service.rate(session, learner, goal, exam, topic, rating)
        elif topic is not None:
            ratings = service.history(session, goal.id, exam, topic)
        else:
            ratings = service.latest_ratings(session, goal.id)
    if rating is not None:
        if as_json:
            echo_json(saved.to_json())
        else:
            click.echo(f"{exam.code} · {saved.topic}: {saved.rating}/5 {_stars(saved.rating)}")
        return
    if as_json:
        echo_json([r.to_json() for r in ratings])
        return
    today = clock.today()

    def when(r) -> str:
        return f"set {humanize_until(r.rated_at.astimezone(clock.local_tz()).date(), today)}"

    if topic is not None:
        name = exam.topic(topic).name
        if not ratings:
            click.echo(f"{exam.code} · {name}: not rated yet. "
                       f"Rate it: certjourney confidence {exam.code} '{name}' 3")
            return
        click.echo(f"{exam.code} · {name}: {len(ratings)} rating{'s' if len(ratings) != 1 else ''}")
        rows = [(f"{r.rating}/5", _stars(r.rating), r.rated_at.astimezone(clock.local_tz())
                 .strftime("%Y-%m-%d %H:%M"), when(r)) for r in ratings]
        click.echo(table(("RATING", "", "DATE", "WHEN"), rows))
        return
    if not ratings:
        click.echo(f"No ratings for {exam.code} yet. "
                   f"Rate a topic: certjourney confidence {exam.code} TOPIC 1-5")
        return
    # In the exam's order; a topic since dropped from the catalog goes last.
    position = {t.name: i for i, t in enumerate(exam.topics)}
    domain = {t.name: t.domain for t in exam.topics}
    ratings = sorted(ratings, key=lambda r: position.get(r.topic, len(position)))
    rows = [(r.topic, domain.get(r.topic, ""), f"{r.rating}/5", _stars(r.rating), when(r))
            for r in ratings]
    click.echo(table(("TOPIC", "DOMAIN", "RATING", "", "WHEN"), rows))
    unrated = len(position) - len({r.topic for r in ratings} & set(position))
    if unrated:
        click.echo(f"{unrated} of {len(exam.topics)} topics not rated yet.")
