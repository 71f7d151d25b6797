"""/chart as a card: heading, date, circuit, and the picture named as an attachment."""

from __future__ import annotations

import pytest

from bot.core.asking.answers import ChartAnswer
from bot.core.documents.model import Race
from bot.present.formatters.chart import chart_filename
from bot.present.pages import Card, attachment_name
from tests.present.support import SOURCE, assert_within_limits, field_values, only_card


def test_chart_card(sonoma: Race) -> None:
    """Title, date and circuit, a reading guide, the source, and the image to attach."""
    card = only_card(ChartAnswer(race=sonoma))
    assert card.title == "2003 Grand Prix of Sonoma"
    assert field_values(card) == {
        "Date": "Sun 27 Jul 2003",  # the day the document gives, as text
        "Circuit": "Infineon Raceway, California",
    }
    assert "One bar per car" in card.description
    assert card.footer == f"Source: {SOURCE}"
    assert card.image == "attachment://chart-2003-grand-prix-of-sonoma.png"
    assert attachment_name(card.image) == "chart-2003-grand-prix-of-sonoma.png"
    assert not card.ephemeral
    assert_within_limits([card])


@pytest.mark.parametrize(
    ("title", "filename"),
    [
        ("2003 Grand Prix of Sonoma", "chart-2003-grand-prix-of-sonoma.png"),
        ("Grande Prêmio São Paulo 2022!", "chart-grande-premio-sao-paulo-2022.png"),
        ("Гран-при", "chart-race.png"),
        ("x" * 300, f"chart-{'x' * 60}.png"),
    ],
)
def test_chart_filenames_are_ones_discord_resolves(sonoma: Race, title: str, filename: str) -> None:
    """Accents folded, anything else a dash, capped; a title with no Latin letters is "race"."""
    race = sonoma.model_copy(update={"title": title})
    assert chart_filename(race) == filename
    assert only_card(ChartAnswer(race=race)).image == f"attachment://{filename}"


@pytest.mark.parametrize(
    "image",
    [
        "attachment://my chart.png",
        "attachment://",
        "http://example.com/a.png",
        "https://example.com/" + "a" * 2048,
    ],
)
def test_a_card_refuses_an_image_discord_would_not_show(image: str) -> None:
    """Unresolvable attachment names, plain http and over-long URLs are refused when built."""
    with pytest.raises(ValueError, match=r"image|attachment"):
        Card(title="t", description="d", colour=0, image=image)
