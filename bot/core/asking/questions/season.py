"""/season: a series' season as loaded, its races in round order and who won most in class.

A season is the loaded races that name the same series (compared as names are: case, accents
and punctuation aside) in the same year. What was typed is read loosely: a four-digit number is
the year; the other words name the series as names are matched (word prefixes and small typos:
"american le mans"), or by the initials of its words ("ALMS" for American Le Mans Series, and
"ALM" without a last word "Series" or "Championship"). A series alone means its latest season,
a year alone that year's season (several series that year are asked back, "Which one?"); with
neither, the season of the newest race that names its series. A series read through a typo is
answered only when the typo is unmistakable (as names are, `NameIndex.reading`), and says so;
a weaker one is offered ("Did you mean …?"). Every choice asks /season with the season's label,
which names that season alone.

Standings count class results per car: a class win is first in class and classified; a class
podium is a classified top-three finish in class (a win is a podium too).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final
from weakref import WeakKeyDictionary

from bot.core.asking.answers import (
    AmbiguousAnswer,
    Answer,
    Choice,
    Correction,
    InvalidAnswer,
    NotFoundAnswer,
    SeasonAnswer,
    SeasonStanding,
    Subject,
)
from bot.core.asking.questions.common import Refused, clean, given, require_races
from bot.core.documents.model import Race, Status
from bot.core.formats import clip, plural
from bot.core.library.catalogue import Catalogue
from bot.core.library.identities import DRIVER, NO_IDENTITIES, TEAM, Identities
from bot.core.limits import MAX_CHOICE_LABEL, MAX_DID_YOU_MEAN, MAX_OFFERS, MAX_OPTIONS
from bot.core.matching import NameIndex, NameKeys, Tier, compact, normalise

PODIUM: Final = 3
"""Class positions that make a podium."""
_YEAR: Final = re.compile(r"(?:1[89]|2[0-9])[0-9]{2}")
_GENERIC_LAST: Final = frozenset({"series", "championship", "cup", "trophy"})
NO_SEASONS: Final = "No loaded race names its series and year, so there is no season to show."


@dataclass(frozen=True, slots=True)
class Season:
    """One series' races of one year (race ids, newest first)."""

    series: str
    year: int
    race_ids: tuple[int, ...]

    @property
    def label(self) -> str:
        """'2003 American Le Mans Series'."""
        return f"{self.year} {self.series}"

    @property
    def choice(self) -> Choice:
        """This season one tap away: '2003 American Le Mans Series · 1 race'."""
        label = f"{self.label} · {plural(len(self.race_ids), 'race')}"
        return Choice(
            label=clip(label, MAX_CHOICE_LABEL), command="season", options=(("series", self.label),)
        )


@dataclass(frozen=True, slots=True)
class _Matched:
    """The seasons a text fits, and whether the series was only guessed or read through a typo."""

    seasons: list[Season]
    sure: bool = True
    corrected: bool = False
    """The series was read through an unmistakable typo: the answer says so."""


def initials(series: str) -> tuple[str, ...]:
    """The acronyms a series is known by: 'alms' and 'alm' for American Le Mans Series."""
    words = normalise(series).split()
    if len(words) < 2:
        return ()
    found = ["".join(word[0] for word in words)]
    if words[-1] in _GENERIC_LAST and len(words) > 2:
        found.append("".join(word[0] for word in words[:-1]))
    return tuple(found)


class Seasons:
    """The loaded seasons, newest first, and an index of the series' names and initials."""

    def __init__(self, catalogue: Catalogue) -> None:
        displays: dict[str, str] = {}  # series key -> the first way it is written
        groups: dict[tuple[str, int], list[int]] = {}
        for race_id, race in enumerate(catalogue.summaries):  # newest first
            key = compact(normalise(race.series or ""))
            if key and race.year is not None:
                display = displays.setdefault(key, " ".join((race.series or "").split()))
                groups.setdefault((display, race.year), []).append(race_id)
        self.all = tuple(Season(s, y, tuple(ids)) for (s, y), ids in groups.items())
        self.series = tuple(displays.values())
        self.index = NameIndex(NameKeys((name,), aliases=initials(name)) for name in self.series)

    def matching(self, typed: str, *, loose: bool = False) -> list[Season]:
        """Seasons whose year and series fit what was typed (normalised); `loose` for
        autocomplete, where a year may be partly typed and words are prefixes."""
        return self._matched(typed, loose=loose).seasons

    def _matched(self, typed: str, *, loose: bool = False) -> _Matched:
        """`matching`, and how sure the series match is."""
        words = typed.split()
        years = [word for word in words if (word.isdigit() if loose else _YEAR.fullmatch(word))]
        rest = " ".join(word for word in words if word not in years)
        found, sure, corrected = self.all, True, False
        if rest:
            if loose:
                ids = set(self.index.matches(rest, min_prefix=1, fuzzy_below=MAX_OPTIONS))
            else:
                hits = self.index.search(rest)
                ids = {hit.id for hit in hits}
                if hits and hits[0].tier is Tier.FUZZY:
                    sure = corrected = len(ids) == 1 and self.index.reading(rest) is not None
            names = {self.series[i] for i in ids}
            found = tuple(season for season in found if season.series in names)
        fits = [s for s in found if all(str(s.year).startswith(year) for year in years)]
        return _Matched(fits, sure, corrected)

    def find(self, text: str) -> tuple[Season, tuple[Correction, ...]]:
        """The one season the text names, and the typo its series was read through, if any;
        refused when it names none, several or two years, or only by a guess."""
        if not text:
            if not self.all:
                raise Refused(InvalidAnswer(message=NO_SEASONS))
            return self.all[0], ()
        shown, typed = clean(text, Subject.SEASON)
        if len({word for word in typed.split() if _YEAR.fullmatch(word)}) > 1:
            raise Refused(InvalidAnswer(message="Ask for one year at a time, e.g. /season 2003."))
        matched = self._matched(typed)
        found = matched.seasons
        if not found or not matched.sure:
            raise Refused(self._offer(shown, typed, found))
        if len({season.series for season in found}) > 1:
            raise Refused(
                AmbiguousAnswer(
                    subject=Subject.SEASON,
                    query=shown,
                    options=tuple(season.label for season in found[:MAX_OPTIONS]),
                    more=max(0, len(found) - MAX_OPTIONS),
                    choices=tuple(season.choice for season in found[:MAX_OFFERS]),
                )
            )
        # One series: its latest season, or the year asked for.
        fixes = (Correction(typed=shown, read_as=found[0].label),) if matched.corrected else ()
        return found[0], fixes

    def _offer(self, shown: str, typed: str, guessed: list[Season]) -> NotFoundAnswer:
        """No season for sure: the guessed ones, else the seasons of the series the words are
        close to; nothing when they are close to none (a year alone names no series)."""
        words = " ".join(w for w in typed.split() if not _YEAR.fullmatch(w))
        near = guessed or (self.matching(words) or self._near(words) if words else [])
        return NotFoundAnswer(
            subject=Subject.SEASON,
            query=shown,
            suggestions=tuple(season.label for season in near[:MAX_DID_YOU_MEAN]),
            choices=tuple(season.choice for season in near[:MAX_OFFERS]),
        )

    def _near(self, words: str) -> list[Season]:
        """Seasons of the series whose names are close to the words (looser than a match)."""
        names = {self.series[i] for i in self.index.near(words, limit=MAX_OFFERS)}
        return [season for season in self.all if season.series in names]


_SEASONS: WeakKeyDictionary[Catalogue, Seasons] = WeakKeyDictionary()


def seasons(catalogue: Catalogue) -> Seasons:
    """The catalogue's seasons, grouped once per library."""
    found = _SEASONS.get(catalogue)
    if found is None:
        found = _SEASONS[catalogue] = Seasons(catalogue)
    return found


def season(catalogue: Catalogue, series: str | None = None, year: str | None = None) -> Answer:
    """A series' season: its races in round order, then most class wins and class podiums."""
    require_races(catalogue)
    text = " ".join(part for part in (series, year) if part is not None and given(part))
    chosen, corrections = seasons(catalogue).find(text)
    races = sorted(
        (catalogue.races[race_id] for race_id in chosen.race_ids),
        key=lambda race: (race.round is None, race.round or 0, race.date or dt.date.max),
    )
    drivers, teams, grouped = standings(races, catalogue.identities)
    return SeasonAnswer(
        series=chosen.series,
        year=chosen.year,
        races=tuple(races),
        drivers=drivers,
        teams=teams,
        corrections=corrections,
        notes=grouped,
    )


def standings(
    races: Iterable[Race], identities: Identities = NO_IDENTITIES
) -> tuple[tuple[SeasonStanding, ...], tuple[SeasonStanding, ...], tuple[str, ...]]:
    """Drivers and teams with a class podium: most class wins first, then most podiums; each
    team and person one identity as the catalogue has them, and the names grouped, said aloud."""
    drivers, teams = _Tally(identities, DRIVER), _Tally(identities, TEAM)
    for race in races:
        for entry in race.entries:
            position = entry.class_position
            if entry.status is Status.CLASSIFIED and position and position <= PODIUM:
                drivers.add(entry.drivers, entry.is_class_winner)
                teams.add((entry.team,), entry.is_class_winner)
    return (
        drivers.ranked(),
        teams.ranked(),
        (*teams.grouped("entered"), *drivers.grouped("written")),
    )


class _Tally:
    """Class wins and podiums by name, told apart as the catalogue tells names apart."""

    def __init__(self, identities: Identities, kind: str) -> None:
        self.identities = identities
        self.kind = kind
        self.names: dict[str, str] = {}
        self.wins: dict[str, int] = {}
        self.podiums: dict[str, int] = {}
        self.spellings: dict[str, dict[str, str]] = {}  # identity key -> name key -> as written

    def add(self, names: Iterable[str], win: bool) -> None:
        """Count one class podium (and maybe a win) for each name."""
        for name in names:
            written = compact(normalise(name))
            key = self.identities.root(self.kind, written)
            if key:
                shown = " ".join(name.split())
                self.spellings.setdefault(key, {}).setdefault(written, shown)
                display = self.identities.displays.get((self.kind, key), shown)
                self.names.setdefault(key, display)
                self.wins[key] = self.wins.get(key, 0) + win
                self.podiums[key] = self.podiums.get(key, 0) + 1

    def grouped(self, verb: str) -> list[str]:
        """Each name counted under several spellings: "Champion Racing, also entered as …"."""
        notes = []
        for key, written in self.spellings.items():
            if len(written) > 1:
                name = self.names[key]
                others = [shown for shown in written.values() if shown != name]
                notes.append(f"{name}, also {verb} as {' and '.join(others)}")
        return notes

    def ranked(self) -> tuple[SeasonStanding, ...]:
        """Most class wins first, then most podiums, then by name."""
        rows = (
            SeasonStanding(name=name, wins=self.wins[key], podiums=self.podiums[key])
            for key, name in self.names.items()
        )
        return tuple(sorted(rows, key=lambda row: (-row.wins, -row.podiums, row.name.casefold())))


def season_choices(catalogue: Catalogue, typed: str, limit: int) -> list[tuple[str, str]]:
    """Loaded seasons fitting what is typed, newest first, as (label, value) pairs."""
    found = seasons(catalogue).matching(typed, loose=True) if typed else seasons(catalogue).all
    return [
        (f"{season.label} · {plural(len(season.race_ids), 'race')}", season.label)
        for season in found[:limit]
    ]
