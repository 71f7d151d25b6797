"""The parse cache: the same races as a plain load, never stale, never a reason to fail."""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import shutil
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import lz4.frame
import pytest

from bot.core import names, reading, records
from bot.core.cached_loading import iter_folder, load_library
from bot.core.library_cache import LIBRARY_FILE
from bot.core.model import Race
from bot.core.parse_cache import CACHE_FILE, ParseCache
from tests.paths import SEED as FIXTURE_SEED

SEED = FIXTURE_SEED
SEED_TEXT = SEED.read_text(encoding="utf-8")
HEADER = "| Pos | Class | No | Team | Drivers | Chassis | Tyre | Laps |"


def _mini(title: str, drivers: str, laps: int = 5) -> str:
    """A one-car document."""
    rows = [f"= {title} =", "", "==Official results==", HEADER, "| Engine | | | | | | | |"]
    rows += [f"| 1 | GT | 7 | Team | {drivers} | C | | {laps} |", "| V |"]
    return "\n".join(rows) + "\n"


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """A folder with the seed, two small documents and a broken one."""
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(SEED, folder / "seed.txt")
    (folder / "a.txt").write_text(_mini("A", "Ann Bee"), encoding="utf-8")
    (folder / "b.txt").write_text(_mini("B", "Cy Dee"), encoding="utf-8")
    (folder / "broken.txt").write_text("not a document\n", encoding="utf-8")
    return folder


def _no_parsing(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every document the cache sends to the parser."""
    parsed: list[str] = []
    real = reading._parse

    def spy(path: Path, data: bytes) -> reading._Outcome:
        parsed.append(path.name)
        return real(path, data)

    monkeypatch.setattr(reading, "_parse", spy)
    return parsed


def _races(folder: Path, data: Path) -> list[Race]:
    return list(load_library(folder, data).library.races)


def _same(folder: Path, data: Path) -> None:
    cached, plain = load_library(folder, data), load_library(folder)
    assert list(cached.library.races) == list(plain.library.races)
    assert [str(e) for e in cached.errors] == [str(e) for e in plain.errors]


def test_cached_and_plain_loads_agree(docs: Path, tmp_path: Path) -> None:
    """First and second load through the cache give exactly the races a plain load gives."""
    _same(docs, tmp_path / "data")
    assert (tmp_path / "data" / CACHE_FILE).is_file()
    _same(docs, tmp_path / "data")


def test_unchanged_documents_are_not_parsed_again(
    docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second load parses nothing: the stored library holds the broken document's error.
    Without the stored library, only the broken document is parsed (its rows are not cached)."""
    data = tmp_path / "data"
    first = load_library(docs, data)
    parsed = _no_parsing(monkeypatch)
    again = load_library(docs, data)
    assert parsed == []
    assert [str(e) for e in again.errors] == [str(e) for e in first.errors]
    assert str(again.errors[0]).startswith("broken.txt")
    (data / LIBRARY_FILE).unlink()
    _same(docs, data)
    assert parsed == ["broken.txt"]


def test_same_size_and_mtime_but_new_content_is_parsed(
    docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The content hash catches an edit that kept the size and the modification time."""
    load_library(docs, tmp_path / "data")
    path = docs / "a.txt"
    info = path.stat()
    path.write_text(_mini("A", "Ann Bee", laps=6), encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_size == info.st_size
    parsed = _no_parsing(monkeypatch)
    races = _races(docs, tmp_path / "data")
    assert "a.txt" in parsed
    assert next(r for r in races if r.source == "a.txt").entries[0].laps == 6


@pytest.mark.parametrize("change", ["mtime", "size"])
def test_a_new_mtime_or_size_is_parsed_again(
    docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    """A touched or resized document is read afresh."""
    load_library(docs, tmp_path / "data")
    path = docs / "b.txt"
    if change == "mtime":
        os.utime(path, ns=(0, path.stat().st_mtime_ns + 10**9))
    else:
        path.write_text(_mini("B2", "Cy Dee"), encoding="utf-8")
    parsed = _no_parsing(monkeypatch)
    _same(docs, tmp_path / "data")
    assert "b.txt" in parsed


def test_a_removed_document_is_never_served(docs: Path, tmp_path: Path) -> None:
    """A deleted document leaves the library and the cache."""
    load_library(docs, tmp_path / "data")
    (docs / "a.txt").unlink()
    races = _races(docs, tmp_path / "data")
    assert "a.txt" not in {race.source for race in races}
    with sqlite3.connect(tmp_path / "data" / CACHE_FILE) as db:
        names = {name for (name,) in db.execute("SELECT name FROM documents")}
    assert names == {"seed.txt", "b.txt"}


def test_a_corrupt_cache_is_rebuilt_with_a_log_line(
    docs: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Garbage in the cache file is logged, removed and replaced; the load is unaffected."""
    data = tmp_path / "data"
    data.mkdir()
    (data / CACHE_FILE).write_bytes(b"this is not a database" * 200)
    with caplog.at_level(logging.WARNING):
        _same(docs, data)
    assert "corrupt" in caplog.text
    with sqlite3.connect(data / CACHE_FILE) as db:
        assert db.execute("SELECT count(*) FROM documents").fetchone() == (3,)


@pytest.mark.parametrize(
    ("column", "value"),
    [("record", "[1, 2"), ("record", b"x\x9c damaged"), ("view", b"\x00"), ("view", "text")],
)
def test_a_bad_row_is_parsed_again(
    docs: Path, tmp_path: Path, column: str, value: str | bytes
) -> None:
    """A row whose record or view is damaged is ignored and rewritten, never served."""
    data = tmp_path / "data"
    load_library(docs, data)
    (data / LIBRARY_FILE).unlink()  # the stored library would be served first
    with sqlite3.connect(data / CACHE_FILE) as db:
        db.execute(f"UPDATE documents SET {column} = ? WHERE name = 'a.txt'", (value,))
    _same(docs, data)
    with sqlite3.connect(data / CACHE_FILE) as db:
        (record,) = db.execute("SELECT record FROM documents WHERE name = 'a.txt'").fetchone()
    assert records.decode(record, records.Interner())[0].title == "A"


@pytest.mark.parametrize("value", ['{"0": ["Nobody"]}', None, "0123456789abcdef {}"])
def test_a_crew_pass_result_without_its_checksum_is_recomputed(
    docs: Path, tmp_path: Path, value: str | None
) -> None:
    """Well-formed but unsealed, missing or mis-sealed results are never applied."""
    data = tmp_path / "data"
    (docs / "c.txt").write_text(
        _mini("C", "Scott Dixon Ryan Briscoe Christian da Matta"), encoding="utf-8"
    )
    (docs / "d.txt").write_text(_mini("D", "Christian da Matta"), encoding="utf-8")
    load_library(docs, data)
    (data / LIBRARY_FILE).unlink()
    with sqlite3.connect(data / CACHE_FILE) as db:
        db.execute("UPDATE documents SET drivers = ? WHERE name = 'c.txt'", (value,))
    _same(docs, data)


def test_a_view_damaged_into_other_names_is_parsed_again(docs: Path, tmp_path: Path) -> None:
    """A view whose text changed but still reads (a team renamed) is found by its checksum."""
    data = tmp_path / "data"
    load_library(docs, data)
    (data / LIBRARY_FILE).unlink()
    with sqlite3.connect(data / CACHE_FILE) as db:
        (view,) = db.execute("SELECT view FROM documents WHERE name = 'seed.txt'").fetchone()
        seal, body = view[:16], lz4.frame.decompress(view[16:])
        assert b"Dyson Racing" in body
        damaged = seal + lz4.frame.compress(body.replace(b"Dyson Racing", b"Dyson Racinh"))
        db.execute("UPDATE documents SET view = ? WHERE name = 'seed.txt'", (damaged,))
    _same(docs, data)


def test_a_bad_crew_pass_result_is_recomputed(docs: Path, tmp_path: Path) -> None:
    """A crew-pass column that is not JSON makes the pass run again, not the load fail."""
    data = tmp_path / "data"
    load_library(docs, data)
    with sqlite3.connect(data / CACHE_FILE) as db:
        db.execute("UPDATE documents SET drivers = 'nonsense' WHERE name = 'a.txt'")
    _same(docs, data)


def test_an_unusable_data_folder_still_loads(
    docs: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A data folder that cannot be created (a file is in the way) means loading uncached."""
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        _same(docs, blocker / "data")
    assert "without it" in caplog.text


def test_deleting_the_cache_changes_nothing(docs: Path, tmp_path: Path) -> None:
    """With the cache removed between loads, the races are the same."""
    data = tmp_path / "data"
    first = _races(docs, data)
    shutil.rmtree(data)
    assert _races(docs, data) == first


def test_the_crew_pass_follows_the_library(docs: Path, tmp_path: Path) -> None:
    """A name written alone in a new document re-cuts a cached crew, and the change is undone."""
    data = tmp_path / "data"
    (docs / "c.txt").write_text(
        _mini("C", "Scott Dixon Ryan Briscoe Christian da Matta"), encoding="utf-8"
    )
    _same(docs, data)
    (docs / "d.txt").write_text(_mini("D", "Christian da Matta"), encoding="utf-8")
    _same(docs, data)
    _same(docs, data)  # the crew pass's result now comes from the cache
    (docs / "d.txt").unlink()
    _same(docs, data)


def test_the_crew_pass_result_is_kept_with_new_and_cached_rows(
    docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a build (all new rows, then one new beside cached ones) the crew pass's result is
    in the parse cache: without the stored library, the next load does not re-cut."""
    data = tmp_path / "data"
    (docs / "c.txt").write_text(
        _mini("C", "Scott Dixon Ryan Briscoe Christian da Matta"), encoding="utf-8"
    )
    calls: list[int] = []
    real = names.recut_changes

    def counted(long: list[str], known: frozenset[str]) -> dict[str, tuple[str, ...]]:
        calls.append(len(long))
        return real(long, known)

    monkeypatch.setattr(reading, "recut_changes", counted)
    for change in ("", "d.txt"):
        if change:
            (docs / change).write_text(_mini("D", "Christian da Matta"), encoding="utf-8")
        _same(docs, data)
        assert len(calls) == 1
        (data / LIBRARY_FILE).unlink()
        _same(docs, data)
        assert len(calls) == 1  # the result came from the cache
        calls.clear()
    (race,) = (race for race in _races(docs, data) if race.title == "C")
    assert race.entries[0].drivers == ("Scott Dixon", "Ryan Briscoe", "Christian da Matta")


def test_export_order_matches_the_library(docs: Path, tmp_path: Path) -> None:
    """Races streamed for export come oldest first, as the library reversed."""
    loaded = load_library(docs)
    library, errors = loaded.library, loaded.errors
    streamed_errors, races = iter_folder(docs, tmp_path / "data")
    assert list(races) == list(reversed(library.races))
    assert [str(e) for e in streamed_errors] == [str(e) for e in errors]


def test_many_documents_parse_in_worker_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above the threshold a cold load parses in processes and still agrees with a plain load."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for index in range(12):
        (folder / f"r{index:02d}.txt").write_text(_mini(f"R{index}", "Ann Bee"), encoding="utf-8")
    monkeypatch.setattr(reading, "PARALLEL_FROM", 4)
    monkeypatch.setattr(reading, "BATCH", 5)
    _same(folder, tmp_path / "data")


def _crews_folder(tmp_path: Path) -> Path:
    """Twelve documents: long crews that names written alone elsewhere cut differently."""
    folder = tmp_path / "docs"
    folder.mkdir()
    crews = [
        "Christian da Matta",
        "USA Ryan Briscoe",
        "Scott Dixon Ryan Briscoe Christian da Matta",
    ]
    crews += ["Ann Bee Cy", "Ann Bee Cy Dee Eve Fay", "Gil Ho Ivo Jo", "Kim Lu"]
    crews += [f"Max Ng{index} Oto Pi" for index in range(5)]
    for index, crew in enumerate(crews):
        (folder / f"r{index:02d}.txt").write_text(_mini(f"R{index}", crew), encoding="utf-8")
    return folder


_WORK: dict[str, Callable[..., Any]] = {
    "_parse_batch": reading._parse_batch,
    "recut_changes": names.recut_changes,
}


class _FailingInWorkers:
    """`reading`'s function of that name, failing in a worker process (picklable by name)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, *args: Any) -> Any:
        if multiprocessing.parent_process() is not None:
            raise RuntimeError("worker lost")
        return _WORK[self.name](*args)


def _in_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Thresholds low enough for a dozen documents to be parsed and re-cut in processes."""
    monkeypatch.setattr(reading, "PARALLEL_FROM", 2)
    monkeypatch.setattr(reading, "RECUT_FROM", 2)
    monkeypatch.setattr(reading, "BATCH", 3)


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.levelname == "WARNING"]


def test_the_crew_pass_runs_in_worker_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Parsed and re-cut in processes (in parts), crews come out as a plain load cuts them."""
    folder = _crews_folder(tmp_path)
    _in_workers(monkeypatch)
    with caplog.at_level(logging.WARNING):
        _same(folder, tmp_path / "data")
    assert _warnings(caplog) == []
    drivers = {race.title: race.entries[0].drivers for race in _races(folder, tmp_path / "data")}
    assert drivers["R2"] == ("Scott Dixon", "Ryan Briscoe", "Christian da Matta")
    assert drivers["R4"] == ("Ann Bee Cy", "Dee Eve Fay")
    assert drivers["R5"] == ("Gil Ho", "Ivo Jo")


@pytest.mark.parametrize(
    ("failing", "warning"),
    [
        ("_parse_batch", "parsing in worker processes failed; working here"),
        ("recut_changes", "re-cutting in worker processes failed; working here"),
    ],
)
def test_a_broken_worker_costs_only_time(
    failing: str,
    warning: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """When the workers fail (every batch, or the re-cut), the work is done here, the same,
    and the failure is logged once."""
    folder = _crews_folder(tmp_path)
    _in_workers(monkeypatch)
    monkeypatch.setattr(reading, failing, _FailingInWorkers(failing))
    with caplog.at_level(logging.WARNING):
        cached = load_library(folder, tmp_path / "data")
    assert list(cached.library.races) == list(load_library(folder).library.races)
    assert _warnings(caplog) == [warning]


def test_workers_that_cannot_start_cost_only_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """No processes (a sandbox): everything is done here, said once."""

    def no_processes(*args: object, **kwargs: object) -> NoReturn:
        raise OSError("no processes here")

    folder = _crews_folder(tmp_path)
    _in_workers(monkeypatch)
    monkeypatch.setattr(reading, "ProcessPoolExecutor", no_processes)
    with caplog.at_level(logging.WARNING):
        _same(folder, tmp_path / "data")
    assert _warnings(caplog) == ["cannot start worker processes; working here"]


def test_a_load_in_a_thread_spawns_its_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The bot reloads in a thread, where forking could deadlock: the workers are spawned."""
    folder = _crews_folder(tmp_path)
    _in_workers(monkeypatch)
    started: list[str] = []
    real = multiprocessing.get_context

    def spy(method: str | None = None) -> Any:
        started.append(str(method))
        return real(method)

    monkeypatch.setattr(multiprocessing, "get_context", spy)
    found: list[list[Race]] = []
    thread = threading.Thread(target=lambda: found.append(_races(folder, tmp_path / "data")))
    with caplog.at_level(logging.WARNING):
        thread.start()
        thread.join()
    assert started == ["spawn"]
    assert found == [list(load_library(folder).library.races)]
    assert _warnings(caplog) == []


def test_a_few_changed_documents_are_re_cut_in_worker_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """One new document in a library with many long crews: parsed here, re-cut in workers."""
    folder, data = _crews_folder(tmp_path), tmp_path / "data"
    _in_workers(monkeypatch)
    _same(folder, data)
    (folder / "r99.txt").write_text(_mini("R99", "Kim Lu"), encoding="utf-8")
    monkeypatch.setattr(reading, "recut_changes", _FailingInWorkers("recut_changes"))
    with caplog.at_level(logging.WARNING):
        _same(folder, data)
    assert _warnings(caplog) == ["re-cutting in worker processes failed; working here"]


def test_a_failed_cache_write_is_logged_and_costs_only_the_cache(
    docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """An unexpected error while writing the parse cache (in its thread) is logged, and the
    load is whole; nothing was cached, so the next load parses again."""

    def broken(self: ParseCache, *args: object) -> NoReturn:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(ParseCache, "save", broken)
    with caplog.at_level(logging.WARNING):
        _same(docs, tmp_path / "data")
    assert "parse cache: a write failed; the next ones are skipped" in caplog.text
    assert "disk on fire" in caplog.text


def test_a_cache_of_another_parser_gets_large_pages(docs: Path, tmp_path: Path) -> None:
    """A file made before 64 kB pages is emptied for new code and rebuilt with them."""
    data = tmp_path / "data"
    data.mkdir()
    with contextlib.closing(sqlite3.connect(data / CACHE_FILE)) as db:
        db.execute("PRAGMA page_size=4096")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        db.execute("INSERT INTO meta VALUES ('parser', 'older')")
        db.commit()
    _same(docs, data)
    with contextlib.closing(sqlite3.connect(data / CACHE_FILE)) as db:
        assert db.execute("PRAGMA page_size").fetchone() == (65536,)
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert db.execute("SELECT count(*) FROM documents").fetchone() == (3,)  # the good ones


def test_a_stored_library_is_read_without_parsing_ahead(
    docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the parse cache gone but the stored library still matching, no document is even
    sent to be parsed (a cold start, with no stored library, sends them as it reads)."""
    data = tmp_path / "data"
    load_library(docs, data)
    (data / CACHE_FILE).unlink()
    sent: list[str] = []
    real = reading.Workers.add

    def spy(self: reading.Workers, document: reading.Document) -> None:
        sent.append(document.path.name)
        real(self, document)

    monkeypatch.setattr(reading.Workers, "add", spy)
    _same(docs, data)
    assert sent == []
    shutil.rmtree(data)
    _same(docs, data)
    assert sorted(sent) == ["a.txt", "b.txt", "broken.txt", "seed.txt"]


def test_export_streams_without_a_cache(docs: Path) -> None:
    """With no cache each race is parsed again as it is written, in the same order."""
    loaded = load_library(docs)
    library = loaded.library
    _, races = iter_folder(docs, None)
    assert list(races) == list(reversed(library.races))


def test_parses_by_another_parser_are_dropped(
    docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache written by other parser code is emptied, so new code never serves old parses."""
    data = tmp_path / "data"
    load_library(docs, data)
    monkeypatch.setattr(records, "PARSER_VERSION", "another")
    parsed = _no_parsing(monkeypatch)
    _same(docs, data)
    assert sorted(parsed) == ["a.txt", "b.txt", "broken.txt", "seed.txt"]
