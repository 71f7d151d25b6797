"""Interactions a test sends to the bot as a user would: slash commands, autocomplete,
context menus, buttons, select menus and modals."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from bench.standin.gateway import Gateway
from bench.standin.protocol import (
    ALL_PERMISSIONS,
    APPLICATION_COMMAND,
    ATTACHMENT_SIZE_LIMIT,
    AUTOCOMPLETE,
    DM_CHANNEL_ID,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    SELECT_TYPES,
    SNOWFLAKE_OPTION_TYPES,
)
from bench.standin.records import GatewaySession, InteractionRecord


def _infer_option_type(value: Any) -> int:
    """Guess an application command option type from a Python value."""
    if isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return 4
    if isinstance(value, float):
        return 10
    return 3


class Interactions(Gateway):
    """Build and dispatch INTERACTION_CREATE events as Discord would."""

    def build_interaction(
        self,
        itype: int,
        data: dict[str, Any] | None,
        *,
        user_id: int | None = None,
        guild: bool | int = True,
        channel_id: int | None = None,
        message: dict[str, Any] | None = None,
        locale: str = "en-US",
    ) -> dict[str, Any]:
        """Build a full INTERACTION_CREATE payload with every key discord.py reads."""
        user = self.user_payload(user_id or self.user_id)
        payload: dict[str, Any] = {
            "id": str(self.snowflake()),
            "application_id": str(self.application_id),
            "type": itype,
            "token": "aW50ZXJhY3Rpb24" + secrets.token_urlsafe(32),
            "version": 1,
            "locale": locale,
            "app_permissions": ALL_PERMISSIONS,
            "entitlements": [],
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
        }
        if data is not None:
            payload["data"] = data
        if guild:
            gid = self.guild_id if guild is True else int(guild)
            payload.update(
                guild_id=str(gid),
                guild={"id": str(gid), "locale": "en-US", "features": []},
                guild_locale="en-US",
                channel_id=str(channel_id or self.channel_id),
                channel=self.channel_payload(channel_id),
                member=self.member_payload(int(user["id"])),
                authorizing_integration_owners={"0": str(gid)},
                context=0,
            )
        else:
            payload.update(
                channel_id=str(DM_CHANNEL_ID),
                channel={"id": str(DM_CHANNEL_ID), "type": 1, "recipients": [user], "flags": 0},
                user=user,
                authorizing_integration_owners={"0": "0"},
                context=1,
            )
        if message is not None:
            payload["message"] = message
        return payload

    def _find_command(self, name: str, ctype: int, guild_id: int | None) -> dict[str, Any] | None:
        """Find a registered command by name/type, guild scope first."""
        scopes: list[int | None] = [guild_id, None] if guild_id else [None]
        for scope in scopes:
            for cmd in self.commands.get(scope, []):
                if cmd["name"] == name and cmd.get("type", 1) == ctype:
                    return cmd
        return None

    def _build_options(
        self,
        schema: Sequence[Mapping[str, Any]],
        path: Sequence[str],
        values: Mapping[str, Any] | Sequence[dict[str, Any]] | None,
        focused: str | None,
    ) -> list[dict[str, Any]]:
        """Turn ``{name: value}`` into typed option payloads (nesting subcommands in ``path``)."""
        if path:
            spec = next((o for o in schema if o.get("name") == path[0]), None)
            otype = spec.get("type", 1) if spec else (2 if len(path) > 1 else 1)
            sub_schema = spec.get("options", []) if spec else []
            inner = self._build_options(sub_schema, path[1:], values, focused)
            return [{"name": path[0], "type": otype, "options": inner}]
        if values is None:
            return []
        if not isinstance(values, Mapping):
            return [dict(v) for v in values]
        out: list[dict[str, Any]] = []
        for name, value in values.items():
            spec = next((o for o in schema if o.get("name") == name), None)
            otype = spec["type"] if spec else _infer_option_type(value)
            if otype in SNOWFLAKE_OPTION_TYPES:
                value = str(value)
            option: dict[str, Any] = {"name": name, "type": otype, "value": value}
            if name == focused:
                option["focused"] = True
            out.append(option)
        return out

    def _resolved_for(self, options: Iterable[Mapping[str, Any]], guild: bool) -> dict[str, Any]:
        """Build ``data.resolved`` for user/channel/role/mentionable option values."""
        resolved: dict[str, dict[str, Any]] = {}
        stack = list(options)
        while stack:
            opt = stack.pop()
            stack.extend(opt.get("options") or [])
            otype, value = opt.get("type"), str(opt.get("value"))
            if otype in (6, 9):
                resolved.setdefault("users", {})[value] = self.user_payload(int(value))
                if guild:
                    member = self.member_payload(int(value), with_user=False)
                    resolved.setdefault("members", {})[value] = member
            elif otype == 7:
                channel = self.channel_payload(int(value))
                resolved.setdefault("channels", {})[value] = channel
            elif otype == 11 and int(value) in self.attachments:
                resolved.setdefault("attachments", {})[value] = self.attachments[int(value)][0]
            elif otype == 8:
                role = {"id": value, "name": f"role-{value}", "permissions": "0", "position": 1}
                resolved.setdefault("roles", {})[value] = role
        return resolved

    def _command_data(
        self,
        name: str,
        options: Mapping[str, Any] | Sequence[dict[str, Any]] | None,
        *,
        guild: bool | int,
        ctype: int = 1,
        focused: str | None = None,
    ) -> dict[str, Any]:
        """Build ``data`` of an application command / autocomplete interaction."""
        parts = name.split()
        gid = (self.guild_id if guild is True else int(guild)) if guild else None
        cmd = self._find_command(parts[0], ctype, gid)
        schema = cmd.get("options", []) if cmd else []
        opts = self._build_options(schema, parts[1:], options, focused)
        data: dict[str, Any] = {
            "id": cmd["id"] if cmd else str(self.snowflake()),
            "name": parts[0],
            "type": ctype,
            "options": opts,
        }
        if cmd and cmd.get("guild_id"):
            data["guild_id"] = cmd["guild_id"]
        resolved = self._resolved_for(opts, bool(guild))
        if resolved:
            data["resolved"] = resolved
        return data

    async def dispatch_interaction(
        self, payload: dict[str, Any], *, session: GatewaySession | None = None
    ) -> int:
        """Register and dispatch an INTERACTION_CREATE payload; return the interaction id."""
        iid = int(payload["id"])
        record = InteractionRecord(
            id=iid, token=payload["token"], type=payload["type"], payload=payload, created=0.0
        )
        self.interactions[iid] = record
        self._by_token[record.token] = record
        record.created = time.monotonic()
        await self.dispatch("INTERACTION_CREATE", payload, session=session)
        return iid

    async def send_command(
        self,
        name: str,
        options: Mapping[str, Any] | Sequence[dict[str, Any]] | None = None,
        *,
        user_id: int | None = None,
        guild: bool | int = True,
        locale: str = "en-US",
        session: GatewaySession | None = None,
    ) -> int:
        """Invoke a slash command (``"group sub"`` for subcommands) on a session (default the
        latest); return the interaction id."""
        data = self._command_data(name, options, guild=guild)
        payload = self.build_interaction(
            APPLICATION_COMMAND, data, user_id=user_id, guild=guild, locale=locale
        )
        return await self.dispatch_interaction(payload, session=session)

    async def send_autocomplete(
        self,
        name: str,
        focused: str,
        value: Any = "",
        options: Mapping[str, Any] | None = None,
        *,
        user_id: int | None = None,
        guild: bool | int = True,
    ) -> int:
        """Send an autocomplete interaction with ``focused`` currently typed as ``value``."""
        values = dict(options or {})
        values[focused] = value
        data = self._command_data(name, values, guild=guild, focused=focused)
        payload = self.build_interaction(AUTOCOMPLETE, data, user_id=user_id, guild=guild)
        return await self.dispatch_interaction(payload)

    async def send_context_menu(
        self, name: str, target_id: int, *, ctype: int = 2, user_id: int | None = None
    ) -> int:
        """Invoke a user (ctype 2) or message (ctype 3) context menu on ``target_id``."""
        data = self._command_data(name, None, guild=True, ctype=ctype)
        data["target_id"] = str(target_id)
        if ctype == 2:
            data["resolved"] = {
                "users": {str(target_id): self.user_payload(target_id)},
                "members": {str(target_id): self.member_payload(target_id, with_user=False)},
            }
        else:
            data["resolved"] = {"messages": {str(target_id): self.messages[target_id]}}
        payload = self.build_interaction(APPLICATION_COMMAND, data, user_id=user_id)
        return await self.dispatch_interaction(payload)

    def find_message(self, custom_id: str) -> dict[str, Any]:
        """Return the newest stored message having a component with ``custom_id``."""

        def has(components: Iterable[Any]) -> bool:
            return any(
                isinstance(c, dict)
                and (c.get("custom_id") == custom_id or has(c.get("components") or []))
                for c in components
            )

        for message in reversed(self.messages.values()):
            if has(message.get("components") or []):
                return message
        raise LookupError(f"no stored message has a component with custom_id {custom_id!r}")

    async def send_component(
        self,
        custom_id: str,
        *,
        component_type: int = 2,
        values: Sequence[str] | None = None,
        message_id: int | None = None,
        message: dict[str, Any] | None = None,
        user_id: int | None = None,
        guild: bool | int = True,
    ) -> int:
        """Press a button / pick select values on a message; return the interaction id."""
        if message is None:
            message = self.messages[message_id] if message_id else self.find_message(custom_id)
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": component_type}
        if values is not None:
            data["values"] = list(values)
        payload = self.build_interaction(
            MESSAGE_COMPONENT, data, user_id=user_id, guild=guild, message=message
        )
        return await self.dispatch_interaction(payload)

    async def send_button(
        self,
        custom_id: str,
        *,
        message_id: int | None = None,
        message: dict[str, Any] | None = None,
        user_id: int | None = None,
        guild: bool | int = True,
    ) -> int:
        """Press the button ``custom_id`` (message found by id, payload, or custom_id)."""
        return await self.send_component(
            custom_id, message_id=message_id, message=message, user_id=user_id, guild=guild
        )

    async def send_select(
        self,
        custom_id: str,
        values: Sequence[str],
        *,
        message_id: int | None = None,
        user_id: int | None = None,
        guild: bool | int = True,
    ) -> int:
        """Pick ``values`` in the select menu ``custom_id``; only what it offers, as Discord."""
        message = self.messages[message_id] if message_id else self.find_message(custom_id)
        menus = [
            c
            for row in message.get("components") or []
            for c in row.get("components") or []
            if c.get("custom_id") == custom_id and c.get("type") in SELECT_TYPES
        ]
        if not menus:
            raise LookupError(f"message {message['id']} has no select menu {custom_id!r}")
        menu = menus[0]
        offered = {option["value"] for option in menu.get("options") or []}
        if menu["type"] == 3 and not set(values) <= offered:
            raise ValueError(f"{list(values)} are not all among the menu's values {offered}")
        if not menu.get("min_values", 1) <= len(values) <= menu.get("max_values", 1):
            raise ValueError(f"{len(values)} values picked; the menu takes min/max values")
        return await self.send_component(
            custom_id,
            component_type=menu["type"],
            values=values,
            message=message,
            user_id=user_id,
            guild=guild,
        )

    async def send_modal_submit(
        self,
        custom_id: str,
        fields: Mapping[str, str],
        *,
        user_id: int | None = None,
        guild: bool | int = True,
    ) -> int:
        """Submit a modal whose text inputs (by custom_id) hold ``fields``."""
        rows = [
            {"type": 1, "components": [{"type": 4, "custom_id": key, "value": value}]}
            for key, value in fields.items()
        ]
        data = {"custom_id": custom_id, "components": rows}
        payload = self.build_interaction(MODAL_SUBMIT, data, user_id=user_id, guild=guild)
        return await self.dispatch_interaction(payload)
