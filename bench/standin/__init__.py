"""A local stand-in for Discord's REST API and gateway, for end-to-end tests of discord.py bots.

Usage::

    async with DiscordStandin() as standin:
        with standin.patched():
            async with standin.running(bot):
                iid = await standin.send_command("echo", {"text": "hi"})
                body = await standin.wait_for_callback(iid)

Everything is served by one aiohttp application bound to 127.0.0.1 on an ephemeral port: REST
under ``/api/v10`` (and ``/api/v9``), the gateway websocket under ``/gateway``.

`DiscordStandin` is built in layers, one module each, every one adding to the one below it:
``state`` (settings and what is recorded), ``inspection`` (reading it back, waiting),
``payloads`` (Discord objects), ``gateway``, ``interactions`` (what a user does),
``rest`` (REST plumbing and injected failures), ``attachments``, ``messages``,
``responses`` (the bot's interaction callbacks and follow-ups), ``routes`` (the REST table)
and ``server`` (starting, stopping, running a bot). ``protocol`` holds Discord's numbers,
``validation`` Discord's rules for payloads, ``records`` the recorded things.
"""

from bench.standin.protocol import DEFAULT_TOKEN, EPHEMERAL
from bench.standin.records import (
    GatewayFrame,
    GatewaySession,
    InteractionRecord,
    RecordedRequest,
    Violation,
)
from bench.standin.server import DiscordStandin, discord_standin, open_file_limit
from bench.standin.validation import (
    validate_autocomplete_choices,
    validate_command,
    validate_command_list,
    validate_components,
    validate_embeds,
    validate_message_payload,
    validate_modal,
)

__all__ = [
    "DEFAULT_TOKEN",
    "EPHEMERAL",
    "DiscordStandin",
    "GatewayFrame",
    "GatewaySession",
    "InteractionRecord",
    "RecordedRequest",
    "Violation",
    "discord_standin",
    "open_file_limit",
    "validate_autocomplete_choices",
    "validate_command",
    "validate_command_list",
    "validate_components",
    "validate_embeds",
    "validate_message_payload",
    "validate_modal",
]
