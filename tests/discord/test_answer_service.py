"""The cached answer service: each distinct question rendered once, the least recent dropped."""

from __future__ import annotations

from bot.core.asking.answers import Answer
from bot.core.asking.query import QueryService
from bot.core.library.races import RaceLibrary
from bot.discord.answer_service import AnswerService
from bot.discord.rendering import answer_embeds


class CountingService(QueryService):
    """The real query service, counting the questions that reach it."""

    asked = 0

    def ask(self, command: str, **options: str | None) -> Answer:
        """Count, then answer as usual."""
        self.asked += 1
        return super().ask(command, **options)


def test_a_repeated_question_is_rendered_once(seed_library: RaceLibrary) -> None:
    """The second asker of the same question gets the same pages without a new query."""
    service = CountingService(seed_library)
    answers = AnswerService(service)
    first = answers.ask("result", query="Dyson", race=None)
    again = answers.ask("result", race=None, query="Dyson")
    assert again is first
    assert service.asked == 1
    assert [embed.to_dict() for embed in first.pages] == [
        embed.to_dict() for embed in answer_embeds(service.result("Dyson"))
    ]
    other = answers.ask("result", query="Corvette", race=None)
    assert other.answer != first.answer
    assert service.asked == 2  # Dyson once, Corvette once


def test_the_service_keeps_the_most_recent(seed_library: RaceLibrary) -> None:
    """Past the limit the least recently asked question is dropped and asked anew later."""
    service = CountingService(seed_library)
    answers = AnswerService(service, kept=2)
    answers.ask("car", number="16")
    answers.ask("car", number="20")
    answers.ask("car", number="16")  # 16 is now the most recent
    answers.ask("car", number="3")  # drops 20
    assert (len(answers), service.asked) == (2, 3)
    answers.ask("car", number="16")
    assert service.asked == 3
    answers.ask("car", number="20")
    assert service.asked == 4
