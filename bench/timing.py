"""Small timing helpers shared by the benchmarks: medians and percentiles, no dependencies."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def sample_ms(action: Callable[[], object], runs: int) -> list[float]:
    """Wall-clock milliseconds of each of `runs` calls."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter_ns()
        action()
        samples.append((time.perf_counter_ns() - start) / 1e6)
    return samples


def median(values: list[float]) -> float:
    """The median of a non-empty list."""
    return statistics.median(values)


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` (0-1) of the samples fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def print_table(title: str, rows: list[tuple[str, str]]) -> None:
    """A two-column table on stdout."""
    width = max(len(name) for name, _ in rows)
    print(f"\n{title}")
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")
