"""Atomic file writes: a temporary file in the target's folder, then a rename.

A reader (or a crash) sees either the old file or the whole new one, never a
half-written one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from tracker.errors import InvalidInput


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike, *, binary: bool = False,
                  encoding: str = "utf-8", newline: str | None = None) -> Iterator[IO]:
    """Open a temporary file beside ``path``; on success fsync and replace ``path``."""
    target = Path(path).expanduser()
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InvalidInput(f"{target}: folder {folder} does not exist")
    if target.is_dir():
        raise InvalidInput(f"{target}: is a folder")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    # mkstemp makes the file private (0600); give it the mode a plain open() would,
    # or keep the mode of the file it replaces.
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(tmp, mode)
    try:
        mode = "wb" if binary else "w"
        kwargs = {} if binary else {"encoding": encoding, "newline": newline}
        with os.fdopen(fd, mode, **kwargs) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    with atomic_writer(path, binary=True) as handle:
        handle.write(data)


def atomic_write_text(path: str | os.PathLike, text: str, *, newline: str | None = None) -> None:
    with atomic_writer(path, newline=newline) as handle:
        handle.write(text)
