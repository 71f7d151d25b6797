"""The one error a race document raises, and the warnings it may carry: each names the file,
the line and what is wrong."""

from __future__ import annotations

from dataclasses import dataclass


class SeedError(ValueError):
    """A document that cannot be parsed: names the file, the line and what is wrong."""

    def __init__(self, source: str, line: int | None, message: str) -> None:
        self.source = source
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __reduce__(self) -> tuple[type[SeedError], tuple[str, int | None, str]]:
        # Pickled as its three parts, so a worker process can send it back.
        return (type(self), (self.source, self.line, self.message))

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {self.message}"


def describe_validation(exc: Exception) -> str:
    """A pydantic ValidationError's first problem as one line."""
    errors = getattr(exc, "errors", None)
    if errors is None:  # pragma: no cover - only ValidationErrors are passed
        return str(exc)
    first = errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}" if where else str(first["msg"])


@dataclass(frozen=True, slots=True)
class SeedWarning:
    """Something unlikely in a document that still loads: names the file, the line and what."""

    source: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: warning: {self.message}"
