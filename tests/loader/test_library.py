"""The library built from stored parts: crews cut across documents, kept between builds, give
exactly what cutting every cell again would."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.documents.names import crew_facts, cuts_by_known_names
from bot.loader.library import CrewCuts

NAMES = [
    "Scott Dixon",
    "Ryan Briscoe",
    "Christian da Matta",
    "Jan Magnussen",
    "David Brabham",
    "Jan Lammers",
    "Juan Pablo Montoya",
    "Max Papis",
]


def test_names_added_later_cut_a_crew_kept_from_before() -> None:
    """A crew cut alone first is cut again once another document writes one of its names."""
    crew = "Scott Dixon Ryan Briscoe Christian da Matta"
    cuts = CrewCuts()
    known, long = crew_facts([crew])
    assert cuts.changes(known, set(long)) == cuts_by_known_names(long, known) == {}
    known, long = crew_facts([crew, "Christian da Matta"])
    expected = {crew: ("Scott Dixon", "Ryan Briscoe", "Christian da Matta")}
    assert cuts.changes(known, set(long)) == expected
    known, long = crew_facts([crew])  # the other document removed: the cut goes back
    assert cuts.changes(known, set(long)) == {}


crews = st.lists(st.sampled_from(NAMES), min_size=1, max_size=4).map(" ".join)


@settings(max_examples=60)
@given(st.lists(st.lists(crews, min_size=1, max_size=5), min_size=1, max_size=6))
def test_kept_cuts_equal_cutting_everything_again(libraries: list[list[str]]) -> None:
    """Over any sequence of libraries (documents added and removed), the kept cuts are the cuts
    of every cell made afresh."""
    cuts = CrewCuts()
    for cells in libraries:
        known, long = crew_facts(cells)
        assert cuts.changes(known, set(long)) == cuts_by_known_names(sorted(long), known)


def test_cuts_made_elsewhere_are_the_cuts_made_here() -> None:
    """Cells cut elsewhere (a first start's parse workers) give the build the cuts it would make
    itself (in any order); cuts made with other known names, of
    other cells, or that failed are not taken: those cells are cut here."""
    cells = [
        "Scott Dixon Ryan Briscoe Christian da Matta",
        "Jan Magnussen David Brabham Jan Lammers",
        "Juan Pablo Montoya Max Papis",
        "Christian da Matta",
        "Max Papis",
    ]
    known, long = crew_facts(cells)
    assert cuts_by_known_names(long, known)  # some cell is cut otherwise: the test means something
    here = CrewCuts()
    expected = here.changes(known, set(long))
    elsewhere = CrewCuts()
    elsewhere.cut_elsewhere(known, set(long), lambda: cuts_by_known_names(long, known))
    assert elsewhere.changes(known, set(long)) == expected
    assert elsewhere._cuts == here._cuts
    wrong: dict[str, tuple[str, ...]] = dict.fromkeys(long, ("Nobody",))
    for cuts in (
        CrewCuts(),  # nothing cut elsewhere
        _cut_elsewhere(known - {"Max Papis"}, set(long), lambda: wrong),  # other names
        _cut_elsewhere(known, set(long[:1]), lambda: wrong),  # other cells
        _cut_elsewhere(known, set(long), _failed),  # a worker failed
    ):
        assert cuts.changes(known, set(long)) == expected
        assert list(cuts._cuts.items()) == list(here._cuts.items())


def _cut_elsewhere(
    known: frozenset[str], cells: set[str], cuts: Callable[[], dict[str, tuple[str, ...]]]
) -> CrewCuts:
    made = CrewCuts()
    made.cut_elsewhere(known, cells, cuts)
    return made


def _failed() -> dict[str, tuple[str, ...]]:
    raise BrokenPipeError("a worker went away")
