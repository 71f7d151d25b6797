"""The invite link: exactly the permissions the bot's features use, computed from the code.

Slash-command answers are interaction responses; the permissions below are what the bot does
besides: announcing new races in a channel (`ANNOUNCE_PERMISSIONS`: View Channel, Send
Messages, Embed Links) and attaching pictures (/chart, and /reload's error list): Attach Files.
`tests/test_deploy.py` fails if the code asks for a permission this set lacks.
"""

from __future__ import annotations

from typing import Final
from urllib.parse import urlencode

import discord

from bot.discord.community import ANNOUNCE_PERMISSIONS

ATTACHMENT_PERMISSIONS: Final = discord.Permissions(attach_files=True)
"""/chart's picture and /reload's list of refused documents are sent as files."""

BOT_PERMISSIONS: Final = discord.Permissions(
    ANNOUNCE_PERMISSIONS.value | ATTACHMENT_PERMISSIONS.value
)
"""Every permission the bot uses, and no other."""

SCOPES: Final = ("bot", "applications.commands")


def invite_url(application_id: int | str = "APPLICATION_ID") -> str:
    """The OAuth2 link that adds the bot to a server with `BOT_PERMISSIONS`."""
    query = urlencode(
        {
            "client_id": application_id,
            "scope": " ".join(SCOPES),
            "permissions": BOT_PERMISSIONS.value,
        }
    )
    return f"https://discord.com/oauth2/authorize?{query}"


_SHOWN_AS: Final = {"read_messages": "View Channel"}  # discord.py's older name for it


def permission_names(permissions: discord.Permissions = BOT_PERMISSIONS) -> list[str]:
    """The permissions as Discord's settings name them ("View Channel", "Attach Files")."""
    return [_SHOWN_AS.get(name, name.replace("_", " ").title()) for name, on in permissions if on]
