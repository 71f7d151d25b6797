"""Which seeds/ files changed since the last look, as the kernel reports them (inotify).

A mirror of an unchanged 10,000-file folder spends ~30 ms asking each file's status. With a
watch on the folder, the kernel queues an event for every file created, written, renamed,
removed or re-permissioned in it, before the writer's call returns: a mirror then looks again
at those files alone, and is as exact as the full scan.

The watch cannot see everything, so a full scan is made instead whenever it cannot tell:
- its queue overflowed, or the folder was moved, removed, unmounted or replaced (a symlink to
  it pointed elsewhere): `changes` returns None;
- files it cannot hear are changed through a path outside the folder: a symlink's target, a
  file with other hard links. The scan names those (`SeedScan.followed`) and every mirror asks
  their status;
- no inotify (not Linux, no watches left) or a network or FUSE file system, where changes made
  on another machine make no event here: no watch at all (`SeedWatch.start` returns None).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Final

log = logging.getLogger(__name__)

try:
    from inotify_simple import INotify, flags
except ImportError:  # pragma: no cover - not Linux: every mirror scans the whole folder
    INotify = None

REMOTE_FILE_SYSTEMS: Final = frozenset(
    {"nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "virtiofs", "vboxsf", "ceph", "glusterfs"}
    | {"afs", "lustre", "gpfs", "davfs", "fuse", "fuseblk", "sshfs"}
)
"""File systems whose files may change on another machine, unheard by this one's kernel."""


class SeedWatch:
    """The names in one seeds/ folder that changed since the last `changes` (or the start)."""

    def __init__(self, folder: Path, notify: INotify, identity: tuple[int, int]) -> None:
        self.folder = folder
        self._notify = notify
        self._identity = identity

    @classmethod
    def start(cls, folder: Path) -> SeedWatch | None:
        """A watch on `folder`, started before the scan it is to follow (a change during the
        scan is then heard next time); None where changes cannot all be heard."""
        if INotify is None or _remote(folder):
            return None
        try:
            identity = _identity(folder)
            notify = INotify(nonblocking=True)
        except OSError as exc:
            log.info("seeds/ is scanned whole at each mirror: no watch on it (%s)", exc.strerror)
            return None
        mask = (
            flags.CREATE
            | flags.DELETE
            | flags.MODIFY
            | flags.CLOSE_WRITE
            | flags.ATTRIB
            | flags.MOVED_FROM
            | flags.MOVED_TO
            | flags.DELETE_SELF
            | flags.MOVE_SELF
            | flags.ONLYDIR
        )
        try:
            notify.add_watch(folder, mask)
            if _identity(folder) != identity:  # replaced meanwhile: not the folder measured
                raise OSError(0, "the folder was replaced")
        except OSError as exc:
            notify.close()
            log.info("seeds/ is scanned whole at each mirror: no watch on it (%s)", exc.strerror)
            return None
        return cls(folder, notify, identity)

    def changes(self) -> set[bytes] | None:
        """The raw names of the entries changed since the last call; None when the watch cannot
        tell (then scan the whole folder, and start another watch: this one is closed)."""
        try:
            events = list(self._notify.read(timeout=0))
            still = _identity(self.folder) == self._identity
        except OSError:
            still = False
        lost = (
            flags.Q_OVERFLOW | flags.DELETE_SELF | flags.MOVE_SELF | flags.UNMOUNT | flags.IGNORED
        )
        # An event without a name is the folder's own (its permissions): every entry may differ.
        if not still or any(event.mask & lost or not event.name for event in events):
            self.close()
            return None
        return {os.fsencode(event.name) for event in events}

    def close(self) -> None:
        self._notify.close()

    def __del__(self) -> None:  # a keeper dropped without closing it: no file left open
        self._notify.close()


def _identity(folder: Path) -> tuple[int, int]:
    info = os.stat(folder)
    return info.st_dev, info.st_ino


def _remote(folder: Path) -> bool:
    """Whether the folder is on a file system changed from elsewhere (see `REMOTE_FILE_SYSTEMS`);
    unknown counts as remote."""
    try:
        where = os.path.realpath(folder)
        mounts = Path("/proc/self/mountinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return True
    best, kind = "", ""
    for line in mounts.splitlines():
        fields, _, tail = line.partition(" - ")
        parts = fields.split()
        if len(parts) < 5 or not tail:
            continue
        point = parts[4].replace("\\040", " ")
        inside = where == point or where.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, tail.split()[0]
    return not best or kind in REMOTE_FILE_SYSTEMS or kind.startswith("fuse.")
