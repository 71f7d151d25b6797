"""The slash commands the bot registers agree with the core's command table."""

from __future__ import annotations

from typing import Any

import pytest
from discord import AppCommandOptionType, app_commands

from bot.core.asking.commands import COMMANDS
from bot.core.limits import MAX_OPTION_LENGTH
from bot.discord.client import RaceBot


def _commands(bot: RaceBot) -> dict[str, app_commands.Command[Any, ..., Any]]:
    """The bot's registered slash commands that answer questions, by name."""
    registered = {}
    for command in bot.tree.get_commands():
        if isinstance(command, app_commands.Command) and command.name in COMMANDS:
            registered[command.name] = command
    return registered


async def test_every_table_command_is_registered(racebot: RaceBot) -> None:
    """Each command of the table is a registered slash command, and no question is missing."""
    assert list(_commands(racebot)) == list(COMMANDS)


@pytest.mark.parametrize("name", list(COMMANDS))
async def test_registered_command_matches_the_table(racebot: RaceBot, name: str) -> None:
    """Name, description, option names, required-ness and descriptions come from the table."""
    registered = _commands(racebot)[name]
    spec = COMMANDS[name]
    assert registered.description == spec.summary
    assert [p.display_name for p in registered.parameters] == list(spec.option_names)
    for parameter, option in zip(registered.parameters, spec.options, strict=True):
        assert parameter.required is option.required, option.name
        assert parameter.description == option.description, option.name


@pytest.mark.parametrize("name", list(COMMANDS))
async def test_registered_options_take_what_the_table_says(racebot: RaceBot, name: str) -> None:
    """Every option is a 1-100 character string, autocompleted exactly when the table suggests."""
    for parameter, option in zip(
        _commands(racebot)[name].parameters, COMMANDS[name].options, strict=True
    ):
        assert parameter.type is AppCommandOptionType.string
        assert (parameter.min_value, parameter.max_value) == (1, MAX_OPTION_LENGTH)
        assert parameter.autocomplete is (option.suggest is not None), option.name


def test_table_words_fit_discord() -> None:
    """Descriptions fit Discord's 100 characters; examples start with their own command."""
    for name, spec in COMMANDS.items():
        assert 0 < len(spec.summary) <= 100, name
        assert all(0 < len(option.description) <= 100 for option in spec.options), name
        assert all(example.startswith(f"/{name}") for example in spec.examples), name
        assert spec.required == spec.option_names[: len(spec.required)], name
