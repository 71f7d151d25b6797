"""Tab completion in the console: commands, option names and names from the library.

`completions` offers whole lines; `Completer` adapts them to readline, which replaces only the
word after the last space and must never delete what was typed.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Final

from bot.core.asking.commands import COMMANDS
from bot.core.limits import MAX_CHOICES

if TYPE_CHECKING:
    from bot.core.asking.query import QueryService

OPTION: Final = re.compile(r"(?:^|(?<=\s))([A-Za-z_][A-Za-z0-9_]*):")
"""An option's name as typed, `name:`, at the start or after a space."""

log = logging.getLogger(__name__)


def completions(line: str, service: QueryService, limit: int = MAX_CHOICES) -> list[str]:
    """Whole-line completions of `line` (the text up to the cursor): commands, options, names."""
    stripped = line.lstrip()
    lead = line[: len(line) - len(stripped)]
    slash = "/" if stripped.startswith("/") else ""
    body = stripped[len(slash) :]
    if " " not in body:
        word = body.lower()
        return [f"{lead}{slash}{name} " for name in COMMANDS if name.startswith(word)][:limit]
    head, _, rest = body.partition(" ")
    spec = COMMANDS.get(head.lower())
    if spec is None:
        return []
    before = line[: len(line) - len(rest)]
    matches = list(OPTION.finditer(rest))
    given = {match[1].lower(): match for match in matches}
    candidates: list[str] = []
    last_word = rest.rsplit(" ", 1)[-1]
    if ":" not in last_word:
        start = before + rest[: len(rest) - len(last_word)]
        candidates += [
            f"{start}{name}:"
            for name in spec.option_names
            if name not in given and name.startswith(last_word.lower())
        ]
    if matches:
        option = spec.option(matches[-1][1].lower())
        value_start = matches[-1].end()
    else:
        option = spec.options[0] if spec.options else None
        value_start = 0
    if option is not None and option.suggest is not None:
        race = None
        if option.name != "race" and "race" in given:
            race_match = given["race"]
            following = [m.start() for m in matches if m.start() > race_match.start()]
            race = rest[race_match.end() : min(following, default=len(rest))].strip() or None
        prefix = rest[value_start:].strip()
        for suggestion in service.suggest(option.suggest, prefix, limit=limit, race=race):
            candidates.append(f"{before}{rest[:value_start]}{suggestion.value} ")
    return list(dict.fromkeys(candidates))[:limit]


def _keeping_the_word(word: str, matches: list[str]) -> list[str]:
    """The matches readline may offer for `word` without deleting any of what was typed.

    Readline replaces the word with the matches' longest common prefix, or keeps it when they
    have none. A shorter common prefix would delete typed text ("/result Dy" offering "Dyson
    Racing" and "Chris Dyson" must not become "/result "), so then only the matches that extend
    the word are offered, spelled with the word exactly as typed.
    """
    if len(matches) <= 1:
        return matches
    size = len(word)
    common = _common_prefix(matches)
    if not common or (len(common) >= size and common[:size].casefold() == word.casefold()):
        return matches
    return [word + match[size:] for match in matches if match[:size].casefold() == word.casefold()]


def _common_prefix(texts: list[str]) -> str:
    """The longest text every one of `texts` starts with, compared as readline does (exactly)."""
    shortest, longest = min(texts), max(texts)
    size = next(
        (i for i, (a, b) in enumerate(zip(shortest, longest, strict=False)) if a != b),
        len(shortest),
    )
    return shortest[:size]


class Completer:
    """A readline completer over `completions`: candidates for the text from readline's begidx."""

    def __init__(
        self,
        service: QueryService,
        line_buffer: Callable[[], str],
        begin: Callable[[], int] = lambda: 0,
    ) -> None:
        self.service = service
        self.line_buffer = line_buffer
        self.begin = begin
        self._matches: list[str] = []

    def __call__(self, text: str, state: int) -> str | None:
        """The `state`-th completion (readline calls 0, 1, 2, … until None)."""
        if state == 0:
            try:
                line = self.line_buffer()
                start = self.begin()
                before = line[:start].casefold()
                matches = [
                    candidate[start:]
                    for candidate in completions(line, self.service)
                    if candidate[:start].casefold() == before
                ]
                self._matches = _keeping_the_word(line[start:], list(dict.fromkeys(matches)))
            except Exception:  # readline would swallow it anyway; keep the prompt alive
                log.debug("completion failed", exc_info=True)
                self._matches = []
        return self._matches[state] if state < len(self._matches) else None
