"""Mirroring many seeds/ files at once (a first start): the store looks their races up a few
hundred a query and writes the new documents in one call, and must decide as it does for a few."""

from __future__ import annotations

import datetime as dt

from bot.store import Store
from bot.store import store as store_module
from tests.store.test_store import imported, renamed, seeded

# More race keys than one query looks up, and more changes than one statement numbers.
MANY = max(store_module._KEYS_AT_ONCE, store_module._CHANGES_AT_ONCE) + 10


def _races(count: int) -> list[bytes]:
    """`count` different races: the seed under other titles and years."""
    return [
        renamed(f"{1950 + number} Grand Prix of Sonoma", f"July 27, {1950 + number}")
        for number in range(count)
    ]


async def test_many_new_files_are_stored_as_a_few_are(store: Store) -> None:
    """Every new file is stored with its own numbered change; a file repeating a stored race or
    another new file's race is refused naming it, as one at a time would."""
    await store.add(imported(renamed("1949 Grand Prix of Sonoma", "July 27, 1949")))
    races = _races(MANY)
    parsed = [seeded(f"race-{number:03}.txt", data) for number, data in enumerate(races)]
    parsed.append(seeded("zz-again.txt", races[3]))  # the same race as race-003.txt
    parsed.append(seeded("zz-import.txt", renamed("1949 Grand Prix of Sonoma", "July 27, 1949")))
    sources = [document.source for document in parsed]

    sync = await store.sync_seeds(parsed, [], sources)

    assert [change.action for change in sync.changes] == ["added"] * MANY
    revisions = [change.revision for change in sync.changes]
    assert revisions == sorted(revisions)
    assert len(set(revisions)) == MANY
    stored = {document.source: document for document in await store.documents()}
    assert set(stored) == {f"race-{number:03}.txt" for number in range(MANY)} | {"race.txt"}
    by_race = {change.race_key: change.revision for change in sync.changes}
    logged = await store.changes_since(0)
    assert {(c.revision, c.race_key, c.action, c.title) for c in logged} >= {
        (c.revision, c.race_key, c.action, c.title) for c in sync.changes
    }
    assert len(logged) == MANY + 1  # and the import's
    assert all(
        document.revision == by_race[document.race_key]
        for document in stored.values()
        if document.origin == "seeds"
    )
    assert {problem.source: problem.message for problem in sync.repeats} == {
        "zz-again.txt": "is the same race as race-003.txt ('1953 Grand Prix of Sonoma'); "
        "remove one of them",
        "zz-import.txt": "is the same race as an import (race.txt) ('1949 Grand Prix of Sonoma'); "
        "remove one of them",
    }
    body = await store.body(stored["race-007.txt"].race_key)
    assert body == races[7]
    assert isinstance(stored["race-007.txt"].added_at, dt.datetime)
