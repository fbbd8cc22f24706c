"""The log: entries newest first, grouped under day headers with day totals.

It loads a page of entries at a time (the next one when the cursor or the
scroll nears the end), so it stays quick with 100,000 entries; day totals come
from a SQL aggregation over the days on screen, so a day cut by a page edge
still shows its whole total. Every read and write runs in a worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Static
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist

from tracker.services.entries import EntryView
from tracker.tui.screens.log_filter import LogFilter
from tracker.tui.text import Doc, literal
from tracker.tui.views.base import View
from tracker.tui.worker import run_db

PAGE = 200
NEAR_END = 40           # rows left below the cursor that fetch the next page
WHEN, DURATION = 15, 8  # fixed column widths; the rest share what is left
COLUMNS = [("When", "when"), ("Duration", "dur"), ("Exam · topic", "what"),
           ("Description", "desc"), ("Tags", "tags")]
HEADER_STYLE = "bold $accent"
RUNNING_STYLE = "bold $success"


@dataclass(frozen=True)
class LogPage:
    entries: list[EntryView]
    totals: dict[date, int]   # seconds per local day, for the days of ``entries``
    more: bool                # entries beyond this page exist
    count: int | None         # all matching entries (on a fresh load only)
    read_at: datetime


def fetch_page(session, learner_id: int, flt: LogFilter, offset: int, limit: int,
               *, count: bool) -> LogPage:
    from tracker import clock
    from tracker.services import log, log_days

    query = flt.query()
    rows = log.list_entries(session, learner_id, limit=limit + 1, offset=offset, **query)
    entries = rows[:limit]
    tz = clock.local_tz()
    days = {e.start.astimezone(tz).date() for e in entries}
    totals = log_days.day_totals(session, learner_id, days, **query)
    total = log_days.count_entries(session, learner_id, **query) if count else None
    return LogPage(entries, totals, len(rows) > limit, total, clock.now())


def column_widths(width: int) -> list[int]:
    """Widths for COLUMNS in a table ``width`` cells wide (room kept for the scrollbar)."""
    free = max(30, width - 2 - 2 * len(COLUMNS) - WHEN - DURATION)
    what, tags = free * 2 // 5, free // 5
    return [WHEN, DURATION, what, free - what - tags, tags]


def _cell(text: str, style: str = "") -> Text:
    # Rich Text is never parsed as markup; one line, cut with an ellipsis.
    return Text(text, style=style, no_wrap=True, overflow="ellipsis", end="")


def _flat(text: str) -> str:
    """User text on one line (a description may hold line breaks)."""
    return " ".join(text.split())


def entry_cells(entry: EntryView, tz) -> list:
    start = entry.start.astimezone(tz)
    if entry.running:
        when = literal(f"▶ {start:%H:%M}–now", RUNNING_STYLE)
        duration = literal(f"{_clock(entry.seconds):>{DURATION}}", RUNNING_STYLE)
    else:
        when = _cell(f"  {start:%H:%M}–{entry.end.astimezone(tz):%H:%M}")
        duration = _cell(f"{_clock(entry.seconds):>{DURATION}}")
    what = Text.assemble((entry.exam_code, "bold"), f" {_flat(entry.topic)}" if entry.topic else "",
                         no_wrap=True, overflow="ellipsis", end="")
    tags = _cell(_flat(", ".join(entry.tags)), "italic")
    return [when, duration, what, _cell(_flat(entry.description)), tags]


def header_cells(day: date, seconds: int) -> list:
    return [literal(f"{day:%a %d %b %Y}", HEADER_STYLE),
            literal(f"{_clock(seconds):>{DURATION}}", HEADER_STYLE), "", "", ""]


def _clock(seconds: int) -> str:
    from tracker.timeparse import format_duration

    return format_duration(seconds)


def _day_key(day: date) -> str:
    return f"day-{day.isoformat()}"


class LogTable(DataTable):
    """A DataTable whose day-header rows the cursor steps over."""

    def __init__(self, **kwargs) -> None:
        self.header_rows: set[int] = set()
        super().__init__(**kwargs)

    def validate_cursor_coordinate(self, value: Coordinate) -> Coordinate:
        value = super().validate_cursor_coordinate(value)
        if value.row not in self.header_rows:
            return value
        step = 1 if value.row >= self.cursor_row else -1
        for direction in (step, -step):
            row = value.row + direction
            while 0 <= row < self.row_count:
                if row not in self.header_rows:
                    return Coordinate(row, value.column)
                row += direction
        return value

    def watch_cursor_coordinate(self, old: Coordinate, new: Coordinate) -> None:
        super().watch_cursor_coordinate(old, new)
        if new.row - 1 in self.header_rows:
            self.call_after_refresh(self.reveal_header)

    def reveal_header(self) -> None:
        """Scroll up a line when the day header just above the cursor is hidden."""
        row = self.cursor_row - 1
        if row in self.header_rows and self.scroll_y > row:
            self.scroll_to(y=row, animate=False)


class LogView(View):
    BINDINGS = [
        Binding("a", "add", "Add"),
        Binding("e", "edit", "Edit"),
        Binding("s", "split", "Split"),
        Binding("d", "delete", "Delete"),
        Binding("c", "continue", "Continue"),
        Binding("f", "filter", "Filter"),
        Binding("r", "reload", "Reload"),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.filter = LogFilter()
        self.entries: list[EntryView] = []
        self._by_id: dict[int, EntryView] = {}
        self._rows: list[tuple[str, list, bool]] = []   # (key, cells, is_header), to rebuild
        self._totals: dict[date, int] = {}
        self._more = False
        self._count: int | None = None
        self._generation = 0          # results of an older load are dropped
        self._loading_more = False
        self._reloading = False       # no next page while the first is being replaced
        self._select: int | None = None
        self._widths = column_widths(80)  # until the first resize says better
        self._running_entry: tuple[EntryView, datetime] | None = None

    def compose(self) -> ComposeResult:
        yield Static("Loading…", id="log-status")
        yield LogTable(id="log-table", cursor_type="row")

    @property
    def table(self) -> LogTable:
        return self.query_one(LogTable)

    def on_mount(self) -> None:
        if not self.table.columns:  # a first page may have been shown already
            self._set_columns(self._widths)
        self.watch(self.table, "scroll_y", self._scrolled, init=False)
        self.set_interval(1.0, self._tick)

    def on_show(self) -> None:
        # Rows added while the tab was hidden scrolled against a zero height.
        self.table.call_after_refresh(self.table.reveal_header)

    def on_resize(self) -> None:
        widths = column_widths(self.size.width)
        if widths != self._widths:
            self._set_columns(widths)

    # --- loading --------------------------------------------------------------

    def load(self, *, fresh: bool = False) -> None:
        """Reload from the newest entry, keeping as many rows as were loaded."""
        self._generation += 1
        generation, flt = self._generation, self.filter
        limit = PAGE if fresh else max(PAGE, len(self.entries))
        self._loading_more, self._reloading = False, True
        run_db(self, lambda s, learner: fetch_page(s, learner, flt, 0, limit, count=True),
               lambda page: self._show_page(page, generation, append=False),
               group="log-load", exclusive=True, failed=self._load_failed)

    def _load_failed(self, message: str) -> None:
        self._reloading = False
        self.app.notify(message, title="Cannot load the log", severity="error", markup=False)

    def load_more(self) -> None:
        if not self._more or self._loading_more or self._reloading:
            return
        self._loading_more = True
        generation, flt, offset = self._generation, self.filter, len(self.entries)

        def failed(message: str) -> None:
            self._loading_more = False
            self.app.notify(message, title="Cannot load more entries", severity="error", markup=False)

        run_db(self, lambda s, learner: fetch_page(s, learner, flt, offset, PAGE, count=False),
               lambda page: self._show_page(page, generation, append=True),
               group="log-more", failed=failed)

    def _show_page(self, page: LogPage, generation: int, *, append: bool) -> None:
        if generation != self._generation:
            return
        from tracker import clock

        table = self.table
        if append:
            self._loading_more = False
        else:
            keep_id = self._select if self._select is not None else getattr(self.selected(), "id", None)
            keep_row = table.cursor_row
            self._select, self._reloading = None, False
            self.entries, self._by_id, self._rows, self._totals = [], {}, [], {}
            self._running_entry = None
            self._count = page.count
            self._set_columns(self._widths)
        self._totals.update(page.totals)
        self._more = page.more
        tz = clock.local_tz()
        last_day = self.entries[-1].start.astimezone(tz).date() if self.entries else None
        for entry in page.entries:
            if entry.id in self._by_id:  # shifted by an insert since the last page
                continue
            day = entry.start.astimezone(tz).date()
            if day != last_day:
                self._add_row(_day_key(day), header_cells(day, self._totals.get(day, 0)), True)
                last_day = day
            self._add_row(f"e{entry.id}", entry_cells(entry, tz), False)
            self.entries.append(entry)
            self._by_id[entry.id] = entry
            if entry.running:
                self._running_entry = (entry, page.read_at)
        if not append:
            self._restore_cursor(keep_id, keep_row)
        self._show_status()

    def _restore_cursor(self, entry_id: int | None, row: int) -> None:
        table = self.table
        if entry_id is not None and f"e{entry_id}" in table.rows:
            row = table.get_row_index(f"e{entry_id}")
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
            table.call_after_refresh(table.reveal_header)

    def _set_columns(self, widths: list[int]) -> None:
        """(Re)build the table at these column widths from the rows already fetched."""
        table = self.table
        row = table.cursor_row
        self._widths = widths
        table.clear(columns=True)
        table.header_rows.clear()
        for (label, key), width in zip(COLUMNS, widths, strict=True):
            table.add_column(label, width=width, key=key)
        rows, self._rows = self._rows, []
        for key, cells, is_header in rows:
            self._add_row(key, cells, is_header)
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    def _add_row(self, key: str, cells: list, is_header: bool) -> None:
        table = self.table
        if is_header:
            table.header_rows.add(table.row_count)
        table.add_row(*cells, key=key)
        self._rows.append((key, cells, is_header))

    def _show_status(self) -> None:
        status = Doc()
        if not self.entries:
            if self.filter.active:
                status.add("No entries match ", "bold").add(self.filter.describe())
                status.add(" — press f to change the filter.", "dim")
            else:
                status.add("No entries yet — press a to add one, or start the timer above.", "dim")
        else:
            shown = len(self.entries)
            status.add(f"{shown:,} of {self._count:,} entries" if self._count is not None
                       else f"{shown:,} entries", "bold")
            if self._more:
                status.add(" · more load as you scroll", "dim")
            if self.filter.active:
                status.add(" · filter: ", "dim").add(self.filter.describe(), "$accent")
        self.query_one("#log-status", Static).update(status.content())

    @on(DataTable.RowHighlighted, "#log-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= self.table.row_count - NEAR_END:
            self.load_more()

    def _scrolled(self, scroll_y: float) -> None:
        table = self.table
        if scroll_y >= table.max_scroll_y - table.size.height:
            self.load_more()

    def _tick(self) -> None:
        """The running entry's duration and its day's total grow while it runs."""
        if self._running_entry is None:
            return
        from tracker import clock

        entry, read_at = self._running_entry
        grown = max(0, int((clock.now() - read_at).total_seconds()))
        if not grown:
            return
        day = entry.start.astimezone(clock.local_tz()).date()
        try:
            self.table.update_cell(f"e{entry.id}", "dur", literal(
                f"{_clock(entry.seconds + grown):>{DURATION}}", RUNNING_STYLE))
            self.table.update_cell(_day_key(day), "dur", literal(
                f"{_clock(self._totals.get(day, 0) + grown):>{DURATION}}", HEADER_STYLE))
        except (RowDoesNotExist, CellDoesNotExist):
            pass

    # --- actions ----------------------------------------------------------------

    def selected(self) -> EntryView | None:
        table = self.table
        if not table.row_count:
            return None
        try:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or ""
        except CellDoesNotExist:
            return None
        if not key.startswith("e"):
            return None
        return self._by_id.get(int(key[1:]))

    def _target(self) -> EntryView | None:
        entry = self.selected()
        if entry is None:
            self.app.notify("Select an entry first.", severity="warning", timeout=3)
        return entry

    def _saved(self, verb: str):
        def done(result) -> None:
            if not result:
                return
            first = result[0] if isinstance(result, tuple) else result
            self._select = first.id
            from tracker.tui.screens.entry_form import entry_summary

            self.app.notify(f"{verb}: {entry_summary(first)}", timeout=4, markup=False)
            self.app.data_changed()

        return done

    def action_add(self) -> None:
        from tracker.tui.screens.entry_form import EntryFormScreen

        codes = list(self.app.goal_codes)
        current = self.selected()
        default = current.exam_code if current and current.exam_code in codes else (
            codes[0] if len(codes) == 1 else "")
        self.app.push_screen(EntryFormScreen(exam_codes=codes, default_exam=default),
                             self._saved("Added"))

    def action_edit(self) -> None:
        from tracker.tui.screens.entry_form import EntryFormScreen

        if entry := self._target():
            self.app.push_screen(EntryFormScreen(entry, exam_codes=list(self.app.goal_codes)),
                                 self._saved("Saved"))

    @on(DataTable.RowSelected, "#log-table")
    def _row_selected(self) -> None:
        self.action_edit()

    def action_split(self) -> None:
        from tracker.tui.screens.split import SplitScreen

        if entry := self._target():
            self.app.push_screen(SplitScreen(entry), self._saved("Split"))

    def action_delete(self) -> None:
        from tracker.tui.screens.confirm import ConfirmScreen
        from tracker.tui.screens.entry_form import entry_summary

        entry = self._target()
        if entry is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(entry)

        self.app.push_screen(ConfirmScreen("Delete this entry?", entry_summary(entry), yes="Delete",
                                           no="Keep", danger=True), answered)

    def _delete(self, entry: EntryView) -> None:
        from tracker.services import tracking

        def deleted(_) -> None:
            self.app.notify("Deleted the entry.", timeout=3)
            self.app.data_changed()

        run_db(self, lambda s, learner: tracking.delete_entry(s, learner, entry.id), deleted,
               write=True, failed=self._failed)

    def action_continue(self) -> None:
        entry = self._target()
        if entry is None:
            return
        if entry.running:
            self.app.notify("That entry is running now.", severity="warning", timeout=3)
            return
        self.app.continue_entry(entry.id)

    def action_filter(self) -> None:
        from tracker.tui.screens.log_filter import LogFilterScreen

        def chosen(flt: LogFilter | None) -> None:
            if flt is not None:
                self.filter = flt
                self.load(fresh=True)

        self.app.push_screen(LogFilterScreen(self.filter), chosen)

    def action_reload(self) -> None:
        self.load()

    def _failed(self, message: str) -> None:
        self.app.notify(message, title="Not done", severity="error", markup=False)
