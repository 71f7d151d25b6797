"""The cogs, called as Discord calls them: each command's message, autocomplete, owner commands."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import discord
import pytest
from discord import app_commands

from bot.discord.checks import NotOwner
from bot.discord.client import RaceBot
from bot.discord.rendering import message_payload
from bot.discord.views import AnswerView
from cogs.results import (
    car_choices,
    class_choices,
    driver_choices,
    query_choices,
    race_choices,
    season_choices,
    side_choices,
)
from tests.paths import RACES

MakeInteraction = Callable[..., Any]
ReadEmbed = Callable[[discord.Embed], str]

SEEDS = RACES
OWNER = 4711


async def _passes(check: Callable[[Any], Any], interaction: Any) -> bool:
    """Run an app-command check, awaiting it when it is a coroutine (discord.py allows both)."""
    outcome = check(interaction)
    return bool(await outcome if inspect.isawaitable(outcome) else outcome)


def _command(bot: RaceBot, name: str) -> app_commands.Command[Any, ..., Any]:
    command = bot.tree.get_command(name)
    assert isinstance(command, app_commands.Command), name
    return command


async def invoke(bot: RaceBot, command_name: str, interaction: Any, /, **options: Any) -> None:
    """Run a command's callback as the tree would after parsing the options."""
    command = _command(bot, command_name)
    await command.callback(command.binding, interaction, **options)  # type: ignore[arg-type]


# --- Questions ---------------------------------------------------------------------------------


async def test_result_dyson_is_public_and_names_both_cars(
    racebot: RaceBot, make_interaction: MakeInteraction, read_embed: ReadEmbed
) -> None:
    """/result Dyson: one public embed with #16 and #20."""
    interaction = make_interaction(racebot)
    await invoke(racebot, "result", interaction, query="Dyson")
    message = interaction.message_sent
    assert not message.ephemeral
    assert message.view is None
    [embed] = message.embeds
    text = read_embed(embed)
    assert "#16" in text
    assert "#20" in text


async def test_driver_not_found_is_ephemeral(
    racebot: RaceBot, make_interaction: MakeInteraction, read_embed: ReadEmbed
) -> None:
    """/driver Schumacher: nobody of that name, told only to the asker."""
    interaction = make_interaction(racebot)
    await invoke(racebot, "driver", interaction, name="Schumacher")
    message = interaction.message_sent
    assert message.ephemeral
    assert "Schumacher" in read_embed(message.embeds[0])


QUESTIONS = [
    ("result", {"query": "Dyson"}),
    ("result", {"query": "Racing"}),
    ("result", {"query": "Dyson", "race": "Sonoma"}),
    ("class", {}),
    ("class", {"class_": "GTS", "race": "2003"}),
    ("driver", {"name": "Johnny Herbert"}),
    ("driver", {"name": "Schumacher"}),
    ("car", {"number": "16"}),
    ("car", {"number": "999"}),
    ("stats", {}),
    ("race", {"race": "Sonoma"}),
    ("races", {}),
    ("help", {}),
    ("compare", {"first": "Herbert", "second": "Werner"}),
    ("compare", {"first": "Herbert", "second": "Lehto", "race": "2003"}),
    ("compare", {"first": "Field", "second": "Herbert"}),
    ("season", {}),
    ("season", {"series": "ALMS", "year": "2003"}),
    ("season", {"series": "NASCAR"}),
]


@pytest.mark.parametrize(("name", "options"), QUESTIONS)
async def test_every_question_sends_the_rendered_answer(
    racebot: RaceBot, make_interaction: MakeInteraction, name: str, options: dict[str, Any]
) -> None:
    """Each command sends exactly rendering.message_payload of the service's answer."""
    interaction = make_interaction(racebot)
    await invoke(racebot, name, interaction, **options)
    message = interaction.message_sent
    ask_options = {key.rstrip("_"): value for key, value in options.items()}
    expected = message_payload(racebot.service.ask(name, **ask_options))
    assert [embed.to_dict() for embed in message.embeds] == expected["embeds"]
    assert message.ephemeral == bool(expected.get("flags", 0) & 64)
    if "components" in expected:
        assert isinstance(message.view, AnswerView)
        assert message.view.to_components() == expected["components"]
    else:
        assert message.view is None


async def test_long_answer_pages_for_the_asker_only(
    racebot: RaceBot, make_interaction: MakeInteraction
) -> None:
    """A many-car answer comes with a paginator owned by the asker, tied to its message."""
    interaction = make_interaction(racebot, user_id=77)
    await invoke(racebot, "result", interaction, query="Racing")
    message = interaction.message_sent
    assert message is not None
    view = message.view
    assert isinstance(view, AnswerView)
    assert len(view.pages) > 1
    assert view.owner_id == 77
    assert message.embeds == [view.pages[0]]
    assert view.message is message


async def test_answer_after_a_deferral_is_a_followup(
    racebot: RaceBot, make_interaction: MakeInteraction
) -> None:
    """If the interaction was answered already, the answer goes as a follow-up."""
    interaction = make_interaction(racebot)
    await interaction.response.defer()
    await invoke(racebot, "result", interaction, query="Racing")
    message = interaction.message_sent
    assert isinstance(message.view, AnswerView)
    assert message.view.message is message


async def test_questions_share_a_generous_per_user_cooldown(
    racebot: RaceBot, make_interaction: MakeInteraction
) -> None:
    """Five questions in ten seconds pass; the sixth, on any command, is told to wait."""
    asker = make_interaction(racebot, user_id=1)
    names = ["result", "driver", "class", "car", "stats", "race"]
    checks = {name: _command(racebot, name).checks for name in names}
    assert all(len(command_checks) == 1 for command_checks in checks.values())
    for name in names[:5]:
        assert await _passes(checks[name][0], asker)
    with pytest.raises(app_commands.CommandOnCooldown):
        await _passes(checks[names[5]][0], asker)
    assert await _passes(checks["result"][0], make_interaction(racebot, user_id=2))


# --- Autocomplete -----------------------------------------------------------------------------


AUTOCOMPLETE = [
    (query_choices, "", {}),
    (query_choices, "Dys", {}),
    (query_choices, "x" * 500, {}),
    (class_choices, "", {}),
    (class_choices, "G", {"race": "Sonoma"}),
    (driver_choices, "", {}),
    (driver_choices, "Her", {"race": "2003"}),
    (car_choices, "1", {}),
    (car_choices, "", {"race": "no such race"}),
    (race_choices, "", {}),
    (race_choices, "son", {}),
    (side_choices, "", {}),
    (side_choices, "Dys", {}),
    (side_choices, "1", {"race": "Sonoma"}),
    (season_choices, "", {}),
    (season_choices, "alms", {}),
]


@pytest.mark.parametrize(("callback", "typed", "namespace"), AUTOCOMPLETE)
async def test_autocomplete_fits_discord(
    racebot: RaceBot,
    make_interaction: MakeInteraction,
    callback: Callable[..., Any],
    typed: str,
    namespace: dict[str, str],
) -> None:
    """At most 25 choices, each name and value 1-100 characters, no duplicates."""
    choices = await callback(make_interaction(racebot, namespace=namespace), typed)
    assert len(choices) <= 25
    for choice in choices:
        assert isinstance(choice, app_commands.Choice)
        assert 1 <= len(choice.name) <= 100
        assert 1 <= len(choice.value) <= 100
    assert len({choice.value for choice in choices}) == len(choices)


async def test_autocomplete_puts_the_best_match_first(
    racebot: RaceBot, make_interaction: MakeInteraction
) -> None:
    """Typing part of a name offers that name first."""
    interaction = make_interaction(racebot)
    assert (await query_choices(interaction, "Dys"))[0].value == "Dyson Racing"
    assert (await driver_choices(interaction, "Herbert"))[0].value == "Johnny Herbert"
    assert (await car_choices(interaction, "16"))[0].value == "16"
    assert (await race_choices(interaction, "sonoma"))[0].value == "2003 Grand Prix of Sonoma"


async def test_class_autocomplete_follows_the_chosen_race(
    racebot: RaceBot, make_interaction: MakeInteraction
) -> None:
    """The classes offered are those of the race typed in the same command."""
    in_sonoma = make_interaction(racebot, namespace={"race": "Sonoma"})
    assert {c.value for c in await class_choices(in_sonoma, "")} == {
        "LMP675",
        "LMP900",
        "GTS",
        "GT",
    }
    nowhere = make_interaction(racebot, namespace={"race": "Monaco 1955"})
    assert await class_choices(nowhere, "") == []


# --- Owner commands ----------------------------------------------------------------------------


async def test_owner_commands_refuse_everyone_else(
    racebot: RaceBot, make_interaction: MakeInteraction
) -> None:
    """/reload and /sync pass their check for the owner and raise NotOwner for others."""
    racebot.owner_id = OWNER
    for name in ("reload", "sync"):
        checks = _command(racebot, name).checks
        assert checks
        for check in checks:
            assert await _passes(check, make_interaction(racebot, user_id=OWNER))
            with pytest.raises(NotOwner):
                await _passes(check, make_interaction(racebot, user_id=OWNER + 1))


def _point_at(bot: RaceBot, folder: Path) -> None:
    """Make `folder` the seeds folder the bot mirrors into its store on /reload."""
    bot.settings = bot.settings.model_copy(update={"seeds_dir": folder})
    bot.keeper.seeds_dir = folder


def _seed_folder(folder: Path, *, good: bool) -> Path:
    folder.mkdir()
    if good:
        for seed in SEEDS.glob("*.txt"):
            (folder / seed.name).write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    else:
        (folder / "junk.txt").write_text("= Junk =\n\nno results here\n", encoding="utf-8")
    return folder


async def test_reload_with_good_documents_swaps_the_service(
    racebot: RaceBot, make_interaction: MakeInteraction, tmp_path: Path
) -> None:
    """/reload of a good folder: defers privately, swaps the service, says how many races."""
    folder = _seed_folder(tmp_path / "good", good=True)
    _point_at(racebot, folder)
    old = racebot.service
    interaction = make_interaction(racebot, user_id=OWNER)
    await invoke(racebot, "reload", interaction)
    assert interaction.response.deferred == {"ephemeral": True, "thinking": True}
    assert racebot.service is not old
    message = interaction.message_sent
    assert message.ephemeral
    assert message.content.startswith("Loaded 1 race from")


async def test_reload_with_bad_documents_keeps_the_service(
    racebot: RaceBot, make_interaction: MakeInteraction, tmp_path: Path
) -> None:
    """/reload of a folder with no valid race keeps the old library and names file:line."""
    folder = _seed_folder(tmp_path / "bad", good=False)
    _point_at(racebot, folder)
    old = racebot.service
    interaction = make_interaction(racebot, user_id=OWNER)
    await invoke(racebot, "reload", interaction)
    assert racebot.service is old
    message = interaction.message_sent
    assert message.ephemeral
    assert message.content.startswith("Loaded 1 race from")  # the one it had
    assert "Skipped 1 bad document(s):\n- junk.txt:" in message.content


async def test_reload_with_many_bad_documents_attaches_the_list(
    racebot: RaceBot, make_interaction: MakeInteraction, tmp_path: Path
) -> None:
    """/reload with more bad documents than the message lists: the full list goes as a file."""
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(30):
        (folder / f"junk{number:02}.txt").write_text("no results here\n", encoding="utf-8")
    _point_at(racebot, folder)
    interaction = make_interaction(racebot, user_id=OWNER)
    await invoke(racebot, "reload", interaction)
    message = interaction.message_sent
    assert message.ephemeral
    assert message.content is not None
    assert len(message.content) <= 2000
    assert message.content.endswith("more: all are in reload-errors.txt")
    [attached] = message.files
    assert attached.filename == "reload-errors.txt"
    assert attached.fp.read().decode("utf-8").count("junk") == 30


async def test_sync_command_syncs_globally(
    racebot: RaceBot, make_interaction: MakeInteraction, monkeypatch: pytest.MonkeyPatch
) -> None:
    """/sync registers the commands globally and says how many, privately."""
    scopes: list[int | None] = []

    async def sync_commands(guild_id: int | None = None) -> list[object]:
        scopes.append(guild_id)
        return [object()] * 10

    monkeypatch.setattr(racebot, "sync_commands", sync_commands)
    interaction = make_interaction(racebot, user_id=OWNER)
    await invoke(racebot, "sync", interaction)
    assert scopes == [None]
    assert interaction.response.deferred == {"ephemeral": True, "thinking": True}
    assert interaction.message_sent.content == "Registered 10 commands globally."
    assert interaction.message_sent.ephemeral


@pytest.mark.parametrize(
    ("callback", "typed", "namespace"),
    [
        (query_choices, "x" * 500, {}),
        (driver_choices, "zzzzqqq", {}),
        (car_choices, "", {"race": "no such race"}),
        (class_choices, "", {"race": "no such race"}),
    ],
)
async def test_autocomplete_offers_nothing_when_nothing_fits(
    racebot: RaceBot,
    make_interaction: MakeInteraction,
    callback: Callable[..., Any],
    typed: str,
    namespace: dict[str, str],
) -> None:
    """Over-long text, a name like nobody's and an unknown race get no choices, not noise."""
    assert await callback(make_interaction(racebot, namespace=namespace), typed) == []
