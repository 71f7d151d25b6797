"""The store: everything the bot knows, in one database, on either engine.

Documents (their bytes, where they came from, the race the core parsed from them), every
earlier version of each, which seeds/ files were refused, each server's settings, and which
announcements were sent. Every write is one transaction and is numbered in `changes`, so other
processes catch up by asking for what came after the last change they have.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any, Final, Literal

from bot.store.engine import (
    CHANGES_CHANNEL,
    SETTINGS_CHANNEL,
    Connection,
    Engine,
    Listener,
    Row,
    SchemaNotCurrent,
    SchemaTooNew,
    latest_schema,
    migrations,
)
from bot.store.records import (
    SETTINGS_COLUMNS,
    Action,
    Change,
    GuildSettings,
    HistoryEntry,
    NewDocument,
    SeedFile,
    SeedProblem,
    Snapshot,
    StoredDocument,
)

log = logging.getLogger(__name__)

_DOCUMENT_COLUMNS: Final = (
    "race_key, title, origin, source, added_by, added_at, sha256, parser, record, view, revision"
)
_DOCUMENT_INSERT: Final = (
    "INSERT INTO documents (race_key, title, origin, source, added_by, added_at, sha256, body, "
    "parser, record, view, revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_HISTORY_COPY: Final = (
    "INSERT INTO document_history (race_key, title, origin, source, added_by, added_at, sha256, "
    "body, ended_at, ended_by, ended_how) SELECT race_key, title, origin, source, added_by, "
    "added_at, sha256, body, ?, ?, ? FROM documents WHERE race_key = ?"
)


class DocumentExists(ValueError):
    """The race has a document already; `existing` is it."""

    def __init__(self, existing: StoredDocument) -> None:
        super().__init__(f"'{existing.title}' is already stored (from {existing.source})")
        self.existing = existing


@dataclasses.dataclass(frozen=True, slots=True)
class SeedSync:
    """What mirroring seeds/ changed, and the files it refused for repeating another race."""

    changes: tuple[Change, ...]
    repeats: tuple[SeedProblem, ...]


class Store:
    """Every fact the bot keeps, behind one small interface; `engine` holds the differences."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @property
    def description(self) -> str:
        """The engine and where its data is (never a password)."""
        return f"{self.engine.name} at {self.engine.location}"

    @property
    def is_open(self) -> bool:
        """Whether the store is connected."""
        return self.engine.is_open

    async def open(self, *, migrate: bool = True) -> None:
        """Connect and bring the schema up to date (or, with `migrate` off, check that it is)."""
        await self.engine.connect()
        try:
            await self._schema(migrate=migrate)
        except BaseException:
            await self.engine.close()
            raise

    async def close(self) -> None:
        """Close every connection."""
        await self.engine.close()

    async def _schema(self, *, migrate: bool) -> None:
        latest = latest_schema(self.engine.name)
        for number, name, script in migrations(self.engine.name):
            # One transaction per migration: all of it or none, and the version with it.
            async with self.engine.transaction() as connection:
                version = await self.engine.schema_version(connection)
                if version > latest:
                    raise SchemaTooNew(
                        f"{self.engine.location} was written by a newer racebot (schema "
                        f"{version}, this one knows {latest}); upgrade racebot"
                    )
                if version >= number:
                    continue
                if not migrate:
                    raise SchemaNotCurrent(
                        f"{self.engine.location} has schema {version} of {latest}; run "
                        "`racebot migrate` first"
                    )
                await self.engine.run_script(connection, script)
                await self.engine.set_schema_version(connection, number)
                log.info("applied migration %s to %s", name, self.engine.location)
        if latest == 0:  # pragma: no cover - the migrations ship with the package
            raise SchemaNotCurrent("no migrations found")

    async def schema_version(self) -> int:
        """The number of the last migration applied."""
        async with self.engine.transaction() as connection:
            return await self.engine.schema_version(connection)

    # Documents

    async def documents(self) -> list[StoredDocument]:
        """Every race's current document (without its bytes)."""
        async with self.engine.reading() as connection:
            rows = await connection.fetch(f"SELECT {_DOCUMENT_COLUMNS} FROM documents")
        return [self._document(row) for row in rows]

    async def documents_named(self, race_keys: Iterable[str]) -> dict[str, StoredDocument]:
        """The current documents of these races (those that have one)."""
        async with self.engine.reading() as connection:
            rows = await _rows_of(connection, _DOCUMENT_COLUMNS, race_keys)
        return {row[0]: self._document(row) for row in rows}

    async def document(self, race_key: str) -> StoredDocument | None:
        """One race's current document, if it has one."""
        return (await self.documents_named([race_key])).get(race_key)

    async def body(self, race_key: str) -> bytes | None:
        """The bytes of a race's current document."""
        async with self.engine.reading() as connection:
            value = await connection.fetchval(
                "SELECT body FROM documents WHERE race_key = ?", race_key
            )
        return None if value is None else bytes(value)

    async def history(self, race_key: str | None = None) -> list[HistoryEntry]:
        """Earlier documents, oldest first: of one race, or of every race."""
        where = "" if race_key is None else " WHERE race_key = ?"
        args = () if race_key is None else (race_key,)
        async with self.engine.reading() as connection:
            rows = await connection.fetch(
                "SELECT race_key, title, origin, source, added_by, added_at, sha256, body, "
                f"ended_at, ended_by, ended_how FROM document_history{where} ORDER BY id",
                *args,
            )
        return [
            HistoryEntry(
                race_key=row[0],
                title=row[1],
                origin=row[2],
                source=row[3],
                added_by=row[4],
                added_at=self.engine.read_time(row[5]),
                sha256=row[6],
                body=bytes(row[7]),
                ended_at=self.engine.read_time(row[8]),
                ended_by=row[9],
                ended_how=row[10],
            )
            for row in rows
        ]

    async def keep_history(self, entries: Sequence[HistoryEntry]) -> None:
        """Add earlier documents to the history as they are (taking over an old data folder)."""
        async with self.engine.transaction() as connection:
            for entry in entries:
                await connection.execute(
                    "INSERT INTO document_history (race_key, title, origin, source, added_by, "
                    "added_at, sha256, body, ended_at, ended_by, ended_how) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    entry.race_key,
                    entry.title,
                    entry.origin,
                    entry.source,
                    entry.added_by,
                    self.engine.time(entry.added_at),
                    entry.sha256,
                    entry.body,
                    self.engine.time(entry.ended_at),
                    entry.ended_by,
                    entry.ended_how,
                )

    async def revision(self) -> int:
        """The number of the last change (0 when none)."""
        async with self.engine.reading() as connection:
            value = await connection.fetchval("SELECT max(revision) FROM changes")
        return int(value or 0)

    async def changes_since(self, revision: int) -> list[Change]:
        """The changes after `revision`, in order."""
        async with self.engine.reading() as connection:
            rows = await connection.fetch(
                "SELECT revision, race_key, action, title, at FROM changes WHERE revision > ? "
                "ORDER BY revision",
                revision,
            )
        return [self._change(row) for row in rows]

    async def seed_files(self) -> list[SeedFile]:
        """What the store knows of each seeds/ file: the race it gave, or that it was refused."""
        async with self.engine.reading() as connection:
            stored = await connection.fetch(
                "SELECT source, sha256, race_key FROM documents WHERE origin = 'seeds'"
            )
            refused = await connection.fetch("SELECT source, sha256 FROM seed_problems")
        return [SeedFile(row[0], row[1], row[2]) for row in stored] + [
            SeedFile(row[0], row[1], None) for row in refused
        ]

    async def seed_problems(self) -> list[SeedProblem]:
        """The seeds/ files refused at the last mirror, by name."""
        async with self.engine.reading() as connection:
            rows = await connection.fetch(
                "SELECT source, sha256, line, message FROM seed_problems ORDER BY source"
            )
        return [SeedProblem(row[0], row[1], row[2], row[3]) for row in rows]

    async def add(
        self, document: NewDocument, *, replace: bool = False, now: dt.datetime | None = None
    ) -> Change:
        """Store a document as its race's; `DocumentExists` when the race has one and not
        `replace` (the earlier one is kept in the history when replaced)."""
        moment = now or _now()
        async with self.engine.transaction() as connection:
            existing = await self._current(connection, document.race_key)
            if existing is not None and not replace:
                raise DocumentExists(existing)
            if existing is not None:
                await self._retire(connection, existing.race_key, moment, document.added_by)
                await connection.execute(
                    "DELETE FROM documents WHERE race_key = ?", existing.race_key
                )
            return await self._insert(
                connection, document, "replaced" if existing else "added", moment
            )

    async def remove(
        self, race_key: str, *, by: str | None, now: dt.datetime | None = None
    ) -> Change | None:
        """Remove a race's document, kept in the history; None when it had none."""
        moment = now or _now()
        async with self.engine.transaction() as connection:
            existing = await self._current(connection, race_key)
            if existing is None:
                return None
            await self._retire(connection, race_key, moment, by, how="removed")
            await connection.execute("DELETE FROM documents WHERE race_key = ?", race_key)
            return await self._log(connection, race_key, "removed", existing.title, moment)

    async def sync_seeds(
        self,
        parsed: Sequence[NewDocument],
        refused: Sequence[SeedProblem],
        present: Iterable[str],
        now: dt.datetime | None = None,
        *,
        seeded: tuple[int, Collection[str]] | None = None,
        facts: Mapping[str, str] = {},
    ) -> SeedSync:
        """Mirror seeds/ in one transaction: store the files parsed anew, note the refused
        ones, and remove the races of files no longer `present` (their documents kept in the
        history). A file whose race another document already holds is refused for it.
        `seeded`: the sources of the seeds/ documents as the caller read them at a revision,
        used while it is still the store's (else they are read). `facts`: set in the same
        transaction (`set_facts`)."""
        moment = now or _now()
        present = set(present)
        changes: list[Change] = []
        repeats: list[SeedProblem] = []
        async with self.engine.transaction() as connection:
            # The seeds/ sources come from their index alone (10,000 cost 3-5 ms; none when the
            # caller knows them); rows are read one by one, only for the files that leave and
            # the races that arrive.
            revision = await connection.fetchval("SELECT max(revision) FROM changes")
            if seeded is not None and seeded[0] == int(revision or 0):
                sources: Collection[str] = seeded[1]
            else:
                rows = await connection.fetch("SELECT source FROM documents WHERE origin = 'seeds'")
                sources = [row[0] for row in rows]
            renewed = {document.source for document in parsed} | {p.source for p in refused}
            leaving = sorted(
                source for source in sources if source not in present or source in renewed
            )
            # The races of files gone or changed leave first: a changed file may be another race.
            retired: dict[str, str] = {}  # race key -> title
            for source in leaving:
                race_key, title = (
                    await connection.fetch(
                        "SELECT race_key, title FROM documents "
                        "WHERE origin = 'seeds' AND source = ?",
                        source,
                    )
                )[0]
                how: Literal["replaced", "removed"] = "replaced" if source in present else "removed"
                await self._retire(connection, race_key, moment, None, how=how)
                await connection.execute("DELETE FROM documents WHERE race_key = ?", race_key)
                retired[race_key] = title
            for source in await self._problem_sources(connection):
                if source in renewed or source not in present:
                    await connection.execute("DELETE FROM seed_problems WHERE source = ?", source)
            for problem in refused:
                await self._note_problem(connection, problem)
            # Which races hold a document, read in a few queries (a query for each new document
            # cost a second at 10,000), and the new documents written in one call.
            held = await self._holders(connection, [document.race_key for document in parsed])
            arriving: list[tuple[NewDocument, Action]] = []
            for document in sorted(parsed, key=lambda d: d.source):
                holder = held.get(document.race_key)
                if holder is not None:
                    origin, source, title = holder
                    where = source if origin == "seeds" else f"an import ({source})"
                    problem = SeedProblem(
                        document.source,
                        document.sha256,
                        None,
                        f"is the same race as {where} ('{title}'); remove one of them",
                    )
                    repeats.append(problem)
                    await self._note_problem(connection, problem)
                    continue
                action: Action = "replaced" if retired.pop(document.race_key, None) else "added"
                arriving.append((document, action))
                held[document.race_key] = (document.origin, document.source, document.title)
            # Their changes numbered a few hundred a statement (one each cost 2 s at 10,000).
            logged = await self._log_many(
                connection, [(d.race_key, action, d.title) for d, action in arriving], moment
            )
            changes += logged
            new_rows = [
                self._document_row(document, moment, change.revision)
                for (document, _), change in zip(arriving, logged, strict=True)
            ]
            await connection.executemany(_DOCUMENT_INSERT, new_rows)
            for race_key, title in retired.items():
                changes.append(await self._log(connection, race_key, "removed", title, moment))
            await self._set_facts(connection, facts)
        return SeedSync(tuple(sorted(changes, key=lambda c: c.revision)), tuple(repeats))

    async def _holders(
        self, connection: Connection, race_keys: Sequence[str]
    ) -> dict[str, tuple[str, str, str]]:
        """The origin, source and title of the document each of these races holds (if any)."""
        rows = await _rows_of(connection, "race_key, origin, source, title", race_keys)
        return {row[0]: (row[1], row[2], row[3]) for row in rows}

    async def _problem_sources(self, connection: Connection) -> list[str]:
        return [row[0] for row in await connection.fetch("SELECT source FROM seed_problems")]

    async def _note_problem(self, connection: Connection, problem: SeedProblem) -> None:
        await connection.execute("DELETE FROM seed_problems WHERE source = ?", problem.source)
        await connection.execute(
            "INSERT INTO seed_problems (source, sha256, line, message) VALUES (?, ?, ?, ?)",
            problem.source,
            problem.sha256,
            problem.line,
            problem.message,
        )

    async def stale(self, parser: str) -> list[tuple[str, str, bytes]]:
        """Documents parsed by another parser version: (race key, source, bytes)."""
        async with self.engine.reading() as connection:
            rows = await connection.fetch(
                "SELECT race_key, source, body FROM documents WHERE parser <> ?", parser
            )
        return [(row[0], row[1], bytes(row[2])) for row in rows]

    async def reparsed(
        self, updates: Sequence[tuple[str, str, bytes, bytes]], now: dt.datetime | None = None
    ) -> list[Change]:
        """Store documents parsed again by new code: (race key, parser, record, view) each;
        the document itself is unchanged, so nothing goes to the history."""
        moment = now or _now()
        changes = []
        async with self.engine.transaction() as connection:
            for race_key, parser, record, view in updates:
                title = await connection.fetchval(
                    "SELECT title FROM documents WHERE race_key = ?", race_key
                )
                if title is None:
                    continue
                change = await self._log(connection, race_key, "reparsed", title, moment)
                await connection.execute(
                    "UPDATE documents SET parser = ?, record = ?, view = ?, revision = ? "
                    "WHERE race_key = ?",
                    parser,
                    record,
                    view,
                    change.revision,
                    race_key,
                )
                changes.append(change)
        return changes

    async def _current(self, connection: Connection, race_key: str) -> StoredDocument | None:
        rows = await connection.fetch(
            f"SELECT {_DOCUMENT_COLUMNS} FROM documents WHERE race_key = ?", race_key
        )
        return self._document(rows[0]) if rows else None

    async def _retire(
        self,
        connection: Connection,
        race_key: str,
        moment: dt.datetime,
        by: str | None,
        how: Literal["replaced", "removed"] = "replaced",
    ) -> None:
        await connection.execute(_HISTORY_COPY, self.engine.time(moment), by, how, race_key)

    async def _insert(
        self, connection: Connection, document: NewDocument, action: Action, moment: dt.datetime
    ) -> Change:
        change = await self._log(connection, document.race_key, action, document.title, moment)
        await connection.execute(
            _DOCUMENT_INSERT, *self._document_row(document, moment, change.revision)
        )
        return change

    def _document_row(
        self, document: NewDocument, moment: dt.datetime, revision: int
    ) -> tuple[object, ...]:
        """A new document's row, as `_DOCUMENT_INSERT` takes it."""
        return (
            document.race_key,
            document.title,
            document.origin,
            document.source,
            document.added_by,
            self.engine.time(moment),
            document.sha256,
            document.body,
            document.parser,
            document.record,
            document.view,
            revision,
        )

    async def _log(
        self,
        connection: Connection,
        race_key: str,
        action: Action,
        title: str,
        moment: dt.datetime,
    ) -> Change:
        await connection.order_changes()
        revision = await connection.fetchval(
            "INSERT INTO changes (race_key, action, title, at) VALUES (?, ?, ?, ?) "
            "RETURNING revision",
            race_key,
            action,
            title,
            self.engine.time(moment),
        )
        await self.engine.notify(connection, CHANGES_CHANNEL, str(revision))
        return Change(int(revision), race_key, action, title, moment)

    async def _log_many(
        self,
        connection: Connection,
        entries: Sequence[tuple[str, Action, str]],
        moment: dt.datetime,
    ) -> list[Change]:
        """`_log` for many changes (race key, action, title) of distinct races: numbered in
        statements of a few hundred rows, other processes told once. The changes, as given."""
        if not entries:
            return []
        await connection.order_changes()
        at = self.engine.time(moment)
        numbered: dict[str, int] = {}
        for start in range(0, len(entries), _CHANGES_AT_ONCE):
            chunk = entries[start : start + _CHANGES_AT_ONCE]
            rows = await connection.fetch(
                "INSERT INTO changes (race_key, action, title, at) VALUES "
                + ", ".join("(?, ?, ?, ?)" for _ in chunk)
                + " RETURNING revision, race_key",
                *(
                    value
                    for race_key, action, title in chunk
                    for value in (race_key, action, title, at)
                ),
            )
            # Matched by race key: the order RETURNING gives its rows in is not promised.
            numbered.update((row[1], int(row[0])) for row in rows)
        if len(numbered) != len(entries):
            raise ValueError("a race has two changes in one batch")
        await self.engine.notify(connection, CHANGES_CHANNEL, str(max(numbered.values())))
        return [
            Change(numbered[race_key], race_key, action, title, moment)
            for race_key, action, title in entries
        ]

    def _document(self, row: Row) -> StoredDocument:
        return StoredDocument(
            race_key=row[0],
            title=row[1],
            origin=row[2],
            source=row[3],
            added_by=row[4],
            added_at=self.engine.read_time(row[5]),
            sha256=row[6],
            parser=row[7],
            record=bytes(row[8]),
            view=bytes(row[9]),
            revision=int(row[10]),
        )

    def _change(self, row: Row) -> Change:
        return Change(int(row[0]), row[1], row[2], row[3], self.engine.read_time(row[4]))

    # The library snapshot (derived: `bot.loader.library`)

    async def snapshot(self, version: str, aliases: str) -> Snapshot | None:
        """The library snapshot, if one written by code of `version` with this aliases digest is
        kept (another is not read: it may be large)."""
        async with self.engine.reading() as connection:
            rows = await connection.fetch(
                "SELECT revision, data FROM library_snapshot "
                "WHERE id = 1 AND version = ? AND aliases = ?",
                version,
                aliases,
            )
        if not rows:
            return None
        return Snapshot(int(rows[0][0]), version, aliases, bytes(rows[0][1]))

    async def save_snapshot(self, snapshot: Snapshot, now: dt.datetime | None = None) -> bool:
        """Keep a library snapshot in place of the one kept, unless that one is of the same
        version and a later revision (another process wrote it); whether it was kept."""
        async with self.engine.transaction() as connection:
            kept = await connection.fetchval(
                "INSERT INTO library_snapshot (id, revision, version, aliases, written_at, data) "
                "VALUES (1, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                "revision = excluded.revision, version = excluded.version, "
                "aliases = excluded.aliases, written_at = excluded.written_at, "
                "data = excluded.data WHERE library_snapshot.version <> excluded.version "
                "OR library_snapshot.revision <= excluded.revision RETURNING id",
                snapshot.revision,
                snapshot.version,
                snapshot.aliases,
                self.engine.time(now or _now()),
                snapshot.data,
            )
        return kept is not None

    async def forget_snapshot(self) -> None:
        """Drop the library snapshot (the next start builds the library from the documents)."""
        async with self.engine.transaction() as connection:
            await connection.execute("DELETE FROM library_snapshot")

    # Settings

    async def all_settings(self) -> list[GuildSettings]:
        """Every server that set anything."""
        async with self.engine.reading() as connection:
            rows = await connection.fetch(
                f"SELECT guild_id, {', '.join(SETTINGS_COLUMNS)} FROM guild_settings"
            )
        return [_settings(row) for row in rows]

    async def settings_of(self, guild_id: int) -> GuildSettings:
        """One server's settings (the defaults when it never set any)."""
        async with self.engine.reading() as connection:
            rows = await connection.fetch(
                f"SELECT guild_id, {', '.join(SETTINGS_COLUMNS)} FROM guild_settings "
                "WHERE guild_id = ?",
                guild_id,
            )
        return _settings(rows[0]) if rows else GuildSettings(guild_id)

    async def save_settings(self, settings: GuildSettings) -> None:
        """Store a server's settings (every process is told)."""
        values = [getattr(settings, column) for column in SETTINGS_COLUMNS]
        assignments = ", ".join(f"{column} = excluded.{column}" for column in SETTINGS_COLUMNS)
        async with self.engine.transaction() as connection:
            await connection.execute(
                f"INSERT INTO guild_settings (guild_id, {', '.join(SETTINGS_COLUMNS)}) "
                f"VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET {assignments}",
                settings.guild_id,
                *values,
            )
            await self.engine.notify(connection, SETTINGS_CHANNEL, str(settings.guild_id))

    async def delete_settings(self, guild_id: int) -> None:
        """Forget a server's settings (the bot was removed from it)."""
        async with self.engine.transaction() as connection:
            await connection.execute("DELETE FROM guild_settings WHERE guild_id = ?", guild_id)
            await self.engine.notify(connection, SETTINGS_CHANNEL, str(guild_id))

    # Announcements

    async def claim_announcement(
        self, guild_id: int, revision: int, now: dt.datetime | None = None
    ) -> bool:
        """Take the one right to announce a change in a server; False when it was taken."""
        async with self.engine.transaction() as connection:
            claimed = await connection.fetchval(
                "INSERT INTO announcements (guild_id, revision, sent_at) VALUES (?, ?, ?) "
                "ON CONFLICT DO NOTHING RETURNING guild_id",
                guild_id,
                revision,
                self.engine.time(now or _now()),
            )
        return claimed is not None

    async def announced(self, guild_id: int) -> set[int]:
        """The revisions announced in a server."""
        async with self.engine.reading() as connection:
            rows = await connection.fetch(
                "SELECT revision FROM announcements WHERE guild_id = ?", guild_id
            )
        return {int(row[0]) for row in rows}

    # Small facts

    async def fact(self, name: str) -> str | None:
        """A fact about the store (None when never set)."""
        async with self.engine.reading() as connection:
            value = await connection.fetchval("SELECT value FROM store_facts WHERE name = ?", name)
        return None if value is None else str(value)

    async def set_fact(self, name: str, value: str) -> None:
        """Set a fact about the store; other processes are told, as of a change (a fact such as
        the aliases file changes what their library is built with)."""
        await self.set_facts({name: value})

    async def set_facts(self, facts: Mapping[str, str]) -> None:
        """Set several facts in one transaction (`set_fact`)."""
        async with self.engine.transaction() as connection:
            await self._set_facts(connection, facts)

    async def _set_facts(self, connection: Connection, facts: Mapping[str, str]) -> None:
        for name, value in facts.items():
            await connection.execute(
                "INSERT INTO store_facts (name, value) VALUES (?, ?) "
                "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                name,
                value,
            )
        if facts:
            await self.engine.notify(connection, CHANGES_CHANNEL, "")

    async def listen(self, listener: Listener) -> None:
        """Call `listener` (channel, payload) whenever another process changes something."""
        await self.engine.listen(listener)


def _settings(row: Row) -> GuildSettings:
    values: dict[str, Any] = dict(zip(("guild_id", *SETTINGS_COLUMNS), row, strict=True))
    return GuildSettings(**values)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


_CHANGES_AT_ONCE: Final = 500
"""Changes one statement numbers (4 parameters each: SQLite takes at most 32,766)."""
_KEYS_AT_ONCE: Final = 500
"""Race keys one query looks up (SQLite takes at most 32,766 parameters)."""


async def _rows_of(connection: Connection, columns: str, race_keys: Iterable[str]) -> list[Row]:
    """These columns of the current documents of these races (those that have one), rows in
    no set order, read a few hundred races a query."""
    keys = sorted(set(race_keys))
    rows: list[Row] = []
    for start in range(0, len(keys), _KEYS_AT_ONCE):
        chunk = keys[start : start + _KEYS_AT_ONCE]
        marks = ", ".join("?" for _ in chunk)
        rows += await connection.fetch(
            f"SELECT {columns} FROM documents WHERE race_key IN ({marks})", *chunk
        )
    return rows
