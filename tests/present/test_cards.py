"""answer_cards for every answer: names escaped everywhere, and no card past a Discord limit."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.asking.answers import (
    AmbiguousAnswer,
    Answer,
    ClassAnswer,
    ClassWinnersAnswer,
    CommandHelp,
    DriverAnswer,
    DriverRace,
    HelpAnswer,
    InvalidAnswer,
    NotFoundAnswer,
    RaceAnswer,
    RacesAnswer,
    ResultsAnswer,
    StatsAnswer,
    Subject,
)
from bot.core.documents.model import Entry, Race, Status, summarise
from bot.present.cards import answer_cards
from bot.present.text import BIDI_CONTROLS, ZERO_WIDTH_SPACE
from tests.present.support import assert_within_limits, car, only_card


def test_names_are_escaped_everywhere(sonoma: Race) -> None:
    """Markdown and mentions in a team or driver name never reach Discord live."""
    entry = car(sonoma, "38").model_copy(
        update={"team": "**Evil** @everyone", "drivers": ("<@123> _x_", "[a](http://b)")}
    )
    answer = ResultsAnswer(race=sonoma, query="@here", matched=(), cars=(entry,))
    card = only_card(answer)
    text = "\n".join([card.title, card.description, *(f.name + f.value for f in card.fields)])
    assert r"\*\*Evil\*\* @" + ZERO_WIDTH_SPACE + "everyone" in text
    assert "<@" + ZERO_WIDTH_SPACE + "123\\> \\_x\\_" in text
    assert r"\[a\]\(http://b\)" in text
    assert "@everyone" not in text
    assert "@here" not in text


def test_blank_names_still_make_a_card(sonoma: Race) -> None:
    """A name of spaces or control characters becomes a dash, never an empty title or field."""
    entry = car(sonoma, "38").model_copy(update={"team": " ", "drivers": ("\x00", " ")})
    race = sonoma.model_copy(update={"title": "\n\t", "entries": (entry,)})
    for answer in (
        DriverAnswer(driver=" ", appearances=(DriverRace(race=summarise(race), entry=entry),)),
        RaceAnswer(race=race),
        ResultsAnswer(race=race, query=" ", matched=(" ",), cars=(entry,)),
    ):
        card = only_card(answer)
        assert card.title.strip()
        assert_within_limits([card])
    driver_card = only_card(
        DriverAnswer(driver=" ", appearances=(DriverRace(race=summarise(race), entry=entry),))
    )
    assert driver_card.title == "—"


def test_bidi_controls_never_reach_a_card(sonoma: Race) -> None:
    """A right-to-left override in any name, query or message is gone from every card."""
    rlo = "\u202e"
    entry = car(sonoma, "38").model_copy(
        update={"team": f"ADT{rlo} Champion", "drivers": (f"{rlo}trebreH", "JJ\u2066 Lehto")}
    )
    race = sonoma.model_copy(
        update={"title": f"Sonoma{rlo}", "prose": (f"{rlo}esrever",), "entries": (entry,)}
    )
    answers: list[Answer] = [
        ResultsAnswer(race=race, query=f"{rlo}Herbert", matched=(f"driver {rlo}x",), cars=(entry,)),
        DriverAnswer(
            driver=f"{rlo}Herbert", appearances=(DriverRace(race=summarise(race), entry=entry),)
        ),
        RaceAnswer(race=race),
        NotFoundAnswer(subject=Subject.DRIVER, query=f"x{rlo}y", suggestions=(f"{rlo}z",)),
        InvalidAnswer(message=f"Unknown command '{rlo}tluser'."),
    ]
    for answer in answers:
        for card in answer_cards(answer):
            texts = [card.title, card.description, card.footer]
            texts += [part for field in card.fields for part in (field.name, field.value)]
            assert not set("".join(texts)) & set(BIDI_CONTROLS), texts
    assert only_card(answers[0]).title == r"\#38 ADT Champion"


# --- Any names at all: properties ---------------------------------------------------------------

odd_text = st.one_of(
    st.text(min_size=1, max_size=40),
    st.text(alphabet="\\*_~`|>#-[]()@<&!:everyonhr 🏎\u200b\n", min_size=1, max_size=60),
    st.builds(lambda piece, times: piece * times, st.text(min_size=1, max_size=4),
              st.integers(1, 3000)),
)  # fmt: skip


@st.composite
def entries(draw: st.DrawFn, count: int) -> tuple[Entry, ...]:
    """Entries with arbitrary names and plausible numbers."""
    made = []
    for index in range(count):
        status = draw(st.sampled_from(Status))
        made.append(
            Entry.model_validate(
                {
                    "position": None if status is Status.DNS else index + 1,
                    "status": status,
                    "class": draw(odd_text),
                    "number": draw(odd_text),
                    "team": draw(odd_text),
                    "drivers": tuple(draw(st.lists(odd_text, max_size=6))),
                    "chassis": draw(odd_text),
                    "engine": draw(odd_text),
                    "tyre": draw(st.none() | odd_text),
                    "laps": draw(st.none() | st.integers(0, 10_000)),
                    "line": index * 2 + 12,
                    "class_position": draw(st.none() | st.integers(1, 999)),
                    "laps_behind_leader": draw(st.none() | st.integers(0, 999)),
                    "laps_behind_class_winner": draw(st.none() | st.integers(0, 999)),
                }
            )
        )
    return tuple(made)


@st.composite
def races(draw: st.DrawFn) -> Race:
    """A race with arbitrary names, prose and facts."""
    count = draw(st.integers(1, 40))
    return Race.model_validate(
        {
            "title": draw(odd_text),
            "series": draw(st.none() | odd_text),
            "round": draw(st.none() | st.integers(1, 99)),
            "date": draw(st.none() | st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1))),
            "circuit": draw(st.none() | odd_text),
            "location": draw(st.none() | odd_text),
            "prose": tuple(draw(st.lists(odd_text, max_size=3))),
            "entries": draw(entries(count)),
            "source": draw(odd_text),
        }
    )


@st.composite
def answers(draw: st.DrawFn) -> Answer:
    """Any kind of answer, about arbitrary races."""
    race = draw(races())
    kind = draw(st.integers(0, 10))
    subject = draw(st.sampled_from(Subject))
    match kind:
        case 0:
            return ResultsAnswer(
                race=race,
                query=draw(odd_text),
                matched=tuple(draw(st.lists(odd_text, max_size=5))),
                cars=race.entries[: draw(st.integers(1, len(race.entries)))],
            )
        case 1:
            return ClassAnswer(race=race, class_=draw(odd_text), entries=race.entries)
        case 2:
            return ClassWinnersAnswer(race=race, winners=race.entries)
        case 3:
            others = draw(st.lists(races(), max_size=3))
            appearances = [
                DriverRace(race=summarise(item), entry=entry)
                for item in [race, *others]
                for entry in item.entries
            ]
            return DriverAnswer(driver=draw(odd_text), appearances=tuple(appearances))
        case 4:
            return StatsAnswer(
                race=race, statistics=race.statistics, entries=len(race.entries), starters=1,
                classified=1, dnf=0, dns=0, nc=0,
            )  # fmt: skip
        case 5:
            return RaceAnswer(race=race)
        case 6:
            return RacesAnswer(races=(summarise(race),) * draw(st.integers(0, 60)))
        case 7:
            commands = st.builds(CommandHelp, name=odd_text, usage=odd_text, description=odd_text,
                                 example=odd_text)  # fmt: skip
            return HelpAnswer(commands=tuple(draw(st.lists(commands, max_size=30))))
        case 8:
            return NotFoundAnswer(
                subject=subject,
                query=draw(st.text()),
                suggestions=tuple(draw(st.lists(odd_text, max_size=3))),
            )
        case 9:
            return AmbiguousAnswer(
                subject=subject,
                query=draw(odd_text),
                options=tuple(draw(st.lists(odd_text, min_size=2, max_size=80))),
            )
        case _:
            return InvalidAnswer(message=draw(odd_text))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers())
def test_no_card_ever_exceeds_a_discord_limit(answer: Answer) -> None:
    """Whatever the names, every page of every answer kind fits Discord's limits."""
    cards = answer_cards(answer)
    assert cards
    assert_within_limits(cards)
    if len(cards) > 1:
        assert all(card.footer.endswith(f"/{len(cards)}") for card in cards)
    assert {card.ephemeral for card in cards} == {answer.ephemeral}
