"""The query service: questions about the loaded races in, typed answers out.

Pure and synchronous (no Discord): the cogs, the console and the tests all ask it the same way.
A thin facade over the parts that do the work: the catalogue (`bot.core.library.catalogue`,
indexes built once per library), the questions (`bot.core.asking.questions`), autocomplete
(`bot.core.asking.suggestions`) and the command table (`bot.core.asking.commands`), whose
entries answer `ask`. Bad input never raises: a question that cannot be answered raises `Refused`
inside, and it becomes its answer here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from bot.core.asking.answers import Answer, InvalidAnswer, Subject
from bot.core.asking.commands import COMMAND_OPTIONS, COMMANDS, HELP, Options, SuggestKind
from bot.core.asking.plain_questions import PlainQuestions
from bot.core.asking.questions import (
    chart,
    classes,
    classification,
    compare,
    drivers,
    races,
    results,
    season,
)
from bot.core.asking.questions.common import NO_RACES, Refused, clean, race_label
from bot.core.asking.questions.plain import plain_miss
from bot.core.asking.suggestions import Suggester, Suggestion
from bot.core.formats import clip
from bot.core.library.catalogue import Catalogue, CatalogueIndex, NameKind
from bot.core.library.races import RaceLibrary
from bot.core.limits import MAX_CHOICE_LENGTH, MAX_DID_YOU_MEAN, MAX_OPTIONS
from bot.core.limits import MAX_CHOICES as MAX_SUGGESTIONS
from bot.core.matching import normalise, strip_controls

__all__ = [
    "COMMAND_OPTIONS",
    "HELP",
    "MAX_CHOICE_LENGTH",
    "MAX_DID_YOU_MEAN",
    "MAX_OPTIONS",
    "MAX_SUGGESTIONS",
    "NO_RACES",
    "QueryService",
    "SuggestKind",
    "Suggestion",
    "race_label",
]


def _answered(question: Callable[[], Answer]) -> Answer:
    """The question's answer, or the answer a refusal raised on the way carries."""
    try:
        return question()
    except Refused as refusal:  # the one place a refusal becomes its answer
        return refusal.answer


def _command(command: str, options: Mapping[str, object]) -> tuple[str, dict[str, str | None]]:
    """The command's table name and its options by name; refused when either is unknown."""
    name = normalise(command) if isinstance(command, str) else ""
    spec = COMMANDS.get(name)
    if spec is None:
        known = ", ".join(f"/{cmd}" for cmd in COMMANDS)
        shown = clip(" ".join(strip_controls(str(command)).split()), 40)
        raise Refused(InvalidAnswer(message=f"Unknown command {shown!r}: try one of {known}."))
    values: dict[str, str | None] = {}
    for option, value in options.items():
        option = "class" if option == "class_" else option
        if spec.option(option) is None:
            takes = ", ".join(spec.option_names) if spec.options else "no options"
            raise Refused(
                InvalidAnswer(
                    message=f"/{name} has no option {clip(option, 40)!r}; it takes {takes}."
                )
            )
        values[option] = value if value is None or isinstance(value, str) else str(value)
    return name, values


class QueryService:
    """Answers every question about a library; indexes are built once, in the constructor."""

    def __init__(self, library: RaceLibrary, index: CatalogueIndex | None = None) -> None:
        self.library = library
        self.catalogue = Catalogue(library, index)
        # The names every /driver question searches among, made now rather than by the first
        # question (0.5 ms at 10,000 races).
        self.catalogue.of_kinds(frozenset({NameKind.DRIVER}))
        self._suggester = Suggester(self.catalogue)
        self._questions = PlainQuestions(self.catalogue)

    def ask(self, command: str, **options: str | None) -> Answer:
        """Answer a command by name ("result", "class", ...) with its options by name."""
        return _answered(lambda: self._dispatch(*_command(command, options)))

    def _dispatch(self, name: str, values: Options) -> Answer:
        """The answer to a command of the table, by the function its entry carries."""
        return COMMANDS[name].answer(self, values)

    def suggest(
        self,
        kind: SuggestKind,
        prefix: str,
        limit: int = MAX_SUGGESTIONS,
        race: str | None = None,
    ) -> list[Suggestion]:
        """Autocomplete choices for what has been typed so far, best first."""
        return self._suggester.suggest(kind, prefix, limit=limit, race=race)

    # One method per question; each command's entry in the table answers by one of these.

    def result(self, query: str, race: str | None = None) -> Answer:
        """The cars a team, driver, car number, chassis or engine matches, in finishing order."""
        return _answered(lambda: results.result(self.catalogue, query, race))

    def class_results(self, class_: str | None = None, race: str | None = None) -> Answer:
        """A class's full order (winner first), or with no class every class's winner."""
        return _answered(lambda: classes.class_results(self.catalogue, class_, race))

    def classification(self, race: str | None = None, class_: str | None = None) -> Answer:
        """A race's full finishing order: every car, or every car of one class."""
        return _answered(lambda: classification.classification(self.catalogue, race, class_))

    def driver(self, name: str, race: str | None = None) -> Answer:
        """Every car a driver raced, newest race first (every loaded race unless one is given)."""
        return _answered(lambda: drivers.driver(self.catalogue, name, race))

    def car(self, number: str, race: str | None = None) -> Answer:
        """The car with exactly this number ("#3" is 3; "03" is not 3)."""
        return _answered(lambda: results.car(self.catalogue, number, race))

    def stats(self, race: str | None = None) -> Answer:
        """A race's statistics and how many cars started, finished and retired."""
        return _answered(lambda: races.stats(self.catalogue, race))

    def race(self, race: str | None = None) -> Answer:
        """An overview of one race."""
        return _answered(lambda: races.race(self.catalogue, race))

    def chart(self, race: str | None = None) -> Answer:
        """One race, to be drawn as a chart."""
        return _answered(lambda: chart.chart(self.catalogue, race))

    def races(self) -> Answer:
        """Every loaded race, newest first."""
        return _answered(lambda: races.races(self.catalogue))

    def help(self) -> Answer:
        """Every command with its usage, what it does and an example."""
        return _answered(lambda: races.help_(self.catalogue))

    def compare(self, first: str, second: str | None = None, race: str | None = None) -> Answer:
        """Two drivers, cars or teams head to head in every race both took part in."""
        return _answered(lambda: compare.compare(self.catalogue, first, second, race))

    def plain(self, question: str) -> Answer:
        """A question in plain words, answered as the command it reads as (the answer says how
        it was read); one the grammar cannot read gets the nearest commands with its words."""
        return _answered(lambda: self._plain(question))

    def _plain(self, question: str) -> Answer:
        shown, _ = clean(question, Subject.QUESTION)
        reading = self._questions.read(shown)
        if reading is None:
            return plain_miss(shown)
        answer = self.ask(reading.command, **dict(reading.options))
        return answer.model_copy(update={"read_as": reading.text})

    def season(self, series: str | None = None, year: str | None = None) -> Answer:
        """A series' season: its races in round order and who won most in class."""
        return _answered(lambda: season.season(self.catalogue, series, year))
