"""Pausing Python's cyclic garbage collector while many new objects are made."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic collection inside the block: parsing a file or loading a cache makes
    thousands of objects, none of them garbage, and the collector would walk them all
    again and again. Reference counting still frees everything. The collector's state
    is restored afterwards (a command that turned it off keeps it off)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
