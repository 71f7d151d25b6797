"""Query speed on 1,000 synthetic races: index build, questions, autocomplete, and a naive baseline.

The question mix (seeded) asks for exact names, prefixes, typos, names typed without accents,
car numbers, race selectors and names that are not there, for /result and /driver (the latter
across all 1,000 races). The baseline answers the same questions the obvious way: a linear scan
over every entry, then difflib.get_close_matches over the names when nothing contains the query.
"""

from __future__ import annotations

import difflib
import gc
import random
import statistics
import time
import unicodedata
from collections.abc import Callable, Sequence
from functools import partial
from typing import Final

from bench.synthetic import synthetic_races
from bench.timing import median, percentile, print_table, sample_ms
from bot.core.asking.query import QueryService, SuggestKind
from bot.core.documents.model import Entry, Race
from bot.core.library.races import RaceLibrary

RACES: Final = 1_000
QUESTIONS: Final = 3_000
SUGGESTIONS: Final = 3_000
BASELINE_QUESTIONS: Final = 500  # the first questions of the same mix; the baseline is slow
SEED: Final = 7
TARGET_QUERY_P99_MS: Final = 1.0
TARGET_SUGGEST_P99_MS: Final = 2.0
TARGET_BUILD_S: Final = 1.0
NOT_THERE: Final = ("Schumacher", "Hamilton", "Senna", "Verstappen", "Kubica", "Zyxwvut")

SUGGEST_MIX: Final = (
    SuggestKind.DRIVER,
    SuggestKind.DRIVER,
    SuggestKind.QUERY,
    SuggestKind.TEAM,
    SuggestKind.CAR,
    SuggestKind.RACE,
)

Question = tuple[str, str, str | None]  # (command, text, race selector)


def run() -> dict[str, float]:
    """Measure and print; return the figures for BENCH_JSON."""
    library = RaceLibrary(synthetic_races(RACES))
    gc.collect()
    build_s = median(sample_ms(lambda: QueryService(library), runs=3)) / 1000
    service = QueryService(library)
    rng = random.Random(SEED)
    questions = [_question(rng, library) for _ in range(QUESTIONS)]
    prefixes = [_prefix(rng, library) for _ in range(SUGGESTIONS)]

    gc.collect()
    query_ms = [_timed(partial(_ask, service, q)) for q in questions]
    suggest_ms = [_timed(partial(service.suggest, kind, prefix)) for kind, prefix in prefixes]
    sample = questions[:BASELINE_QUESTIONS]
    indexed_ms = query_ms[:BASELINE_QUESTIONS]
    baseline_ms = [_timed(partial(_baseline, library, q)) for q in sample]

    figures = {
        "index_build_s": round(build_s, 4),
        "query_p50_ms": round(percentile(query_ms, 0.50), 4),
        "query_p99_ms": round(percentile(query_ms, 0.99), 4),
        "query_max_ms": round(max(query_ms), 4),
        "autocomplete_p50_ms": round(percentile(suggest_ms, 0.50), 4),
        "autocomplete_p99_ms": round(percentile(suggest_ms, 0.99), 4),
        "baseline_query_p50_ms": round(percentile(baseline_ms, 0.50), 4),
        "baseline_query_p99_ms": round(percentile(baseline_ms, 0.99), 4),
        "speedup_vs_baseline": round(
            percentile(baseline_ms, 0.99) / percentile(indexed_ms, 0.99), 1
        ),
        "speedup_vs_baseline_mean": round(
            statistics.fmean(baseline_ms) / statistics.fmean(indexed_ms), 1
        ),
    }
    print_table(
        f"Queries over {len(library)} synthetic races "
        f"({len(service.catalogue.names)} names, "
        f"{service.catalogue.names.vocabulary_size} distinct words)",
        [
            ("index build (median of 3)", f"{build_s:.3f} s  (target <= {TARGET_BUILD_S} s)"),
            (
                f"question p50 / p99 ({len(query_ms)})",
                f"{figures['query_p50_ms']:.3f} / {figures['query_p99_ms']:.3f} ms"
                f"  (target p99 <= {TARGET_QUERY_P99_MS} ms)",
            ),
            (
                f"autocomplete p50 / p99 ({len(suggest_ms)})",
                f"{figures['autocomplete_p50_ms']:.3f} / {figures['autocomplete_p99_ms']:.3f} ms"
                f"  (target p99 <= {TARGET_SUGGEST_P99_MS} ms)",
            ),
            (
                f"naive baseline p50 / p99 ({len(baseline_ms)})",
                f"{figures['baseline_query_p50_ms']:.3f} / "
                f"{figures['baseline_query_p99_ms']:.3f} ms",
            ),
            (
                "speed-up over the baseline",
                f"{figures['speedup_vs_baseline']:.0f}x at p99, "
                f"{figures['speedup_vs_baseline_mean']:.0f}x on average",
            ),
        ],
    )
    return figures


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter_ns()
    action()
    return (time.perf_counter_ns() - start) / 1e6


def _ask(service: QueryService, question: Question) -> object:
    command, text, race = question
    if command == "driver":
        return service.driver(text, race)
    if command == "car":
        return service.car(text, race)
    return service.result(text, race)


def _question(rng: random.Random, library: RaceLibrary) -> Question:
    """One question of the mix: mostly about the latest race, drivers about any race."""
    race = library.races[0]
    entry = rng.choice(race.entries)
    anywhere = rng.choice(rng.choice(library.races).entries)
    driver = rng.choice(anywhere.drivers)
    roll = rng.random()
    if roll < 0.15:
        return (
            "result",
            rng.choice((entry.team, *entry.drivers, entry.chassis or entry.team)),
            None,
        )
    if roll < 0.25:
        return ("result", _word_prefix(rng, entry.team), None)
    if roll < 0.35:
        return ("result", _typo(rng, rng.choice(entry.drivers)), None)
    if roll < 0.45:
        return ("car", entry.number, None)
    if roll < 0.55:
        other = rng.choice(library.races)
        title_or_year = rng.choice((other.title, str(other.date.year if other.date else "")))
        return ("result", rng.choice(rng.choice(other.entries).drivers), title_or_year)
    if roll < 0.70:
        return ("driver", driver, None)
    if roll < 0.78:
        return ("driver", _without_accents(driver), None)
    if roll < 0.86:
        return ("driver", _typo(rng, driver), None)
    if roll < 0.93:
        return ("driver", rng.choice(NOT_THERE), None)
    return ("result", rng.choice(NOT_THERE), None)


def _prefix(rng: random.Random, library: RaceLibrary) -> tuple[SuggestKind, str]:
    """One autocomplete call: 0-6 typed characters of a real name, or a typo."""
    entry = rng.choice(rng.choice(library.races[:20]).entries)
    kind = rng.choice(SUGGEST_MIX)
    if kind is SuggestKind.RACE:
        name = rng.choice(library.races).title
    elif kind is SuggestKind.CAR:
        name = entry.number
    elif kind is SuggestKind.TEAM:
        name = entry.team
    else:
        name = rng.choice(entry.drivers)
    if rng.random() < 0.15:
        return kind, _typo(rng, name)
    return kind, name[: rng.randrange(0, 7)]


def _word_prefix(rng: random.Random, name: str) -> str:
    word = rng.choice(name.split())
    return word[: max(3, len(word) - 2)]


def _typo(rng: random.Random, name: str) -> str:
    """The name with one slip in its longest word: a letter dropped, doubled or swapped."""
    words = name.split()
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    if len(word) < 5:
        return name
    at = rng.randrange(1, len(word) - 2)
    slip = rng.randrange(3)
    if slip == 0:
        word = word[:at] + word[at + 1 :]
    elif slip == 1:
        word = word[:at] + word[at] + word[at:]
    else:
        word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    words[longest] = word
    return " ".join(words)


def _without_accents(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _baseline(library: RaceLibrary, question: Question) -> list[Entry]:
    """The naive answer: scan the entries for the text, else difflib over every name."""
    command, text, race_text = question
    folded = text.casefold()
    races: Sequence[Race] = library.races
    if race_text is not None:
        races = tuple(r for r in library.races if race_text.casefold() in r.title.casefold())
        races = races[:1]
    elif command != "driver":
        races = library.races[:1]
    found = [entry for race in races for entry in race.entries if _contains(entry, command, folded)]
    if found:
        return found
    names = sorted(
        {
            name
            for race in races
            for entry in race.entries
            for name in (entry.drivers if command == "driver" else _names(entry))
        }
    )
    close = difflib.get_close_matches(text, names, n=3, cutoff=0.75)
    return [
        entry for race in races for entry in race.entries if any(c in _names(entry) for c in close)
    ]


def _contains(entry: Entry, command: str, folded: str) -> bool:
    if command == "car":
        return entry.number == folded.lstrip("#")
    if command == "driver":
        return any(folded in driver.casefold() for driver in entry.drivers)
    return entry.number == folded or any(folded in name.casefold() for name in _names(entry))


def _names(entry: Entry) -> tuple[str, ...]:
    return (entry.team, *entry.drivers, entry.chassis or "", entry.engine or "")


if __name__ == "__main__":
    run()
