"""The rendered-answer cache is bounded in bytes as well as in questions."""

from __future__ import annotations

from bot.core.asking.query import QueryService
from bot.core.library.races import RaceLibrary
from bot.discord.answer_service import AnswerService, estimated_size

QUESTIONS = (("result", "Dyson"), ("result", "Corvette"), ("result", "Panoz"), ("result", "Audi"))


def test_the_cache_stays_under_its_byte_bound(seed_library: RaceLibrary) -> None:
    """Past the byte bound the least recently asked answers go; the count never matters."""
    one = estimated_size(
        AnswerService(QueryService(seed_library)).ask("result", query="Dyson").pages
    )
    answers = AnswerService(QueryService(seed_library), kept=100, max_bytes=int(one * 2.5))
    for command, query in QUESTIONS:
        answers.ask(command, query=query)
        assert answers.bytes <= int(one * 2.5)
    assert 1 <= len(answers) < len(QUESTIONS)
    kept = QUESTIONS[-len(answers) :]
    assert answers.bytes == sum(estimated_size(answers.ask(c, query=q).pages) for c, q in kept)


def test_an_answer_larger_than_the_bound_is_still_answered(seed_library: RaceLibrary) -> None:
    """A zero bound keeps nothing, and every question is still answered."""
    answers = AnswerService(QueryService(seed_library), max_bytes=0)
    rendered = answers.ask("result", query="Dyson")
    assert rendered.pages
    assert (len(answers), answers.bytes) == (0, 0)


def test_the_size_grows_with_the_pages(seed_library: RaceLibrary) -> None:
    """The estimate is positive and counts every page."""
    pages = AnswerService(QueryService(seed_library)).ask("result", query="Dyson").pages
    assert 0 < estimated_size(pages[:1]) <= estimated_size(pages)
