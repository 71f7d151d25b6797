"""How the bot answers interactions: the callback (once, in time, within Discord's rules),
follow-up messages and the original response's message."""

from __future__ import annotations

import time
from typing import Any

from aiohttp import web

from bench.standin.messages import Messages
from bench.standin.protocol import ALLOWED_CALLBACKS, EPHEMERAL, LOADING, Problem
from bench.standin.records import InteractionRecord, RecordedRequest
from bench.standin.validation import (
    validate_autocomplete_choices,
    validate_message_payload,
    validate_modal,
)
from bench.uploads import validate_attachments


class Responses(Messages):
    """Accept or refuse the bot's interaction callbacks, follow-ups and edits."""

    def _interaction_for(self, token: str, app: str | None = None) -> InteractionRecord | None:
        """Look up an interaction by webhook token (and application id)."""
        record = self._by_token.get(token)
        if record is None or (app is not None and int(app) != self.application_id):
            return None
        return record

    def _validate_callback(
        self, record: InteractionRecord, body: Any, files: bool
    ) -> list[Problem]:
        """Check a callback body for the interaction type and Discord's payload limits."""
        if not isinstance(body, dict):
            return [("", "callback body must be a JSON object")]
        ctype = body.get("type")
        data = body.get("data") or {}
        problems: list[Problem] = []
        if ctype not in ALLOWED_CALLBACKS.get(record.type, frozenset()):
            problems.append(
                ("type", f"callback type {ctype} invalid for interaction type {record.type}")
            )
        if ctype == 4:
            problems += validate_message_payload(data, require_content=True, has_files=files)
        elif ctype == 7:
            problems += validate_message_payload(data)
        elif ctype == 8:
            problems += validate_autocomplete_choices(data.get("choices"))
        elif ctype == 9:
            problems += validate_modal(data)
        return [
            (f"data.{path}" if path and path != "type" else path, msg) for path, msg in problems
        ]

    async def _post_callback(self, rec: RecordedRequest, p: dict[str, str]) -> web.Response:
        """POST /interactions/{id}/{token}/callback: validate, ack once, build the response."""
        record = self.interactions.get(int(p["iid"]))
        if record is None or record.token != p["token"]:
            return self._error(rec, 404, 10062, "Unknown interaction")
        if record.callbacks:
            self._violate(rec, [("", "interaction acknowledged more than once")])
            return self._error(rec, 400, 40060, "Interaction has already been acknowledged.")
        problems = self._violate(rec, self._validate_callback(record, rec.body, bool(rec.files)))
        problems += self._violate(rec, self._callback_attachments(record, rec))
        if problems and self.strict:
            return self._invalid_form(rec, problems)
        record.callbacks.append(rec)
        record.acked_at = time.monotonic()
        latency = record.acked_at - record.created
        if latency > self.ack_deadline:
            self._violate(
                rec, [("", f"acknowledged after {latency:.2f}s (> {self.ack_deadline}s)")]
            )
        ctype = rec.body["type"]
        data = rec.body.get("data") or {}
        component_message = record.payload.get("message")
        message: dict[str, Any] | None = None
        if ctype == 4:
            message = self._new_message(data, record=record, files=rec.files)
        elif ctype == 5:
            flags = LOADING | (int(data.get("flags") or 0) & EPHEMERAL)
            message = self._new_message({"flags": flags}, record=record)
        elif ctype in (6, 7) and component_message is not None:
            message = self.messages.get(int(component_message["id"]), dict(component_message))
            if ctype == 7:
                message = self._edit_message(message, data)
        if message is not None:
            record.original_message_id = int(message["id"])
        record.acked.set()
        if rec.query.get("with_response", "").lower() not in ("1", "true"):
            return self._reply(rec, 204)
        flags = int((message or {}).get("flags") or 0)
        response: dict[str, Any] = {
            "interaction": {
                "id": str(record.id),
                "type": record.type,
                "activity_instance_id": None,
                "response_message_loading": ctype == 5,
                "response_message_ephemeral": bool(flags & EPHEMERAL),
            }
        }
        if message is not None:
            response["interaction"]["response_message_id"] = message["id"]
            if ctype in (4, 7):
                response["resource"] = {"type": ctype, "message": message}
        return self._reply(rec, 200, response)

    async def _post_followup(self, rec: RecordedRequest, p: dict[str, str]) -> web.Response:
        """POST /webhooks/{app}/{token}: an interaction follow-up message."""
        record = self._interaction_for(p["token"], p["app"])
        if record is None:
            return self._error(rec, 404, 10015, "Unknown Webhook")
        if not record.callbacks:
            self._violate(rec, [("", "follow-up sent before the interaction was acknowledged")])
            return self._error(rec, 404, 10015, "Unknown Webhook")
        body = rec.body if isinstance(rec.body, dict) else {}
        problems = self._violate(
            rec, validate_message_payload(body, require_content=True, has_files=bool(rec.files))
        )
        problems += self._violate(rec, validate_attachments(body, rec.uploads))
        if problems and self.strict:
            return self._invalid_form(rec, problems)
        record.followups.append(rec)
        message = self._new_message(body, record=record, files=rec.files)
        if rec.query.get("wait", "").lower() in ("1", "true"):
            return self._reply(rec, 200, message)
        return self._reply(rec, 204)

    async def _webhook_message(self, rec: RecordedRequest, p: dict[str, str]) -> web.Response:
        """GET/PATCH/DELETE /webhooks/{app}/{token}/messages/{@original|id}."""
        record = self._interaction_for(p["token"], p["app"])
        if record is None:
            return self._error(rec, 404, 10015, "Unknown Webhook")
        if not record.callbacks:
            self._violate(rec, [("", "webhook used before the interaction was acknowledged")])
            return self._error(rec, 404, 10015, "Unknown Webhook")
        mid = record.original_message_id if p["mid"] == "@original" else int(p["mid"])
        message = self.messages.get(mid) if mid is not None else None
        if message is None:
            return self._error(rec, 404, 10008, "Unknown Message")
        if rec.method == "GET":
            return self._reply(rec, 200, message)
        if rec.method == "DELETE":
            del self.messages[int(message["id"])]
            return self._reply(rec, 204)
        body = rec.body if isinstance(rec.body, dict) else {}
        problems = self._violate(rec, validate_message_payload(body))
        kept = [attachment["filename"] for attachment in message.get("attachments", [])]
        problems += self._violate(rec, validate_attachments(body, rec.uploads, kept))
        if problems and self.strict:
            return self._invalid_form(rec, problems)
        return self._reply(rec, 200, self._edit_message(message, body))
