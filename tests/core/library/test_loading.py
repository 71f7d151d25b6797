"""A folder read straight into a library (no store): one result shape, every bad file named."""

from __future__ import annotations

from pathlib import Path

from bot.core.library.loading import load_library

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "races"
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


def test_a_folder_loads_one_document_per_race(tmp_path: Path) -> None:
    """Two documents of one race under two titles: the second is refused by file, heading line
    and the race it repeats, the first is the race."""
    (tmp_path / "a.txt").write_bytes(SEED_BYTES)
    other = SEED_BYTES.replace(b"= 2003 Grand Prix of Sonoma =", b"= Sonoma 2003 =")
    (tmp_path / "b.txt").write_bytes(b"\n\n" + other)
    expected = (
        "b.txt:3: is the same race as a.txt ('2003 Grand Prix of Sonoma', American Le Mans"
        " Series, 2003-07-27): the same series and date; keep one document per race"
    )
    loaded = load_library(tmp_path)
    assert [race.source for race in loaded.library] == ["a.txt"]
    assert [str(error) for error in loaded.errors] == [expected]
