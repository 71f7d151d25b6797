"""The /reload report: a private message within Discord's limit, the full error list attached."""

from __future__ import annotations

import dataclasses
import io
from typing import Final

import discord

from bot.core.formats import clip, plural
from bot.discord.client import Reload

MESSAGE_LIMIT: Final = 2000
"""Discord's limit on a message's content, in characters."""

ERROR_LIST_LIMIT: Final = 10
"""Bad documents listed by name in the message; with more, all are in the attachment."""

ERROR_LINE_LIMIT: Final = 180
"""Characters of one bad document's error shown in the message."""

FOLDER_LIMIT: Final = 200
"""Characters of the folder's path shown in the message."""

ATTACHMENT_NAME: Final = "reload-errors.txt"


@dataclasses.dataclass(frozen=True, slots=True)
class ReloadReport:
    """The message content, and the full error list when the message could not hold it."""

    content: str
    attachment: str | None = None

    def files(self) -> list[discord.File]:
        """The attachment as a file to send with the message (none when everything fit)."""
        if self.attachment is None:
            return []
        data = io.BytesIO(self.attachment.encode("utf-8"))
        return [discord.File(data, filename=ATTACHMENT_NAME)]


def escape(text: str) -> str:
    """Document text made inert in Discord: no formatting, no mentions."""
    return discord.utils.escape_mentions(discord.utils.escape_markdown(text))


def reload_report(load: Reload) -> ReloadReport:
    """What the owner is told after /reload: races loaded, what changed, the bad documents."""
    folder = escape(clip(str(load.folder), FOLDER_LIMIT)) if load.folder else "the store"
    was = f" (was {load.previous})" if load.previous != load.races else ""
    changed = f"; {plural(len(load.changes), 'change')} taken in" if load.changes else ""
    if load.usable:
        lines = [f"Loaded {plural(load.races, 'race')} from {folder}{was}{changed}."]
    else:
        lines = [f"No race is loaded: no document in {folder} could be read{changed}."]
    if not load.errors:
        return ReloadReport("\n".join(lines))
    lines.append(f"Skipped {len(load.errors)} bad document(s):")
    # Room for the closing "… and N more" line, whatever N is.
    budget = MESSAGE_LIMIT - 100
    for error in load.errors[:ERROR_LIST_LIMIT]:
        line = f"- {escape(clip(str(error), ERROR_LINE_LIMIT))}"
        if sum(len(kept) + 1 for kept in lines) + len(line) > budget:
            break
        lines.append(line)
    listed = len(lines) - 2
    if listed == len(load.errors):
        return ReloadReport("\n".join(lines))
    lines.append(f"- … and {len(load.errors) - listed} more: all are in {ATTACHMENT_NAME}")
    attachment = "".join(f"{error}\n" for error in load.errors)
    return ReloadReport("\n".join(lines), attachment)
