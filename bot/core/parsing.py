"""Race-result documents -> `Race` models. Pure: text in, a model or a precise `SeedError` out."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from pydantic import ValidationError

from bot.core.model import CLASSIFIED_SHARE, Entry, LapRecord, Race, Statistics, Status
from bot.core.names import clean_team, normalise_spaces, split_drivers
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
ORDINALS: Final = {
    word: n
    for n, word in enumerate(
        """first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth
        thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth
        """.split(),
        start=1,
    )
}
NO_LAPS: Final = frozenset({"-", "—", "–"})

_TITLE = re.compile(r"^=\s*(?P<title>[^=].*?)\s*=$")
_SECTION = re.compile(r"^==\s*(?P<name>[^=].*?)\s*==$")
_POSITION = re.compile(r"^(?P<pos>\d+)(?:\s+(?P<status>DNF|NC))?$")
_BARE_STATUS: Final = {"DNF": Status.DNF, "DNS": Status.DNS, "NC": Status.NC}
_STAT = re.compile(r"^[-*]\s*(?P<key>[A-Za-z][A-Za-z ]*?)\s+[-–:]\s+(?P<value>.+)$")
_LAP_RECORD = re.compile(
    r"^#(?P<number>[0-9A-Za-z]+)\s+(?P<team>.+?)\s+[-–]\s+(?P<time>(?:\d+:)?\d{1,2}(?:\.\d+)?)$"
)
_QUANTITY = re.compile(r"^(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>km/h|km)$")


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
    doc = _split_sections(text, source)
    results = doc.sections.get(RESULTS_SECTION.lower())
    if results is None:
        raise SeedError(source, None, f"no '=={RESULTS_SECTION}==' section")
    notes, rows = _table_rows(results)
    entries = _parse_entries(rows, source)
    facts = read_prose(doc.title, "\n".join(doc.prose)).as_fields()
    winner = next((e for e in entries if e.position == 1), None)
    stats_lines = doc.sections.get(STATISTICS_SECTION.lower(), [])
    # A winner without laps (0 or "-") leaves the lap length, and so lap speeds, unknown.
    statistics = _parse_statistics(stats_lines, source, (winner.laps or None) if winner else None)
    try:
        return Race(
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


def with_standings(entries: list[dict[str, Any]]) -> None:
    """Fill each entry's class position, laps behind and classified-distance flag, in place."""
    ranks: dict[str, int] = {}
    leaders: dict[str, int | None] = {}
    # Entries come in finishing order, checked by the caller, so counting gives the rank.
    for entry in entries:
        class_ = entry["class_"]
        if entry["position"] is not None:
            ranks[class_] = ranks.get(class_, 0) + 1
            entry["class_position"] = ranks[class_]
            # A class is won by a classified car: one that retired first wins nothing.
            if ranks[class_] == 1 and entry["status"] is Status.CLASSIFIED:
                leaders[class_] = entry["laps"]
    overall = next((e["laps"] for e in entries if e["position"] is not None), None)
    for entry in entries:
        laps = entry["laps"]
        if laps is None:
            continue
        class_leader = leaders.get(entry["class_"])
        if overall is not None:
            entry["laps_behind_leader"] = overall - laps
            entry["reached_classified_distance"] = laps >= CLASSIFIED_SHARE * overall
        if class_leader is not None:
            entry["laps_behind_class_winner"] = class_leader - laps


def _split_sections(text: str, source: str) -> _Sections:
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise SeedError(source, None, "the document is empty")
    match = _TITLE.match(lines[first].strip())
    if match is None:
        raise SeedError(source, first + 1, "the document must start with a '= Title =' heading")
    doc = _Sections(title=normalise_spaces(match["title"]))
    current: list[tuple[int, str]] | None = None
    for number, raw in enumerate(lines[first + 1 :], start=first + 2):
        line = raw.strip()
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
            doc.prose.append(normalise_spaces(line))
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


def _parse_entries(rows: list[_Row], source: str) -> tuple[Entry, ...]:
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
    entries: list[dict[str, Any]] = []
    numbers: dict[str, int] = {}
    last_position = 0
    for main, engine in _pairs(body, source):
        if len(main.cells) != len(header.cells):
            raise SeedError(
                source,
                main.line,
                f"row has {len(main.cells)} cells, the header has {len(header.cells)}",
            )
        entry = _parse_entry(main, engine, columns, source)
        number, position = entry["number"], entry["position"]
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
        entries.append(entry)
    with_standings(entries)
    return tuple(_validated_entry(entry, source) for entry in entries)


def _validated_entry(fields: dict[str, Any], source: str) -> Entry:
    try:
        return Entry.model_validate(fields)
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
    """Each entry spans two rows: Pos…Laps, then the engine alone in the first cell."""
    for i in range(0, len(body), 2):
        main = body[i]
        if i + 1 >= len(body):
            raise SeedError(source, main.line, "entry has no engine row under it")
        engine = body[i + 1]
        if any(engine.cells[1:]) or not engine.cells[0]:
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
        "chassis": cell["chassis"],
        "engine": normalise_spaces(engine.cells[0]),
        "tyre": cell.get("tyre") or None,
        "laps": _parse_laps(cell["laps"], source, main.line),
        "line": main.line,
    }


def _parse_position(text: str, source: str, line: int) -> tuple[int | None, Status]:
    if text in _BARE_STATUS:
        return None, _BARE_STATUS[text]
    match = _POSITION.match(text)
    if match is None or int(match["pos"]) < 1:
        raise SeedError(
            source, line, f"position '{text}' is not a number, 'N DNF', 'DNF', 'DNS' or 'NC'"
        )
    status = Status(match["status"].lower()) if match["status"] else Status.CLASSIFIED
    return int(match["pos"]), status


def _parse_laps(text: str, source: str, line: int) -> int | None:
    if text in NO_LAPS:
        return None
    if not text.isdigit():
        raise SeedError(source, line, f"laps '{text}' is not a number")
    return int(text)


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
    if match is None:
        raise SeedError(source, line, f"lap record '{text}' is not '#car Team - m:ss.sss'")
    return LapRecord(
        number=match["number"],
        team=clean_team(match["team"]),
        time=match["time"],
        seconds=lap_seconds(match["time"]),
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
    return float(match["value"])


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
    """Read and parse one document file."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise SeedError(path.name, line, "the file is not valid UTF-8") from exc
    except OSError as exc:
        raise SeedError(path.name, None, f"cannot read the file ({exc.strerror})") from exc
    return parse_race(text, source=path.name)


def load_folder(folder: Path) -> LoadReport:
    """Parse every `*.txt` document in a folder, keeping the good ones and reporting the bad."""
    if not folder.is_dir():
        error = SeedError(str(folder), None, "no such folder of race documents")
        return LoadReport((), (error,))
    races: list[Race] = []
    errors: list[SeedError] = []
    for path in sorted(folder.glob("*.txt")):
        try:
            races.append(load_race(path))
        except SeedError as exc:
            log.warning("skipping %s", exc)
            errors.append(exc)
    return LoadReport(tuple(races), tuple(errors))
