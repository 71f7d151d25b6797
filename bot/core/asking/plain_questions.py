"""Plain questions ("who won GTS at Sonoma 2003") read as the commands that answer them.

A fixed grammar, no model and no network: the words that say what is asked (`who won`, `pole`,
`fastest lap`, `how did … do`, `vs`, `season`, `full results`, `chart`) pick the command; the
words after `at`, `in` or `from`, a year, `latest`/`last`/`previous` and `round 3` pick the race,
and a class of a loaded race (`GTS`) or a car number (`car 16`, `#16`) fill their options. What
is left names who is asked about. A question the grammar cannot read is not guessed: `read`
returns None and the caller offers the nearest commands with the user's words in them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from bot.core.asking.commands import COMMANDS
from bot.core.asking.questions.common import race_words
from bot.core.library.catalogue import Catalogue, NameKind
from bot.core.limits import MAX_OPTION_LENGTH
from bot.core.matching import Tier, compact, normalise, strip_controls

_EDGE: Final = '?!.,;:"“”‘’()[]{}<>*_~|'
"""Punctuation stripped from each word's ends ("Sonoma?" is Sonoma)."""
_REFUSED: Final = frozenset(
    {
        # Not about results the library holds: the future, the bot's administration, chat.
        *("will", "next", "tomorrow", "upcoming", "predict", "prediction", "odds", "bet"),
        *("delete", "remove", "ban", "kick", "import", "reload", "sync", "settings", "token"),
        *("joke", "weather", "hello", "hi", "hey", "thanks", "thank", "ignore", "instructions"),
        *("favourite", "favorite", "opinion", "think", "should", "best", "worst", "greatest"),
        *("everyone", "here"),
    }
)
_FILLER: Final = frozenset(
    {
        *("the", "a", "an", "of", "did", "do", "does", "doing", "done", "how", "what", "whats"),
        *("where", "who", "whom", "was", "were", "is", "are", "about", "show", "me", "tell"),
        *("find", "look", "up", "for", "please", "race", "go", "went", "get", "got", "on"),
        *("fare", "end", "ended", "place", "placed", "finish", "finished", "finishing", "s"),
        *("and", "with", "i", "you", "can", "could", "would", "give", "list", "all", "every"),
        *("whole", "full", "complete", "final", "official", "to", "in", "at", "from", "during"),
        *("it", "its", "there", "that", "this", "team", "driver", "drivers", "result", "results"),
        *("position", "come", "came", "which", "when", "see", "let", "know", "want", "our"),
        *("overall", "class", "ran", "run", "perform", "performed", "by", "took", "take"),
        *("set", "had", "drove", "drive", "driving", "driven"),
    }
)
"""Words that carry no name: dropped from what a question asks about."""
_PREPOSITIONS: Final = ("at", "in", "from", "during", "on", "for", "of")
_COMPARE: Final = re.compile(r"\s(?:vs|versus|v|against)\s")
_COMPARE_LEAD: Final = re.compile(
    r"^(?:compare|comparing|head to head|h2h)\s+(.+?)\s+(?:and|with|to|vs|versus|v|against)\s+(.+)$"
)
_WHO_AHEAD: Final = re.compile(
    r"^(?:who|which)\s+(?:was|finished|did|came|ended|got)\s+"
    r"(?:better|ahead|faster|higher|best|first)\s+(.+)$"
)
_YEAR: Final = re.compile(r"^(?:19|20)[0-9]{2}$")
_NUMBER: Final = re.compile(r"^#?([0-9]{1,4})$")

_HELP: Final = frozenset(
    {"help", "commands", "what can you do", "what can i ask", "how does this work", "usage"}
)
_RACES: Final = frozenset(
    {
        *("races", "list races", "list of races", "what races", "which races", "all races"),
        *("what races are there", "which races are loaded", "what races do you have"),
        *("which races do you know", "show races", "show all races", "loaded races"),
    }
)
_SEASON: Final = ("season", "championship", "standings", "points", "title race")
_CHART: Final = ("chart", "graph", "plot", "picture", "diagram", "image")
_STATS: Final = (
    *("pole position", "pole", "fastest lap", "quickest lap", "best lap", "lap record"),
    *("stats", "statistics", "distance", "average speed", "how long", "how far", "race length"),
    *("how many cars", "how many finished", "how many started", "how many retired"),
    *("how many laps", "retirements", "starters", "finishers", "polesitter", "poleman"),
)
_WINNER: Final = ("who won", "winners", "winner", "won", "win", "victory", "victor", "p1")
_ORDER: Final = (
    *("classification", "finishing order", "full order", "full results", "complete results"),
    *("final results", "official results", "results table", "race results", "all results"),
    *("order", "results", "result table", "how did it finish", "every car", "all cars"),
    *("leaderboard", "top ten", "top 10", "podium", "second", "third", "2nd", "3rd", "p2", "p3"),
    *("fourth", "fifth", "4th", "5th", "runner up", "runners up", "last place"),
)
_OVERVIEW: Final = (
    *("what happened", "tell me about", "overview", "summary", "sum up", "recap"),
    *("when was", "where was", "info", "information", "details"),
)
_PERSON: Final = (
    *("how did", "how was", "where did", "what about", "how about", "what did"),
    *("results for", "result for", "show me", "look up", "find", "lookup"),
)
_LATEST_PHRASES: Final = (
    *("the latest race", "the last race", "the most recent race", "the newest race"),
    *("latest race", "last race", "most recent race", "newest race", "recent race"),
    *("the previous race", "previous race", "the race before", "the latest", "the last"),
)


@dataclass(frozen=True, slots=True)
class Reading:
    """A plain question read as a command: its name and options, in the table's order."""

    command: str
    options: tuple[tuple[str, str], ...] = ()

    @property
    def text(self) -> str:
        """The command as it would be typed: '/class GTS race:Sonoma 2003' (the first option
        without its name unless it is the race or one of two names, the others named)."""
        spec = COMMANDS[self.command]
        given = dict(self.options)
        parts = [f"/{self.command}"]
        for index, option in enumerate(spec.options):
            if option.name in given:
                value = given[option.name]
                bare = index == 0 and option.name != "race" and self.command != "compare"
                parts.append(value if bare else f"{option.name}:{value}")
        return " ".join(parts)


@dataclass(slots=True)
class _Words:
    """A question's words as typed (for values) and normalised (for reading)."""

    shown: list[str]
    low: list[str]
    mentions: bool = False
    """Whether the question pings someone (@name, <@id>): not a question about results."""
    used: list[bool] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.used = [False] * len(self.low)

    def find(self, phrase: str) -> int:
        """Where a phrase of normalised words starts among the unused words; -1 if nowhere."""
        words = phrase.split()
        for start in range(len(self.low) - len(words) + 1):
            if self.low[start : start + len(words)] == words and not any(
                self.used[start : start + len(words)]
            ):
                return start
        return -1

    def take(self, phrases: Sequence[str]) -> str | None:
        """Mark the first of the phrases found as used; the phrase, or None."""
        for phrase in phrases:
            start = self.find(phrase)
            if start >= 0:
                for index in range(start, start + len(phrase.split())):
                    self.used[index] = True
                return phrase
        return None

    def rest(self, start: int = 0, end: int | None = None) -> list[int]:
        """The unused word positions in a span."""
        stop = len(self.low) if end is None else end
        return [i for i in range(start, stop) if not self.used[i]]

    def text(self, positions: Sequence[int]) -> str:
        """The words at these positions as typed."""
        return " ".join(self.shown[i] for i in positions)


def _words(question: str) -> _Words:
    shown: list[str] = []
    low: list[str] = []
    mentions = False
    text = strip_controls(question).replace("’", "'")
    for raw in text.split():
        word = raw.strip(_EDGE)
        if word.lower().endswith("'s"):
            word = word[:-2]
        word = word.strip(_EDGE + "'")
        if "@" in raw:
            mentions = True
            continue
        if not word:
            continue
        normal = normalise(word)
        if not normal:
            continue
        if word.startswith("#") and _NUMBER.match(word):
            normal = "#" + normal
        shown.append(word)
        low.append(normal)
    return _Words(shown, low, mentions)


class PlainQuestions:
    """Reads plain questions against one catalogue (its classes and races, to tell them apart)."""

    def __init__(self, catalogue: Catalogue) -> None:
        self._catalogue = catalogue
        self._classes: dict[str, str] | None = None

    def _class_of(self, text: str) -> str | None:
        """The class of a loaded race these words spell ("gts", "lmp 900"), as written there."""
        if self._classes is None:
            self._classes = {}
            for summary in self._catalogue.summaries:
                for name in summary.classes:
                    self._classes.setdefault(compact(normalise(name)), name)
        key = compact(text)
        return self._classes.get(key) if key else None

    def _is_race(self, text: str) -> bool:
        """Whether these normalised words select races (a title, year, circuit, round, latest)."""
        if not text:
            return False
        if race_words(self._catalogue, text) is not None:
            return True
        hits = self._catalogue.race_index.search(text)
        return bool(hits) and hits[0].tier is not Tier.FUZZY

    def _names_driver(self, text: str) -> bool:
        """Whether the words name drivers only (not also a team, car or chassis)."""
        catalogue = self._catalogue
        whole = catalogue.names.whole_reading(text)
        if whole is not None:
            return catalogue.kinds[whole] is NameKind.DRIVER
        hits = catalogue.names.search(text)
        if not hits or hits[0].tier is Tier.FUZZY:
            # A slip in a name: /driver's own rule decides whether it is unmistakable.
            return True
        return all(catalogue.kinds[hit.id] is NameKind.DRIVER for hit in hits)

    def _names_something(self, text: str) -> bool:
        """Whether the words name a team, driver, car or chassis for sure (no typo)."""
        names = self._catalogue.names
        hits = names.search(text)
        if hits and hits[0].tier is not Tier.FUZZY:
            return True
        return names.reading(text) is not None or names.whole_reading(text) is not None

    def read(self, question: str) -> Reading | None:
        """The command a plain question asks, or None when the grammar cannot read it."""
        words = _words(question)
        if not words.low or len(" ".join(words.shown)) > MAX_OPTION_LENGTH * 2:
            return None
        if words.mentions or any(word in _REFUSED for word in words.low):
            return None
        lowered = " ".join(words.low)
        if lowered in _HELP:
            return Reading("help")
        if lowered in _RACES:
            return Reading("races")
        if (compared := self._compare(words, lowered)) is not None:
            return compared
        if words.take(_SEASON):
            while words.take(_SEASON):  # "championship standings": every such word
                pass
            return self._season(words)
        return self._about(words)

    def _compare(self, words: _Words, lowered: str) -> Reading | None:
        """'Herbert vs Leitzinger', 'compare Herbert and Werner', 'who was ahead, X or Y'."""
        lead = _COMPARE_LEAD.match(lowered) or _WHO_AHEAD.match(lowered)
        if lead is None and not _COMPARE.search(f" {lowered} "):
            return None
        joints = {"vs", "versus", "v", "against"}
        if lead is not None:  # "compare X and Y", "who was ahead, X or Y"
            joints |= {"or", "and", "with", "to"}
        start = 0
        if lead is not None:
            start = len(lowered[: lead.start(1)].split())
        split = next(
            (i for i in range(start + 1, len(words.low)) if words.low[i] in joints),
            None,
        )
        if split is None:
            return None
        first = [i for i in range(start, split) if words.low[i] not in _FILLER]
        second_all = list(range(split + 1, len(words.low)))
        race = self._race_span(words, second_all)
        second = [i for i in second_all if i not in race and words.low[i] not in _FILLER]
        if not first or not second:
            return None
        options = [("first", words.text(first)), ("second", words.text(second))]
        if race:
            options.append(("race", words.text(race)))
        return Reading("compare", tuple(options))

    def _race_span(self, words: _Words, positions: list[int]) -> list[int]:
        """The trailing words of a span that select a race ('at Sonoma 2003'), if any."""
        for cut in range(len(positions)):
            tail = positions[cut:]
            text = " ".join(words.low[i] for i in tail if words.low[i] not in _PREPOSITIONS)
            after_preposition = cut == 0 or words.low[positions[cut - 1]] in _PREPOSITIONS
            if not after_preposition and not all(_YEAR.match(words.low[i]) for i in tail):
                continue
            if self._is_race(text) and self._class_of(text) is None:
                return [i for i in tail if words.low[i] not in _PREPOSITIONS]
        return []

    def _season(self, words: _Words) -> Reading:
        """'2003 season', 'ALMS 2003 standings', 'the season'."""
        year = next((i for i in words.rest() if _YEAR.match(words.low[i])), None)
        options: list[tuple[str, str]] = []
        series = [
            i
            for i in words.rest()
            if i != year and words.low[i] not in _FILLER and words.low[i] not in _WINNER
        ]
        if series:
            options.append(("series", words.text(series)))
        if year is not None:
            options.append(("year", words.shown[year]))
        return Reading("season", tuple(options))

    def _take_race(self, words: _Words) -> str | None:
        """The race the question names, its words marked used: `latest race`, `round 3 2003`,
        the words after `at`/`in`/`from` when they select races, or a year."""
        if (latest := words.take(_LATEST_PHRASES)) is not None:
            return "previous" if "previous" in latest or "before" in latest else "latest"
        rounds = next((i for i in words.rest() if words.low[i] in ("round", "rd")), None)
        if rounds is not None and rounds + 1 < len(words.low) and words.low[rounds + 1].isdigit():
            span = [rounds, rounds + 1]
            if rounds + 2 < len(words.low) and _YEAR.match(words.low[rounds + 2]):
                span.append(rounds + 2)
            for i in span:
                words.used[i] = True
            return " ".join(words.low[i] for i in span)
        for index in words.rest():
            if words.low[index] not in _PREPOSITIONS:
                continue
            tail = [i for i in words.rest(index + 1) if words.low[i] not in _FILLER]
            while tail:
                text = " ".join(words.low[i] for i in tail)
                if self._class_of(text) is None and self._is_race(text):
                    for i in [index, *tail]:
                        words.used[i] = True
                    return words.text(tail)
                tail = tail[:-1]
        years = [i for i in words.rest() if _YEAR.match(words.low[i])]
        if years:
            words.used[years[0]] = True
            return words.shown[years[0]]
        return None

    def _take_class(self, words: _Words) -> str | None:
        """A class of a loaded race among the words ('GTS', 'LMP 900'), marked used."""
        rest = words.rest()
        for size in (2, 1):
            for start in range(len(rest) - size + 1):
                span = rest[start : start + size]
                if span[-1] - span[0] != size - 1:
                    continue
                name = self._class_of(" ".join(words.low[i] for i in span))
                if name is not None and not words.low[span[0]].isdigit():
                    for i in span:
                        words.used[i] = True
                    return name
        return None

    def _take_car(self, words: _Words) -> str | None:
        """A car number: '#16', 'car 16', 'number 16', 'no 16', 'the 16 car'."""
        for index in words.rest():
            low = words.low[index]
            if low.startswith("#") and low[1:].isdigit():
                words.used[index] = True
                return words.shown[index].lstrip("#")
            if low in ("car", "number", "no", "nr", "num") and index + 1 < len(words.low):
                following = words.low[index + 1]
                if following.isdigit() and not _YEAR.match(following):
                    words.used[index] = words.used[index + 1] = True
                    return words.shown[index + 1]
            if low.isdigit() and index + 1 < len(words.low) and words.low[index + 1] == "car":
                words.used[index] = words.used[index + 1] = True
                return words.shown[index]
        numbers = [i for i in words.rest() if _NUMBER.match(words.low[i])]
        others = [i for i in words.rest() if words.low[i] not in _FILLER and i not in numbers]
        if len(numbers) == 1 and not others and not _YEAR.match(words.low[numbers[0]]):
            words.used[numbers[0]] = True  # "where did 16 finish": a number alone is a car
            return words.shown[numbers[0]]
        return None

    def _about(self, words: _Words) -> Reading | None:
        """Every question about one race or one name: the intent words pick the command."""
        chart = words.take(_CHART)
        stats = words.take(_STATS)
        winner = words.take(_WINNER)
        order = words.take(_ORDER)
        overview = words.take(_OVERVIEW)
        person = words.take(_PERSON)
        race = self._take_race(words)
        car = self._take_car(words)
        klass = self._take_class(words)
        subject = [i for i in words.rest() if words.low[i] not in _FILLER]
        subject_text = " ".join(words.low[i] for i in subject)
        race_intent = bool(chart or stats or winner or order or overview)
        year = race if race is not None and _YEAR.match(race) else None
        whole = f"{subject_text} {year}" if year else subject_text
        if (
            subject
            and not (person or car)
            and (race is None or year is not None)
            and self._is_race(whole)
            and (race_intent or not self._names_something(subject_text))
        ):
            race = f"{words.text(subject)} {year}" if year else words.text(subject)
            subject, subject_text = [], ""
        with_race = (("race", race),) if race else ()
        if chart and not subject:
            return Reading("chart", with_race)
        if stats and not subject and not car:
            return Reading("stats", with_race)
        if car is not None and not subject:
            return Reading("car", (("number", car), *with_race))
        if winner and not subject:
            if klass is not None:
                return Reading("class", (("class", klass), *with_race))
            return Reading("race", with_race)
        if order and not subject:
            if klass is not None:
                return Reading("classification", (*with_race, ("class", klass)))
            return Reading("classification", with_race)
        if klass is not None and not subject:
            return Reading("class", (("class", klass), *with_race))
        if overview and not subject:
            return Reading("race", with_race)
        if subject and not (chart or stats or winner):
            name = words.text(subject)
            if len(name) > MAX_OPTION_LENGTH:
                return None
            if not (person or order or self._names_something(subject_text)):
                return None
            if self._names_driver(subject_text):
                return Reading("driver", (("name", name), *with_race))
            return Reading("result", (("query", name), *with_race))
        if race is not None and not (subject or person):
            return Reading("race", with_race)
        return None


def miss_words(question: str) -> str:
    """The words of a question that could name something, as typed ('' when none)."""
    words = _words(question)
    kept = [
        word
        for word, low in zip(words.shown, words.low, strict=True)
        if low not in _FILLER and low not in _REFUSED
    ]
    return " ".join(kept)[:MAX_OPTION_LENGTH].strip()
