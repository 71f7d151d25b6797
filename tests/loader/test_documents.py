"""Scanning seeds/ with the hashes of an earlier scan: a file whose status is unchanged is not
read again, and any change to a file, or a file changed too recently to trust, is read."""

from __future__ import annotations

import os
import time
from pathlib import Path

from bot.loader.documents import KnownHashes, read_unread, scan_seeds, sha256

OLD_NS = 1_000_000_000 * 1_000_000_000  # 2001
LATER = time.time_ns() + 10**12  # scans "later": past the two seconds a change is not trusted


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(OLD_NS, OLD_NS))


def test_an_unchanged_file_is_not_read_again(tmp_path: Path) -> None:
    """The second scan takes an unchanged file's hash from the first, and its bytes on request."""
    _write(tmp_path / "a.txt", "one")
    hashes: KnownHashes = {}
    first = scan_seeds(tmp_path, hashes, LATER)
    assert [(d.sha256, d.unread) for d in first.documents] == [(sha256(b"one"), False)]
    second = scan_seeds(tmp_path, hashes, LATER)
    assert [(d.sha256, d.unread, d.data) for d in second.documents] == [(sha256(b"one"), True, b"")]
    assert read_unread(tmp_path, second.documents[0]).data == b"one"


def test_a_changed_file_is_read_even_with_its_size_and_time_kept(tmp_path: Path) -> None:
    """A file rewritten with the same size and its old modification time is read again."""
    path = tmp_path / "a.txt"
    _write(path, "one")
    hashes: KnownHashes = {}
    scan_seeds(tmp_path, hashes, LATER)
    before = os.stat(path).st_ctime_ns
    while os.stat(path).st_ctime_ns == before:  # past the clock's tick: its change time shows it
        _write(path, "two")
    (document,) = scan_seeds(tmp_path, hashes, LATER).documents
    assert (document.sha256, document.unread) == (sha256(b"two"), False)


def test_a_file_changed_just_now_is_always_read(tmp_path: Path) -> None:
    """A file written within the last two seconds is read at every scan (its time may not show a
    second write within the clock's tick), and a removed file is forgotten."""
    path = tmp_path / "a.txt"
    path.write_text("one", encoding="utf-8")
    hashes: KnownHashes = {}
    scan_seeds(tmp_path, hashes)
    assert hashes == {}
    assert not scan_seeds(tmp_path, hashes).documents[0].unread
    later = os.stat(path).st_ctime_ns + 3 * 10**9
    scan_seeds(tmp_path, hashes, later)
    assert set(hashes) == {"a.txt"}
    assert scan_seeds(tmp_path, hashes, later).documents[0].unread
    path.unlink()
    scan_seeds(tmp_path, hashes, later)
    assert hashes == {}
