"""The pieces of every card: positions as the cards write them."""

from __future__ import annotations

import pytest

from bot.core.documents.model import Race
from bot.present.formatters.entries import position_text
from tests.present.support import car


@pytest.mark.parametrize(
    ("number", "position"),
    [
        ("16", "P1 · 1st in LMP675"),
        ("1", "P2 · 1st in LMP900"),
        ("38", "P3 · 2nd in LMP900"),
        ("3", "P8 · 1st in GTS"),
        ("68", "P28 · 14th in GT"),
        ("60", "DNF (P29) · 15th in GT"),
        ("71", "DNF (P30) · 6th in GTS"),
        ("03", "DNF (P34) · 18th in GT"),
        ("37", "DNS"),
    ],
)
def test_position_text(sonoma: Race, number: str, position: str) -> None:
    """Overall position, class position and status, as the cards write them."""
    assert position_text(car(sonoma, number)) == position
