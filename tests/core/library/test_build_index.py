"""A full build's catalogue index against the algorithm it replaced, kept here: every name
gathered with the identities decided first, car by car (`build_index` now gathers each key as
its own name while the identities are decided elsewhere, then groups them; issue 19, section 3).
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any, Final

import pytest

from bot.core.documents.model import CarNames, RaceSummary, car_names
from bot.core.library import catalogue
from bot.core.library.catalogue import CatalogueIndex, build_index
from bot.core.library.identities import Aliases, Identities, decide, read_aliases
from bot.core.library.loading import load_library
from bot.core.matching import compact, normalise
from tests.paths import RACES

FOLDER: Final = Path(__file__).parent / "identity_documents"


def _reference(
    summaries: list[RaceSummary], cars: list[list[CarNames]], aliases: Aliases | None
) -> CatalogueIndex:
    """`build_index` as it was: identities first, then each race's names car by car."""
    identities = decide(
        [(summary.series, race_cars) for summary, race_cars in zip(summaries, cars, strict=True)],
        aliases,
        likely=False,
    )
    names = catalogue._Names(identities)
    number_keys: dict[str, str] = {}
    number_races: dict[str, list[int]] = {}
    shared: dict[tuple[int, ...], tuple[int, ...]] = {}
    singles: list[tuple[int, ...]] = []
    race_names: list[list[int]] = []
    numbers: list[dict[str, tuple[int, ...]]] = []
    for race_id, race_cars in enumerate(cars):
        while len(singles) < len(race_cars):
            singles.append((len(singles),))
        race_numbers: dict[str, tuple[int, ...]] = {}
        for entry_id, car in enumerate(race_cars):
            number = number_keys.get(car[0])
            if number is None:
                number = number_keys[car[0]] = compact(normalise(car[0]))
            carried = race_numbers.get(number)
            if carried is None:
                race_numbers[number] = singles[entry_id]
            else:
                both = carried + singles[entry_id]
                race_numbers[number] = shared.setdefault(both, both)
        teams, drivers, chassis, engines = (names.by_raw[kind] for kind in catalogue.NameKind)
        in_race: dict[int, list[int]] = {}
        for entry_id, (_, team, crew, chassis_name, engine) in enumerate(race_cars):
            found = [teams[team], *map(drivers.__getitem__, crew)]
            if chassis_name:
                found.append(chassis[chassis_name])
            if engine:
                found.append(engines[engine])
            for name_id in found:
                if name_id is None:
                    continue
                entries = in_race.get(name_id)
                if entries is None:
                    in_race[name_id] = [entry_id]
                elif entries[-1] != entry_id:
                    entries.append(entry_id)
        for name_id, entries in in_race.items():
            several = tuple(entries)
            names.postings[name_id][race_id] = shared.setdefault(several, several)
        race_names.append(list(in_race))
        numbers.append(race_numbers)
        for number in race_numbers:
            number_races.setdefault(number, []).append(race_id)
    return catalogue._index(summaries, names, race_names, numbers, number_races)


def _state(index: CatalogueIndex) -> tuple[Any, ...]:
    """Everything an index holds, orders included (of names, races, postings and numbers)."""
    return (
        list(index.kinds),
        list(index.displays),
        [list(posting.items()) for posting in index.postings],
        [list(names) for names in index.race_names],
        [list(numbers.items()) for numbers in index.numbers],
        list(index.number_races.items()),
        index.names.state(),
        index.race_index.state(),
        list(index.race_values),
        list(index.also),
        _identities(index.identities),
        list((index.name_ids or {}).items()),
    )


def _identities(identities: Identities) -> tuple[Any, ...]:
    """Identities as plain data (their errors are exceptions, equal only to themselves)."""
    return (
        *(getattr(identities, field) for field in ("roots", "displays", "others")),
        identities.groupings,
        identities.likely,
        [(type(error), str(error)) for error in identities.errors],
    )


# Spellings the rules group (a slip, a sponsor in front, one entry under two names), spellings
# that are one key already, and names of nothing.
_TEAMS: Final = (
    "Champion Racing",
    "ADT Champion Racing",
    "Petersen Motorsport White Lightning",
    "Petersen Motorsports White Lightning",
    "Intersport",
    "Intersport Racing",
    "Dyson Racing",
    "DYSON  racing",
    "Risi Competizione",
    "Alex Job Racing",
    "Team Jota",
    "",
    "—",
)
_DRIVERS: Final = (
    "Johnny Herbert",
    "J. Herbert",
    "JJ Lehto",
    "J.J. Lehto",
    "Tomáš Enge",
    "Tomas Enge",
    "Clint Field",
    "Jon Field",
    "Rick Sutherland",
    "Butch Leitzinger",
    "Andy Wallace",
    "James Weaver",
    "",
)
_CHASSIS: Final = ("Audi R8", "audi r8", "Lola B01/60", "MG-Lola EX257", "", None)
_ENGINES: Final = ("Audi 3.6L Turbo V8", "AER", "", None)
_NUMBERS: Final = ("1", "2", "#3", "No. 3", "16", "16B", "38", "")


def _library(seed: int) -> tuple[list[RaceSummary], list[list[CarNames]]]:
    """Random races (newest first) of the identity documents' summaries and random cars."""
    rng = random.Random(seed)
    loaded = load_library(FOLDER).library.summaries
    summaries = [rng.choice(loaded) for _ in range(rng.randint(1, 12))]
    cars: list[list[CarNames]] = []
    for _ in summaries:
        race_cars: list[CarNames] = []
        for _ in range(rng.randint(0, 9)):
            crew = tuple(rng.choice(_DRIVERS) for _ in range(rng.randint(0, 3)))
            car = (rng.choice(_NUMBERS), rng.choice(_TEAMS), crew)
            race_cars.append((*car, rng.choice(_CHASSIS), rng.choice(_ENGINES)))
        cars.append(race_cars)
    return summaries, cars


_ALIASES: Final = """
[[same]]
drivers = ["Johnny Herbert", "J. Herbert"]

[[same]]
teams = ["Risi Competizione", "Alex Job Racing", "Team Jota"]

[[different]]
drivers = ["Clint Field", "Jon Field"]
"""


@pytest.mark.parametrize("with_aliases", [False, True])
def test_random_libraries_index_as_before(with_aliases: bool) -> None:
    """Random libraries, grouped by the rules and an aliases file or left apart, index as the
    algorithm it replaced indexes them (and some are grouped, so the grouping is tried)."""
    aliases = read_aliases(_ALIASES)[0] if with_aliases else None
    grouped = 0
    for seed in range(300):
        summaries, cars = _library(seed)
        index = build_index(summaries, cars, aliases)
        assert _state(index) == _state(_reference(summaries, cars, aliases)), seed
        grouped += bool(index.identities.roots)
    assert grouped > 100


def test_identities_decided_elsewhere_index_as_before() -> None:
    """Identities given (as a full build's other process gives them) index as decided here."""
    summaries, cars = _library(7)
    races = [
        (summary.series, race_cars) for summary, race_cars in zip(summaries, cars, strict=True)
    ]
    decided = decide(races, None, likely=False)
    index = build_index(summaries, cars, None, lambda: decided)
    assert _state(index) == _state(_reference(summaries, cars, None))


@pytest.mark.parametrize("folder", [FOLDER, RACES])
@pytest.mark.parametrize("aliases_text", ["", _ALIASES])
def test_documents_index_as_before(folder: Path, aliases_text: str) -> None:
    """The identity documents (grouped by every rule) and the seed's copy index as before."""
    library = load_library(folder).library
    cars = [[car_names(entry) for entry in race.entries] for race in library.races]
    aliases = read_aliases(aliases_text)[0] if aliases_text else None
    index = build_index(library.summaries, cars, aliases)
    assert _state(index) == _state(_reference(list(library.summaries), cars, aliases))
