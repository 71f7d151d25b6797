"""Driver crews and team names as the flag-rendered cells write them."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.documents import names
from bot.core.documents.names import (
    clean_team,
    crew_facts,
    crew_runs,
    cuts_by_known_names,
    flagged_teams,
    library_cuts,
    normalise_lines,
    normalise_spaces,
    split_drivers,
    strip_controls,
)


def known_names(cells: list[str]) -> frozenset[str]:
    """The plain definition `library_cuts` is checked against: the names written unambiguously,
    runs of two or three core words between flags or edges."""
    return frozenset(
        " ".join(word for group in run for word in group)
        for cell in cells
        for run in crew_runs(cell)
        if 2 <= len(run) <= 3
    )


@pytest.mark.parametrize(
    ("cell", "drivers"),
    [
        ("Butch Leitzinger James Weaver", ("Butch Leitzinger", "James Weaver")),
        ("Joe Policastro Joe Policastro Jr.", ("Joe Policastro", "Joe Policastro Jr.")),
        ("Oswaldo Negri Jr. Scott Bader", ("Oswaldo Negri Jr.", "Scott Bader")),
        (
            "Joe Foster Brad Nyberg Rick Skelton",
            ("Joe Foster", "Brad Nyberg", "Rick Skelton"),
        ),
        (
            "Jeff Bucknum Bryan Willman Chris McMurry Andy Wallace",
            ("Jeff Bucknum", "Bryan Willman", "Chris McMurry", "Andy Wallace"),
        ),
        ("Aaron Povoledo Jean-Philippe Belloc", ("Aaron Povoledo", "Jean-Philippe Belloc")),
        ("Tomáš Enge Peter Kox", ("Tomáš Enge", "Peter Kox")),
        ("David McEntee USA Jason Workman", ("David McEntee", "Jason Workman")),
        ("USA David McEntee GBR Jason Workman", ("David McEntee", "Jason Workman")),
        ("Jan van der Berg Tom de Vries", ("Jan van der Berg", "Tom de Vries")),
        ("Emerson Fittipaldi Christian da Matta", ("Emerson Fittipaldi", "Christian da Matta")),
        ("Pedro dos Santos Hans von Stuck", ("Pedro dos Santos", "Hans von Stuck")),
        ("Johnny O'Connell Ron Fellows", ("Johnny O'Connell", "Ron Fellows")),
        ("JJ Lehto Johnny Herbert", ("JJ Lehto", "Johnny Herbert")),
        ("Graham Hill II Damon Hill", ("Graham Hill II", "Damon Hill")),
        ("Jacky Ickx", ("Jacky Ickx",)),
        # Suffixes match exactly: "Iv" is a name, "IV" a suffix.
        ("Ana Iv Ben Cox", ("Ana Iv", "Ben Cox")),
        ("Al Unser IV Ben Cox", ("Al Unser IV", "Ben Cox")),
        # Odd word counts: the last driver of the run takes the extra word (documented rule).
        ("Juan Pablo Montoya", ("Juan Pablo Montoya",)),
        ("Scott Dixon Juan Pablo Montoya", ("Scott Dixon", "Juan Pablo Montoya")),
        ("Juan Pablo Montoya USA Scott Dixon", ("Juan Pablo Montoya", "Scott Dixon")),
        ("", ()),
    ],
)
def test_split_drivers(cell: str, drivers: tuple[str, ...]) -> None:
    """Crews of one to four drivers split into full names by the documented rules."""
    assert split_drivers(cell) == drivers


@pytest.mark.parametrize(
    ("cell", "team"),
    [
        ("USA JMB Racing USA", "JMB Racing USA"),
        ("JMB Racing USA", "JMB Racing USA"),
        ("ADT Champion Racing", "ADT Champion Racing"),
        ("GBR Prodrive Racing", "Prodrive Racing"),
        ("USA Racing", "USA Racing"),
        ("Prodrive", "Prodrive"),
        ("  The   Racer's Group ", "The Racer's Group"),
    ],
)
def test_clean_team(cell: str, team: str) -> None:
    """Only a leading flag before a name of two or more words is dropped."""
    assert clean_team(cell) == team


@pytest.mark.parametrize(
    ("cell", "drivers"),
    [
        ("GBR Henri St. Pierre-Dubois Ian McRae", ("Henri St. Pierre-Dubois", "Ian McRae")),
        (
            "Jean-Paul Roux Luis Carlos Ferraz da Costa",
            ("Jean-Paul Roux", "Luis Carlos Ferraz da Costa"),
        ),
        ("Jean-Paul Roux", ("Jean-Paul Roux",)),
        (
            "FRA Jean-Paul Roux BRA Luis Carlos FRA Ann Bee",
            ("Jean-Paul Roux", "Luis Carlos", "Ann Bee"),
        ),
        (
            "Ann Bee Cy Dee Ed Eff Luis Carlos Ferraz da Costa",
            ("Ann Bee", "Cy Dee", "Ed Eff", "Luis Carlos Ferraz da Costa"),
        ),
        ("Ann Bee Carlos Ferraz da Costa", ("Ann Bee", "Carlos Ferraz da Costa")),
        ("Luis Carlos da Costa", ("Luis Carlos da Costa",)),
        ("Al Unser Jr. Ann Bee Cy Dee", ("Al Unser Jr.", "Ann Bee", "Cy Dee")),
        ("Ann Bee Cy St. Dee Ed Eff", ("Ann Bee", "Cy St. Dee", "Ed Eff")),
        (
            "USA Ann Bee DEU Cy Dee GBR Ed Eff FRA Gus Hay",
            ("Ann Bee", "Cy Dee", "Ed Eff", "Gus Hay"),
        ),
    ],
)
def test_split_drivers_with_every_signal(cell: str, drivers: tuple[str, ...]) -> None:
    """Flags, particles, suffixes, "St." and hyphens each mark where a name ends."""
    assert split_drivers(cell) == drivers


def test_known_names_regroup_an_ambiguous_crew() -> None:
    """A name seen alone or between flags elsewhere is kept whole inside a longer run."""
    known = known_names(
        ["Christian da Matta", "USA Ryan Briscoe GBR Ann Bee", "Ann Bee Cy Dee Ed Eff"]
    )
    assert known == {"Christian da Matta", "Ryan Briscoe", "Ann Bee"}
    cell = "Scott Dixon Ryan Briscoe Christian da Matta"
    assert split_drivers(cell) == ("Scott Dixon", "Ryan Briscoe Christian da Matta")
    assert split_drivers(cell, known) == ("Scott Dixon", "Ryan Briscoe", "Christian da Matta")


def test_known_names_never_strand_one_word() -> None:
    """A known name that would leave a single word beside it is not used."""
    assert split_drivers("Ann Ryan Briscoe Bee", frozenset({"Ryan Briscoe"})) == (
        "Ann Ryan",
        "Briscoe Bee",
    )


@pytest.mark.parametrize(
    ("cell", "team"),
    [
        ("Alpha Motorsport DEU Beta Motorsport", "Alpha Motorsport Beta Motorsport"),
        ("GBR Alpha Racing GBR Beta Engineering", "Alpha Racing Beta Engineering"),
        ("JMB Racing USA", "JMB Racing USA"),
        ("FRA JMB Racing USA", "JMB Racing USA"),
        ("USA", "USA"),
    ],
)
def test_flags_anywhere_in_a_team(cell: str, team: str) -> None:
    """Every code in a team cell is a flag except one at the very end."""
    assert clean_team(cell) == team


def test_controls_are_removed() -> None:
    """C0, C1 and bidi controls never survive; tabs and newlines become spaces."""
    assert normalise_spaces("A\x1b[31mB\u202eC\x85D\tE\x00") == "A[31mBC D E"
    assert strip_controls("x\u2066y\x07") == "xy"


def test_lines_are_normalised_as_each_line_alone() -> None:
    """Lines break at \\n only; every other control is cleaned as normalise_spaces does."""
    text = "= T =\x0b\n|\ta\x85b | c\u2028d |\n\u202e\x00\n"
    assert normalise_lines(text) == ["= T =", "| a b | c d |", "", ""]


@given(st.text(alphabet=st.sampled_from("ab |\n\t\r\x00\x0b\x1c\x85\u2028\u202e\u3000")))
def test_normalise_lines_matches_normalise_spaces(text: str) -> None:
    """One pass over the document gives what normalising each line alone gives."""
    assert normalise_lines(text) == [normalise_spaces(line) for line in text.split("\n")]


@given(st.text(alphabet=st.sampled_from("ab |\n")))
def test_clean_lines_are_kept_as_they_are(text: str) -> None:
    """The shortcut for documents already clean gives what normalising each line gives."""
    assert normalise_lines(text) == [normalise_spaces(line) for line in text.split("\n")]


def test_every_control_and_white_space_but_the_space_is_unprintable() -> None:
    """What normalise_lines' shortcut for clean documents rests on."""
    for code in range(0x110000):
        char = chr(code)
        if char != " " and (char.isspace() or names._CONTROLS.match(char)):
            assert not char.isprintable(), hex(code)


@pytest.mark.parametrize(
    ("cells", "flagged"),
    [
        (["GBR Prodrive", "USA Dyson", "Team"], True),
        (["GBR Prodrive", "", "Team"], False),
        (["", " ", "USA"], False),
        ([], False),
    ],
)
def test_flagged_teams(cells: list[str], flagged: bool) -> None:
    """A table flags its teams when most cells start with a country code."""
    assert flagged_teams(cells) is flagged


_WORDS = ["Ann", "Bee", "Cy", "Dee", "da", "van", "Jr.", "St.", "USA", "GBR", "Ryan", "Briscoe"]


@given(st.lists(st.lists(st.sampled_from(_WORDS), max_size=9).map(" ".join), max_size=12))
def test_library_cuts_are_split_drivers_with_the_known_names(cells: list[str]) -> None:
    """The folder pass's shortcut gives the same cut, and skips only cells it cannot change."""
    known = known_names(cells)
    cuts = library_cuts(cells)
    for cell in cells:
        assert cuts.get(cell, split_drivers(cell)) == split_drivers(cell, known)
    assert all(cut != split_drivers(cell) for cell, cut in cuts.items())  # changes only


@settings(max_examples=300)
@given(
    st.lists(
        st.lists(st.lists(st.sampled_from(_WORDS), max_size=9).map(" ".join), max_size=6),
        max_size=6,
    ),
    st.integers(min_value=1, max_value=4),
)
def test_the_crew_pass_by_documents_and_in_parts_is_the_pass_at_once(
    documents: list[list[str]], parts: int
) -> None:
    """Each document's crew facts, united, and the crews cut again in parts (as the workers
    do) give what one pass over the library's cells gives."""
    cells = [cell for document in documents for cell in document]
    facts = [crew_facts(document) for document in documents]
    known = frozenset().union(*(known for known, _ in facts))
    long = sorted(set().union(*(long for _, long in facts)))
    assert (known, long) == (crew_facts(cells)[0], sorted(crew_facts(cells)[1]))
    found: dict[str, tuple[str, ...]] = {}
    for start in range(parts):
        found.update(cuts_by_known_names(long[start::parts], known))
    assert found == library_cuts(cells)


def test_library_cuts_cut_an_ambiguous_crew_again() -> None:
    """A long crew is cut with the names other cells write alone."""
    cells = [
        "Christian da Matta",
        "USA Ryan Briscoe",
        "Scott Dixon Ryan Briscoe Christian da Matta",
    ]
    assert library_cuts(cells) == {cells[2]: ("Scott Dixon", "Ryan Briscoe", "Christian da Matta")}


_ANY_WORDS = [*_WORDS, "Van", "VAN", "vAn", "DA", "Sr", "III", "Ste.", "Dos", "Al", "Lu", "Mo"]


@given(
    st.lists(st.sampled_from(_ANY_WORDS), max_size=11).map(" ".join),
    st.sampled_from([frozenset(), frozenset({"Ann Bee", "Van Lu"})]),
)
def test_plain_crews_are_cut_as_the_general_rules_cut_them(
    cell: str, known: frozenset[str]
) -> None:
    """The shortcut for crews of plain words gives what the run-by-run rules give."""
    assert split_drivers(cell, known) == names._cut(names.crew_runs(cell), known, None)


_PLAIN = ["Ann", "Bee", "Cy", "Dee", "Eve", "Fay"]


@settings(max_examples=400)
@given(
    st.lists(st.lists(st.sampled_from(_PLAIN), min_size=1, max_size=9).map(" ".join), max_size=14)
)
def test_plain_crews_keep_their_cut_only_when_the_known_names_would(cells: list[str]) -> None:
    """The check that skips re-cutting plain crews never skips one the known names change."""
    known = known_names(cells)
    cuts = library_cuts(cells)
    for cell in cells:
        assert cuts.get(cell, split_drivers(cell)) == split_drivers(cell, known)


def test_a_plain_crew_with_a_known_name_across_its_cut_is_cut_again() -> None:
    """ "Ann Bee Cy Dee" is cut in pairs, unless "Bee Cy" or "Ann Bee Cy" is a known name."""
    crew = "Ann Bee Cy Dee Eve Fay"
    assert library_cuts([crew, "Ann Bee", "Cy Dee"]) == {}
    assert library_cuts([crew, "Ann Bee Cy"]) == {crew: ("Ann Bee Cy", "Dee Eve Fay")}


_TEAM_WORDS = ["USA", "GBR", "Racing", "JMB", "Team", "usa", "Prodrive"]


@given(st.lists(st.sampled_from(_TEAM_WORDS), max_size=6).map(" ".join), st.booleans())
def test_teams_without_a_flag_before_the_end_are_kept_whole(cell: str, flagged: bool) -> None:
    """clean_team's shortcut gives what dropping flag by flag gives."""
    words = cell.split()
    kept = [w for i, w in enumerate(words) if not names.is_flag(w) or (i == len(words) - 1 and i)]
    if not flagged and len(kept) < 2 and words and names.is_flag(words[0]):
        kept = [word for index, word in enumerate(words) if index == 0 or word in kept]
    assert clean_team(cell, flagged) == " ".join(kept)


def test_only_ascii_letters_and_the_kelvin_sign_lower_to_ascii() -> None:
    """Why every spelling of a particle is one of _PARTICLE_CASES (no particle has a 'k')."""
    lowering = {chr(c) for c in range(0x110000) if chr(c).lower().isascii()}
    assert {char for char in lowering if not char.isascii()} == {"\u212a"}
    assert not any("k" in particle for particle in names.PARTICLES)


_CASED_WORDS = [*_ANY_WORDS, "VaN", "dA", "DeLLa", "Della", "de", "Ter", "BIN", "Kai", "d", "İ"]


@given(st.lists(st.sampled_from(_CASED_WORDS), max_size=8))
def test_plain_is_no_marker_and_no_particle_in_any_case(words: list[str]) -> None:
    """_plain's one set look-up answers what lowering every word answers."""
    lowered = names.PARTICLES.isdisjoint(map(str.lower, words))
    markers = names.COUNTRY_CODES | names.PREFIXES | names.SUFFIXES
    assert names._plain(words) == (markers.isdisjoint(words) and lowered)
    for word in words:
        assert (word in names._PARTICLE_CASES) == (word.lower() in names.PARTICLES)


@given(st.lists(st.sampled_from(_CASED_WORDS), max_size=10).map(" ".join))
def test_runs_of_crews_without_flags_or_joining_words_are_the_words(cell: str) -> None:
    """crew_runs' and _groups' shortcuts give what the word-by-word loops give."""
    runs: list[list[tuple[str, ...]]] = []
    for run in [part.split() for part in _split_at_flags(cell)]:
        groups: list[tuple[str, ...]] = []
        pending: list[str] = []
        for word in run:
            if word in names.SUFFIXES and groups and not pending:
                groups[-1] = (*groups[-1], word)
            elif word in names.PREFIXES or (word[0].islower() and word.lower() in names.PARTICLES):
                pending.append(word)
            elif pending:
                groups.append((*pending, word))
                pending = []
            else:
                groups.append((word,))
        if pending:
            groups = [*groups[:-1], (*groups[-1], *pending)] if groups else [tuple(pending)]
        runs.append(groups)
    assert names.crew_runs(cell) == runs


def _split_at_flags(cell: str) -> list[str]:
    parts: list[list[str]] = [[]]
    for word in cell.split():
        if names.is_flag(word):
            parts.append([])
        else:
            parts[-1].append(word)
    return [" ".join(part) for part in parts if part]


def _many_long_cells() -> tuple[list[str], frozenset[str]]:
    """Long cells, some of which the known names cut otherwise, spread over both halves."""
    known = frozenset({"Christian da Matta", "Ryan Briscoe", "Juan Pablo Montoya"})
    cells = []
    for number in range(60):
        given = f"Ann{number}"
        cells += [
            f"{given} Dixon Ryan Briscoe Christian da Matta",  # cut otherwise
            f"{given} Bee Juan Pablo Montoya Cy Dee",  # cut otherwise
            f"{given} Bee Ryan Briscoe Cy Dee Eve",  # cut alike
            f"{given} Bee Cy Dee USA Eve Fay Gus Hal",  # no known name
        ]
    return cells, known


def test_many_cells_are_cut_in_two_processes_as_in_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks cut by a second process (this one slowed down, so it must): the same cuts, in
    the same order."""
    cells, known = _many_long_cells()
    one_process = names._cuts_by_known_names(cells, known)
    assert len(one_process) == 120
    here: list[str] = []
    cut = names._cuts_by_known_names

    def slowly(chunk: list[str], known: frozenset[str]) -> dict[str, tuple[str, ...]]:
        here.extend(chunk)
        time.sleep(0.1)
        return cut(chunk, known)

    monkeypatch.setattr(names, "PARALLEL_CUTS_FROM", 10)
    monkeypatch.setattr(names, "_CHUNK_CELLS", 8)
    monkeypatch.setattr(names, "usable_cores", lambda: 2)
    monkeypatch.setattr(names, "_cuts_by_known_names", slowly)
    two_processes = cuts_by_known_names(cells, known)
    assert list(two_processes.items()) == list(one_process.items())
    assert 0 < len(here) < len(cells)  # each process cut some
    assert any(cell in one_process for cell in set(cells) - set(here))  # the other cut some


@pytest.mark.parametrize(
    "worker",
    [
        "import sys; sys.exit(3)",  # fails
        "import sys; sys.stdin.buffer.read(); sys.stdout.buffer.write(b'not marshal')",
        "import marshal, sys; sys.stdout.buffer.write(marshal.dumps({'a cell': ('Ann',)}))",
        # a frame of a chunk that is not its own, then one with cells of another chunk
        "import marshal, sys; f = marshal.dumps((0, {})); "
        "sys.stdout.buffer.write(len(f).to_bytes(8, 'little') + f)",
        "import marshal, sys; f = marshal.dumps((99, {'Ann Bee Cy Dee': ('Ann Bee',)})); "
        "sys.stdout.buffer.write(len(f).to_bytes(8, 'little') + f)",
    ],
)
def test_a_failing_second_process_leaves_the_cuts_to_this_one(
    monkeypatch: pytest.MonkeyPatch, worker: str
) -> None:
    """Whatever the second process does wrong, its cells are cut here."""
    cells, known = _many_long_cells()
    monkeypatch.setattr(names, "PARALLEL_CUTS_FROM", 10)
    monkeypatch.setattr(names, "_CHUNK_CELLS", 8)
    monkeypatch.setattr(names, "usable_cores", lambda: 2)
    monkeypatch.setattr(names, "_WORKER", worker)
    found = cuts_by_known_names(cells, known)
    assert list(found.items()) == list(names._cuts_by_known_names(cells, known).items())
