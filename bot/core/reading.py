"""Reading documents for the parse cache: bytes and signature first, parsing only on a miss
(in worker processes when there are many, which then re-cut the library's long crews too).

Errors come from `parsing` itself: whenever a document is odd (not a regular file, too large,
unreadable, not UTF-8, or the parser fails unexpectedly) it is loaded again the plain way,
which raises the `SeedError` a plain load would have raised, word for word.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Final

from bot.core import records
from bot.core.names import recut_changes
from bot.core.parse_cache import Row, Signature
from bot.core.parsing import SeedError, parse_bytes, read_file

log = logging.getLogger(__name__)

PARALLEL_FROM: Final = 400
"""Parse in worker processes from this many documents (starting a worker costs ~0.5 s)."""
BATCH: Final = 100
"""Documents per task sent to a worker."""
RECUT_FROM: Final = 20_000
"""Re-cut long crews in worker processes from this many cells (about 0.1 s of work here)."""
RECUT_PARTS: Final = 4
"""Parts the long cells are cut into for the workers (a part each would leave one idle while
another finishes)."""

_Outcome = tuple[str, bytes, bytes] | tuple[str, str, int | None, str]


@dataclass(frozen=True, slots=True)
class Document:
    """A document's signature and bytes, as read once."""

    path: Path
    signature: Signature
    data: bytes


def read_document(path: Path) -> Document | SeedError:
    """The document's bytes and signature, or the error a plain load gives for an odd file."""
    try:
        data, info = read_file(path)
    except SeedError as exc:
        return exc
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    return Document(path, Signature(path.name, info.st_size, info.st_mtime_ns, digest), data)


class Workers:
    """Worker processes for one library build, parsing and then re-cutting crews. Documents
    go to them in batches as they are added (a cold start parses while it still reads files),
    from PARALLEL_FROM documents on; below that, on one core, or where processes cannot start
    or fail, the work is done here."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._failed = _cores() < 2
        self._added = 0
        self._queued: list[Document] = []
        self._sent: deque[tuple[list[Document], Future[list[_Outcome]] | None]] = deque()

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def add(self, document: Document) -> None:
        """Parse the document (its outcome comes from `outcomes`, in the order added)."""
        self._queued.append(document)
        self._added += 1
        if self._pool is None and not self._failed and self._added >= PARALLEL_FROM:
            self._start()
        while self._pool is not None and len(self._queued) >= BATCH:
            self._send()

    def outcomes(self) -> Iterator[Row | SeedError]:
        """Each added document parsed into a cache row, or its error, as they are done."""
        while self._queued:
            self._send()
        while self._sent:
            batch, future = self._sent.popleft()
            outcomes = None
            if future is not None and self._pool is not None:
                try:
                    outcomes = future.result()
                except Exception:  # a broken pool: parse the rest here
                    self._give_up("parsing")
            if outcomes is None:
                outcomes = [_parse(doc.path, doc.data) for doc in batch]
            for document, outcome in zip(batch, outcomes, strict=True):
                yield _row(document, outcome)

    def recut(
        self, long: Sequence[str], known: frozenset[str]
    ) -> Callable[[], dict[str, tuple[str, ...]]]:
        """`names.recut_changes` started in the workers; call the result for the changes."""
        here = partial(recut_changes, long, known)  # done here, when asked for
        if len(long) < RECUT_FROM:
            return here
        if self._pool is None and not self._failed:
            self._start()  # a few documents changed in a large library: its crews are many
        if self._pool is None:
            return here
        size = -(-len(long) // RECUT_PARTS)
        parts = [long[start : start + size] for start in range(0, len(long), size)]
        try:
            futures = [self._pool.submit(recut_changes, part, known) for part in parts]
        except Exception:  # a broken pool
            self._give_up("re-cutting")
            return here

        def changes() -> dict[str, tuple[str, ...]]:
            """The changes the parts found (found here if a worker failed)."""
            found: dict[str, tuple[str, ...]] = {}
            try:
                for future in futures:
                    found.update(future.result())
            except Exception:
                self._give_up("re-cutting")
                return here()
            return found

        return changes

    def _start(self) -> None:
        # Forking a process with other threads running (the bot's /reload) can deadlock the
        # child, so then spawn (slower to start: each worker imports the parser).
        method = "fork" if threading.active_count() == 1 and os.name == "posix" else "spawn"
        try:
            context = multiprocessing.get_context(method)
            self._pool = ProcessPoolExecutor(_cores(), mp_context=context)
        except Exception:  # no processes here (a sandbox): work in this one
            log.warning("cannot start worker processes; working here", exc_info=True)
            self._failed = True

    def _send(self) -> None:
        """A batch of queued documents, to the workers if there are any (else parsed when
        asked for)."""
        batch, self._queued = self._queued[:BATCH], self._queued[BATCH:]
        future = None
        if self._pool is not None:
            try:
                future = self._pool.submit(_parse_batch, [(d.path, d.data) for d in batch])
            except Exception:  # a broken pool
                self._give_up("parsing")
        self._sent.append((batch, future))

    def _give_up(self, doing: str) -> None:
        """No more work for the workers after one failed (logged once): it is done here."""
        if self._pool is not None:
            log.warning("%s in worker processes failed; working here", doing, exc_info=True)
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        self._failed = True


def _cores() -> int:
    """The cores this process may use (a container may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _row(document: Document, outcome: _Outcome) -> Row | SeedError:
    if outcome[0] == "ok":
        record, view = outcome[1], outcome[2]
        assert isinstance(record, bytes)
        assert isinstance(view, bytes)
        return Row(document.signature, record, None, None, view)
    _, source, line, message = outcome  # type: ignore[misc]
    return SeedError(source, line, message)


def _parse_batch(batch: list[tuple[Path, bytes]]) -> list[_Outcome]:
    """A worker's task: parse some documents (errors as plain tuples: they cross processes)."""
    return [_parse(path, data) for path, data in batch]


def _parse(path: Path, data: bytes) -> _Outcome:
    try:
        race, crews = parse_bytes(data, path.name)
        return ("ok", records.encode(race, crews), records.view(race, crews))
    except SeedError as error:  # parse_bytes words every failure as a plain load does
        log.info("skipping %s", error)
        return ("error", error.source, error.line, error.message)
