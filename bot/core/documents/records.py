"""Races as compact records, and back: the form the store keeps each document's race in.

A record is the race as plain values in JSON, its cars' rows apart from the rest, which is
compressed with zlib (a large library keeps every race's record in memory and makes the race
only when a question needs it; a question that needs one car of many races, as a driver's answer
does, reads each car's row alone: see `_HEADER`). It holds what the parser validated, so
rebuilding a race skips validation: entries are made directly (about 30 times faster than
`model_validate`), their repeated strings (teams, classes, chassis, drivers) interned. Beside
each record, a view (`view`) holds what building a library needs, so a library is built without
reading any record. A record that does not have the expected shape, or is damaged, raises
`ValueError`; the loader then parses the document again from its bytes, which the store keeps.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import operator
import struct
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
    constructed_all,
    summarise,
)
from bot.core.documents.names import crew_facts

FORMAT: Final = 7
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
_STATUSES: Final = tuple(Status)
"""Statuses by their code in a row (the order of `Status`: a change to it is a change to the
documents package, whose records are then all made again)."""
_STATUS_CODES: Final = {status.value: code for code, status in enumerate(_STATUSES)}
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


Stored = bytes | memoryview
"""A stored record: its bytes, or a view of the library snapshot's bytes (read in place: the
records of 10,000 races are not copied out of it at start)."""
Record = list[Any]
"""A record read back: the list `encode` wrote."""
_ROWS: Final = 10
_CREWS: Final = 11
_DRIVERS: Final = 5
_STATUS_AT_ROW: Final = 1
_SHARED: Final = (6, 7)
"""The long row values a race repeats from car to car (chassis, engine): kept once per record,
in its table, and named in each row by their place there."""

# A stored record, laid out so that one car is read without the rest of its race (a driver's
# answer reads one car from each of a hundred races: a few us a car, not the ~57 us of
# decompressing and parsing a whole race):
#   header   `_HEADER`: the format; a CRC-32 of the rest of the header and the table; a CRC-32
#            of the rows; the cars; the width of an offset (2 or 4 bytes); the table's and the
#            rows' lengths;
#   index    where car 0's row starts, then for each car its sum, where its chassis and its
#            engine are in the table, and where its row and comma end (offsets in the record):
#            car k's start (the end before it) and entry are one read at `_INDEX_AT` + k *
#            `_step(width)` (`_CAR_AT`), its row is record[start : end - 1];
#   table    a JSON list of the values in `_SHARED`, each once;
#   rows     a JSON list of the cars' rows, their `_SHARED` values as places in the table,
#            their status as its code (`_STATUSES`);
#   rest     the rest of the race, JSON compressed with zlib (whose checksum finds damage); a
#            crew written as its drivers joined by spaces, as most are, is kept as null.
# Rows are not compressed: a car alone would need all the rows before it decompressed. A car
# read alone reads its header, its index entry, its row and its two values in the table, and
# nothing else of its race: no table parsed nor check made once per race and kept (those were
# a third of a driver's answer, at each race's first read). Its sum is the CRC-32 of its row
# and then its two values, so it is checked alone: a damaged header, index, value or row fails
# it (the index has a fixed place, so a damaged count or width moves every row); the header's
# check covers the header and table, for a whole read.
_HEADER: Final = struct.Struct("<BIIHBII")
_CRC_FROM: Final = 5
_INDEX_AT: Final = _HEADER.size
_OFFSETS: Final = {2: "H", 4: "I"}
_CAR_AT: Final = {width: struct.Struct(f"<{code}I{code * 5}") for width, code in _OFFSETS.items()}
"""By offset width: a car's start (the end of the entry before), sum, its chassis's and its
engine's starts and ends, and its end."""
_CARS_AT: Final = struct.Struct("<B8xHB")
"""A header's format, cars and offset width."""


def _step(width: int) -> int:
    """An index entry's bytes, by offset width (its start is the previous entry's end)."""
    return 4 + 5 * width


_ENTRIES: Final = {width: (entry.unpack_from, _step(width)) for width, entry in _CAR_AT.items()}
"""By offset width: what reads a car's index entry, and the entries' step."""
_NARROW: Final = 2
_HEADS_AND_ENTRIES: Final = tuple(
    struct.Struct(
        f"{_CARS_AT.format}{_INDEX_AT - _CARS_AT.size + _step(_NARROW) * index}x"
        f"{_CAR_AT[_NARROW].format.lstrip('<')}"
    ).unpack_from
    for index in range(256)
)
"""By car: its record's header (`_CARS_AT`) and, if the offsets are 2 bytes wide (any record
under 64 kB), its index entry, in one read (a driver's answer reads a car from each of
hundreds of records; a wider record's entry is read again at its own place)."""


def _row(entry: Entry) -> list[Any]:
    """An entry's values in field order, its status as its plain value."""
    row = list(_entry_values(entry.__dict__))
    row[_STATUS_AT] = row[_STATUS_AT].value
    return row


def write(record: Record) -> bytes:
    """A record as stored (see `_HEADER`)."""
    rest = list(record)
    rows, crews = rest[_ROWS], rest[_CREWS]
    rest[_ROWS] = None
    rest[_CREWS] = [
        None if cell == " ".join(row[_DRIVERS]) else cell
        for cell, row in zip(crews, rows, strict=True)
    ]
    table: dict[Any, int] = {}
    placed: list[bytes] = []
    places: list[tuple[int, int]] = []  # each row's chassis and engine, by place in the table
    chassis_at, engine_at = _SHARED
    codes, dumps = _STATUS_CODES, orjson.dumps
    for row in rows:  # one loop, no call made per row but the JSON's: 360,000 at 10,000 races
        row = list(row)
        row[_STATUS_AT_ROW] = codes[row[_STATUS_AT_ROW]]
        chassis = row[chassis_at] = table.setdefault(row[chassis_at], len(table))
        engine = row[engine_at] = table.setdefault(row[engine_at], len(table))
        places.append((chassis, engine))
        placed.append(dumps(row))
    joined = b"[" + b",".join(placed) + b"]"
    values = list(map(orjson.dumps, table))
    table_bytes = b"[" + b",".join(values) + b"]"
    cars = len(placed)
    index_length = {width: width + _step(width) * cars for width in _OFFSETS}
    width = 2 if _INDEX_AT + index_length[2] + len(table_bytes) + len(joined) <= 0xFFFF else 4
    # Offsets in the record: the table after the header and index, the rows after it.
    table_at = _INDEX_AT + index_length[width]
    spans, at = [], table_at + 1  # each value's start and end
    for value in values:
        spans.append((at, at + len(value)))
        at += len(value) + 1
    end = table_at + len(table_bytes) + 1
    index = [end]
    crc32 = zlib.crc32
    for row_bytes, (chassis, engine) in zip(placed, places, strict=True):
        end += len(row_bytes) + 1
        checksum = crc32(values[engine], crc32(values[chassis], crc32(row_bytes)))
        index += (checksum, *spans[chassis], *spans[engine], end)
    code = _OFFSETS[width]
    head = _HEADER.pack(FORMAT, 0, zlib.crc32(joined), cars, width, len(table_bytes), len(joined))
    header_sum = zlib.crc32(table_bytes, zlib.crc32(memoryview(head)[_CRC_FROM:]))
    return b"".join(
        (
            head[:1],
            struct.pack("<I", header_sum),
            head[_CRC_FROM:],
            struct.pack(f"<{code}{f'I{code * 5}' * cars}", *index),
            table_bytes,
            joined,
            _compressed(orjson.dumps(rest)),
        )
    )


def _layout(data: Stored) -> tuple[int, int, int, int, int]:
    """A record's cars, offset width, and where its table, rows and rest start, its header and
    table checked; `ValueError` if either is damaged (the index and rows are checked apart)."""
    version, checksum, _, cars, width, table_length, rows_length = _HEADER.unpack_from(data)
    table_at = _INDEX_AT + width + _step(width) * cars
    rows_at = table_at + table_length
    head = data[_CRC_FROM:_INDEX_AT]
    if version != FORMAT or zlib.crc32(data[table_at:rows_at], zlib.crc32(head)) != checksum:
        raise ValueError("not a race record of this format, or damaged")
    return cars, width, table_at, rows_at, rows_at + rows_length


def _parts(data: Stored) -> tuple[list[Any], list[list[Any]], int]:
    """A record's table, rows (their shared values as places in the table) and where the rest
    of the race starts; `ValueError` if damaged."""
    cars, _, table_at, rows_at, rest_at = _layout(data)
    rows_bytes = data[rows_at:rest_at]
    if zlib.crc32(rows_bytes) != _HEADER.unpack_from(data)[2]:
        raise ValueError("damaged rows")
    table = orjson.loads(data[table_at:rows_at])
    rows = orjson.loads(rows_bytes)
    if not isinstance(table, list) or not isinstance(rows, list) or len(rows) != cars:
        raise ValueError("the rows do not fit the record")
    return table, rows, rest_at


def read(data: Stored) -> Record:
    """A stored record as its list; `ValueError` if it is not one of this format, or damaged."""
    try:
        table, rows, at = _parts(data)
        record = orjson.loads(_decompressed(data[at:], "record"))
        if not isinstance(record, list) or len(record) != 12 or record[0] != FORMAT:
            raise ValueError("not a race record of this format")
        for row in rows:
            row[_STATUS_AT_ROW] = _STATUSES[row[_STATUS_AT_ROW]].value
            for place in _SHARED:
                row[place] = table[row[place]]
        record[_ROWS] = rows
        record[_CREWS] = [
            " ".join(row[_DRIVERS]) if cell is None else cell
            for cell, row in zip(record[_CREWS], rows, strict=True)
        ]
    except (TypeError, ValueError, IndexError, struct.error) as exc:
        raise ValueError(f"not a race record ({type(exc).__name__})") from exc
    return record


def check(data: Stored) -> None:
    """`ValueError` unless the stored record is whole (its checksums hold)."""
    read(data)


def _compressed(data: bytes) -> bytes:
    """zlib's fastest level: its checksum finds a damaged record."""
    return zlib.compress(data, 1)


def _decompressed(data: Stored, what: str) -> bytes:
    """What `_compressed` compressed; `ValueError` if it is not that, or damaged."""
    try:
        return zlib.decompress(data)
    except (zlib.error, TypeError, ValueError) as exc:
        raise ValueError(f"not a race {what} ({type(exc).__name__})") from exc


def view(race: Race, crews: tuple[str, ...], summary: RaceSummary | None = None) -> bytes:
    """What the library is built from, kept beside the record so that building a library reads
    no record: the race's summary (`summarise(race)`, unless the caller has it), its driver
    cells as written, each car's names, and the facts about its crews that other documents may
    need (`names.crew_facts`: the names it writes unambiguously, and its long cells, which names
    written elsewhere may cut differently)."""
    return shaped_view(race, crews, summary, shaped=False)[0]


def shaped_view(
    race: Race, crews: tuple[str, ...], summary: RaceSummary | None = None, *, shaped: bool = True
) -> tuple[bytes, bytes | None]:
    """`view`, and (`shaped`) the `shape` of the view it is."""
    cars = [car_names(entry) for entry in race.entries]
    known, long = crew_facts(crews)
    facts = (sorted(known), sorted(long))
    row = summary_row(summarise(race) if summary is None else summary)
    data = orjson.dumps((row, list(crews), cars, facts))
    # Not compressed: a first start makes and reads every document's view on the way to its
    # first answer (compressing took 60 us of a view's 160, decompressing 26 of 84), and the
    # library keeps none of them in memory. Its CRC-32 finds a damaged one.
    made = _VIEW_SUM.pack(zlib.crc32(data)) + data
    return made, shape(cars, facts[0]) if shaped else None


def shape(cars: Iterable[CarNames], known: Iterable[str]) -> bytes:
    """A race's cars (in any order) and the names it writes alone, as two short digests (the
    cars' first, `SHAPE_CARS` bytes): what a change must keep to be patched in."""
    # Each car as JSON (no JSON holds a newline, so the joined lines part unambiguously): a
    # quarter of the time of repr, for every race of each full build.
    joined = b"\n".join(sorted(map(orjson.dumps, cars)))
    names = orjson.dumps(sorted(known))
    digest = hashlib.blake2b
    return digest(joined, digest_size=SHAPE_CARS).digest() + digest(names, digest_size=16).digest()


SHAPE_CARS: Final = 16


_VIEW_SUM: Final = struct.Struct("<I")


class View(NamedTuple):
    """A view read back."""

    summary: RaceSummary
    crews: list[str]
    cars: list[CarNames]
    known: frozenset[str]
    long: list[str]
    shape: bytes | None = None
    """Its `shape`, when the parse worker that made it sent it along (a first start's)."""


def read_view(data: bytes) -> View:
    """A view's summary, cells, cars and crew facts; `ValueError` if it is not one, or damaged."""
    try:
        body = memoryview(data)[_VIEW_SUM.size :]
        if len(data) < _VIEW_SUM.size or zlib.crc32(body) != _VIEW_SUM.unpack_from(data)[0]:
            raise ValueError("damaged")
        row, crews, cars, (known, long) = orjson.loads(body)
        if len(crews) != len(cars) or not all(len(car) == 5 for car in cars):
            raise ValueError("crews do not match the cars")
        named = [(n, t, tuple(d), c, e) for n, t, d, c, e in cars]
        return View(summary_from_row(row), list(crews), named, frozenset(known), list(long))
    except (TypeError, ValueError, OverflowError, IndexError) as exc:
        raise ValueError(f"not a race view ({type(exc).__name__})") from exc


def with_crews(data: Stored, changed: Mapping[int, Sequence[str]]) -> bytes:
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


def cars(wanted: Iterable[tuple[Stored, int]]) -> list[Entry]:
    """Cars of stored records, each (record, car): `cars_of` them."""
    pairs = list(wanted)
    return cars_of([data for data, _ in pairs], [(at, car) for at, (_, car) in enumerate(pairs)])


def cars_of(stored: Sequence[Stored], wanted: Iterable[tuple[int, int]]) -> list[Entry]:
    """Cars of stored records, each (record's place in `stored`, car) read from its own row and
    values alone (its race is not made, nor its other rows or its table read), all parsed as
    one JSON list (a driver's answer reads a car from each of hundreds of races). `ValueError`
    if damaged.

    As `entry` makes them, but their strings not interned and each entry's fields in a
    dictionary of its own (half the time; a car read alone lives only as long as its answer),
    made in one loop here, not a call each (hundreds: a third of a driver's answer)."""
    crc32, statuses, header, entries = zlib.crc32, _STATUSES, _CARS_AT.unpack_from, _ENTRIES
    both, narrow, read_both = len(_HEADS_AND_ENTRIES), _NARROW, _HEADS_AND_ENTRIES
    try:
        found: list[Stored] = []
        keep = found.append
        for record, index in wanted:
            data = stored[record]
            if 0 <= index < both:  # read as if narrow: the width read says whether it was
                (
                    version,
                    count,
                    width,
                    start,
                    checksum,
                    chassis_at,
                    chassis_end,
                    engine_at,
                    engine_end,
                    end,
                ) = read_both[index](data)
            else:
                width = 0
            if width != narrow:
                version, count, width = header(data)
                entry_at, step = entries[width]
                start, checksum, chassis_at, chassis_end, engine_at, engine_end, end = entry_at(
                    data, _INDEX_AT + step * index
                )
            if version != FORMAT or not 0 <= index < count:
                raise IndexError("not a car of a record of this format")
            keep(row := data[start : end - 1])
            keep(chassis := data[chassis_at:chassis_end])
            keep(engine := data[engine_at:engine_end])
            if crc32(engine, crc32(chassis, crc32(row))) != checksum:
                raise ValueError("a damaged row")
        parsed = iter(orjson.loads(b"[" + b",".join(found) + b"]"))
        fields = [
            {
                "position": position,
                "status": statuses[status],
                "class_": class_,
                "number": number,
                "team": team,
                "drivers": tuple(drivers),
                "chassis": chassis,
                "engine": engine,
                "tyre": tyre,
                "laps": laps,
                "class_position": class_position,
                "laps_behind_leader": laps_behind_leader,
                "laps_behind_class_winner": laps_behind_class_winner,
                "reached_classified_distance": reached_classified_distance,
                "line": line,
            }
            for (
                (
                    position,
                    status,
                    class_,
                    number,
                    team,
                    drivers,
                    _,
                    _,
                    tyre,
                    laps,
                    class_position,
                    laps_behind_leader,
                    laps_behind_class_winner,
                    reached_classified_distance,
                    line,
                ),
                chassis,
                engine,
            ) in zip(parsed, parsed, parsed, strict=True)
        ]
    except (TypeError, KeyError, IndexError, AttributeError, struct.error) as exc:
        raise ValueError(f"not a race record ({type(exc).__name__})") from exc
    except ValueError as exc:  # orjson's JSONDecodeError too
        raise ValueError(f"not a race record ({exc})") from exc
    return constructed_all(Entry, fields, ENTRY_FIELD_SET)


def same_race(stored: Stored, other: Stored) -> bool:
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
    """One copy of each repeated string across a library (and of each crew, in `Interner.cars`)."""

    def __init__(self) -> None:
        self._crews: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.text: Callable[[Any], Any] = _Table().__getitem__  # None maps to None too

    def crew(self, names: Iterable[str]) -> tuple[str, ...]:
        """A crew of shared strings, in a tuple of its own: a table of every crew of every race
        made would only grow (200,000 crews after a few thousand questions), and each crew new
        to it makes the collector walk the whole table again (10 ms, in a question)."""
        return tuple(map(self.text, names))

    def cars(self, cars: Iterable[Sequence[Any]]) -> list[CarNames]:
        """Cars' names (as a view holds them) with shared strings and crews."""
        text, crews = self.text, self._crews
        shared: list[CarNames] = []
        for number, team, drivers, chassis, engine in cars:  # one loop: 360,000 cars at 10,000
            crew = tuple(map(text, drivers))
            crew = crews.setdefault(crew, crew)
            shared.append((text(number), text(team), crew, text(chassis), text(engine)))
        return shared


def decode(data: Stored, interner: Interner) -> tuple[Race, tuple[str, ...]]:
    """The race and driver cells a stored record holds; `ValueError` if it is not a record."""
    try:
        table, rows, at = _parts(data)
        rest = orjson.loads(_decompressed(data[at:], "record"))
        if not isinstance(rest, list) or len(rest) != 12 or rest[0] != FORMAT:
            raise ValueError("not a race record of this format")
        return _decode(rest, tuple(entry(row, table, interner) for row in rows), interner)
    except (TypeError, KeyError, IndexError, AttributeError, ValueError, struct.error) as exc:
        raise ValueError(f"not a race record ({type(exc).__name__})") from exc


def _decode(
    record: list[Any], entries: tuple[Entry, ...], interner: Interner
) -> tuple[Race, tuple[str, ...]]:
    """The race of a record's rest (its rows aside) and its entries."""
    (_, title, (series, round_, date), (circuit, location), prose, notes, source) = record[:7]
    (pole, fastest), figures, stats_set, _, cells = record[7:]
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
        entries=entries,
        statistics=statistics,
        source=source,
    )
    if len(cells) != len(entries):
        raise ValueError("crews do not match the entries")
    crews = tuple(
        " ".join(car.drivers) if cell is None else cell
        for cell, car in zip(cells, entries, strict=True)
    )
    return race, crews


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


def entry(row: list[Any], table: list[Any], interner: Interner) -> Entry:
    """An entry from a record's row of already validated values (its shared values as places in
    the record's table, whose last item is None), without validating again."""
    (position, status, class_, number, team, drivers, chassis, engine, tyre, laps) = row[:10]
    text = interner.text
    values = _TEMPLATE.copy()
    values.update(
        zip(
            _ENTRY_FIELDS,
            (
                position,
                _STATUSES[status],
                text(class_),
                text(number),
                text(team),
                interner.crew(drivers),
                text(table[chassis]),
                text(table[engine]),
                text(tyre),
                laps,
                *row[10:],
            ),
            strict=True,
        )
    )
    return constructed(Entry, values, ENTRY_FIELD_SET)
