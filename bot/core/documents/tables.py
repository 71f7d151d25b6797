"""The results table of a race document -> entries. Pure and linear.

Columns are found by name, in any order, under several spellings ("Team" or "Entrant", "Tyre"
or "Tire", "Chassis" or "Car"); columns with other names ("Time/Retired", "Grid", "Points")
are ignored. Each car spans two rows when the second header row is `| Engine |` (the engine
alone in the first cell), else one row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Final, NamedTuple

from pydantic import ValidationError

from bot.core.documents.model import Entry, Status, rank_entries, ranked_entries
from bot.core.documents.names import (
    clean_team,
    flagged_teams,
    normalise_spaces,
    split_drivers,
    visible,
)
from bot.core.documents.seed_error import SeedError, SeedWarning, describe_validation

# Each field's header names, best first: a later spelling is used only when no better one is.
COLUMN_NAMES: Final = {
    "position": ("pos", "pos.", "position", "place", "fin", "fin.", "finish"),
    "class": ("class", "cls", "category"),
    "number": ("no", "no.", "#", "number", "car no", "car no.", "car #", "num"),
    "team": ("team", "entrant", "team/entrant", "entrant/team"),
    "drivers": ("drivers", "driver", "driver(s)", "drivers names"),
    "chassis": ("chassis", "chassis/engine", "car/engine", "car", "vehicle"),
    "tyre": ("tyre", "tyres", "tire", "tires", "tyre/tire"),
    "laps": ("laps", "lap", "laps completed"),
    "engine": ("engine",),
}
REQUIRED_COLUMNS: Final = ("position", "number", "team", "drivers", "laps")
NO_CLASS: Final = "Overall"
"""The class of every car in a table without a class column."""
NO_LAPS: Final = frozenset({"", "-", "—", "–"})
MAX_COUNT: Final = 10_000
"""The largest position or lap count a document may give."""

# Numbers are ASCII digits only: `\d` and str.isdigit() accept "²", "①" or "٣".
_POSITION = re.compile(r"^(?:(?P<pos>[0-9]+)(?: (?P<status>[A-Za-z]+))?|(?P<bare>[A-Za-z]+))$")
# Retired, disqualified and non-starting cars, however the table abbreviates them.
STATUS_WORDS: Final = {
    "DNF": Status.DNF,
    "RET": Status.DNF,
    "RETIRED": Status.DNF,
    "NC": Status.NC,
    "DSQ": Status.DSQ,
    "DQ": Status.DSQ,
    "DISQ": Status.DSQ,
    "EX": Status.DSQ,
    "EXC": Status.DSQ,
    "DNS": Status.DNS,
    "DNQ": Status.DNS,
    "DNPQ": Status.DNS,
    "DNP": Status.DNS,
    "DNA": Status.DNS,
    "WD": Status.DNS,
}
_MAX_DIGITS: Final = len(str(MAX_COUNT))
_COUNT = re.compile(r"^(?P<n>[0-9]+)(?: laps?)?$", re.IGNORECASE)
_BEHIND = re.compile(r"^\+ ?(?P<n>[0-9]+) ?(?:laps?|l)$", re.IGNORECASE)
_NAME_RANK: Final = {
    name: (key, rank) for key, names in COLUMN_NAMES.items() for rank, name in enumerate(names)
}


class Row(NamedTuple):
    """One table row: its 1-based line and its cells, stripped."""

    # A NamedTuple, not a frozen dataclass: built for every table line, three times faster.
    line: int
    cells: list[str]


def table_rows(lines: list[tuple[int, str]]) -> tuple[str | None, list[Row]]:
    """The text around the table (the notes) and the table's rows."""
    notes: list[str] = []
    rows: list[Row] = []
    strip, new_row = str.strip, tuple.__new__  # Row(...) goes through a Python-level __new__
    for number, text in lines:
        if text[:1] == "|":
            rows.append(
                new_row(Row, (number, [*map(strip, text[1:].removesuffix("|").split("|"))]))
            )
        else:
            notes.append(text)
    return (" ".join(notes) or None), rows


def map_columns(header: Row) -> tuple[dict[str, int], list[str]]:
    """Each field's column index, and the required fields no column names."""
    best: dict[str, tuple[int, int]] = {}
    for index, name in enumerate(header.cells):
        key, rank = _NAME_RANK.get(normalise_spaces(name).lower(), ("", 0))
        if key and (key not in best or rank < best[key][0]):
            best[key] = (rank, index)
    columns = {key: index for key, (_, index) in best.items()}
    return columns, [name for name in REQUIRED_COLUMNS if name not in columns]


def parse_entries(
    rows: list[Row], source: str, warnings: list[SeedWarning] | None = None
) -> tuple[tuple[Entry, ...], tuple[str, ...]]:
    """The table's entries in finishing order, and each one's driver cell as written; what is
    unlikely (but possible) is added to `warnings`."""
    if not rows:
        raise SeedError(source, None, "the results table is missing")
    header = rows[0]
    columns, missing = map_columns(header)
    if missing:
        raise SeedError(
            source, header.line, f"the results table has no {', '.join(missing)} column"
        )
    body = rows[1:]
    paired = bool(body) and _is_engine_header(body[0], header, source)
    body = body[1:] if paired else body
    if not body:
        raise SeedError(source, header.line, "the results table has no entries")
    cars = list(_cars(body, header, paired, source))
    at = _Columns.of(columns)
    teams = [main.cells[at.team] for main, _ in cars]
    reader = _EntryReader(at, source, flagged_teams(teams))
    fields = [reader.fields(main, engine) for main, engine in cars]
    _check_order(fields, source)
    _resolve_laps_behind(fields)
    _check_laps(fields, source, warnings)
    if all(map(_valid_as_is, fields)):
        entries = ranked_entries(fields)
    else:  # validation words the first bad entry's error
        entries = rank_entries([_validated_entry(entry, source) for entry in fields])
    return entries, tuple(main.cells[at.drivers] for main, _ in cars)


def _is_engine_header(row: Row, header: Row, source: str) -> bool:
    """Whether the second header row is `| Engine |`; a lone other word there is an error."""
    first = row.cells[0].lower() if row.cells else ""
    if first == "engine":
        return True
    if len(row.cells) == len(header.cells) and first and not any(row.cells[1:]):
        raise SeedError(source, row.line, "expected the '| Engine |' header row")
    return False


def _cars(
    body: list[Row], header: Row, paired: bool, source: str
) -> Iterator[tuple[Row, Row | None]]:
    """Each car's rows: Pos…Laps, then (when paired) the engine in the first cell."""
    step = 2 if paired else 1
    for i in range(0, len(body), step):
        main = body[i]
        if len(main.cells) != len(header.cells):
            raise SeedError(
                source,
                main.line,
                f"row has {len(main.cells)} cells, the header has {len(header.cells)}",
            )
        engine = None
        if paired:
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


@dataclass(frozen=True, slots=True)
class _Columns:
    """Each field's column index, looked up once per table rather than once per cell."""

    position: int
    number: int
    team: int
    drivers: int
    laps: int
    class_: int | None
    chassis: int | None
    tyre: int | None
    engine: int | None

    @classmethod
    def of(cls, columns: dict[str, int]) -> _Columns:
        """The indices of a table whose required columns `map_columns` found."""
        return cls(
            *(columns[key] for key in ("position", "number", "team", "drivers", "laps")),
            *(columns.get(key) for key in ("class", "chassis", "tyre", "engine")),
        )


# Cell -> its cut, across documents (a team's name, a crew, recur from race to race); empty
# for a cell that names nobody. Both are pure functions of the cell (and the table's
# `flagged`), so a cached cut is the one cutting again would make. Bounded (a MB or so at most
# in a bot's own process): emptied when full.
_TEAMS: Final[tuple[dict[str, str], dict[str, str]]] = ({}, {})
"""By `flagged` (False, True): each team cell's name."""
_CREWS: Final[dict[str, tuple[str, ...]]] = {}
_MAX_CACHED: Final = 4096
# Every word of a cell (one space between words) holds a printable ASCII character, so every
# driver cut from it shows (`visible`): one scan instead of a call a driver ("Zoë Brück").
# Linear: a word's first such character ends its first part.
_EVERY_WORD_SHOWS: Final = re.compile(r"[^\s!-~]*[!-~]\S*(?: [^\s!-~]*[!-~]\S*)*")


def _team_name(cell: str, flagged: bool) -> str:
    """`clean_team` of a cell, or "" when the name it leaves shows nothing."""
    cache = _TEAMS[flagged]
    team = cache.get(cell)
    if team is None:
        team = clean_team(cell, flagged)
        # Lines are normalised (no control, no space at either end): an ASCII name shows.
        if team and not (team.isascii() or visible(team)):
            team = ""
        if len(cache) >= _MAX_CACHED:
            cache.clear()
        cache[cell] = team
    return team


def _crew(cell: str) -> tuple[str, ...]:
    """`split_drivers` of a cell, or () when it names nobody (or a driver shows nothing)."""
    drivers = _CREWS.get(cell)
    if drivers is None:
        drivers = split_drivers(cell)
        if drivers and not (
            cell.isascii() or _EVERY_WORD_SHOWS.fullmatch(cell) or all(map(visible, drivers))
        ):
            drivers = ()
        if len(_CREWS) >= _MAX_CACHED:
            _CREWS.clear()
        _CREWS[cell] = drivers
    return drivers


class _EntryReader:
    """Reads one table's rows into entry fields."""

    def __init__(self, at: _Columns, source: str, flagged: bool) -> None:
        self.at = at
        self.source = source
        self.flagged = flagged

    def fields(self, main: Row, engine: Row | None) -> dict[str, Any]:
        """One car's fields for `Entry` (with 'behind', resolved later)."""
        # Cells come from lines already normalised (one space, no controls) and stripped.
        cells, line, at, source = main.cells, main.line, self.at, self.source
        position, status = _parse_position(cells[at.position], source, line)
        class_ = NO_CLASS if at.class_ is None else cells[at.class_]
        if not class_:
            raise SeedError(source, line, "the class cell is empty")
        number = cells[at.number]
        if not number:
            raise SeedError(source, line, "the number cell is empty")
        laps, behind = _parse_laps(cells[at.laps], source, line)
        team_cell, crew_cell = cells[at.team], cells[at.drivers]
        team = _team_name(team_cell, self.flagged)
        if not team:
            raise SeedError(source, line, _no_name("team", team_cell))
        drivers = _crew(crew_cell)
        if not drivers:
            raise SeedError(source, line, _no_name("drivers", crew_cell))
        if engine is not None:
            engine_text = engine.cells[0]
        else:
            engine_text = "" if at.engine is None else cells[at.engine]
        return {
            "position": position,
            "status": status,
            "class_": class_,
            "number": number.lstrip("#"),
            "team": team,
            "drivers": drivers,
            "chassis": None if at.chassis is None else (cells[at.chassis] or None),
            "engine": engine_text or None,
            "tyre": None if at.tyre is None else (cells[at.tyre] or None),
            "laps": laps,
            "behind": behind,
            "line": line,
        }


def _check_order(fields: Iterable[dict[str, Any]], source: str) -> None:
    """Car numbers are unique and positions rise down the table."""
    numbers: dict[str, int] = {}
    last_position = 0
    for entry in fields:
        number, position, line = entry["number"], entry["position"], entry["line"]
        if number in numbers:
            message = f"car #{number} already appears on line {numbers[number]}"
            raise SeedError(source, line, message)
        numbers[number] = line
        if position is not None:
            if position <= last_position:
                raise SeedError(
                    source, line, f"position {position} comes after position {last_position}"
                )
            last_position = position


def _no_name(column: str, cell: str) -> str:
    """Why a team or drivers cell names nobody."""
    if not cell:
        return f"the {column} cell is empty"
    if not visible(cell):
        return f"the {column} cell has only invisible characters"
    return f"the {column} cell '{cell}' names nobody (a flag alone, or an invisible name)"


def _check_laps(
    fields: list[dict[str, Any]], source: str, warnings: list[SeedWarning] | None
) -> None:
    """No car but a disqualified one has more laps than the winner (refused: it cannot be
    true); a classified car with more laps than the one classified ahead of it is a warning."""
    winner = next((e for e in fields if e["position"] == 1), None)
    most: int | None = winner["laps"] if winner is not None else None
    ahead: int | None = None  # laps of the last classified car
    for entry in fields:
        laps, status = entry["laps"], entry["status"]
        if laps is None or status is Status.DSQ:
            continue
        if most is not None and laps > most:
            message = f"{laps} laps, more than the winner's {most}: no car can cover more"
            raise SeedError(source, entry["line"], message)
        if status is Status.CLASSIFIED:
            if ahead is not None and laps > ahead and warnings is not None:
                message = f"{laps} laps, more than the {ahead} of the car classified ahead of it"
                warnings.append(SeedWarning(source, entry["line"], message))
            ahead = laps


def _resolve_laps_behind(fields: list[dict[str, Any]]) -> None:
    """'+2 Laps' is the leader's laps less two (unknown while the leader's laps are)."""
    leader = next((e["laps"] for e in fields if e["position"] is not None), None)
    for entry in fields:
        behind = entry.pop("behind")
        if behind is not None:
            entry["laps"] = leader - behind if leader is not None and leader >= behind else None


def _valid_as_is(fields: dict[str, Any]) -> bool:
    """Whether `Entry` validation passes the fields unchanged: of its checks, only these are
    not already made by the parser (the types are always the model's)."""
    position: int | None = fields["position"]
    laps: int | None = fields["laps"]
    line: int = fields["line"]
    return (
        (position is None or position >= 1)
        and (laps is None or laps >= 0)
        and fields["class_"] != ""
        and fields["number"] != ""
        and line >= 1
    )


def _validated_entry(fields: dict[str, Any], source: str) -> Entry:
    try:
        return Entry.model_validate(fields)
    except ValidationError as exc:
        raise SeedError(source, fields["line"], describe_validation(exc)) from exc


def _parse_position(text: str, source: str, line: int) -> tuple[int | None, Status]:
    # Most positions are plain ASCII digits (isdigit alone would take "²"): skip the pattern.
    if text.isascii() and text.isdigit() and text.strip("0"):
        return count("position", text, source, line), Status.CLASSIFIED
    match = _POSITION.match(text)
    word = (match["status"] or match["bare"] or "") if match else ""
    status = STATUS_WORDS.get(word.upper()) if word else Status.CLASSIFIED
    if match is None or status is None or (match["pos"] and not match["pos"].strip("0")):
        raise SeedError(
            source, line, f"position '{text}' is not a number, 'N DNF', 'DNF', 'DNS', 'NC' or 'DSQ'"
        )
    if not match["pos"]:
        return None, status
    return count("position", match["pos"], source, line), status


def _parse_laps(text: str, source: str, line: int) -> tuple[int | None, int | None]:
    """Laps as written, or (None, laps behind the leader) for '+N Laps'."""
    if text in NO_LAPS:
        return None, None
    if text.isascii() and text.isdigit():  # the common case, as _COUNT would read it
        return count("laps", text, source, line), None
    if match := _COUNT.match(text):
        return count("laps", match["n"], source, line), None
    if match := _BEHIND.match(text):
        return None, count("laps", match["n"], source, line)
    raise SeedError(source, line, f"laps '{text}' is not a number")


def count(what: str, digits: str, source: str, line: int) -> int:
    """ASCII digits as an int of at most MAX_COUNT, checked before int() sees a huge number."""
    if 0 < len(digits) <= _MAX_DIGITS:  # most counts: int() of a few digits, no huge number
        value = int(digits)
        if value > MAX_COUNT:
            raise SeedError(source, line, f"{what} '{digits}' is over {MAX_COUNT:,}")
        return value
    significant = digits.lstrip("0")
    value = int(significant) if 0 < len(significant) <= _MAX_DIGITS else 0
    if len(significant) > _MAX_DIGITS or value > MAX_COUNT:
        raise SeedError(source, line, f"{what} '{digits}' is over {MAX_COUNT:,}")
    return value
