"""`make bench`: every benchmark in one run; BENCH_JSON=path also writes the figures as JSON."""

from __future__ import annotations

import importlib
import json
import os
import platform
import sys
from pathlib import Path

# Each module measures one layer and returns flat figures; a missing module is skipped loudly.
SUITES = ("bench.parse_bench", "bench.query_bench", "bench.e2e_bench")


def main() -> int:
    """Run every suite, print its table, and merge the figures."""
    print(
        f"racebot benchmarks on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    figures: dict[str, float] = {}
    for name in SUITES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            print(f"\n(skipped {name}: not present)")
            continue
        figures.update(module.run())
    target = os.environ.get("BENCH_JSON")
    if target:
        Path(target).write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")
        print(f"\nfigures written to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
