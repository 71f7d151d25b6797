"""`make bench`: every benchmark in one run; BENCH_JSON=path also writes the figures as JSON.

Each suite runs in a fresh Python process, so one suite's heap (a 1,000-race library, say)
never slows the garbage collector, and so the figures, of the next.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

SUITES = (
    "bench.parse_bench",
    "bench.query_bench",
    "bench.e2e_bench",
    "bench.chart_bench",
    "bench.scale_bench",
)


def run_suite(name: str) -> dict[str, float]:
    """Run one suite's `run()` in a child process; its table goes to our stdout."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "figures.json"
        code = (
            "import importlib, json, sys; "
            f"figures = importlib.import_module({name!r}).run(); "
            "open(sys.argv[1], 'w').write(json.dumps(figures))"
        )
        subprocess.run([sys.executable, "-c", code, str(out)], check=True)
        figures: dict[str, float] = json.loads(out.read_text())
    return figures


def main() -> int:
    """Run every suite, print its table, and merge the figures."""
    print(
        f"racebot benchmarks on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        flush=True,
    )
    figures: dict[str, float] = {}
    for name in SUITES:
        figures.update(run_suite(name))
    target = os.environ.get("BENCH_JSON")
    if target:
        Path(target).write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")
        print(f"\nfigures written to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
