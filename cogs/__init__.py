"""Slash commands: thin glue between Discord options and the query service."""

from typing import Final

EXTENSIONS: Final = ("cogs.results", "cogs.admin", "cogs.community")
"""Every extension the bot loads, in order."""
