"""The Statistics section of a race document -> `Statistics`. Pure and linear.

Lines read "- Name - value" (a bullet of "-", "*" or none; a hyphen, en or em dash, or a
colon between name and value). Pole and fastest lap are "#car Team - m:ss.sss"; distance
and average speed a number of km or miles, km/h or mph (kept in km and km/h, and a figure in
miles also as written, so it is shown as the document gives it). A trailing "(…)" aside is
ignored.
"""

from __future__ import annotations

import logging
import math
import re
from typing import Final

from pydantic import ValidationError

from bot.core.documents.model import LapRecord, Statistics
from bot.core.documents.names import clean_team, visible
from bot.core.documents.seed_error import SeedError, SeedWarning, describe_validation

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
    "mi/h": ("km/h", KM_PER_MILE),
}
# How a quantity in miles is written back: '327.047 mi', '118.924 mph'.
_MILES_UNIT: Final = {"km": "mi", "km/h": "mph"}
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
# Where a figure given in miles is kept as written.
_WRITTEN: Final = {
    "distance_km": "distance_written",
    "average_speed_kmh": "average_speed_written",
}
# Read only to check the distance against laps x lap length (the model derives its own).
_LAP_LENGTH_KEYS: Final = frozenset({"lap length", "circuit length", "track length"})
DISTANCE_TOLERANCE: Final = 0.02
"""How far (a share) a distance may be from laps x lap length before it is a warning."""
SPEED_TOLERANCE: Final = 0.005
"""How far (a share) an average speed may pass the fastest lap's before it cannot be true:
both are rounded as written."""


def parse_statistics(
    lines: list[tuple[int, str]],
    source: str,
    winner_laps: int | None,
    warnings: list[SeedWarning] | None = None,
) -> Statistics:
    """The Statistics section's lines (numbered) -> `Statistics`; bad values and an average
    speed above the fastest lap's raise `SeedError`; a distance that disagrees with laps x a
    given lap length is added to `warnings`."""
    values: dict[str, object] = {"winner_laps": winner_laps}
    at: dict[str, int] = {}  # each statistic's line
    lap_length: float | None = None
    for number, text in lines:
        match = _STAT.match(text)
        if match is None and _names_statistic(text):
            raise SeedError(source, number, f"statistics line '{text}' is not '- Name - value'")
        key = match["key"].lower() if match else ""
        field = _KEYS.get(key)
        if match is not None and key in _LAP_LENGTH_KEYS:
            lap_length = _lap_length(_ASIDE.sub("", match["value"].strip()))
            at["lap_length"] = number
            continue
        if match is None or field is None:
            # Other statistics and notes are kept out of the model but must not break the load.
            log.debug("%s:%d: ignoring statistics line %r", source, number, text)
            continue
        value = _ASIDE.sub("", match["value"].strip())
        at[field] = number
        if field in ("pole", "fastest_lap"):
            values[field] = _lap_record(value, source, number)
        else:
            amount, written = _quantity(value, field.rpartition("_")[2], source, number)
            values[field] = amount
            # A later line replaces an earlier one, its written form too.
            if written is None:
                values.pop(_WRITTEN[field], None)
            else:
                values[_WRITTEN[field]] = written
    try:
        statistics = Statistics.model_validate(values)
    except ValidationError as exc:
        raise SeedError(source, lines[0][0] if lines else None, describe_validation(exc)) from exc
    _check_speed(statistics, source, at.get("average_speed_kmh"))
    if lap_length is not None and warnings is not None:
        _check_distance(statistics, lap_length, source, at, warnings)
    return statistics


def _check_speed(statistics: Statistics, source: str, line: int | None) -> None:
    """No race is run faster on average than its fastest lap."""
    average, fastest = statistics.average_speed_kmh, statistics.fastest_lap_speed_kmh
    if average is not None and fastest is not None and average > fastest * (1 + SPEED_TOLERANCE):
        message = (
            f"the average speed ({average:.1f} km/h) is above the fastest lap's"
            f" ({fastest:.1f} km/h): no race is run faster than its fastest lap"
        )
        raise SeedError(source, line, message)


def _check_distance(
    statistics: Statistics,
    lap_length: float,
    source: str,
    at: dict[str, int],
    warnings: list[SeedWarning],
) -> None:
    """A distance that is not the winner's laps times the lap length the section gives."""
    distance, laps = statistics.distance_km, statistics.winner_laps
    if distance is None or not laps:
        return
    expected = laps * lap_length
    if abs(distance - expected) > DISTANCE_TOLERANCE * expected:
        message = (
            f"the distance ({distance:.3f} km) is not the winner's {laps} laps of"
            f" {lap_length:.3f} km ({expected:.3f} km)"
        )
        warnings.append(SeedWarning(source, at.get("distance_km"), message))


def _lap_length(text: str) -> float | None:
    """A lap length in km ('4.032 km', '2.505 mi'); None when it cannot be read (the line is
    only checked against the distance, never refused)."""
    match = _QUANTITY.match(text)
    measure, factor = _UNITS.get(match["unit"], ("", 0.0)) if match else ("", 0.0)
    if match is None or measure != "km":
        return None
    value = float(match["value"].replace(",", "")) * factor
    return value if math.isfinite(value) and 0 < value <= MAX_QUANTITY else None


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
    team = clean_team(match["team"])
    if not visible(team):
        raise SeedError(source, line, f"lap record '{text}' names no team")
    return LapRecord(
        number=match["number"],
        team=team,
        time=match["time"],
        seconds=seconds,
    )


def lap_seconds(time: str) -> float:
    """'1:23.085' -> 83.085."""
    minutes, _, seconds = time.rpartition(":")
    # Round away binary noise (83.08500000000001) so the value reads as it is written.
    return round(int(minutes or 0) * 60 + float(seconds), 6)


def _quantity(text: str, unit: str, source: str, line: int) -> tuple[float, str | None]:
    """A distance ('km') or speed ('kmh') in the model's unit, from km, miles, km/h or mph;
    and, for a figure in miles, the figure as written ('327.047 mi', '118.924 mph')."""
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
    written = None if factor == 1.0 else f"{match['value']} {_MILES_UNIT[wanted]}"
    return value, written
