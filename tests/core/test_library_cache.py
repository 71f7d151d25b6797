"""The stored library: read back, it answers exactly as the library built from the documents;
damaged or stale, it is built again; its races are made only when a question reads them."""

from __future__ import annotations

import logging
import random
import shutil
from collections import Counter
from pathlib import Path

import pytest

from bench.synthetic import write_library
from bot.core import library_cache, records
from bot.core.cached_loading import load_library
from bot.core.library import RaceLibrary, RaceShelf
from bot.core.library_cache import LIBRARY_FILE, Packed
from bot.core.matching import NameIndex, NameKeys
from bot.core.model import summarise
from bot.core.names import crew_facts
from bot.core.query import QueryService, SuggestKind
from bot.discord.announce import library_changes
from tests.paths import RACES

SEEDS = RACES
QUESTIONS: list[tuple[str, dict[str, str | None]]] = [
    ("result", {"query": "Dyson"}),
    ("result", {"query": "16"}),
    ("result", {"query": "nobody at all"}),
    ("class", {"class": None}),
    ("class", {"class": "GTS"}),
    ("driver", {"name": "Herbert"}),
    ("driver", {"name": "herbret"}),
    ("driver", {"name": "Hill"}),
    ("car", {"number": "3"}),
    ("car", {"number": "999"}),
    ("stats", {"race": None}),
    ("race", {"race": "sonoma 2004"}),
    ("races", {}),
    ("season", {"series": "ALMS", "year": None}),
    ("compare", {"first": "Dyson", "second": "Fields"}),
    ("compare", {"first": "#16", "second": "#38"}),
]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds and 60 synthetic races in one folder."""
    made = tmp_path_factory.mktemp("library")
    for path in SEEDS.glob("*.txt"):
        shutil.copy(path, made / path.name)
    write_library(made, 60)
    return made


def _answers(service: QueryService) -> list[object]:
    asked: list[object] = [service.ask(command, **options) for command, options in QUESTIONS]
    asked += [service.suggest(kind, "d") for kind in SuggestKind]
    asked.append(service.suggest(SuggestKind.RACE, "sonoma"))
    return asked


def test_a_stored_library_answers_as_the_documents_do(folder: Path, tmp_path: Path) -> None:
    """Built and stored, then read back: every answer equals the one over the plain load."""
    plain = load_library(folder)
    expected = _answers(QueryService(plain.library))
    built = load_library(folder, tmp_path)
    assert (tmp_path / LIBRARY_FILE).is_file()
    assert (tmp_path / LIBRARY_FILE).stat().st_mode & 0o777 == 0o644  # as the parse cache
    read_back = load_library(folder, tmp_path)
    for load in (built, read_back):
        assert isinstance(load.library.races, RaceShelf)
        assert list(load.library.races) == list(plain.library.races)
        assert list(load.library.summaries) == list(plain.library.summaries)
        assert [str(e) for e in load.errors] == [str(e) for e in plain.errors]
        assert _answers(QueryService(load.library, load.index)) == expected


def test_reading_back_makes_no_race_until_a_question_needs_one(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A warm load makes no race; /races, race labels and /driver make none; /stats one."""
    load_library(folder, tmp_path)
    made: list[int] = []
    real = records.decode

    def counting(data: bytes, interner: records.Interner) -> tuple[object, ...]:
        made.append(1)
        return real(data, interner)

    monkeypatch.setattr(records, "decode", counting)
    load = load_library(folder, tmp_path)
    service = QueryService(load.library, load.index)
    assert made == []
    service.ask("races")
    service.suggest(SuggestKind.RACE, "")
    driver = service.ask("driver", name="Herbert")  # each car read alone, no race made
    assert made == []
    assert driver == QueryService(load_library(folder).library).ask("driver", name="Herbert")
    circuits = Counter(summary.circuit for summary in load.library.summaries)
    classes = service.suggest(SuggestKind.CLASS, "", race=circuits.most_common(1)[0][0])
    assert classes
    assert made == []  # a circuit's classes, counted from its races' summaries
    assert load.index is not None
    elsewhere = next(n for n, ids in load.index.number_races.items() if 0 not in ids)
    missed = service.ask("car", number=elsewhere)  # the latest race is made, no other
    assert len(made) == 1
    assert missed == QueryService(load_library(folder).library).ask("car", number=elsewhere)
    service.ask("season", series="ALMS")  # its races are made, not every race
    assert 0 < len(made) < len(load.library)
    load = load_library(folder, tmp_path)
    service = QueryService(load.library, load.index)
    made.clear()
    service.ask("stats")
    service.ask("stats")
    assert len(made) == 1


def test_a_damaged_library_file_is_built_again(
    folder: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A flipped byte, a cut file or another file's bytes: a log line, the same library."""
    expected = list(load_library(folder, tmp_path).library.races)
    path = tmp_path / LIBRARY_FILE
    whole = path.read_bytes()
    for damaged in (
        whole[:-10] + bytes(10),
        whole[: len(whole) // 2],
        b"not a library at all",
        whole[:16] + b"\xff" * 8 + whole[24:],
    ):
        path.write_bytes(damaged)
        with caplog.at_level(logging.WARNING):
            assert list(load_library(folder, tmp_path).library.races) == expected
        assert "library cache" in caplog.text
        caplog.clear()
        with caplog.at_level(logging.WARNING):  # written again, whole
            assert list(load_library(folder, tmp_path).library.races) == expected
        assert not caplog.text


def test_a_changed_document_is_never_served_from_the_stored_library(
    folder: Path, tmp_path: Path
) -> None:
    """The key covers every document: an edit shows at once, as a plain load shows it."""
    work = tmp_path / "docs"
    shutil.copytree(folder, work)
    load_library(work, tmp_path / "data")
    seed = work / "2003-grand-prix-of-sonoma.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("Dyson", "Dysen"), "utf-8")
    (work / "synthetic-0001.txt").unlink()
    cached = load_library(work, tmp_path / "data")
    plain = load_library(work)
    assert list(cached.library.races) == list(plain.library.races)
    assert QueryService(cached.library, cached.index).ask("result", query="Dysen") == (
        QueryService(plain.library).ask("result", query="Dysen")
    )


def test_an_unwritable_library_file_still_loads(
    folder: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A folder where the library file cannot be written: logged, and the load goes on."""
    (tmp_path / LIBRARY_FILE).mkdir()  # a folder in the way of the rename
    with caplog.at_level(logging.WARNING):
        load = load_library(folder, tmp_path)
    assert len(load.library) == len(load_library(folder).library)
    assert "cannot write" in caplog.text


def test_packed_items_come_back_whole() -> None:
    """Packed items read back by index and slice; ends that do not fit are refused."""
    items = [b"", b"one", b"three", b"", b"x" * 1000]
    packed = Packed.of(items)
    assert list(packed) == items
    assert packed[1:3] == items[1:3]
    assert packed[-1] == items[-1]
    assert packed[-4] == items[1]
    with pytest.raises(IndexError):
        packed[5]
    again = Packed.from_sections(*packed.sections())
    assert list(again) == items
    ends, buffer = packed.sections()
    with pytest.raises(ValueError, match="do not fit"):
        Packed.from_sections(ends, buffer + b"!")
    with pytest.raises(ValueError, match="not a stored library"):
        library_cache.unpack([b"", b""])


def test_a_name_index_comes_back_from_its_state() -> None:
    """An index rebuilt from its state finds exactly what the original finds."""
    names = ["Johnny Herbert", "Chris Dyson", "Butch Leitzinger", "David Brabham"]
    index = NameIndex(NameKeys((name,)) for name in names)
    again = NameIndex.from_state(index.state())
    for query in ("herbert", "herbet", "dy", "david b", "nobody"):
        assert again.matches(query) == index.matches(query)
        assert again.near(query) == index.near(query)
    with pytest.raises(ValueError, match="not a name index"):
        NameIndex.from_state(("keys", {}, {}, [], {}))  # type: ignore[arg-type]


def test_a_view_is_what_the_library_is_built_from(seed_library: RaceLibrary) -> None:
    """A race's view holds its summary, driver cells and car names; garbage is refused."""
    race = seed_library.races[0]
    crews = tuple(" ".join(entry.drivers) for entry in race.entries)
    summary, cells, cars, known, long = records.read_view(records.view(race, crews))
    assert (known, sorted(long)) == (crew_facts(crews)[0], sorted(crew_facts(crews)[1]))
    assert summary == summarise(race)
    assert summary.cars == len(race.entries) == len(cars)
    assert summary.classes == race.classes
    assert cells == list(crews)
    first = race.entries[0]
    assert cars[0] == (first.number, first.team, first.drivers, first.chassis, first.engine)
    for garbage in (b"", b"\x00", records.view(race, crews)[:-3]):
        with pytest.raises(ValueError, match="not a race view"):
            records.read_view(garbage)


def test_a_view_keeps_the_crew_facts_of_its_cells(seed_library: RaceLibrary) -> None:
    """The known names and the long cells a view keeps are its cells' (`crew_facts`)."""
    race = seed_library.races[0]
    crews: tuple[str, ...] = ("Ann Bee", "Cy Dee Eve Fay", "USA Gil Ho GBR Ivo Jo Kim Lu")
    crews += tuple(" ".join(entry.drivers) for entry in race.entries[len(crews) :])
    view = records.read_view(records.view(race, crews))
    assert {"Ann Bee", "Gil Ho"} <= view.known
    assert "Cy Dee" not in view.known
    assert {"Cy Dee Eve Fay", "USA Gil Ho GBR Ivo Jo Kim Lu"} <= set(view.long)
    assert "Ann Bee" not in view.long
    assert (view.known, set(view.long)) == (crew_facts(crews)[0], set(crew_facts(crews)[1]))
    assert view.crews == list(crews)


def test_reload_changes_are_told_without_making_races(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between two stored libraries only the added and the edited race are changes."""
    work = tmp_path / "docs"
    shutil.copytree(folder, work)
    old = load_library(work, tmp_path / "data").library
    seed = work / "2003-grand-prix-of-sonoma.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("Dyson", "Dysen"), "utf-8")
    (work / "new.txt").write_text(
        (SEEDS / "2003-grand-prix-of-sonoma.txt")
        .read_text(encoding="utf-8")
        .replace("2003 Grand Prix of Sonoma", "2003 Grand Prix of Nowhere"),
        "utf-8",
    )
    new = load_library(work, tmp_path / "data").library
    made: list[int] = []
    real = records.decode

    def counting(data: bytes, interner: records.Interner) -> tuple[object, ...]:
        made.append(1)
        return real(data, interner)

    monkeypatch.setattr(records, "decode", counting)
    changes = library_changes(old, new)
    assert sorted((c.race.title, c.action) for c in changes) == [
        ("2003 Grand Prix of Nowhere", "added"),
        ("2003 Grand Prix of Sonoma", "replaced"),
    ]
    assert len(made) == 2  # the two announced races, when read
    assert library_changes(new, new) == []


def test_no_damage_to_the_library_file_breaks_a_load(folder: Path, tmp_path: Path) -> None:
    """A byte flipped anywhere (header, lengths, checksums, sections) costs a rebuild at most."""
    expected = list(load_library(folder, tmp_path).library.summaries)
    path = tmp_path / LIBRARY_FILE
    whole = path.read_bytes()
    rng = random.Random(12)
    spots = list(range(0, 120, 7)) + [rng.randrange(len(whole)) for _ in range(12)]
    for spot in spots:
        damaged = bytearray(whole)
        damaged[spot] ^= 0x5A
        path.write_bytes(bytes(damaged))
        assert list(load_library(folder, tmp_path).library.summaries) == expected
