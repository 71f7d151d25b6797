"""A race as the store keeps it: every field comes back as parsed, and a damaged record or view
is refused, never read wrongly."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.documents import records
from bot.core.documents.model import Entry, Race, summarise
from bot.core.documents.parsing import parse_bytes

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
DOCUMENTS = sorted(FIXTURES.rglob("*.txt"))
REAL = Path(__file__).resolve().parent / "real_documents"


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


def _races() -> list[tuple[Race, tuple[str, ...]]]:
    """Every fixture race the parser reads, with its driver cells."""
    found = []
    for path in [*DOCUMENTS, *sorted(REAL.glob("*.txt"))]:
        try:
            found.append(parse_bytes(path.read_bytes(), path.name))
        except ValueError:
            continue  # a fixture of a refusal
    return found


def test_every_car_read_alone_is_the_car_of_the_race_made() -> None:
    """`car` (one row, for a driver's answer) gives each car exactly as `decode` (the whole
    race) does, for every car of every fixture race, and as the parser made it."""
    races = _races()
    assert len(races) > 10
    for race, crews in races:
        stored = records.encode(race, crews)
        made, _ = records.decode(stored, records.Interner())
        rows = records.rows(stored, records.Interner())
        alone = records.cars((stored, i, rows) for i in range(len(race.entries)))
        assert [records.cars([(stored, i, rows)])[0] for i in range(len(race.entries))] == alone
        assert alone == list(made.entries) == list(race.entries)
        for car, entry in zip(alone, race.entries, strict=True):
            assert car.__dict__ == entry.__dict__  # every field, not only what == compares
            assert car.model_fields_set == entry.model_fields_set


def test_a_race_whose_rows_need_wide_offsets_reads_back() -> None:
    """Rows longer than 64 kB in all take 4-byte offsets; every car still reads back."""
    race, crews = _races()[0]
    many = race.model_copy(update={"entries": race.entries * 80})
    stored = records.encode(many, crews * 80)
    assert len(stored) > 0xFFFF
    made, cells = records.decode(stored, records.Interner())
    assert made == many
    assert cells == crews * 80
    rows = records.rows(stored, records.Interner())
    assert records.cars((stored, i, rows) for i in range(len(many.entries))) == list(many.entries)


def test_crews_written_otherwise_than_their_drivers_survive() -> None:
    """A crew kept as null (its drivers joined by spaces) and one written otherwise both come
    back as written, also after `with_crews` changes the drivers of a car."""
    race, crews = parse_bytes((FIXTURES / "2003-grand-prix-of-sonoma.txt").read_bytes(), "x.txt")
    cells = ("Someone / Else", *crews[1:])
    stored = records.encode(race, cells)
    assert records.decode(stored, records.Interner())[1] == cells
    changed = records.with_crews(stored, {1: ["Only One"]})
    again, again_cells = records.decode(changed, records.Interner())
    assert again_cells == cells  # the cells as written stay
    assert again.entries[1].drivers == ("Only One",)
    assert records.same_race(stored, records.encode(race, crews))


def _every_car(stored: bytes, count: int) -> list[Entry]:
    rows = records.rows(stored, records.Interner())
    return records.cars((stored, index, rows) for index in range(count))


def test_a_damaged_row_or_table_is_refused_when_a_car_is_read_alone() -> None:
    """Any byte of a record's header, offsets, sums, table or rows changed: reading its cars
    alone raises ValueError, or (a comma between rows, which no car read takes) reads every car
    right. Never a car read wrongly."""
    race, crews = parse_bytes((FIXTURES / "2003-grand-prix-of-sonoma.txt").read_bytes(), "x.txt")
    stored = records.encode(race, crews)
    count = len(race.entries)
    _, _, _, _, width, table_length, rows_length = records._HEADER.unpack_from(stored)
    rows_end = records._HEADER.size + table_length + width * (count + 1) + 4 * count + rows_length
    refused, messages = 0, set()
    for at in range(len(stored)):  # the rest of the race, compressed, is not read for a car
        damaged = stored[:at] + bytes([stored[at] ^ 0x20]) + stored[at + 1 :]
        try:
            cars = _every_car(damaged, count)
        except ValueError as exc:
            messages.add(str(exc).split(" (")[0])
            refused += 1
        else:
            assert cars == list(race.entries)
    assert refused >= rows_end - (count + 1)  # all before it but the rows' commas and brackets
    assert messages == {"not a race record"}
