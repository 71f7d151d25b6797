"""`racebot export`: the parsed library as JSON or CSV, the contract other tools rely on."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Final

from bot.core.library import RaceLibrary
from bot.core.model import Race
from bot.core.names import strip_controls
from bot.settings import seeds_folder

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
    records = {"races": [race_record(r) for r in races]}
    return json.dumps(records, ensure_ascii=False, indent=2, allow_nan=False)


def export_csv(races: Iterable[Race]) -> str:
    """One row per car across every race; drivers joined with " / "."""
    out = io.StringIO()
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
    return out.getvalue()


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
    """Print the library to stdout and each bad document to stderr; 1 if nothing loaded."""
    library, errors = RaceLibrary.from_folder(seeds_folder(seeds))
    for error in errors:  # once each: the loader only logs below WARNING
        print(f"racebot: skipped {strip_controls(str(error))}", file=sys.stderr)
    # Oldest first reads like a season; the library keeps newest first for questions.
    races = list(reversed(library.races))
    sys.stdout.write(export_csv(races) if fmt == "csv" else export_json(races) + "\n")
    return 0 if library.races or not errors else 1
