"""CPU-bound Python work in a forked child, its result sent back pickled through a pipe.

Threads only take turns at Python code (the GIL); a forked child runs on another
core. Two places use it: the TUI reads its first screen while it paints
(``tracker.tui.prefetch``), and a first Anki export renders cards on a free core
(``exporters.anki.render_cards``).

Fork is safe only in a process with a single thread (a lock another thread holds
would stay locked in the child); :func:`fork_call` returns None elsewhere, and
callers then do the work themselves. The child collects no garbage (a finaliser
of one of the parent's objects, a database connection's say, must not run there)
and leaves with ``os._exit``: no atexit handlers, no flushing of the parent's
buffers.
"""

from __future__ import annotations

import gc
import os
import pickle
import threading
from collections.abc import Callable
from typing import Any


def can_fork() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1


class Forked:
    """A child computing one value; :meth:`outcome` waits for it, :meth:`close` lets it go."""

    def __init__(self, pid: int, fd: int):
        self.pid = pid
        self.fd: int | None = fd

    def outcome(self) -> tuple[str, Any]:
        """``("ok", value)``; ``("explained", message)`` when the child raised one of the
        exceptions it was told to explain; else ``("failed", None)``: it raised anything
        else, died, or sent what cannot be read. Blocks until the child is done."""
        if self.fd is None:
            return "failed", None
        with open(self.fd, "rb", closefd=True) as pipe:
            self.fd = None
            data = pipe.read()
        if not self.close():
            return "failed", None
        try:
            status, value = pickle.loads(data)
        except Exception:  # a short read, a class that moved
            return "failed", None
        return (status, value) if status in ("ok", "explained") else ("failed", None)

    def close(self) -> bool:
        """Stop listening and reap the child (one still writing gets EPIPE and leaves);
        True if it exited normally."""
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
        if self.pid == 0:
            return True
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        return os.waitstatus_to_exitcode(status) == 0


def fork_call(fn: Callable[[], Any], *, explain: tuple[type[BaseException], ...] = (),
              quiet: bool = False, nice: int = 0) -> Forked | None:
    """Run ``fn()`` in a forked child; None when fork is unsafe here or fails.

    ``explain``: exceptions whose message the parent is given instead of a bare failure.
    ``quiet``: the child's standard streams go to /dev/null (the terminal is an app's).
    ``nice``: the child's lower priority, so the parent's work comes first on a busy machine.
    """
    if not can_fork():
        return None
    read_fd, write_fd = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_fd)
        os.close(write_fd)
        return None
    if pid == 0:  # the child: never returns
        code = 1
        try:
            gc.disable()
            os.close(read_fd)
            if quiet:
                devnull = os.open(os.devnull, os.O_RDWR)
                for std in (0, 1, 2):
                    os.dup2(devnull, std)
            if nice:
                os.nice(nice)
            try:
                payload: tuple[str, Any] = ("ok", fn())
            except explain as exc:
                payload = ("explained", str(exc))
            except BaseException:  # noqa: BLE001 - the parent does the work itself
                payload = ("failed", None)
            with open(write_fd, "wb", closefd=True) as pipe:
                pipe.write(pickle.dumps(payload, pickle.HIGHEST_PROTOCOL))
            code = 0
        finally:
            os._exit(code)
    os.close(write_fd)
    return Forked(pid, read_fd)
