"""A full build's identities decided in a forked process (`_Deciding`), as if decided here."""

from __future__ import annotations

import os
import time
from typing import Any

import pytest

from bot.core.documents.model import car_names
from bot.core.library.identities import Identities, RaceCars, decide, read_aliases
from bot.core.library.loading import load_library
from bot.loader import library
from bot.loader.library import _Deciding
from tests.core.library.test_build_index import _ALIASES, FOLDER, _identities


def _races() -> list[RaceCars]:
    library = load_library(FOLDER).library
    return [(race.series, [car_names(entry) for entry in race.entries]) for race in library.races]


def test_the_forked_process_decides_as_this_one() -> None:
    races, aliases = _races(), read_aliases(_ALIASES)[0]
    with _Deciding(races, aliases) as deciding:
        assert deciding._child is not None  # forked
        decided = deciding.identities()
    assert _identities(decided) == _identities(decide(races, aliases, likely=False))
    assert decided.roots  # something is grouped: the identities crossed the pipe whole


def test_no_process_forked_decides_here(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused() -> int:
        raise OSError("no more processes")

    monkeypatch.setattr(os, "fork", refused)
    races = _races()
    with _Deciding(races, None) as deciding:
        assert deciding._child is None
        assert _identities(deciding.identities()) == _identities(decide(races, None, likely=False))


def test_one_core_decides_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(library, "usable_cores", lambda: 1)
    races = _races()
    with _Deciding(races, None) as deciding:
        assert deciding._child is None
        assert _identities(deciding.identities()) == _identities(decide(races, None, likely=False))


def test_a_failed_child_is_decided_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """A child that fails (its exit code) is no answer: the identities are decided here."""
    parent, decided_here = os.getpid(), []

    def failing_in_the_child(*args: Any, **kwargs: Any) -> Identities:
        if os.getpid() != parent:
            raise RuntimeError("failed in the child")
        decided_here.append(True)
        return decide(*args, **kwargs)

    monkeypatch.setattr(library, "decide", failing_in_the_child)
    races = _races()
    with _Deciding(races, None) as deciding:
        assert deciding._child is not None
        assert _identities(deciding.identities()) == _identities(decide(races, None, likely=False))
    assert decided_here == [True]


def test_identities_never_read_end_the_child() -> None:
    """A build that fails before reading the identities (`__exit__` first) leaves no process
    behind."""
    deciding = _Deciding(_races(), None)
    with deciding:
        assert deciding._child is not None
        pid = deciding._child[0]
    assert deciding._child is None
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped already


def test_a_child_reaped_elsewhere_still_answers() -> None:
    """A child reaped by something else (a watcher of every child) after writing its
    identities: they are read whole, and taken."""
    races = _races()
    with _Deciding(races, None) as deciding:
        assert deciding._child is not None
        os.waitpid(deciding._child[0], 0)
        assert _identities(deciding.identities()) == _identities(decide(races, None, likely=False))


def test_a_stuck_child_is_ended_and_decided_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """A child that never answers (stuck on a lock held at the fork, say) is ended after
    `DECIDING_PATIENCE`, and the identities are decided here: the build never hangs on it."""
    parent, decided_here = os.getpid(), []

    def stuck_in_the_child(*args: Any, **kwargs: Any) -> Identities:
        if os.getpid() != parent:
            time.sleep(3600)
        decided_here.append(True)
        return decide(*args, **kwargs)

    monkeypatch.setattr(library, "decide", stuck_in_the_child)
    monkeypatch.setattr(library, "DECIDING_PATIENCE", 0.3)
    races = _races()
    with _Deciding(races, None) as deciding:
        assert deciding._child is not None
        pid = deciding._child[0]
        assert _identities(deciding.identities()) == _identities(decide(races, None, likely=False))
    assert decided_here == [True]
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # ended and reaped
