"""Pausing the cyclic garbage collector while a library is built."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused(*, keep: bool = False) -> Iterator[None]:
    """No cyclic garbage collection while a library is built.

    Building makes millions of objects that all live on, and each collection scans them all
    again: at 10,000 races collections took more than half of the load. What is built has no
    cycles, so nothing is lost by pausing; it is process-wide, but only for the load.
    `keep`: what the block made is left out of later collections (`keep_out_of_collections`)
    before the collector is back, else its first pass goes over all of it (0.17 s at 10,000
    races, whatever the block made next).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        if keep:
            keep_out_of_collections()
    finally:
        if was_enabled:
            gc.enable()


def keep_out_of_collections() -> None:
    """Leave every object now alive out of later collections (`gc.freeze`), after a library is
    built: its millions of objects live until the next library replaces it, and without this
    the next full collection goes over all of them (0.3-0.5 s at 10,000 races, in the middle of
    whatever runs then: a change taken in, a question). They are still freed when dropped (by
    reference counting; a library has no cycles)."""
    gc.freeze()
