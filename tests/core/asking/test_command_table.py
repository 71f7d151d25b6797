"""The command table: each entry carries the function that answers it, wired to its own options."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import cast

import pytest

from bot.core.asking.answers import Answer, HelpAnswer
from bot.core.asking.commands import COMMANDS
from bot.core.asking.query import QueryService


class _ReadOptions(Mapping[str, str | None]):
    """Options that note which of them the answering function reads."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self._values = {name: f"<{name}>" for name in names}
        self.read: set[str] = set()

    def __getitem__(self, name: str) -> str | None:
        self.read.add(name)
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


class _Service:
    """Stands in for the query service: notes the question asked and the values it was given."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, tuple[object, ...]]] = []

    def __getattr__(self, question: str) -> object:
        def asked(*values: object) -> Answer:
            self.asked.append((question, values))
            return HelpAnswer(commands=())

        return asked


@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_entry_answers_from_its_own_options_only(name: str) -> None:
    """An entry's function reads every option the entry declares and no other, and asks the
    service one question with their values."""
    command = COMMANDS[name]
    given = _ReadOptions(command.option_names)
    service = _Service()
    command.answer(cast(QueryService, service), given)
    assert given.read == set(command.option_names)
    assert len(service.asked) == 1
    _, values = service.asked[0]
    assert set(values) <= {f"<{option}>" for option in command.option_names}
    assert len(values) == len(command.option_names)


def test_the_service_answers_each_command_by_its_entry(query_service: QueryService) -> None:
    """`ask` answers a command by the function of its entry (here /help, /races, /stats)."""
    for name, options in (("help", {}), ("races", {}), ("stats", {"race": "Sonoma"})):
        answer = COMMANDS[name].answer(query_service, options)
        assert query_service.ask(name, **options) == answer
