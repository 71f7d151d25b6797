"""Building a query service from a folder: one function and one result shape for every caller."""

from __future__ import annotations

from pathlib import Path

from bot.core.cached_loading import load_library
from bot.core.loading import service_from_folder
from tests.paths import RACES

SEEDS = RACES
SEED_BYTES = (SEEDS / "2003-grand-prix-of-sonoma.txt").read_bytes()


def test_a_folder_without_races_is_not_usable(tmp_path: Path) -> None:
    """A folder where nothing parses gives an empty service and names each bad file and line."""
    (tmp_path / "broken.txt").write_text("not a race document\n", encoding="utf-8")
    load = service_from_folder(tmp_path)
    assert not load.usable
    assert load.races == 0
    assert len(load.service.library) == 0
    assert [error.source for error in load.errors] == ["broken.txt"]
    assert load.folder == tmp_path
    assert load.previous is None


def test_the_seeds_load_into_a_service(tmp_path: Path) -> None:
    """The project's seeds give a usable service with every race and no errors."""
    load = service_from_folder(SEEDS)
    assert load.usable
    assert load.races == len(list(SEEDS.glob("*.txt"))) == len(load.service.library)
    assert load.errors == ()


def test_a_missing_folder_is_one_error(tmp_path: Path) -> None:
    """A folder that does not exist is reported, not raised."""
    load = service_from_folder(tmp_path / "nowhere")
    assert not load.usable
    assert [error.source for error in load.errors] == [str(tmp_path / "nowhere")]


def test_a_data_folder_holds_the_parse_cache(tmp_path: Path) -> None:
    """Given a data folder, loading writes the cache there and loads the same races again."""
    first = service_from_folder(SEEDS, tmp_path / "data")
    assert (tmp_path / "data" / "parse-cache.sqlite3").is_file()
    again = service_from_folder(SEEDS, tmp_path / "data")
    races = list(first.service.library.races)
    assert list(again.service.library.races) == races
    assert list(service_from_folder(SEEDS, None).service.library.races) == races


def test_a_folder_loads_one_document_per_title(tmp_path: Path) -> None:
    """Two documents of one title: the second is refused by name, the first is the race."""
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_bytes(SEED_BYTES)
    loaded = load_library(tmp_path)
    library, errors = loaded.library, loaded.errors
    assert [race.source for race in library] == ["a.txt"]
    assert [str(error) for error in errors] == [
        "b.txt: has the same title as a.txt ('2003 Grand Prix of Sonoma'): rename one"
    ]
