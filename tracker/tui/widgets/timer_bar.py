"""The timer bar, always visible: what you study, exam, topic, start/stop,
the running time ticking every second and today's total."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Button, Input, Label

from tracker.services.overview import TimerState
from tracker.tui.text import clock_text
from tracker.tui.widgets.picker import PickerInput


class TimerBar(Horizontal):
    class StartRequested(Message):
        def __init__(self, description: str, exam_code: str, topic: str) -> None:
            super().__init__()
            self.description = description
            self.exam_code = exam_code
            self.topic = topic

    class StopRequested(Message):
        pass

    state: reactive[TimerState | None] = reactive(None, always_update=True)

    def compose(self) -> ComposeResult:
        yield Input(placeholder="What are you studying?", id="timer-description")
        yield PickerInput(placeholder="Exam", id="timer-exam")
        yield PickerInput(placeholder="Topic (optional)", id="timer-topic")
        yield Button("▶ Start", id="timer-toggle", variant="success")
        yield Label("0:00:00", id="timer-elapsed")
        yield Label("Today 0:00:00", id="timer-today")

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick)

    def set_exam_choices(self, codes: list[str]) -> None:
        self.query_one("#timer-exam", PickerInput).set_choices(codes)
        exam = self.query_one("#timer-exam", PickerInput)
        if not exam.value and len(codes) == 1:
            exam.set_value(codes[0])

    def set_topic_choices(self, topics: list[str]) -> None:
        self.query_one("#timer-topic", PickerInput).set_choices(topics)

    @property
    def exam_code(self) -> str:
        return self.query_one("#timer-exam", PickerInput).value

    def watch_state(self, state: TimerState | None) -> None:
        if state is None:
            return
        button = self.query_one("#timer-toggle", Button)
        description = self.query_one("#timer-description", Input)
        if state.running:
            button.label = "■ Stop"
            button.variant = "error"
            self.add_class("-running")
            if not self._editing():
                description.value = state.description
                self.query_one("#timer-exam", PickerInput).set_value(state.exam_code or "")
                self.query_one("#timer-topic", PickerInput).set_value(state.topic or "")
        else:
            button.label = "▶ Start"
            button.variant = "success"
            self.remove_class("-running")
        self._tick()

    def _editing(self) -> bool:
        focused = self.screen.focused if self.is_mounted else None
        return focused is not None and self in focused.ancestors

    def _tick(self) -> None:
        state = self.state
        if state is None:
            return
        from tracker import clock

        now = clock.now()
        elapsed = int((now - state.started).total_seconds()) if state.running else 0
        since_read = int((now - state.read_at).total_seconds()) if state.running else 0
        self.query_one("#timer-elapsed", Label).update(clock_text(elapsed))
        self.query_one("#timer-today", Label).update(
            f"Today {clock_text(state.today_seconds + max(0, since_read))}")

    @on(Button.Pressed, "#timer-toggle")
    def _toggle(self, event: Button.Pressed) -> None:
        event.stop()
        self.request_toggle()

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        event.stop()
        if not (self.state and self.state.running):
            self.request_toggle()

    @on(PickerInput.Picked, "#timer-exam")
    def _exam_picked(self, event: PickerInput.Picked) -> None:
        self.app.load_topics(event.value)

    def request_toggle(self) -> None:
        if self.state and self.state.running:
            self.post_message(self.StopRequested())
        else:
            self.post_message(self.StartRequested(
                self.query_one("#timer-description", Input).value.strip(),
                self.query_one("#timer-exam", PickerInput).value,
                self.query_one("#timer-topic", PickerInput).value,
            ))
