"""The question commands: each option goes to the query service, the answer comes back rendered."""

from __future__ import annotations

import keyword
from collections.abc import Callable, Coroutine
from typing import Any, Final

import discord
from discord import app_commands
from discord.app_commands import Choice, Range
from discord.ext import commands

from bot.core.asking.commands import COMMANDS, SuggestKind
from bot.core.limits import MAX_CHOICE_LENGTH, MAX_CHOICES, MAX_OPTION_LENGTH
from bot.discord.checks import question_cooldown
from bot.discord.client import RaceBot
from bot.discord.views import ExpiredControls, send_answer, send_chart

Interaction = discord.Interaction[RaceBot]

OptionText = Range[str, 1, MAX_OPTION_LENGTH]
"""A string option as every question takes it: 1 to 100 characters, as Discord checks."""

QUESTION_COOLDOWN: Final = question_cooldown()
"""The bot's per-user question limit, shared by every question below."""


async def _suggest(interaction: Interaction, kind: SuggestKind, current: str) -> list[Choice[str]]:
    race = interaction.namespace.race if kind is not SuggestKind.RACE else None
    suggestions = interaction.client.service.suggest(
        kind, current, limit=MAX_CHOICES, race=race if isinstance(race, str) else None
    )
    return [
        Choice(name=s.label[:MAX_CHOICE_LENGTH], value=s.value[:MAX_CHOICE_LENGTH])
        for s in suggestions[:MAX_CHOICES]
    ]


async def race_choices(interaction: Interaction, current: str) -> list[Choice[str]]:
    """Races whose title, year or circuit match what is typed, best first."""
    return await _suggest(interaction, SuggestKind.RACE, current)


async def query_choices(interaction: Interaction, current: str) -> list[Choice[str]]:
    """Teams, drivers, cars and chassis matching what is typed."""
    return await _suggest(interaction, SuggestKind.QUERY, current)


async def class_choices(interaction: Interaction, current: str) -> list[Choice[str]]:
    """The classes of the chosen race."""
    return await _suggest(interaction, SuggestKind.CLASS, current)


async def driver_choices(interaction: Interaction, current: str) -> list[Choice[str]]:
    """Drivers matching what is typed."""
    return await _suggest(interaction, SuggestKind.DRIVER, current)


async def car_choices(interaction: Interaction, current: str) -> list[Choice[str]]:
    """Car numbers of the chosen race, with their team."""
    return await _suggest(interaction, SuggestKind.CAR, current)


async def side_choices(interaction: Interaction, current: str) -> list[Choice[str]]:
    """Drivers, teams and car numbers matching what is typed."""
    return await _suggest(interaction, SuggestKind.SIDE, current)


async def season_choices(interaction: Interaction, current: str) -> list[Choice[str]]:
    """The loaded seasons matching what is typed, newest first."""
    return await _suggest(interaction, SuggestKind.SEASON, current)


Choices = Callable[[Interaction, str], Coroutine[Any, Any, list[Choice[str]]]]
"""An autocomplete callback: the choices for what is typed so far."""

_CHOICES: Final[dict[SuggestKind, Choices]] = {
    SuggestKind.RACE: race_choices,
    SuggestKind.QUERY: query_choices,
    SuggestKind.CLASS: class_choices,
    SuggestKind.DRIVER: driver_choices,
    SuggestKind.CAR: car_choices,
    SuggestKind.SIDE: side_choices,
    SuggestKind.SEASON: season_choices,
}


def _parameter(option: str) -> str:
    """The Python parameter an option is: `class` is `class_`, renamed back for Discord."""
    return f"{option}_" if keyword.iskeyword(option) else option


def describe(command: str) -> dict[str, str]:
    """The command table's descriptions of a command's options, by parameter."""
    return {_parameter(o.name): o.description for o in COMMANDS[command].options}


def autocomplete(command: str) -> dict[str, Choices]:
    """The autocomplete callback of each option the command table suggests for, by parameter."""
    return {
        _parameter(o.name): _CHOICES[o.suggest]
        for o in COMMANDS[command].options
        if o.suggest is not None
    }


class Results(commands.Cog):
    """Questions about race results."""

    def __init__(self, bot: RaceBot) -> None:
        self.bot = bot

    @app_commands.command(name="result", description=COMMANDS["result"].summary)
    @app_commands.describe(**describe("result"))
    @app_commands.autocomplete(**autocomplete("result"))
    @QUESTION_COOLDOWN
    async def result(
        self,
        interaction: Interaction,
        query: OptionText,
        race: OptionText | None = None,
    ) -> None:
        """Send the answer to /result (its words are in the command table)."""
        await send_answer(interaction, self.bot.answers.ask("result", query=query, race=race))

    @app_commands.command(name="class", description=COMMANDS["class"].summary)
    @app_commands.rename(class_="class")
    @app_commands.describe(**describe("class"))
    @app_commands.autocomplete(**autocomplete("class"))
    @QUESTION_COOLDOWN
    async def class_(
        self,
        interaction: Interaction,
        class_: OptionText | None = None,
        race: OptionText | None = None,
    ) -> None:
        """Send the answer to /class (its words are in the command table)."""
        await send_answer(interaction, self.bot.answers.ask("class", class_=class_, race=race))

    @app_commands.command(name="classification", description=COMMANDS["classification"].summary)
    @app_commands.rename(class_="class")
    @app_commands.describe(**describe("classification"))
    @app_commands.autocomplete(**autocomplete("classification"))
    @QUESTION_COOLDOWN
    async def classification(
        self,
        interaction: Interaction,
        race: OptionText | None = None,
        class_: OptionText | None = None,
    ) -> None:
        """Send the answer to /classification (its words are in the command table)."""
        answer = self.bot.answers.ask("classification", race=race, class_=class_)
        await send_answer(interaction, answer)

    @app_commands.command(name="driver", description=COMMANDS["driver"].summary)
    @app_commands.describe(**describe("driver"))
    @app_commands.autocomplete(**autocomplete("driver"))
    @QUESTION_COOLDOWN
    async def driver(
        self,
        interaction: Interaction,
        name: OptionText,
        race: OptionText | None = None,
    ) -> None:
        """Send the answer to /driver (its words are in the command table)."""
        await send_answer(interaction, self.bot.answers.ask("driver", name=name, race=race))

    @app_commands.command(name="car", description=COMMANDS["car"].summary)
    @app_commands.describe(**describe("car"))
    @app_commands.autocomplete(**autocomplete("car"))
    @QUESTION_COOLDOWN
    async def car(
        self,
        interaction: Interaction,
        number: OptionText,
        race: OptionText | None = None,
    ) -> None:
        """Send the answer to /car (its words are in the command table)."""
        await send_answer(interaction, self.bot.answers.ask("car", number=number, race=race))

    @app_commands.command(name="stats", description=COMMANDS["stats"].summary)
    @app_commands.describe(**describe("stats"))
    @app_commands.autocomplete(**autocomplete("stats"))
    @QUESTION_COOLDOWN
    async def stats(self, interaction: Interaction, race: OptionText | None = None) -> None:
        """Send the answer to /stats (its words are in the command table)."""
        await send_answer(interaction, self.bot.answers.ask("stats", race=race))

    @app_commands.command(name="race", description=COMMANDS["race"].summary)
    @app_commands.describe(**describe("race"))
    @app_commands.autocomplete(**autocomplete("race"))
    @QUESTION_COOLDOWN
    async def race(self, interaction: Interaction, race: OptionText | None = None) -> None:
        """Send the answer to /race (its words are in the command table)."""
        await send_answer(interaction, self.bot.answers.ask("race", race=race))

    @app_commands.command(name="chart", description=COMMANDS["chart"].summary)
    @app_commands.describe(**describe("chart"))
    @app_commands.autocomplete(**autocomplete("chart"))
    @QUESTION_COOLDOWN
    async def chart(self, interaction: Interaction, race: OptionText | None = None) -> None:
        """Send the answer to /chart with its picture (its words are in the command table)."""
        answers = self.bot.answers  # one library for the question and its picture
        await send_chart(interaction, answers.ask("chart", race=race), answers.charts)

    @app_commands.command(name="races", description=COMMANDS["races"].summary)
    @QUESTION_COOLDOWN
    async def races(self, interaction: Interaction) -> None:
        """Send the answer to /races (its words are in the command table)."""
        await send_answer(interaction, self.bot.answers.ask("races"))

    @app_commands.command(name="compare", description=COMMANDS["compare"].summary)
    @app_commands.describe(**describe("compare"))
    @app_commands.autocomplete(**autocomplete("compare"))
    @QUESTION_COOLDOWN
    async def compare(
        self,
        interaction: Interaction,
        first: OptionText,
        second: OptionText,
        race: OptionText | None = None,
    ) -> None:
        """Send the answer to /compare (its words are in the command table)."""
        answer = self.bot.answers.ask("compare", first=first, second=second, race=race)
        await send_answer(interaction, answer)

    @app_commands.command(name="season", description=COMMANDS["season"].summary)
    @app_commands.describe(**describe("season"))
    @app_commands.autocomplete(**autocomplete("season"))
    @QUESTION_COOLDOWN
    async def season(
        self,
        interaction: Interaction,
        series: OptionText | None = None,
        year: OptionText | None = None,
    ) -> None:
        """Send the answer to /season (its words are in the command table)."""
        await send_answer(interaction, self.bot.answers.ask("season", series=series, year=year))

    @app_commands.command(name="ask", description=COMMANDS["ask"].summary)
    @app_commands.describe(**describe("ask"))
    @QUESTION_COOLDOWN
    async def ask(self, interaction: Interaction, question: OptionText) -> None:
        """Send the answer to a plain question (its words are in the command table)."""
        answers = self.bot.answers  # one library for the question and any picture
        await send_chart(interaction, answers.ask("ask", question=question), answers.charts)

    @app_commands.command(name="help", description=COMMANDS["help"].summary)
    @QUESTION_COOLDOWN
    async def help(self, interaction: Interaction) -> None:
        """Send the answer to /help (its words are in the command table)."""
        await send_answer(interaction, self.bot.answers.ask("help"))


async def setup(bot: RaceBot) -> None:
    """Extension entry point."""
    await bot.add_cog(Results(bot))
    bot.add_view(ExpiredControls())
