"""Library scale: a one-off question cold and warm, bot start and export at 1,000 and 10,000 races.

Every figure is a fresh child process: its wall time, and its peak resident memory as the
kernel reports it when the child is reaped (`os.wait4`, so one child's peak never hides
another's). "Cold" runs with no parse cache; "warm" runs again over the cache the run before
left. Latencies (question and autocomplete p50/p99, query_bench's mix) are measured at each
size over the library the bot reads back from the cache, so a race's first reading counts.

BENCH_SCALE=1000 (comma-separated sizes) for a quick run; BENCH_SCALE_RUNS (default 3) runs per
figure, of which the median is shown. BENCH_SCALE_SRC=path measures another checkout of racebot
(the figures "before" in README come from the commit before the parse cache).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from bench.synthetic import write_library
from bench.timing import median, print_table

ROOT: Final = Path(__file__).resolve().parents[1]
LIBRARIES: Final = ROOT / "bench" / "out" / "scale"
CHILD: Final = ROOT / "bench" / "scale_child.py"
QUESTION: Final = "/driver Herbert"
GOALS: Final = {  # at 10,000 races (issue 12)
    "ask_warm": "<= 2 s, <= 250 MB",
    "ask_cold": "<= 10 s",
    "export": "<= 300 MB",
    "start_warm": "<= 2 s, <= 300 MB after",
}


@dataclass(frozen=True, slots=True)
class Measure:
    """One child's wall time, peak RSS and the figures it printed."""

    seconds: float
    peak_mb: float
    printed: dict[str, float]


def sizes() -> list[int]:
    """The library sizes to measure (BENCH_SCALE)."""
    return [int(size) for size in os.environ.get("BENCH_SCALE", "1000,10000").split(",")]


def library(count: int) -> Path:
    """A folder of `count` synthetic documents, written once and kept under bench/out/."""
    folder = LIBRARIES / str(count)
    if len(list(folder.glob("*.txt"))) != count:
        shutil.rmtree(folder, ignore_errors=True)
        write_library(folder, count)
    return folder


def child(args: Sequence[str], workdir: Path, *, output: bool = True) -> Measure:
    """Run `python args` from `workdir` with its own parse cache; time it and read its peak."""
    source = Path(os.environ.get("BENCH_SCALE_SRC", ROOT)).resolve()
    env = dict(os.environ, PYTHONPATH=str(source), RACEBOT_DATA_DIR=str(workdir / "data"))
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, *args],
        cwd=workdir,
        env=env,
        stdout=subprocess.PIPE if output else subprocess.DEVNULL,
        text=True,
    )
    out = proc.stdout.read() if proc.stdout is not None else ""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    lines = out.strip().splitlines()
    printed = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {}
    return Measure(seconds, usage.ru_maxrss / 1024, printed)


def measure_size(count: int, runs: int, workdir: Path) -> dict[str, list[Measure]]:
    """Every figure at one size, `runs` times each."""
    folder = library(count)
    ask = ["-m", "bot.app.cli", "ask", QUESTION, "--seeds", str(folder)]
    export = ["-m", "bot.app.cli", "export", "--format", "json", "--seeds", str(folder)]
    found: dict[str, list[Measure]] = {}
    for _ in range(runs):
        shutil.rmtree(workdir / "data", ignore_errors=True)
        found.setdefault("ask_cold", []).append(child(ask, workdir))
        found.setdefault("ask_warm", []).append(child(ask, workdir))
        found.setdefault("start_warm", []).append(
            child([str(CHILD), "start", str(folder)], workdir)
        )
        found.setdefault("export", []).append(child(export, workdir, output=False))
    return found


def run() -> dict[str, float]:
    """Measure and print; return the figures for BENCH_JSON."""
    runs = int(os.environ.get("BENCH_SCALE_RUNS", "3"))
    workdir = LIBRARIES / "work"
    workdir.mkdir(parents=True, exist_ok=True)
    figures: dict[str, float] = {}
    for count in sizes():
        rows = []
        for name, measures in measure_size(count, runs, workdir).items():
            seconds = median([m.seconds for m in measures])
            peak = median([m.peak_mb for m in measures])
            figures[f"scale_{count}_{name}_s"] = round(seconds, 2)
            figures[f"scale_{count}_{name}_peak_mb"] = round(peak, 1)
            text = f"{seconds:6.2f} s  peak {peak:7.1f} MB"
            resident = [m.printed["resident_mb"] for m in measures if "resident_mb" in m.printed]
            if resident:
                figures[f"scale_{count}_{name}_resident_mb"] = round(median(resident), 1)
                text += f"  resident after {median(resident):7.1f} MB"
            goal = GOALS.get(name) if count == 10_000 else None
            rows.append((name, text + (f"  (goal {goal})" if goal else "")))
        print_table(f"Library scale: {count:,} races, median of {runs} fresh processes", rows)
    for count in sizes():
        figures.update(latencies(count, workdir))
    return figures


def latencies(count: int, workdir: Path) -> dict[str, float]:
    """Question and autocomplete p50 / p99 over a library read back from the cache."""
    measure = child([str(CHILD), "latency", str(library(count))], workdir)
    got = measure.printed
    print_table(
        f"Latency over {count:,} races (query_bench's mix)",
        [
            ("question p50 / p99", f"{got['query_p50_ms']:.3f} / {got['query_p99_ms']:.3f} ms"),
            (
                "autocomplete p50 / p99",
                f"{got['autocomplete_p50_ms']:.3f} / {got['autocomplete_p99_ms']:.3f} ms",
            ),
        ],
    )
    return {f"scale_{count}_{key}": round(value, 4) for key, value in got.items() if "_ms" in key}
