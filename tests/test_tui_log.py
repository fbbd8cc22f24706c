"""The Log tab driven like a user: day headers and totals, add, edit, split,
delete, continue, filters, literal user text, and paging through 1,000 entries.

The clock is frozen at Monday 2026-11-23 11:00 in Berlin (10:00 UTC).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from textual.widgets import Input
from tui_helpers import app_for, run, settle

from tracker import clock
from tracker.tui.app import CertjourneyApp
from tracker.tui.widgets.picker import PickerInput


@pytest.fixture
def saa(cli):
    cli("goal", "add", "SAA-C03", "--exam-date", "+6w", "--target-hours", "60")
    return cli


def entries(ctx, **filters):
    from tracker.services import log

    with ctx.session() as session:
        return log.list_entries(session, ctx.learner_id(session), **filters)


def plain(cell) -> str:
    return cell if isinstance(cell, str) else cell.plain


def table_rows(app) -> list[tuple[str, list[str]]]:
    table = app.query_one("#log-table")
    return [(row.key.value, [plain(c) for c in table.get_row(row.key)]) for row in table.ordered_rows]


def entry_rows(app) -> list[list[str]]:
    return [cells for key, cells in table_rows(app) if key.startswith("e")]


def headers(app) -> dict[str, str]:
    return {cells[0]: cells[1].strip() for key, cells in table_rows(app) if key.startswith("day-")}


def local(day_offset: int, hour: int, minute: int = 0) -> datetime:
    day = datetime(2026, 11, 23).date() + timedelta(days=day_offset)
    return datetime.combine(day, time(hour, minute), clock.local_tz()).astimezone(UTC)


async def open_log(app, pilot) -> None:
    await settle(app, pilot)
    await pilot.press("2")
    await settle(app, pilot)


def fill(screen, **values) -> None:
    for name, value in values.items():
        widget = screen.query_one(f"#entry-{name}")
        if isinstance(widget, PickerInput):
            widget.set_value(value)
        else:
            widget.value = value


def error_text(screen, selector: str = "#entry-error") -> str:
    return str(screen.query_one(selector).render())


def test_days_with_sql_totals_and_the_cursor_skips_headers(saa, db_url, frozen):
    saa("add", "VPC lab", "yesterday 19:00-20:30", "-T", "vpc security", "-t", "lab")
    saa("add", "Flashcards", "yesterday 21:00-21:45")
    saa("add", "Morning read", "08:00-09:00", "-t", "reading", "-t", "s3")
    saa("add", "Old one", "--start", "2026-11-19 10:00", "--duration", "30m")

    async def scenario():
        app = app_for(db_url)
        async with app.run_test(size=(100, 30)) as pilot:
            await open_log(app, pilot)
            assert headers(app) == {"Mon 23 Nov 2026": "1:00:00", "Sun 22 Nov 2026": "2:15:00",
                                    "Thu 19 Nov 2026": "0:30:00"}
            keys = [key for key, _ in table_rows(app)]
            assert keys[0].startswith("day-") and len(keys) == 7
            first = entry_rows(app)[0]
            assert first[0].strip() == "08:00–09:00" and first[1].strip() == "1:00:00"
            assert first[2] == "SAA-C03" and first[3] == "Morning read" and first[4] == "reading, s3"
            view = app.query_one("#view-log")
            assert app.focused is view.table
            assert view.selected().description == "Morning read"
            await pilot.press("down")
            assert view.selected().description == "Flashcards"   # stepped over Sun's header
            await pilot.press("down", "down", "down")
            assert view.selected().description == "Old one"
            await pilot.press("up")
            assert view.selected().description == "VPC lab"
            assert "4 of 4 entries" in str(app.query_one("#log-status").render())
    run(scenario)


def test_add_an_entry_through_the_form(saa, db_url, frozen, ctx):
    async def scenario():
        app = app_for(db_url)
        async with app.run_test(size=(100, 30)) as pilot:
            await open_log(app, pilot)
            await pilot.press("a")
            await settle(app, pilot)
            form = app.screen
            assert form.__class__.__name__ == "EntryFormScreen"
            assert form.query_one("#entry-exam", PickerInput).value == "SAA-C03"  # the only goal
            await pilot.press(*"Read the S3 FAQ")
            fill(form, topic="s3", tags="reading, faq, reading", start="yesterday 14:00",
                 duration="45m")
            await pilot.click("#entry-save")
            await settle(app, pilot)
            assert app.screen is not form
            [row] = entry_rows(app)
            assert row[0].strip() == "14:00–14:45" and row[3] == "Read the S3 FAQ"
            assert headers(app) == {"Sun 22 Nov 2026": "0:45:00"}
    run(scenario)
    [entry] = entries(ctx)
    assert entry.description == "Read the S3 FAQ" and entry.topic == "Amazon S3 performance"
    assert entry.tags == ["faq", "reading"]
    assert entry.start == local(-1, 14) and entry.seconds == 45 * 60


def test_edit_description_and_topic_with_the_mouse_keeps_exact_times(saa, db_url, frozen, ctx):
    saa("add", "VPC lab", "--start", "yesterday 19:00:30", "--end", "yesterday 20:30",
        "-T", "vpc security", "-t", "lab")
    [before] = entries(ctx)

    async def scenario():
        app = app_for(db_url)
        async with app.run_test(size=(100, 30)) as pilot:
            await open_log(app, pilot)
            # The cursor is on the entry (row 2 below the column labels): a click opens it.
            await pilot.click("#log-table", offset=(6, 2))
            await settle(app, pilot)
            form = app.screen
            assert form.__class__.__name__ == "EntryFormScreen"
            assert form.query_one("#entry-start", Input).value == "2026-11-22 19:00"
            fill(form, description="VPC lab, part 2", topic="route 53")
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert app.screen is not form
            assert entry_rows(app)[0][3] == "VPC lab, part 2"
    run(scenario)
    [after] = entries(ctx)
    assert after.id == before.id and after.description == "VPC lab, part 2"
    assert after.topic == "Multi-AZ and multi-Region design"
    assert (after.start, after.end, after.tags) == (before.start, before.end, ["lab"])


def test_bad_input_shows_an_inline_error_and_writes_nothing(saa, db_url, frozen, ctx):
    saa("add", "VPC lab", "yesterday 19:00-20:30")

    async def scenario():
        app = app_for(db_url)
        async with app.run_test(size=(100, 30)) as pilot:
            await open_log(app, pilot)
            await pilot.press("a")
            await settle(app, pilot)
            form = app.screen
            cases = [
                ({"start": "yesterday 15:00", "end": "yesterday 14:00"}, "the end is before the start"),
                ({"end": "yesterday 16:00", "topic": "no such topic"}, "SAA-C03 has no topic 'no such"),
                ({"topic": "", "start": "someday"}, "Start: cannot read 'someday' as a date and time"),
                ({"start": "yesterday 15:00", "duration": "forever"}, "Duration: cannot read 'forever'"),
                ({"start": "", "end": "", "duration": ""}, "say when"),
                ({"start": "yesterday 20:00", "end": "yesterday 21:00"}, "tick “Allow overlap”"),
            ]
            for values, message in cases:
                fill(form, **values)
                await pilot.click("#entry-save")
                await settle(app, pilot)
                assert app.screen is form
                assert message in error_text(form), error_text(form)
                assert "Traceback" not in error_text(form)
                assert len(entries(ctx)) == 1
            await pilot.click("#entry-overlap")
            await pilot.click("#entry-save")
            await settle(app, pilot)
            assert app.screen is not form
    run(scenario)
    assert len(entries(ctx)) == 2


def test_split_at_a_bare_time_on_the_entrys_day(saa, db_url, frozen, ctx):
    saa("add", "VPC lab", "yesterday 19:00-20:30", "-t", "lab")

    async def scenario():
        app = app_for(db_url)
        async with app.run_test(size=(100, 30)) as pilot:
            await open_log(app, pilot)
            await pilot.press("s")
            await settle(app, pilot)
            dialog = app.screen
            assert dialog.query_one("#split-at", Input).value == "2026-11-22 19:45"
            dialog.query_one("#split-at", Input).value = "21:00"
            await pilot.press("enter")
            await settle(app, pilot)
            assert "split time must fall inside" in error_text(dialog, "#split-error")
            dialog.query_one("#split-at", Input).value = "19:20"
            await pilot.press("enter")
            await settle(app, pilot)
            assert app.screen is not dialog
            assert [r[0].strip() for r in entry_rows(app)] == ["19:20–20:30", "19:00–19:20"]
            assert headers(app) == {"Sun 22 Nov 2026": "1:30:00"}
    run(scenario)
    second, first = entries(ctx)
    assert (first.start, first.end, second.start, second.end) == (
        local(-1, 19), local(-1, 19, 20), local(-1, 19, 20), local(-1, 20, 30))
    assert first.tags == second.tags == ["lab"]


def test_delete_asks_first(saa, db_url, frozen, ctx):
    saa("add", "Keep me", "yesterday 10:00-11:00")
    saa("add", "Delete me", "yesterday 19:00-20:30")

    async def scenario():
        app = app_for(db_url)
        async with app.run_test(size=(100, 30)) as pilot:
            await open_log(app, pilot)
            await pilot.press("d")
            await settle(app, pilot)
            assert app.screen.__class__.__name__ == "ConfirmScreen"
            assert "Delete me" in str(app.screen.query_one("#confirm-message").render())
            await pilot.press("enter")   # "Keep" has the focus: a stray enter deletes nothing
            await settle(app, pilot)
            assert len(entries(ctx)) == 2 and len(entry_rows(app)) == 2
            await pilot.press("d")
            await settle(app, pilot)
            await pilot.click("#confirm-yes")
            await settle(app, pilot)
            assert [r[3] for r in entry_rows(app)] == ["Keep me"]
            assert headers(app) == {"Sun 22 Nov 2026": "1:00:00"}
    run(scenario)
    assert [e.description for e in entries(ctx)] == ["Keep me"]


def test_continue_starts_a_running_timer_shown_as_now(saa, db_url, frozen, ctx):
    saa("add", "S3 deep dive", "yesterday 19:00-20:30", "-T", "s3", "-t", "video")

    async def scenario():
        app = app_for(db_url)
        async with app.run_test(size=(100, 30)) as pilot:
            await open_log(app, pilot)
            await pilot.press("c")
            await settle(app, pilot)
            running = entry_rows(app)[0]
            assert running[0] == "▶ 11:00–now" and running[3] == "S3 deep dive"
            assert app.query_one("#timer-bar").state.running
            view = app.query_one("#view-log")
            await pilot.press("up")
            assert view.selected().running
            await pilot.press("c")   # the running one itself: a warning, nothing written
            await settle(app, pilot)
            assert len(entries(ctx)) == 2
    run(scenario)
    running = entries(ctx)[0]
    assert running.running and running.topic == "Amazon S3 performance" and running.tags == ["video"]


def test_filters_narrow_the_rows(saa, db_url, frozen, ctx):
    saa("goal", "add", "DVA-C02", "--exam-date", "+8w")
    saa("add", "SAA lab", "yesterday 19:00-20:00", "--cert", "SAA-C03", "-t", "lab", "-T", "vpc security")
    saa("add", "SAA read", "yesterday 17:00-18:00", "--cert", "SAA-C03")
    saa("add", "DVA lab", "08:00-09:00", "--cert", "DVA-C02", "-t", "lab")
    saa("add", "Long ago", "--start", "2026-11-10 10:00", "--duration", "1h", "--cert", "SAA-C03")

    async def scenario():
        app = app_for(db_url)
        async with app.run_test(size=(100, 30)) as pilot:
            await open_log(app, pilot)
            assert len(entry_rows(app)) == 4

            async def apply(**values) -> None:
                await pilot.press("f")
                await settle(app, pilot)
                dialog = app.screen
                for name, value in values.items():
                    widget = dialog.query_one(f"#filter-{name}")
                    if isinstance(widget, PickerInput):
                        widget.set_value(value)
                    else:
                        widget.value = value
                await pilot.click("#filter-apply")
                await settle(app, pilot)

            await apply(tag="lab")
            assert sorted(r[3] for r in entry_rows(app)) == ["DVA lab", "SAA lab"]
            status = str(app.query_one("#log-status").render())
            assert "2 of 2 entries" in status and "tag lab" in status
            await apply(tag="", exam="saa")
            assert sorted(r[3] for r in entry_rows(app)) == ["Long ago", "SAA lab", "SAA read"]
            assert headers(app)["Sun 22 Nov 2026"] == "2:00:00"
            await apply(topic="security groups", **{"from": "-7d"})
            assert [r[3] for r in entry_rows(app)] == ["SAA lab"]
            assert headers(app) == {"Sun 22 Nov 2026": "1:00:00"}   # the total follows the filter
            # Mistakes stay in the dialog, in plain words.
            await pilot.press("f")
            await settle(app, pilot)
            dialog = app.screen
            dialog.query_one("#filter-topic", PickerInput).set_value("nonsense")
            await pilot.click("#filter-apply")
            await settle(app, pilot)
            assert "SAA-C03 has no topic 'nonsense'" in error_text(dialog, "#filter-error")
            dialog.query_one("#filter-topic", PickerInput).set_value("")
            dialog.query_one("#filter-to", Input).value = "2026-11-01"
            await pilot.click("#filter-apply")
            await settle(app, pilot)
            assert "is after To 2026-11-01" in error_text(dialog, "#filter-error")
            await pilot.click("#filter-clear")
            await settle(app, pilot)
            assert len(entry_rows(app)) == 4
            assert "filter" not in str(app.query_one("#log-status").render())
    run(scenario)


def test_markup_in_user_text_is_shown_literally(saa, db_url, frozen, ctx):
    saa("add", "[bold red]x[/]", "yesterday 10:00-11:00", "-t", "[i]tag")

    async def scenario():
        app = app_for(db_url)
        async with app.run_test(size=(100, 30)) as pilot:
            await open_log(app, pilot)
            [row] = entry_rows(app)
            assert row[3] == "[bold red]x[/]" and row[4] == "[i]tag"
            # An unbalanced closing tag would break a markup parser: saved and shown as typed.
            await pilot.press("e")
            await settle(app, pilot)
            fill(app.screen, description="[/] closing [link=x]")
            await pilot.click("#entry-save")
            await settle(app, pilot)
            assert entry_rows(app)[0][3] == "[/] closing [link=x]"
            await pilot.press("d")
            await settle(app, pilot)
            assert "[/] closing [link=x]" in str(app.screen.query_one("#confirm-message").render())
    run(scenario)
    assert entries(ctx)[0].description == "[/] closing [link=x]"


def _insert_entries(ctx, count: int) -> None:
    """``count`` finished entries, five a day (two this morning), in one executemany."""
    from sqlalchemy import insert, select

    from tracker.models import Entry, Goal

    slots = []
    day = 0
    while len(slots) < count:
        for hour in (18, 15, 12, 9, 7):
            start = local(-day, hour)
            if start + timedelta(minutes=30) <= clock.now() and len(slots) < count:
                slots.append(start)
        day += 1
    with ctx.session(write=True) as session:
        learner = ctx.learner_id(session)
        goal = session.execute(select(Goal.id).where(Goal.learner_id == learner)).scalar_one()
        stamp = int(clock.now().timestamp())
        session.execute(insert(Entry.__table__), [
            {"learner_id": learner, "goal_id": goal, "description": f"entry {i}", "source": "manual",
             "start_at": int(s.timestamp()), "end_at": int(s.timestamp()) + 1800,
             "created_at": stamp, "updated_at": stamp}
            for i, s in enumerate(slots)])


def test_paging_loads_what_is_visible_and_more_on_demand(saa, db_url, frozen, ctx):
    _insert_entries(ctx, 1000)

    async def scenario():
        app = app_for(db_url)
        async with app.run_test(size=(100, 30)) as pilot:
            await open_log(app, pilot)
            view = app.query_one("#view-log")
            table = view.table
            assert len(view.entries) == 200 and table.row_count <= 250
            # The page ends inside Wed 14 Oct: 3 of its 5 entries are loaded, its total is whole.
            shown = headers(app)
            assert shown["Mon 23 Nov 2026"] == "1:00:00" and shown["Wed 14 Oct 2026"] == "2:30:00"
            assert [r[0].strip() for r in entry_rows(app)[-3:]] == [
                "18:00–18:30", "15:00–15:30", "12:00–12:30"]
            assert "200 of 1,000 entries" in str(app.query_one("#log-status").render())
            # The keyboard: to the bottom, and the next page arrives.
            await pilot.press("ctrl+end")
            await settle(app, pilot)
            assert len(view.entries) == 400
            assert len({e.id for e in view.entries}) == 400
            assert set(headers(app).values()) == {"1:00:00", "2:30:00"}
            # The mouse wheel: scrolling near the end loads the next page too.
            table.scroll_end(animate=False)
            await settle(app, pilot)
            assert len(view.entries) == 600
            # A reload (as after every write) keeps as many rows as were loaded, not everything.
            await pilot.press("r")
            await settle(app, pilot)
            assert 600 <= len(view.entries) < 1000
    run(scenario)


@pytest.mark.skipif("screens/forms.tcss" not in CertjourneyApp.CSS_PATH,
                    reason="app.py does not load screens/forms.tcss yet")
def test_the_entry_form_fits_80_by_24(saa, db_url, frozen):
    saa("add", "VPC lab", "yesterday 19:00-20:30")

    async def scenario():
        app = app_for(db_url)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_log(app, pilot)
            for key, last in (("e", "#entry-save"), ("s", "#split-ok"), ("f", "#filter-apply"),
                              ("d", "#confirm-yes")):
                await pilot.press(key)
                await settle(app, pilot)
                button = app.screen.query_one(last)
                assert button.region.bottom <= 24 and button.region.height > 0, key
                await pilot.press("escape")
                await settle(app, pilot)
    run(scenario)


def test_escape_closes_an_open_picker_list_first_then_the_dialog(saa, db_url, frozen):
    async def scenario():
        app = app_for(db_url)
        async with app.run_test(size=(100, 30)) as pilot:
            await open_log(app, pilot)
            await pilot.press("a")
            await settle(app, pilot)
            topic = app.screen.query_one("#entry-topic", PickerInput)
            topic.input.focus()
            await pilot.press(*"vpc")
            await settle(app, pilot)
            assert topic.has_class("-open")
            await pilot.press("escape")
            await settle(app, pilot)
            assert not topic.has_class("-open")
            assert app.screen.__class__.__name__ == "EntryFormScreen"
            await pilot.press("escape")
            await settle(app, pilot)
            assert app.screen.__class__.__name__ != "EntryFormScreen"
    run(scenario)
