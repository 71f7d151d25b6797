"""Parsing speed: the seed document, and a folder of 1,000 synthetic documents."""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.synthetic import write_library
from bench.timing import median, print_table, sample_ms
from bot.core.documents.parsing import load_folder, parse_race
from bot.settings import DEFAULT_SEEDS_DIR

SEED = DEFAULT_SEEDS_DIR / "2003-grand-prix-of-sonoma.txt"
TARGET_PARSE_MS = 1.0
TARGET_LOAD_S = 2.0


def run() -> dict[str, float]:
    """Measure and print; return the figures for BENCH_JSON."""
    text = SEED.read_text(encoding="utf-8")
    parse_ms = median(sample_ms(lambda: parse_race(text, SEED.name), runs=500))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_library(folder, 1_000)
        load_folder(folder)  # warm the file cache so every run reads the same way
        load_s = median(sample_ms(lambda: load_folder(folder), runs=3)) / 1000
        loaded = len(load_folder(folder).races)
    print_table(
        "Parsing (median)",
        [
            ("parse the seed (36 cars)", f"{parse_ms:.3f} ms  (target <= {TARGET_PARSE_MS} ms)"),
            (f"load {loaded} synthetic races", f"{load_s:.3f} s  (target <= {TARGET_LOAD_S} s)"),
        ],
    )
    return {"parse_seed_median_ms": round(parse_ms, 4), "load_1000_races_s": round(load_s, 4)}
