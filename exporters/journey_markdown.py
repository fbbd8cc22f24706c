"""The journey as Markdown: the timeline people put on their blogs."""

from __future__ import annotations

from tracker.services.journey import Milestone

_RESULT = {"passed": "Passed", "failed": "Not passed", "expired": "Passed (expired)",
           "planned": "Planned", "studying": "Studying", "booked": "Booked"}


def _escape(text: str) -> str:
    """Keep table cells intact: pipes and line breaks would break the row."""
    return " ".join(text.replace("|", "\\|").split())


def journey_markdown(milestones: list[Milestone], title: str = "My certification journey") -> str:
    lines = [f"# {title}", "", "| Date | Certification | Level | Result | Study hours | Valid until |",
             "|---|---|---|---|---:|---|"]
    for m in milestones:
        g = m.goal
        name = f"{_escape(g.exam_name)} ({g.exam_code})"
        if g.badge_url:
            name = f"[{name}]({g.badge_url.replace(')', '%29')})"
        when = m.when.isoformat() if m.when else "—"
        valid = g.expires_on.isoformat() if g.expires_on else ("—" if g.status != "passed" else "no expiry")
        lines.append(f"| {when} | {name} | {_escape(m.level)} | {_RESULT.get(g.status, g.status)} | "
                     f"{m.hours:.1f} | {valid} |")
    passed = [m for m in milestones if m.goal.status in ("passed", "expired")]
    total = sum(m.hours for m in milestones)
    lines += ["", f"{len(passed)} certification{'s' if len(passed) != 1 else ''} earned, "
              f"{total:.0f} hours of study logged."]
    return "\n".join(lines) + "\n"
