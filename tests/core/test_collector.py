"""The collector paused while a library is built, and what it made kept out of collections."""

from __future__ import annotations

import gc

import pytest

from bot.core.collector import collector_paused


def test_what_a_paused_block_made_is_kept_out_of_collections() -> None:
    """With `keep`, the objects the block made are frozen before the collector is back (its
    first pass would otherwise go over them all); without it, or when the block fails, not."""
    assert gc.isenabled()
    before = gc.get_freeze_count()
    with collector_paused():
        assert not gc.isenabled()
        plain = [[n] for n in range(1000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() == before
    failed: list[list[int]] = []

    def failing() -> None:
        with collector_paused(keep=True):
            failed.extend([n] for n in range(1000))
            raise RuntimeError("a build that fails")

    with pytest.raises(RuntimeError):
        failing()
    assert gc.isenabled()
    assert gc.get_freeze_count() == before
    with collector_paused(keep=True):
        kept = [[n] for n in range(1000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() >= before + len(kept)
    assert len(plain) == len(failed) == len(kept)
