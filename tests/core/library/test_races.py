"""A shelved library's cars read alone: the same cars, field for field, as its races made."""

from __future__ import annotations

from pathlib import Path

from bot.core.documents import records
from bot.core.documents.model import Race
from bot.core.documents.parsing import parse_bytes
from bot.core.library.races import RaceShelf

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
REAL = Path(__file__).resolve().parents[1] / "documents" / "real_documents"


def _races() -> list[tuple[Race, tuple[str, ...]]]:
    found = []
    for path in [*sorted(FIXTURES.rglob("*.txt")), *sorted(REAL.glob("*.txt"))]:
        try:
            found.append(parse_bytes(path.read_bytes(), path.name))
        except ValueError:
            continue  # a fixture of a refusal
    return found


def test_cars_of_made_and_unmade_races_read_in_one_call() -> None:
    """`entries` gives each car as its race has it, whether the race is made (its car taken
    from it) or not (read from its row alone), first or again, in any order."""
    races = [race for race, _ in _races()]
    assert len(races) > 5
    shelf = RaceShelf([records.encode(race, crews) for race, crews in _races()])
    wanted = [
        (index, car)
        for index in (*range(len(races) - 1, -1, -1), 0, 2)
        for car in range(len(races[index].entries))
    ]
    expected = [races[index].entries[car] for index, car in wanted]
    for made in ((), (1,), (0, 2, 3)):
        for index in made:
            assert shelf[index] == races[index]  # now made and kept
        for _ in range(2):  # the records' rows first read, then kept
            alone = shelf.entries(wanted)
            assert alone == expected
            assert [car.__dict__ for car in alone] == [car.__dict__ for car in expected]
            assert all(
                car.model_fields_set == want.model_fields_set
                for car, want in zip(alone, expected, strict=True)
            )
    assert shelf.entries([]) == []


def test_a_shelf_kept_from_another_reads_the_changed_races_anew() -> None:
    """After `keep_from`, a changed race's cars come from its new record, the others' as before."""
    found = _races()
    races = [race for race, _ in found]
    old = RaceShelf([records.encode(race, crews) for race, crews in found])
    everything = [(i, car) for i, race in enumerate(races) for car in range(len(race.entries))]
    assert old.entries(everything) == [races[i].entries[car] for i, car in everything]
    changed = races[1].model_copy(update={"entries": races[1].entries[::-1]})
    records_now = [records.encode(race, crews) for race, crews in found]
    records_now[1] = records.encode(changed, found[1][1][::-1])
    new = RaceShelf(records_now)
    new.keep_from(old, [1])
    now = [changed if i == 1 else race for i, race in enumerate(races)]
    assert new.entries(everything) == [now[i].entries[car] for i, car in everything]
