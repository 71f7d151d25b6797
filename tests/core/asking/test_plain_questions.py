"""Plain questions: a table of phrasings and the command each is read as, and ones never read."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.asking.answers import (
    ChartAnswer,
    ClassAnswer,
    ClassificationAnswer,
    CompareAnswer,
    DriverAnswer,
    NotFoundAnswer,
    RaceAnswer,
    ResultsAnswer,
    SeasonAnswer,
    StatsAnswer,
    Subject,
)
from bot.core.asking.plain_questions import PlainQuestions
from bot.core.asking.query import QueryService
from bot.present.cards import answer_cards
from bot.present.pages import card_problems
from tests.core.asking.fans import SONOMA_TEXT, service_of, title_of, variant

PETIT = variant(
    "2004 Petit Le Mans",
    dt.date(2004, 9, 25),
    4,
    {"Infineon Raceway, California": "Road Atlanta, Georgia"},
)

# Each phrasing and the command it must be read as (as the answer's first line shows it).
READINGS = [
    ("who won at Sonoma 2003", "/race race:Sonoma 2003"),
    ("who won at Sonoma", "/race race:Sonoma"),
    ("Who won at Sonoma?", "/race race:Sonoma"),
    ("who won GTS", "/class GTS"),
    ("GTS winner", "/class GTS"),
    ("who won GTS at Sonoma 2003", "/class GTS race:Sonoma 2003"),
    ("winner of the latest race", "/race race:latest"),
    ("who won the last race", "/race race:latest"),
    ("who won the previous race", "/race race:previous"),
    ("who won round 3 2003", "/race race:round 3 2003"),
    ("who won in 2003", "/race race:2003"),
    ("who won LMP900", "/class LMP900"),
    ("LMP675 winner at Sonoma", "/class LMP675 race:Sonoma"),
    ("who won GT", "/class GT"),
    ("pole at Sonoma", "/stats race:Sonoma"),
    ("pole at Sonoma 2003", "/stats race:Sonoma 2003"),
    ("who was on pole", "/stats"),
    ("fastest lap", "/stats"),
    ("fastest lap at Petit Le Mans", "/stats race:Petit Le Mans"),
    ("what was the fastest lap in 2004", "/stats race:2004"),
    ("stats for Sonoma", "/stats race:Sonoma"),
    ("statistics of the latest race", "/stats race:latest"),
    ("how many cars finished at Sonoma", "/stats race:Sonoma"),
    ("how did Herbert do", "/driver Herbert"),
    ("how did Johnny Herbert do at Sonoma", "/driver Johnny Herbert race:Sonoma"),
    ("how did Herbert do in 2003", "/driver Herbert race:2003"),
    ("where did Herbert finish", "/driver Herbert"),
    ("Herbert's result", "/driver Herbert"),
    ("how did Leitzingr do", "/driver Leitzingr"),
    ("results for Dyson", "/result Dyson"),
    ("how did Dyson Racing do", "/result Dyson Racing"),
    ("how did Corvette Racing do at Sonoma", "/result Corvette Racing race:Sonoma"),
    ("dysn racing", "/result dysn racing"),
    ("where did car 16 finish", "/car 16"),
    ("car 16", "/car 16"),
    ("#16", "/car 16"),
    ("where did #3 finish at Sonoma", "/car 3 race:Sonoma"),
    ("the 03 car", "/car 03"),
    ("how did number 38 do", "/car 38"),
    ("Herbert vs Leitzinger", "/compare first:Herbert second:Leitzinger"),
    ("Herbert versus Werner", "/compare first:Herbert second:Werner"),
    ("compare Herbert and Werner", "/compare first:Herbert second:Werner"),
    ("compare Herbert with Werner at Sonoma", "/compare first:Herbert second:Werner race:Sonoma"),
    ("Dyson Racing vs Corvette Racing", "/compare first:Dyson Racing second:Corvette Racing"),
    ("who finished ahead Herbert or Werner", "/compare first:Herbert second:Werner"),
    ("2003 season", "/season year:2003"),
    ("ALMS 2003 season", "/season ALMS year:2003"),
    ("the season", "/season"),
    ("championship standings", "/season"),
    ("American Le Mans Series 2003 standings", "/season American Le Mans Series year:2003"),
    ("full results", "/classification"),
    ("full results at Sonoma", "/classification race:Sonoma"),
    ("results of the latest race", "/classification race:latest"),
    ("classification", "/classification"),
    ("finishing order at Sonoma 2003", "/classification race:Sonoma 2003"),
    ("GTS results", "/classification class:GTS"),
    ("full GTS results at Sonoma", "/classification race:Sonoma class:GTS"),
    ("podium at Sonoma", "/classification race:Sonoma"),
    ("what happened at Sonoma", "/race race:Sonoma"),
    ("tell me about the latest race", "/race race:latest"),
    ("tell me about Sonoma", "/race race:Sonoma"),
    ("Sonoma 2003", "/race race:Sonoma 2003"),
    ("latest race", "/race race:latest"),
    ("previous race", "/race race:previous"),
    ("round 3 2003", "/race race:round 3 2003"),
    ("chart", "/chart"),
    ("chart of Sonoma", "/chart race:Sonoma"),
    ("show me the chart of the latest race", "/chart race:latest"),
    ("races", "/races"),
    ("what races are there", "/races"),
    ("help", "/help"),
    ("what can you do", "/help"),
    ("Herbert", "/driver Herbert"),
    ("who took pole", "/stats"),
    ("where did 16 finish", "/car 16"),
    ("who drove car 16", "/car 16"),
    ("who finished second in GTS", "/classification class:GTS"),
    ("LMP900 results 2003", "/classification race:2003 class:LMP900"),
    ("Sonoma results", "/classification race:Sonoma"),
    ("GTS", "/class GTS"),
    ("what did Dyson do", "/result Dyson"),
    ("who was faster Herbert or Werner", "/compare first:Herbert second:Werner"),
]

# Phrasings that must not be read as any command: chat, the future, administration, pings.
NOT_READ = [
    "tell me a joke",
    "hello",
    "what's the weather in London",
    "who will win the next race",
    "when is the next race",
    "who is the best driver ever",
    "delete all races",
    "ban Herbert",
    "ignore previous instructions",
    "@everyone who won",
    "<@123456789012345678>",
    "what is the meaning of life",
    "asdfghjkl",
    "why",
    "how are you",
    "thanks",
    "play some music",
    "what time is it",
    "who is Schumacher's favourite driver",
    "predict the 2004 winner",
    "reload the races",
    "sync commands",
    "give me the token",
    "is it raining at Sonoma",
    "what do you think of Herbert",
    "should I watch the race",
    "",
    "???",
    "who won last weekend",
    "what was the winning margin",
    "who won GTS or GT",
]


@pytest.fixture(scope="module")
def service() -> QueryService:
    """The seed and a later race (so latest, previous and years choose between two)."""
    return service_of(("2003-sonoma.txt", SONOMA_TEXT), ("2004-petit.txt", PETIT))


def test_the_table_is_large_enough() -> None:
    """At least 60 phrasings that map, and phrasings that must not."""
    assert len(READINGS) >= 60
    assert len({question for question, _ in READINGS}) == len(READINGS)
    assert len(NOT_READ) >= 20


@pytest.mark.parametrize(("question", "command"), READINGS)
def test_each_phrasing_is_read_as_its_command(
    service: QueryService, question: str, command: str
) -> None:
    """The grammar reads the phrasing as exactly this command."""
    reading = PlainQuestions(service.catalogue).read(question)
    assert reading is not None, question
    assert reading.text == command


@pytest.mark.parametrize("question", NOT_READ)
def test_phrasings_that_must_not_map(service: QueryService, question: str) -> None:
    """The grammar reads none of these; /ask answers them with a miss, never a guess."""
    assert PlainQuestions(service.catalogue).read(question) is None
    answer = service.ask("ask", question=question)
    assert answer.ephemeral
    assert not answer.read_as


@pytest.mark.parametrize(
    ("question", "kind", "title"),
    [
        ("who won GTS at Sonoma 2003", ClassAnswer, "2003 Grand Prix of Sonoma"),
        ("who won the latest race", RaceAnswer, "2004 Petit Le Mans"),
        ("who won the previous race", RaceAnswer, "2003 Grand Prix of Sonoma"),
        ("pole at Petit", StatsAnswer, "2004 Petit Le Mans"),
        ("full results at Sonoma", ClassificationAnswer, "2003 Grand Prix of Sonoma"),
        ("chart of round 3 2003", ChartAnswer, "2003 Grand Prix of Sonoma"),
    ],
)
def test_answers_say_how_they_were_read(
    service: QueryService, question: str, kind: type, title: str
) -> None:
    """/ask answers as the command does, for the race the words chose, and its first line says
    how the question was read."""
    answer = service.ask("ask", question=question)
    assert isinstance(answer, kind), answer
    assert title_of(answer) == title
    reading = PlainQuestions(service.catalogue).read(question)
    assert reading is not None
    first = answer_cards(answer)[0].description.splitlines()[0]
    assert first == f"Read as `{reading.text}`"


def test_the_issue_example_first_line(service: QueryService) -> None:
    """'who won GTS at Sonoma 2003' is answered with 'Read as `/class GTS race:Sonoma 2003`'."""
    answer = service.ask("ask", question="who won GTS at Sonoma 2003")
    lines = answer_cards(answer)[0].description.splitlines()
    assert lines[0] == "Read as `/class GTS race:Sonoma 2003`"


def test_other_answers_keep_their_kind(service: QueryService) -> None:
    """Driver, team, car, comparison and season questions get those commands' answers."""
    assert isinstance(service.ask("ask", question="how did Herbert do"), DriverAnswer)
    assert isinstance(service.ask("ask", question="results for Dyson"), ResultsAnswer)
    assert isinstance(service.ask("ask", question="where did car 16 finish"), ResultsAnswer)
    assert isinstance(service.ask("ask", question="Herbert vs Leitzinger"), CompareAnswer)
    assert isinstance(service.ask("ask", question="2003 season"), SeasonAnswer)


def test_a_miss_offers_the_nearest_commands_with_the_words(service: QueryService) -> None:
    """A question the grammar cannot read offers /result, /driver and /race with its words."""
    answer = service.ask("ask", question="is it raining at Sonoma")
    assert isinstance(answer, NotFoundAnswer)
    assert answer.subject is Subject.QUESTION
    assert [(c.command, c.options) for c in answer.choices] == [
        ("result", (("query", "raining Sonoma"),)),
        ("driver", (("name", "raining Sonoma"),)),
        ("race", (("race", "raining Sonoma"),)),
    ]
    card = answer_cards(answer)[0]
    assert card.ephemeral
    assert "No command matches “is it raining at Sonoma”" in card.description
    nothing = service.ask("ask", question="thanks")
    assert isinstance(nothing, NotFoundAnswer)
    assert [c.command for c in nothing.choices] == ["help"]


def test_questions_are_bounded(service: QueryService) -> None:
    """An empty or over-long question is refused as every option is, never read."""
    assert service.ask("ask", question="   ").ephemeral
    assert service.ask("ask", question="who won " * 40).kind == "invalid"


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.sampled_from(
            [
                *("who", "won", "at", "in", "vs", "or", "and", "round", "3", "2003", "#16"),
                *("car", "GTS", "Sonoma", "Herbert", "pole", "fastest", "lap", "season"),
                *("results", "latest", "previous", "chart", "how", "did", "do", "`", "**"),
                *("@here", "<@1>", "’s", "\u202e", "x" * 40, "Dyson", "Racing", "class"),
            ]
        ),
        max_size=12,
    )
    | st.text(max_size=120)
)
def test_no_question_crashes_or_overflows(service: QueryService, words: list[str] | str) -> None:
    """Any text, and any jumble of the grammar's own words, gets an answer within limits."""
    question = words if isinstance(words, str) else " ".join(words)
    answer = service.ask("ask", question=question)
    for card in answer_cards(answer):
        assert not card_problems(card)
