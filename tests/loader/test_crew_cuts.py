"""Crews written without separators, cut with the names other documents write alone: the cuts
kept between builds and re-keyed to other names (names added and gone) are the cuts made
afresh with those names, and re-keying names exactly the cells whose cut changed."""

from __future__ import annotations

from hypothesis import event, given, settings
from hypothesis import strategies as st

from bot.core.documents.names import crew_facts, cuts_by_known_names
from bot.loader.library import CrewCuts, _with_writers

PEOPLE = (
    "Ann Apple",
    "Ann Apple Birch",
    "Bob Birch",
    "Birch Cy",
    "Cy Cedar Jr.",
    "Di van Dogwood",
    "Ed Elm",
    "Elm Fay",
)

crews = st.lists(st.sampled_from(PEOPLE), min_size=1, max_size=4).map(" ".join)
names = st.sets(st.sampled_from(PEOPLE)).map(frozenset)


@settings(max_examples=300, deadline=None)
@given(st.lists(crews, min_size=1, max_size=12), names, names, st.booleans())
def test_cuts_rekeyed_are_the_cuts_made_afresh(
    cells: list[str], first: frozenset[str], then: frozenset[str], kept: bool
) -> None:
    long = set(crew_facts(cells)[1])
    cuts = CrewCuts()
    before = cuts.changes(first, long)
    if kept:  # as a snapshot keeps them: compressed, read when needed
        known, chunks = cuts.state()()
        cuts = CrewCuts.from_state(known, chunks)
    changed = cuts.rekey(then)
    event(f"cells cut differently: {bool(changed)}")
    after = cuts_by_known_names(long, then)
    assert cuts.changes(then, long) == after
    assert changed == {cell for cell in long if before.get(cell) != after.get(cell)}


def test_the_names_written_alone_are_counted_by_race() -> None:
    """A name stays known while another race writes it alone; counts that do not hold what a
    race wrote are refused (the library is then built afresh), never trusted."""
    counts = {"Ann Apple": 2, "Bob Birch": 1}
    assert _with_writers(counts, ["Ann Apple", "Bob Birch"], ["Cy Cedar"]) == {
        "Ann Apple": 1,
        "Cy Cedar": 1,
    }
    assert _with_writers(counts, ["Ed Elm"], []) is None
    assert counts == {"Ann Apple": 2, "Bob Birch": 1}  # left as it was


def test_a_snapshot_holds_the_cuts_as_they_were_when_it_was_taken() -> None:
    """Taking the state costs nothing on the event loop; changes after it (new cells, names
    re-keyed) do not reach what it writes, and the cuts go on changing as before."""
    cuts = CrewCuts()
    first = frozenset({"Ann Apple", "Bob Birch"})
    cuts.changes(first, {"Ann Apple Bob Birch"})
    write = cuts.state()
    cuts.changes(first, {"Ann Apple Bob Birch", "Bob Birch Ann Apple"})
    cuts.rekey(frozenset({"Ann Apple", "Bob Birch", "Ed Elm"}))
    known, chunks = write()
    assert known == first
    written = CrewCuts.from_state(known, chunks)
    assert written.changes(first, set()) == {}
    written._take_kept()
    assert set(written._cuts) == {"Ann Apple Bob Birch"}
    assert set(cuts._cuts) == {"Ann Apple Bob Birch", "Bob Birch Ann Apple"}
