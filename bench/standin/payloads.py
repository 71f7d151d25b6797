"""Discord objects the stand-in hands to the bot: members, channels, the guild, the
application."""

from __future__ import annotations

from typing import Any

from bench.standin.inspection import Inspection
from bench.standin.protocol import ALL_PERMISSIONS


class Payloads(Inspection):
    """Build the Discord objects (member, channel, guild, application) the bot reads."""

    def member_payload(self, user_id: int, *, with_user: bool = True) -> dict[str, Any]:
        """Build a guild member object for ``user_id`` (all permissions, no roles)."""
        member: dict[str, Any] = {
            "roles": [],
            "joined_at": "2024-01-01T00:00:00+00:00",
            "premium_since": None,
            "nick": None,
            "avatar": None,
            "banner": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "permissions": ALL_PERMISSIONS,
            "communication_disabled_until": None,
            "avatar_decoration_data": None,
        }
        if with_user:
            member["user"] = self.user_payload(user_id)
        return member

    def channel_payload(self, channel_id: int | None = None) -> dict[str, Any]:
        """Build the guild text channel object."""
        return {
            "id": str(channel_id or self.channel_id),
            "type": 0,
            "guild_id": str(self.guild_id),
            "name": "general",
            "position": 0,
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "flags": 0,
            "permissions": ALL_PERMISSIONS,
        }

    def guild_payload(self) -> dict[str, Any]:
        """Build the GUILD_CREATE payload of the test guild."""
        return {
            "id": str(self.guild_id),
            "name": "Standin Guild",
            "icon": None,
            "owner_id": self.owner_user["id"],
            "unavailable": False,
            "large": False,
            "member_count": 1,
            "joined_at": "2024-01-01T00:00:00+00:00",
            "preferred_locale": "en-US",
            "features": [],
            "roles": [
                {
                    "id": str(self.guild_id),
                    "name": "@everyone",
                    "permissions": self.everyone_permissions,
                    "position": 0,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                    "flags": 0,
                }
            ],
            "channels": [
                self.channel_payload(),
                *(self.channel_payload(cid) for cid in self.extra_channel_ids),
            ],
            "members": [self.member_payload(self.application_id)],
            "threads": [],
            "presences": [],
            "voice_states": [],
            "emojis": [],
            "stickers": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }

    def app_info_payload(self) -> dict[str, Any]:
        """Build the GET /oauth2/applications/@me response."""
        return {
            "id": str(self.application_id),
            "name": self.bot_name,
            "icon": None,
            "description": "",
            "summary": "",
            "bot_public": True,
            "bot_require_code_grant": False,
            "owner": self.owner_user,
            "team": None,
            "verify_key": "0" * 64,
            "flags": 0,
            "bot": self.bot_user,
            "interactions_endpoint_url": None,
            "redirect_uris": [],
            "tags": [],
            "approximate_guild_count": 1,
        }
