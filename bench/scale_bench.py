"""Library scale: a one-off question cold and warm, bot start and export at 1,000 and 10,000 races.

Every figure is a fresh child process: its wall time, and its peak resident memory as the
kernel reports it when the child is reaped (`os.wait4`, so one child's peak never hides
another's). "Cold" runs with no parse cache; "warm" runs again over the cache the run before
left. Latencies (question and autocomplete p50/p99, query_bench's mix) are measured at each
size over the library the bot reads back from the cache, so a race's first reading counts.

BENCH_SCALE=1000 (comma-separated sizes) for a quick run; BENCH_SCALE_RUNS (default 3) runs per
figure, of which the median is shown. Every figure is measured twice in the same run: on this
tree, and on the release before the store (`BASELINE_REF`, checked out under bench/out/ with git;
BENCH_BASELINE=path names another checkout, BENCH_BASELINE=none skips it), with the ratio.
"Cold" starts with an empty data folder; "warm" reuses what the run before left; "change" is one
edited document, from its write to the first answer that includes it.
"""

from __future__ import annotations

import compileall
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Final

from bench.synthetic import write_library
from bench.timing import median, print_table

ROOT: Final = Path(__file__).resolve().parents[1]
LIBRARIES: Final = ROOT / "bench" / "out" / "scale"
CHILD: Final = ROOT / "bench" / "scale_child.py"
QUESTION: Final = "/driver Herbert"
BASELINE_REF: Final = "310a0c4"
"""The last commit of release 0.1 (parse cache and stored library, before the store)."""
BASELINE: Final = ROOT / "bench" / "out" / "baseline"
GOALS: Final = {  # at 10,000 races (issues 12 and 19)
    "ask_warm": "<= 2 s, <= 250 MB",
    # Issue 19's cold start is to the first answer, as its warm start is; the process then
    # fills the store and writes the snapshot for the next start ("ask_cold": to its exit).
    "ask_cold_answer": "<= 10 s",
    "export": "<= 300 MB",
    "start_ready": "<= 0.5 s, <= 250 MB after",  # (start_warm: the whole process)
    "change": "<= 50 ms",
    "correction": "<= 50 ms",
    "added": "<= 50 ms",
}


@dataclass(frozen=True, slots=True)
class Measure:
    """One child's wall time, peak RSS and the figures it printed."""

    seconds: float
    peak_mb: float
    printed: dict[str, Any]
    answered: float | None = None
    """When its first line of output came (a one-off ask's answer), in seconds from its start."""


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


def baseline() -> Path | None:
    """The checkout of the release before the store, made once with git (None: none to be had)."""
    named = os.environ.get("BENCH_BASELINE")
    if named:
        return None if named == "none" else Path(named).resolve()
    if not (BASELINE / "bot").is_dir():
        made = subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(BASELINE), BASELINE_REF],
            capture_output=True,
            text=True,
        )
        if made.returncode != 0:
            print(f"no baseline: git could not check out {BASELINE_REF} ({made.stderr.strip()})")
            return None
    if importlib.util.find_spec("lz4") is None:  # the baseline's records are lz4-compressed
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "lz4"], check=False)
    return BASELINE


def compiled(*sources: Path | None) -> None:
    """Compile the code the children import, as a deployed bot has it (the Dockerfile compiles
    its packages; a venv writes bytecode as it first imports): a child's time is then its own
    work, not compiling, even where PYTHONDONTWRITEBYTECODE is set."""
    folders = [source / "bot" for source in sources if source is not None]
    folders.append(Path(sysconfig.get_paths()["purelib"]))
    for folder in folders:
        compileall.compile_dir(folder, quiet=1, workers=os.cpu_count() or 1)


def child(
    args: Sequence[str],
    workdir: Path,
    *,
    output: bool = True,
    source: Path = ROOT,
    exits: tuple[int, ...] = (0,),
) -> Measure:
    """Run `python args` from `workdir` with its own data folder; time it and read its peak
    (`RuntimeError` when it exits otherwise than `exits` allows)."""
    env = dict(os.environ, PYTHONPATH=str(source), RACEBOT_DATA_DIR=str(workdir / "data"))
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, *args],
        cwd=workdir,
        env=env,
        stdout=subprocess.PIPE if output else subprocess.DEVNULL,
        text=True,
    )
    out, answered = "", None
    if proc.stdout is not None:
        out = proc.stdout.readline()
        answered = time.perf_counter() - start if out else None
        out += proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in exits:  # a failed child's time is no figure
        raise RuntimeError(f"{' '.join(args)} in {source} exited with {proc.returncode}")
    lines = out.strip().splitlines()
    printed = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {}
    return Measure(seconds, usage.ru_maxrss / 1024, printed, answered)


def measure_size(count: int, runs: int, workdir: Path, source: Path) -> dict[str, list[Measure]]:
    """Every figure at one size, `runs` times each, for one source tree."""
    folder = library(count)
    ask = ["-m", "bot.app.cli", "ask", QUESTION, "--seeds", str(folder)]
    export = ["-m", "bot.app.cli", "export", "--format", "json", "--seeds", str(folder)]
    found: dict[str, list[Measure]] = {}
    for _ in range(runs):
        shutil.rmtree(workdir / "data", ignore_errors=True)
        # `racebot ask` exits 1 when nothing matched (the synthetic drivers are not Herbert).
        asked = partial(child, ask, workdir, source=source, exits=(0, 1))
        cold = asked()
        found.setdefault("ask_cold", []).append(cold)  # until the process exits
        # The user's wait: the answer is printed before a first start's snapshot is written.
        answer = Measure(cold.answered or cold.seconds, cold.peak_mb, {})
        found.setdefault("ask_cold_answer", []).append(answer)
        found.setdefault("ask_warm", []).append(asked())
        # Whom the first answer is about, found beforehand: finding the most-raced driver reads
        # every driver's races, which no bot does at start.
        picked = child([str(CHILD), "most-raced", str(folder)], workdir, source=source)
        start = [str(CHILD), "start", str(folder), str(picked.printed["driver"])]
        warm = child(start, workdir, source=source)
        found.setdefault("start_warm", []).append(warm)  # the whole process
        found.setdefault("start_ready", []).append(warm)  # its library ready, first answer
        change = child([str(CHILD), "change", str(folder)], workdir, source=source)
        found.setdefault("change", []).append(change)  # a team renamed
        found.setdefault("correction", []).append(change)  # a result corrected, names kept
        if "added_ms" in change.printed:
            found.setdefault("added", []).append(change)  # a new race
        found.setdefault("export", []).append(child(export, workdir, output=False, source=source))
    return found


def _summary(measures: list[Measure], printed: str) -> tuple[float, float, float | None]:
    """Median seconds (or a printed time), peak MB, resident MB after (if printed)."""
    if all(printed in m.printed for m in measures):
        seconds = median([m.printed[printed] / 1000 for m in measures])
    else:
        seconds = median([m.seconds for m in measures])
    resident = [m.printed["resident_mb"] for m in measures if "resident_mb" in m.printed]
    return seconds, median([m.peak_mb for m in measures]), median(resident) if resident else None


def run() -> dict[str, float]:
    """Measure and print, this tree against the baseline; return the figures for BENCH_JSON."""
    runs = int(os.environ.get("BENCH_SCALE_RUNS", "3"))
    workdir = LIBRARIES / "work"
    workdir.mkdir(parents=True, exist_ok=True)
    before = baseline()
    compiled(ROOT, before)
    figures: dict[str, float] = {}
    for count in sizes():
        now = measure_size(count, runs, workdir, ROOT)
        then = measure_size(count, runs, workdir, before) if before else {}
        rows = []
        for name, measures in now.items():
            seconds, peak, resident = _summary(measures, f"{name}_ms")
            figures[f"scale_{count}_{name}_s"] = round(seconds, 3)
            figures[f"scale_{count}_{name}_peak_mb"] = round(peak, 1)
            text = f"{seconds:7.3f} s  peak {peak:6.1f} MB"
            if resident is not None:
                figures[f"scale_{count}_{name}_resident_mb"] = round(resident, 1)
                text += f"  resident {resident:6.1f} MB"
            if name in then:
                old, old_peak, _ = _summary(then[name], f"{name}_ms")
                figures[f"scale_{count}_{name}_baseline_s"] = round(old, 3)
                text += f"  | before {old:7.3f} s, {old_peak:6.1f} MB ({old / seconds:.1f}x)"
            goal = GOALS.get(name) if count == 10_000 else None
            rows.append((name, text + (f"  (goal {goal})" if goal else "")))
        print_table(f"Library scale: {count:,} races, median of {runs} fresh processes", rows)
    for count in sizes():
        figures.update(latencies(count, workdir, ROOT, ""))
        if before:
            figures.update(latencies(count, workdir, before, "baseline_"))
    return figures


def latencies(count: int, workdir: Path, source: Path, label: str) -> dict[str, float]:
    """Question, autocomplete and most-raced driver latencies over a library as loaded."""
    measure = child([str(CHILD), "latency", str(library(count))], workdir, source=source)
    got = measure.printed
    which = "the baseline" if label else "this tree"
    print_table(
        f"Latency over {count:,} races, {which} (query_bench's mix)",
        [
            ("question p50 / p99", f"{got['query_p50_ms']:.3f} / {got['query_p99_ms']:.3f} ms"),
            (
                "autocomplete p50 / p99",
                f"{got['autocomplete_p50_ms']:.3f} / {got['autocomplete_p99_ms']:.3f} ms",
            ),
            (
                "/driver, most-raced driver, p50 / worst of 21",
                f"{got.get('driver_p50_ms', float('nan')):.3f} / "
                f"{got.get('driver_max_ms', float('nan')):.3f} ms",
            ),
        ],
    )
    return {
        f"scale_{count}_{label}{key}": round(value, 4) for key, value in got.items() if "_ms" in key
    }
