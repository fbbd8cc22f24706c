"""``certjourney practice``: practice exams taken, their scores and the trend per domain."""

from __future__ import annotations

import click

from tracker.cli.output import echo_json, one_line, table


@click.group("practice")
def practice():
    """Practice exams: overall and per-domain scores, pass/fail, trends."""


def pct(value: float, sign: bool = False) -> str:
    """78 -> '78%', 78.46 -> '78.5%'; with ``sign``: '+15', '-2.5'."""
    text = f"{value:{'+' if sign else ''}.1f}".rstrip("0").rstrip(".")
    return text if sign else f"{text}%"


def score_text(view) -> str:
    """'78% (780/1000)' on an exam with a scale, else '78%'."""
    if view.scaled_score is None:
        return pct(view.score_pct)
    return f"{pct(view.score_pct)} ({view.scaled_score}/{view.scale_max})"


def _result(view) -> str:
    if not view.full:
        return "partial"
    return {True: "pass", False: "fail", None: ""}[view.passed]


@practice.command("add")
@click.argument("code")
@click.option("--score", "-s", metavar="S", help="Overall score: 78 (%), 52/65, or 780 on a 1000 scale.")
@click.option("--of", metavar="MAX", help="What the score is out of: 1000, 65.")
@click.option("--date", "date_text", metavar="DATE", help="When you took it (default today).")
@click.option("--domain", "-d", "domains", metavar="NAME=SCORE", multiple=True,
              help="A domain's score: 'Modeling=65', '3=65%', '2=13/20'; repeatable.")
@click.option("--partial", is_flag=True, help="A domain quiz or partial test, not a full practice exam.")
@click.option("--label", metavar="TEXT", help="Which test: 'Tutorials Dojo set 3'.")
@click.pass_obj
def add(ctx, code, score, of, date_text, domains, partial, label):
    """Record a practice exam taken for exam CODE (or goal ID)."""
    from tracker.cli.parsing import option_date
    from tracker.errors import InvalidInput
    from tracker.services import goals
    from tracker.services import practice as service

    if score is None:
        raise InvalidInput("give the overall score with --score: 78 (%), 52/65 or 780 --of 1000")
    taken_on = option_date("--date", date_text)
    with ctx.session(write=True) as session:
        learner = ctx.learner_id(session)
        goal = goals.find_goal(session, learner, code, ctx.catalog)
        exam = ctx.catalog.exam(goal.exam_code)
        view = service.add_attempt(
            session, learner, goal, exam, score=service.parse_score(score, exam, of),
            taken_on=taken_on, domains=service.parse_domain_scores(list(domains), exam),
            full=not partial, label=label)
    verdict = _result(view)
    mark = f" (pass mark {pct(view.pass_pct)})" if view.pass_pct is not None and view.full else ""
    click.echo(f"Recorded attempt {view.id} for {exam.code} on {view.taken_on}: "
               f"{score_text(view)}" + (f" — {verdict}{mark}" if verdict else ""))
    for name, value in view.domains.items():
        click.echo(f"  {name}: {pct(value)}")


@practice.command("list")
@click.argument("code")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def list_(ctx, code, as_json):
    """List the practice exams for exam CODE, oldest first, and each domain's trend."""
    from tracker.services import goals
    from tracker.services import practice as service

    with ctx.session() as session:
        goal = goals.find_goal(session, ctx.learner_id(session), code, ctx.catalog)
        exam = ctx.catalog.exam(goal.exam_code)
        views = service.attempts(session, goal.id, exam)
    if as_json:
        echo_json([v.to_json() for v in views])
        return
    if not views:
        click.echo(f"No practice exams for {exam.code} yet. Record one: "
                   f"certjourney practice add {exam.code} --score 78")
        return
    mark = service.pass_pct(exam)
    if mark is None:
        click.echo(f"{exam.code} practice exams ({exam.vendor} publishes no pass mark: no verdict)")
    else:
        click.echo(f"{exam.code} practice exams (pass mark {exam.pass_mark}/{exam.score_max} = "
                   f"{pct(mark)})")
    rows = [(v.id, v.taken_on, score_text(v), _result(v), one_line(v.label or "", 40))
            for v in views]
    click.echo(table(("ID", "DATE", "SCORE", "RESULT", "LABEL"), rows, right=(0,)))
    trends = service.domain_trends(views, exam)
    if trends:
        click.echo("")
        rows = [(t.domain, pct(t.first), pct(t.latest), pct(t.change, sign=True), t.attempts)
                for t in trends]
        click.echo(table(("DOMAIN", "FIRST", "LATEST", "CHANGE", "ATTEMPTS"), rows,
                         right=(1, 2, 3, 4)))


@practice.command("remove")
@click.argument("attempt_id", type=int)
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def remove(ctx, attempt_id, yes):
    """Remove a practice attempt and its domain scores."""
    from tracker.services import practice as service

    with ctx.session(write=True) as session:
        learner = ctx.learner_id(session)
        attempt = service.get_attempt(session, learner, attempt_id)
        what = f"practice attempt {attempt.id} ({attempt.taken_on}, {pct(attempt.score_pct)})"
        if not yes:
            click.confirm(f"Remove {what}?", abort=True, err=True)
        service.remove_attempt(session, learner, attempt_id)
    click.echo(f"Removed {what}.")
