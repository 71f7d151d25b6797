"""Slash commands: thin glue between Discord options and the query service."""

from typing import Final

EXTENSIONS: Final = ("cogs.results", "cogs.admin")
"""Every extension the bot loads, in order."""
