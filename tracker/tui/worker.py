"""Database work off the UI thread.

``run_db(widget, fn, done)`` runs ``fn(session, learner_id)`` in a thread
worker with its own session (committed on success), then hands the result to
``done`` on the UI thread. A TrackerError becomes a notification in plain
words; the app never shows a traceback for bad input.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tracker.errors import TrackerError


def run_db(widget, fn: Callable[[Any, int], Any], done: Callable[[Any], None] | None = None, *,
           write: bool = False, group: str = "db", exclusive: bool = False,
           failed: Callable[[str], None] | None = None) -> None:
    app = widget.app

    def job() -> None:
        try:
            with app.ctx.session(write=write) as session:
                result = fn(session, app.ctx.learner_id(session))
        except TrackerError as exc:
            message = str(exc)
            if failed is not None:
                app.call_from_thread(failed, message)
            else:
                app.call_from_thread(app.notify, message, title="Not done", severity="error",
                                     markup=False)
            return
        if done is not None:
            app.call_from_thread(done, result)

    widget.run_worker(job, thread=True, group=group, exclusive=exclusive)
