"""A folder read straight into a library (no store): one result shape, every bad file named."""

from __future__ import annotations

from pathlib import Path

from bot.core.loading import load_library

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "races"
SEED_BYTES = (FIXTURES / "2003-grand-prix-of-sonoma.txt").read_bytes()


def test_a_folder_without_races_names_each_bad_file(tmp_path: Path) -> None:
    """A folder where nothing parses gives an empty library and names each bad file."""
    (tmp_path / "broken.txt").write_text("not a race document\n", encoding="utf-8")
    load = load_library(tmp_path)
    assert len(load.library) == 0
    assert [error.source for error in load.errors] == ["broken.txt"]


def test_the_fixture_races_load(tmp_path: Path) -> None:
    """The fixture folder gives every race and no errors."""
    load = load_library(FIXTURES)
    assert len(load.library) == len(list(FIXTURES.glob("*.txt")))
    assert load.errors == ()


def test_a_missing_folder_is_one_error(tmp_path: Path) -> None:
    """A folder that does not exist is reported, not raised."""
    load = load_library(tmp_path / "nowhere")
    assert len(load.library) == 0
    assert [error.source for error in load.errors] == [str(tmp_path / "nowhere")]


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
