"""The view pattern: ``load()`` fetches in a thread worker, ``show()`` paints."""

from __future__ import annotations

from typing import Any

from textual.containers import Vertical

from tracker.tui.worker import run_db


class View(Vertical):
    """A tab's content. Subclasses implement ``fetch`` (worker thread, gets a
    session) and ``show`` (UI thread, gets what ``fetch`` returned)."""

    def load(self) -> None:
        run_db(self, self.fetch, self.show, group=f"load-{self.id}", exclusive=True)

    def fetch(self, session, learner_id: int) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def show(self, data: Any) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def focus_main(self) -> None:
        """Put the focus on the view's main table or tree, so keys reach the view."""
        for widget in self.query("DataTable, Tree"):
            if widget.focusable:
                widget.focus()
                return

    @property
    def ctx(self):
        return self.app.ctx
