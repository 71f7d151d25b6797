"""Races as compact records, and back: the form the store keeps each document's race in.

A record is the race as plain values in JSON, compressed with zlib (a quarter of its size: a
large library keeps every race's record in memory and makes the race only when a question
needs it). It holds what the parser validated, so rebuilding a race skips validation:
entries are made directly (about 30 times faster than `model_validate`), their repeated strings
(teams, classes, chassis, drivers) are interned and crews shared. Beside each record, a view
(`view`) holds what building a library needs, so a library is built without reading any record.
A record that does not have the expected shape raises `ValueError`; the loader then parses
the document again from its bytes, which the store keeps.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import operator
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final, NamedTuple

import orjson

from bot.core.documents.model import (
    ENTRY_FIELD_SET,
    CarNames,
    Entry,
    LapRecord,
    Race,
    RaceSummary,
    Statistics,
    Status,
    car_names,
    constructed,
    summarise,
)
from bot.core.documents.names import crew_facts

FORMAT: Final = 6
"""Bumped whenever the record layout changes; older records are not read."""


def _parser_version() -> str:
    """The record format and a hash of the code a parse depends on: new code, new parses."""
    digest = hashlib.blake2b(digest_size=12)
    # Every module of the documents package (the parser is split over several, and a module
    # added to it later must count too). Hashing a few more than needed costs a re-parse, never
    # a stale one.
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return f"{FORMAT}:{digest.hexdigest()}"


_ENTRY_FIELDS: Final = tuple(Entry.model_fields)
_entry_values: Final = operator.itemgetter(*_ENTRY_FIELDS)
_STATUS_AT: Final = _ENTRY_FIELDS.index("status")
_STATUS: Final = {status.value: status for status in Status}
_SUMMARY_FIELDS: Final = tuple(RaceSummary.model_fields)
_SUMMARY_FIELDS_SET: Final = set(_SUMMARY_FIELDS)
PARSER_VERSION: Final = _parser_version()
"""Cached parses made by other code (another version of racebot) are dropped."""
_new = object.__new__
_set = object.__setattr__


def encode(race: Race, crews: tuple[str, ...]) -> bytes:
    """A parsed race and its driver cells as written, as one compressed record."""
    stats = race.statistics
    record = [
        FORMAT,
        race.title,
        [race.series, race.round, race.date.isoformat() if race.date else None],
        [race.circuit, race.location],
        list(race.prose),
        race.notes,
        race.source,
        [_lap(stats.pole), _lap(stats.fastest_lap)],
        [
            stats.distance_km,
            stats.average_speed_kmh,
            stats.winner_laps,
            stats.distance_written,
            stats.average_speed_written,
        ],
        sorted(stats.model_fields_set),
        [_row(entry) for entry in race.entries],
        list(crews),
    ]
    return write(record)


Record = list[Any]
"""A record read back: the list `encode` wrote."""
_ROWS: Final = 10
_CREWS: Final = 11
_DRIVERS: Final = 5


def _row(entry: Entry) -> list[Any]:
    """An entry's values in field order, its status as its plain value."""
    row = list(_entry_values(entry.__dict__))
    row[_STATUS_AT] = row[_STATUS_AT].value
    return row


def write(record: Record) -> bytes:
    """A record as stored: JSON, compressed."""
    return _compressed(orjson.dumps(record))


def read(data: bytes) -> Record:
    """A stored record as its list; `ValueError` if it is not one of this format."""
    try:
        record = orjson.loads(_decompressed(data, "record"))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"not a race record ({type(exc).__name__})") from exc
    if not isinstance(record, list) or len(record) != 12 or record[0] != FORMAT:
        raise ValueError("not a race record of this format")
    return record


def check(data: bytes) -> None:
    """`ValueError` unless the stored record is whole (its compression's checksum holds)."""
    _decompressed(data, "record")


def _compressed(data: bytes) -> bytes:
    """zlib's fastest level: its checksum finds a damaged record."""
    return zlib.compress(data, 1)


def _decompressed(data: bytes, what: str) -> bytes:
    """What `_compressed` compressed; `ValueError` if it is not that, or damaged."""
    try:
        return zlib.decompress(data)
    except (zlib.error, TypeError, ValueError) as exc:
        raise ValueError(f"not a race {what} ({type(exc).__name__})") from exc


def view(race: Race, crews: tuple[str, ...]) -> bytes:
    """What the library is built from, kept beside the record so that building a library reads
    no record: the race's summary, its driver cells as written, each car's names, and the facts
    about its crews that other documents may need (`names.crew_facts`: the names it writes
    unambiguously, and its long cells, which names written elsewhere may cut differently)."""
    cars = [car_names(entry) for entry in race.entries]
    known, long = crew_facts(crews)
    facts = (sorted(known), sorted(long))
    return _compressed(orjson.dumps((summary_row(summarise(race)), list(crews), cars, facts)))


class View(NamedTuple):
    """A view read back."""

    summary: RaceSummary
    crews: list[str]
    cars: list[CarNames]
    known: frozenset[str]
    long: list[str]


def read_view(data: bytes) -> View:
    """A view's summary, cells, cars and crew facts; `ValueError` if it is not one, or damaged."""
    try:
        row, crews, cars, (known, long) = orjson.loads(_decompressed(data, "view"))
        if len(crews) != len(cars) or not all(len(car) == 5 for car in cars):
            raise ValueError("crews do not match the cars")
        named = [(n, t, tuple(d), c, e) for n, t, d, c, e in cars]
        return View(summary_from_row(row), list(crews), named, frozenset(known), list(long))
    except (TypeError, ValueError, OverflowError, IndexError) as exc:
        raise ValueError(f"not a race view ({type(exc).__name__})") from exc


def with_crews(data: bytes, changed: Mapping[int, Sequence[str]]) -> bytes:
    """A stored record with some cars' drivers replaced (crews cut with other documents' names)."""
    record = read(data)
    rows = record[_ROWS]
    for index, names in changed.items():
        rows[index][_DRIVERS] = list(names)
    return write(record)


def summary_row(summary: RaceSummary) -> tuple[Any, ...]:
    """A summary as plain values (its date as an ordinal)."""
    date = summary.date.toordinal() if summary.date else None
    return (
        summary.title,
        summary.series,
        summary.round,
        date,
        summary.circuit,
        summary.location,
        summary.source,
        summary.classes,
        summary.class_cars,
        summary.cars,
    )


def summary_from_row(row: tuple[Any, ...]) -> RaceSummary:
    """The summary `summary_row` gave as plain values (made directly, as entries are: 10,000
    of them are read back at every start)."""
    title, series, round_, date, circuit, location, source, classes, class_cars, cars = row
    day = dt.date.fromordinal(date) if date is not None else None
    values = (
        title,
        series,
        round_,
        day,
        circuit,
        location,
        source,
        tuple(classes),
        tuple(class_cars),
        cars,
    )
    return constructed(
        RaceSummary, dict(zip(_SUMMARY_FIELDS, values, strict=True)), _SUMMARY_FIELDS_SET
    )


def entry_of(data: bytes, index: int, interner: Interner) -> Entry:
    """One entry of a stored record, without making the race."""
    try:
        return entry(read(data)[_ROWS][index], interner)
    except (TypeError, KeyError, IndexError, AttributeError) as exc:
        raise ValueError(f"not a race record ({type(exc).__name__})") from exc


def same_race(stored: bytes, other: bytes) -> bool:
    """Whether two stored records hold the same race (their driver cells as written aside)."""
    return read(stored)[:_CREWS] == read(other)[:_CREWS]


def _lap(record: LapRecord | None) -> list[object] | None:
    return None if record is None else [record.number, record.team, record.time, record.seconds]


class _Table(dict[Any, Any]):
    """Each key maps to itself, stored on first look-up: the look-up stays in C when found."""

    def __missing__(self, key: Any) -> Any:
        self[key] = key
        return key


class Interner:
    """One copy of each repeated string and crew across a library."""

    def __init__(self) -> None:
        self._crews: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.text: Callable[[Any], Any] = _Table().__getitem__  # None maps to None too

    def crew(self, names: Iterable[str]) -> tuple[str, ...]:
        """The shared tuple of a crew."""
        crew = tuple(map(self.text, names))
        return self._crews.setdefault(crew, crew)

    def cars(self, cars: Iterable[Sequence[Any]]) -> list[CarNames]:
        """Cars' names (as a view holds them) with shared strings and crews."""
        text, crews = self.text, self._crews
        shared: list[CarNames] = []
        for number, team, drivers, chassis, engine in cars:  # one loop: 360,000 cars at 10,000
            crew = tuple(map(text, drivers))
            crew = crews.setdefault(crew, crew)
            shared.append((text(number), text(team), crew, text(chassis), text(engine)))
        return shared


def decode(data: bytes, interner: Interner) -> tuple[Race, tuple[str, ...]]:
    """The race and driver cells a stored record holds; `ValueError` if it is not a record."""
    record = read(data)
    try:
        return _decode(record, interner)
    except (TypeError, KeyError, IndexError, AttributeError, ValueError) as exc:
        raise ValueError(f"not a race record ({type(exc).__name__})") from exc


def _decode(record: list[Any], interner: Interner) -> tuple[Race, tuple[str, ...]]:
    (version, title, (series, round_, date), (circuit, location), prose, notes, source) = record[:7]
    if version != FORMAT:
        raise ValueError("another record format")
    (pole, fastest), figures, stats_set, rows, crews = record[7:]
    distance, speed, winner_laps, distance_written, speed_written = figures
    stats = {
        "pole": _lap_record(pole),
        "fastest_lap": _lap_record(fastest),
        "distance_km": distance,
        "average_speed_kmh": speed,
        "winner_laps": winner_laps,
        "distance_written": distance_written,
        "average_speed_written": speed_written,
    }
    statistics = Statistics.model_construct(set(stats_set), **stats)
    race = Race.model_construct(
        title=title,
        series=interner.text(series),
        round=round_,
        date=dt.date.fromisoformat(date) if date else None,
        circuit=interner.text(circuit),
        location=interner.text(location),
        prose=tuple(prose),
        notes=notes,
        entries=tuple(entry(row, interner) for row in rows),
        statistics=statistics,
        source=source,
    )
    if len(crews) != len(race.entries):
        raise ValueError("crews do not match the entries")
    return race, tuple(crews)


def _lap_record(values: list[Any] | None) -> LapRecord | None:
    if values is None:
        return None
    number, team, time, seconds = values
    return LapRecord.model_construct(number=number, team=team, time=time, seconds=seconds)


def _shared_keys_dict() -> dict[str, Any]:
    """An entry's field dictionary whose keys live once in the class (a split table).

    Made through attribute setting, which gives a key-sharing dict; its copies share the keys
    too, so each entry stores only its values (about 250 bytes less per entry).
    """
    made = _new(Entry)
    for name in _ENTRY_FIELDS:
        _set(made, name, None)
    return made.__dict__


_TEMPLATE: Final = _shared_keys_dict()


def entry(row: list[Any], interner: Interner) -> Entry:
    """An entry from a record's row of already validated values, without validating again."""
    (position, status, class_, number, team, drivers, chassis, engine, tyre, laps) = row[:10]
    text = interner.text
    values = _TEMPLATE.copy()
    values.update(
        zip(
            _ENTRY_FIELDS,
            (
                position,
                _STATUS[status],
                text(class_),
                text(number),
                text(team),
                interner.crew(drivers),
                text(chassis),
                text(engine),
                text(tyre),
                laps,
                *row[10:],
            ),
            strict=True,
        )
    )
    return constructed(Entry, values, ENTRY_FIELD_SET)
