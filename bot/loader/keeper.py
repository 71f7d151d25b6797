"""The keeper: the store, the library built from it, and every way a document gets in or out.

seeds/ is mirrored into the store (an unchanged file costs a hash, a changed one a parse, a
removed one its race, its history kept); imports and removals are written to the store; the
library is rebuilt from the store whenever it has changed, whichever process changed it.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import logging
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path, PurePosixPath
from typing import Final

import orjson

from bot.core.asking.query import QueryService
from bot.core.asking.questions.common import pick_race
from bot.core.collector import collector_paused
from bot.core.documents import records
from bot.core.documents.model import Race
from bot.core.documents.parsing import ParsedDocument, SeedError
from bot.core.documents.seed_error import SeedWarning
from bot.core.library.duplicates import distinct_races, repeats
from bot.core.library.identities import ALIASES_FILE, read_aliases
from bot.core.library.identity import race_key
from bot.core.library.races import RaceLibrary
from bot.core.matching import compact, normalise
from bot.loader.documents import (
    CutsStarted,
    EarlyParses,
    KnownHashes,
    ReadDocument,
    SeedDocument,
    SeedScan,
    cuts_started,
    new_document,
    parse_seeds,
    read_unread,
    rescan_seeds,
    scan_seeds,
    sha256,
)
from bot.loader.library import (
    BuiltLibrary,
    LibraryParts,
    aliases_digest,
    snapshot_of,
    snapshot_version,
)
from bot.loader.seed_watch import SeedWatch
from bot.store import (
    DocumentExists,
    NewDocument,
    SeedProblem,
    SeedSync,
    Store,
    StoredDocument,
    StoreError,
)
from bot.store.records import Change, SeedFile

log = logging.getLogger(__name__)

MAX_IMPORT_BYTES: Final = 1024 * 1024
"""The largest document an import accepts (the seed is about 10 kB)."""
LAST_MIRROR: Final = "seeds mirrored at"
"""The store fact holding when seeds/ was last mirrored into it (what `racebot status` shows)."""
SNAPSHOT_LAG: Final = 100
"""Changes patched in since the last library snapshot after which it is written again (a
start takes those in from the documents: cheap for a few, not for thousands)."""
SNAPSHOT_QUIET: Final = 30.0
"""Seconds without another build before the library snapshot is written."""
ALIASES: Final = "aliases"
"""The store fact holding the aliases file of seeds/ as written ("" when there is none)."""
SEED_STAMPS: Final = "seed stamps"
"""The store fact holding each seeds/ file's status and hash at the last mirror, and what the
store then held of each file (`_stamps_fact`): a start whose folder is unchanged reads no file
and no row of them (hashing 10,000 files costs 0.2 s)."""
_STAMPS_FORMAT: Final = 1


class AlreadyStored(ValueError):
    """The race has a document already: each front end says how to replace it in its words."""

    def __init__(self, existing: StoredDocument, why: str) -> None:
        super().__init__(
            f"{why}; it is already loaded, and if you replace it the old version is kept in "
            "the store's history"
        )
        self.existing = existing


@dataclasses.dataclass(frozen=True, slots=True)
class Imported:
    """What an import did: the race, the change it made, and the document it replaced."""

    race: Race
    change: Change
    replaced: StoredDocument | None
    warnings: tuple[SeedWarning, ...] = ()
    """What is unlikely in the document (it was imported all the same)."""


@dataclasses.dataclass(frozen=True, slots=True)
class MirrorReport:
    """What mirroring seeds/ into the store did."""

    folder: Path
    changes: tuple[Change, ...]
    parsed: int
    """Files parsed because they were new or changed."""
    unchanged: int
    """Files whose hash matched the store (not parsed)."""
    skipped: tuple[SeedError, ...]
    """Entries that could not be read (a warning each)."""
    first_fill: bool = False
    """Whether the store held no document before: its races are not news to announce."""
    warnings: tuple[SeedWarning, ...] = ()
    """What is unlikely in the documents parsed (they loaded all the same)."""


@dataclasses.dataclass(frozen=True, slots=True)
class _Parse:
    """A mirror's scan and parse of seeds/, before the store takes them in."""

    folder: Path
    revision: int
    """The store's revision when the mirror began."""
    files: dict[str, SeedFile]
    """What the store held of each file then."""
    files_kept: bool
    """Whether `files` were kept from the last mirror (their parses are this version's)."""
    scan: SeedScan
    fresh: int
    """Files parsed (new or changed)."""
    parsed: list[NewDocument]
    refused: list[SeedProblem]
    warnings: tuple[SeedWarning, ...]
    present: list[str]
    """Every file the folder holds, read or not (a file that cannot be read keeps its race)."""
    aliases: str
    """The folder's aliases file as read ("" when there is none)."""

    def report(self, changes: tuple[Change, ...]) -> MirrorReport:
        """What the mirror did, once the store made these changes."""
        return MirrorReport(
            folder=self.folder,
            changes=changes,
            parsed=self.fresh,
            unchanged=len(self.scan.documents) - self.fresh,
            skipped=self.scan.skipped,
            first_fill=self.revision == 0,
            warnings=self.warnings,
        )


def import_name(name: str) -> str:
    """The name an imported document is known by: the file's own name, without any folders,
    control characters or more than 100 characters ("../../etc/passwd" is "passwd")."""
    base = PurePosixPath(name.replace("\\", "/")).name
    cleaned = "".join(ch for ch in base if ch.isprintable()).strip()[:100]
    return cleaned or "imported.txt"


def _problem(error: SeedError, digest: str) -> SeedProblem:
    return SeedProblem(error.source, digest, error.line, error.message)


def seed_error(problem: SeedProblem) -> SeedError:
    """A refused seeds/ file as the error `racebot check` prints."""
    return SeedError(problem.source, problem.line, problem.message)


class Keeper:
    """One store and the library built from it."""

    def __init__(self, store: Store, seeds_dir: Path | None = None) -> None:
        self.store = store
        self.seeds_dir = seeds_dir
        self.built = BuiltLibrary(QueryService(RaceLibrary(())), ())
        self.revision = -1
        """The last change the library includes (-1: not loaded yet)."""
        self.last_mirror: MirrorReport | None = None
        self._parts = LibraryParts()
        self._seed_files: tuple[int, dict[str, SeedFile]] | None = None
        """What the store held of each seeds/ file after the last mirror, at which revision
        (used while the store has changed no further: an unchanged folder reads no row)."""
        self._hashes: KnownHashes = {}
        """Each seeds/ file's status and hash at the last scan: an unchanged file is not read."""
        self._watch: SeedWatch | None = None
        """What tells which seeds/ files changed since `_scanned` (None: scan them all)."""
        self._scanned: SeedScan | None = None
        """The last scan of seeds/, without the documents' bytes (what the watch follows)."""
        self._scanning = asyncio.Lock()
        """Held while seeds/ is scanned: the watch's changes are taken once, by one scan."""
        self._stamps: str | None = None
        """The seed stamps fact as last read or written (None: not read yet)."""
        self._stamping: asyncio.Task[None] | None = None
        """The seed stamps waiting to be kept (`_keep_stamps_later`)."""
        self._stamped: tuple[KnownHashes, tuple[int, dict[str, SeedFile]] | None] | None = None
        """What the stamps fact was last made of."""
        self._lock = asyncio.Lock()
        self._aliases: str | None = None
        """The aliases file the library was built with (None: not built from the store)."""
        self._saving: asyncio.Task[None] | None = None
        """The library snapshot waiting to be written, or being written (`_write_snapshot`)."""
        self._writing = False
        """Whether `_saving` is past its wait (pickling or writing: it is not cancelled)."""
        self._write_now = asyncio.Event()
        """Set when snapshots are written without waiting for a quiet spell."""
        self._snapshot_revision = 0
        """The revision of the last library snapshot this process read or kept."""
        self._restoring: asyncio.Task[tuple[str, tuple[BuiltLibrary, int] | None]] | None = None
        """The library snapshot being read while seeds/ is mirrored (`start_restoring`)."""
        self.parsers: ProcessPoolExecutor | None = None
        """Worker processes started early for the mirror's parse (its owner shuts them down)."""
        self._decoded: dict[str, tuple[bytes, records.View]] = {}
        """The views a start's mirror decoded as it parsed, by race, with their bytes: the
        first load takes them rather than decoding the stored views again."""
        self.answer_first = False
        """Whether a first start's mirror into an empty store may leave the store filled after
        the library is built (`fill_pending`): a one-off answer does not wait for the fill."""
        self._pending: _Parse | None = None
        """A first start's parse of seeds/ the library was built from, not stored yet."""
        self._filled: tuple[int, list[StoredDocument]] | None = None
        """Every document of the store, as a start's mirror of seeds/ into an empty store wrote
        them, and the revision it left: the first load takes them while the store is still at
        it, rather than reading them back (0.2 s and 50 MB more at 10,000 races)."""

    @classmethod
    def serving(cls, service: QueryService, store: Store, seeds_dir: Path | None = None) -> Keeper:
        """A keeper whose library is `service` as given (tests, the offline command list)."""
        keeper = cls(store, seeds_dir)
        keys = tuple(race_key(summary) for summary in service.library.summaries)
        keeper.built = BuiltLibrary(service, keys)
        return keeper

    @property
    def service(self) -> QueryService:
        """The query service over the library as last built."""
        return self.built.service

    def _scan(
        self, folder: Path, hashes: KnownHashes, early: EarlyParses | None = None
    ) -> SeedScan:
        """seeds/ scanned (in a thread, under `_scanning`): only the files the watch names when
        it follows this folder, else all of them (the watch started first, so that a change
        made during the scan is heard next time), each file read sent to `early`'s workers.
        Without the collector: each collection would go over every object of the library in
        memory (0.4 s at 10,000 races), and the scan makes nothing cyclic."""
        watch, scanned = self._watch, self._scanned
        changed = watch.changes() if watch is not None and watch.folder == folder else None
        with collector_paused():
            if changed is not None and scanned is not None:
                try:
                    scan = rescan_seeds(folder, scanned, changed, hashes)
                except OSError:
                    scan = None  # the folder is no longer there to open: scanned whole below
                if scan is not None:
                    self._scanned = scan
                    return scan
            if watch is not None:
                watch.close()
            self._watch = SeedWatch.start(folder)
            scan = scan_seeds(folder, hashes, read=early.read if early is not None else None)
            if early is not None:
                early.send()
        if scan.unreadable is not None and self._watch is not None:
            self._watch.close()
            self._watch = None
        self._scanned = _unread(scan) if self._watch is not None else None
        return scan

    async def mirror_seeds(self) -> MirrorReport:
        """Bring seeds/ into the store: new and changed files parsed and stored, removed files'
        races removed (history kept), stale parses redone. One transaction."""
        folder = self.seeds_dir
        if folder is None:
            raise ValueError("no seeds folder to mirror")
        revision = await self.store.revision()
        if self._stamps is None:
            await self._read_stamps(folder, revision)
        # An empty store parses every file: the workers start on them as the scan reads them.
        early = EarlyParses(self.parsers) if self.parsers is not None and revision == 0 else None
        try:
            return await self._mirror(folder, revision, early)
        finally:
            if early is not None:
                early.drop()

    async def _mirror(self, folder: Path, revision: int, early: EarlyParses | None) -> MirrorReport:
        """`mirror_seeds`, the files read sent to `early`'s workers as they are read."""
        async with self._scanning:
            hashes = dict(self._hashes)  # the scan updates them in its thread: not the ones kept
            scan = await asyncio.to_thread(self._scan, folder, hashes, early)
            self._hashes = hashes
        kept_files = (
            self._seed_files if self._seed_files and self._seed_files[0] == revision else None
        )
        files = kept_files[1] if kept_files else await self._read_seed_files()
        seeded = any(seed.race_key for seed in files.values())
        if scan.unreadable is not None or (not scan.documents and not scan.skipped and seeded):
            # A missing or emptied folder is far likelier a mistake than a wish to remove every
            # race: the stored races stay, and the report says so.
            problem = scan.unreadable or SeedError(str(folder), None, "has no race documents")
            if seeded:
                problem = SeedError(problem.source, None, f"{problem.message}; races kept")
            log.warning("%s", problem)
            self.last_mirror = MirrorReport(folder, (), 0, 0, (problem,))
            return self.last_mirror
        fresh = [
            doc
            for doc in scan.documents
            if (seed := files.get(doc.source)) is None or seed.sha256 != doc.sha256
        ]
        if any(doc.unread for doc in fresh):  # the store changed under an unchanged file
            fresh = await asyncio.to_thread(_read_all, folder, fresh)
        outcomes = await asyncio.to_thread(parse_seeds, fresh, self.parsers, early) if fresh else []
        digests = {doc.source: doc.sha256 for doc in fresh}
        read = [outcome for outcome in outcomes if isinstance(outcome, ReadDocument)]
        errors = [outcome for outcome in outcomes if isinstance(outcome, SeedError)]
        starting = self.revision < 0
        cutting: asyncio.Future[CutsStarted] | None = None
        if starting and self.parsers is not None:  # the idle workers cut the crews meanwhile
            views = [document.view for document in read if document.view is not None]
            if views:  # (a document refused below: the build finds other names, cuts them)
                cutting = asyncio.ensure_future(
                    asyncio.to_thread(cuts_started, self.parsers, views)
                )
        try:
            kept, repeated = await self._one_per_race(read, revision)
        except BaseException:
            if cutting is not None:
                await asyncio.gather(cutting, return_exceptions=True)
            raise
        errors += repeated
        refused = [_problem(error, digests.get(error.source, "")) for error in errors]
        warnings = tuple(warning for document in kept for warning in document.warnings)
        # An entry that cannot be read now keeps what the store has of it: never lost by a fault.
        present = [doc.source for doc in scan.documents] + [e.source for e in scan.skipped]
        parsed = [document.document for document in kept]
        parse = _Parse(
            folder,
            revision,
            files,
            kept_files is not None,
            scan,
            len(fresh),
            parsed,
            refused,
            warnings,
            present,
            await asyncio.to_thread(read_aliases_file, folder),
        )
        if starting:  # for the first load (`load` forgets them)
            self._decoded = {
                d.document.race_key: (d.document.view, d.view) for d in kept if d.view is not None
            }
        if starting and revision == 0 and parsed and self.answer_first:
            # The library is built from this parse, and the store filled after the answer.
            if cutting is not None:
                self._parts.cut_elsewhere(*await cutting)
            self._pending = parse
            self._filled = (revision, _provisional(parsed))
            self.last_mirror = parse.report(())
            return self.last_mirror
        return await self._store_parse(parse, cutting, starting=starting)

    async def fill_pending(self) -> None:
        """Store the parse a library was built from before the store took it (`answer_first`),
        and keep that library's snapshot when the store then holds just those documents."""
        parse, self._pending = self._pending, None
        if parse is None:
            return
        report = await self._store_parse(parse, None, starting=False)
        built_from = {document.race_key for document in parse.parsed}
        revisions = [change.revision for change in report.changes]
        if (
            revisions == list(range(parse.revision + 1, parse.revision + 1 + len(built_from)))
            and {change.race_key for change in report.changes} == built_from
            and all(change.action == "added" for change in report.changes)
            and self._parts.afresh
        ):
            self.revision = revisions[-1]
            self._write_snapshot(self.revision, parse.aliases)
        else:  # another process changed the store meanwhile: the next start builds
            log.info("the store changed while it was filled; no library snapshot kept")

    async def _store_parse(
        self, parse: _Parse, cutting: asyncio.Future[CutsStarted] | None, *, starting: bool
    ) -> MirrorReport:
        """The rest of a mirror: the parse stored in one transaction, and what is kept of it
        (`starting`: a start's mirror, before its first load)."""
        revision, files, parsed, refused = parse.revision, parse.files, parse.parsed, parse.refused
        still = set(parse.present)
        # Kept with the mirror's own changes: one transaction, not three.
        facts = {ALIASES: parse.aliases, LAST_MIRROR: dt.datetime.now(dt.UTC).isoformat()}
        try:
            if parsed or refused or not files.keys() <= still:
                seed_sources = [source for source, seed in files.items() if seed.race_key]
                sync = await self.store.sync_seeds(
                    parsed, refused, parse.present, seeded=(revision, seed_sources), facts=facts
                )
            else:  # nothing new, refused or gone: the facts alone
                sync = SeedSync((), ())
                await self.store.set_facts(facts)
        finally:
            if cutting is not None:
                self._parts.cut_elsewhere(*await cutting)
        for refusal in (*refused, *sync.repeats):
            log.info("refused %s", seed_error(refusal))
        for warning in parse.warnings:
            log.info("warning: %s", warning)
        # Only another process (maybe another version) can have stored a parse this version
        # did not make, and any change it made moved the revision: then every parse is checked
        # (which reads every row: 0.1 s at 10,000 races). A store that held nothing before this
        # mirror (revision 0) holds only its parses while no other change came between.
        ours = sorted(change.revision for change in sync.changes)
        alone = ours == list(range(revision + 1, revision + 1 + len(ours)))
        checked = parse.files_kept or (revision == 0 and alone)
        reparsed = 0 if checked else await self.reparse_stale()
        if starting and revision == 0 and alone:
            self._filled = _filled(parsed, sync.changes)
        if reparsed or not alone:
            self._seed_files = None  # another change came between: read them again next time
        else:
            files = dict(files)  # a copy then the few gone removed: cheaper than a filter
            for source in files.keys() - still:
                del files[source]
            for document in parsed:
                files[document.source] = SeedFile(
                    document.source, document.sha256, document.race_key
                )
            for refusal in (*refused, *sync.repeats):
                files[refusal.source] = SeedFile(refusal.source, refusal.sha256, None)
            self._seed_files = (revision + len(ours), files)
        if starting:  # a start's mirror: kept now, for the next start
            await self._keep_stamps(parse.folder)
        else:  # kept after a quiet spell, off the way of the change to the first answer
            self._keep_stamps_later(parse.folder)
        self.last_mirror = parse.report(sync.changes)
        return self.last_mirror

    async def _read_stamps(self, folder: Path, revision: int) -> None:
        """Take the stamps an earlier process kept (`SEED_STAMPS`): every file's status and
        hash, and what the store held of each file when it still holds that (same revision,
        same parser: else the rows are read and stale parses looked for)."""
        self._stamps = await self.store.fact(SEED_STAMPS) or ""
        kept = _stamps_read(self._stamps, folder)
        if kept is None:
            return
        stamps_revision, hashes, files = kept
        if not self._hashes:
            self._hashes = hashes
        if files is not None and stamps_revision == revision:
            self._seed_files = (revision, files)

    def _keep_stamps_later(self, folder: Path) -> None:
        if self._stamping is None or self._stamping.done():
            self._stamping = asyncio.create_task(self._keep_stamps_when_quiet(folder))

    async def _keep_stamps_when_quiet(self, folder: Path) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._write_now.wait(), SNAPSHOT_QUIET)
        try:
            await self._keep_stamps(folder)
        except StoreError as exc:  # only saves work: the next start hashes the files instead
            log.warning("cannot keep the seed stamps (%s)", exc)

    async def _keep_stamps(self, folder: Path) -> None:
        """Keep this mirror's stamps in the store when they changed."""
        kept = (self._hashes, self._seed_files)  # each mirror replaces both, never changes them
        if kept == self._stamped:  # compared as they are: cheaper than writing them out
            return
        text = _stamps_fact(folder, *kept)
        if text != self._stamps:
            await self.store.set_fact(SEED_STAMPS, text)
            self._stamps = text
        self._stamped = kept

    async def _read_seed_files(self) -> dict[str, SeedFile]:
        """What the store holds of each seeds/ file, by name."""
        return {seed.source: seed for seed in await self.store.seed_files()}

    async def _one_per_race(
        self, read: list[ReadDocument], revision: int
    ) -> tuple[list[ReadDocument], list[SeedError]]:
        """The documents that are races of their own, and an error (file, heading line, the race
        it repeats) for each that repeats another new one or a stored one from another file
        (none at revision 0: the store held nothing; the fill's own check covers a document
        another process stored since, in its transaction)."""
        lines = {document.document.source: document.title_line for document in read}
        kept, repeated = distinct_races(read, lambda d: d.summary, title_lines=lines)
        holders = (
            await self.store.documents_named(d.document.race_key for d in kept) if revision else {}
        )
        distinct: list[ReadDocument] = []
        errors = list(repeated)
        for document in kept:
            holder = holders.get(document.document.race_key)
            if holder is None or (
                holder.origin == "seeds" and holder.source == document.document.source
            ):
                distinct.append(document)
                continue
            try:
                first = records.read_view(holder.view).summary
            except ValueError:  # a damaged view: the store's own check names the repeat
                distinct.append(document)
                continue
            if holder.origin == "import":
                first = first.model_copy(update={"source": f"an import ({holder.source})"})
            error = repeats(document.summary, [first], document.title_line)
            errors.append(error) if error is not None else distinct.append(document)
        return distinct, errors

    async def reparse_stale(self) -> int:
        """Parse again, from their stored bytes, documents a different parser version read."""
        stale = await self.store.stale(records.PARSER_VERSION)
        if not stale:
            return 0
        updates = await asyncio.to_thread(_reparse, stale)
        await self.store.reparsed(updates)
        log.info("parsed %d stored documents again with this version's parser", len(updates))
        return len(updates)

    async def problems(self) -> list[SeedError]:
        """The seeds/ files the store refused (or will refuse, once it is filled), as errors
        naming file and line."""
        pending = self._pending.refused if self._pending is not None else []
        return [seed_error(problem) for problem in (*pending, *await self.store.seed_problems())]

    async def load(self) -> BuiltLibrary:
        """Build the library from the store (off the event loop)."""
        async with self._lock:
            try:
                return await self._load()
            finally:
                self._decoded, self._filled = {}, None

    async def _load(self, changes: list[Change] | None = None) -> BuiltLibrary:
        """Build the library: from every document, or (given the changes since the last build)
        reading only the documents those changes touched. The first load reads the snapshot
        of the last library built instead, when one of this code and aliases file is kept,
        and takes in the changes made since it."""
        revision = await self.store.revision()  # first: a change made meanwhile is caught up
        if changes is not None:
            # Caught up to the last change read, not to one committed since they were read:
            # that one is read by the next catch-up (and a snapshot must not claim it).
            revision = max([self.revision, *(change.revision for change in changes)])
        pending = self._pending
        if pending is not None:  # built from the parse, stored after (`fill_pending`)
            aliases_text = pending.aliases
            await self.stop_restoring()  # (the store is empty: it holds no snapshot)
        else:
            aliases_text = await self.store.fact(ALIASES) or ""
        aliases, errors = read_aliases(aliases_text, ALIASES_FILE)
        for error in errors:
            log.warning("%s", error)
        restored = None
        if changes is None and self.revision < 0 and pending is None:
            restored = await self._restore(aliases_text, revision)
        if restored is not None:
            snapshot_library, since = restored
            changes = await self.store.changes_since(since)
            self._snapshot_revision = since
            if not changes:
                self.built, self.revision, self._aliases = snapshot_library, revision, aliases_text
                return snapshot_library
            self._parts.aliases = aliases  # (unchanged: the snapshot was of this file)
            await self._take_in(changes)
        elif changes is None or self.revision < 0:
            await self._read_all()
        else:
            await self._take_in(changes)
        self._aliases = aliases_text
        self._parts.aliases = aliases
        built = await asyncio.to_thread(self._parts.build)
        if built is None:  # a change a patch cannot take: built afresh from every document
            await self._read_all()
            built = await asyncio.to_thread(self._parts.build)
            assert built is not None  # every document is held
        self.built, self.revision = built, max(revision, self.revision)
        wanted = self._parts.afresh or self.revision - self._snapshot_revision >= SNAPSHOT_LAG
        if wanted and pending is None:  # (else once the store holds what it was built from)
            self._write_snapshot(self.revision, aliases_text)
        return built

    async def _take_in(self, changes: list[Change]) -> None:
        """Read the documents these changes touched (only those)."""
        touched = {change.race_key for change in changes}
        current = await self.store.documents_named(touched)
        removed = sorted(touched - set(current))
        await asyncio.to_thread(self._parts.update, list(current.values()), removed)
        if self._parts.damaged:
            await self._read_all()

    async def _read_all(self) -> None:
        """Read every document (those whose stored parse is damaged parsed again first); their
        views are decoded off the event loop (a second at 10,000 races)."""
        decoded, self._decoded = self._decoded, {}
        filled, self._filled = self._filled, None
        if filled is not None and filled[0] == await self.store.revision():
            documents = filled[1]
        else:
            documents = await self.store.documents()
        await asyncio.to_thread(self._parts.replace_all, documents, decoded)
        if self._parts.damaged:
            if self._pending is not None:  # stored first: they are parsed again from the store
                parse, self._pending = self._pending, None
                await self._store_parse(parse, None, starting=False)
            log.warning(
                "parsing %d documents again: their stored parse is damaged",
                len(self._parts.damaged),
            )
            await self.reparse(tuple(self._parts.damaged))
            await asyncio.to_thread(self._parts.replace_all, await self.store.documents())

    def start_restoring(self) -> None:
        """Start reading the library snapshot now, beside mirroring seeds/ (the scan waits on
        the disk, the snapshot mostly on the processor); the first load takes it, and the
        changes the mirror made since it."""
        if self._restoring is None and self.revision < 0:
            self._restoring = asyncio.create_task(self._read_snapshot())

    async def _read_snapshot(self) -> tuple[str, tuple[BuiltLibrary, int] | None]:
        """The store's aliases file as it is now, and what `_restore` gives for it."""
        aliases_text = await self.store.fact(ALIASES) or ""
        revision = await self.store.revision()
        return aliases_text, await self._restore_kept(aliases_text, revision)

    async def close(self) -> None:
        """Stop following seeds/ and close the store: a keeper done with (its watch is a file
        the kernel allows each user only 128 of)."""
        if self._watch is not None:
            self._watch.close()
            self._watch = None
        await self.store.close()

    async def stop_restoring(self) -> None:
        """Forget a snapshot being read early (the keeper is not loaded after all)."""
        if self._restoring is not None:
            self._restoring.cancel()
            await asyncio.gather(self._restoring, return_exceptions=True)
            self._restoring = None

    async def _restore(self, aliases_text: str, revision: int) -> tuple[BuiltLibrary, int] | None:
        """The library the kept snapshot holds and the revision it was built at, or None when
        none of this code and aliases file is kept, or it is damaged (logged: it is rebuilt)."""
        if self._restoring is not None:  # read already (`start_restoring`)
            (early_aliases, early), self._restoring = await self._restoring, None
            if early_aliases == aliases_text:
                return early
            if early is not None:  # restored for another aliases file: read again
                self._parts = LibraryParts()
        return await self._restore_kept(aliases_text, revision)

    async def _restore_kept(
        self, aliases_text: str, revision: int
    ) -> tuple[BuiltLibrary, int] | None:
        """`_restore` from the store's row."""
        self._parts.aliases, _ = read_aliases(aliases_text, ALIASES_FILE)
        try:
            snapshot = await self.store.snapshot(snapshot_version(), aliases_digest(aliases_text))
        except StoreError as exc:
            log.warning("cannot read the library snapshot (%s); building the library", exc)
            return None
        if snapshot is None:
            return None
        if snapshot.revision > revision:
            log.warning(
                "the library snapshot is of revision %d, after the store's %d; building the "
                "library again",
                snapshot.revision,
                revision,
            )
            return None
        try:
            built = await asyncio.to_thread(self._parts.restore, snapshot.data)
        except ValueError as exc:
            log.warning("the library snapshot is unusable (%s); building the library again", exc)
            self._parts = LibraryParts()
            return None
        return built, snapshot.revision

    def _write_snapshot(self, revision: int, aliases_text: str) -> None:
        """Keep the library just built as the store's snapshot, in the background: after a
        quiet spell (changes come in bursts: one write for the lot, and none while a change is
        being answered), pickled off the event loop."""
        write = self._parts.snapshot()
        if write is None:
            return
        earlier = self._saving
        if earlier is not None and not self._writing:
            earlier.cancel()  # still waiting: this later library replaces it
        self._saving = asyncio.create_task(
            self._save_snapshot(earlier, write, revision, aliases_text)
        )

    async def _save_snapshot(
        self,
        earlier: asyncio.Task[None] | None,
        write: Callable[[], bytes],
        revision: int,
        aliases_text: str,
    ) -> None:
        if earlier is not None:  # one being written finishes first: never two at once
            await asyncio.wait({earlier})  # (not gather: cancelling this must not cancel it)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._write_now.wait(), SNAPSHOT_QUIET)
        self._writing = True
        try:
            data = await asyncio.to_thread(write)
            await self.store.save_snapshot(snapshot_of(revision, aliases_text, data))
        except Exception as exc:  # never the truth: the next start builds the library instead
            log.warning("cannot keep the library snapshot (%s)", exc)
            return
        finally:
            self._writing = False
        self._snapshot_revision = max(self._snapshot_revision, revision)
        log.info("kept the library snapshot (%d races, %.1f MB)", self.built.races, len(data) / 1e6)

    async def snapshot_written(self) -> None:
        """Write the library snapshot and the seed stamps now if they are waiting, and wait for
        them (a one-off command before it closes the store), after the store is filled with
        what the library was built from, if it is not yet."""
        await self.fill_pending()
        self._write_now.set()
        waiting = [task for task in (self._saving, self._stamping) if task is not None]
        await asyncio.gather(*waiting, return_exceptions=True)

    async def reparse(self, race_keys: tuple[str, ...]) -> None:
        """Parse some stored documents again from their bytes."""
        stale = []
        for key in race_keys:
            document = await self.store.document(key)
            body = await self.store.body(key)
            if document is not None and body is not None:
                stale.append((key, document.source, body))
        await self.store.reparsed(await asyncio.to_thread(_reparse, stale))

    async def catch_up(self) -> list[Change]:
        """Take in every change made since the library was built (by any process); the
        changes, oldest first (none: nothing was rebuilt)."""
        async with self._lock:
            changes = await self.store.changes_since(self.revision)
            if changes or await self._aliases_changed():
                await self._load(changes)
            return changes

    async def _aliases_changed(self) -> bool:
        """Whether the store's aliases file is not the one the library was built with."""
        return self._aliases is not None and self._aliases != (await self.store.fact(ALIASES) or "")

    async def import_document(
        self, data: bytes, source: str, *, by: str, replace: bool = False
    ) -> Imported:
        """Validate a document and store it as its race's; `SeedError` for a bad document,
        `AlreadyStored` for a race that has one (unless `replace`)."""
        source = import_name(source)
        if len(data) > MAX_IMPORT_BYTES:
            raise SeedError(source, None, f"is over {MAX_IMPORT_BYTES // 1024} kB")
        document, parsed = await asyncio.to_thread(
            new_document, data, source, "import", added_by=by, digest=sha256(data)
        )
        existing = await self.store.document(document.race_key)
        try:
            change = await self.store.add(document, replace=replace)
        except DocumentExists as exc:
            raise AlreadyStored(exc.existing, self._repeat(parsed, exc.existing)) from exc
        # The caller takes the change in (`catch_up`), so it sees the change too.
        replaced = existing if change.action == "replaced" else None
        return Imported(parsed.race, change, replaced, parsed.warnings)

    @staticmethod
    def _repeat(parsed: ParsedDocument, existing: StoredDocument) -> str:
        """Why an import repeats a stored race, as the core says it (file, line, the race)."""
        try:
            first = records.read_view(existing.view).summary
        except ValueError:
            return f"'{existing.title}' is already loaded (from {existing.source})"
        error = repeats(parsed.race, [first], parsed.title_line)
        return str(error) if error is not None else f"'{existing.title}' is already loaded"

    def find_race(self, text: str) -> tuple[int, str]:
        """The library index and identity of the race whose title `text` is (a removal is
        never made on a guess); `Refused` when it names none, `ValueError` when it only
        comes near one."""
        catalogue = self.service.catalogue
        index, _ = pick_race(catalogue, text)
        wanted = compact(normalise(text))
        titles = (catalogue.summaries[index].title, catalogue.race_values[index])
        if wanted not in {compact(normalise(title)) for title in titles}:
            raise ValueError(
                f"'{text.strip()}' is not a race's title; to remove "
                f"'{catalogue.summaries[index].title}', type its title as it is"
            )
        return index, self.built.race_keys[index]

    async def remove(self, race_key: str, *, by: str) -> Change | None:
        """Remove a race's document (kept in the history); None when it had none. The caller
        takes the change in (`catch_up`)."""
        return await self.store.remove(race_key, by=by)


def read_aliases_file(folder: Path) -> str:
    """The aliases file of a seeds folder as text, kept in the store as documents are ("" when
    there is none or it cannot be read, which is logged)."""
    path = folder / ALIASES_FILE
    if not path.is_file():
        return ""
    try:
        return path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        log.warning("%s: cannot read the aliases file (%s)", path, error)
        return ""


def _stamps_fact(
    folder: Path, hashes: KnownHashes, files: tuple[int, dict[str, SeedFile]] | None
) -> str:
    """The seed stamps fact: the folder, the parser, each file's stamp and hash, and (when the
    keeper knows them at a revision) what the store holds of each file."""
    fact = {
        "format": _STAMPS_FORMAT,
        "folder": str(folder.expanduser().resolve()),
        "parser": records.PARSER_VERSION,
        "stamps": [[name, *stamp, digest] for name, (stamp, digest) in sorted(hashes.items())],
    }
    if files is not None:
        fact["revision"] = files[0]
        fact["files"] = [[f.source, f.sha256, f.race_key] for _, f in sorted(files[1].items())]
    return orjson.dumps(fact).decode()


def _stamps_read(
    text: str, folder: Path
) -> tuple[int, KnownHashes, dict[str, SeedFile] | None] | None:
    """What `_stamps_fact` wrote, for this folder and parser (None: nothing usable; a fact
    that is not one is ignored: the files are only hashed again)."""
    try:
        fact = orjson.loads(text) if text else None
        if not isinstance(fact, dict) or fact.get("format") != _STAMPS_FORMAT:
            return None
        if fact["folder"] != str(folder.expanduser().resolve()):
            return None
        hashes: KnownHashes = {
            str(name): ((int(size), int(mtime), int(ctime), int(inode)), str(digest))
            for name, size, mtime, ctime, inode, digest in fact["stamps"]
        }
        files = None
        if fact["parser"] == records.PARSER_VERSION and "files" in fact:
            files = {
                str(source): SeedFile(str(source), str(digest), None if key is None else str(key))
                for source, digest, key in fact["files"]
            }
        return int(fact.get("revision", -1)), hashes, files
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        log.info("ignoring the kept seed stamps (%s: %s)", type(exc).__name__, exc)
        return None


def _filled(
    parsed: list[NewDocument], changes: tuple[Change, ...]
) -> tuple[int, list[StoredDocument]] | None:
    """The documents a mirror into an empty store wrote (the new `parsed` whose races it added:
    `changes`), as `Store.documents` reads them back, in the order written, and the revision of
    its last change; None when it made any other change."""
    added = {change.race_key: change for change in changes if change.action == "added"}
    if not added or len(added) != len(changes):
        return None
    stored = [
        _as_stored(document, added[document.race_key].at, added[document.race_key].revision)
        for document in _in_stored_order(parsed)
        if document.race_key in added
    ]
    if len(stored) != len(added):
        return None
    return max(change.revision for change in changes), stored


def _provisional(parsed: list[NewDocument]) -> list[StoredDocument]:
    """The documents of a parse as `_filled` gives them once stored, before they are (the
    library is built from their records and views alone; revision 0 until then)."""
    now = dt.datetime.now(dt.UTC)
    return [_as_stored(document, now, 0) for document in _in_stored_order(parsed)]


def _in_stored_order(parsed: list[NewDocument]) -> list[NewDocument]:
    return sorted(parsed, key=lambda d: d.source)  # as `sync_seeds` writes them


def _as_stored(document: NewDocument, at: dt.datetime, revision: int) -> StoredDocument:
    """A new document as `Store.documents` reads it back, stored `at` that revision."""
    return StoredDocument(
        race_key=document.race_key,
        title=document.title,
        origin=document.origin,
        source=document.source,
        added_by=document.added_by,
        added_at=at,
        sha256=document.sha256,
        parser=document.parser,
        record=document.record,
        view=document.view,
        revision=revision,
    )


def _unread(scan: SeedScan) -> SeedScan:
    """The scan without the documents' bytes (kept between mirrors: 10,000 files' bytes are
    50 MB; their hashes say all a later mirror needs)."""
    documents = tuple(
        document if document.unread else document._replace(data=b"", unread=True)
        for document in scan.documents
    )
    return dataclasses.replace(scan, documents=documents)


def _read_all(folder: Path, documents: list[SeedDocument]) -> list[SeedDocument]:
    """The documents with their bytes (a file that has gone meanwhile is left out)."""
    read = []
    for document in documents:
        try:
            read.append(read_unread(folder, document))
        except SeedError as exc:
            log.warning("skipping %s", exc)
    return read


def _reparse(stale: list[tuple[str, str, bytes]]) -> list[tuple[str, str, bytes, bytes]]:
    """New parses of stored documents: (race key, parser, record, view) each that parses to
    the same race; one that no longer parses, or parses to another race, is left as it is."""
    updates = []
    for key, source, body in stale:
        try:
            document, _ = new_document(body, source, "seeds")
        except SeedError as exc:
            log.warning("kept the earlier parse of %s: this version refuses it (%s)", source, exc)
            continue
        if document.race_key != key:
            log.warning("kept the earlier parse of %s: this version reads another race", source)
            continue
        updates.append((key, document.parser, document.record, document.view))
    return updates


__all__ = ["AlreadyStored", "Imported", "Keeper", "MirrorReport"]
