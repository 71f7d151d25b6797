"""Race-result documents -> `Race` models. Pure: text in, a model or a precise `SeedError` out."""

from __future__ import annotations

import logging
import math
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from pydantic import ValidationError

from bot.core.model import Entry, LapRecord, Race, Statistics, Status, rank_entries
from bot.core.names import clean_team, known_names, normalise_spaces, split_drivers
from bot.core.prose import read_prose

log = logging.getLogger(__name__)

RESULTS_SECTION: Final = "Official results"
STATISTICS_SECTION: Final = "Statistics"

# Column names as the documents write them -> the model's field, so columns may come in any order.
COLUMNS: Final = {
    "pos": "position",
    "class": "class",
    "no": "number",
    "no.": "number",
    "#": "number",
    "team": "team",
    "drivers": "drivers",
    "driver": "drivers",
    "chassis": "chassis",
    "tyre": "tyre",
    "tyres": "tyre",
    "tire": "tyre",
    "laps": "laps",
}
REQUIRED_COLUMNS: Final = ("position", "class", "number", "team", "drivers", "chassis", "laps")
NO_LAPS: Final = frozenset({"-", "—", "–"})
MAX_COUNT: Final = 10_000
"""The largest position or lap count a document may give."""
MAX_QUANTITY: Final = 1_000_000
"""The largest distance (km) or average speed (km/h) a document may give."""
MAX_FILE_BYTES: Final = 5 * 1024 * 1024
"""Documents larger than this are refused without being read."""

_TITLE = re.compile(r"^=\s*(?P<title>[^=].*?)\s*=$")
_SECTION = re.compile(r"^==\s*(?P<name>[^=].*?)\s*==$")
# Numbers are ASCII digits only: `\d` and str.isdigit() accept "²", "①" or "٣".
_POSITION = re.compile(r"^(?P<pos>[0-9]+)(?:\s+(?P<status>DNF|NC))?$")
_BARE_STATUS: Final = {"DNF": Status.DNF, "DNS": Status.DNS, "NC": Status.NC}
_STAT = re.compile(r"^[-*]\s*(?P<key>[A-Za-z][A-Za-z ]*?)\s+[-–:]\s+(?P<value>.+)$")
_LAP_RECORD = re.compile(r"^#(?P<number>[0-9A-Za-z]+) (?P<team>.+) [-–] (?P<time>[0-9:.]+)$")
# Bounded so a lap time is never zero by rounding nor too long for a float.
_LAP_TIME = re.compile(r"^(?:(?P<minutes>[0-9]{1,3}):)?(?P<seconds>[0-9]{1,2}(?:\.[0-9]{1,6})?)$")
_QUANTITY = re.compile(r"^(?P<value>[0-9]+(?:\.[0-9]+)?) ?(?P<unit>km/h|km)$")
_COUNT = re.compile(r"^[0-9]+$")


class SeedError(ValueError):
    """A document that cannot be parsed: names the file, the line and what is wrong."""

    def __init__(self, source: str, line: int | None, message: str) -> None:
        self.source = source
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class _Row:
    line: int
    cells: list[str]


@dataclass(slots=True)
class _Sections:
    """A document cut into its parts, each line kept with its 1-based number."""

    title: str
    prose: list[str] = field(default_factory=list)
    sections: dict[str, list[tuple[int, str]]] = field(default_factory=dict)


def parse_race(text: str, source: str = "<text>") -> Race:
    """Parse one document; raise `SeedError` naming the line at fault."""
    return _parse_document(text, source)[0]


def _parse_document(text: str, source: str) -> tuple[Race, tuple[str, ...]]:
    """The race, and each entry's driver cell as written (for the library-wide crew pass)."""
    doc = _split_sections(text.removeprefix("\ufeff"), source)
    results = doc.sections.get(RESULTS_SECTION.lower())
    if results is None:
        raise SeedError(source, None, f"no '=={RESULTS_SECTION}==' section")
    notes, rows = _table_rows(results)
    entries, crews = _parse_entries(rows, source)
    facts = read_prose(doc.title, "\n".join(doc.prose)).as_fields()
    winner = next((e for e in entries if e.position == 1), None)
    stats_lines = doc.sections.get(STATISTICS_SECTION.lower(), [])
    # A winner without laps (0 or "-") leaves the lap length, and so lap speeds, unknown.
    statistics = _parse_statistics(stats_lines, source, (winner.laps or None) if winner else None)
    try:
        race = Race(
            title=doc.title,
            prose=tuple(doc.prose),
            notes=notes,
            entries=entries,
            statistics=statistics,
            source=source,
            **facts,
        )
    except ValidationError as exc:  # pragma: no cover - the checks above should catch all
        raise SeedError(source, None, _describe(exc)) from exc
    return race, crews


def _split_sections(text: str, source: str) -> _Sections:
    # Collapsing white space first keeps every pattern below linear in the line's length.
    lines = [normalise_spaces(line) for line in text.splitlines()]
    first = next((i for i, line in enumerate(lines) if line), None)
    if first is None:
        raise SeedError(source, None, "the document is empty")
    match = _TITLE.match(lines[first])
    if match is None:
        raise SeedError(source, first + 1, "the document must start with a '= Title =' heading")
    doc = _Sections(title=normalise_spaces(match["title"]))
    current: list[tuple[int, str]] | None = None
    for number, line in enumerate(lines[first + 1 :], start=first + 2):
        heading = _SECTION.match(line)
        if heading:
            name = heading["name"].lower()
            if name in doc.sections:
                raise SeedError(source, number, f"section '{heading['name']}' appears twice")
            current = doc.sections[name] = []
        elif current is not None:
            if line:
                current.append((number, line))
        elif line:
            doc.prose.append(line)
    return doc


def _table_rows(lines: list[tuple[int, str]]) -> tuple[str | None, list[_Row]]:
    """The text above the table (the notes) and the table's rows."""
    notes = [text for _, text in lines if not text.startswith("|")]
    rows = [
        _Row(number, [cell.strip() for cell in text[1:].removesuffix("|").split("|")])
        for number, text in lines
        if text.startswith("|")
    ]
    return (" ".join(notes) or None), rows


def _parse_entries(rows: list[_Row], source: str) -> tuple[tuple[Entry, ...], tuple[str, ...]]:
    if not rows:
        raise SeedError(source, None, "the results table is missing")
    header = rows[0]
    columns = _map_columns(header, source)
    body = rows[1:]
    if body and body[0].cells and body[0].cells[0].lower() == "engine":
        body = body[1:]
    else:
        raise SeedError(source, header.line + 1, "expected the '| Engine |' header row")
    if not body:
        raise SeedError(source, header.line, "the results table has no entries")
    entries: list[Entry] = []
    crews: list[str] = []
    numbers: dict[str, int] = {}
    last_position = 0
    for main, engine in _pairs(body, source):
        if len(main.cells) != len(header.cells):
            raise SeedError(
                source,
                main.line,
                f"row has {len(main.cells)} cells, the header has {len(header.cells)}",
            )
        fields = _parse_entry(main, engine, columns, source)
        number, position = fields["number"], fields["position"]
        if number in numbers:
            raise SeedError(
                source, main.line, f"car #{number} already appears on line {numbers[number]}"
            )
        numbers[number] = main.line
        if position is not None:
            if position <= last_position:
                raise SeedError(
                    source, main.line, f"position {position} comes after position {last_position}"
                )
            last_position = position
        entries.append(_validated_entry(fields, source))
        crews.append(fields["crew"])
    return rank_entries(entries), tuple(crews)


def _validated_entry(fields: dict[str, Any], source: str) -> Entry:
    try:
        return Entry.model_validate({k: v for k, v in fields.items() if k != "crew"})
    except ValidationError as exc:
        raise SeedError(source, fields["line"], _describe(exc)) from exc


def _map_columns(header: _Row, source: str) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, name in enumerate(header.cells):
        key = COLUMNS.get(name.lower())
        if key is not None:
            columns[key] = index
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise SeedError(
            source, header.line, f"the results table has no {', '.join(missing)} column"
        )
    return columns


def _pairs(body: list[_Row], source: str) -> Iterable[tuple[_Row, _Row]]:
    """Each entry spans two rows: Pos…Laps, then the engine (perhaps blank) in the first cell."""
    for i in range(0, len(body), 2):
        main = body[i]
        if i + 1 >= len(body):
            raise SeedError(source, main.line, "entry has no engine row under it")
        engine = body[i + 1]
        if any(engine.cells[1:]):
            raise SeedError(
                source,
                engine.line,
                "expected an engine row (engine in the first cell, the others empty)",
            )
        yield main, engine


def _parse_entry(main: _Row, engine: _Row, columns: dict[str, int], source: str) -> dict[str, Any]:
    cell = {key: normalise_spaces(main.cells[index]) for key, index in columns.items()}
    position, status = _parse_position(cell["position"], source, main.line)
    for key in ("class", "number"):
        if not cell[key]:
            raise SeedError(source, main.line, f"the {key} cell is empty")
    return {
        "position": position,
        "status": status,
        "class_": cell["class"],
        "number": cell["number"].lstrip("#"),
        "team": clean_team(cell["team"]),
        "drivers": split_drivers(cell["drivers"]),
        "crew": cell["drivers"],
        "chassis": cell["chassis"] or None,
        "engine": normalise_spaces(engine.cells[0]) or None,
        "tyre": cell.get("tyre") or None,
        "laps": _parse_laps(cell["laps"], source, main.line),
        "line": main.line,
    }


def _parse_position(text: str, source: str, line: int) -> tuple[int | None, Status]:
    if text in _BARE_STATUS:
        return None, _BARE_STATUS[text]
    match = _POSITION.match(text)
    if match is None or not match["pos"].strip("0"):
        raise SeedError(
            source, line, f"position '{text}' is not a number, 'N DNF', 'DNF', 'DNS' or 'NC'"
        )
    status = Status(match["status"].lower()) if match["status"] else Status.CLASSIFIED
    return _count("position", match["pos"], source, line), status


def _parse_laps(text: str, source: str, line: int) -> int | None:
    if text in NO_LAPS:
        return None
    if not _COUNT.match(text):
        raise SeedError(source, line, f"laps '{text}' is not a number")
    return _count("laps", text, source, line)


def _count(what: str, digits: str, source: str, line: int) -> int:
    """ASCII digits as an int of at most MAX_COUNT, checked before int() sees a huge number."""
    significant = digits.lstrip("0")
    if len(significant) > len(str(MAX_COUNT)) or int(significant or "0") > MAX_COUNT:
        raise SeedError(source, line, f"{what} '{digits}' is over {MAX_COUNT:,}")
    return int(significant or "0")


def _parse_statistics(
    lines: list[tuple[int, str]], source: str, winner_laps: int | None
) -> Statistics:
    values: dict[str, object] = {"winner_laps": winner_laps}
    for number, text in lines:
        match = _STAT.match(text)
        if match is None:
            raise SeedError(source, number, f"statistics line '{text}' is not '- Name - value'")
        key, value = match["key"].lower(), match["value"].strip()
        if key in ("pole position", "pole"):
            values["pole"] = _lap_record(value, source, number)
        elif key == "fastest lap":
            values["fastest_lap"] = _lap_record(value, source, number)
        elif key == "distance":
            values["distance_km"] = _quantity(value, "km", source, number)
        elif key == "average speed":
            values["average_speed_kmh"] = _quantity(value, "km/h", source, number)
        else:  # other statistics are kept out of the model but must not break the load
            log.debug("%s:%d: ignoring statistic %r", source, number, match["key"])
    try:
        return Statistics.model_validate(values)
    except ValidationError as exc:
        raise SeedError(source, lines[0][0] if lines else None, _describe(exc)) from exc


def _lap_record(text: str, source: str, line: int) -> LapRecord:
    match = _LAP_RECORD.match(text)
    if match is None or not _LAP_TIME.match(match["time"]):
        raise SeedError(source, line, f"lap record '{text}' is not '#car Team - m:ss.sss'")
    seconds = lap_seconds(match["time"])
    if seconds <= 0:
        raise SeedError(source, line, f"lap time '{match['time']}' must be more than zero")
    return LapRecord(
        number=match["number"],
        team=clean_team(match["team"]),
        time=match["time"],
        seconds=seconds,
    )


def lap_seconds(time: str) -> float:
    """'1:23.085' -> 83.085."""
    minutes, _, seconds = time.rpartition(":")
    # Round away binary noise (83.08500000000001) so the value reads as it is written.
    return round(int(minutes or 0) * 60 + float(seconds), 6)


def _quantity(text: str, unit: str, source: str, line: int) -> float:
    match = _QUANTITY.match(text)
    if match is None or match["unit"] != unit:
        raise SeedError(source, line, f"'{text}' is not a number of {unit}")
    # float() of a long digit run is inf, never an error: check the magnitude ourselves.
    value = float(match["value"])
    if not math.isfinite(value) or value > MAX_QUANTITY:
        raise SeedError(source, line, f"'{text}' is over {MAX_QUANTITY:,} {unit}")
    if value < 0.001:
        raise SeedError(source, line, f"'{text}' must be at least 0.001 {unit}")
    return value


def _describe(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}" if where else str(first["msg"])


@dataclass(frozen=True, slots=True)
class LoadReport:
    """Every race that loaded from a folder, and an error for each document that did not."""

    races: tuple[Race, ...]
    errors: tuple[SeedError, ...]


def load_race(path: Path) -> Race:
    """Read and parse one document file; any failure is a `SeedError` naming the file."""
    return _load_document(path)[0]


def load_folder(folder: Path) -> LoadReport:
    """Parse every `*.txt` document in a folder, keeping the good ones and reporting the bad.

    Plain and synchronous, sharing no state: safe to run in a worker thread
    (`await asyncio.to_thread(load_folder, folder)`) so a bot's event loop never waits on it.
    """
    if not folder.is_dir():
        error = SeedError(str(folder), None, "no such folder of race documents")
        return LoadReport((), (error,))
    parsed: list[tuple[Race, tuple[str, ...]]] = []
    errors: list[SeedError] = []
    for path in sorted(folder.glob("*.txt")):
        try:
            parsed.append(_load_document(path))
        except SeedError as exc:
            # INFO, not WARNING: callers report the errors; a CLI must not print them twice.
            log.info("skipping %s", exc)
            errors.append(exc)
    return LoadReport(_with_library_crews(parsed), tuple(errors))


def _with_library_crews(parsed: list[tuple[Race, tuple[str, ...]]]) -> tuple[Race, ...]:
    """Re-cut long crews with the names written unambiguously anywhere in the library."""
    known = known_names(cell for _, crews in parsed for cell in crews)
    races = []
    for race, crews in parsed:
        entries = tuple(
            entry
            if (drivers := split_drivers(cell, known)) == entry.drivers
            else entry.model_copy(update={"drivers": drivers})
            for entry, cell in zip(race.entries, crews, strict=True)
        )
        races.append(
            race if entries == race.entries else race.model_copy(update={"entries": entries})
        )
    return tuple(races)


def _load_document(path: Path) -> tuple[Race, tuple[str, ...]]:
    """Any exception while reading one document becomes a `SeedError` naming it."""
    try:
        return _parse_document(_read_text(path), path.name)
    except SeedError:
        raise
    except RecursionError as exc:  # pragma: no cover - no parser step recurses
        raise SeedError(path.name, None, "the document is nested too deeply") from exc
    except Exception as exc:  # one bad document must never stop the others
        log.exception("unexpected failure reading %s", path.name)
        raise SeedError(path.name, None, f"cannot be read ({type(exc).__name__}: {exc})") from exc


def _read_text(path: Path) -> str:
    """The file's text; FIFOs, devices, folders and oversized files are refused unread."""
    try:
        # Non-blocking, so opening a FIFO with no writer returns at once; fstat then refuses it.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise SeedError(path.name, None, f"cannot read the file ({exc.strerror})") from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise SeedError(path.name, None, "is not a regular file")
        if info.st_size > MAX_FILE_BYTES:
            raise SeedError(path.name, None, f"is over {MAX_FILE_BYTES // 2**20} MB")
        with os.fdopen(os.dup(fd), "rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_BYTES:  # it grew after the check
        raise SeedError(path.name, None, f"is over {MAX_FILE_BYTES // 2**20} MB")
    try:
        # utf-8-sig: a byte-order mark, as Windows Notepad writes, is not part of the title.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SeedError(path.name, line, "the file is not valid UTF-8") from exc
