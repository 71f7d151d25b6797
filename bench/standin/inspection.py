"""What tests read back from the stand-in, and waiting until something has happened."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterable
from typing import Any

from bench.standin.records import GatewayFrame, GatewaySession, RecordedRequest
from bench.standin.state import StandinState


class Inspection(StandinState):
    """Read back recorded requests, frames and callbacks; wait for them."""

    def callbacks(self, interaction_id: int) -> list[RecordedRequest]:
        """Accepted (2xx) callback requests for an interaction."""
        return self.interactions[interaction_id].callbacks

    def callback_count(self, interaction_id: int) -> int:
        """Number of accepted callbacks for an interaction (1 means exactly-once)."""
        return len(self.interactions[interaction_id].callbacks)

    def callback_attempts(self, interaction_id: int) -> list[RecordedRequest]:
        """Every callback POST for an interaction, including injected failures."""
        return self.interactions[interaction_id].attempts

    def unanswered(self) -> list[int]:
        """Ids of dispatched interactions without an accepted callback."""
        return [iid for iid, rec in self.interactions.items() if not rec.callbacks]

    def requests_matching(
        self, method: str | None = None, path: str = ".*"
    ) -> list[RecordedRequest]:
        """Recorded requests whose path fully matches the regex ``path``."""
        pattern = re.compile(path)
        return [
            r
            for r in self.requests
            if (method is None or r.method == method) and pattern.fullmatch(r.path)
        ]

    def received_frames(self, op: int | None = None) -> list[GatewayFrame]:
        """Gateway payloads received from the client (optionally only opcode ``op``)."""
        return [f for f in self.frames if f.direction == "in" and (op is None or f.op == op)]

    def sent_frames(self, t: str | None = None, op: int | None = None) -> list[GatewayFrame]:
        """Gateway payloads sent to the client, filtered by event name and/or opcode."""
        return [
            f
            for f in self.frames
            if f.direction == "out" and (t is None or f.t == t) and (op is None or f.op == op)
        ]

    def assert_clean(self) -> None:
        """Raise AssertionError if any violation or unknown route was recorded."""
        problems = [str(v) for v in self.violations]
        problems += [f"unknown route {r.method} {r.path}" for r in self.unknown_routes]
        if problems:
            raise AssertionError("Discord stand-in saw problems:\n  " + "\n  ".join(problems))

    def _notify(self) -> None:
        """Wake waiters whose condition became true."""
        for cond, fut in self._waiters:
            if not fut.done() and cond():
                fut.set_result(None)

    async def _wait_until(self, cond: Callable[[], bool], timeout: float, what: str) -> None:
        """Wait until ``cond()`` is true, re-evaluated whenever something is recorded."""
        if cond():
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        entry = (cond, fut)
        self._waiters.append(entry)
        try:
            await asyncio.wait_for(fut, timeout)
        except TimeoutError:
            raise TimeoutError(f"timed out after {timeout}s waiting for {what}") from None
        finally:
            self._waiters.remove(entry)

    async def wait_for_session(self, timeout: float = 5.0) -> GatewaySession:
        """Wait until a client has identified and received READY."""
        await self._wait_until(lambda: bool(self._latest and self._latest.ready), timeout, "READY")
        assert self._latest is not None
        return self._latest

    async def wait_for_callback(self, interaction_id: int, timeout: float = 5.0) -> dict[str, Any]:
        """Wait for the interaction's accepted callback and return its JSON body."""
        record = self.interactions[interaction_id]
        try:
            await asyncio.wait_for(record.acked.wait(), timeout)
        except TimeoutError:
            raise TimeoutError(
                f"interaction {interaction_id} not answered after {timeout}s "
                f"({len(record.attempts)} callback attempts)"
            ) from None
        body: dict[str, Any] = record.callbacks[0].body
        return body

    async def wait_for_callbacks(
        self, interaction_ids: Iterable[int], timeout: float = 10.0
    ) -> list[dict[str, Any]]:
        """Wait for every interaction's callback; return the bodies in order."""
        ids = list(interaction_ids)

        async def one(iid: int) -> dict[str, Any]:
            await self.interactions[iid].acked.wait()
            body: dict[str, Any] = self.interactions[iid].callbacks[0].body
            return body

        try:
            return await asyncio.wait_for(asyncio.gather(*(one(i) for i in ids)), timeout)
        except TimeoutError:
            missing = [i for i in ids if not self.interactions[i].callbacks]
            raise TimeoutError(f"{len(missing)} of {len(ids)} interactions unanswered") from None

    async def wait_for_request(
        self,
        predicate: Callable[[RecordedRequest], bool],
        *,
        since: int = 0,
        timeout: float = 5.0,
    ) -> RecordedRequest:
        """Wait for a recorded request (index >= ``since``) matching ``predicate``."""
        found: list[RecordedRequest] = []

        def cond() -> bool:
            found[:] = [r for r in self.requests[since:] if r.status and predicate(r)][:1]
            return bool(found)

        await self._wait_until(cond, timeout, "a matching request")
        return found[0]

    async def wait_for_frame(
        self,
        predicate: Callable[[GatewayFrame], bool],
        *,
        since: int = 0,
        timeout: float = 5.0,
    ) -> GatewayFrame:
        """Wait for a gateway frame (index >= ``since``) matching ``predicate``."""
        found: list[GatewayFrame] = []

        def cond() -> bool:
            found[:] = [f for f in self.frames[since:] if predicate(f)][:1]
            return bool(found)

        await self._wait_until(cond, timeout, "a matching gateway frame")
        return found[0]

    async def wait_for_resume(self, *, since: int = 0, timeout: float = 5.0) -> GatewayFrame:
        """Wait until RESUMED has been sent (after frame index ``since``)."""
        return await self.wait_for_frame(
            lambda f: f.direction == "out" and f.t == "RESUMED", since=since, timeout=timeout
        )
