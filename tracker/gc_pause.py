"""Bulk work without Python's cyclic garbage collector.

An import of 100,000 rows or an export of 10,000 cards allocates hundreds of
thousands of objects that live to the end of the step; every gen-2 collection
meanwhile walks them all again, for nothing (such steps make no reference
cycles worth collecting early).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """The collector off for the block, then back as it was."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
