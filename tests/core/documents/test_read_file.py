"""The safe reader: whole files, refused by name when odd or too big, read without waste."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from bot.core.documents.parsing import SeedError, read_file

LIMIT = 1024 * 1024


def _shrunk_fstat(monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    """Make fstat report `size` bytes, as if the file grew after it was looked at."""
    real = os.fstat

    def fstat(fd: int) -> os.stat_result:
        fields = list(real(fd))
        fields[6] = size  # st_size
        return os.stat_result(fields)

    monkeypatch.setattr(os, "fstat", fstat)


def _recorded_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes os.read is asked for."""
    sizes: list[int] = []
    real = os.read

    def read(fd: int, n: int) -> bytes:
        sizes.append(n)
        return real(fd, n)

    monkeypatch.setattr(os, "read", read)
    return sizes


@pytest.mark.parametrize("content", [b"", b"x", b"= T =\n" * 1000, b"\0\xff" * 40_000])
def test_reads_the_whole_file(tmp_path: Path, content: bytes) -> None:
    """Every byte, with the file's status."""
    path = tmp_path / "doc.txt"
    path.write_bytes(content)
    data, info = read_file(path, LIMIT)
    assert data == content
    assert info.st_size == len(content)


def test_asks_for_no_more_than_the_file_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A small file costs a small read, not a buffer the size of the limit."""
    path = tmp_path / "doc.txt"
    path.write_bytes(b"a" * 100)
    sizes = _recorded_reads(monkeypatch)
    assert read_file(path)[0] == b"a" * 100
    assert sizes[0] == 101
    assert max(sizes) <= 64 * 1024


def test_a_file_at_the_limit_loads_and_one_byte_more_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The size check comes before any read."""
    path = tmp_path / "doc.txt"
    path.write_bytes(b"a" * 2048)
    assert len(read_file(path, 2048)[0]) == 2048
    path.write_bytes(b"a" * 2049)
    sizes = _recorded_reads(monkeypatch)
    with pytest.raises(SeedError, match=r"^doc\.txt: is over 2 kB$"):
        read_file(path, 2048)
    assert sizes == []


def test_a_file_that_grew_is_read_whole_within_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More bytes than fstat said are still read, in several steps."""
    path = tmp_path / "doc.txt"
    content = bytes(range(256)) * 1200  # 300 kB: more than one step past fstat's size
    path.write_bytes(content)
    _shrunk_fstat(monkeypatch, 5)
    assert read_file(path, LIMIT)[0] == content


def test_a_file_that_grew_past_the_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The limit is checked again after reading, and reading stops just past it."""
    path = tmp_path / "doc.txt"
    path.write_bytes(b"a" * (LIMIT + 70_000))
    _shrunk_fstat(monkeypatch, 10)
    sizes = _recorded_reads(monkeypatch)
    with pytest.raises(SeedError, match=r"^doc\.txt: is over 1 MB$"):
        read_file(path, LIMIT)
    assert sum(sizes) == LIMIT + 1


def test_a_failed_read_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An I/O error while reading is a SeedError, not a crash."""
    path = tmp_path / "doc.txt"
    path.write_bytes(b"abc")

    def read(fd: int, n: int) -> bytes:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "read", read)
    with pytest.raises(SeedError, match=r"^doc\.txt: cannot read the file \(Input/output error\)$"):
        read_file(path)


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    """Opened non-blocking and refused by its type, never read."""
    path = tmp_path / "fifo.txt"
    os.mkfifo(path)
    with pytest.raises(SeedError, match=r"^fifo\.txt: is not a regular file$"):
        read_file(path)
