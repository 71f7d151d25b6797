"""/stats shows a distance and a speed in the unit the document gives, then the other."""

from __future__ import annotations

from pathlib import Path

from bot.core.asking.answers import StatsAnswer
from bot.core.documents.parsing import parse_race
from tests.present.support import field_values, only_card

SEED_TEXT = (
    Path(__file__).resolve().parents[2] / "fixtures" / "2003-grand-prix-of-sonoma.txt"
).read_text(encoding="utf-8")


def _card_fields(text: str) -> dict[str, str]:
    race = parse_race(text)
    answer = StatsAnswer(
        race=race, statistics=race.statistics, entries=36, starters=35, classified=28, dnf=7,
        dns=1, nc=0,
    )  # fmt: skip
    return field_values(only_card(answer))


def test_miles_are_shown_as_written_then_in_km() -> None:
    """'258.063 mi' is shown so, then in km to a tenth; '93.3 mph' likewise."""
    text = SEED_TEXT.replace("415.307 km", "258.063 mi").replace("150.145 km/h", "93.3 mph")
    fields = _card_fields(text)
    assert fields["Distance"] == "258.063 mi (415.3 km) · 102 laps"
    assert fields["Average speed"] == "93.3 mph (150.2 km/h)"


def test_km_are_shown_as_written_then_in_miles() -> None:
    """A document in km shows km as written, then miles and mph to a tenth."""
    fields = _card_fields(SEED_TEXT)
    assert fields["Distance"] == "415.307 km (258.1 mi) · 102 laps"
    assert fields["Average speed"] == "150.145 km/h (93.3 mph)"
