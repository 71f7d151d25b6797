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
    altered = view[:20] + bytes([view[20] ^ 1]) + view[21:]  # still JSON, of other names
    for damaged in (view[:-5], altered, b"not a view", b""):
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
        alone = records.cars((stored, i) for i in range(len(race.entries)))
        assert [records.cars([(stored, i)])[0] for i in range(len(race.entries))] == alone
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
    assert records.cars((stored, i) for i in range(len(many.entries))) == list(many.entries)


def test_cars_past_those_read_with_their_header_read_back() -> None:
    """A record under 64 kB with more cars than `_HEADS_AND_ENTRIES` reads its later cars'
    entries apart; every car reads back, by either way, and through `cars_of` alike."""
    race, crews = _races()[0]
    many = race.model_copy(update={"entries": race.entries * 8})
    stored = records.encode(many, crews * 8)
    assert records._HEADER.unpack_from(stored)[4] == 2  # narrow offsets
    count = len(many.entries)
    assert count > len(records._HEADS_AND_ENTRIES)
    wanted = [*range(count - 1, -1, -7), 0, count - 1]
    expected = [many.entries[i] for i in wanted]
    assert records.cars((stored, i) for i in wanted) == expected
    assert records.cars_of([b"", stored], [(1, i) for i in wanted]) == expected
    with pytest.raises(ValueError, match="not a race record"):
        records.cars_of([stored], [(0, count)])
    with pytest.raises(ValueError, match="not a race record"):
        records.cars_of([stored], [(0, -1)])


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
    return records.cars((stored, index) for index in range(count))


def test_a_damaged_row_or_table_is_refused_when_a_car_is_read_alone() -> None:
    """Any byte of a record's header, index (offsets and sums), table or rows changed: reading
    its cars alone raises ValueError, or reads every car right where no car read takes that
    byte (a comma or bracket between rows or values, a header field only a whole read uses).
    Never a car read wrongly."""
    race, crews = parse_bytes((FIXTURES / "2003-grand-prix-of-sonoma.txt").read_bytes(), "x.txt")
    stored = records.encode(race, crews)
    count = len(race.entries)
    _, _, _, _, width, table_length, rows_length = records._HEADER.unpack_from(stored)
    table_at = records._HEADER.size + width + records._step(width) * count
    rows_end = table_at + table_length + rows_length
    taken: set[int] = set()  # the bytes of the table and rows some car read takes
    for index in range(count):
        at = records._HEADER.size + records._step(width) * index
        start, _, *spans, end = records._CAR_AT[width].unpack_from(stored, at)
        taken.update(range(start, end - 1), range(spans[0], spans[1]), range(spans[2], spans[3]))
    untaken = set(range(table_at, rows_end)) - taken
    assert {stored[at] for at in untaken} == set(b"[],")
    unread = {*range(1, 9), 10, *range(12, records._HEADER.size)}  # see below
    refused, messages = set(), set()
    for at in range(len(stored)):  # the rest of the race, compressed, is not read for a car
        damaged = stored[:at] + bytes([stored[at] ^ 0x20]) + stored[at + 1 :]
        try:
            cars = _every_car(damaged, count)
        except ValueError as exc:
            messages.add(str(exc).split(" (")[0])
            refused.add(at)
        else:
            assert cars == list(race.entries)
    # Every byte up to the rows' end is refused but those no car read takes: the header's two
    # sums and two lengths, which only a whole read checks and uses, and the high byte of its
    # count of cars (which only bounds a car's place: 36 becomes 8228, every car still there).
    assert set(range(rows_end)) - refused == unread | untaken
    assert messages == {"not a race record"}


@pytest.mark.parametrize("flip", [0x01, 0x04, 0x80, 0xFF])
def test_a_damaged_header_or_index_is_refused_in_wide_records_too(flip: int) -> None:
    """A record with 4-byte offsets: any bit of its header or index changed, reading its cars
    alone raises ValueError or reads every car right (a wrong place is found by the row's sum)."""
    race, crews = parse_bytes((FIXTURES / "2003-grand-prix-of-sonoma.txt").read_bytes(), "x.txt")
    many = race.model_copy(update={"entries": race.entries * 80})
    stored = records.encode(many, crews * 80)
    count = len(many.entries)
    _, _, _, cars, width, _, _ = records._HEADER.unpack_from(stored)
    assert (cars, width) == (count, 4)
    index_end = records._HEADER.size + 4 + records._step(4) * count
    messages = set()
    for at in [*range(records._HEADER.size), *range(records._HEADER.size, index_end, 331)]:
        damaged = stored[:at] + bytes([stored[at] ^ flip]) + stored[at + 1 :]
        try:
            cars_read = records.cars((damaged, index) for index in range(count))
        except ValueError as exc:
            messages.add(str(exc).split(" (")[0])
        else:
            assert cars_read == list(many.entries)
    assert messages == {"not a race record"}


def test_cars_read_alone_from_several_records_at_once() -> None:
    """One call reading cars of several records, in any order and some twice, gives each car as
    its race has it (a driver's answer reads a car from each of many races at once)."""
    races = _races()[:6]
    stored = [records.encode(race, crews) for race, crews in races]
    wanted = [(r, i) for r in (3, 0, 5, 1, 4, 2, 3) for i in range(0, len(races[r][0].entries), 3)]
    alone = records.cars((stored[r], i) for r, i in wanted)
    assert alone == [races[r][0].entries[i] for r, i in wanted]
    assert [car.__dict__ for car in alone] == [races[r][0].entries[i].__dict__ for r, i in wanted]


def test_a_car_without_chassis_or_engine_reads_back() -> None:
    """A car whose chassis or engine is not written reads back as None, alone and made."""
    race, crews = parse_bytes((FIXTURES / "2003-grand-prix-of-sonoma.txt").read_bytes(), "x.txt")
    entries = list(race.entries)
    entries[0] = entries[0].model_copy(update={"chassis": None})
    entries[2] = entries[2].model_copy(update={"engine": None, "chassis": None})
    changed = race.model_copy(update={"entries": tuple(entries)})
    stored = records.encode(changed, crews)
    assert records.decode(stored, records.Interner())[0] == changed
    assert records.cars((stored, i) for i in range(len(entries))) == entries
