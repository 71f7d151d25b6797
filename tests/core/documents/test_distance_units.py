"""A distance or speed given in miles is kept as written beside its km value."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.documents.parsing import SeedError, parse_race
from bot.core.documents.statistics import KM_PER_MILE

SEED_TEXT = (
    Path(__file__).resolve().parents[2] / "fixtures" / "2003-grand-prix-of-sonoma.txt"
).read_text(encoding="utf-8")


def _with(distance: str, speed: str) -> str:
    return SEED_TEXT.replace("- Distance - 415.307 km", f"- Distance - {distance}").replace(
        "- Average Speed - 150.145 km/h", f"- Average Speed - {speed}"
    )


def test_miles_are_kept_as_written() -> None:
    """'258,063 mi' and '93.3 mi/h' are kept so, and in km and km/h for every computation."""
    stats = parse_race(_with("258,063 mi", "93.3 mi/h")).statistics
    assert (stats.distance_written, stats.average_speed_written) == ("258,063 mi", "93.3 mph")
    assert stats.distance_km == pytest.approx(258063 * KM_PER_MILE)
    assert stats.average_speed_kmh == pytest.approx(93.3 * KM_PER_MILE)


def test_km_documents_are_unchanged() -> None:
    """A document in km keeps no written form: its statistics are as before."""
    stats = parse_race(SEED_TEXT).statistics
    assert (stats.distance_written, stats.average_speed_written) == (None, None)
    assert "distance_written" not in stats.model_fields_set


def test_a_later_line_replaces_the_written_form() -> None:
    """A distance in miles then one in km: the km line wins, with no stale written form."""
    text = SEED_TEXT.replace(
        "- Distance - 415.307 km", "- Distance - 258.063 mi\n- Distance - 415.307 km"
    )
    stats = parse_race(text).statistics
    assert (stats.distance_km, stats.distance_written) == (415.307, None)


def test_a_unit_not_read_is_still_refused() -> None:
    """'mi/hr' is no unit the parser reads: the line is refused by number as before."""
    with pytest.raises(SeedError, match="is not a number of km/h"):
        parse_race(_with("415.307 km", "93.3 mi/hr"))
