"""Rate a topic 1-5 with a button or a key, seeing its earlier ratings."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

from tracker.tui.text import Doc
from tracker.tui.worker import run_db

MEANINGS = {1: "lost", 2: "shaky", 3: "getting there", 4: "solid", 5: "could teach it"}
SHOWN = 5  # latest ratings listed


def stars(rating: int) -> str:
    return "●" * rating + "○" * (5 - rating)


class ConfidenceScreen(ModalScreen[int | None]):
    """Returns the chosen rating, or None when closed without one."""

    BINDINGS = [
        *[Binding(str(n), f"choose({n})", MEANINGS[n], group=Binding.Group("Rate", compact=True))
          for n in MEANINGS],
        Binding("escape", "dismiss(None)", "Cancel"),
    ]

    def __init__(self, goal_id: int, topic: str, current: int | None = None):
        super().__init__()
        self.goal_id = goal_id
        self.topic = topic
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="confidence-dialog", classes="dialog"):
            yield Static(Doc().add("How sure are you of ").add(self.topic, "bold").add("?").content(),
                         classes="dialog-title")
            now = f"Now {self.current}/5 ({MEANINGS[self.current]})" if self.current else "Not rated yet"
            yield Static(Doc().add(now, "dim").content(), id="confidence-current")
            with Horizontal(id="confidence-buttons"):
                for n, meaning in MEANINGS.items():
                    yield Button(f"{n} {meaning}", id=f"confidence-{n}",
                                 variant="primary" if n == self.current else "default")
            yield Static(id="confidence-history")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel (esc)", id="confidence-cancel")
        yield Footer()

    def on_mount(self) -> None:
        button = self.query_one(f"#confidence-{self.current or 3}", Button)
        button.focus()

        def history(session, learner):
            from tracker.models import Goal
            from tracker.services import confidence

            goal = session.get(Goal, self.goal_id)
            return confidence.history(session, goal.id, self.app.ctx.catalog.exam(goal.exam_code),
                                      self.topic)

        run_db(self, history, self._show_history)

    def _show_history(self, ratings: list) -> None:
        from tracker import clock

        doc = Doc()
        if ratings:
            doc.line("Earlier ratings, latest first:", "bold")
            for r in reversed(ratings[-SHOWN:]):
                when = r.rated_at.astimezone(clock.local_tz()).strftime("%Y-%m-%d %H:%M")
                doc.line(f"  {when}  {r.rating}/5 {stars(r.rating)}")
        self.query_one("#confidence-history", Static).update(doc.content())

    def action_choose(self, rating: int) -> None:
        self.dismiss(rating)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "confidence-cancel":
            self.dismiss(None)
        else:
            self.dismiss(int(event.button.id.rsplit("-", 1)[1]))
