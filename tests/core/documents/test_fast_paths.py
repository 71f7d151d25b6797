"""The parser's fast paths agree with the plain way they stand for: ranking, counting, checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from bot.core.documents import tables
from bot.core.documents.model import Entry, Status, rank_entries, ranked_entries
from bot.core.documents.names import clean_team, split_drivers, visible
from bot.core.documents.parsing import SeedError, parse_race
from bot.core.documents.tables import MAX_COUNT, _valid_as_is, count
from tests.paths import RACES

SEEDS = RACES
SEED = SEEDS / "2003-grand-prix-of-sonoma.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")
REAL_DOCUMENTS = Path(__file__).parent / "real_documents"


def test_ranked_entries_are_what_model_copy_makes() -> None:
    """rank_entries' copies equal pydantic's own, fields set and all."""
    race = parse_race(SEED_TEXT, "seed.txt")
    for entry, ranked in zip(race.entries, rank_entries(race.entries), strict=True):
        derived = {name: getattr(ranked, name) for name in ranked.model_fields_set}
        expected = entry.model_copy(update=derived)
        assert ranked == expected
        assert ranked.model_fields_set == expected.model_fields_set
        assert ranked.model_dump() == expected.model_dump()
        assert list(ranked.__dict__) == list(expected.__dict__)


@pytest.mark.parametrize("path", [SEED, *sorted(REAL_DOCUMENTS.glob("*.txt"))], ids=str)
def test_entries_made_at_once_are_validated_then_ranked(path: Path) -> None:
    """ranked_entries (the parser's fast path) makes what validating and ranking makes."""
    given = "position status class_ number team drivers chassis engine tyre laps line".split()
    race = parse_race(path.read_text(encoding="utf-8"), path.name)
    fields = [{name: getattr(entry, name) for name in given} for entry in race.entries]
    expected = rank_entries(Entry.model_validate(entry) for entry in fields)
    for made, wanted in zip(ranked_entries(fields), expected, strict=True):
        assert made == wanted
        assert made.model_fields_set == wanted.model_fields_set
        assert list(made.__dict__.items()) == list(wanted.__dict__.items())


@given(st.text(alphabet="0123456789", min_size=1, max_size=12))
def test_count_reads_few_digits_as_many(digits: str) -> None:
    """count's shortcut for a few digits gives what reading the significant digits gives."""
    significant = digits.lstrip("0")
    value = int(significant) if 0 < len(significant) <= 5 else 0
    if len(significant) > 5 or value > MAX_COUNT:
        with pytest.raises(SeedError, match=f"laps '{digits}' is over 10,000"):
            count("laps", digits, "doc.txt", 3)
    else:
        assert count("laps", digits, "doc.txt", 3) == value


def test_the_fast_path_knows_every_check_an_entry_makes() -> None:
    """The parser skips `Entry` validation for fields `tables._valid_as_is` passes, so that check
    must cover every constraint and validator the model has: change one, change both."""
    constraints = {
        name: (str(field.annotation), [repr(rule) for rule in field.metadata])
        for name, field in Entry.model_fields.items()
        if field.metadata
    }
    assert constraints == {
        "position": ("int | None", ["Ge(ge=1)"]),
        "class_": ("<class 'str'>", ["MinLen(min_length=1)"]),
        "number": ("<class 'str'>", ["MinLen(min_length=1)"]),
        "laps": ("int | None", ["Ge(ge=0)"]),
        "line": ("<class 'int'>", ["Ge(ge=1)"]),
    }
    decorators = Entry.__pydantic_decorators__
    assert not decorators.field_validators
    assert not decorators.model_validators
    assert not decorators.validators
    assert not decorators.root_validators


_VALID_FIELDS = {
    "position": 3,
    "status": Status.CLASSIFIED,
    "class_": "GT",
    "number": "7",
    "team": "Team",
    "drivers": ("Ann Bee",),
    "chassis": None,
    "engine": None,
    "tyre": None,
    "laps": 50,
    "line": 12,
}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("position", 0),
        ("position", 1),
        ("position", None),
        ("laps", -1),
        ("laps", 0),
        ("laps", None),
        ("class_", ""),
        ("class_", "G"),
        ("number", ""),
        ("number", "0"),
        ("line", 0),
        ("line", 1),
    ],
)
def test_the_fast_path_agrees_with_validation_at_each_bound(field: str, value: object) -> None:
    """`_valid_as_is` passes exactly the fields `Entry` validation passes, at every bound."""
    fields = {**_VALID_FIELDS, field: value}
    try:
        Entry.model_validate(fields)
        valid = True
    except ValidationError:
        valid = False
    assert _valid_as_is(fields) is valid


# Words that exercise every branch of a crew's or a team's cut and of `visible`: flags,
# particles, suffixes, accents, marks, zero-width and blank characters, other white space.
_HOSTILE_WORDS = st.sampled_from(
    [
        *"Zoë Brück Ann Lee van de Jr. III St. USA GBR é \u0301 \u200b \u3164 \u2800".split(),
        *"x\u200b \u0301a a\u0301 ² ① ٣ - # DNF".split(),
        *("\u00a0", "\t", "\u2028", "", " "),
    ]
)
_HOSTILE_CELLS = st.lists(_HOSTILE_WORDS, max_size=8).map(" ".join)


def _crew_as_cut(cell: str) -> tuple[str, ...]:
    """What `tables._crew` stands for: the cut, checked driver by driver."""
    drivers = split_drivers(cell)
    return drivers if all(map(visible, drivers)) else ()


def _team_as_cut(cell: str, flagged: bool) -> str:
    team = clean_team(cell, flagged)
    return team if visible(team) else ""


@given(_HOSTILE_CELLS)
def test_a_crew_cut_at_once_or_cached_is_the_cut_checked_driver_by_driver(cell: str) -> None:
    """`_crew` (the ASCII and every-word-shows fast paths, and its cache across documents)
    gives what cutting and checking each driver gives, the first time and every time after."""
    expected = _crew_as_cut(cell)
    tables._CREWS.clear()
    assert tables._crew(cell) == expected
    assert tables._crew(cell) == expected
    if tables._EVERY_WORD_SHOWS.fullmatch(cell):  # the scan is sure, never a guess
        assert expected == split_drivers(cell)


@given(_HOSTILE_CELLS, st.booleans())
def test_a_team_cut_at_once_or_cached_is_the_team_checked(cell: str, flagged: bool) -> None:
    expected = _team_as_cut(cell, flagged)
    for cache in tables._TEAMS:
        cache.clear()
    assert tables._team_name(cell, flagged) == expected
    assert tables._team_name(cell, flagged) == expected


def test_the_cut_caches_are_bounded() -> None:
    tables._CREWS.clear()
    for index in range(tables._MAX_CACHED + 5):
        tables._crew(f"Ann Lee{index}")
    assert len(tables._CREWS) <= tables._MAX_CACHED
