"""What the bot's tests and `racebot commands/sync`'s share: the commands the bot registers, and
Discord's rules for a registration payload."""

from __future__ import annotations

from typing import Any

import discord

COMMANDS = {
    "result",
    "class",
    "driver",
    "car",
    "stats",
    "race",
    "chart",
    "races",
    "help",
    "reload",
    "sync",
}
COMMANDS |= {"import", "remove", "settings"}  # the community commands (cogs/community.py)
COMMANDS |= {"compare", "season"}
COMMANDS |= {"classification", "ask"}  # the full finishing order and plain questions

try:  # Discord's own rule, when the `regex` module is there to read \p{..}
    import regex  # type: ignore[import-untyped]

    _NAME = regex.compile(r"^[-_\p{L}\p{N}]{1,32}$")

    def valid_name(name: str) -> bool:
        """Discord's pattern for command and option names, lowercase."""
        return bool(_NAME.match(name)) and name == name.lower()

except ImportError:

    def valid_name(name: str) -> bool:
        """Discord's pattern for command and option names, lowercase (letters/digits by str)."""
        return (
            1 <= len(name) <= 32
            and all(char in "-_" or char.isalnum() for char in name)
            and name == name.lower()
        )


def _option_problems(where: str, option: dict[str, Any]) -> list[str]:
    problems = []
    if not valid_name(option["name"]):
        problems.append(f"{where}: option name {option['name']!r}")
    if not 1 <= len(option["description"]) <= 100:
        problems.append(f"{where}.{option['name']}: description length")
    choices = option.get("choices") or []
    if len(choices) > 25:
        problems.append(f"{where}.{option['name']}: more than 25 choices")
    for choice in choices:
        if not 1 <= len(choice["name"]) <= 100 or len(str(choice["value"])) > 100:
            problems.append(f"{where}.{option['name']}: choice {choice['name']!r}")
    is_string = option["type"] == discord.AppCommandOptionType.string.value
    if is_string and (option.get("max_length") is None or option["max_length"] > 100):
        problems.append(f"{where}.{option['name']}: no max_length <= 100")
    return problems


def payload_problems(payload: list[dict[str, Any]]) -> list[str]:
    """Every way a registration payload breaks Discord's limits."""
    problems = []
    for command in payload:
        name = command["name"]
        if not valid_name(name):
            problems.append(f"command name {name!r}")
        if not 1 <= len(command["description"]) <= 100:
            problems.append(f"{name}: description length {len(command['description'])}")
        options = command.get("options", [])
        if len(options) > 25:
            problems.append(f"{name}: more than 25 options")
        required = [option.get("required", False) for option in options]
        if required != sorted(required, reverse=True):
            problems.append(f"{name}: a required option after an optional one")
        for option in options:
            problems += _option_problems(name, option)
        text = [name, command["description"]]
        text += [str(option.get(key, "")) for option in options for key in ("name", "description")]
        if sum(map(len, text)) > 4000:
            problems.append(f"{name}: over 4000 characters")
    return problems


def registered(command: dict[str, Any], index: int) -> dict[str, Any]:
    """A command as Discord returns it after registration."""
    return {**command, "id": str(index), "application_id": "4242", "version": "1"}
