"""`change_keeps_identities` says a changed race leaves the identities as they were only when
`decide` over the changed library agrees: names drawn from a few words, numbers and people, so
that slips, sponsors in front and shared entries happen often."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from hypothesis import event, given, settings
from hypothesis import strategies as st

from bench.synthetic import synthetic_races
from bot.core.documents.model import CarNames, car_names
from bot.core.library.catalogue import TeamsElsewhere, build_index
from bot.core.library.identities import (
    Alias,
    Aliases,
    Identities,
    RaceCars,
    TeamWords,
    change_keeps_identities,
    decide,
    name_key,
    team_splits,
)
from bot.core.library.races import RaceLibrary

TEAMS = (
    "Apex Racing",
    "Apex Team",
    "Apex Racing Works",
    "Apexs Racing",
    "ADT Apex Racing",
    "Blue Apex Racing",
    "Crest Motorsport",
    "Crest Motorsports",
    "Crest Blue Racing",
    "ADT Crest Blue Racing",
    "Blue Racing",
    "BLUE  racing",
    "Blue-Racing",
    "Crest Team",
)
PEOPLE = ("Ann Apple", "Bob Birch", "Cy Cedar", "Di Dogwood", "ann apple")

cars = st.lists(
    st.tuples(
        st.sampled_from(("1", "2", "3")),
        st.sampled_from(TEAMS),
        st.lists(st.sampled_from(PEOPLE), min_size=0, max_size=2, unique=True).map(tuple),
    ),
    min_size=1,
    max_size=4,
)
races = st.lists(st.tuples(st.sampled_from(("Series A", "Series B", None)), cars), min_size=2)


def _aliases(kind: str | None) -> Aliases | None:
    """An aliases file tying ("same") or parting ("different") two of the teams, or none."""
    if kind is None:
        return None
    alias = Alias("team", ("Apex Racing", "Apex Team"), (1, 2))
    same = kind == "same"
    return Aliases(same=(alias,) if same else (), different=() if same else (alias,))


def plain(identities: Identities) -> tuple[object, ...]:
    """What `decide` found, its errors as text (errors compare by identity)."""
    found = dataclasses.astuple(dataclasses.replace(identities, errors=()))
    return (*found, [str(error) for error in identities.errors])


def car(number: str, team: str, crew: tuple[str, ...]) -> CarNames:
    return (number, team, crew, None, None)


class Elsewhere:
    """The other races, read plainly (`OtherRaces`)."""

    def __init__(self, library: Sequence[RaceCars], race_id: int) -> None:
        self.library, self.race_id = library, race_id

    def _others(self) -> list[tuple[int, str | None, Sequence[CarNames]]]:
        return [(i, s, c) for i, (s, c) in enumerate(self.library) if i != self.race_id]

    def races(self, key: str) -> set[int]:
        return {i for i, _, race in self._others() if any(name_key(c[1]) == key for c in race)}

    def crew(self, key: str, series: str, number: str) -> set[str]:
        return {
            name_key(driver)
            for _, race_series, race in self._others()
            if race_series and name_key(race_series) == series
            for n, team, crew, _, _ in race
            if n == number and name_key(team) == key
            for driver in crew
        }


@settings(max_examples=400, deadline=None)
@given(
    races,
    st.integers(0, 100),
    cars,
    st.sampled_from([None, "same", "different"]),
)
def test_a_change_said_to_keep_identities_keeps_them(
    library: list[tuple[str | None, list[tuple[str, str, tuple[str, ...]]]]],
    pick: int,
    new_cars: list[tuple[str, str, tuple[str, ...]]],
    aliases_kind: str | None,
) -> None:
    before = [(series, [car(*c) for c in race]) for series, race in library]
    race_id = pick % len(before)
    series = before[race_id][0]
    after = list(before)
    # A few of the race's cars kept, the rest replaced: renames, cars added and dropped.
    kept = before[race_id][1][: pick % (len(before[race_id][1]) + 1)]
    after[race_id] = (series, [*kept, *(car(*c) for c in new_cars)])
    aliases = _aliases(aliases_kind)
    old = decide(before, aliases, likely=False)
    teams = TeamWords(team_splits(c[1] for _, race in before for c in race))
    kept_identities = change_keeps_identities(
        old,
        aliases,
        (race_id, series),
        before[race_id][1],
        after[race_id][1],
        teams,
        Elsewhere(before, race_id),
    )
    new = decide(after, aliases, likely=False)
    event(f"said kept: {kept_identities}; kept: {plain(new) == plain(old)}")
    if kept_identities:
        assert plain(new) == plain(old)


def test_the_entry_rule_is_read_from_the_other_races() -> None:
    """A renamed car that another race's team of the same words ran with the same number and
    crew would be tied to it: not kept; with another crew it is."""
    other = ("Series A", [car("7", "Apex Racing", ("Ann Apple", "Bob Birch"))])
    old_race = ("Series A", [car("7", "Crest Team", ("Ann Apple", "Bob Birch"))])
    for crew, kept in ((("Ann Apple", "Bob Birch"), False), (("Cy Cedar",), True)):
        new_race = ("Series A", [car("7", "Apex Racing Works", crew)])
        before, after = [old_race, other], [new_race, other]
        old = decide(before, likely=False)
        teams = TeamWords(team_splits(["Apex Racing", "Crest Team"]))
        said = change_keeps_identities(
            old, None, (0, "Series A"), old_race[1], new_race[1], teams, Elsewhere(before, 0)
        )
        assert said is kept
        assert (plain(decide(after, likely=False)) == plain(old)) is kept


def test_the_catalogue_reads_the_other_races_as_they_are() -> None:
    """`TeamsElsewhere` (from the index and a few cars) reads a team's races and crews on a
    number as the races themselves give them."""
    races = list(synthetic_races(12, seed=3))
    library = RaceLibrary(races)
    index = build_index(
        library.summaries, ([car_names(e) for e in r.entries] for r in library.races)
    )
    plain = [(race.series, [car_names(e) for e in race.entries]) for race in library.races]
    for race_id in (0, 5):
        indexed = TeamsElsewhere(index, library.summaries, library.entries, race_id)
        elsewhere = Elsewhere(plain, race_id)
        teams = {name_key(car[1]) for _, race in plain for car in race}
        numbers = {car[0] for _, race in plain for car in race}
        series = name_key(plain[0][0] or "")
        for key in sorted(teams):
            assert indexed.races(key) == elsewhere.races(key)
            for number in sorted(numbers):
                assert indexed.crew(key, series, number) == elsewhere.crew(key, series, number)


@settings(max_examples=400, deadline=None)
@given(
    races,
    st.integers(0, 100),
    st.sampled_from(("Series A", "Series B", "Series C", None)),
    cars,
    st.sampled_from([None, "same", "different"]),
)
def test_a_new_race_said_to_keep_identities_keeps_them(
    library: list[tuple[str | None, list[tuple[str, str, tuple[str, ...]]]]],
    pick: int,
    series: str | None,
    new_cars: list[tuple[str, str, tuple[str, ...]]],
    aliases_kind: str | None,
) -> None:
    """A new race (no cars before; checked by an id no race has, as `LibraryParts` does),
    anywhere in the order, in a series of the library's or a new one."""
    before = [(race_series, [car(*c) for c in race]) for race_series, race in library]
    place = pick % (len(before) + 1)
    added = [car(*c) for c in new_cars]
    after = [*before[:place], (series, added), *before[place:]]
    aliases = _aliases(aliases_kind)
    old = decide(before, aliases, likely=False)
    teams = TeamWords(team_splits(c[1] for _, race in before for c in race))
    kept_identities = change_keeps_identities(
        old, aliases, (-1, series), [], added, teams, Elsewhere(before, -1)
    )
    new = decide(after, aliases, likely=False)
    event(f"said kept: {kept_identities}; kept: {plain(new) == plain(old)}")
    if kept_identities:
        assert plain(new) == plain(old)
