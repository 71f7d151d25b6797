"""`racebot export`: the parsed library as JSON or CSV, the contract other tools rely on."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Final, TextIO

from bot.app.library import open_library
from bot.core.documents.model import Race
from bot.core.documents.names import strip_controls
from bot.settings import load_settings

# OWASP CSV injection: a spreadsheet runs a cell starting with these as a formula.
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")

CSV_COLUMNS: Final = (
    "race",
    "date",
    "position",
    "status",
    "class",
    "class_position",
    "number",
    "team",
    "drivers",
    "chassis",
    "engine",
    "tyre",
    "laps",
    "laps_behind_leader",
    "laps_behind_class_winner",
    "reached_classified_distance",
    "source",
    "line",
)


def race_record(race: Race) -> dict[str, Any]:
    """One race as plain JSON-ready data (dates in ISO form, "class" spelled as in documents)."""
    record: dict[str, Any] = _clean(race.model_dump(mode="json", by_alias=True))
    return record


def export_json(races: Iterable[Race]) -> str:
    """The library as `{"races": [...]}`; strict JSON (never Infinity or NaN)."""
    out = io.StringIO()
    write_json(races, out)
    return out.getvalue()


def write_json(races: Iterable[Race], out: TextIO) -> int:
    """Write `export_json`'s text race by race, holding one at a time; the number written."""
    count = 0
    for race in races:
        text = json.dumps(race_record(race), ensure_ascii=False, indent=2, allow_nan=False)
        # The text json.dumps gives for the whole document: each race two levels in.
        out.write(
            ('{\n  "races": [\n    ' if count == 0 else ",\n    ") + text.replace("\n", "\n    ")
        )
        count += 1
    out.write('{\n  "races": []\n}' if count == 0 else "\n  ]\n}")
    return count


def export_csv(races: Iterable[Race]) -> str:
    """One row per car across every race; drivers joined with " / "."""
    out = io.StringIO()
    write_csv(races, out)
    return out.getvalue()


def write_csv(races: Iterable[Race], out: TextIO) -> int:
    """Write `export_csv`'s text race by race; the number of races written."""
    count = 0
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for race in races:
        for entry in race.entries:
            row = entry.model_dump(mode="json", by_alias=True)
            row.update(
                race=race.title,
                date=race.date.isoformat() if race.date else "",
                drivers=" / ".join(entry.drivers),
                source=race.source,
            )
            writer.writerow({column: _csv_value(row[column]) for column in CSV_COLUMNS})
        count += 1
    return count


def _csv_value(value: object) -> object:
    """Numbers as numbers; text without controls and never read as a formula."""
    if value is None:
        return ""
    if isinstance(value, str):
        text = strip_controls(value)
        return f"'{text}" if text.startswith(FORMULA_STARTS) else text
    return value


def _clean(value: Any) -> Any:
    """Every string of a JSON record without control characters."""
    if isinstance(value, str):
        return strip_controls(value)
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_clean(item) for item in value]
    return value


def run_export(seeds: Path | None, fmt: str) -> int:
    """Print the library to stdout and each bad document to stderr; 1 if any was refused (the
    good races are still printed), so a script sees a bad document."""
    opened = open_library(seeds, load_settings())
    errors = opened.errors
    # Oldest first reads like a season (the library keeps newest first for questions); races
    # are made one at a time from their stored records, so memory does not grow with them.
    stored = opened.service.library.races
    races = (stored[i] for i in reversed(range(len(stored))))
    for error in errors:  # once each: the loader only logs below WARNING
        print(f"racebot: skipped {strip_controls(str(error))}", file=sys.stderr)
    if fmt == "csv":
        write_csv(races, sys.stdout)
    else:
        write_json(races, sys.stdout)
        sys.stdout.write("\n")
    return 1 if errors else 0
