"""One team, one person: which names the documents write differently are one identity.

A name's key is its normalised, compact text (`bot.core.matching`), so case, accents,
punctuation and spacing never make two names ("Tomáš Enge" and "Tomas Enge", "JJ Lehto" and
"J.J. Lehto" are one key already; a flag before a name is dropped by the table reader). Beyond
that, teams are grouped by the evidence the documents give, conservatively (two real teams
merged is a wrong fact, worse than one team on two lines):

- a slip: the same words but one with or without a plural "s" ("Petersen Motorsport White
  Lightning Racing" and "Petersen Motorsports White Lightning Racing");
- a sponsor in front: a team's whole name (two words or more, one of them more than a word like
  "Racing" or "Team") ends another name ("ADT Champion Racing" is Champion Racing), both raced
  in one series, never both in one race, and what stands in front is no team's name itself
  ("Petersen Motorsports White Lightning Racing" is a joint entry: listed, not merged);
- an entry: the same car number in one series with the same crew (two drivers in common, or a
  crew of one alike), and the same distinctive words ("Intersport", "Intersport Racing"), never
  both in one race.

People are never grouped by a rule: two real people with close names must stay apart. An
aliases file (`seeds/aliases.toml`, `read_aliases`) settles what the rules get wrong: names that
are the same team or person, and names that are different (which no rule then merges). What
the rules leave apart but look alike is listed (`Identities.likely`) for `racebot check`.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, combinations
from operator import itemgetter
from typing import Final, Protocol

from bot.core.documents.model import CarNames
from bot.core.documents.seed_error import SeedError
from bot.core.matching import compact, normalise

ALIASES_FILE: Final = "aliases.toml"
"""The aliases file's name in the seeds folder."""

TEAM: Final = "team"
DRIVER: Final = "driver"
_KINDS: Final = {"teams": TEAM, "drivers": DRIVER}
"""The aliases file's keys and the kind of name each lists."""

GENERIC_WORDS: Final = frozenset(
    {
        "the", "and", "of", "team", "teams", "racing", "race", "racer", "racers", "motorsport",
        "motorsports", "motor", "motors", "sport", "sports", "autosport", "autosports",
        "engineering", "competition", "competitions", "competizione", "corse", "squadra",
        "performance", "development", "developments", "works", "factory", "usa", "inc", "ltd",
        "llc", "gmbh", "srl", "sa", "co",
    }
)  # fmt: skip
"""Words that say a name is a team, not which one: never enough alone to tie two names."""

_TEAM_WORDS: Final = GENERIC_WORDS - {"the", "and", "of", "usa"}
"""Words that make what stands in front of a team another team's name, not a sponsor's."""

Key = tuple[str, str]
"""A name as (kind, key)."""


def name_key(text: str) -> str:
    """A name's key: normalised, without spaces ("J.J. Lehto" and "JJ Lehto" are "jjlehto")."""
    return compact(normalise(text))


def _distinctive(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(word for word in words if word not in GENERIC_WORDS)


# The aliases file


@dataclass(frozen=True, slots=True)
class Alias:
    """One table of the aliases file: names of one kind that are the same, or different."""

    kind: str
    names: tuple[str, ...]
    lines: tuple[int, ...]
    """The line each name is written on."""


@dataclass(frozen=True, slots=True)
class Aliases:
    """What an aliases file says: groups of names that are one, and that are not."""

    source: str = ALIASES_FILE
    same: tuple[Alias, ...] = ()
    different: tuple[Alias, ...] = ()


_TABLE: Final = re.compile(r"^\s*\[\[\s*(same|different)\s*\]\]\s*(?:#.*)?$")
_TOML_LINE: Final = re.compile(r"at line (\d+)")


def read_aliases(text: str, source: str = ALIASES_FILE) -> tuple[Aliases, list[SeedError]]:
    """The aliases file as written, and its own errors (file and line); tables with an error
    are left out, the rest kept.

        [[same]]
        teams = ["Champion Racing", "ADT Champion Racing"]   # the first is the name shown

        [[different]]
        drivers = ["Clint Field", "Jon Field"]
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = _TOML_LINE.search(str(error))
        line = int(found[1]) if found else max(1, len(text.splitlines()))  # "at end of document"
        return Aliases(source), [SeedError(source, line, f"not TOML: {error}")]
    lines = text.splitlines()
    starts: dict[str, list[int]] = {"same": [], "different": []}
    for number, line_text in enumerate(lines, 1):
        if match := _TABLE.match(line_text):
            starts[match[1]].append(number)
    errors: list[SeedError] = []
    for key in data:
        if key not in starts:
            errors.append(SeedError(source, _line_of(lines, key, 1, len(lines)), _USAGE))
    read: dict[str, list[Alias]] = {"same": [], "different": []}
    for what in ("same", "different"):
        tables = data.get(what, [])
        if not isinstance(tables, list):
            errors.append(SeedError(source, _line_of(lines, what, 1, len(lines)), _USAGE))
            continue
        for index, table in enumerate(tables):
            first = starts[what][index] if index < len(starts[what]) else 1
            following = [n for n in (*starts["same"], *starts["different"]) if n > first]
            last = min(following) - 1 if following else len(lines)
            alias, problem = _alias(table, lines, first, last)
            if problem:
                errors.append(
                    SeedError(source, first if problem[0] is None else problem[0], problem[1])
                )
            elif alias is not None:
                read[what].append(alias)
    return Aliases(source, tuple(read["same"]), tuple(read["different"])), errors


_USAGE: Final = (
    'expected [[same]] or [[different]] tables, each with teams = ["A", "B"] or '
    'drivers = ["A", "B"]'
)


def _alias(
    table: object, lines: list[str], first: int, last: int
) -> tuple[Alias | None, tuple[int | None, str] | None]:
    """One table read, or its problem (line, message)."""
    if not isinstance(table, dict) or len(table) != 1 or next(iter(table)) not in _KINDS:
        return None, (None, _USAGE)
    key, names = next(iter(table.items()))
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        return None, (None, f"{key} must be a list of names in quotes")
    shown = [" ".join(name.split()) for name in names]
    if len({name_key(name) for name in shown}) < 2 or any(not name_key(n) for n in shown):
        return None, (None, f"{key} needs two different names or more")
    lines_of = tuple(_line_of(lines, name, first, last) for name in names)
    return Alias(_KINDS[key], tuple(shown), lines_of), None


def _line_of(lines: list[str], text: str, first: int, last: int) -> int:
    """The first line from `first` to `last` that holds `text`, else `first`."""
    for number in range(first, last + 1):
        if text in lines[number - 1]:
            return number
    return first


# Deciding


@dataclass(frozen=True, slots=True)
class Grouping:
    """Names made one identity: how they are shown, the others, and why."""

    kind: str
    name: str
    others: tuple[str, ...]
    reason: str


@dataclass(frozen=True, slots=True)
class Likely:
    """Two names that look like one but were left apart, for a maintainer to settle."""

    kind: str
    first: str
    second: str
    reason: str


@dataclass(frozen=True, slots=True)
class Identities:
    """Which names are one: each grouped key's identity key, display and other spellings."""

    roots: Mapping[Key, str] = field(default_factory=dict)
    """(kind, key) -> the key of its identity, for keys grouped under another."""
    displays: Mapping[Key, str] = field(default_factory=dict)
    """(kind, identity key) -> how the identity is shown, for grouped identities."""
    others: Mapping[Key, tuple[str, ...]] = field(default_factory=dict)
    """(kind, identity key) -> its other spellings ("ADT Champion Racing")."""
    groupings: tuple[Grouping, ...] = ()
    likely: tuple[Likely, ...] = ()
    errors: tuple[SeedError, ...] = ()
    """The aliases file's errors against the library (a name not in it, same and different)."""

    def root(self, kind: str, key: str) -> str:
        """The identity key a name key belongs to (itself unless grouped)."""
        return self.roots.get((kind, key), key)


NO_IDENTITIES: Final = Identities()

RaceCars = tuple[str | None, Sequence[CarNames]]
"""A race's series (None: unknown) and its cars."""
_TEAM: Final = itemgetter(1)
_CREW: Final = itemgetter(2)


@dataclass
class _Seen:
    """What the documents say of one kind's names."""

    spellings: dict[str, Counter[str]] = field(default_factory=dict)
    races: dict[str, set[int]] = field(default_factory=dict)
    series: dict[str, set[str]] = field(default_factory=dict)
    race_names: list[set[str]] = field(default_factory=list)
    race_series: list[str | None] = field(default_factory=list)
    """Each race's names as written, when `races` is found only for the names asked about."""
    raws: dict[str, list[str]] = field(default_factory=dict)

    def gather(self, counts: Counter[str], keys: Mapping[str, str]) -> None:
        """Each raw name's count and spellings, gathered under its key."""
        for raw, count in counts.items():
            key = keys[raw]
            if key:
                self.spellings.setdefault(key, Counter())[" ".join(raw.split())] += count
                self.raws.setdefault(key, []).append(raw)

    def series_of(self, key: str) -> set[str]:
        """The series a name ran in (found when first asked)."""
        found = self.series.get(key)
        if found is None:
            found = self.series[key] = {
                series for race_id in self._races(key) if (series := self.race_series[race_id])
            }
        return found

    def display(self, key: str) -> str:
        """The spelling a grouped name is shown by: one with its accents when a document gives
        them, else the most common (the newest of those). A name of one key alone is shown as
        the newest document writes it, by the catalogue."""
        spellings = self.spellings[key]
        if len(spellings) == 1:
            return next(iter(spellings))
        return max(spellings, key=lambda s: (not s.isascii(), spellings[s]))

    def count(self, key: str) -> int:
        return sum(self.spellings[key].values())

    def met(self, first: str, second: str) -> bool:
        """Whether both names are in one race (then they are two, as far as rules go)."""
        return not self._races(first).isdisjoint(self._races(second))

    def find_races(self, keys: set[str]) -> None:
        """The races of these names, found in one pass over the races."""
        wanted = {raw: key for key in keys - self.races.keys() for raw in self.raws[key]}
        for key in keys:
            self.races.setdefault(key, set())
        if not wanted:
            return
        looked_for = wanted.keys()
        for race_id, names in enumerate(self.race_names):
            for raw in looked_for & names:
                self.races[wanted[raw]].add(race_id)

    def _races(self, key: str) -> set[int]:
        found = self.races.get(key)
        if found is None:
            # Every name's races found in the one pass (a pass for each name asked about cost
            # a second at 10,000 races).
            self.find_races(set(self.raws))
            found = self.races[key]
        return found


class _Groups:
    """Union-find over one kind's keys, refusing a union that joins two names kept apart."""

    def __init__(self, apart: set[frozenset[str]]) -> None:
        self.parent: dict[str, str] = {}
        self.members: dict[str, set[str]] = {}
        self.apart = apart
        self.reasons: dict[str, list[str]] = {}

    def find(self, key: str) -> str:
        parent = self.parent.get(key, key)
        if parent == key:
            return key
        root = self.parent[key] = self.find(parent)
        return root

    def union(self, first: str, second: str, reason: str) -> bool:
        one, two = self.find(first), self.find(second)
        if one == two:
            return True
        ones, twos = self.members.get(one, {one}), self.members.get(two, {two})
        if any(frozenset((a, b)) in self.apart for a in ones for b in twos):
            return False
        self.parent[two] = one
        self.members[one] = ones | twos
        self.members.pop(two, None)
        self.reasons.setdefault(one, []).extend([*self.reasons.pop(two, []), reason])
        return True


def decide(
    races: Sequence[RaceCars], aliases: Aliases | None = None, *, likely: bool = True
) -> Identities:
    """Which teams and people of these races (newest first) are one identity; with `likely`,
    also the look-alikes left apart (`racebot check` lists them; a library build need not)."""
    aliases = aliases or Aliases()
    seen = {TEAM: _Seen(), DRIVER: _Seen()}
    counts = {TEAM: Counter[str](), DRIVER: Counter[str]()}
    # One pass in C: what each race names; the races of a name are found only when asked.
    series_keys: dict[str, str] = {}
    for series, cars in races:
        series_key = (
            (series_keys.get(series) or series_keys.setdefault(series, name_key(series)))
            if series
            else None
        )
        race_teams = list(map(_TEAM, cars))
        race_drivers = list(chain.from_iterable(map(_CREW, cars)))
        counts[TEAM].update(race_teams)
        counts[DRIVER].update(race_drivers)
        for kind, names in ((TEAM, race_teams), (DRIVER, race_drivers)):
            seen[kind].race_names.append(set(names))
            seen[kind].race_series.append(series_key)
    raw_keys = {raw: name_key(raw) for kind in counts for raw in counts[kind]}
    seen[TEAM].gather(counts[TEAM], raw_keys)
    seen[DRIVER].gather(counts[DRIVER], raw_keys)
    words = {key: normalise(seen[TEAM].display(key)).split() for key in seen[TEAM].spellings}
    alike: dict[str, frozenset[str]] | None = None  # what the entry rule could merge
    if not likely:  # when that is all that is wanted
        holders: dict[frozenset[str], list[str]] = {}
        for key, key_words in words.items():
            if distinctive := frozenset(_distinctive(key_words)):
                holders.setdefault(distinctive, []).append(key)
        alike = {key: same for same, keys in holders.items() if len(keys) > 1 for key in keys}
    entries = _entries(races, seen[TEAM], raw_keys, alike)
    errors: list[SeedError] = []
    apart = {TEAM: set[frozenset[str]](), DRIVER: set[frozenset[str]]()}
    firsts: dict[Key, str] = {}  # an alias group's first name: the one shown
    groups = {kind: _Groups(apart[kind]) for kind in (TEAM, DRIVER)}
    for alias in aliases.different:
        keys = _known(alias, seen[alias.kind], aliases.source, errors)
        for one, two in combinations(dict.fromkeys(keys), 2):
            apart[alias.kind].add(frozenset((one, two)))
    for alias in aliases.same:
        keys = _known(alias, seen[alias.kind], aliases.source, errors)
        if keys:
            firsts.setdefault((alias.kind, keys[0]), alias.names[0])
        for key in keys[1:]:
            if not groups[alias.kind].union(keys[0], key, "the aliases file"):
                name = _named(alias, key)
                errors.append(
                    SeedError(
                        aliases.source,
                        alias.lines[alias.names.index(name)],
                        f"{name!r} is declared both the same as {_named(alias, keys[0])!r} "
                        "and different",
                    )
                )
    found: dict[frozenset[str], Likely] = {}
    _team_rules(seen[TEAM], words, groups[TEAM], entries, found, noted=likely)
    if likely:
        _driver_likely(seen[DRIVER], found)
    return _identities(seen, groups, firsts, found if likely else {}, apart, errors)


def _entries(
    races: Sequence[RaceCars],
    teams: _Seen,
    raw_keys: Mapping[str, str],
    alike: Mapping[str, frozenset[str]] | None,
) -> dict[tuple[str, str], dict[str, set[str]]]:
    """(series, number) -> team -> crew, where one number in one series carried two names
    (given `alike`, only names with another of the same distinctive words on that number: the
    rest cannot be merged by it)."""
    found: dict[tuple[str, str], dict[str, set[str]]] = {}
    if alike is not None and not alike:
        return found
    only = None if alike is None else {raw for key in alike for raw in teams.raws[key]}
    # Each team's crews on a number gathered as written (no set, nor dict, made but for one
    # new): only those on a number with another alike team are read, as keys, below.
    gathered: dict[tuple[str, str], dict[str, list[tuple[str, ...]]]] = {}
    race_series, race_names = teams.race_series, teams.race_names
    for race_id, (_, cars) in enumerate(races):
        series_key = race_series[race_id]
        if not series_key or (only is not None and only.isdisjoint(race_names[race_id])):
            continue
        for number, team_raw, crew, _, _ in cars:
            if (only is None or team_raw in only) and (key := raw_keys[team_raw]):
                named = gathered.get((series_key, number))
                if named is None:
                    gathered[(series_key, number)] = {key: [crew]}
                elif (crews := named.get(key)) is None:
                    named[key] = [crew]
                else:
                    crews.append(crew)
    entries = {}
    for where, named in gathered.items():
        if alike is not None:
            counted = Counter(alike[key] for key in named)
            named = {key: crews for key, crews in named.items() if counted[alike[key]] > 1}
        if len(named) > 1:
            entries[where] = {key: _crew_keys(crews, raw_keys) for key, crews in named.items()}
    return entries


def _crew_keys(crews: list[tuple[str, ...]], raw_keys: Mapping[str, str]) -> set[str]:
    """The driver keys of some crews as written (a name that normalises to nothing is none)."""
    keys = set(map(raw_keys.__getitem__, chain.from_iterable(crews)))
    keys.discard("")
    return keys


def _named(alias: Alias, key: str) -> str:
    return next((name for name in alias.names if name_key(name) == key), key)


def _known(alias: Alias, seen: _Seen, source: str, errors: list[SeedError]) -> list[str]:
    """An alias's keys that name something loaded; an error for each that does not."""
    keys = []
    for name, line in zip(alias.names, alias.lines, strict=True):
        key = name_key(name)
        if key in seen.spellings:
            keys.append(key)
        else:
            errors.append(SeedError(source, line, f"no {alias.kind} {name!r} in any loaded race"))
    return keys


def _team_rules(
    seen: _Seen,
    words: Mapping[str, list[str]],
    groups: _Groups,
    entries: Mapping[tuple[str, str], Mapping[str, set[str]]],
    likely: dict[frozenset[str], Likely],
    *,
    noted: bool = True,
) -> None:
    """Teams grouped by slips, sponsors in front and entries; look-alikes left as likely
    (unless not `noted`: then only the groups are wanted)."""
    by_words = {tuple(w): key for key, w in words.items()}

    def note(first: str, second: str, reason: str) -> None:
        if noted and groups.find(first) != groups.find(second):
            pair = frozenset((first, second))
            if pair not in groups.apart:
                likely.setdefault(
                    pair, Likely(TEAM, seen.display(first), seen.display(second), reason)
                )

    # Slips: the same words, one with or without a plural "s".
    slips: dict[tuple[str, ...], list[str]] = {}
    for key, w in words.items():
        if len(w) >= 2:
            slips.setdefault(tuple(x[:-1] if x.endswith("s") else x for x in w), []).append(key)
    for keys in slips.values():
        for one, two in combinations(keys, 2):
            differ = [
                i for i, (a, b) in enumerate(zip(words[one], words[two], strict=False)) if a != b
            ]
            if len(words[one]) == len(words[two]) and len(differ) == 1:
                a, b = words[one][differ[0]], words[two][differ[0]]
                if len(min(a, b, key=len)) >= 3:
                    groups.union(one, two, f"a plural slip ({a} / {b})")
    # A sponsor in front of a known team.
    for key, w in words.items():
        for cut in range(1, len(w) - 1):
            short = by_words.get(tuple(w[cut:]))
            if short is None or short == key or not _distinctive(w[cut:]):
                continue
            shown = seen.display(key).split()
            sponsor = " ".join(shown[:cut] if len(shown) == len(w) else w[:cut])
            reason = f"{sponsor!r} in front of {seen.display(short)!r}"
            if not _TEAM_WORDS.isdisjoint(w[:cut]):  # "Petersen Motorsports": a team, not a sponsor
                note(short, key, f"{reason}, a team's name: a joint entry?")
            elif seen.met(key, short):
                note(short, key, f"{reason}, but both ran in one race")
            elif seen.series_of(key).isdisjoint(seen.series_of(short)):
                note(short, key, f"{reason}, but never in one series")
            else:
                groups.union(short, key, f"a sponsor ({reason})")
            break  # the longest known team at its end
    # The same number and crew in one series: pairs of names sharing a driver on it. Only
    # names of the same distinctive words are merged, so when look-alikes are not noted only
    # those are paired (300,000 pairs at 10,000 races, of which 2,000 such).
    distinct: dict[str, frozenset[str]] = {}
    for (_, number), teams in entries.items():
        alike: dict[frozenset[str], list[str]] = {}
        for team in teams:
            words_of = distinct.get(team)
            if words_of is None:
                words_of = distinct[team] = frozenset(_distinctive(words[team]))
            alike.setdefault(words_of, []).append(team)
        paired = [list(teams)] if noted else [named for named in alike.values() if len(named) > 1]
        pairs: set[tuple[str, str]] = set()
        for named in paired:
            by_driver: dict[str, list[str]] = {}
            for team in named:
                for driver in teams[team]:
                    by_driver.setdefault(driver, []).append(team)
            pairs.update(
                pair for sharing in by_driver.values() for pair in combinations(sharing, 2)
            )
        for one, two in sorted(pairs):
            crews = teams[one] & teams[two]
            if not (len(crews) >= 2 or (teams[one] == teams[two] and teams[one])):
                continue
            same = distinct[one] == distinct[two]
            if same and not seen.met(one, two):
                groups.union(one, two, f"the same #{number} and crew in one series")
            elif groups.find(one) != groups.find(two):
                note(one, two, f"the same #{number} and crew in one series")
    # Names that differ only by words like "Racing" or "Team".
    plain: dict[tuple[str, ...], list[str]] = {}
    for key, w in words.items():
        if distinctive := _distinctive(w):
            plain.setdefault(distinctive, []).append(key)
    for keys in plain.values():
        for one, two in combinations(keys, 2):
            note(one, two, "the same name but for words like Racing or Team")


def _driver_likely(seen: _Seen, likely: dict[frozenset[str], Likely]) -> None:
    """People who may be one: one family name, one given name an initial or the start of the
    other's ("J. Herbert", "Johnny Herbert"), never in one race. Only listed, never merged."""
    by_family: dict[tuple[str, ...], list[tuple[str, list[str]]]] = {}
    for key in seen.spellings:
        words = normalise(seen.display(key)).split()
        if len(words) >= 2:  # only names of one family, middle and given initial are compared
            by_family.setdefault((*words[1:], words[0][0]), []).append((key, words))
    pairs = [
        (one, two)
        for people in by_family.values()
        for (one, a), (two, b) in combinations(people, 2)
        if a[0].startswith(b[0]) or b[0].startswith(a[0])
    ]
    seen.find_races({key for pair in pairs for key in pair})
    for one, two in pairs:
        if not seen.met(one, two):
            first, second = seen.display(one), seen.display(two)
            likely.setdefault(
                frozenset((one, two)),
                Likely(DRIVER, first, second, "one family name, one given name its start"),
            )


def _identities(
    seen: Mapping[str, _Seen],
    groups: Mapping[str, _Groups],
    firsts: Mapping[Key, str],
    likely: Mapping[frozenset[str], Likely],
    apart: Mapping[str, set[frozenset[str]]],
    errors: list[SeedError],
) -> Identities:
    roots: dict[Key, str] = {}
    displays: dict[Key, str] = {}
    others: dict[Key, tuple[str, ...]] = {}
    groupings: list[Grouping] = []
    for kind, kind_groups in groups.items():
        kind_seen = seen[kind]
        for members in kind_groups.members.values():
            ranked = sorted(
                members,
                key=lambda k: (
                    (kind, k) not in firsts,
                    len(normalise(kind_seen.display(k)).split()),
                    -kind_seen.count(k),
                    k,
                ),
            )
            root = ranked[0]
            shown = firsts.get((kind, root)) or kind_seen.display(root)
            for key in ranked[1:]:
                roots[(kind, key)] = root
            displays[(kind, root)] = shown
            rest = tuple(kind_seen.display(k) for k in ranked[1:])
            others[(kind, root)] = rest
            reasons = kind_groups.reasons.get(kind_groups.find(root), [])
            groupings.append(Grouping(kind, shown, rest, "; ".join(dict.fromkeys(reasons))))
    left: dict[tuple[str, frozenset[str]], Likely] = {}  # one line per pair of identities
    for pair, item in likely.items():
        roots_of = frozenset(groups[item.kind].find(key) for key in pair)
        if len(roots_of) == 2 and not any(pair in kind_apart for kind_apart in apart.values()):
            left.setdefault((item.kind, roots_of), item)
    return Identities(
        roots, displays, others, tuple(groupings), tuple(left.values()), tuple(errors)
    )


# Patching one changed race


class TeamWords:
    """Every team name's words as the rules read them, indexed by what lets a rule relate two
    names: the same words but for a plural (slips), one name's words ending another's (sponsors),
    the same distinctive words (entries). A key written with its words split two ways ("A.J.
    Racing", "A J Racing") keeps both. Names are only added: one left in no race stays, so the
    names near it are checked more, never less."""

    def __init__(self, splits: Mapping[str, Iterable[tuple[str, ...]]] = {}) -> None:
        self.splits: dict[str, set[tuple[str, ...]]] = {}
        self._slips: dict[tuple[str, ...], set[str]] = {}
        self._by_words: dict[tuple[str, ...], set[str]] = {}
        self._endings: dict[tuple[str, ...], set[str]] = {}
        self._alike: dict[frozenset[str], set[str]] = {}
        for key, key_splits in splits.items():
            for words in key_splits:
                self._add(key, words)

    def add(self, written: str) -> None:
        """A team name as a document writes it."""
        if key := name_key(written):
            self._add(key, tuple(normalise(written).split()))

    def _add(self, key: str, words: tuple[str, ...]) -> None:
        splits = self.splits.setdefault(key, set())
        if words in splits:
            return
        splits.add(words)
        if len(words) >= 2:
            self._slips.setdefault(_slip_words(words), set()).add(key)
        self._by_words.setdefault(words, set()).add(key)
        for cut in range(1, len(words) - 1):
            self._endings.setdefault(words[cut:], set()).add(key)
        if distinctive := frozenset(_distinctive(words)):
            self._alike.setdefault(distinctive, set()).add(key)

    def slipped_or_sponsored(self, key: str, words: tuple[str, ...]) -> bool:
        """Whether another name is these words but for a plural, ends with them, or is what
        they end with: a slip or a sponsor in front could tie them (or, by the sponsor rule's
        longest ending, change what another name is tied to)."""
        if len(words) >= 2 and self._slips.get(_slip_words(words), set()) - {key}:
            return True
        if _distinctive(words) and self._endings.get(words, set()) - {key}:
            return True
        return any(
            self._by_words.get(words[cut:], set()) - {key}
            for cut in range(1, len(words) - 1)
            if _distinctive(words[cut:])
        )

    def alike(self, key: str, words: tuple[str, ...]) -> set[str]:
        """The other names of these distinctive words (the entry rule ties only such names)."""
        distinctive = frozenset(_distinctive(words))
        return self._alike.get(distinctive, set()) - {key} if distinctive else set()


def _slip_words(words: tuple[str, ...]) -> tuple[str, ...]:
    """Words as the slip rule compares them: a plural "s" dropped."""
    return tuple(word[:-1] if word.endswith("s") else word for word in words)


def team_splits(written: Iterable[str]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Each team key's words as its spellings split them (a full build's, for `TeamWords`)."""
    found: dict[str, set[tuple[str, ...]]] = {}
    for raw in set(written):
        if key := name_key(raw):
            found.setdefault(key, set()).add(tuple(normalise(raw).split()))
    return {key: tuple(sorted(splits)) for key, splits in found.items()}


class OtherRaces(Protocol):
    """What `change_keeps_identities` reads of the library's other races."""

    def races(self, key: str) -> set[int]:
        """The races of an ungrouped team key, but the changed one."""
        ...

    def crew(self, key: str, series: str, number: str) -> set[str]:
        """The driver keys of a team key's cars of this number in races of this series (key),
        but the changed race."""
        ...


def change_keeps_identities(
    identities: Identities,
    aliases: Aliases | None,
    race: tuple[int, str | None],
    before: Sequence[CarNames],
    after: Sequence[CarNames],
    teams: TeamWords,
    others: OtherRaces,
) -> bool:
    """Whether one race's cars changed from `before` to `after` (`race`: its id and series,
    unchanged) leave `decide(..., likely=False)` of the library as it was: True only when sure.

    The rules tie two team names only when they share distinctive words (entries, sponsors) or
    all words but a plural (slips); names whose cars in this race are unchanged keep their
    spellings, crews and races, so only ties of the names that changed can differ. This holds
    when no changed name is grouped, none has a slip or sponsor look-alike (a look-alike's tie,
    or the sponsor rule's longest ending, could change), and each name of the same distinctive
    words either races with it (entries never tie names met in one race) or shares no crew with
    it on a number this race changed (the crews the rule compares, read from the other races).
    People are grouped only by the aliases file: a changed person named in it, or any name kept
    apart by it (unions then depend on their order), is not decided here. `teams` takes in the
    race's new spellings."""
    if aliases is not None and aliases.different:
        return False
    named = {(a.kind, name_key(n)) for a in (aliases.same if aliases else ()) for n in a.names}
    grouped = {*identities.roots, *identities.others}
    keys = _Keys()
    drivers_before = Counter(chain.from_iterable(map(_CREW, before)))
    drivers_after = Counter(chain.from_iterable(map(_CREW, after)))
    for raw in drivers_before.keys() | drivers_after.keys():
        person = (DRIVER, keys[raw])
        if drivers_before[raw] != drivers_after[raw] and (person in named or person in grouped):
            return False
    cars_before, cars_after = _team_cars(before, keys), _team_cars(after, keys)
    changed = {key for key in cars_before.keys() | cars_after.keys() if key} - {
        key for key, cars in cars_before.items() if cars_after.get(key) == cars
    }
    # A group's reasons are listed in the order its names are first met: keep that order.
    unchanged_before = [
        raw for raw in dict.fromkeys(map(_TEAM, before)) if keys[raw] not in changed
    ]
    unchanged_after = [raw for raw in dict.fromkeys(map(_TEAM, after)) if keys[raw] not in changed]
    if unchanged_before != unchanged_after:
        return False
    for raw in dict.fromkeys(map(_TEAM, after)):
        teams.add(raw)
    change = _Change(race, cars_before, cars_after, others)
    for key in changed:
        if (TEAM, key) in named or (TEAM, key) in grouped:
            return False
        splits = teams.splits.get(key, set())
        if len(splits) != 1:
            return False  # its words depend on which spelling is the most common
        (words,) = splits
        if teams.slipped_or_sponsored(key, words):
            return False
        for other in teams.alike(key, words):
            if (TEAM, other) in grouped:
                return False  # its races are its identity's
            if not change.keeps_apart(key, other):
                return False
    return True


class _Keys(dict[str, str]):
    """Each raw name's key, made once."""

    def __missing__(self, raw: str) -> str:
        key = self[raw] = name_key(raw)
        return key


_Car = tuple[str, str, tuple[str, ...]]
"""A team's car in a race: its name as written, its number and its crew (keys)."""


def _team_cars(cars: Sequence[CarNames], keys: _Keys) -> dict[str, list[_Car]]:
    """Each team key's cars in a race."""
    found: dict[str, list[_Car]] = {}
    for number, team, crew, _, _ in cars:
        drivers = tuple(keys[driver] for driver in crew)
        found.setdefault(keys[team], []).append((team, number, drivers))
    return {key: sorted(team_cars) for key, team_cars in found.items()}


class _Change:
    """One race's change, as the entry rule reads it."""

    def __init__(
        self,
        race: tuple[int, str | None],
        before: Mapping[str, list[_Car]],
        after: Mapping[str, list[_Car]],
        others: OtherRaces,
    ) -> None:
        self.race_id, series = race
        self.series = name_key(series) if series else None
        self.before, self.after = before, after
        self.others = others

    def _races(self, key: str, cars: Mapping[str, list[_Car]]) -> set[int]:
        return self.others.races(key) | ({self.race_id} if key in cars else set())

    def keeps_apart(self, key: str, other: str) -> bool:
        """Whether the entry rule leaves two ungrouped names of the same distinctive words
        apart after the change (it did before: neither is grouped)."""
        mine, theirs = self._races(key, self.after), self._races(other, self.after)
        if not mine or not theirs or not mine.isdisjoint(theirs):
            return True  # one is in no race, or they met: never tied by entries
        if not self._races(key, self.before).isdisjoint(self._races(other, self.before)):
            return False  # they met only in this race: every crew of theirs is in play now
        if self.series is None:
            return True  # this race gives no entries: theirs are as they were
        pair = (key, other)
        numbers = {
            car[1]
            for name in pair
            for cars in (self.before, self.after)
            for car in cars.get(name, ())
        }
        for number in numbers:
            ours, yours = (self._crew(name, number) for name in pair)
            if len(ours & yours) >= 2 or (ours == yours and ours):
                return False
        return True

    def _crew(self, key: str, number: str) -> set[str]:
        """A team's crew on a car number in this race's series, after the change."""
        assert self.series is not None
        crew = self.others.crew(key, self.series, number)
        for _, car_number, drivers in self.after.get(key, ()):
            if car_number == number:
                crew.update(drivers)
        crew.discard("")
        return crew
