"""The REST side's plumbing: recording each request, reading its body, routing it,
replying as Discord does, and failing requests on purpose."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Iterable, Mapping
from typing import Any

from aiohttp import web

from bench.standin.interactions import Interactions
from bench.standin.protocol import API_PREFIX, CALLBACK_PATH, JSON_CONTENT_TYPE, Problem
from bench.standin.records import Fault, RecordedRequest, Violation
from bench.uploads import read_multipart


class RestPlumbing(Interactions):
    """Record, route and answer REST requests; inject 429s and 5xx when a test asks."""

    def fail_next(
        self,
        count: int,
        status: int = 429,
        *,
        method: str | None = None,
        path: str | None = None,
        retry_after: float = 0.05,
        is_global: bool = False,
        via: bool = True,
    ) -> None:
        """Answer the next ``count`` matching REST requests with ``status`` (429 or 5xx)."""
        pattern = re.compile(path) if path else None
        self._faults.append(Fault(count, status, method, pattern, retry_after, is_global, via))

    def fail_next_callbacks(
        self, count: int, status: int = 429, *, retry_after: float = 0.05
    ) -> None:
        """Answer the next ``count`` interaction callback POSTs with ``status``."""
        self.fail_next(
            count, status, method="POST", path=CALLBACK_PATH.pattern, retry_after=retry_after
        )

    def _reply(
        self,
        rec: RecordedRequest,
        status: int,
        data: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> web.Response:
        """Build a JSON response (exact ``application/json`` content type) and record it."""
        rec.status, rec.response = status, data
        if status == 204 or data is None:
            return web.Response(status=status, headers=headers)
        body = json.dumps(data, separators=(",", ":")).encode()
        return web.Response(
            status=status, body=body, headers={"Content-Type": JSON_CONTENT_TYPE, **(headers or {})}
        )

    def _error(self, rec: RecordedRequest, status: int, code: int, message: str) -> web.Response:
        """Build a Discord-style JSON error."""
        return self._reply(rec, status, {"message": message, "code": code})

    def _invalid_form(self, rec: RecordedRequest, problems: list[Problem]) -> web.Response:
        """Build a 400 Invalid Form Body (code 50035) listing the problems."""
        errors = {path or "_root": {"_errors": [{"message": msg}]} for path, msg in problems}
        return self._reply(
            rec, 400, {"message": "Invalid Form Body", "code": 50035, "errors": errors}
        )

    def _violate(self, rec: RecordedRequest, problems: Iterable[Problem]) -> list[Problem]:
        """Record violations for a request; return the problems."""
        problems = list(problems)
        where = f"{rec.method} {rec.path}"
        self.violations.extend(Violation(where, path, msg) for path, msg in problems)
        return problems

    async def _read_body(self, request: web.Request, rec: RecordedRequest) -> None:
        """Parse a JSON or multipart (payload_json + files) request body into ``rec``."""
        ctype = request.headers.get("Content-Type", "")
        if ctype.startswith("multipart/"):
            form = await read_multipart(request)
            rec.body, rec.uploads = form.payload, list(form.uploads)
            rec.files = [upload.filename for upload in form.uploads]
            self._violate(rec, form.problems)
            return
        raw = await request.read()
        if raw:
            try:
                rec.body = json.loads(raw)
            except ValueError:
                rec.body = raw.decode(errors="replace")

    def _take_fault(self, rec: RecordedRequest) -> Fault | None:
        """Consume one injected failure matching this request, if any."""
        for fault in self._faults:
            if fault.remaining <= 0:
                continue
            if fault.method and fault.method != rec.method:
                continue
            if fault.path and not fault.path.fullmatch(rec.path):
                continue
            fault.remaining -= 1
            return fault
        return None

    def _fault_response(self, rec: RecordedRequest, fault: Fault) -> web.Response:
        """Build the response for an injected failure."""
        if fault.status != 429:
            return self._error(rec, fault.status, 0, f"{fault.status}: Injected failure")
        headers = {"Retry-After": f"{fault.retry_after:g}", "X-RateLimit-Scope": "user"}
        if fault.via:
            headers["Via"] = "1.1 google"
        if fault.is_global:
            headers["X-RateLimit-Global"] = "true"
            headers["X-RateLimit-Scope"] = "global"
        body = {
            "message": "You are being rate limited.",
            "retry_after": fault.retry_after,
            "global": fault.is_global,
        }
        return self._reply(rec, 429, body, headers)

    async def _handle_http(self, request: web.Request) -> web.StreamResponse:
        """Record a REST request, apply injected faults and route it."""
        path = API_PREFIX.sub("", request.path)
        rec = RecordedRequest(
            method=request.method,
            path=path,
            query=dict(request.query),
            body=None,
            headers=dict(request.headers),
            time=time.monotonic(),
        )
        self.requests.append(rec)
        try:
            await self._read_body(request, rec)
            if self.rest_delay:
                await asyncio.sleep(self.rest_delay)
            callback = CALLBACK_PATH.fullmatch(path)
            if callback and request.method == "POST":
                record = self.interactions.get(int(callback["iid"]))
                if record is not None:
                    record.attempts.append(rec)
            fault = self._take_fault(rec)
            if fault is not None:
                return self._fault_response(rec, fault)
            for method, pattern, handler, needs_auth in self._routes:
                match = pattern.fullmatch(path)
                if match is None or method != request.method:
                    continue
                auth = request.headers.get("Authorization")
                if needs_auth and self.check_token and auth != f"Bot {self.token}":
                    return self._error(rec, 401, 0, "401: Unauthorized")
                return await handler(rec, match.groupdict())
            self.unknown_routes.append(rec)
            return self._error(rec, 404, 0, "404: Not Found")
        finally:
            self._notify()
