"""How many cores this process may run on (what decides whether work is split across processes)."""

from __future__ import annotations

import os


def usable_cores() -> int:
    """The cores this process may use (its affinity where the system says, else all)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
