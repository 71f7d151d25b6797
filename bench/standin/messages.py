"""Messages the stand-in stores: made from the bot's payloads and edited in place."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from bench.standin.attachments import Attachments
from bench.standin.protocol import APPLICATION_COMMAND, EPHEMERAL, LOADING
from bench.standin.records import InteractionRecord


def _now_iso() -> str:
    """Current time as Discord's ISO 8601 timestamp."""
    return datetime.now(UTC).isoformat()


class Messages(Attachments):
    """Create and edit stored messages from the bot's payloads."""

    def _new_message(
        self,
        data: Mapping[str, Any],
        *,
        record: InteractionRecord | None = None,
        channel_id: int | None = None,
        files: Sequence[str] = (),
    ) -> dict[str, Any]:
        """Create and store a message from an outgoing payload."""
        payload = record.payload if record else {}
        mid = self.snowflake()
        components = [dict(c) for c in data.get("components") or []]
        attachments = [
            {"id": str(self.snowflake()), "filename": name, "size": 0, "url": "", "proxy_url": ""}
            for name in files
        ]
        message: dict[str, Any] = {
            "id": str(mid),
            "channel_id": str(channel_id or payload.get("channel_id") or self.channel_id),
            "author": self.bot_user,
            "content": data.get("content") or "",
            "embeds": data.get("embeds") or [],
            "components": components,
            "attachments": attachments,
            "mentions": [],
            "mention_roles": [],
            "mention_everyone": False,
            "pinned": False,
            "tts": bool(data.get("tts")),
            "timestamp": _now_iso(),
            "edited_timestamp": None,
            "flags": int(data.get("flags") or 0),
            "type": 0,
        }
        guild_id = payload.get("guild_id") if record else str(self.guild_id)
        if guild_id:
            message["guild_id"] = guild_id
        if record is not None:
            user = payload.get("member", {}).get("user") or payload.get("user")
            message["type"] = 20 if record.type == APPLICATION_COMMAND else 0
            message["webhook_id"] = str(self.application_id)
            message["application_id"] = str(self.application_id)
            message["interaction_metadata"] = {
                "id": str(record.id),
                "type": record.type,
                "user": user,
                "authorizing_integration_owners": payload.get("authorizing_integration_owners"),
            }
        self.messages[mid] = message
        return message

    def _edit_message(self, message: dict[str, Any], data: Mapping[str, Any]) -> dict[str, Any]:
        """Apply an edit payload to a stored message (keeps the ephemeral flag)."""
        for key in ("content", "embeds", "components", "attachments"):
            if key in data:
                message[key] = (
                    data[key] if data[key] is not None else ([] if key != "content" else "")
                )
        flags = int(message.get("flags") or 0) & EPHEMERAL
        if data.get("flags") is not None:
            flags |= int(data["flags"]) & ~(EPHEMERAL | LOADING)
        message["flags"] = flags
        message["edited_timestamp"] = _now_iso()
        self.messages[int(message["id"])] = message
        return message
