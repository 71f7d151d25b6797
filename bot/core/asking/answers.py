"""What the query service answers: plain, typed data that every front end renders its own way.

The query service returns one of these; `bot.present.cards` turns it into pages, which become
Discord embeds (`bot.discord.rendering`) or terminal output (`bot.present.terminal`). Nothing
here knows about Discord or formatting.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from bot.core.documents.model import Entry, Race, RaceSummary, Statistics


class Correction(BaseModel):
    """A typo read as a name, said with the answer: "Showing Johnny Herbert for “herbret”"."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    typed: str
    """What was typed, tidied for display: "herbret"."""
    read_as: str
    """What it was read as: "Johnny Herbert"."""


class _Answer(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    corrections: tuple[Correction, ...] = ()
    """Typos the answer was read through (a name, a race); every one is shown with it."""
    notes: tuple[str, ...] = ()
    """Names the answer took as one, said aloud: "Champion Racing, also entered as ADT Champion
    Racing" (`bot.core.library.identities`)."""
    read_as: str = ""
    """How a plain question was read, as the command it became: "/class GTS race:Sonoma 2003"
    ("" when the question was asked as a command); shown as the answer's first line."""

    @property
    def ephemeral(self) -> bool:
        """Whether only the asker should see it (problems and questions back, not results)."""
        return False


class Subject(StrEnum):
    """What a name in a question was looked up as."""

    QUERY = "team, driver, car, chassis or engine"
    TEAM = "team"
    DRIVER = "driver"
    CAR = "car"
    CLASS = "class"
    RACE = "race"
    QUESTION = "command"
    SIDE = "driver, car or team"
    SEASON = "season"


class ResultsAnswer(_Answer):
    """The cars a query matched in one race (`/result`, `/car`), in finishing order."""

    kind: Literal["results"] = "results"
    race: Race
    query: str
    matched: tuple[str, ...] = Field(description="what the query was taken to mean")
    cars: tuple[Entry, ...] = Field(min_length=1)


class ClassAnswer(_Answer):
    """A class's full order in one race, its winner first."""

    kind: Literal["class"] = "class"
    race: Race
    class_: str
    entries: tuple[Entry, ...] = Field(min_length=1)


class ClassificationAnswer(_Answer):
    """A race's full finishing order (`/classification`): every car, or every car of one class,
    in the order the document gives, each with how its race ended."""

    kind: Literal["classification"] = "classification"
    race: Race
    class_: str | None = Field(default=None, description="the one class shown; None: all")
    entries: tuple[Entry, ...] = Field(min_length=1)


class ClassWinnersAnswer(_Answer):
    """Every class's winner in one race."""

    kind: Literal["class_winners"] = "class_winners"
    race: Race
    winners: tuple[Entry, ...]


class DriverRace(BaseModel):
    """One car a driver raced, and in which race."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    race: RaceSummary
    entry: Entry


class DriverAnswer(_Answer):
    """Every car one driver raced across the races asked about, newest race first."""

    kind: Literal["driver"] = "driver"
    driver: str
    appearances: tuple[DriverRace, ...] = Field(min_length=1)


class StatsAnswer(_Answer):
    """A race's statistics and its starters/finishers counts."""

    kind: Literal["stats"] = "stats"
    race: Race
    statistics: Statistics
    entries: int
    starters: int
    classified: int
    dnf: int
    dns: int
    nc: int
    pole_driver: str | None = None
    """Who set pole, when the document says (one driver in the car, or named by the line or
    the prose); None when it does not, never a guess between team-mates."""
    fastest_lap_driver: str | None = None
    """Who set the fastest lap, on the same terms."""


class RaceAnswer(_Answer):
    """An overview of one race: facts, winner, class winners, summary."""

    kind: Literal["race"] = "race"
    race: Race


class ChartAnswer(_Answer):
    """One race to be shown as a chart (`/chart`): the picture is drawn by the front end."""

    kind: Literal["chart"] = "chart"
    race: Race


class RacesAnswer(_Answer):
    """The library: every loaded race, newest first."""

    kind: Literal["races"] = "races"
    races: tuple[RaceSummary, ...]


class CommandHelp(BaseModel):
    """One command as the help lists it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    usage: str
    description: str
    example: str


class HelpAnswer(_Answer):
    """What a user can ask."""

    kind: Literal["help"] = "help"
    commands: tuple[CommandHelp, ...]


class Choice(BaseModel):
    """A question offered one tap away: what its button says, and the question it asks."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    label: str = Field(min_length=1, max_length=80)
    """What identifies it: "Clint Field · #30 Intersport Racing"."""
    command: str
    """The command it asks, without the slash: "driver"."""
    options: tuple[tuple[str, str], ...] = ()
    """The options, as (name, value) pairs, that answer it exactly: (("name", "Clint Field"),)."""


class NotFoundAnswer(_Answer):
    """Nothing matched for sure: up to three close names ("Did you mean …?"), where it looked,
    where else the thing is, and which command answers it when the words belong elsewhere."""

    kind: Literal["not_found"] = "not_found"
    subject: Subject
    query: str
    suggestions: tuple[str, ...] = Field(default=(), max_length=3)
    choices: tuple[Choice, ...] = Field(default=(), max_length=25)
    """The questions offered instead ("Did you mean …?"), one tap away."""
    searched: str = ""
    """The title of the race searched ("" when every loaded race was, or none applies)."""
    elsewhere: tuple[str, ...] = ()
    """Titles of other loaded races the thing was found in."""
    hint: str = ""
    """Where the words belong instead: "/stats takes a race; for Dyson's result try …"."""

    @property
    def ephemeral(self) -> bool:
        """Not-found answers are shown only to the asker."""
        return True


class AmbiguousAnswer(_Answer):
    """Several equally good matches: all of them, for the user to pick from."""

    kind: Literal["ambiguous"] = "ambiguous"
    subject: Subject
    query: str
    options: tuple[str, ...] = Field(min_length=2)
    more: int = Field(default=0, ge=0, description="further matches not listed")
    choices: tuple[Choice, ...] = Field(default=(), max_length=25)
    """Each option as the question that answers it, one tap away."""

    @property
    def ephemeral(self) -> bool:
        """Ambiguity lists are shown only to the asker."""
        return True


class InvalidAnswer(_Answer):
    """The question itself cannot be answered as asked (empty, too long, unknown command)."""

    kind: Literal["invalid"] = "invalid"
    message: str

    @property
    def ephemeral(self) -> bool:
        """Usage problems are shown only to the asker."""
        return True


class CompareSide(BaseModel):
    """One side of a comparison: what it was taken to be, and every car it raced in scope."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(description='as shown: "Johnny Herbert", "#38", "ADT Champion Racing"')
    what: Literal["driver", "car", "team"]
    appearances: tuple[DriverRace, ...] = Field(description="newest race first")


class CompareRace(BaseModel):
    """One race both sides took part in: each side's cars (best placed first) and who led."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    race: Race
    first: tuple[Entry, ...] = Field(min_length=1)
    second: tuple[Entry, ...] = Field(min_length=1)
    ahead: Literal["first", "second"] | None = Field(
        description="whose best-placed car finished ahead; None when level or in the same car"
    )
    same_car: bool = Field(description="both sides raced in one car (team-mates): not compared")


class CompareAnswer(_Answer):
    """Two drivers, cars or teams head to head across the races both took part in."""

    kind: Literal["compare"] = "compare"
    first: CompareSide
    second: CompareSide
    shared: tuple[CompareRace, ...] = Field(description="newest race first")

    @property
    def tally(self) -> tuple[int, int]:
        """How often each side finished ahead of the other (first, second)."""
        firsts = sum(race.ahead == "first" for race in self.shared)
        return firsts, sum(race.ahead == "second" for race in self.shared)


class SeasonStanding(BaseModel):
    """A driver's or team's class wins and class podiums in one season."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    wins: int = Field(ge=0, description="class wins")
    podiums: int = Field(ge=1, description="classified top-three finishes in class, wins included")


class SeasonAnswer(_Answer):
    """A series' season as loaded: its races in round order and who won most in class."""

    kind: Literal["season"] = "season"
    series: str
    year: int
    races: tuple[Race, ...] = Field(min_length=1, description="in round order")
    drivers: tuple[SeasonStanding, ...] = Field(description="most class wins, then podiums")
    teams: tuple[SeasonStanding, ...] = Field(description="most class wins, then podiums")


Answer = Annotated[
    ResultsAnswer
    | ClassAnswer
    | ClassWinnersAnswer
    | ClassificationAnswer
    | DriverAnswer
    | StatsAnswer
    | RaceAnswer
    | ChartAnswer
    | RacesAnswer
    | HelpAnswer
    | NotFoundAnswer
    | AmbiguousAnswer
    | InvalidAnswer
    | CompareAnswer
    | SeasonAnswer,
    Field(discriminator="kind"),
]
"""Any answer the query service gives."""
