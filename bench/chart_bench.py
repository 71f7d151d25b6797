"""Chart rendering speed: the seed's 36 cars and a 100-car field, every render a fresh one.

Nothing is cached between renders (the bot caches whole charts, so a render that happens at all
is a cold one). The process's first render also loads matplotlib's fonts; it is shown apart.
"""

from __future__ import annotations

import time
from typing import Any, Final

from bench.timing import median, print_table, sample_ms
from bot.core.documents.model import Entry, Race, Status, rank_entries
from bot.core.documents.parsing import load_race
from bot.present.chart import chart_size, race_chart
from bot.settings import DEFAULT_SEEDS_DIR

SEED: Final = DEFAULT_SEEDS_DIR / "2003-grand-prix-of-sonoma.txt"
RUNS: Final = 10
LARGE_FIELD: Final = 100
TARGET_SEED_MS: Final = 300.0
CLASSES: Final = ("LMP900", "LMP675", "GTS", "GT")


def large_field(count: int) -> Race:
    """A race of `count` cars in four classes, laps falling slowly, the last fifth retired."""
    rows: list[dict[str, Any]] = []
    for index in range(count):
        rows.append(
            {
                "position": index + 1,
                "status": Status.DNF if index >= count * 4 // 5 else Status.CLASSIFIED,
                "class_": CLASSES[index % len(CLASSES)],
                "number": str(index + 1),
                "team": f"Synthetic Team {index % 40 + 1} Racing",
                "drivers": ("A Driver", "B Driver"),
                "chassis": "Chassis",
                "engine": "Engine",
                "tyre": None,
                "laps": max(200 - index, 1),
                "line": 1,
            }
        )
    entries = rank_entries(Entry.model_validate(row) for row in rows)
    return Race(title=f"{count}-car race", entries=entries, source="synthetic.txt")


def run() -> dict[str, float]:
    """Measure and print; return the figures for BENCH_JSON."""
    seed = load_race(SEED)
    large = large_field(LARGE_FIELD)
    start = time.perf_counter_ns()
    race_chart(seed)
    first_ms = (time.perf_counter_ns() - start) / 1e6
    seed_ms = median(sample_ms(lambda: race_chart(seed), runs=RUNS))
    large_ms = median(sample_ms(lambda: race_chart(large), runs=RUNS))
    seed_w, seed_h = chart_size(seed)
    large_w, large_h = chart_size(large)
    print_table(
        f"Chart rendering (median of {RUNS} fresh renders)",
        [
            (
                f"seed, 36 cars ({seed_w}x{seed_h} px)",
                f"{seed_ms:.1f} ms  (target <= {TARGET_SEED_MS:.0f} ms)",
            ),
            (f"{LARGE_FIELD} cars ({large_w}x{large_h} px)", f"{large_ms:.1f} ms"),
            ("first render in a process (loads fonts)", f"{first_ms:.1f} ms"),
        ],
    )
    return {
        "chart_seed_median_ms": round(seed_ms, 2),
        "chart_100_cars_median_ms": round(large_ms, 2),
        "chart_first_render_ms": round(first_ms, 2),
    }
