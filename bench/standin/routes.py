"""The REST routes the stand-in serves and the handlers not about interactions: the bot's
user, application, gateway address, commands, channels, guild and channel messages."""

from __future__ import annotations

import re
from typing import Any

from aiohttp import web

from bench.standin.protocol import CALLBACK_PATH
from bench.standin.records import RecordedRequest
from bench.standin.responses import Responses
from bench.standin.state import Handler
from bench.standin.validation import validate_command_list, validate_message_payload


class RestRoutes(Responses):
    """The table of REST routes and the handlers of the plain ones."""

    def _setup_routes(self) -> None:
        """Register the REST routes: (method, path regex, handler, needs bot auth)."""
        app = r"/applications/(?P<app>\d+)"
        hook = r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)"
        msg = r"/channels/(?P<cid>\d+)/messages/(?P<mid>\d+)"
        table: list[tuple[str, str, Handler, bool]] = [
            ("GET", r"/users/@me", self._get_me, True),
            ("GET", r"/users/(?P<uid>\d+)", self._get_user, True),
            ("GET", r"/oauth2/applications/@me", self._get_app, True),
            ("GET", r"/applications/@me", self._get_app, True),
            ("GET", r"/gateway", self._get_gateway, False),
            ("GET", r"/gateway/bot", self._get_gateway, True),
            ("GET", app + r"/commands", self._get_commands, True),
            ("PUT", app + r"/commands", self._put_commands, True),
            ("GET", app + r"/guilds/(?P<guild>\d+)/commands", self._get_commands, True),
            ("PUT", app + r"/guilds/(?P<guild>\d+)/commands", self._put_commands, True),
            ("POST", CALLBACK_PATH.pattern, self._post_callback, False),
            ("POST", hook, self._post_followup, False),
            ("GET", hook + r"/messages/(?P<mid>@original|\d+)", self._webhook_message, False),
            ("PATCH", hook + r"/messages/(?P<mid>@original|\d+)", self._webhook_message, False),
            ("DELETE", hook + r"/messages/(?P<mid>@original|\d+)", self._webhook_message, False),
            ("POST", r"/channels/(?P<cid>\d+)/messages", self._post_channel_message, True),
            ("GET", msg, self._channel_message, True),
            ("PATCH", msg, self._channel_message, True),
            ("DELETE", msg, self._channel_message, True),
            ("POST", r"/channels/(?P<cid>\d+)/typing", self._no_content, True),
            ("GET", r"/channels/(?P<cid>\d+)", self._get_channel, True),
            ("GET", r"/guilds/(?P<guild>\d+)", self._get_guild, True),
            ("GET", r"/guilds/(?P<guild>\d+)/members/(?P<uid>\d+)", self._get_member, True),
            ("GET", r"/attachments/(?P<aid>\d+)/[^/]+", self._get_attachment, False),
        ]
        self._routes = [(m, re.compile(p), h, auth) for m, p, h, auth in table]

    async def _get_me(self, rec: RecordedRequest, p: dict[str, str]) -> web.Response:
        """GET /users/@me."""
        return self._reply(rec, 200, self.bot_user)

    async def _get_user(self, rec: RecordedRequest, p: dict[str, str]) -> web.Response:
        """GET /users/{id}."""
        return self._reply(rec, 200, self.user_payload(int(p["uid"])))

    async def _get_app(self, rec: RecordedRequest, p: dict[str, str]) -> web.Response:
        """GET /oauth2/applications/@me."""
        return self._reply(rec, 200, self.app_info_payload())

    async def _get_gateway(self, rec: RecordedRequest, p: dict[str, str]) -> web.Response:
        """GET /gateway and /gateway/bot."""
        limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
        data = {"url": self.gateway_url, "shards": 1, "session_start_limit": limit}
        return self._reply(rec, 200, data)

    async def _get_channel(self, rec: RecordedRequest, p: dict[str, str]) -> web.Response:
        """GET /channels/{id} (only the test channel exists)."""
        if int(p["cid"]) != self.channel_id:
            return self._error(rec, 404, 10003, "Unknown Channel")
        return self._reply(rec, 200, self.channel_payload())

    async def _get_guild(self, rec: RecordedRequest, p: dict[str, str]) -> web.Response:
        """GET /guilds/{id} (only the test guild exists)."""
        if int(p["guild"]) != self.guild_id:
            return self._error(rec, 404, 10004, "Unknown Guild")
        return self._reply(rec, 200, self.guild_payload())

    async def _get_member(self, rec: RecordedRequest, p: dict[str, str]) -> web.Response:
        """GET /guilds/{id}/members/{uid}."""
        if int(p["guild"]) != self.guild_id:
            return self._error(rec, 404, 10004, "Unknown Guild")
        return self._reply(rec, 200, self.member_payload(int(p["uid"])))

    async def _no_content(self, rec: RecordedRequest, p: dict[str, str]) -> web.Response:
        """Answer 204 No Content."""
        return self._reply(rec, 204)

    async def _get_commands(self, rec: RecordedRequest, p: dict[str, str]) -> web.Response:
        """GET registered global or guild commands."""
        scope = int(p["guild"]) if p.get("guild") else None
        return self._reply(rec, 200, self.commands.get(scope, []))

    async def _put_commands(self, rec: RecordedRequest, p: dict[str, str]) -> web.Response:
        """PUT (bulk overwrite) commands: validate, assign stable ids, echo them back."""
        if int(p["app"]) != self.application_id:
            return self._error(rec, 403, 50001, "Missing Access")
        problems = self._violate(rec, validate_command_list(rec.body))
        if problems and self.strict:
            return self._invalid_form(rec, problems)
        scope = int(p["guild"]) if p.get("guild") else None
        stored: list[dict[str, Any]] = []
        for cmd in rec.body:
            ctype = cmd.get("type", 1)
            key = (scope, ctype, cmd["name"])
            cid = self._command_ids.setdefault(key, self.snowflake())
            out: dict[str, Any] = {
                "id": str(cid),
                "application_id": str(self.application_id),
                "version": str(self.snowflake()),
                "type": ctype,
                "name": cmd["name"],
                "description": cmd.get("description", ""),
                "options": cmd.get("options", []),
                "default_member_permissions": cmd.get("default_member_permissions"),
                "nsfw": cmd.get("nsfw", False),
                "name_localizations": cmd.get("name_localizations"),
                "description_localizations": cmd.get("description_localizations"),
            }
            if scope is None:
                out["dm_permission"] = cmd.get("dm_permission", True)
                out["contexts"] = cmd.get("contexts")
                out["integration_types"] = cmd.get("integration_types") or [0]
            else:
                out["guild_id"] = str(scope)
            stored.append(out)
        self.commands[scope] = stored
        return self._reply(rec, 200, stored)

    async def _post_channel_message(self, rec: RecordedRequest, p: dict[str, str]) -> web.Response:
        """POST /channels/{id}/messages (403 for a channel in ``forbidden_channels``)."""
        if int(p["cid"]) in self.forbidden_channels:
            return self._error(rec, 403, 50013, "Missing Permissions")
        body = rec.body if isinstance(rec.body, dict) else {}
        problems = self._violate(
            rec, validate_message_payload(body, require_content=True, has_files=bool(rec.files))
        )
        if problems and self.strict:
            return self._invalid_form(rec, problems)
        message = self._new_message(body, channel_id=int(p["cid"]), files=rec.files)
        return self._reply(rec, 200, message)

    async def _channel_message(self, rec: RecordedRequest, p: dict[str, str]) -> web.Response:
        """GET/PATCH/DELETE /channels/{id}/messages/{mid}."""
        message = self.messages.get(int(p["mid"]))
        if message is None or message["channel_id"] != p["cid"]:
            return self._error(rec, 404, 10008, "Unknown Message")
        if rec.method == "GET":
            return self._reply(rec, 200, message)
        if rec.method == "DELETE":
            del self.messages[int(p["mid"])]
            return self._reply(rec, 204)
        body = rec.body if isinstance(rec.body, dict) else {}
        problems = self._violate(rec, validate_message_payload(body))
        if problems and self.strict:
            return self._invalid_form(rec, problems)
        return self._reply(rec, 200, self._edit_message(message, body))
