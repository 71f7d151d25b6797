"""Plain questions in the console and `racebot ask`: read as /ask reads them, said first."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from rich.console import Console

from bot.app.cli import main
from bot.app.console import interact, is_plain, respond
from bot.core.asking.answers import ClassAnswer, ClassificationAnswer, InvalidAnswer, NotFoundAnswer
from bot.core.asking.query import QueryService
from tests.core.asking.fans import DOCUMENTS, sonoma_library


@pytest.fixture(scope="module")
def service() -> QueryService:
    """The query service over a copy of the seed."""
    return QueryService(sonoma_library())


def test_lines_without_a_command_are_plain_questions() -> None:
    """A line is a plain question unless it starts with '/' or with a command's name."""
    assert is_plain("who won GTS")
    assert is_plain("results for Dyson")
    assert not is_plain("/class GTS")
    assert not is_plain("class GTS")
    assert not is_plain("  ")


def test_the_console_answers_plain_questions(service: QueryService) -> None:
    """'who won GTS at Sonoma 2003' is answered as /class, and the panel says how it was read."""
    answer, offers = respond(service, "who won GTS at Sonoma 2003")
    assert isinstance(answer, ClassAnswer)
    assert answer.read_as == "/class GTS race:Sonoma 2003"
    assert offers == []
    out = io.StringIO()
    interact(
        service, ["full results", "tell me a joke", "1"], Console(file=out, width=100), echo=False
    )
    text = out.getvalue()
    assert "Read as /classification" in text
    assert "No command matches “tell me a joke”" in text
    assert "Did you mean…?" in text


def test_a_plain_miss_offers_commands_by_number(service: QueryService) -> None:
    """A question the grammar cannot read offers the nearest commands, numbered."""
    answer, offers = respond(service, "is it raining at Sonoma")
    assert isinstance(answer, NotFoundAnswer)
    assert [offer.question.command for offer in offers] == ["result", "driver", "race"]
    assert isinstance(respond(service, "/classification Sonoma class:GTS")[0], ClassificationAnswer)
    assert isinstance(respond(service, "x" * 300)[0], InvalidAnswer)


def test_racebot_ask_takes_plain_questions(
    clean_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`racebot ask "who won at Sonoma"` prints the overview with its reading, and exits 0."""
    seeds = clean_env / "documents"
    shutil.copytree(DOCUMENTS, seeds)
    assert main(["ask", "who won at Sonoma", "--seeds", str(seeds)]) == 0
    out = capsys.readouterr().out
    assert "Read as /race race:Sonoma" in out
    assert main(["ask", "what is the weather like", "--seeds", str(seeds)]) == 1
