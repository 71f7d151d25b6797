"""Files: attachments a user uploads (served as Discord's CDN would) and the files the
bot attaches to its answers."""

from __future__ import annotations

import urllib.parse

from aiohttp import web

from bench.standin.protocol import Problem
from bench.standin.records import InteractionRecord, RecordedRequest
from bench.standin.rest import RestPlumbing
from bench.uploads import validate_attachments


class Attachments(RestPlumbing):
    """Serve uploaded files and check the files the bot sends."""

    def add_attachment(self, filename: str, data: bytes, *, size: int | None = None) -> int:
        """Serve ``data`` as an uploaded attachment (``size`` may lie); return its id."""
        aid = self.snowflake()
        safe = urllib.parse.quote(filename.replace("/", "_"), safe="")  # as Discord's CDN names it
        url = f"http://127.0.0.1:{self._port}/attachments/{aid}/{safe}"
        payload = {
            "id": str(aid),
            "filename": filename,
            "size": len(data) if size is None else size,
            "url": url,
            "proxy_url": url,
            "content_type": "text/plain; charset=utf-8",
        }
        self.attachments[aid] = (payload, data)
        return aid

    def _callback_attachments(
        self, record: InteractionRecord, rec: RecordedRequest
    ) -> list[Problem]:
        """Check a message callback's files and the embeds' `attachment://` references."""
        body = rec.body if isinstance(rec.body, dict) else {}
        if body.get("type") not in (4, 7):
            return []
        data = body.get("data") or {}
        kept = []
        if body["type"] == 7:  # an update keeps the files of the message it changes
            kept = [a["filename"] for a in record.payload.get("message", {}).get("attachments", [])]
        problems = validate_attachments(data, rec.uploads, kept)
        return [(f"data.{path}" if path else "data", message) for path, message in problems]

    async def _get_attachment(self, rec: RecordedRequest, p: dict[str, str]) -> web.Response:
        """GET an attachment's bytes (the CDN, here on the same port)."""
        found = self.attachments.get(int(p["aid"]))
        if found is None:
            return self._error(rec, 404, 0, "404: Not Found")
        rec.status = 200
        return web.Response(status=200, body=found[1], content_type="text/plain")
