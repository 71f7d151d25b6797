"""Files through the stand-in: multipart callbacks and follow-ups, and attachment references."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from typing import Any

import discord
import pytest_asyncio
from discord import app_commands
from discord.ext import commands

from bench.standin import DiscordStandin
from bench.uploads import PNG_SIGNATURE, Upload, validate_attachments

DOT = PNG_SIGNATURE + b"not a real image, but it starts like one"


def _picture(name: str = "dot.png", shown: str | None = None) -> tuple[discord.Embed, discord.File]:
    """An embed showing `attachment://<shown>` and a file called `name`."""
    embed = discord.Embed(title="Picture").set_image(url=f"attachment://{shown or name}")
    return embed, discord.File(io.BytesIO(DOT), filename=name)


@app_commands.command(description="Send a picture in the response")
async def picture(interaction: discord.Interaction) -> None:
    """Answer with an embed and the file it shows."""
    embed, file = _picture()
    await interaction.response.send_message(embed=embed, file=file)


@app_commands.command(description="Think, then send a picture as a follow-up")
async def later(interaction: discord.Interaction) -> None:
    """Defer, then follow up with an embed and the file it shows."""
    await interaction.response.defer(thinking=True)
    embed, file = _picture()
    await interaction.followup.send(embed=embed, file=file)


@app_commands.command(description="Show a picture that was never sent")
async def broken(interaction: discord.Interaction) -> None:
    """Answer with an embed naming a file that is not attached (plain JSON)."""
    embed = discord.Embed(title="Picture").set_image(url="attachment://missing.png")
    await interaction.response.send_message(embed=embed)


class UploadBot(commands.Bot):
    """A plain bot whose commands send files."""

    def __init__(self) -> None:
        """Default intents, a short guild_ready_timeout."""
        super().__init__(
            command_prefix="!", intents=discord.Intents.default(), guild_ready_timeout=0.1
        )

    async def setup_hook(self) -> None:
        """Register the commands."""
        tree_commands: list[app_commands.Command[Any, ..., Any]] = [picture, later, broken]
        for command in tree_commands:
            self.tree.add_command(command)


@pytest_asyncio.fixture
async def bot(discord_standin: DiscordStandin) -> AsyncIterator[UploadBot]:
    """A ready UploadBot connected to the stand-in."""
    client = UploadBot()
    async with discord_standin.running(client):
        yield client


async def test_a_callback_with_a_file_is_read_whole(
    discord_standin: DiscordStandin, bot: UploadBot
) -> None:
    """A multipart callback: payload_json, files[0] with its bytes, the message's attachment."""
    iid = await discord_standin.send_command("picture")
    body = await discord_standin.wait_for_callback(iid)
    [callback] = discord_standin.callbacks(iid)
    assert body["type"] == 4
    assert body["data"]["attachments"] == [{"id": 0, "filename": "dot.png"}]
    assert [(u.part, u.filename, u.data) for u in callback.uploads] == [
        ("files[0]", "dot.png", DOT)
    ]
    message = discord_standin.messages[discord_standin.interactions[iid].original_message_id or 0]
    assert [a["filename"] for a in message["attachments"]] == ["dot.png"]
    discord_standin.assert_clean()


async def test_a_follow_up_with_a_file_is_read_whole(
    discord_standin: DiscordStandin, bot: UploadBot
) -> None:
    """Defer, then a multipart follow-up webhook carrying the file the embed shows."""
    iid = await discord_standin.send_command("later")
    assert (await discord_standin.wait_for_callback(iid))["type"] == 5
    token = discord_standin.interactions[iid].token
    followup = await discord_standin.wait_for_request(
        lambda r: r.method == "POST" and r.path.endswith(token)
    )
    assert followup.status == 200
    assert followup.body["embeds"][0]["image"]["url"] == "attachment://dot.png"
    assert [u.data for u in followup.uploads] == [DOT]
    discord_standin.assert_clean()


async def test_an_embed_naming_no_attachment_is_refused(
    discord_standin: DiscordStandin, bot: UploadBot
) -> None:
    """`attachment://missing.png` without that file: 400 and a violation on the embed."""
    iid = await discord_standin.send_command("broken")
    rejected = await discord_standin.wait_for_request(lambda r: r.path.endswith("/callback"))
    assert rejected.status == 400
    assert discord_standin.callback_count(iid) == 0
    assert [(v.path, v.problem) for v in discord_standin.violations] == [
        ("data.embeds[0].image.url", "no attachment is named 'missing.png'")
    ]


def _body(url: str, attachments: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"embeds": [{"image": {"url": url}}]}
    if attachments is not None:
        body["attachments"] = attachments
    return body


def test_attachment_checks() -> None:
    """Renames count, unsent ids, unresolvable names and non-PNG data are each reported."""
    upload = Upload("files[0]", "a.png", "image/png", DOT)
    renamed = _body("attachment://b.png", [{"id": 0, "filename": "b.png"}])
    assert validate_attachments(renamed, [upload]) == []
    assert validate_attachments(_body("attachment://a.png", [{"id": 1}]), [upload]) == [
        ("attachments[0].id", "no files[1] part was sent")
    ]
    spaced = Upload("files[0]", "a b.png", "image/png", DOT)
    assert validate_attachments(_body("attachment://a b.png"), [spaced]) == [
        ("embeds[0].image.url", "'a b.png' is not a name attachment:// resolves")
    ]
    fake = Upload("files[0]", "a.png", "image/png", b"GIF89a")
    assert validate_attachments(_body("attachment://a.png"), [fake]) == [
        ("embeds[0].image.url", "'a.png' is not a PNG")
    ]
    assert validate_attachments(_body("https://example.com/a.png")) == []
