"""The question commands: each option goes to the query service, the answer comes back rendered."""

from __future__ import annotations

from typing import Final

import discord
from discord import app_commands
from discord.app_commands import Choice, Range
from discord.ext import commands

from bot.core.query import SuggestKind
from bot.discord.checks import question_cooldown
from bot.discord.client import RaceBot
from bot.discord.views import ExpiredPages, send_answer

Interaction = discord.Interaction[RaceBot]

CHOICE_LIMIT: Final = 25
"""Discord shows at most 25 autocomplete choices."""

CHOICE_LENGTH: Final = 100
"""Discord's limit on a choice's name and value."""

QUESTION_COOLDOWN: Final = question_cooldown()
"""The bot's per-user question limit, shared by every question below."""

RACE_HELP: Final = "Which race (title, year or circuit); the latest if left out"


async def _suggest(interaction: Interaction, kind: SuggestKind, current: str) -> list[Choice[str]]:
    race = interaction.namespace.race if kind is not SuggestKind.RACE else None
    suggestions = interaction.client.service.suggest(
        kind, current, limit=CHOICE_LIMIT, race=race if isinstance(race, str) else None
    )
    return [
        Choice(name=s.label[:CHOICE_LENGTH], value=s.value[:CHOICE_LENGTH])
        for s in suggestions[:CHOICE_LIMIT]
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


class Results(commands.Cog):
    """Questions about race results."""

    def __init__(self, bot: RaceBot) -> None:
        self.bot = bot

    @app_commands.command(name="result")
    @app_commands.describe(query="A team, driver, car number, chassis or engine", race=RACE_HELP)
    @app_commands.autocomplete(query=query_choices, race=race_choices)
    @QUESTION_COOLDOWN
    async def result(
        self,
        interaction: Interaction,
        query: Range[str, 1, 100],
        race: Range[str, 1, 100] | None = None,
    ) -> None:
        """Where a team, driver, car, chassis or engine finished."""
        await send_answer(interaction, self.bot.answers.ask("result", query=query, race=race))

    @app_commands.command(name="class")
    @app_commands.rename(class_="class")
    @app_commands.describe(
        class_="A class, e.g. GTS; every class winner if left out", race=RACE_HELP
    )
    @app_commands.autocomplete(class_=class_choices, race=race_choices)
    @QUESTION_COOLDOWN
    async def class_(
        self,
        interaction: Interaction,
        class_: Range[str, 1, 100] | None = None,
        race: Range[str, 1, 100] | None = None,
    ) -> None:
        """A class's finishing order, or every class winner."""
        await send_answer(interaction, self.bot.answers.ask("class", class_=class_, race=race))

    @app_commands.command(name="driver")
    @app_commands.describe(
        name="A driver's name, or part of it",
        race="Which race (title, year or circuit); every race if left out",
    )
    @app_commands.autocomplete(name=driver_choices, race=race_choices)
    @QUESTION_COOLDOWN
    async def driver(
        self,
        interaction: Interaction,
        name: Range[str, 1, 100],
        race: Range[str, 1, 100] | None = None,
    ) -> None:
        """Every car a driver raced and how it finished."""
        await send_answer(interaction, self.bot.answers.ask("driver", name=name, race=race))

    @app_commands.command(name="car")
    @app_commands.describe(number="The car's number as raced, e.g. 16 or 03", race=RACE_HELP)
    @app_commands.autocomplete(number=car_choices, race=race_choices)
    @QUESTION_COOLDOWN
    async def car(
        self,
        interaction: Interaction,
        number: Range[str, 1, 100],
        race: Range[str, 1, 100] | None = None,
    ) -> None:
        """One car's result: crew, class position and gap."""
        await send_answer(interaction, self.bot.answers.ask("car", number=number, race=race))

    @app_commands.command(name="stats")
    @app_commands.describe(race=RACE_HELP)
    @app_commands.autocomplete(race=race_choices)
    @QUESTION_COOLDOWN
    async def stats(self, interaction: Interaction, race: Range[str, 1, 100] | None = None) -> None:
        """Pole, fastest lap, distance, speeds and how many cars finished."""
        await send_answer(interaction, self.bot.answers.ask("stats", race=race))

    @app_commands.command(name="race")
    @app_commands.describe(race=RACE_HELP)
    @app_commands.autocomplete(race=race_choices)
    @QUESTION_COOLDOWN
    async def race(self, interaction: Interaction, race: Range[str, 1, 100] | None = None) -> None:
        """A race at a glance: date, circuit, winner and class winners."""
        await send_answer(interaction, self.bot.answers.ask("race", race=race))

    @app_commands.command(name="races")
    @QUESTION_COOLDOWN
    async def races(self, interaction: Interaction) -> None:
        """Every race the bot knows, newest first."""
        await send_answer(interaction, self.bot.answers.ask("races"))

    @app_commands.command(name="help")
    @QUESTION_COOLDOWN
    async def help(self, interaction: Interaction) -> None:
        """What you can ask, with examples."""
        await send_answer(interaction, self.bot.answers.ask("help"))


async def setup(bot: RaceBot) -> None:
    """Extension entry point."""
    await bot.add_cog(Results(bot))
    bot.add_view(ExpiredPages())
