"""One measured step of the library-scale bench, run in a fresh process by `scale_bench`.

`start FOLDER [DRIVER]`: build what the bot builds at start (the query service over the folder
through the store, and its answer service), not connecting to Discord, and answer /driver about
DRIVER; print the resident memory after. `most-raced FOLDER`: who that driver is by default.
`latency FOLDER`: the same as start, then question and autocomplete latencies.
Works on older trees too (whose loader takes no data folder), for the "before" figures.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import random
import re
import sys
import time
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Final

from bench.query_bench import QUESTIONS, SEED, SUGGESTIONS, _ask, _prefix, _question, _timed
from bench.timing import percentile
from bot.discord.answer_service import AnswerService
from bot.settings import load_settings

if TYPE_CHECKING:  # for annotations only: release 0.1 (the baseline) has it elsewhere
    from bot.core.asking.query import QueryService


def resident_mb() -> float:
    """This process's resident memory now, in MB (Linux /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")  # pragma: no cover - not Linux


def since_process_start() -> float:
    """Seconds since this process started (Linux /proc: interpreter start and imports too)."""
    started = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
    uptime = float(Path("/proc/uptime").read_text().split()[0])
    return uptime - started / os.sysconf("SC_CLK_TCK")


def build(folder: Path) -> QueryService:
    """The query service as the bot builds it, with the answer service on top."""
    try:
        from bot.app.library import open_library  # the store (issue 19)
    except ImportError:  # an earlier release, measured as the baseline (BENCH_SCALE_SRC)
        from bot.core.loading import service_from_folder  # type: ignore[import-untyped]

        settings = load_settings()
        old: QueryService = service_from_folder(folder, settings.data_dir).service
        AnswerService(old)
        return old
    service = open_library(folder).service
    AnswerService(service)
    return service


def latency(service: QueryService) -> dict[str, float]:
    """Question and autocomplete p50 / p99 in ms, with query_bench's mix."""
    rng = random.Random(SEED)
    library = service.library
    questions = [_question(rng, library) for _ in range(QUESTIONS)]
    prefixes = [_prefix(rng, library) for _ in range(SUGGESTIONS)]
    gc.collect()
    query_ms = [_timed(partial(_ask, service, q)) for q in questions]
    suggest_ms = [_timed(partial(service.suggest, kind, p)) for kind, p in prefixes]
    return {
        "query_p50_ms": percentile(query_ms, 0.5),
        "query_p99_ms": percentile(query_ms, 0.99),
        "autocomplete_p50_ms": percentile(suggest_ms, 0.5),
        "autocomplete_p99_ms": percentile(suggest_ms, 0.99),
    }


def most_raced_driver(service: QueryService) -> str:
    """The driver with the most races in the library (the slowest /driver there is)."""
    catalogue = service.catalogue
    best = max(catalogue.drivers, key=lambda name: len(catalogue.postings[name]))
    return str(catalogue.displays[best])


def driver_ms(service: QueryService) -> dict[str, float]:
    """/driver for the most-raced driver: median and worst of 21 asks, in ms."""
    name = most_raced_driver(service)
    timings = [_timed(partial(service.ask, "driver", name=name)) for _ in range(21)]
    return {"driver_p50_ms": percentile(timings, 0.5), "driver_max_ms": max(timings)}


CORRECTION: Final = re.compile(rb"(- Pole Position - .* - \d+:\d+\.\d\d)(\d)")


def _corrected(data: bytes) -> bytes:
    """The document with its pole time's last digit changed: a result correction that keeps
    every car and name as it was."""
    return CORRECTION.sub(lambda m: m[1] + (b"1" if m[2] != b"1" else b"2"), data, count=1)


def _another_race(data: bytes) -> bytes:
    """The document as another race, the newest: its title and year are new to the library."""
    title = re.search(rb"^= ((\d{4}) .*) =$", data, re.MULTILINE)
    assert title is not None
    renamed = data.replace(title[1], title[1] + b" Added")
    return renamed.replace(title[2], b"9000")  # its year everywhere: the newest race


def change_ms(folder: Path) -> dict[str, float]:
    """One changed document, from its write to the first answer that includes it, in ms: a team
    renamed ("change"), a result corrected ("correction") and a new race ("added": this release
    only). The store takes in that document
    alone; an earlier release loads its folder again."""
    documents = sorted(folder.glob("*.txt"))
    target = documents[len(documents) // 2]
    original = target.read_bytes()
    edits = {
        "change_ms": original.replace(b"Racing", b"Racing Works", 1),
        "correction_ms": _corrected(original),
    }
    assert all(edit != original for edit in edits.values())
    try:
        from bot.loader import open_keeper
    except ImportError:  # an earlier release: the whole folder again (its caches help)
        found: dict[str, float] = {}
        for name, changed in edits.items():
            service = build(folder)
            target.write_bytes(changed)
            try:
                start = time.perf_counter()
                service = build(folder)
                service.ask("driver", name=most_raced_driver(service))
                found[name] = (time.perf_counter() - start) * 1000
            finally:
                target.write_bytes(original)
        return found

    async def measure() -> dict[str, float]:
        keeper = await open_keeper(load_settings(), folder)
        driver = most_raced_driver(keeper.service)  # the bench's pick, before the clock starts
        added = folder / "synthetic-added.txt"
        found: dict[str, float] = {}

        async def answered() -> float:
            start = time.perf_counter()
            await keeper.mirror_seeds()
            await keeper.catch_up()
            keeper.service.ask("driver", name=driver)
            return (time.perf_counter() - start) * 1000

        try:
            for name, changed in edits.items():
                target.write_bytes(changed)
                found[name] = await answered()
                target.write_bytes(original)
                await keeper.mirror_seeds()
                await keeper.catch_up()
            added.write_bytes(_another_race(original))
            found["added_ms"] = await answered()
        finally:
            added.unlink(missing_ok=True)
            target.write_bytes(original)
            await keeper.mirror_seeds()
            await keeper.catch_up()
            await keeper.snapshot_written()  # as a one-off command leaves it for the next
            await keeper.close()
        return found

    return asyncio.run(measure())


def main(mode: str, folder: Path, driver: str | None = None) -> int:
    """Run one step and print its figures as JSON on the last line (`driver`: whom the first
    answer is about; default the most-raced driver, found in the timed start)."""
    if mode == "change":
        print(json.dumps(change_ms(folder)))
        return 0
    if mode == "most-raced":
        print(json.dumps({"driver": most_raced_driver(build(folder))}))
        return 0
    began = time.perf_counter()
    service = build(folder)
    service.ask("driver", name=driver or most_raced_driver(service))  # the first answer
    figures = {
        "resident_mb": resident_mb(),
        "races": float(len(service.library)),
        # The store opened, seeds/ mirrored, the library ready and the first answer given; the
        # process's own time adds the interpreter and imports (~0.5 s with bytecode cached).
        "start_ready_ms": (time.perf_counter() - began) * 1000,
        "process_s": since_process_start(),
    }
    if mode == "latency":
        figures.update(latency(service))
        figures.update(driver_ms(service))
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], Path(sys.argv[2]), *sys.argv[3:]))
