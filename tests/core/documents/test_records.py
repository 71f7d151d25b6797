"""A race as the store keeps it: every field comes back as parsed, and a damaged record or view
is refused, never read wrongly."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.documents import records
from bot.core.documents.model import summarise
from bot.core.documents.parsing import parse_bytes

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
DOCUMENTS = sorted(FIXTURES.rglob("*.txt"))


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_a_record_gives_back_the_race_it_was_made_from(path: Path) -> None:
    """Every field of every fixture race, statistics as written included, survives the store."""
    try:
        race, crews = parse_bytes(path.read_bytes(), path.name)
    except ValueError:
        pytest.skip("a document the parser refuses (a fixture of a refusal)")
    stored = records.encode(race, crews)
    again, cells = records.decode(stored, records.Interner())
    assert again == race
    assert again.statistics.model_dump() == race.statistics.model_dump()
    assert cells == crews
    view = records.read_view(records.view(race, crews))
    assert view.summary == summarise(race)
    assert list(view.crews) == list(crews)


def test_damaged_records_and_views_are_refused() -> None:
    """A cut or altered record or view raises ValueError (then the document is parsed again)."""
    race, crews = parse_bytes(
        (FIXTURES / "races" / "2003-grand-prix-of-sonoma.txt").read_bytes(), "x.txt"
    )
    stored, view = records.encode(race, crews), records.view(race, crews)
    for damaged in (stored[:-5], stored[:10] + b"x" + stored[11:], b"not a record"):
        with pytest.raises(ValueError, match="not a race record"):
            records.decode(damaged, records.Interner())
    for damaged in (view[:-5], b"not a view"):
        with pytest.raises(ValueError, match="not a race view"):
            records.read_view(damaged)


def test_figures_written_in_miles_survive_the_store() -> None:
    """A distance and speed given in miles come back as written, not only as kilometres."""
    seed = (FIXTURES / "races" / "2003-grand-prix-of-sonoma.txt").read_text(encoding="utf-8")
    text = seed.replace("- Distance - 415.307 km", "- Distance - 258.1 mi").replace(
        "- Average Speed - 150.145 km/h", "- Average Speed - 93.3 mph"
    )
    race, crews = parse_bytes(text.encode(), "miles.txt")
    assert race.statistics.distance_written is not None
    again, _ = records.decode(records.encode(race, crews), records.Interner())
    assert again.statistics.distance_written == race.statistics.distance_written
    assert again.statistics.average_speed_written == race.statistics.average_speed_written
