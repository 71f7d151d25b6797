"""One document per race: a second document of a race already loaded is refused, by name.

A race is what `bot.core.library.identity.race_key` says (series and date; series, year and round;
circuit and date; else its title), so the same race under another title or file name is caught,
and two races with one title in different series or years stay two races.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Protocol, TypeVar, cast

from bot.core.documents.seed_error import SeedError
from bot.core.library.identity import Identifiable, race_key


class RaceFacts(Identifiable, Protocol):
    """A race's identity and the document it came from."""

    @property
    def source(self) -> str: ...


_T = TypeVar("_T")

# What makes two races one, by the kind of key `race_key` gave.
_WHY: dict[str, str] = {
    "series": "the same series and date",
    "circuit": "the same circuit and date",
    "title": "the same title, and neither says its series and date",
}


def distinct_races(
    races: Iterable[_T],
    facts: Callable[[_T], RaceFacts] | None = None,
    title_lines: Mapping[str, int] | None = None,
) -> tuple[list[_T], tuple[SeedError, ...]]:
    """One document per race (the first by file name), and an error for each later document of
    a race already kept, naming the race it repeats.

    `facts` gives an item's race (default: the item is one, a `Race` or a `RaceSummary`);
    `title_lines` each document's heading line by its source, for the error's line.
    """
    of = facts or (lambda item: cast(RaceFacts, item))
    kept: dict[str, _T] = {}
    refused: list[SeedError] = []
    for item in sorted(races, key=lambda i: of(i).source):
        race = of(item)
        key = race_key(race)
        first = kept.setdefault(key, item)
        if first is not item:
            line = title_lines.get(race.source) if title_lines else None
            refused.append(_repeated(race, of(first), key, line))
    return list(kept.values()), tuple(refused)


def repeats(
    race: RaceFacts, existing: Iterable[RaceFacts], line: int | None = None
) -> SeedError | None:
    """The error for a race whose identity one of `existing` already has (the first of them);
    None when it is a new race. `line` is the document's heading line, when known."""
    key = race_key(race)
    first = next((other for other in existing if race_key(other) == key), None)
    return None if first is None else _repeated(race, first, key, line)


def _repeated(race: RaceFacts, first: RaceFacts, key: str, line: int | None) -> SeedError:
    kind = key.partition(":")[0]
    why = _WHY.get(kind, "the same race")
    if "|round " in key:
        why = "the same series, year and round"
    message = (
        f"is the same race as {first.source} ({describe(first)}): {why}; keep one document per race"
    )
    return SeedError(race.source, line, message)


def describe(race: RaceFacts) -> str:
    """ "'2003 Grand Prix of Sonoma', American Le Mans Series, 2003-07-27": what the race is."""
    parts = [f"'{race.title}'"]
    if race.series:
        parts.append(race.series)
    elif race.circuit:
        parts.append(race.circuit)
    date = race.date
    if date is not None:
        parts.append(str(date))
    elif race.series and race.year is not None and race.round is not None:
        parts.append(f"{race.year} round {race.round}")
    return ", ".join(parts)
