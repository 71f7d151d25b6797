"""The watch on seeds/: a mirror that looks again only at the files the kernel says changed
finds exactly what a scan of the whole folder finds, and a watch that cannot tell says so."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

import inotify_simple
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.loader import documents, open_keeper, seed_watch
from bot.loader.documents import KnownHashes, SeedScan, rescan_seeds, scan_seeds
from bot.loader.seed_watch import SeedWatch
from bot.settings import Settings
from tests.loader.test_keeper import SEED, race
from tests.loader.test_seed_stamps import fill

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="inotify is Linux's")


def _watch(folder: Path) -> SeedWatch:
    watch = SeedWatch.start(folder)
    assert watch is not None
    return watch


def _found(scan: SeedScan) -> tuple[list[tuple[str, str]], list[str]]:
    """What a scan says of the folder: each document's name and hash, and what was skipped."""
    return [(d.source, d.sha256) for d in scan.documents], [e.source for e in scan.skipped]


def test_a_watch_names_every_entry_changed(tmp_path: Path) -> None:
    (tmp_path / "kept.txt").write_text("kept")
    (tmp_path / "edited.txt").write_text("one")
    (tmp_path / "gone.txt").write_text("gone")
    (tmp_path / "moved.txt").write_text("moved")
    watch = _watch(tmp_path)
    assert watch.changes() == set()
    (tmp_path / "edited.txt").write_text("two")
    (tmp_path / "gone.txt").unlink()
    (tmp_path / "moved.txt").rename(tmp_path / "arrived.txt")
    (tmp_path / "new.txt").write_text("new")
    os.chmod(tmp_path / "kept.txt", 0o600)
    assert watch.changes() == {
        b"edited.txt",
        b"gone.txt",
        b"moved.txt",
        b"arrived.txt",
        b"new.txt",
        b"kept.txt",
    }
    assert watch.changes() == set()  # each change is told once


def test_a_watch_cannot_tell_once_its_folder_is_replaced(tmp_path: Path) -> None:
    folder = tmp_path / "seeds"
    folder.mkdir()
    watch = _watch(folder)
    folder.rename(tmp_path / "old")
    folder.mkdir()
    assert watch.changes() is None


def test_a_watch_cannot_tell_once_a_symlinked_folder_points_elsewhere(tmp_path: Path) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    link = tmp_path / "seeds"
    link.symlink_to(tmp_path / "one")
    watch = _watch(link)
    link.unlink()
    link.symlink_to(tmp_path / "two")
    assert watch.changes() is None


def test_a_watch_cannot_tell_after_its_queue_overflowed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    watch = _watch(tmp_path)
    overflow = inotify_simple.flags.Q_OVERFLOW
    monkeypatch.setattr(
        watch._notify, "read", lambda timeout: [inotify_simple.Event(-1, overflow, 0, "")]
    )
    assert watch.changes() is None


def test_no_watch_on_a_network_file_system(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mounts = f"36 1 0:32 / {tmp_path} rw - nfs4 server:/seeds rw\n"
    monkeypatch.setattr(Path, "read_text", lambda self, **_: mounts)
    assert seed_watch._remote(tmp_path)
    assert SeedWatch.start(tmp_path) is None


def test_a_local_folder_is_watched(tmp_path: Path) -> None:
    assert not seed_watch._remote(tmp_path)


@pytest.mark.parametrize("kind", ["symlink", "hard link"])
def test_a_file_written_through_another_path_is_looked_at_again(tmp_path: Path, kind: str) -> None:
    """A symlink's target, or a file's other hard link, written outside the folder makes no
    event in it: the rescan asks its status anyway."""
    folder, outside = tmp_path / "seeds", tmp_path / "outside"
    folder.mkdir()
    outside.mkdir()
    (outside / "race.txt").write_text("first")
    if kind == "symlink":
        (folder / "race.txt").symlink_to(outside / "race.txt")
    else:
        os.link(outside / "race.txt", folder / "race.txt")
    hashes: KnownHashes = {}
    watch = _watch(folder)
    scan = scan_seeds(folder, hashes)
    (outside / "race.txt").write_text("second, longer")
    changed = watch.changes()
    assert changed == set()
    scan = rescan_seeds(folder, scan, changed, hashes)
    assert _found(scan) == _found(scan_seeds(folder))
    watch.close()


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "write",
                "append",
                "same size",
                "remove",
                "rename",
                "chmod",
                "link out",
                "edit outside",
                "hard link",
                "folder named .txt",
                "fifo",
                "not utf-8",
                "other file",
            ]
        ),
        st.integers(0, 3),
        st.integers(0, 3),
    ),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=OPERATIONS)
def test_a_watched_rescan_finds_what_a_whole_scan_finds(
    tmp_path_factory: pytest.TempPathFactory, steps: list[tuple[str, int, int]]
) -> None:
    """After any run of changes, each followed by a mirror's look, the rescan of the named
    entries equals a scan of the whole folder read afresh (with no hashes: every file read)."""
    base = tmp_path_factory.mktemp("watched")
    folder, outside = base / "seeds", base / "outside"
    folder.mkdir()
    outside.mkdir()
    (folder / "a0.txt").write_text("first")
    (outside / "o0.txt").write_text("outside")
    hashes: KnownHashes = {}
    watch = _watch(folder)
    scan = scan_seeds(folder, hashes)
    for kind, one, other in steps:
        _apply(folder, outside, kind, one, other)
        changed = watch.changes()
        assert changed is not None
        scan = rescan_seeds(folder, scan, changed, hashes)
        assert _found(scan) == _found(scan_seeds(folder))
    watch.close()
    shutil.rmtree(base)


def _apply(folder: Path, outside: Path, kind: str, one: int, other: int) -> None:
    """One change to the folder (or to a file outside it that the folder links to)."""
    name, second = folder / f"a{one}.txt", folder / f"a{other}.txt"
    target = outside / f"o{one}.txt"
    is_file = name.is_file()
    if kind == "write":
        _replace_file(name, f"text {one} {other}")
    elif kind == "append" and is_file:
        _append(name, f" more {other}")
    elif kind == "same size" and is_file:
        _same_size(name)
    elif kind == "remove" and is_file:
        name.unlink()
    elif kind == "rename":
        _rename(name, second)
    elif kind == "chmod" and is_file:
        os.chmod(name, 0o600 + other)
    elif kind == "link out":
        _replace_link(name, target)
    elif kind == "edit outside":
        target.write_text(f"outside {other} edited")
    elif kind == "hard link":
        _hard_link(name, outside / f"h{one}.txt", other)
    elif kind == "folder named .txt" and not name.exists():
        name.mkdir()
    elif kind == "fifo" and not name.exists():
        os.mkfifo(name)
    elif kind == "not utf-8":
        (folder / os.fsdecode(b"bad\xff%d.txt" % one)).write_text("x")
    elif kind == "other file":
        (folder / f"notes{one}.md").write_text("notes")


def _rename(path: Path, to: Path) -> None:
    """A file renamed over another name (a folder named .txt is left where it is)."""
    if path.is_file() and not (to.is_dir() and not to.is_symlink()):
        path.rename(to)


def _replace_file(path: Path, text: str) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    if not path.exists():
        path.write_text(text)


def _append(path: Path, text: str) -> None:
    with path.open("a") as file:
        file.write(text)


def _same_size(path: Path) -> None:
    """The file rewritten with the same size and modification time."""
    data = path.read_bytes()
    before = os.stat(path)
    path.write_bytes(data[::-1] if data[::-1] != data else data.upper() or b"x")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def _replace_link(path: Path, target: Path) -> None:
    if not target.exists():
        target.write_text(f"outside {target.name}")
    if path.is_dir() and not path.is_symlink():
        return
    if path.exists() or path.is_symlink():
        path.unlink()
    path.symlink_to(target)


def _hard_link(path: Path, other: Path, edit: int) -> None:
    """A file with a second name outside the folder, then written through that name."""
    if not other.exists():
        other.write_text("linked")
    if not path.exists() and not path.is_symlink():
        os.link(other, path)
    if path.is_file() and not path.is_symlink() and os.stat(path).st_ino == os.stat(other).st_ino:
        with other.open("a") as file:
            file.write(f" written {edit}")


async def test_a_watched_mirror_asks_no_unchanged_file_and_sees_each_change(
    store_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once watched, a mirror asks the status of no unchanged file, and still takes in an edit,
    a new file and a removal; a watch that cannot tell makes it scan the whole folder again."""
    monkeypatch.setattr(documents, "RACY_NS", 0)  # files written here count as settled at once
    seeds = fill(store_settings)
    (seeds / "kept.txt").write_bytes(race("2002 Grand Prix of Kept", "July 20, 2002"))
    keeper = await open_keeper(store_settings, mirror=True, migrate=True)
    assert keeper._watch is not None, "no watch started (this user's inotify instances used up?)"
    asked: list[bytes] = []
    unchanged = documents._unchanged

    def counted(raw: bytes, *args: Any) -> str | None:
        asked.append(raw)
        return unchanged(raw, *args)

    monkeypatch.setattr(documents, "_unchanged", counted)
    (seeds / "sonoma.txt").write_bytes(SEED.replace(b"Dyson Racing", b"Dyson Racing Works"))
    (seeds / "later.txt").write_bytes(race("2005 Grand Prix of Later", "July 24, 2005"))
    (seeds / "elsewhere.txt").unlink()
    report = await keeper.mirror_seeds()
    await keeper.catch_up()
    assert asked == [b"sonoma.txt"]  # the edited file alone: the new one has no status kept
    asked.clear()
    assert report.parsed == 2
    titles = {summary.title for summary in keeper.service.library.summaries}
    assert titles == {
        "2002 Grand Prix of Kept",
        "2003 Grand Prix of Sonoma",
        "2005 Grand Prix of Later",
    }
    teams = {entry.team for race in keeper.service.library for entry in race.entries}
    assert "Dyson Racing Works" in teams
    assert keeper._watch is not None
    keeper._watch.close()
    monkeypatch.setattr(keeper._watch, "changes", lambda: None)
    await keeper.mirror_seeds()
    assert sorted(asked) == [b"kept.txt", b"later.txt", b"sonoma.txt"]  # the whole folder
    watch = keeper._watch
    assert watch is not None  # a new one, started before that scan
    await keeper.close()
    assert keeper._watch is None
    assert watch._notify.closed  # the kernel's instance given back
    assert not keeper.store.is_open
