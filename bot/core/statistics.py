"""The Statistics section of a race document -> `Statistics`. Pure and linear.

Lines read "- Name - value" (a bullet of "-", "*" or none; a hyphen, en or em dash, or a
colon between name and value). Pole and fastest lap are "#car Team - m:ss.sss"; distance
and average speed a number of km or miles, km/h or mph (kept in km and km/h). A trailing
"(…)" aside is ignored.
"""

from __future__ import annotations

import logging
import math
import re
from typing import Final

from pydantic import ValidationError

from bot.core.model import LapRecord, Statistics
from bot.core.names import clean_team
from bot.core.seed_error import SeedError, describe_validation

log = logging.getLogger(__name__)

MAX_QUANTITY: Final = 1_000_000
"""The largest distance (km) or average speed (km/h) a document may give."""
KM_PER_MILE: Final = 1.609344

# Spaces are collapsed before these run, so no quantifier below can backtrack far.
_STAT = re.compile(r"^(?:[-*•]\s*)?(?P<key>[A-Za-z][A-Za-z ]*?)(?:\s+[-–—]|\s*:)\s+(?P<value>.+)$")
_ASIDE = re.compile(r"\s*\([^()]*\)$")
_LAP_RECORD = re.compile(r"^#(?P<number>[0-9A-Za-z]+) (?P<team>.+) [-–—] (?P<time>[0-9:.]+)$")
# Bounded so a lap time is never zero by rounding nor too long for a float.
_LAP_TIME = re.compile(r"^(?:(?P<minutes>[0-9]{1,3}):)?(?P<seconds>[0-9]{1,2}(?:\.[0-9]{1,6})?)$")
_QUANTITY = re.compile(
    r"^(?P<value>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?) ?(?P<unit>[a-z/]+)$"
)
# Unit as written -> (the unit it measures in the model, factor to that unit).
_UNITS: Final = {
    "km": ("km", 1.0),
    "mi": ("km", KM_PER_MILE),
    "mile": ("km", KM_PER_MILE),
    "miles": ("km", KM_PER_MILE),
    "km/h": ("km/h", 1.0),
    "kph": ("km/h", 1.0),
    "mph": ("km/h", KM_PER_MILE),
}
_KEYS: Final = {
    "pole position": "pole",
    "pole": "pole",
    "fastest lap": "fastest_lap",
    "fastest race lap": "fastest_lap",
    "distance": "distance_km",
    "race distance": "distance_km",
    "total distance": "distance_km",
    "average speed": "average_speed_kmh",
    "average race speed": "average_speed_kmh",
    "avg speed": "average_speed_kmh",
}


def parse_statistics(
    lines: list[tuple[int, str]], source: str, winner_laps: int | None
) -> Statistics:
    """The Statistics section's lines (numbered) -> `Statistics`; bad values raise `SeedError`."""
    values: dict[str, object] = {"winner_laps": winner_laps}
    for number, text in lines:
        match = _STAT.match(text)
        if match is None and _names_statistic(text):
            raise SeedError(source, number, f"statistics line '{text}' is not '- Name - value'")
        field = _KEYS.get(match["key"].lower()) if match else None
        if match is None or field is None:
            # Other statistics and notes are kept out of the model but must not break the load.
            log.debug("%s:%d: ignoring statistics line %r", source, number, text)
            continue
        value = _ASIDE.sub("", match["value"].strip())
        if field in ("pole", "fastest_lap"):
            values[field] = _lap_record(value, source, number)
        else:
            values[field] = _quantity(value, field.rpartition("_")[2], source, number)
    try:
        return Statistics.model_validate(values)
    except ValidationError as exc:
        raise SeedError(source, lines[0][0] if lines else None, describe_validation(exc)) from exc


def _names_statistic(text: str) -> bool:
    """Whether a line starts with a statistic this module reads (so must not be skipped)."""
    words = text.lstrip("-*• ").lower()
    return any(words.startswith(key) for key in _KEYS)


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
    """A distance ('km') or speed ('kmh') in the model's unit, from km, miles, km/h or mph."""
    wanted = "km/h" if unit == "kmh" else "km"
    match = _QUANTITY.match(text)
    measure, factor = _UNITS.get(match["unit"], ("", 0.0)) if match else ("", 0.0)
    if match is None or measure != wanted:
        raise SeedError(source, line, f"'{text}' is not a number of {wanted}")
    # float() of a long digit run is inf, never an error: check the magnitude ourselves.
    value = float(match["value"].replace(",", "")) * factor
    if not math.isfinite(value) or value > MAX_QUANTITY:
        raise SeedError(source, line, f"'{text}' is over {MAX_QUANTITY:,} {wanted}")
    if value < 0.001:
        raise SeedError(source, line, f"'{text}' must be at least 0.001 {wanted}")
    return value
