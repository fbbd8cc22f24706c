"""The Coverage and Practice tabs driven like a user: keys, dialogs, the mouse,
and what reaches the database.

The clock is frozen at Monday 2026-11-23 11:00 in Berlin. SAA-C03: pass mark
720/1000, four domains weighted 30/26/24/20.
"""

from __future__ import annotations

import pytest
from rich.style import Style
from textual.widgets import DataTable, Input, Select
from tui_helpers import app_for, run, settle

from tracker.tui.views.coverage import CoverageTree, DomainRow, GoalRow, TopicRow

SAA = "SAA-C03"


@pytest.fixture
def saa(cli):
    cli("goal", "add", SAA, "--exam-date", "+6w", "--target-hours", "60")
    return cli


def goal_and_exam(ctx, session):
    from tracker.services import goals

    goal = goals.find_goal(session, ctx.learner_id(session), SAA, ctx.catalog)
    return goal, ctx.catalog.exam(SAA)


def ratings(ctx) -> dict[str, int]:
    from tracker.services.confidence import latest_confidence

    with ctx.session() as session:
        goal, _ = goal_and_exam(ctx, session)
        return {topic: rating for topic, (rating, _) in latest_confidence(session, goal.id).items()}


def stored_attempts(ctx) -> list:
    from tracker.services.practice import attempts

    with ctx.session() as session:
        goal, exam = goal_and_exam(ctx, session)
        return attempts(session, goal.id, exam)


def stored_resources(ctx) -> list:
    from tracker.services.resources import list_resources

    with ctx.session() as session:
        return list_resources(session, ctx.learner_id(session))


def nodes(tree: CoverageTree) -> list:
    found = []

    def walk(node) -> None:
        for child in node.children:
            found.append(child)
            walk(child)

    walk(tree.root)
    return found


def label(tree: CoverageTree, node) -> str:
    return tree.render_label(node, Style(), Style()).plain


async def open_tab(app, pilot, key: str, focus: str) -> None:
    await settle(app, pilot)
    app.action_show_tab(key)
    await pilot.pause()
    app.query_one(focus).focus()
    await settle(app, pilot)


async def select_topic(app, pilot, name: str) -> CoverageTree:
    await open_tab(app, pilot, "coverage", "#coverage-tree")
    tree = app.query_one(CoverageTree)
    [node] = [n for n in nodes(tree) if isinstance(n.data, TopicRow) and n.data.name == name]
    tree.cursor_line = node.line
    await pilot.pause()
    return tree


# --- coverage -----------------------------------------------------------------

def test_tree_shows_domains_with_weights_and_their_topics(saa):
    saa("add", "Reading", "yesterday", "19:00-20:30", "-c", SAA, "-T", "VPC security")

    async def scenario():
        app = app_for(saa.db_url)
        async with app.run_test(size=(100, 30)) as pilot:
            await open_tab(app, pilot, "coverage", "#coverage-tree")
            tree = app.query_one(CoverageTree)
            found = nodes(tree)
            goals = [n for n in found if isinstance(n.data, GoalRow)]
            domains = [n for n in found if isinstance(n.data, DomainRow)]
            topics = [n for n in found if isinstance(n.data, TopicRow)]
            assert [g.data.code for g in goals] == [SAA]
            assert [(d.data.number, round(d.data.weight)) for d in domains] == [
                (1, 30), (2, 26), (3, 24), (4, 20)]
            assert all(d.parent is goals[0] for d in domains)
            first = label(tree, domains[0])
            assert "1. Design Secure Architectures" in first and "30% wt" in first
            assert "1.5 h" in first and "100% ▲" in first  # all the hours, over its weight
            vpc = next(t for t in topics if t.data.name == "VPC security")
            assert vpc.parent is domains[0]
            assert "1.5/" in label(tree, vpc) and "conf   —" in label(tree, vpc)
            # The cursor starts on the first topic, described in words under the tree.
            assert isinstance(tree.cursor_node.data, TopicRow)
            detail = str(app.query_one("#coverage-detail").render())
            assert "h expected" in detail and "not rated yet" in detail
    run(scenario)


def test_pressing_2_rates_the_selected_topic(saa, ctx):
    async def scenario():
        app = app_for(saa.db_url)
        async with app.run_test(size=(100, 30)) as pilot:
            tree = await select_topic(app, pilot, "VPC security")
            await pilot.press("2")
            await settle(app, pilot)
            # Reloaded in place: the cursor stays on the topic, which shows the rating.
            assert tree.cursor_node.data.name == "VPC security"
            assert tree.cursor_node.data.confidence == 2
            assert "2/5" in label(tree, tree.cursor_node)
            assert "✗" in label(tree, tree.cursor_node)  # 1-2 is weak, said with a symbol
            assert "weak: rated 2 of 5" in str(app.query_one("#coverage-detail").render())
    run(scenario)
    assert ratings(ctx) == {"VPC security": 2}


def test_rating_needs_a_topic_not_a_domain(saa, ctx):
    async def scenario():
        app = app_for(saa.db_url)
        async with app.run_test(size=(100, 30)) as pilot:
            await open_tab(app, pilot, "coverage", "#coverage-tree")
            tree = app.query_one(CoverageTree)
            tree.cursor_line = 1  # the first domain
            await pilot.press("3")
            await settle(app, pilot)
            [note] = list(app._notifications)
            assert "Select a topic first" in note.message
    run(scenario)
    assert ratings(ctx) == {}


def test_confidence_dialog_by_key_and_by_mouse(saa, ctx):
    async def scenario():
        app = app_for(saa.db_url)
        async with app.run_test(size=(100, 30)) as pilot:
            await select_topic(app, pilot, "Amazon Cognito")
            await pilot.press("c")
            await settle(app, pilot)
            assert type(app.screen).__name__ == "ConfidenceScreen"
            await pilot.press("4")
            await settle(app, pilot)
            assert type(app.screen).__name__ == "Screen"
            # Again with the mouse: the footer's c, then the dialog's button; its
            # history now lists the first rating.
            await pilot.click("FooterKey.-grouped", offset=(0, 0))  # 1: a rating by click
            await settle(app, pilot)
            await pilot.press("c")
            await settle(app, pilot)
            assert "1/5" in str(app.screen.query_one("#confidence-history").render())
            await pilot.click("#confidence-5")
            await settle(app, pilot)
    run(scenario)
    assert ratings(ctx) == {"Amazon Cognito": 5}


def test_notes_dialog_shows_the_topic_notes_literally(saa, tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "vpc.md").write_text("# VPC security\n\nSecurity groups are [b]stateful[/b].\n")
    saa("import", "notes", str(folder), "--cert", SAA)

    async def scenario():
        app = app_for(saa.db_url)
        async with app.run_test(size=(100, 30)) as pilot:
            await select_topic(app, pilot, "VPC security")
            await pilot.press("n")
            await settle(app, pilot)
            assert type(app.screen).__name__ == "NotesScreen"
            body = " ".join(str(s.render()) for s in app.screen.query(".note-body"))
            assert "Security groups are [b]stateful[/b]." in body
            await pilot.press("escape")
            await pilot.pause()
            assert type(app.screen).__name__ == "Screen"
    run(scenario)


def test_notes_dialog_links_and_unlinks_notes_by_hand(saa, tmp_path):
    import json

    from textual.widgets import ListView, OptionList

    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "vpc.md").write_text("# VPC security\n\nSecurity groups are stateful.\n")
    (folder / "exam.md").write_text("# Exam [b]day[/b]\n\nBring two IDs.\n")
    saa("import", "notes", str(folder), "--cert", SAA)

    def links() -> dict[str, list[tuple[str, float]]]:
        listed = json.loads(saa("note", "list", SAA, "--json").stdout)
        return {n["path"]: [(t["topic"], t["weight"]) for t in n["topics"]] for n in listed}

    assert links() == {"Exam [b]day[/b]": [], "VPC security": [("VPC security", 4.0)]}

    async def scenario():
        app = app_for(saa.db_url)
        async with app.run_test(size=(100, 30)) as pilot:
            tree = await select_topic(app, pilot, "VPC security")
            assert tree.cursor_node.data.notes == 1
            await pilot.press("n")
            await settle(app, pilot)
            dialog = app.screen
            assert type(dialog).__name__ == "NotesScreen"
            footer = {k: b.binding.description for k, b in dialog.active_bindings.items() if b.binding.show}
            assert footer["l"] == "Link a note" and footer["u"] == "Unlink"
            assert len(dialog.query_one(ListView)) == 1
            await pilot.press("l", *"exam")
            await pilot.pause()
            options = dialog.query_one(OptionList)
            assert options.get_option_at_index(0).prompt.plain == "Exam [b]day[/b] — exam.md"
            await pilot.press("enter")  # takes the choice
            await pilot.press("enter")  # links it
            await settle(app, pilot)
            assert str(dialog.query_one("#notes-message").render()).startswith(
                "Linked note ") and "(Exam [b]day[/b]) to VPC security." in str(
                dialog.query_one("#notes-message").render())
            headings = [str(s.render()) for s in dialog.query(".note-heading")]
            # In file order; the shown texts are literal, markup and all.
            assert headings == ["Exam [b]day[/b]  exam.md  · linked by hand", "VPC security  vpc.md"]
            assert tree.cursor_node.data.notes == 2  # the coverage view reloaded
            # Unlink the highlighted note: the second, linked by the importer.
            dialog.query_one(ListView).focus()
            await pilot.press("down", "u")
            await settle(app, pilot)
            headings = [str(s.render()) for s in dialog.query(".note-heading")]
            assert headings == ["Exam [b]day[/b]  exam.md  · linked by hand"]
            assert "Unlinked note " in str(dialog.query_one("#notes-message").render())
            await pilot.press("escape")
            await settle(app, pilot)
            assert type(app.screen).__name__ == "Screen"
            assert tree.cursor_node.data.notes == 1
    run(scenario)
    assert links() == {"Exam [b]day[/b]": [("VPC security", 9.0)], "VPC security": []}
    # A re-import keeps both choices.
    saa("import", "notes", str(folder), "--cert", SAA)
    assert links() == {"Exam [b]day[/b]": [("VPC security", 9.0)], "VPC security": []}


def test_notes_dialog_says_when_nothing_matches(saa, tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "vpc.md").write_text("# VPC security\n\nSecurity groups are stateful.\n")
    saa("import", "notes", str(folder), "--cert", SAA)

    async def scenario():
        app = app_for(saa.db_url)
        async with app.run_test(size=(100, 30)) as pilot:
            await select_topic(app, pilot, "Amazon Cognito")
            await pilot.press("n")
            await settle(app, pilot)
            await pilot.press("u")  # nothing linked yet
            await pilot.press("l", *"zzz", "enter")
            await settle(app, pilot)
            shown = [str(n.message) for n in app._notifications]
            assert "There is no note here to unlink." in shown
            assert "No other note of this goal matches “zzz”." in shown
    run(scenario)
    assert "Amazon Cognito" not in saa("note", "list", SAA).output


def test_resources_dialog_sets_progress_and_marks_done(saa, ctx):
    saa("resource", "add", SAA, "VPC", "[i]deep[/i]", "dive", "--kind", "video", "--units", "10",
        "-T", "VPC security")
    saa("resource", "add", SAA, "Cognito FAQ", "--kind", "faq", "-T", "Amazon Cognito")

    async def scenario():
        app = app_for(saa.db_url)
        async with app.run_test(size=(100, 30)) as pilot:
            await select_topic(app, pilot, "VPC security")
            await pilot.press("R")
            await settle(app, pilot)
            table = app.screen.query_one(DataTable)
            assert table.row_count == 1  # only the topic's own resources
            assert table.get_row_at(0)[0].plain == "VPC [i]deep[/i] dive"
            await pilot.press("p")
            await pilot.press(*"3", "enter")
            await settle(app, pilot)
            assert "3/10 units (30%)" in table.get_row_at(0)[2].plain
            await pilot.press("p", *"99", "enter")  # more than the size: refused inline
            await settle(app, pilot)
            assert "more than the 10" in str(app.screen.query_one("#resources-message").render())
            await pilot.press("escape", "d")
            await settle(app, pilot)
            assert "✓ done" in table.get_row_at(0)[3].plain
    run(scenario)
    vpc = next(r for r in stored_resources(ctx) if r.title.startswith("VPC"))
    assert vpc.done and vpc.units_done == 10


def test_resources_dialog_links_and_unlinks_the_goal_s_resources(saa, ctx):
    saa("resource", "add", SAA, "Networking [b]deep[/b] dive", "--kind", "course", "-T", "VPC security")
    saa("resource", "add", SAA, "Cognito FAQ", "--kind", "faq", "-T", "Amazon Cognito")

    async def scenario():
        app = app_for(saa.db_url)
        async with app.run_test(size=(100, 30)) as pilot:
            await select_topic(app, pilot, "AWS WAF and Shield")
            await pilot.press("R")
            await settle(app, pilot)
            table = app.screen.query_one(DataTable)
            assert table.row_count == 0
            message = app.screen.query_one("#resources-message")
            assert "l to link one" in str(message.render())
            await pilot.press("l")
            await pilot.press(*"netw")                    # the picker offers the goal's others
            await settle(app, pilot)
            picker = app.screen.query_one("#resources-picker")
            assert picker.has_class("-open")
            await pilot.press("enter", "enter")          # take the choice, then link it
            await settle(app, pilot)
            assert table.row_count == 1
            assert table.get_row_at(0)[0].plain == "Networking [b]deep[/b] dive"
            assert "now covers AWS WAF and Shield" in str(message.render())
            tree = app.query_one(CoverageTree)
            assert tree.cursor_node.data.resources == 1   # the coverage tree counted it
            await pilot.press("u")
            await settle(app, pilot)
            assert table.row_count == 0
            assert "no longer covers AWS WAF and Shield" in str(message.render())
            await pilot.press("l", *"zzz", "enter")       # nothing matches: said inline
            await settle(app, pilot)
            assert "No other resource of this goal matches “zzz”" in str(message.render())
            await pilot.press("escape", "escape")         # the link box first, then the dialog
            await settle(app, pilot)
            assert type(app.screen).__name__ == "Screen"
    run(scenario)
    course = next(r for r in stored_resources(ctx) if r.title.startswith("Networking"))
    assert course.topics == ["VPC security"]           # linked, then unlinked: as it was


def test_add_resource_for_the_selected_topic(saa, ctx):
    async def scenario():
        app = app_for(saa.db_url)
        async with app.run_test(size=(100, 30)) as pilot:
            await select_topic(app, pilot, "AWS WAF and Shield")
            await pilot.press("a")
            await settle(app, pilot)
            await pilot.press(*"WAF workshop")
            await pilot.press("ctrl+s")  # no kind yet: refused inline
            await settle(app, pilot)
            assert "Pick what kind" in str(app.screen.query_one("#resource-error").render())
            app.screen.query_one("#resource-kind", Select).value = "lab"
            app.screen.query_one("#resource-units", Input).value = "6 labs"
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert type(app.screen).__name__ == "Screen"
            tree = app.query_one(CoverageTree)
            assert tree.cursor_node.data.resources == 1
    run(scenario)
    [resource] = stored_resources(ctx)
    assert (resource.title, resource.kind, resource.units_total, resource.unit_name) == (
        "WAF workshop", "lab", 6, "labs")
    assert resource.topics == ["AWS WAF and Shield"]


# --- practice -----------------------------------------------------------------

async def fill(pilot, app, field: str, text: str) -> None:
    app.screen.query_one(f"#{field}", Input).focus()
    await pilot.press(*text)


def test_recording_an_attempt_stores_domain_scores(saa, ctx):
    async def scenario():
        app = app_for(saa.db_url)
        async with app.run_test(size=(100, 30)) as pilot:
            await open_tab(app, pilot, "practice", "#practice-attempts")
            assert "Pass mark 720/1000 = 72%" in str(app.query_one("#practice-mark").render())
            await pilot.press("a")
            await settle(app, pilot)
            assert type(app.screen).__name__ == "AttemptFormScreen"
            await fill(pilot, app, "attempt-score", "780")  # above 100: on the 1000 scale
            await fill(pilot, app, "attempt-date", "yesterday")
            await fill(pilot, app, "attempt-label", "[b]Set[/b] 1")
            await fill(pilot, app, "attempt-domain-1", "13/20")
            await fill(pilot, app, "attempt-domain-3", "81")
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert type(app.screen).__name__ == "Screen"
            table = app.query_one("#practice-attempts", DataTable)
            row = [cell.plain for cell in table.get_row_at(0)]
            assert row[:4] == ["2026-11-22", "78% (780/1000)", "✓ pass", "full"]
            assert row[4:] == ["65% ✗", "—", "81%", "—", "[b]Set[/b] 1"]
            trends = app.query_one("#practice-trends", DataTable)
            assert trends.get_row_at(0)[0].plain.startswith("D1 Design Secure")
            assert trends.get_row_at(0)[3].plain == "one score so far"
    run(scenario)
    [attempt] = stored_attempts(ctx)
    assert attempt.score_pct == 78 and attempt.full and attempt.label == "[b]Set[/b] 1"
    assert attempt.domains == {"Design Secure Architectures": 65.0,
                               "Design High-Performing Architectures": 81.0}


def test_a_bad_domain_score_is_shown_inline_and_nothing_is_written(saa, ctx):
    async def scenario():
        app = app_for(saa.db_url)
        async with app.run_test(size=(100, 30)) as pilot:
            await open_tab(app, pilot, "practice", "#practice-attempts")
            await pilot.press("a")
            await settle(app, pilot)
            await fill(pilot, app, "attempt-score", "78")
            await fill(pilot, app, "attempt-domain-2", "13/0")
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert type(app.screen).__name__ == "AttemptFormScreen"
            error = str(app.screen.query_one("#attempt-error").render())
            assert error.startswith("Domain 2 (Design Resilient Architectures):")
            assert "--" not in error  # no CLI option names in the form
            assert app.screen.focused.id == "attempt-domain-2"
            assert app.screen.focused.has_class("-invalid")
            # A bad overall score is refused the same way.
            app.screen.query_one("#attempt-domain-2", Input).value = ""
            app.screen.query_one("#attempt-score", Input).value = "780"
            app.screen.query_one("#attempt-of", Input).value = "500"
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            error = str(app.screen.query_one("#attempt-error").render())
            assert "between 0 and 100%" in error and app.screen.focused.id == "attempt-score"
            await pilot.press("escape")
            await settle(app, pilot)
            assert app.query_one("#practice-attempts", DataTable).row_count == 0
    run(scenario)
    assert stored_attempts(ctx) == []


def test_removing_an_attempt_asks_first(saa, ctx):
    saa("practice", "add", SAA, "--score", "61", "--date", "-3d", "-d", "1=50")
    saa("practice", "add", SAA, "--score", "74", "--partial", "--label", "quiz")

    async def scenario():
        app = app_for(saa.db_url)
        async with app.run_test(size=(100, 30)) as pilot:
            await open_tab(app, pilot, "practice", "#practice-attempts")
            table = app.query_one("#practice-attempts", DataTable)
            assert [table.get_row_at(i)[2].plain for i in range(2)] == ["no verdict", "✗ fail"]
            await pilot.press("x")
            await settle(app, pilot)
            assert type(app.screen).__name__ == "ConfirmScreen"
            assert "2026-11-23 (74%, quiz)" in str(app.screen.query_one("#confirm-message").render())
            await pilot.press("n")
            await settle(app, pilot)
            assert len(stored_attempts(ctx)) == 2
            await pilot.press("x")
            await settle(app, pilot)
            await pilot.click("#confirm-yes")
            await settle(app, pilot)
            assert table.row_count == 1
    run(scenario)
    [left] = stored_attempts(ctx)
    assert left.score_pct == 61


def test_the_goal_picker_switches_between_open_goals(saa, ctx):
    saa("goal", "add", "GCP-ACE", "--exam-date", "+9w")
    saa("practice", "add", "GCP-ACE", "--score", "80")

    async def scenario():
        app = app_for(saa.db_url)
        async with app.run_test(size=(100, 30)) as pilot:
            await open_tab(app, pilot, "practice", "#practice-attempts")
            table = app.query_one("#practice-attempts", DataTable)
            assert table.row_count == 0  # SAA-C03: the nearer exam comes first
            await pilot.press("g")
            await settle(app, pilot)
            assert app.query_one("#practice-goal", Select).selection is not None
            assert table.row_count == 1
            assert "no pass mark" in str(app.query_one("#practice-mark").render())
    run(scenario)
