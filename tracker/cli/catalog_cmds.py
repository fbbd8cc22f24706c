"""``certjourney catalog``: the exams we know, their domains and topics."""

from __future__ import annotations

import click

from tracker.cli.output import echo_json, table


def exam_json(exam, *, details: bool = False) -> dict:
    data = {
        "code": exam.code,
        "name": exam.name,
        "vendor": exam.vendor,
        "level": exam.level,
        "status": exam.status,
        "status_date": exam.status_date.isoformat() if exam.status_date else None,
        "successor": exam.successor,
        "aliases": list(exam.aliases),
        "questions": exam.questions,
        "questions_range": list(exam.questions_range) if exam.questions_range else None,
        "minutes": exam.minutes,
        "pass_mark": exam.pass_mark,
        "score_min": exam.score_min,
        "score_max": exam.score_max,
        "price_usd": exam.price_usd,
        "validity_years": exam.validity_years,
        "expires": exam.expires,
        "domains": [
            {
                "number": d.number,
                "name": d.name,
                "weight_min": d.weight_min,
                "weight_max": d.weight_max,
                "topics": [t.name for t in d.topics],
            }
            for d in exam.domains
        ],
    }
    if details:
        data["topics"] = [
            {"name": t.name, "domain": t.domain, "aliases": list(t.aliases), "summary": t.summary}
            for t in exam.topics
        ]
        data["source"] = str(exam.source)
    return data


@click.group()
def catalog():
    """Exam catalogs: official domains, weights and topics."""


@catalog.command("list")
@click.option("--vendor", help="Only this vendor's exams (AWS, Microsoft, Google Cloud).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def list_exams(ctx, vendor: str | None, as_json: bool):
    """List every exam in the catalogs."""
    from tracker import clock

    exams = [e for e in ctx.catalog
             if vendor is None or vendor.casefold() in e.vendor.casefold()]
    if as_json:
        echo_json([exam_json(e) for e in exams])
        return
    today = clock.today()
    rows = [(e.code, e.vendor, e.level, e.status_text(today), len(e.domains), len(e.topics), e.name)
            for e in exams]
    click.echo(table(("CODE", "VENDOR", "LEVEL", "STATUS", "DOMAINS", "TOPICS", "NAME"), rows,
                     right=(4, 5)))


def _facts(exam) -> list[tuple[str, str]]:
    facts = [("Vendor", exam.vendor), ("Level", exam.level)]
    from tracker import clock

    status = exam.status_text(clock.today())
    if exam.successor:
        status += f" (successor: {exam.successor})"
    facts.append(("Status", status))
    if exam.questions:
        scored = f" ({exam.scored_questions} scored)" if exam.scored_questions else ""
        facts.append(("Questions", f"{exam.questions}{scored}"))
    elif exam.questions_range:
        facts.append(("Questions", f"{exam.questions_range[0]}–{exam.questions_range[1]}"))
    if exam.minutes:
        facts.append(("Duration", f"{exam.minutes} minutes"))
    if exam.pass_mark is not None:
        scale = f" on a {exam.score_min}–{exam.score_max} scale" if exam.score_max else ""
        facts.append(("Pass mark", f"{exam.pass_mark}{scale}"))
    else:
        facts.append(("Pass mark", "not published"))
    if exam.price_usd is not None:
        facts.append(("Price", f"{exam.price_usd} USD"))
    if not exam.expires:
        facts.append(("Valid for", "does not expire"))
    elif exam.validity_years:
        facts.append(("Valid for", f"{exam.validity_years} years"))
    if exam.aliases:
        facts.append(("Also called", ", ".join(exam.aliases)))
    facts.append(("Catalog file", str(exam.source)))
    return facts


@catalog.command("show")
@click.argument("code")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def show_exam(ctx, code: str, as_json: bool):
    """Show one exam: facts, domains with weights, topics with aliases."""
    exam = ctx.catalog.exam(code)
    if as_json:
        echo_json(exam_json(exam, details=True))
        return
    click.echo(f"{exam.code}  {exam.name}")
    width = max(len(k) for k, _ in _facts(exam))
    for key, value in _facts(exam):
        click.echo(f"  {key.ljust(width)}  {value}")
    for d in exam.domains:
        click.echo(f"\n{d.number}. {d.name}  ({d.weight_text()})")
        for t in d.topics:
            aliases = f"  [{', '.join(t.aliases)}]" if t.aliases else ""
            click.echo(f"   - {t.name}{aliases}")
