"""Tab completion in the console: whole lines offered, and readline's protocol kept."""

from __future__ import annotations

import pytest

from bot.app import completion as completion_module
from bot.app.completion import Completer, completions
from bot.core.asking.query import QueryService


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/dr", "/driver "),
        ("dr", "driver "),
        ("/r", "/result "),
        ("/result ra", "/result race:"),
        ("/driver Johnny Her", "/driver Johnny Herbert "),
        ("/class GT", "/class GTS "),
        ("/result Dyson race:So", "/result Dyson race:2003 Grand Prix of Sonoma "),
        ("/car 0", "/car 03 "),
        ("/class class:LMP", "/class class:LMP900 "),
    ],
)
def test_completions(query_service: QueryService, line: str, expected: str) -> None:
    """Commands, option names and names from the races complete the whole line."""
    assert expected in completions(line, query_service)


def test_completions_of_commands_are_exact(query_service: QueryService) -> None:
    """ "/r" offers the three commands starting with r; an unknown command offers nothing."""
    assert completions("/r", query_service) == ["/result ", "/race ", "/races "]
    assert completions("/nope x", query_service) == []
    assert completions("/races ", query_service) == []
    assert len(completions("/result ", query_service)) <= 25


def test_completer_follows_readline_protocol(query_service: QueryService) -> None:
    """State 0, 1, … returns the matches, then None; text before begidx is kept by readline."""
    completer = Completer(query_service, lambda: "/driver Johnny Her", lambda: 8)
    assert completer("Johnny Her", 0) == "Johnny Herbert "
    assert completer("Johnny Her", 1) is None
    whole = Completer(query_service, lambda: "/dr")
    assert [whole("/dr", 0), whole("/dr", 1)] == ["/driver ", None]


def _tab(service: QueryService, line: str) -> tuple[str, list[str]]:
    """What readline does on Tab at the end of `line`: the new line and the matches it lists.

    The word is the text after the last space (the console's delimiters); one match replaces
    it, several are replaced by their longest common prefix, or leave it as typed if none.
    """
    begin = line.rfind(" ") + 1
    completer = Completer(service, lambda: line, lambda: begin)
    matches: list[str] = []
    while (match := completer(line[begin:], len(matches))) is not None:
        matches.append(match)
    if len(matches) == 1:
        return line[:begin] + matches[0], matches
    common = completion_module._common_prefix(matches) if matches else ""
    return line[:begin] + (common or line[begin:]), matches


def test_tab_on_several_names_keeps_what_was_typed(query_service: QueryService) -> None:
    """Tab on "/result Dy" keeps "Dy" and lists both Dyson Racing and Chris Dyson."""
    line, matches = _tab(query_service, "/result Dy")
    assert line == "/result Dy"
    assert matches == ["Dyson Racing ", "Chris Dyson "]


@pytest.mark.parametrize(
    ("typed", "after"),
    [
        ("/result Dy", "/result Dy"),
        ("/result dy", "/result dy"),
        ("/result ra", "/result ra"),
        ("/car 1", "/car 1"),
        ("/dr", "/driver "),
        ("/driver Johnny Her", "/driver Johnny Herbert "),
        ("/driver herbret", "/driver Johnny Herbert "),  # one correction replaces the word
        ("/result Dyson race:So", "/result Dyson race:2003 Grand Prix of Sonoma "),
        ("/class GT", "/class GT"),
    ],
)
def test_tab_never_deletes_typed_text(query_service: QueryService, typed: str, after: str) -> None:
    """Tab extends or lists; it never leaves the line shorter than what was typed."""
    assert _tab(query_service, typed)[0] == after


def test_tab_offers_only_extending_matches_when_a_shared_start_would_cut() -> None:
    """Matches sharing a start shorter than the word are narrowed to those that extend it."""
    keep = completion_module._keeping_the_word
    assert keep("Dy", ["Dyson ", "Dan "]) == ["Dyson "]
    assert keep("dy", ["Dyson ", "DYSON X "]) == ["dyson ", "dySON X "]
    assert keep("Dy", ["Dyson ", "Chris "]) == ["Dyson ", "Chris "]
    assert keep("Dy", ["Dyson ", "Dysart "]) == ["Dyson ", "Dysart "]
    assert keep("Zz", ["Dyson ", "Dan "]) == []


def test_completer_never_raises(query_service: QueryService) -> None:
    """A failing buffer read just means no completions."""

    def broken() -> str:
        raise RuntimeError("no buffer")

    assert Completer(query_service, broken)("", 0) is None
