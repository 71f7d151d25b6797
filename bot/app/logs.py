"""Log lines on stderr: readable text, coloured only on a terminal, or one JSON object per line.

`RACEBOT_LOG_FORMAT=json` writes `{"time", "level", "logger", "message", "error_id",
"guild_id"}` (plus `exception` with the traceback when there is one) for log collectors; the
default text has no colour codes unless stderr is a terminal, so a file or the journal reads
clean. The error id a user is shown (`bot.discord.tree.new_error_id`) is the `error_id` of the
line that logs that error; the server is the one of the interaction being answered.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from typing import Any, Final, TextIO

from bot.discord.tree import GUILD_ID

TEXT_FORMAT: Final = "%(asctime)s %(levelname)-8s %(name)s: %(message)s"
DATE_FORMAT: Final = "%Y-%m-%d %H:%M:%S"

_COLOURS: Final = {
    logging.DEBUG: "\x1b[40;1m",
    logging.INFO: "\x1b[34;1m",
    logging.WARNING: "\x1b[33;1m",
    logging.ERROR: "\x1b[31m",
    logging.CRITICAL: "\x1b[41m",
}
_RESET: Final = "\x1b[0m"


class _RacebotHandler(logging.StreamHandler[TextIO]):
    """The handler `setup_logging` installs (so a second call replaces it, never doubles it)."""


def _guild_id(record: logging.LogRecord) -> int | None:
    guild = getattr(record, "guild_id", None)
    return guild if isinstance(guild, int) else GUILD_ID.get()


class JsonFormatter(logging.Formatter):
    """One JSON object per line; never more than one line, whatever the message holds."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as a JSON object."""
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "error_id": getattr(record, "error_id", None),
            "guild_id": _guild_id(record),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """`time LEVEL logger: message`, with the level coloured only when asked to."""

    def __init__(self, *, colour: bool) -> None:
        super().__init__(TEXT_FORMAT, DATE_FORMAT)
        self.colour = colour

    def format(self, record: logging.LogRecord) -> str:
        """The record as text; a known server is named at the end of the line."""
        text = super().format(record)
        guild = _guild_id(record)
        if guild is not None:
            first, newline, rest = text.partition("\n")
            text = f"{first} [guild {guild}]{newline}{rest}"
        if not self.colour:
            return text
        colour = _COLOURS.get(record.levelno, "")
        name = f"{record.levelname:<8}"
        return text.replace(name, f"{colour}{name}{_RESET}", 1)


def formatter_for(log_format: str, stream: TextIO) -> logging.Formatter:
    """JSON when asked; else text, coloured only when `stream` is a terminal."""
    if log_format == "json":
        return JsonFormatter()
    isatty = getattr(stream, "isatty", None)
    return TextFormatter(colour=bool(isatty and isatty()))


def setup_logging(level: int, log_format: str, stream: TextIO | None = None) -> logging.Handler:
    """Send every logger's lines at `level` and above to stderr in the chosen format."""
    stream = stream or sys.stderr
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, _RacebotHandler):
            root.removeHandler(handler)
    handler = _RacebotHandler(stream)
    handler.setFormatter(formatter_for(log_format, stream))
    root.addHandler(handler)
    root.setLevel(level)
    return handler
