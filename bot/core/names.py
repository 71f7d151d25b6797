"""Names in result cells: flag artifacts, and crews of drivers written without delimiters.

The documents are rendered wiki tables. A flag icon becomes its three-letter country code,
so cells read "USA JMB Racing USA" or "David McEntee USA Jason Workman". Driver cells list a
crew as one run of words. The rules below are deliberately simple so a reader can predict them:

* A driver's name is a given name and a family name (two capitalised words). Lower-case
  particles ("van", "de", "von", "da", "dos", ...) join the family name that follows them, and
  generational suffixes ("Jr.", "Sr.", "II", "III", "IV") join the name before them.
* A country code standing on its own in a driver cell is a flag, and so a boundary between
  two drivers.
* When a run of words cannot be cut into two-word names (an odd count), the last driver of the
  run takes the extra word: "Juan Pablo Montoya" alone is one driver.
* In a team cell only a *leading* country code is a flag, and only when at least two words
  remain: "USA JMB Racing USA" is "JMB Racing USA", while "ADT Champion Racing" and
  "USA Racing" are left alone.
"""

from __future__ import annotations

from typing import Final

# IOC/FIA three-letter codes that flag icons render as. Not exhaustive of the world, but of
# the nations motor-racing results carry; a code missing here is kept as a word.
COUNTRY_CODES: Final = frozenset(
    """
    ARG AUS AUT BEL BRA BUL CAN CHE CHI CHN COL CRO CZE DEN DEU ECU ESP EST FIN FRA GBR GER
    GRE HKG HUN IND INA IRL ISR ITA JPN KOR LAT LTU LUX MAS MEX MON NED NOR NZL PER POL POR
    PRT QAT RSA RUS SGP SIN SLO SUI SVK SWE SWI THA TPE TUR UAE UKR URU USA VEN ZAF ZIM
    """.split()
)
PARTICLES: Final = frozenset(
    "van von de der den di da das dos do del della des du la le ten ter zu af av bin".split()
)
# Matched exactly: "Iv" or "Jr" in lower case could be part of a real name.
SUFFIXES: Final = frozenset({"Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"})


def is_flag(word: str) -> bool:
    """Whether a word is a rendered flag icon (an upper-case country code)."""
    return word in COUNTRY_CODES


def clean_team(cell: str) -> str:
    """The team name without a leading flag artifact."""
    words = cell.split()
    if len(words) >= 3 and is_flag(words[0]):
        words = words[1:]
    return " ".join(words)


def split_drivers(cell: str) -> tuple[str, ...]:
    """Cut a driver cell into full names (see the module docstring for the rules)."""
    names: list[str] = []
    run: list[str] = []
    for word in cell.split():
        if is_flag(word):
            names.extend(_split_run(run))
            run = []
        else:
            run.append(word)
    names.extend(_split_run(run))
    return tuple(names)


def _split_run(words: list[str]) -> list[str]:
    """Cut flag-free words into names of a given name and a family name."""
    # Group particles with the word they precede and suffixes with the word they follow,
    # so each group is one "core" word of a name.
    groups: list[list[str]] = []
    pending: list[str] = []
    for word in words:
        lowered = word.lower()
        if word in SUFFIXES and groups and not pending:
            groups[-1].append(word)
        elif word[:1].islower() and lowered in PARTICLES:
            pending.append(word)
        else:
            groups.append([*pending, word])
            pending = []
    if pending:  # trailing particles belong to the last word after all
        if groups:
            groups[-1].extend(pending)
        else:
            groups.append(pending)
    names: list[str] = []
    while groups:
        take = 3 if len(groups) == 3 else min(2, len(groups))
        names.append(" ".join(word for group in groups[:take] for word in group))
        groups = groups[take:]
    return names


def normalise_spaces(text: str) -> str:
    """Collapse runs of white space into one space and trim."""
    return " ".join(text.split())
