"""Help and refusals as cards: texts, escaping and who sees them."""

from __future__ import annotations

from bot.core.asking.answers import (
    AmbiguousAnswer,
    CommandHelp,
    HelpAnswer,
    InvalidAnswer,
    NotFoundAnswer,
    Subject,
)
from bot.present.pages import CardField
from bot.present.text import ZERO_WIDTH_SPACE
from tests.present.support import only_card


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
    assert card.title == "Did you mean…?"
    assert card.description == (
        "No driver matches “Schumacher”. Did you mean: **Johnny Herbert**, **JJ Lehto**?"
    )
    assert card.ephemeral
    bare = only_card(NotFoundAnswer(subject=Subject.DRIVER, query="Schumacher"))
    assert (bare.title, bare.description) == ("Nothing found", "No driver matches “Schumacher”.")


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
