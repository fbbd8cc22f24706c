"""Read the first screen's data in a second process while the app starts.

Loading the database layer (SQLAlchemy, SQLModel, the study tables) costs
about as much CPU as loading Textual and painting the first screen. In one
process the two only add up, threads or not (the GIL). So before Textual
loads, ``start`` forks: the child opens the database, reads
``services.overview.first_screen`` on another core while the parent paints,
sends it back pickled through a pipe and leaves. The child runs at a lower
priority, so where there is no free core the parent's paint still comes
first. The app waits for it in a
worker thread (``FirstScreenRead.result``).

Fork is used only where it is safe: a POSIX system, and a process that still
has a single thread. Anywhere else, or if the child fails in any way, the
result is ``None`` and the app reads the same data in a thread as before,
which also reports any error in plain words. An error we explain to users
(a TrackerError: a newer schema, a server that refuses the connection) is
passed on as it is, so a slow failure is not waited for twice. The parent opens no database
connection until the child has answered, so the child's upgrade of an old
database (with its backup) never races the parent's.

This module imports neither Textual nor the database layer.
"""

from __future__ import annotations

import os
import pickle
import threading


class FirstScreenRead:
    """A child process reading the first screen; ``result()`` waits for it."""

    def __init__(self, pid: int, fd: int):
        self.pid = pid
        self._fd = fd
        self._value = None
        self._done = False
        self.error: str | None = None   # a TrackerError's message, said in plain words by the child

    def result(self):
        """The child's ``FirstScreen``, or None if it failed (``error`` then holds its
        message if the failure was one we explain to users). Blocks until it answers."""
        if not self._done:
            self._done = True
            try:
                with os.fdopen(self._fd, "rb") as pipe:
                    data = pipe.read()
                os.waitpid(self.pid, 0)
                status, value = pickle.loads(data)
            except Exception:  # a killed child, a short read, a class that moved: read it here instead
                return None
            if status == "ok":
                self._value = value
            elif status == "error":
                self.error = value
        return self._value


def fork_is_safe() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1


def start(settings) -> FirstScreenRead | None:
    """Fork a child that reads the first screen for ``settings``; None where fork is unsafe
    or turned off (CERTJOURNEY_PREFETCH=0)."""
    if os.environ.get("CERTJOURNEY_PREFETCH") == "0" or not fork_is_safe():
        return None
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        _child(settings, write_end)
    os.close(write_end)
    return FirstScreenRead(pid, read_end)


def _child(settings, fd: int) -> None:
    try:
        # The terminal belongs to the parent's app: nothing may be written to it.
        devnull = os.open(os.devnull, os.O_RDWR)
        for std in (0, 1, 2):
            os.dup2(devnull, std)
        # Background work: on a busy or single-core machine the parent's first paint comes first.
        os.nice(10)
        from tracker.errors import TrackerError

        try:
            payload = ("ok", _read(settings))
        except TrackerError as exc:  # e.g. a server that refuses us: no need to wait for it twice
            payload = ("error", str(exc))
        except BaseException as exc:  # noqa: BLE001 - any other failure: the parent reads it itself
            payload = ("failed", f"{type(exc).__name__}: {exc}")
        with os.fdopen(fd, "wb") as pipe:
            pipe.write(pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
    finally:
        os._exit(0)  # no atexit handlers, no flushing of the parent's buffers


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
