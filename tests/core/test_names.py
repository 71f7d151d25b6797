"""Driver crews and team names as the flag-rendered cells write them."""

from __future__ import annotations

import pytest

from bot.core.names import clean_team, split_drivers


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
