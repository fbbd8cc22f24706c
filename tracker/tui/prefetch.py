"""Read the first screen's data in a second process while the app starts.

Loading the database layer (SQLAlchemy, SQLModel, the study tables) costs
about as much CPU as loading Textual and painting the first screen. In one
process the two only add up, threads or not (the GIL). So before Textual
loads, ``start`` forks (``tracker.forked``): the child opens the database and
reads ``services.overview.first_screen`` on another core while the parent
paints, at a lower priority so that where no core is free the paint still
comes first. The app waits for the answer in a worker thread
(``FirstScreenRead.result``).

Where fork is unsafe (no fork, or other threads already running), or if the
child fails in any way, the result is ``None`` and the app reads the same data
in a thread as before, which also reports any error in plain words. An error
we explain to users (a TrackerError: a newer schema, a server that refuses
the connection) is passed on as it is, so a slow failure is not waited for
twice. The parent opens no database connection until the child has answered,
so the child's upgrade of an old database (with its backup) never races the
parent's.

This module imports neither Textual nor the database layer.
"""

from __future__ import annotations

import os

from tracker.forked import Forked, fork_call


class FirstScreenRead:
    """The child reading the first screen; ``result()`` waits for it."""

    def __init__(self, child: Forked):
        self.child = child
        self._value = None
        self._done = False
        self.error: str | None = None   # a TrackerError's message, said in plain words by the child

    def result(self):
        """The child's ``FirstScreen``, or None if it failed (``error`` then holds its
        message if the failure was one we explain to users). Blocks until it answers."""
        if not self._done:
            self._done = True
            status, value = self.child.outcome()
            if status == "ok":
                self._value = value
            elif status == "explained":
                self.error = value
        return self._value


def start(settings) -> FirstScreenRead | None:
    """Fork a child that reads the first screen for ``settings``; None where fork is unsafe
    or turned off (CERTJOURNEY_PREFETCH=0)."""
    if os.environ.get("CERTJOURNEY_PREFETCH") == "0":
        return None
    from tracker.errors import TrackerError

    # quiet: the terminal belongs to the parent's app. nice: on a busy or single-core
    # machine the parent's first paint comes first.
    child = fork_call(lambda: _read(settings), explain=(TrackerError,), quiet=True, nice=10)
    return FirstScreenRead(child) if child is not None else None


def _read(settings):
    from tracker.context import Context
    from tracker.services.overview import first_screen

    ctx = Context(settings)
    try:
        with ctx.session() as session:
            return first_screen(session, ctx.learner_id(session), ctx.catalog)
    finally:
        if "database" in ctx.__dict__:
            ctx.database.dispose()
