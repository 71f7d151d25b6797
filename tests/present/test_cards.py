"""Answers -> cards: exact texts for the seed, escaping, colours, paging and Discord's limits."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from collections.abc import Iterable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.synthetic import synthetic_races
from bot.core.answers import (
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
from bot.core.formats import ordinal
from bot.core.library import RaceLibrary
from bot.core.model import Entry, Race, Status
from bot.present.cards import (
    CLASS_COLOURS,
    DESCRIPTION_LIMIT,
    EMBED_TOTAL_LIMIT,
    FIELD_COUNT_LIMIT,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    FOOTER_LIMIT,
    INTRO_CAP,
    TITLE_LIMIT,
    ZERO_WIDTH_SPACE,
    Card,
    CardField,
    answer_cards,
    card_length,
    card_problems,
    class_colour,
    escape_markdown,
    position_text,
    text_length,
    truncate,
)

SOURCE = "2003-grand-prix-of-sonoma.txt"


@pytest.fixture(scope="module")
def sonoma(seed_library: RaceLibrary) -> Race:
    """The seed race."""
    race = seed_library.latest
    assert race is not None
    return race


def car(race: Race, number: str) -> Entry:
    """One entry of a race by its number."""
    return next(entry for entry in race.entries if entry.number == number)


def only_card(answer: Answer) -> Card:
    """The single card of a one-page answer."""
    cards = answer_cards(answer)
    assert len(cards) == 1
    return cards[0]


def field_values(card: Card) -> dict[str, str]:
    """A card's fields by name."""
    return {field.name: field.value for field in card.fields}


def assert_within_limits(cards: Iterable[Card]) -> None:
    """Every Discord limit, checked one by one (in code points and in UTF-16 units)."""
    for card in cards:
        for measure in (len, text_length):
            assert measure(card.title) <= TITLE_LIMIT
            assert measure(card.description) <= DESCRIPTION_LIMIT
            assert measure(card.footer) <= FOOTER_LIMIT
            for field in card.fields:
                assert 0 < measure(field.name) <= FIELD_NAME_LIMIT
                assert 0 < measure(field.value) <= FIELD_VALUE_LIMIT
        assert len(card.fields) <= FIELD_COUNT_LIMIT
        assert card_length(card) <= EMBED_TOTAL_LIMIT
        assert 0 <= card.colour <= 0xFFFFFF
        assert card.title


# --- Ordinals, escaping, truncation -------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (10, "10th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (14, "14th"),
        (21, "21st"),
        (22, "22nd"),
        (23, "23rd"),
        (100, "100th"),
        (101, "101st"),
        (102, "102nd"),
        (111, "111th"),
        (112, "112th"),
        (113, "113th"),
        (121, "121st"),
    ],
)
def test_ordinal_suffixes(number: int, text: str) -> None:
    """English ordinal suffixes, including the teens of every hundred."""
    assert ordinal(number) == text


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("**bold**", r"\*\*bold\*\*"),
        ("_it_ ~~s~~ `c` ||x||", r"\_it\_ \~\~s\~\~ \`c\` \|\|x\|\|"),
        ("> quote", r"\> quote"),
        ("# head", r"\# head"),
        ("- item", r"\- item"),
        ("[link](http://x)", r"\[link\]\(http://x\)"),
        ("back\\slash", "back\\\\slash"),
        ("Jean-Philippe", r"Jean\-Philippe"),
        ("plain words 123", "plain words 123"),
    ],
)
def test_escape_markdown(raw: str, escaped: str) -> None:
    """Every markdown character gets a backslash, including the backslash itself."""
    assert escape_markdown(raw) == escaped


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("@everyone", f"@{ZERO_WIDTH_SPACE}everyone"),
        ("hi @here!", f"hi @{ZERO_WIDTH_SPACE}here!"),
        ("@EVERYONE", f"@{ZERO_WIDTH_SPACE}EVERYONE"),
        ("<@123>", f"<@{ZERO_WIDTH_SPACE}123\\>"),
        ("<@!123>", f"<@{ZERO_WIDTH_SPACE}!123\\>"),
        ("<@&456>", f"<@{ZERO_WIDTH_SPACE}&456\\>"),
        ("mail@example.com", "mail@example.com"),
    ],
)
def test_escape_neutralises_mentions(raw: str, escaped: str) -> None:
    """Mass and user/role mentions are broken with a zero-width space; e-mail stays."""
    assert escape_markdown(raw) == escaped


@given(st.text())
def test_escaped_text_has_no_live_markdown_or_mentions(text: str) -> None:
    """Whatever the input, nothing special survives unescaped."""
    escaped = escape_markdown(text)
    unescaped_specials = re.sub(r"\\.", "", escaped, flags=re.DOTALL)
    assert not re.search(r"[*_~`|>#\-\[\]()\\]", unescaped_specials)
    assert not re.search(r"@(everyone|here)", escaped, re.IGNORECASE)
    assert "<@" not in escaped.replace(f"<@{ZERO_WIDTH_SPACE}", "")


def test_truncate_marks_the_cut() -> None:
    """Over-long text ends in an ellipsis within the limit; short text is untouched."""
    assert truncate("abcdef", 6) == "abcdef"
    assert truncate("abcdefg", 6) == "abcde…"
    assert truncate("ab     cdefg", 6) == "ab…"
    assert truncate("abc", 0) == ""
    assert truncate("abc", 1) == "…"


def test_truncate_never_leaves_a_dangling_escape() -> None:
    r"""A cut right after a backslash drops it, so "\…" never escapes the ellipsis."""
    escaped = escape_markdown("ab*cd")  # ab\*cd
    assert truncate(escaped, 4) == "ab…"
    assert truncate("a\\\\bc", 4) == "a\\\\…"


def test_truncate_counts_astral_characters_as_two_units() -> None:
    """Emoji outside the BMP count twice, as UTF-16 (and so Discord at its strictest) does."""
    assert text_length("🏎") == 2
    assert truncate("🏎🏎🏎", 5) == "🏎🏎…"
    assert text_length(truncate("🏎" * 100, 7)) <= 7


@given(st.text(), st.integers(min_value=0, max_value=50))
def test_truncate_fits_any_limit(text: str, limit: int) -> None:
    """The result always fits and is a prefix of the input (plus the ellipsis)."""
    cut = truncate(text, limit)
    assert text_length(cut) <= limit
    assert text.startswith(cut.removesuffix("…"))


# --- Colours ------------------------------------------------------------------------------------


def test_known_classes_have_their_palette_colour() -> None:
    """The fixed palette, whatever the spelling of the class."""
    assert class_colour("LMP900") == CLASS_COLOURS["LMP900"] == 0xD32F2F
    assert class_colour("LMP675") == 0x1E88E5
    assert class_colour("GTS") == 0xF57C00
    assert class_colour("GT") == 0x43A047
    assert class_colour("lmp 900") == class_colour("LMP900")
    assert class_colour("GT-2") == class_colour("GT2")
    assert len({class_colour(name) for name in ("LMP900", "LMP675", "GTS", "GT")}) == 4


def test_unknown_class_colour_is_stable_across_processes() -> None:
    """Derived from a digest, not hash(): the same colour under any PYTHONHASHSEED."""
    expected = class_colour("Formula Zed")
    assert expected == 0x39D63F  # fixed for all time: change it and every channel changes colour
    assert 0 <= expected <= 0xFFFFFF
    code = "from bot.present.cards import class_colour; print(class_colour('Formula Zed'))"
    for hash_seed in ("1", "2"):
        output = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": hash_seed},
        ).stdout
        assert int(output) == expected


def test_unknown_classes_get_different_colours() -> None:
    """Different names, different colours (for these names at least)."""
    colours = {class_colour(name) for name in ("P1", "Group C", "TCR", "Invitational")}
    assert len(colours) == 4


# --- The seed, card by card ----------------------------------------------------------------------


def test_single_car_card(sonoma: Race) -> None:
    """/result Herbert: the detailed card for #38."""
    entry = car(sonoma, "38")
    answer = ResultsAnswer(
        race=sonoma, query="Herbert", matched=("driver Johnny Herbert",), cars=(entry,)
    )
    card = only_card(answer)
    assert card.title == r"\#38 ADT Champion Racing"
    assert card.description.splitlines() == [
        "**P3 · 2nd in LMP900**",
        "2003 Grand Prix of Sonoma · July 27, 2003",
        "Matched “Herbert”: driver Johnny Herbert",
    ]
    assert field_values(card) == {
        "Class": "LMP900",
        "Laps": "102 laps",
        "Gap": "on the class winner's lap",
        "Drivers": "Johnny Herbert\nJJ Lehto",
        "Chassis": "Audi R8",
        "Engine": "Audi 3.6L Turbo V8",
    }
    assert card.footer == f"Source: {SOURCE}:16"
    assert card.colour == class_colour("LMP900")
    assert not card.ephemeral


def test_single_car_card_cites_its_line(sonoma: Race) -> None:
    """The footer names the document and the car's line (#24 is on line 38)."""
    answer = ResultsAnswer(race=sonoma, query="24", matched=(), cars=(car(sonoma, "24"),))
    assert only_card(answer).footer == f"Source: {SOURCE}:38"


@pytest.mark.parametrize(
    ("number", "position"),
    [
        ("16", "P1 · 1st in LMP675"),
        ("1", "P2 · 1st in LMP900"),
        ("38", "P3 · 2nd in LMP900"),
        ("3", "P8 · 1st in GTS"),
        ("68", "P28 · 14th in GT"),
        ("60", "DNF (P29) · 15th in GT"),
        ("71", "DNF (P30) · 6th in GTS"),
        ("03", "DNF (P34) · 18th in GT"),
        ("37", "DNS"),
    ],
)
def test_position_text(sonoma: Race, number: str, position: str) -> None:
    """Overall position, class position and status, as the cards write them."""
    assert position_text(car(sonoma, number)) == position


def test_dnf_and_dns_cards(sonoma: Race) -> None:
    """#60 is marked DNF with how far behind it was; #37 is marked DNS, with no laps."""
    dnf = only_card(ResultsAnswer(race=sonoma, query="60", matched=(), cars=(car(sonoma, "60"),)))
    assert dnf.description.startswith("**DNF (P29) · 15th in GT**")
    assert field_values(dnf)["Laps"] == "72 laps"
    assert field_values(dnf)["Gap"] == "21 laps down in class"
    dns = only_card(ResultsAnswer(race=sonoma, query="37", matched=(), cars=(car(sonoma, "37"),)))
    assert dns.description.startswith("**DNS**")
    assert field_values(dns)["Laps"] == "no laps"
    assert field_values(dns)["Gap"] == "did not start"


def test_class_winner_is_called_so(sonoma: Race) -> None:
    """A class winner's gap reads "class winner"; one lap down reads in the singular."""
    winner = only_card(
        ResultsAnswer(race=sonoma, query="16", matched=(), cars=(car(sonoma, "16"),))
    )
    assert field_values(winner)["Gap"] == "class winner"
    one_down = only_card(
        ResultsAnswer(race=sonoma, query="80", matched=(), cars=(car(sonoma, "80"),))
    )
    assert field_values(one_down)["Gap"] == "1 lap down in class"


def test_several_cars_are_listed_one_field_each(sonoma: Race) -> None:
    """/result Dyson: one compact field per car, the class winner marked."""
    cars = (car(sonoma, "16"), car(sonoma, "20"))
    answer = ResultsAnswer(
        race=sonoma, query="Dyson", matched=("team Dyson Racing", "driver Chris Dyson"), cars=cars
    )
    card = only_card(answer)
    assert card.title == "“Dyson” — 2003 Grand Prix of Sonoma"
    assert card.description == (
        "Matched “Dyson”: team Dyson Racing, driver Chris Dyson\n"
        "2 cars in the 2003 Grand Prix of Sonoma"
    )
    assert [(field.name, field.value) for field in card.fields] == [
        (
            r"🏆 P1 · 1st in LMP675 · \#16 Dyson Racing",
            "Butch Leitzinger, James Weaver\nMG\\-Lola EX257 · 102 laps · class winner",
        ),
        (
            r"P7 · 2nd in LMP675 · \#20 Dyson Racing",
            "Chris Dyson, Andy Wallace\nMG\\-Lola EX257 · 100 laps · 2 laps down in class",
        ),
    ]
    assert card.footer == f"Source: {SOURCE}"
    assert card.colour == class_colour("LMP675")


def test_class_card_lists_the_order_winner_first(sonoma: Race) -> None:
    """/class GTS: counts, then one line per car; the winner bold with a trophy."""
    card = only_card(ClassAnswer(race=sonoma, class_="GTS", entries=sonoma.class_entries("GTS")))
    assert card.title == "GTS — 2003 Grand Prix of Sonoma"
    assert card.colour == class_colour("GTS")
    assert card.description.splitlines() == [
        "6 cars · 5 classified · 1 DNF",
        "",
        r"🏆 **1st · P8 · \#3 Corvette Racing** — Ron Fellows, Johnny O'Connell · 97 laps",
        r"2nd · P9 · \#4 Corvette Racing — Kelly Collins, Oliver Gavin · 97 laps",
        r"3rd · P10 · \#80 Prodrive — David Brabham, Jan Magnussen · 96 laps (1 down)",
        r"4th · P12 · \#88 Prodrive — Tomáš Enge, Peter Kox · 94 laps (3 down)",
        r"5th · P22 · \#0 Team Olive Garden — Emanuele Naspetti, Mimmo Schiattarella"
        " · 90 laps (7 down)",
        r"6th · DNF (P30) · \#71 Carsport America — Aaron Povoledo, Jean\-Philippe Belloc"
        " · 71 laps (26 down)",
    ]
    assert card.footer == f"Source: {SOURCE}"


def test_class_card_shows_dns(sonoma: Race) -> None:
    """The LMP675 order ends with the car that did not start."""
    card = only_card(
        ClassAnswer(race=sonoma, class_="LMP675", entries=sonoma.class_entries("LMP675"))
    )
    assert card.description.splitlines()[0] == "5 cars · 3 classified · 1 DNF · 1 DNS"
    assert card.description.splitlines()[-1] == (
        r"DNS · \#37 Intersport Racing — Jon Field, Duncan Dayton"
    )


def test_class_winners_card(sonoma: Race) -> None:
    """/class with no class: one line per class."""
    card = only_card(ClassWinnersAnswer(race=sonoma, winners=sonoma.class_winners()))
    assert card.title == "Class winners — 2003 Grand Prix of Sonoma"
    assert card.description.splitlines()[2:] == [
        r"**LMP675** · P1 · \#16 Dyson Racing — Butch Leitzinger, James Weaver · 102 laps",
        r"**LMP900** · P2 · \#1 Infineon Team Joest — Marco Werner, Frank Biela · 102 laps",
        r"**GTS** · P8 · \#3 Corvette Racing — Ron Fellows, Johnny O'Connell · 97 laps",
        r"**GT** · P13 · \#23 Alex Job Racing — Lucas Luhr, Sascha Maassen · 93 laps",
    ]


def test_driver_card(sonoma: Race) -> None:
    """/driver Herbert: the race, position, car, co-driver, laps and status."""
    answer = DriverAnswer(
        driver="Johnny Herbert", appearances=(DriverRace(race=sonoma, entry=car(sonoma, "38")),)
    )
    card = only_card(answer)
    assert card.title == "Johnny Herbert"
    assert card.description == "1 race · 1 car"
    assert [(field.name, field.value) for field in card.fields] == [
        (
            "2003 Grand Prix of Sonoma · July 27, 2003",
            "**P3 · 2nd in LMP900** · \\#38 ADT Champion Racing\n"
            "with JJ Lehto\nAudi R8 · 102 laps · Finished",
        )
    ]
    assert card.footer == f"Source: {SOURCE}:16"
    assert card.colour == class_colour("LMP900")


def test_driver_card_of_a_three_driver_dnf(sonoma: Race) -> None:
    """Both co-drivers are named, and the status says the car did not finish."""
    answer = DriverAnswer(
        driver="Brad Nyberg", appearances=(DriverRace(race=sonoma, entry=car(sonoma, "03")),)
    )
    value = only_card(answer).fields[0].value
    assert value.splitlines() == [
        r"**DNF (P34) · 18th in GT** · \#03 Hyper Sport",
        "with Joe Foster, Rick Skelton",
        r"Panoz Esperante GT\-LM · 28 laps · Did not finish",
    ]


def test_stats_card(sonoma: Race) -> None:
    """/stats: pole and fastest lap with lap speeds, distance, speed, duration and counts."""
    answer = StatsAnswer(
        race=sonoma,
        statistics=sonoma.statistics,
        entries=36,
        starters=35,
        classified=28,
        dnf=7,
        dns=1,
        nc=0,
    )
    card = only_card(answer)
    assert card.title == "Statistics — 2003 Grand Prix of Sonoma"
    assert field_values(card) == {
        "Pole position": "\\#16 Dyson Racing · 1:23.085\n176.4 km/h",
        "Fastest lap": "\\#16 Dyson Racing · 1:24.229\n174.0 km/h",
        "Distance": "415.307 km · 102 laps",
        "Average speed": "150.145 km/h",
        "Race duration": "2:45:58",
        "Lap length": "4.072 km",
        "Entries": "36",
        "Starters": "35",
        "Finishers": "28 classified",
        "DNF": "7",
        "DNS": "1",
        "NC": "0",
    }
    assert all(field.inline for field in card.fields)


def test_stats_card_without_statistics(sonoma: Race) -> None:
    """A document without a Statistics section says what is not recorded."""
    bare = sonoma.model_copy(update={"statistics": type(sonoma.statistics)()})
    answer = StatsAnswer(
        race=bare, statistics=bare.statistics, entries=1, starters=1, classified=1, dnf=0, dns=0,
        nc=0,
    )  # fmt: skip
    values = field_values(only_card(answer))
    assert values["Pole position"] == values["Race duration"] == "not recorded"


def test_race_card(sonoma: Race) -> None:
    """/race: facts, winner, class winners and the article's prose."""
    card = only_card(RaceAnswer(race=sonoma))
    assert card.title == "2003 Grand Prix of Sonoma"
    assert card.description.startswith("The 2003 Infineon Grand Prix of Sonoma was the third race")
    assert "Dyson Lola\\-MG defeated" in card.description
    values = field_values(card)
    assert values["Series"] == "American Le Mans Series · round 3"
    assert values["Circuit"] == "Infineon Raceway, California"
    assert values["Date"] == "July 27, 2003"
    assert values["Winner"] == (
        "\\#16 Dyson Racing (LMP675)\nButch Leitzinger, James Weaver\nMG\\-Lola EX257 · 102 laps"
    )
    assert values["Class winners"].splitlines()[1] == r"**LMP900** · \#1 Infineon Team Joest"
    assert values["Entries"] == "36 cars · 4 classes"
    assert card.colour == class_colour("LMP675")


def test_race_card_truncates_long_prose(sonoma: Race) -> None:
    """A long article is cut with an ellipsis, keeping the card small."""
    long = sonoma.model_copy(update={"prose": ("Word " * 2000,)})
    card = only_card(RaceAnswer(race=long))
    assert card.description.endswith("…")
    assert len(card.description) == INTRO_CAP
    assert card.description.startswith("Word Word")


def test_races_card(sonoma: Race) -> None:
    """/races: one line per race."""
    card = only_card(RacesAnswer(races=(sonoma,)))
    assert card.description.splitlines() == [
        "1 race, newest first",
        "",
        "**2003 Grand Prix of Sonoma** · July 27, 2003 · Infineon Raceway"
        " · American Le Mans Series round 3 · 36 cars",
    ]
    assert only_card(RacesAnswer(races=())).description == "No races are loaded."


def test_help_card() -> None:
    """/help: one field per command with its example in code."""
    answer = HelpAnswer(
        commands=(
            CommandHelp(
                name="result",
                usage="/result query:<name>",
                description="Where it finished.",
                example="/result Dyson",
            ),
        )
    )
    card = only_card(answer)
    assert card.fields == (
        CardField("/result query:<name\\>", "Where it finished.\nExample: `/result Dyson`"),
    )


def test_not_found_card() -> None:
    """Nothing matched: the subject, the query and the names to try; only the asker sees it."""
    answer = NotFoundAnswer(
        subject=Subject.DRIVER, query="Schumacher", suggestions=("Johnny Herbert", "JJ Lehto")
    )
    card = only_card(answer)
    assert card.title == "Nothing found"
    assert card.description == (
        "No driver matches “Schumacher”. Did you mean: **Johnny Herbert**, **JJ Lehto**?"
    )
    assert card.ephemeral


def test_ambiguous_card() -> None:
    """Several matches: each listed, with a request to be more specific."""
    answer = AmbiguousAnswer(subject=Subject.CLASS, query="LMP", options=("LMP675", "LMP900"))
    card = only_card(answer)
    assert card.description.splitlines() == [
        "“LMP” matches several classes. Be more specific, for example:",
        "",
        "• LMP675",
        "• LMP900",
    ]
    assert card.ephemeral


def test_ambiguous_card_counts_the_unlisted() -> None:
    """Matches beyond the listed options are counted on the last line."""
    answer = AmbiguousAnswer(
        subject=Subject.DRIVER, query="Hoffmann", options=("A Hoffmann", "B Hoffmann"), more=275
    )
    assert only_card(answer).description.splitlines()[-1] == "…and 275 more"


def test_invalid_card_escapes_the_message() -> None:
    """A usage problem is shown as written, its markdown and mentions defused."""
    card = only_card(InvalidAnswer(message="Bad **input** @everyone <@1>"))
    assert card.description == (
        f"Bad \\*\\*input\\*\\* @{ZERO_WIDTH_SPACE}everyone <@{ZERO_WIDTH_SPACE}1\\>"
    )
    assert card.ephemeral


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
        DriverAnswer(driver=" ", appearances=(DriverRace(race=race, entry=entry),)),
        RaceAnswer(race=race),
        ResultsAnswer(race=race, query=" ", matched=(" ",), cars=(entry,)),
    ):
        card = only_card(answer)
        assert card.title.strip()
        assert_within_limits([card])
    driver_card = only_card(
        DriverAnswer(driver=" ", appearances=(DriverRace(race=race, entry=entry),))
    )
    assert driver_card.title == "—"


# --- Paging -------------------------------------------------------------------------------------


def test_many_cars_are_paged(sonoma: Race) -> None:
    """All 36 cars in one /result answer: ten per page, "page n/N" in every footer."""
    answer = ResultsAnswer(race=sonoma, query="R", matched=(), cars=sonoma.entries)
    cards = answer_cards(answer)
    assert [len(card.fields) for card in cards] == [10, 10, 10, 6]
    assert [card.footer for card in cards] == [
        f"Source: {SOURCE} · page {page}/4" for page in range(1, 5)
    ]
    assert_within_limits(cards)


def test_a_36_car_class_listing_is_paged(sonoma: Race) -> None:
    """A class listing longer than a page continues on the next, the counts on every page."""
    answer = ClassAnswer(race=sonoma, class_="ALL", entries=sonoma.entries)
    cards = answer_cards(answer)
    assert len(cards) == 2
    lines = [line for card in cards for line in card.description.splitlines()[2:]]
    assert len(lines) == 36
    assert all(card.description.startswith("36 cars · 28 classified") for card in cards)
    assert cards[1].footer.endswith("page 2/2")


def test_driver_across_many_races_is_paged() -> None:
    """A driver in sixty synthetic races: eight races a page, all within limits."""
    appearances = []
    for race in synthetic_races(60, seed=3):
        entry = race.entries[0]
        crew = ("Johnny Herbert", *entry.drivers[1:])
        appearances.append(DriverRace(race=race, entry=entry.model_copy(update={"drivers": crew})))
    cards = answer_cards(DriverAnswer(driver="Johnny Herbert", appearances=tuple(appearances)))
    assert len(cards) == 8
    assert [len(card.fields) for card in cards] == [8] * 7 + [4]
    assert cards[0].description == "60 races · 60 cars"
    assert cards[0].footer.startswith("Sources: ")
    assert cards[0].footer.endswith("page 1/8")
    assert_within_limits(cards)


def test_card_refuses_to_exceed_limits() -> None:
    """A Card built by hand past a limit is rejected, naming the limit."""
    with pytest.raises(ValueError, match="title"):
        Card(title="x" * 257, description="", colour=0)
    with pytest.raises(ValueError, match="fields"):
        Card(title="t", description="", colour=0, fields=(CardField("n", "v"),) * 26)
    with pytest.raises(ValueError, match="in all"):
        Card(title="t", description="d" * 4000, colour=0, footer="f" * 2001)
    assert card_problems(Card(title="t", description="d", colour=0)) == []


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
                DriverRace(race=item, entry=entry)
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
            return RacesAnswer(races=(race,) * draw(st.integers(0, 60)))
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
