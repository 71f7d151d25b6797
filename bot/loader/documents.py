"""Documents on their way into the store: read from seeds/, hashed, parsed into what it keeps.

Reading never hangs and never stops at a bad entry: a name that is not UTF-8, a FIFO, a
device, a folder named `.txt` or a file that cannot be read is skipped with one warning naming
it. Parsing many documents (a first start) uses worker processes on every core.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import logging
import multiprocessing
import os
import stat
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Final, NamedTuple

from bot.core.collector import collector_paused, keep_out_of_collections
from bot.core.cores import usable_cores
from bot.core.documents import records
from bot.core.documents.model import RaceSummary, summarise
from bot.core.documents.names import cuts_in_pool
from bot.core.documents.parsing import ParsedDocument, SeedError, parse_document_bytes, read_file
from bot.core.documents.seed_error import SeedWarning
from bot.core.library.identity import race_key
from bot.store import NewDocument
from bot.store.records import Origin

log = logging.getLogger(__name__)

PARALLEL_FROM: Final = 400
"""Parse in worker processes from this many documents (starting the workers costs ~0.3 s)."""
BATCH: Final = 50
"""Documents per task sent to a worker."""
RACY_NS: Final = 2_000_000_000
"""A file changed this recently (in ns) is hashed even when its status looks unchanged: a write
within the file system's clock tick may keep its size and time (git's "racy" files)."""

FileStamp = tuple[int, int, int, int]
"""What a file's status says of its content: size, modification and change times, inode."""
KnownHashes = dict[str, tuple[FileStamp, str]]
"""Each file read at an earlier scan: its stamp then and its content hash."""


class SeedDocument(NamedTuple):
    """A seeds/ file as read: its name, bytes and hash (a named tuple: a scan makes one for
    each of 10,000 files, at a third of a frozen dataclass's cost)."""

    source: str
    data: bytes
    sha256: str
    unread: bool = False
    """Whether `data` was left unread (empty): the file's stamp matched an earlier scan's."""


@dataclasses.dataclass(frozen=True, slots=True)
class SeedScan:
    """Every readable `*.txt` file of a folder, and the entries that were skipped."""

    documents: tuple[SeedDocument, ...]
    skipped: tuple[SeedError, ...]
    unreadable: SeedError | None = None
    """Why the folder itself could not be read (then nothing in it is known)."""
    followed: frozenset[bytes] = frozenset()
    """The raw names of entries that may change unheard by a watch on the folder (symlinks,
    files with other hard links): `rescan_seeds` always looks at them again."""
    skipped_names: tuple[bytes, ...] = ()
    """The raw names of the `skipped` entries, in their order (a name that is not UTF-8 is shown
    escaped: this is how a rescan finds it)."""


def sha256(data: bytes) -> str:
    """A document's content hash, as the store keeps it."""
    return hashlib.sha256(data).hexdigest()


def _stamp(info: os.stat_result) -> FileStamp:
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def _unchanged(raw: bytes, folder: int, known: tuple[FileStamp, str], settled: int) -> str | None:
    """The hash an earlier scan read for a file (by its raw name in the open `folder`) whose
    status has not changed since, and which has not changed since `settled`, if any (a file with
    other hard links is read, which makes it followed: see `_look`)."""
    try:
        info = os.stat(raw, dir_fd=folder)
    except OSError:
        return None
    if (
        info.st_nlink > 1
        or info.st_size != known[0][0]
        or info.st_mtime_ns != known[0][1]
        or info.st_ctime_ns != known[0][2]
        or info.st_ino != known[0][3]
        or info.st_ctime_ns >= settled  # a file's change time is never before its mtime
        or info.st_mtime_ns >= settled
        or not stat.S_ISREG(info.st_mode)
    ):
        return None
    return known[1]


def read_unread(folder: Path, document: SeedDocument) -> SeedDocument:
    """A scanned document with its bytes (read now when the scan left them unread)."""
    if not document.unread:
        return document
    data, _ = read_file(folder / document.source)
    return SeedDocument(document.source, data, sha256(data))


def scan_seeds(
    folder: Path,
    hashes: KnownHashes | None = None,
    now: int | None = None,
    read: Callable[[SeedDocument], None] | None = None,
) -> SeedScan:
    """Read every `*.txt` document at the top of `folder` (sorted by name). Given the hashes an
    earlier scan read (updated here), a file whose status is unchanged since, and not changed in
    the last two seconds (before `now`, in ns since the epoch), is not read: its document comes
    back `unread`, with that hash. `read` is given each document read, as soon as it is."""
    now = time.time_ns() if now is None else now
    documents: list[SeedDocument] = []
    skipped: list[SeedError] = []
    skipped_names: list[bytes] = []
    followed: set[bytes] = set()
    if not folder.is_dir():
        missing = SeedError(str(folder), None, "no such folder of race documents")
        return SeedScan((), (), missing)
    try:
        # The entries' types come with the listing: symlinks are known without a call each.
        with os.scandir(os.fsencode(folder)) as listing:
            entries = sorted((entry.name, entry.is_symlink()) for entry in listing)
    except OSError as exc:
        error = SeedError(str(folder), None, f"cannot read the folder ({exc.strerror})")
        return SeedScan((), (), error)
    with _opened(folder, bool(hashes)) as folder_fd:
        for raw, linked in entries:
            found = _look(folder, raw, hashes, now, folder_fd, followed)
            if linked and found is not None:  # a race document's symlink, not any link
                followed.add(raw)
            if isinstance(found, SeedDocument):
                documents.append(found)
                if read is not None and not found.unread:
                    read(found)
            elif found is not None:
                skipped.append(found)
                skipped_names.append(raw)
    if hashes is not None:
        for gone in hashes.keys() - {document.source for document in documents}:
            del hashes[gone]
    for problem in skipped:
        log.warning("skipping %s", problem)
    return SeedScan(
        tuple(documents),
        tuple(skipped),
        followed=frozenset(followed),
        skipped_names=tuple(skipped_names),
    )


def rescan_seeds(
    folder: Path,
    previous: SeedScan,
    changed: set[bytes],
    hashes: KnownHashes,
    now: int | None = None,
) -> SeedScan:
    """`previous` (a scan of `folder`) brought up to date when only the `changed` entries (a
    `SeedWatch`'s) and the ones it follows may differ: what `scan_seeds` would return, though
    each file it did not look at again comes back `unread`. An entry skipped is logged when
    it is looked at (not at every rescan). OSError when the folder cannot be opened (scan it
    whole)."""
    now = time.time_ns() if now is None else now
    looked = changed | previous.followed
    # By name: a document's raw name is its name in UTF-8, which sorts alike.
    documents = {
        document.source: document
        if document.unread
        else SeedDocument(document.source, b"", document.sha256, True)
        for document in previous.documents
    }
    skipped = dict(zip(previous.skipped_names, previous.skipped, strict=True))
    followed = set(previous.followed)
    added = False
    folder_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for raw in looked:
            if not raw.endswith(b".txt"):
                continue  # no document, and nothing a scan skips
            followed.discard(raw)
            try:
                if stat.S_ISLNK(os.lstat(raw, dir_fd=folder_fd).st_mode):
                    followed.add(raw)
                gone = False
            except FileNotFoundError:
                gone = True
            except OSError:
                gone = False  # the look below says what is wrong
            found = None if gone else _look(folder, raw, hashes, now, folder_fd, followed)
            if found is None:
                hashes.pop(os.fsdecode(raw), None)
            # Replaced in place, so the order holds unless an entry is new to its list.
            if isinstance(found, SeedDocument):
                added = added or found.source not in documents
                documents[found.source] = found
            else:
                documents.pop(raw.decode("utf-8", "surrogateescape"), None)
            if isinstance(found, SeedError):
                added = added or raw not in skipped
                skipped[raw] = found
                log.warning("skipping %s", found)
            else:
                skipped.pop(raw, None)
    finally:
        os.close(folder_fd)
    if added:  # in the order a scan lists them
        documents = dict(sorted(documents.items()))
        skipped = dict(sorted(skipped.items()))
    return SeedScan(
        tuple(documents.values()),
        tuple(skipped.values()),
        followed=frozenset(followed),
        skipped_names=tuple(skipped),
    )


@contextlib.contextmanager
def _opened(folder: Path, wanted: bool) -> Iterator[int | None]:
    """The folder opened when `wanted`, to ask its files' status by name (None: every file is
    read)."""
    try:
        folder_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY) if wanted else None
    except OSError:
        folder_fd = None  # read every file, which reports what is wrong
    try:
        yield folder_fd
    finally:
        if folder_fd is not None:
            os.close(folder_fd)


def _look(
    folder: Path,
    raw: bytes,
    hashes: KnownHashes | None,
    now: int,
    folder_fd: int | None,
    followed: set[bytes],
) -> SeedDocument | SeedError | None:
    """One entry of the folder (by its raw name): its document, why it is skipped, or None when
    it is no `*.txt` entry. A file with other hard links joins `followed`."""
    if not raw.endswith(b".txt"):
        return None
    try:
        name = raw.decode("utf-8")
    except UnicodeDecodeError:
        shown = raw.decode("utf-8", "backslashreplace")
        return SeedError(shown, None, "has a name that is not UTF-8; rename it")
    known = hashes.get(name) if hashes else None
    if (
        known is not None
        and folder_fd is not None
        and (digest := _unchanged(raw, folder_fd, known, now - RACY_NS))
    ):
        return SeedDocument(name, b"", digest, True)
    try:
        data, info = read_file(folder / name)
    except SeedError as exc:
        return exc
    document = SeedDocument(name, data, sha256(data))
    if info.st_nlink > 1:
        followed.add(raw)  # it may be written through its other names, unheard by a watch
    if hashes is not None:
        if now - max(info.st_mtime_ns, info.st_ctime_ns) < RACY_NS:
            hashes.pop(name, None)  # it may change again within the clock's tick: read it
        else:
            hashes[name] = (_stamp(info), document.sha256)
    return document


@dataclasses.dataclass(frozen=True, slots=True)
class ReadDocument:
    """A document parsed for the store: what the store keeps, and what the loader checks and
    reports before storing it (its race's summary, heading line and warnings)."""

    document: NewDocument
    summary: RaceSummary
    title_line: int
    warnings: tuple[SeedWarning, ...]
    shape: bytes | None = None
    """Its view's `records.shape`, made beside it (a first build takes it with the view)."""
    view: records.View | None = None
    """The document's view decoded (`records.read_view` of its bytes) while worker processes
    parsed the rest (None when not: only a parse in workers started for a first start decodes
    them): the first build takes it rather than decoding it again."""


def new_document(
    data: bytes,
    source: str,
    origin: Origin,
    *,
    added_by: str | None = None,
    digest: str | None = None,
) -> tuple[NewDocument, ParsedDocument]:
    """A document as the store keeps it, and the parse it came from (race, warnings, heading
    line); `SeedError` (file and line) when it is refused."""
    document, parsed, _, _ = _new_document(data, source, origin, added_by, digest)
    return document, parsed


def _new_document(
    data: bytes,
    source: str,
    origin: Origin,
    added_by: str | None,
    digest: str | None,
    *,
    shaped: bool = False,
) -> tuple[NewDocument, ParsedDocument, RaceSummary, bytes | None]:
    """`new_document`, its race's summary (made once: its view holds it too), and (`shaped`)
    its view's shape."""
    parsed = parse_document_bytes(data, source)
    race, crews = parsed.race, parsed.crews
    summary = summarise(race)
    view, shape = records.shaped_view(race, crews, summary, shaped=shaped)
    document = NewDocument(
        race_key=race_key(race),
        title=race.title,
        origin=origin,
        source=source,
        body=data,
        sha256=digest or sha256(data),
        parser=records.PARSER_VERSION,
        record=records.encode(race, crews),
        view=view,
        added_by=added_by,
    )
    return document, parsed, summary, shape


def read_document(data: bytes, source: str, digest: str) -> ReadDocument:
    """A seeds/ document parsed for the store, with what the loader checks before storing it
    (sent back from a worker process, so without the race itself)."""
    document, parsed, summary, shape = _new_document(
        data, source, "seeds", None, digest, shaped=True
    )
    return ReadDocument(document, summary, parsed.title_line, parsed.warnings, shape)


def start_parsers(count: int) -> ProcessPoolExecutor | None:
    """Worker processes for `parse_seeds`, started now when `count` documents will need them:
    each takes ~0.5 s to start (an interpreter importing the parser), which then overlaps
    whatever the caller does meanwhile (opening the store, scanning seeds/). None when one
    process will do (or none can be started); the caller shuts the pool down."""
    if count < PARALLEL_FROM or usable_cores() < 2:
        return None
    try:
        # Spawned, not forked: the caller may hold threads (the store's) that a fork would copy.
        pool = ProcessPoolExecutor(usable_cores(), mp_context=multiprocessing.get_context("spawn"))
        for _ in range(usable_cores()):  # a process is started at each task while none is idle
            pool.submit(_started)
    except (OSError, RuntimeError) as exc:
        log.warning("parsing in this process (worker processes failed: %s)", exc)
        return None
    return pool


CutsStarted = tuple[frozenset[str], set[str], Callable[[], dict[str, tuple[str, ...]]]]
"""What `cuts_started` gives (`CrewCuts.cut_elsewhere` takes it)."""


def cuts_started(pool: ProcessPoolExecutor, views: Sequence[records.View]) -> CutsStarted:
    """The documents' crews cut again with the names they write alone, started in the parse
    workers (free once the parse is done, while the store is filled and the views gathered):
    the known names, the long cells, and what waits for their cuts (`CrewCuts.cut_elsewhere`)."""
    known = frozenset().union(*(view.known for view in views))
    cells = {cell for view in views for cell in view.long}
    return known, cells, cuts_in_pool(pool, list(cells), known)


def _started() -> None:
    """A task that only makes the pool start a worker process."""


_Parses = Future[list["ReadDocument | SeedError"]]
"""A batch's outcomes, as a worker sends them (`_parse_sent`)."""


class EarlyParses:
    """Documents sent to the parse workers as a scan reads them, a batch at a time (a first
    start: every document will be parsed, and the workers need not wait for the whole folder
    to be read and hashed: a second at 10,000 races). `parse_seeds` takes the outcome of each
    document it is given that was sent as it is; any other it parses then."""

    def __init__(self, pool: ProcessPoolExecutor) -> None:
        self.pool = pool
        self._batch: list[SeedDocument] = []
        self._sent: dict[str, tuple[SeedDocument, _Parses, int]] = {}
        """Each document sent, by name: as sent, its batch's outcomes, its place in them."""
        self._failed = False

    def read(self, document: SeedDocument) -> None:
        """A document the scan read: sent with its batch."""
        self._batch.append(document)
        if len(self._batch) >= BATCH:
            self.send()

    def send(self) -> None:
        """Send the documents read since the last batch (the last one, at the scan's end)."""
        batch, self._batch = self._batch, []
        if not batch or self._failed:
            return
        try:
            parses: _Parses = self.pool.submit(_parse_sent, batch)
        except (OSError, RuntimeError) as exc:  # parsed later, with the others
            log.warning("parsing after the scan (worker processes failed: %s)", exc)
            self._failed = True
            return
        for at, document in enumerate(batch):
            self._sent[document.source] = (document, parses, at)

    def take(self, document: SeedDocument) -> tuple[_Parses, int] | None:
        """Where a document's outcome comes, when it was sent as it is (None: parse it)."""
        sent = self._sent.pop(document.source, None)
        if sent is None or sent[0] != document:
            return None
        return sent[1], sent[2]

    def drop(self) -> None:
        """Forget the documents not taken (those not started are not parsed)."""
        for _, parses, _ in self._sent.values():
            parses.cancel()
        self._sent.clear()


def parse_seeds(
    documents: Sequence[SeedDocument],
    pool: ProcessPoolExecutor | None = None,
    early: EarlyParses | None = None,
) -> list[ReadDocument | SeedError]:
    """Each seeds/ document parsed into what the store keeps, or the reason it was refused (in
    `pool`'s processes when given, which the caller shuts down, with each view decoded for the
    first build that follows, the outcomes of those sent `early` taken; else in processes of
    its own when there are many documents)."""
    if pool is not None:
        return _parse_in(pool, documents, decode=True, early=early)
    own = start_parsers(len(documents))
    if own is None:
        return _parse_batch(documents)
    with own:
        return _parse_in(own, documents, decode=False)


def _parse_in(
    pool: ProcessPoolExecutor,
    documents: Sequence[SeedDocument],
    *,
    decode: bool,
    early: EarlyParses | None = None,
) -> list[ReadDocument | SeedError]:
    """`parse_seeds` in the pool's processes (in this one when they fail)."""
    received = _received if decode else _with_body
    outcomes: list[ReadDocument | SeedError] = []
    try:
        taken = [early.take(document) if early is not None else None for document in documents]
        left = [i for i, place in enumerate(taken) if place is None]
        for start in range(0, len(left), BATCH):
            chunk = left[start : start + BATCH]
            parses: _Parses = pool.submit(_parse_sent, [documents[i] for i in chunk])
            for at, i in enumerate(chunk):
                taken[i] = (parses, at)
        # Popped as they are read: a batch's outcomes are let go once all are taken.
        places = [place for place in reversed(taken) if place is not None]
        # The parses read back are many objects, none in a cycle: no collection goes over
        # them again and again while they come in.
        with collector_paused():
            for document in documents:
                parses, at = places.pop()
                outcomes.append(received(document, parses.result()[at]))
            if decode:
                # The views decoded are millions of objects that live until the library is
                # built (none in a cycle): left out of collections, else every full one until
                # then goes over them all (the store's fill made several: seconds).
                keep_out_of_collections()
    except (OSError, RuntimeError) as exc:  # no processes here: one core will do
        log.warning("parsing in this process (worker processes failed: %s)", exc)
        return _parse_batch(documents)
    return outcomes


def _received(
    document: SeedDocument, outcome: ReadDocument | SeedError
) -> ReadDocument | SeedError:
    """A worker's outcome for a document, with the document's bytes (left out of what it sent:
    this process has them) and its view decoded here, while the workers parse on (this process
    would otherwise wait; the build would decode it after the store is filled, on one core)."""
    if isinstance(outcome, SeedError):
        return outcome
    try:
        view = records.read_view(outcome.document.view)._replace(shape=outcome.shape)
    except ValueError:  # the build finds it damaged and says so
        view = None
    stored = dataclasses.replace(outcome.document, body=document.data)
    return dataclasses.replace(outcome, document=stored, view=view)


def _with_body(
    document: SeedDocument, outcome: ReadDocument | SeedError
) -> ReadDocument | SeedError:
    """A worker's outcome for a document, with the document's bytes."""
    if isinstance(outcome, SeedError):
        return outcome
    return dataclasses.replace(
        outcome, document=dataclasses.replace(outcome.document, body=document.data)
    )


def _parse_batch(documents: Sequence[SeedDocument]) -> list[ReadDocument | SeedError]:
    outcomes: list[ReadDocument | SeedError] = []
    for document in documents:
        try:
            outcomes.append(read_document(document.data, document.source, document.sha256))
        except SeedError as exc:
            outcomes.append(exc)
    return outcomes


def _parse_sent(documents: Sequence[SeedDocument]) -> list[ReadDocument | SeedError]:
    """`_parse_batch` in a worker process, each document's bytes left out of what it sends back
    (half of it: the caller has them)."""
    return [
        outcome
        if isinstance(outcome, SeedError)
        else dataclasses.replace(outcome, document=dataclasses.replace(outcome.document, body=b""))
        for outcome in _parse_batch(documents)
    ]
