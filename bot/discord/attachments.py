"""Downloading an attachment with a size limit: its declared size first, then every byte read."""

from __future__ import annotations

from typing import Final

import aiohttp
import discord

DOWNLOAD_TIMEOUT_S: Final = 30.0
CHUNK: Final = 64 * 1024


class AttachmentProblem(ValueError):
    """The attachment could not be taken; the message says why in one line."""


async def read_attachment(attachment: discord.Attachment, limit: int) -> bytes:
    """The attachment's bytes, refusing it before (by `size`) and while downloading past `limit`."""
    if attachment.size > limit:
        raise AttachmentProblem(f"the file is {_kb(attachment.size)}; the limit is {_kb(limit)}")
    timeout = aiohttp.ClientTimeout(total=DOWNLOAD_TIMEOUT_S)
    try:
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.get(attachment.url) as response,
        ):
            if response.status != 200:
                raise AttachmentProblem(f"Discord answered {response.status} for the file")
            data = bytearray()
            # The declared size may be wrong: count what actually arrives.
            async for chunk in response.content.iter_chunked(CHUNK):
                data += chunk
                if len(data) > limit:
                    raise AttachmentProblem(f"the file is over {_kb(limit)}")
            return bytes(data)
    except (TimeoutError, aiohttp.ClientError) as exc:
        raise AttachmentProblem(f"the file could not be downloaded ({type(exc).__name__})") from exc


def _kb(size: int) -> str:
    return f"{size / 1024:,.0f} kB"
