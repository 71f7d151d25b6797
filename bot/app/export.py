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
from bot.settings import seeds_folder

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
    return race.model_dump(mode="json", by_alias=True)


def export_json(races: Iterable[Race]) -> str:
    """The library as `{"races": [...]}`."""
    return json.dumps({"races": [race_record(r) for r in races]}, ensure_ascii=False, indent=2)


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
    return "" if value is None else value


def run_export(seeds: Path | None, fmt: str) -> int:
    """Print the library to stdout and each bad document to stderr; 1 if nothing loaded."""
    library, errors = RaceLibrary.from_folder(seeds_folder(seeds))
    for error in errors:
        print(f"racebot: skipped {error}", file=sys.stderr)
    # Oldest first reads like a season; the library keeps newest first for questions.
    races = list(reversed(library.races))
    sys.stdout.write(export_csv(races) if fmt == "csv" else export_json(races) + "\n")
    return 0 if library.races or not errors else 1
