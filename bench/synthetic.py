"""Synthetic race libraries, written by the document writer, for benchmarks and tests.

Real championships repeat people, so drivers come from a pool of 5,000 and teams from 500.
Names include accents, hyphens, particles and suffixes, the cases the parser must get right.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any, Final

from bot.core.documents.model import Entry, LapRecord, Race, Statistics, Status, rank_entries
from bot.core.documents.names import split_drivers
from bot.core.documents.parsing import parse_race
from bot.core.documents.writing import lead_paragraph, write_race

DRIVER_POOL: Final = 5_000
TEAM_POOL: Final = 500
CARS_PER_RACE: Final = 36

_GIVEN = """Anna Ben Carlos Chloé Dario Émile Fabio Greta Hans Inès Jörg Karl Lars Maja Nico Oskar
Paulo Quentin Rafael Sofia Tomáš Ulla Vítor Wim Xavier Yannick Zoë Jean-Pierre Ana-Lucía Marco
Luca Pedro Rui Timo Sascha Kelly Ron Olivier David Peter Andy Chris Michael Shane""".split()
_FAMILY = """Ackermann Brück Castro Dubois Eriksen Fässler García Hoffmann Ibáñez Jansen Kowalski
Lindqvist Müller Novák O'Neill Pereira Quintana Rossi Schäfer Takács Ulrich Vasquez Wójcik Young
Zanardi Smith Lefèvre Nakamura Okafor Petrov""".split()
_PARTICLES = ("van", "de", "von", "da", "dos", "van der")
_SUFFIXES = ("Jr.", "Sr.", "II")
_TEAM_WORDS = """Apex Blue Falcon Crest Delta Eagle Forge Granite Harbor Iron Jet Kestrel Lynx
Meridian North Orbit Pinnacle Quartz Redline Summit Torque Ultra Vortex West Zenith""".split()
_TEAM_KINDS = ("Racing", "Motorsport", "Competition", "Engineering", "Team", "Racing USA")
_CLASSES = ("LMP1", "LMP2", "GTS", "GT", "LMP675", "LMP900")
_CHASSIS = (
    "Audi R8",
    "MG-Lola EX257",
    "Porsche 911 GT3-RS",
    "Ferrari 360 Modena GTC",
    "Chevrolet Corvette C5-R",
    "Dallara SP1",
    "Panoz LMP01 Evo",
    "Lola B2K/10B",
)
_ENGINES = (
    "Audi 3.6L Turbo V8",
    "Judd GV5 5.0L V10",
    "Porsche 3.6L Flat-6",
    "Ferrari 3.6L V8",
    "Élan 6L8 6.0L V8",
    "MG (AER) XP20 2.0L Turbo I4",
)
_CIRCUITS = (
    ("Infineon Raceway", "California"),
    ("Road Atlanta", "Georgia"),
    ("Mid-Ohio", "Ohio"),
    ("Laguna Seca", "California"),
    ("Sebring", "Florida"),
)


def driver_pool(rng: random.Random, size: int = DRIVER_POOL) -> list[str]:
    """Distinct full names: given + family, sometimes with a particle or a suffix."""
    names: set[str] = set()
    while len(names) < size:
        family = rng.choice(_FAMILY)
        if rng.random() < 0.8:  # double-barrelled family names make the pool large enough
            family = f"{family}-{rng.choice(_FAMILY)}"
        if rng.random() < 0.1:
            family = f"{rng.choice(_PARTICLES)} {family}"
        name = f"{rng.choice(_GIVEN)} {family}"
        if rng.random() < 0.05:
            name += f" {rng.choice(_SUFFIXES)}"
        names.add(name)
    return sorted(names)


def team_pool(rng: random.Random, size: int = TEAM_POOL) -> list[str]:
    """Distinct team names."""
    names: set[str] = set()
    while len(names) < size:
        names.add(f"{rng.choice(_TEAM_WORDS)} {rng.choice(_TEAM_WORDS)} {rng.choice(_TEAM_KINDS)}")
    return sorted(names)


def synthetic_documents(count: int, seed: int = 0) -> list[str]:
    """`count` race documents as text, deterministic for a seed."""
    rng = random.Random(seed)
    drivers, teams = driver_pool(rng), team_pool(rng)
    return [write_race(_race(rng, index, drivers, teams)) for index in range(count)]


def synthetic_races(count: int, seed: int = 0) -> list[Race]:
    """`count` parsed races (each written and read back, so lines and standings are real)."""
    return [
        parse_race(text, source=f"synthetic-{index:04d}.txt")
        for index, text in enumerate(synthetic_documents(count, seed))
    ]


def write_library(folder: Path, count: int, seed: int = 0) -> list[Path]:
    """Write `count` documents into a folder and return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, text in enumerate(synthetic_documents(count, seed)):
        path = folder / f"synthetic-{index:04d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def _race(rng: random.Random, index: int, drivers: list[str], teams: list[str]) -> Race:
    year = 1990 + index // 12
    date = dt.date(year, 1 + index % 12, 1 + rng.randrange(28))
    circuit, location = rng.choice(_CIRCUITS)
    title = f"{year} Grand Prix {index:04d} of {circuit}"
    series = "Synthetic Endurance Series"
    round_ = 1 + index % 12
    entries = rank_entries(Entry.model_validate(row) for row in _entries(rng, drivers, teams))
    winner_laps = entries[0].laps or 1
    pole, fastest = _record(rng, entries), _record(rng, entries)
    distance = round(winner_laps * rng.uniform(3.5, 6.0), 3)
    average = round(rng.uniform(120, 190), 3)
    fastest = _faster_than(fastest, distance / winner_laps, average)
    return Race(
        title=title,
        series=series,
        round=round_,
        date=date,
        circuit=circuit,
        location=location,
        prose=(lead_paragraph(title, series, round_, circuit, location, date),),
        notes="Class winners in bold.",
        entries=entries,
        statistics=Statistics(
            pole=pole,
            fastest_lap=fastest,
            distance_km=distance,
            average_speed_kmh=average,
            winner_laps=winner_laps,
        ),
        source=f"synthetic-{index:04d}.txt",
    )


def _entries(rng: random.Random, drivers: list[str], teams: list[str]) -> list[dict[str, Any]]:
    numbers = rng.sample(range(1, 100), CARS_PER_RACE)
    laps = 100 + rng.randrange(50)
    rows: list[dict[str, Any]] = []
    for position in range(1, CARS_PER_RACE + 1):
        laps -= rng.choice((0, 0, 1, 2))
        status = Status.CLASSIFIED
        if position > CARS_PER_RACE - 6:
            status = Status.DNF
        crew = rng.sample(drivers, rng.choice((1, 2, 2, 2, 3)))
        while split_drivers(" ".join(crew)) != tuple(crew):  # a crew the documented rule misreads
            crew = rng.sample(drivers, len(crew))
        rows.append(
            {
                "position": None if position == CARS_PER_RACE else position,
                "status": Status.DNS if position == CARS_PER_RACE else status,
                "class_": rng.choice(_CLASSES),
                "number": str(numbers[position - 1]),
                "team": rng.choice(teams),
                "drivers": tuple(crew),
                "chassis": rng.choice(_CHASSIS),
                "engine": rng.choice(_ENGINES),
                "tyre": rng.choice((None, "M", "D", "P")),
                "laps": None if position == CARS_PER_RACE else max(laps, 1),
                "line": 1,
            }
        )
    return rows


def _record(rng: random.Random, entries: tuple[Entry, ...]) -> LapRecord:
    entry = rng.choice(entries[:10])
    seconds = rng.uniform(70, 130)
    time = f"{int(seconds // 60)}:{seconds % 60:06.3f}"
    return LapRecord(number=entry.number, team=entry.team, time=time, seconds=round(seconds, 3))


def _faster_than(record: LapRecord, lap_km: float, average_kmh: float) -> LapRecord:
    """The record, its time cut when it is slower than the average speed (which no race is)."""
    slowest = lap_km / average_kmh * 3600 * 0.98
    if record.seconds <= slowest:
        return record
    seconds = int(slowest * 1000) / 1000
    time = f"{int(seconds // 60)}:{seconds % 60:06.3f}"
    return record.model_copy(update={"time": time, "seconds": seconds})
