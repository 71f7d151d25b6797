"""Files sent with a message, as Discord takes them: a multipart body and its checks.

A message with files is `multipart/form-data`: a `payload_json` part holding the JSON body,
and one `files[n]` part per file. The JSON's `attachments` array describes the uploads (`id`
is the `n` of its part, `filename` the name it will have), and an embed shows an upload by
naming it: `attachment://<filename>`. Discord resolves only names made of letters, digits,
`_`, `.` and `-`; a reference to no such file shows a broken image, so the stand-in calls it
a violation.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from aiohttp import BodyPartReader, web

Problem = tuple[str, str]
"""A validation problem: (JSON path inside the payload, description)."""

MAX_FILES: Final = 10
FILE_SIZE_LIMIT: Final = 10 * 1024 * 1024
ATTACHMENT_SCHEME: Final = "attachment://"
FILE_PART: Final = re.compile(r"files\[(\d+)\]")
RESOLVABLE_NAME: Final = re.compile(r"[A-Za-z0-9_.-]{1,1024}")
PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True, slots=True)
class Upload:
    """One file part of a multipart request."""

    part: str
    """The form field: `files[0]`."""
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True, slots=True)
class MultipartBody:
    """A multipart request read whole: its JSON payload, its files and any malformed part."""

    payload: Any
    uploads: tuple[Upload, ...]
    problems: tuple[Problem, ...]


async def read_multipart(request: web.Request) -> MultipartBody:
    """Read `payload_json` and every `files[n]` part, in order, noting parts Discord refuses."""
    payload: Any = {}
    uploads: list[Upload] = []
    problems: list[Problem] = []
    reader = await request.multipart()
    while (part := await reader.next()) is not None:
        if not isinstance(part, BodyPartReader):
            problems.append(("", "nested multipart bodies are not accepted"))
            continue
        data = bytes(await part.read())
        if part.name == "payload_json":
            try:
                payload = json.loads(data)
            except ValueError:
                problems.append(("", "payload_json is not JSON"))
        elif part.name is not None and FILE_PART.fullmatch(part.name):
            content_type = part.headers.get("Content-Type", "application/octet-stream")
            uploads.append(Upload(part.name, part.filename or "", content_type, data))
        else:
            problems.append(("", f"unexpected multipart part {part.name!r}"))
    return MultipartBody(payload, tuple(uploads), tuple(problems))


def _index(value: Any) -> int | None:
    """An attachment id as an upload index (Discord takes the number or its digits)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def attachment_names(
    body: Mapping[str, Any], uploads: Iterable[Upload], kept: Iterable[str] = ()
) -> tuple[set[str], list[Problem]]:
    """The names a message's files will have (uploads, renamed by `attachments`, and `kept`
    ones already on it), and the problems of its `attachments` array and file parts."""
    problems: list[Problem] = []
    by_index = {int(match[1]): u for u in uploads if (match := FILE_PART.fullmatch(u.part))}
    if len(by_index) > MAX_FILES:
        problems.append(("", f"{len(by_index)} files (limit {MAX_FILES})"))
    for index, upload in sorted(by_index.items()):
        if not upload.filename:
            problems.append((f"files[{index}]", "a file part needs a filename"))
        if len(upload.data) > FILE_SIZE_LIMIT:
            problems.append((f"files[{index}]", f"{len(upload.data)} bytes (> {FILE_SIZE_LIMIT})"))
    names = {upload.filename for upload in by_index.values()} | set(kept)
    described = body.get("attachments")
    if described is None:
        return names, problems
    if not isinstance(described, list) or len(described) > MAX_FILES:
        return names, [*problems, ("attachments", f"must be a list of at most {MAX_FILES}")]
    for i, item in enumerate(described):
        number = _index(item.get("id")) if isinstance(item, dict) else None
        if number is None:
            problems.append((f"attachments[{i}].id", "needs the id of an upload"))
            continue
        sent = by_index.get(number)
        filename = item.get("filename")
        if sent is None and not kept:
            problems.append((f"attachments[{i}].id", f"no files[{number}] part was sent"))
        elif sent is not None and isinstance(filename, str) and filename:
            names.discard(sent.filename)
            names.add(filename)
    return names, problems


def _embed_urls(embed: Mapping[str, Any]) -> Iterable[tuple[str, Any]]:
    """Every URL of an embed that may name an attachment, with its path."""
    for key, url_key in (
        ("image", "url"),
        ("thumbnail", "url"),
        ("author", "icon_url"),
        ("footer", "icon_url"),
    ):
        part = embed.get(key)
        if isinstance(part, dict):
            yield f"{key}.{url_key}", part.get(url_key)


def validate_attachments(
    body: Mapping[str, Any], uploads: Iterable[Upload] = (), kept: Iterable[str] = ()
) -> list[Problem]:
    """Check a message's files and that each `attachment://` reference names one of them."""
    uploads = tuple(uploads)
    names, problems = attachment_names(body, uploads, kept)
    data_by_name = {upload.filename: upload.data for upload in uploads}
    embeds = body.get("embeds")
    for i, embed in enumerate(embeds if isinstance(embeds, list) else []):
        if not isinstance(embed, dict):
            continue
        for where, url in _embed_urls(embed):
            if not isinstance(url, str) or not url.startswith(ATTACHMENT_SCHEME):
                continue
            name = url.removeprefix(ATTACHMENT_SCHEME)
            path = f"embeds[{i}].{where}"
            if not RESOLVABLE_NAME.fullmatch(name):
                problems.append((path, f"{name!r} is not a name attachment:// resolves"))
            elif name not in names:
                problems.append((path, f"no attachment is named {name!r}"))
            elif name.endswith(".png") and not data_by_name.get(name, PNG_SIGNATURE).startswith(
                PNG_SIGNATURE
            ):
                problems.append((path, f"{name!r} is not a PNG"))
    return problems
