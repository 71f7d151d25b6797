"""The /reload report: at most 2,000 characters, document text escaped, long lists attached."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from bot.core.documents.parsing import SeedError
from bot.discord.client import Reload
from bot.discord.reload_report import (
    ATTACHMENT_NAME,
    ERROR_LIST_LIMIT,
    MESSAGE_LIMIT,
    reload_report,
)
from bot.store.records import Change


def _failed(errors: list[SeedError], previous: int = 0) -> Reload:
    """A reload after which no race is loaded."""
    return Reload(Path("docs"), 0, previous, (), tuple(errors))


def test_a_good_reload_says_how_many_and_how_many_before() -> None:
    """Races loaded, from where, the count before and the changes; nothing attached."""
    change = Change(7, "series:x|2003-07-27", "added", "X", dt.datetime.now(dt.UTC))
    report = reload_report(Reload(Path("docs"), 4, 3, (change,), ()))
    assert report.content == "Loaded 4 races from docs (was 3); 1 change taken in."
    assert report.attachment is None
    assert report.files() == []


def test_a_failed_reload_names_the_files() -> None:
    """No race loaded: each bad document is listed by file:line."""
    report = reload_report(_failed([SeedError("broken.txt", 1, "no title line")]))
    assert report.content == (
        "No race is loaded: no document in docs could be read.\n"
        "Skipped 1 bad document(s):\n"
        "- broken.txt:1: no title line"
    )
    assert report.attachment is None


def test_document_text_is_escaped() -> None:
    """Markdown and mentions from a document are shown as text, never as formatting or pings."""
    error = SeedError(
        "a_b.txt", 3, "'**bold** @everyone <@123456789012345678>' is not a number of laps"
    )
    content = reload_report(_failed([error])).content
    assert r"a\_b.txt:3" in content
    assert r"\*\*bold\*\*" in content
    assert "@everyone" not in content
    assert "<@123456789012345678>" not in content


@pytest.mark.parametrize("count", [ERROR_LIST_LIMIT + 1, 40, 500])
def test_a_long_error_list_fits_and_is_attached(count: int) -> None:
    """Many long errors: the message stays within 2,000 characters; the file holds them all."""
    errors = [SeedError(f"doc_{n}.txt", n, "*_`~|> " * 60) for n in range(count)]
    report = reload_report(_failed(errors))
    assert len(report.content) <= MESSAGE_LIMIT
    listed = report.content.count("\n- doc")
    assert 1 <= listed <= ERROR_LIST_LIMIT
    assert report.content.endswith(f"- … and {count - listed} more: all are in {ATTACHMENT_NAME}")
    assert report.attachment is not None
    assert report.attachment.splitlines() == [str(error) for error in errors]
    (file,) = report.files()
    assert file.filename == ATTACHMENT_NAME


def test_ten_short_errors_need_no_attachment() -> None:
    """Up to ten short errors are all listed in the message itself."""
    errors = [SeedError(f"doc{n}.txt", 1, "no title line") for n in range(ERROR_LIST_LIMIT)]
    report = reload_report(_failed(errors))
    assert report.content.startswith("No race is loaded: no document in docs could be read.")
    assert report.content.count("\n- doc") == ERROR_LIST_LIMIT
    assert report.attachment is None


def test_a_very_long_folder_path_is_clipped() -> None:
    """A folder path of any length still leaves the message within the limit."""
    load = dataclasses.replace(_failed([SeedError("x.txt", 1, "bad")]), folder=Path("d" * 5000))
    assert len(reload_report(load).content) <= MESSAGE_LIMIT
