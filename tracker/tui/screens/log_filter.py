"""The log's filters: exam, topic, tag and a date range, checked before they apply."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from tracker.tui.text import literal
from tracker.tui.widgets.picker import PickerInput
from tracker.tui.worker import run_db


@dataclass(frozen=True)
class LogFilter:
    """What the log shows; ``topics`` are the canonical names ``topic`` matched."""

    exam: str | None = None
    topic: str | None = None
    topics: tuple[str, ...] | None = None
    tag: str | None = None
    start: date | None = None
    end: date | None = None

    @property
    def active(self) -> bool:
        return any(v is not None for v in (self.exam, self.topic, self.tag, self.start, self.end))

    def query(self) -> dict:
        """Keyword arguments for log.list_entries and log_days."""
        return {"start": self.start, "end": self.end,
                "exam_codes": [self.exam] if self.exam else None,
                "topics": list(self.topics) if self.topics is not None else None, "tag": self.tag}

    def describe(self) -> str:
        parts = []
        if self.exam:
            parts.append(f"exam {self.exam}")
        if self.topic:
            parts.append(f"topic {self.topic}")
        if self.tag:
            parts.append(f"tag {self.tag}")
        if self.start:
            parts.append(f"from {self.start}")
        if self.end:
            parts.append(f"to {self.end}")
        return " · ".join(parts)


def _choices(session, learner) -> tuple[list[str], list[str]]:
    """Every exam the learner has a goal for, and every tag they used."""
    from sqlalchemy import select

    from tracker.models import Entry, EntryTag, Goal

    codes = session.execute(select(Goal.exam_code).where(Goal.learner_id == learner)
                            .distinct().order_by(Goal.exam_code)).scalars().all()
    tags = session.execute(
        select(EntryTag.tag).join(Entry, Entry.id == EntryTag.entry_id)
        .where(Entry.learner_id == learner).distinct().order_by(EntryTag.tag)
    ).scalars().all()
    return list(codes), list(tags)


class LogFilterScreen(ModalScreen[LogFilter | None]):
    """Dismisses with the new filter (an empty one when cleared), or None on cancel."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, current: LogFilter) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        c = self.current
        with Vertical(classes="dialog", id="filter-box"):
            yield Static("Filter the log", classes="dialog-title")
            with Horizontal(classes="form-row"):
                yield Label("Exam")
                yield PickerInput(placeholder="any exam", id="filter-exam")
            with Horizontal(classes="form-row"):
                yield Label("Topic")
                yield PickerInput(placeholder="any topic (name or alias)", id="filter-topic")
            with Horizontal(classes="form-row"):
                yield Label("Tag")
                yield PickerInput(placeholder="any tag", id="filter-tag")
            with Horizontal(classes="form-row"):
                yield Label("From")
                yield Input(c.start.isoformat() if c.start else "",
                            placeholder="2026-11-01, 'last monday', -4w", id="filter-from")
            with Horizontal(classes="form-row"):
                yield Label("To")
                yield Input(c.end.isoformat() if c.end else "", placeholder="today", id="filter-to")
            yield Static("", id="filter-error", classes="form-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Apply", variant="primary", id="filter-apply")
                yield Button("Clear", id="filter-clear")
                yield Button("Cancel", id="filter-cancel")

    def on_mount(self) -> None:
        for picker, value in (("#filter-exam", self.current.exam), ("#filter-topic", self.current.topic),
                              ("#filter-tag", self.current.tag)):
            self.query_one(picker, PickerInput).set_value(value or "")
        for field in self.query(Input):
            field.compact = True
        self.query_one("#filter-exam", PickerInput).input.focus()
        run_db(self, _choices, self._fill_choices)

    def _fill_choices(self, choices: tuple[list[str], list[str]]) -> None:
        if not self.is_attached:  # already applied or cancelled
            return
        codes, tags = choices
        self.query_one("#filter-exam", PickerInput).set_choices(codes)
        self.query_one("#filter-tag", PickerInput).set_choices(tags)
        self._topic_choices(codes)

    def _topic_choices(self, codes: list[str]) -> None:
        catalog = self.app.ctx.catalog
        chosen = self.query_one("#filter-exam", PickerInput).value
        exams = [catalog.find(chosen)] if chosen else [catalog.find(c) for c in codes]
        names = {n for e in exams if e is not None for t in e.topics for n in t.names()}
        self.query_one("#filter-topic", PickerInput).set_choices(sorted(names))

    @on(PickerInput.Picked, "#filter-exam")
    def _exam_picked(self) -> None:
        self._topic_choices(self.query_one("#filter-exam", PickerInput).choices)

    def action_cancel(self) -> None:
        # An open picker list closes on the first escape (its own binding); a
        # closed one lets escape through to here.
        self.dismiss(None)

    @on(Button.Pressed, "#filter-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#filter-clear")
    def _clear(self) -> None:
        self.dismiss(LogFilter())

    @on(Input.Submitted, "#filter-to")
    @on(Button.Pressed, "#filter-apply")
    def _apply(self) -> None:
        exam = self.query_one("#filter-exam", PickerInput).value or None
        topic = self.query_one("#filter-topic", PickerInput).value or None
        tag = self.query_one("#filter-tag", PickerInput).value or None
        from_text = self.query_one("#filter-from", Input).value.strip() or None
        to_text = self.query_one("#filter-to", Input).value.strip() or None
        ctx = self.app.ctx

        def check(session, learner) -> LogFilter:
            from tracker.cli.parsing import option_date
            from tracker.cli.tracking_cmds import resolve_filters
            from tracker.errors import InvalidInput

            start, end = option_date("From", from_text), option_date("To", to_text)
            if start and end and start > end:
                raise InvalidInput(f"From {start} is after To {end}")
            codes, topics = resolve_filters(ctx, session, learner, exam, topic)
            return LogFilter(exam=codes[0] if codes else None, topic=topic,
                             topics=tuple(topics) if topics is not None else None,
                             tag=tag, start=start, end=end)

        run_db(self, check, self._checked, failed=self._error)

    def _checked(self, flt: LogFilter) -> None:
        if self.is_active:
            self.dismiss(flt)

    def _error(self, message: str) -> None:
        if self.is_attached:
            self.query_one("#filter-error", Static).update(literal(message))
