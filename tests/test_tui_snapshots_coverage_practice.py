"""Snapshots of the Coverage and Practice tabs at 100×30.

The data is made through the CLI with the clock frozen (the ``frozen``
fixture, via ``cli``): the app runs in this process, so it reads the same
frozen tracker.clock — Monday 2026-11-23 11:00 in Berlin. The theme is fixed
and no text box has focus, so no cursor blinks. Update the baselines with
``pytest tests/test_tui_snapshots_coverage_practice.py --snapshot-update`` and
look at each SVG before committing it.
"""

from __future__ import annotations

import pytest
from tui_helpers import app_for, settle

from tracker.tui.views.coverage import CoverageTree, TopicRow

SAA = "SAA-C03"
SIZE = (100, 30)


@pytest.fixture
def journey(cli):
    cli("goal", "add", SAA, "--exam-date", "2026-12-21", "--target-hours", "40")
    for day, topic in (("2026-11-16", "VPC security"), ("2026-11-18", "VPC security"),
                       ("2026-11-19", "Amazon Cognito"), ("2026-11-20", "Scaling strategies")):
        cli("add", "Study", "-c", SAA, "-T", topic, "--start", f"{day} 19:00", "--end", f"{day} 21:00")
    cli("confidence", SAA, "VPC security", "4")
    cli("confidence", SAA, "Amazon Cognito", "2")
    cli("resource", "add", SAA, "VPC", "[b]lab[/b]", "--kind", "lab", "--units", "4",
        "-T", "VPC security")
    cli("practice", "add", SAA, "--score", "640", "--date", "2026-11-02", "--label", "Set 1",
        "-d", "1=62", "-d", "2=55", "-d", "3=66", "-d", "4=60")
    cli("practice", "add", SAA, "--score", "52/65", "--date", "2026-11-16", "--label", "Set [2]",
        "-d", "1=13/20", "-d", "2=71", "-d", "3=80", "-d", "4=58")
    cli("practice", "add", SAA, "--score", "70", "--date", "2026-11-21", "--partial",
        "--label", "Domain 1 quiz", "-d", "1=90")
    return cli


def shown(tab: str, focus: str, then=None):
    async def run_before(pilot) -> None:
        app = pilot.app
        app.theme = "textual-dark"
        await settle(app, pilot)
        app.action_show_tab(tab)
        await pilot.pause()
        app.query_one(focus).focus()
        if then is not None:
            then(app)
        await settle(app, pilot)

    return run_before


def on_vpc_security(app) -> None:
    tree = app.query_one(CoverageTree)
    stack = list(tree.root.children)
    while stack:
        node = stack.pop()
        if isinstance(node.data, TopicRow) and node.data.name == "VPC security":
            tree.cursor_line = node.line
            return
        stack.extend(node.children)
    raise AssertionError("no VPC security node")


def test_coverage_view(journey, snap_compare):
    """The Coverage tab of SAA-C03 (40 h target, 8 h logged): the goal line
    "8.0 of 40 h · exam in 4 weeks"; each domain with its weight ("30% wt"),
    hours, share of hours with ▲/▼/≈ against the weight, coverage, latest
    practice and mean confidence — domain 1 "✓" with "prac 90%" (the partial
    quiz is its latest score) and "conf 3.0"; domain 1's topics with hours of
    expected hours, "✓ VPC security … conf 4/5 … 1 res" and "✗ Amazon Cognito
    … conf 2/5". The cursor is on VPC security, described under the tree in
    words ("✓ ready: rated 4 of 5 and its hours logged"). The footer shows
    12345 Rate, c Confidence, n Notes, R Resources and a Add resource."""
    app = app_for(journey.db_url)
    assert snap_compare(app, terminal_size=SIZE,
                        run_before=shown("coverage", "#coverage-tree", on_vpc_security))


def test_practice_view(journey, snap_compare):
    """The Practice tab of SAA-C03: "Pass mark 720/1000 = 72%"; three attempts
    newest first — 2026-11-21 70% partial "no verdict", 2026-11-16 80% (800/1000)
    "✓ pass", 2026-11-02 64% (640/1000) "✗ fail" — with per-domain scores (under
    70% marked ✗) and labels shown literally ("Set [2]"). Below, the trend per
    domain: first → latest, the change with ↑/↓ and "better"/"worse", and a
    sparkline. The footer shows a Add attempt, x Remove, g Next goal."""
    app = app_for(journey.db_url)
    assert snap_compare(app, terminal_size=SIZE,
                        run_before=shown("practice", "#practice-attempts"))
