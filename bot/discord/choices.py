"""The choices an answer offers ("Which one?", "Did you mean …?") as buttons or a select menu.

Up to five choices are buttons in one row; six to 25 are one select menu (further choices are
left out). A custom id carries only the choice's place: `racebot:choice:2` for a button, and
`racebot:choices` for the menu, whose option values are places. The questions themselves stay
in the live view, so a press the view no longer hears (it timed out, or the bot restarted) reaches
the view registered at start-up for every such id (`ExpiredControls`), which asks the user to
ask again.

The same items build the payload (`bot.discord.rendering`) and the live view
(`bot.discord.views`), so `racebot ask --json` prints exactly the components the bot sends.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import discord

from bot.core.asking.answers import AmbiguousAnswer, Answer, Choice, NotFoundAnswer
from bot.discord.paging import page_buttons
from bot.present.limits import (
    ACTION_ROW_LIMIT,
    BUTTONS_PER_ROW_LIMIT,
    LABEL_LIMIT,
    SELECT_OPTION_LIMIT,
)
from bot.present.text import plain, truncate

CHOICE_ID_PREFIX: Final = "racebot:choice:"
"""A choice button's custom id is this and the choice's place (0-based)."""
CHOICE_SELECT_ID: Final = "racebot:choices"
CHOICE_PLACEHOLDER: Final = "Choose one…"
ACTION_ROW: Final = 1


class ChoosingView(discord.ui.View):
    """A view with choices: a press calls `choose` with the chosen place."""

    async def choose(self, interaction: discord.Interaction[Any], index: int) -> None:
        """Answer the press of choice `index` (0-based; possibly out of range if forged)."""
        raise NotImplementedError


def choice_label(label: str, index: int) -> str:
    """A choice's label as a button or menu option shows it: plain text, at most 80 long."""
    return truncate(plain(label), LABEL_LIMIT) or f"Choice {index + 1}"


class ChoiceButton(discord.ui.Button[ChoosingView]):
    """One choice as a button."""

    def __init__(self, index: int, label: str, *, row: int | None = None) -> None:
        super().__init__(
            label=choice_label(label, index),
            style=discord.ButtonStyle.primary,
            custom_id=f"{CHOICE_ID_PREFIX}{index}",
            row=row,
        )
        self.index = index

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Hand the press to the view this button belongs to."""
        if self.view is None:  # pragma: no cover - discord.py only dispatches attached items
            raise RuntimeError("a choice pressed outside a view")
        await self.view.choose(interaction, self.index)


class ChoiceSelect(discord.ui.Select[ChoosingView]):
    """Six to 25 choices as one select menu; each option's value is its place."""

    def __init__(self, labels: Sequence[str], *, row: int | None = None) -> None:
        super().__init__(
            custom_id=CHOICE_SELECT_ID,
            placeholder=CHOICE_PLACEHOLDER,
            min_values=1,
            max_values=1,
            options=[
                discord.SelectOption(label=choice_label(label, index), value=str(index))
                for index, label in enumerate(labels[:SELECT_OPTION_LIMIT])
            ],
            row=row,
        )

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Hand the picked place to the view; a value that is not a place reads as none."""
        if self.view is None:  # pragma: no cover - discord.py only dispatches attached items
            raise RuntimeError("a choice picked outside a view")
        value = self.values[0] if self.values else ""
        await self.view.choose(interaction, int(value) if value.isdecimal() else -1)


def answer_choices(answer: Answer) -> tuple[Choice, ...]:
    """The choices an answer offers, at most as many as one menu holds."""
    if isinstance(answer, NotFoundAnswer | AmbiguousAnswer):
        return answer.choices[:SELECT_OPTION_LIMIT]
    return ()


def choice_items(choices: Sequence[Choice], *, row: int = 0) -> list[discord.ui.Item[Any]]:
    """The choices as one row: buttons when they fit in a row, else one select menu."""
    if not choices:
        return []
    if len(choices) <= BUTTONS_PER_ROW_LIMIT:
        return [ChoiceButton(i, choice.label, row=row) for i, choice in enumerate(choices)]
    return [ChoiceSelect([choice.label for choice in choices], row=row)]


def answer_items(choices: Sequence[Choice], page: int, pages: int) -> list[discord.ui.Item[Any]]:
    """Every control under one page: the choices' row, then ◀ ▶ when there are pages."""
    items = choice_items(choices, row=0)
    if pages > 1:
        items += page_buttons(page, pages, row=1 if items else 0)
    return items


def component_rows(items: Sequence[discord.ui.Item[Any]]) -> list[dict[str, Any]]:
    """The items as action rows, by their row, as discord.py's view sends them."""
    rows: dict[int, list[dict[str, Any]]] = {}
    for item in items:
        rows.setdefault(item.row or 0, []).append(dict(item.to_component_dict()))
    if len(rows) > ACTION_ROW_LIMIT:
        raise ValueError(f"{len(rows)} rows of components; Discord takes {ACTION_ROW_LIMIT}")
    return [{"type": ACTION_ROW, "components": rows[row]} for row in sorted(rows)]
