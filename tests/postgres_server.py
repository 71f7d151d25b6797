"""A throwaway PostgreSQL server for the tests: made in a temporary folder, gone afterwards.

`initdb` and `pg_ctl` come from `pg_config --bindir` (or PATH). As root, they run as the
`postgres` user, which PostgreSQL requires. Nothing depends on a server left running.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


def _bindir() -> Path | None:
    """Where initdb and pg_ctl are, or None when PostgreSQL is not installed."""
    pg_config = shutil.which("pg_config")
    if pg_config:
        found = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        folder = Path(found.stdout.strip())
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).parent
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _as_postgres(command: list[str]) -> list[str]:
    """The command as the postgres user when we are root (PostgreSQL refuses to run as root)."""
    if os.geteuid() != 0:
        return command
    runuser = shutil.which("runuser") or shutil.which("runuser", path="/usr/sbin:/sbin")
    if runuser:
        return [runuser, "-u", "postgres", "--", *command]
    return ["su", "postgres", "-s", "/bin/sh", "-c", shlex.join(command)]


def unavailable_reason() -> str | None:
    """Why no PostgreSQL server can be started here, or None when one can."""
    if _bindir() is None:
        return "PostgreSQL is not installed (no pg_config, initdb or pg_ctl)"
    return None


class ThrowawayPostgres:
    """A PostgreSQL server in a temporary folder, on a free port of 127.0.0.1."""

    def __init__(self) -> None:
        bindir = _bindir()
        if bindir is None:
            raise RuntimeError("PostgreSQL is not installed")
        self.bindir = bindir
        self.folder = Path(tempfile.mkdtemp(prefix="racebot-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self.data = self.folder / "data"
        self.port = _free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        subprocess.run(
            _as_postgres(
                [
                    *(str(bindir / "initdb"), "-D", str(self.data), "-U", "postgres"),
                    *("--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"),
                ]
            ),
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        options = f"-h 127.0.0.1 -p {self.port} -k {self.folder} -F -c fsync=off"
        log = self.folder / "server.log"
        command = [str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(log), "-w"]
        subprocess.run(
            _as_postgres([*command, "-o", options, "start"]), check=True, capture_output=True
        )

    def stop(self) -> None:
        """Stop the server at once, as a crash or a lost network would."""
        command = [str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"]
        subprocess.run(_as_postgres(command), capture_output=True)

    def remove(self) -> None:
        """Stop the server and delete its folder."""
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """Start a server on 127.0.0.1 and yield a URL to its `postgres` database."""
    with throwaway_postgres() as server:
        yield server.url


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[ThrowawayPostgres]:
    """A started server, stopped and deleted afterwards."""
    server = ThrowawayPostgres()
    try:
        server.start()
        yield server
    finally:
        server.remove()


def require_postgres() -> None:
    """Skip (with the reason shown) when PostgreSQL is missing, except under CI, which fails."""
    reason = unavailable_reason()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: under CI=true the PostgreSQL tests must run", pytrace=False)
    pytest.skip(f"{reason}: the PostgreSQL tests are skipped on this machine")
