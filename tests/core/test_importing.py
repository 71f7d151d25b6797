"""Importing a document: safe file names, validation, duplicates, history, atomic writes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.core.importing import (
    HISTORY_DIR,
    MAX_IMPORT_BYTES,
    NAME_LIMIT,
    ImportRefused,
    file_name_for,
    import_document,
    validate_document,
)
from bot.core.parsing import SeedError, load_folder
from tests.paths import SEED as FIXTURE_SEED

SEED = FIXTURE_SEED
SAFE = set("abcdefghijklmnopqrstuvwxyz0123456789-.")


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("2004 Grand Prix of X", "2004-grand-prix-of-x.txt"),
        ("../../etc/passwd", "etc-passwd.txt"),
        ("A/B\\C", "a-b-c.txt"),
        ("...", None),
        ("Grand Prix de Monte-Carlo 1.5", "grand-prix-de-monte-carlo-1-5.txt"),
        ("Großer Preis von Österreich", "groer-preis-von-osterreich.txt"),
        ("鈴鹿1000km", "1000km.txt"),
        ("日本グランプリ", None),
    ],
)
def test_file_names_are_safe_and_come_from_the_title(title: str, name: str | None) -> None:
    """Slashes, dots and accents become a plain slug; a title of no Latin letters a digest."""
    made = file_name_for(title)
    assert set(made) <= SAFE
    assert made.endswith(".txt")
    assert not made.startswith(".")
    if name is None:
        assert made.startswith("race-")
    else:
        assert made == name


def test_a_300_character_title_is_cut_and_kept_distinct() -> None:
    """A very long title is cut to the limit, with a digest telling similar titles apart."""
    first, second = file_name_for("x" * 300), file_name_for("x" * 299 + "y")
    assert first != second
    assert len(first) <= NAME_LIMIT + 16
    assert set(first) <= SAFE


def test_validation_takes_a_bom_and_names_the_line() -> None:
    """A BOM is fine; bad UTF-8 and oversized documents are refused with a file:line message."""
    data = SEED.read_bytes()
    assert validate_document(b"\xef\xbb\xbf" + data, "up.txt").title == "2003 Grand Prix of Sonoma"
    with pytest.raises(SeedError, match=r"^up\.txt:3: the file is not valid UTF-8"):
        validate_document(b"= T =\n\n\xff", "up.txt")
    with pytest.raises(SeedError, match="over"):
        validate_document(b" " * (MAX_IMPORT_BYTES + 1), "up.txt")


def test_import_adds_refuses_duplicates_and_replaces_into_history(tmp_path: Path) -> None:
    """Added once; the same title refused; replaced with the old copy kept in .history."""
    data = SEED.read_bytes()
    added = import_document(tmp_path, data, "a.txt", [])
    assert added.action == "added"
    assert added.path == tmp_path / "2003-grand-prix-of-sonoma.txt"
    existing = load_folder(tmp_path).races
    with pytest.raises(ImportRefused, match="replace"):
        import_document(tmp_path, data, "a.txt", existing)

    changed = data.replace(b"Dyson Racing", b"Dyson Racing Team", 1)
    now = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.UTC)
    replaced = import_document(tmp_path, changed, "a.txt", existing, replace=True, now=now)
    assert replaced.action == "replaced"
    assert added.path.read_bytes() == changed
    [kept] = replaced.kept
    assert kept.parent == tmp_path / HISTORY_DIR
    assert kept.read_bytes() == data
    assert "20240501T120000" in kept.name
    assert [p.name for p in tmp_path.glob("*.txt")] == [added.path.name]
    assert not list(tmp_path.glob("*.tmp"))
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_same_title_under_another_name_is_moved_to_history(tmp_path: Path) -> None:
    """Replacing a race stored under a hand-chosen name leaves one document, the old in history."""
    (tmp_path / "sonoma.txt").write_bytes(SEED.read_bytes())
    existing = load_folder(tmp_path).races
    result = import_document(tmp_path, SEED.read_bytes(), "b.txt", existing, replace=True)
    assert [p.name for p in tmp_path.glob("*.txt")] == [result.path.name]
    assert [p.name.split(".")[0] for p in (tmp_path / HISTORY_DIR).iterdir()] == ["sonoma"]


def test_a_bad_document_writes_nothing(tmp_path: Path) -> None:
    """A document that does not parse leaves the folder as it was."""
    with pytest.raises(SeedError):
        import_document(tmp_path, b"no heading", "bad.txt", [])
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith(".")] == []
