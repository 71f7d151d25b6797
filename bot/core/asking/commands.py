"""The command table: every question racebot answers, its options and its words, defined once.

Each entry carries the function that answers it, so adding a command is one entry and one
function. /help lists the table, the console parses and completes by it, the query service
answers by it, and the slash commands take their descriptions, options and autocomplete from it;
a test checks that the registered slash commands agree with it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

from bot.core.asking.answers import Answer, CommandHelp
from bot.core.limits import MAX_OPTION_LENGTH

if TYPE_CHECKING:  # the service imports this table to answer by it
    from bot.core.asking.query import QueryService

Options = Mapping[str, str | None]
"""A command's options by name, as given (an option not given is absent)."""
Answering = Callable[["QueryService", Options], Answer]
"""The function that answers a command: the service asked and the command's options."""


class SuggestKind(StrEnum):
    """What an autocomplete field asks for."""

    QUERY = "query"
    TEAM = "team"
    DRIVER = "driver"
    CLASS = "class"
    RACE = "race"
    CAR = "car"
    SIDE = "side"
    SEASON = "season"


@dataclass(frozen=True, slots=True)
class Option:
    """One option of a command: its name, what it takes, and how it is described and completed."""

    name: str
    takes: str
    """What the option takes, as the usage line shows it: `name:<takes>`."""
    description: str
    """The slash command's description of the option."""
    required: bool = False
    suggest: SuggestKind | None = None
    """What autocomplete offers for it (None: nothing)."""

    @property
    def usage(self) -> str:
        """The option in a usage line: `name:<takes>`, in brackets when optional."""
        text = f"{self.name}:<{self.takes}>"
        return text if self.required else f"[{text}]"


@dataclass(frozen=True, slots=True)
class Command:
    """One command: name, options in order (the first takes positional text), words, examples."""

    name: str
    summary: str
    """The slash command's description (one line, at most 100 characters)."""
    description: str
    """What /help says it does."""
    examples: tuple[str, ...]
    """The first, with every option named, is /help's; the last is the shorthand people type."""
    answer: Answering
    """What answers it: the service and the options given (only the ones named above)."""
    options: tuple[Option, ...] = ()

    @property
    def usage(self) -> str:
        """The usage line /help shows: `/car number:<number> [race:<race>]`."""
        return " ".join((f"/{self.name}", *(option.usage for option in self.options)))

    @property
    def option_names(self) -> tuple[str, ...]:
        """The options' names, in order."""
        return tuple(option.name for option in self.options)

    @property
    def required(self) -> tuple[str, ...]:
        """The names of the options that must be given."""
        return tuple(option.name for option in self.options if option.required)

    @property
    def typed_example(self) -> str:
        """The example in the shorthand people type (what usage messages show)."""
        return self.examples[-1]

    def option(self, name: str) -> Option | None:
        """The option of this name, or None."""
        return next((option for option in self.options if option.name == name), None)

    def help(self) -> CommandHelp:
        """The command as /help lists it."""
        return CommandHelp(
            name=self.name,
            usage=self.usage,
            description=self.description,
            example=self.examples[0],
        )


def _race(
    description: str = "Which race: latest, previous, a title, year, circuit or round 3 2003",
) -> Option:
    """The race selector every question but /races and /help takes."""
    return Option("race", "race", description, suggest=SuggestKind.RACE)


# What answers each command: its options, by name, to the service's question of that name.


def _answer_result(service: QueryService, given: Options) -> Answer:
    return service.result(given.get("query") or "", given.get("race"))


def _answer_class(service: QueryService, given: Options) -> Answer:
    return service.class_results(given.get("class"), given.get("race"))


def _answer_classification(service: QueryService, given: Options) -> Answer:
    return service.classification(given.get("race"), given.get("class"))


def _answer_driver(service: QueryService, given: Options) -> Answer:
    return service.driver(given.get("name") or "", given.get("race"))


def _answer_car(service: QueryService, given: Options) -> Answer:
    return service.car(given.get("number") or "", given.get("race"))


def _answer_stats(service: QueryService, given: Options) -> Answer:
    return service.stats(given.get("race"))


def _answer_race(service: QueryService, given: Options) -> Answer:
    return service.race(given.get("race"))


def _answer_chart(service: QueryService, given: Options) -> Answer:
    return service.chart(given.get("race"))


def _answer_races(service: QueryService, given: Options) -> Answer:
    return service.races()


def _answer_compare(service: QueryService, given: Options) -> Answer:
    return service.compare(given.get("first") or "", given.get("second"), given.get("race"))


def _answer_season(service: QueryService, given: Options) -> Answer:
    return service.season(given.get("series"), given.get("year"))


def _answer_ask(service: QueryService, given: Options) -> Answer:
    return service.plain(given.get("question") or "")


def _answer_help(service: QueryService, given: Options) -> Answer:
    return service.help()


_TABLE: Final = (
    Command(
        name="result",
        answer=_answer_result,
        summary="Where a team, driver, car, chassis or engine finished.",
        description="The cars matching a team, driver, car number, chassis or engine, "
        "in finishing order, with positions, status, laps and laps down.",
        examples=("/result query:Dyson", "/result Dyson"),
        options=(
            Option(
                "query",
                "team, driver, car number, chassis or engine",
                "A team, driver, car number, chassis or engine",
                required=True,
                suggest=SuggestKind.QUERY,
            ),
            _race(),
        ),
    ),
    Command(
        name="class",
        answer=_answer_class,
        summary="A class's finishing order, or every class winner.",
        description="A class's full order, its winner first; with no class, every class's winner.",
        examples=("/class class:GTS", "/class GTS"),
        options=(
            Option(
                "class",
                "class",
                "A class, e.g. GTS; every class winner if left out",
                suggest=SuggestKind.CLASS,
            ),
            _race(),
        ),
    ),
    Command(
        name="classification",
        answer=_answer_classification,
        summary="A race's full finishing order: every car, position, crew, laps, gap, status.",
        description="Every car of a race in finishing order (all classes or one): position "
        "overall and in class, number, team, drivers, car, laps, the gap to the car ahead and "
        "to the leader, and why each car that was not classified was out.",
        examples=(
            "/classification race:Sonoma class:GTS",
            "/classification race:latest",
            "/classification",
        ),
        options=(
            _race(),
            Option(
                "class",
                "class",
                "One class, e.g. GTS; every class if left out",
                suggest=SuggestKind.CLASS,
            ),
        ),
    ),
    Command(
        name="driver",
        answer=_answer_driver,
        summary="Every car a driver raced and how it finished.",
        description="Every car a driver raced, newest race first (all loaded races unless "
        "a race is given).",
        examples=("/driver name:Johnny Herbert", "/driver Herbert"),
        options=(
            Option(
                "name",
                "driver",
                "A driver's name, or part of it",
                required=True,
                suggest=SuggestKind.DRIVER,
            ),
            _race("Which race (title, year or circuit); every race if left out"),
        ),
    ),
    Command(
        name="car",
        answer=_answer_car,
        summary="One car's result: crew, class position and gap.",
        description="One car by its exact number: 03 and 3 are different cars.",
        examples=("/car number:03", "/car 03"),
        options=(
            Option(
                "number",
                "number",
                "The car's number as raced, e.g. 16 or 03",
                required=True,
                suggest=SuggestKind.CAR,
            ),
            _race(),
        ),
    ),
    Command(
        name="stats",
        answer=_answer_stats,
        summary="Pole, fastest lap, distance, speeds and how many cars finished.",
        description="Pole, fastest lap, distance and speeds, and how many cars started, "
        "finished, retired and did not start.",
        examples=("/stats race:2003",),
        options=(_race(),),
    ),
    Command(
        name="race",
        answer=_answer_race,
        summary="A race at a glance: date, circuit, winner and class winners.",
        description="An overview of a race: where and when, the winner and every class winner.",
        examples=("/race race:Sonoma", "/race Sonoma"),
        options=(_race(),),
    ),
    Command(
        name="chart",
        answer=_answer_chart,
        summary="A race as a picture: every car's laps, coloured by class.",
        description="A chart of a race: one bar per car in finishing order, as long as its laps, "
        "coloured by class, with class winners and retirements marked.",
        examples=("/chart race:Sonoma", "/chart Sonoma"),
        options=(_race(),),
    ),
    Command(
        name="races",
        answer=_answer_races,
        summary="Every race the bot knows, newest first.",
        description="Every loaded race, newest first.",
        examples=("/races",),
    ),
    Command(
        name="compare",
        answer=_answer_compare,
        summary="Two drivers, cars or teams head to head in the races both ran.",
        description="Two drivers, two cars (by number) or two teams across every race both "
        "took part in: who finished ahead, positions, laps and status; team-mates are said to be.",
        examples=(
            "/compare first:Johnny Herbert second:Marco Werner",
            "/compare Herbert Werner",
        ),
        options=(
            Option(
                "first",
                "driver, car or team",
                "A driver, car number or team",
                required=True,
                suggest=SuggestKind.SIDE,
            ),
            Option(
                "second",
                "driver, car or team",
                "Who to compare with: a driver, car number or team",
                required=True,
                suggest=SuggestKind.SIDE,
            ),
            _race("Which race (title, year or circuit); every shared race if left out"),
        ),
    ),
    Command(
        name="season",
        answer=_answer_season,
        summary="A series' season: its races, winners, and who won most in class.",
        description="A series' season as loaded: every race in round order with its winners, "
        "then the drivers and teams with most class wins and class podiums.",
        examples=("/season series:ALMS year:2003", "/season ALMS 2003"),
        options=(
            Option(
                "series",
                "series",
                "A series, e.g. ALMS or American Le Mans; the latest race's if left out",
                suggest=SuggestKind.SEASON,
            ),
            Option(
                "year",
                "year",
                "A year, e.g. 2003; the series' latest season if left out",
                suggest=SuggestKind.SEASON,
            ),
        ),
    ),
    Command(
        name="ask",
        answer=_answer_ask,
        summary="Ask in plain words: who won at Sonoma, GTS winner, how did Herbert do.",
        description="A question in plain words, read as one of the commands above; the answer "
        "says first how it was read (“who won GTS at Sonoma 2003” is /class GTS race:Sonoma 2003).",
        examples=("/ask question:who won GTS at Sonoma 2003", "/ask who won at Sonoma"),
        options=(
            Option(
                "question",
                "question",
                "Your question, e.g. who won GTS, pole at Sonoma, how did Herbert do",
                required=True,
            ),
        ),
    ),
    Command(
        name="help",
        answer=_answer_help,
        summary="What you can ask, with examples.",
        description="What you can ask, with an example of each command.",
        examples=("/help",),
    ),
)

COMMANDS: Final[Mapping[str, Command]] = MappingProxyType({c.name: c for c in _TABLE})
"""Every command by name, in the order /help lists them."""

HELP: Final = tuple(command.help() for command in _TABLE)
"""Every command, as /help lists it. `race` is a title, year or circuit; default the latest."""

COMMAND_OPTIONS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {command.name: command.option_names for command in _TABLE}
)
"""Every command and its options by name, in order: the slash commands' and the console's."""


def too_long(length: int) -> str:
    """The one wording of the refusal of an option over MAX_OPTION_LENGTH, wherever it is asked."""
    return (
        f"That is too long to look up ({length} characters): "
        f"keep it to {MAX_OPTION_LENGTH} characters or fewer."
    )
