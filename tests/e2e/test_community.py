"""/import, /settings, announcements and private answers, through discord.py and the stand-in."""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any

import discord
import pytest
import pytest_asyncio

from bench.standin import EPHEMERAL, DiscordStandin
from bot.discord.client import RaceBot, build_bot
from bot.loader import open_keeper
from bot.settings import Settings
from bot.store import GuildSettings
from cogs import EXTENSIONS
from tests.e2e.support import TOKEN, fresh_user, is_ephemeral, text_of
from tests.paths import SEED as FIXTURE_SEED

SEED = FIXTURE_SEED
EDITOR = 7_100_000_000_000_000_001
MEMBER = 7_100_000_000_000_000_002
OTHER_CHANNEL = 7_100_000_000_000_000_010
OTHER_GUILD, OTHER_GUILD_CHANNEL = 7_100_000_000_000_000_020, 7_100_000_000_000_000_021
CAN_ANNOUNCE = str(
    discord.Permissions(view_channel=True, send_messages=True, embed_links=True).value
)


def document(title: str, date: dt.date, *, bom: bool = False) -> bytes:
    """The seed document renamed and re-dated: a new race that parses."""
    text = SEED.read_text(encoding="utf-8")
    text = text.replace("= 2003 Grand Prix of Sonoma =", f"= {title} =", 1)
    text = text.replace("July 27, 2003", f"{date:%B} {date.day}, {date.year}", 1)
    return ("\ufeff" if bom else "").encode() + text.encode("utf-8")


@pytest_asyncio.fixture
async def standin(clean_env: Path) -> AsyncIterator[DiscordStandin]:
    """A stand-in whose guild lets the bot post, with a second channel."""
    async with DiscordStandin(token=TOKEN) as server:
        server.everyone_permissions = CAN_ANNOUNCE
        server.extra_channel_ids.append(OTHER_CHANNEL)
        with server.patched():
            yield server


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    """A seeds folder holding the seed, and an empty data folder."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds)
    return seeds, tmp_path / "data"


async def new_bot(standin: DiscordStandin, folders: tuple[Path, Path]) -> RaceBot:
    """The bot as `racebot run` builds it, over the test folders, with one editor."""
    seeds, data = folders
    settings = Settings(
        DISCORD_TOKEN=TOKEN,
        DISCORD_GUILD_ID=standin.guild_id,
        RACEBOT_SEEDS_DIR=seeds,
        RACEBOT_DATA_DIR=data,
        RACEBOT_EDITOR_IDS=str(EDITOR),
    )
    keeper = await open_keeper(settings)
    assert await keeper.problems() == []
    return build_bot(settings, keeper, extensions=EXTENSIONS, guild_ready_timeout=0.05)


@pytest_asyncio.fixture
async def live_bot(standin: DiscordStandin, folders: tuple[Path, Path]) -> AsyncIterator[RaceBot]:
    """racebot logged in and ready over the test folders."""
    bot = await new_bot(standin, folders)
    async with standin.running(bot, token=TOKEN):
        yield bot


async def followup_of(standin: DiscordStandin, iid: int) -> dict[str, Any]:
    """The first follow-up message of an interaction."""
    token = standin.interactions[iid].token
    request = await standin.wait_for_request(
        lambda r: r.method == "POST" and r.path.endswith(f"/{token}"), timeout=10.0
    )
    body: dict[str, Any] = request.body
    return body


async def start_import(
    standin: DiscordStandin, data: bytes, name: str = "race.txt", **options: Any
) -> int:
    """Upload a document and invoke /import as the editor; the interaction id."""
    user = options.pop("user", EDITOR)
    attachment = standin.add_attachment(name, data)
    return await standin.send_command("import", {"file": attachment, **options}, user_id=user)


async def import_text(
    standin: DiscordStandin, data: bytes, name: str = "race.txt", **kw: Any
) -> str:
    """/import a document; the private reply's text."""
    iid = await start_import(standin, data, name, **kw)
    assert await standin.wait_for_callback(iid) == {"type": 5, "data": {"flags": EPHEMERAL}}
    reply = await followup_of(standin, iid)
    assert reply["flags"] == EPHEMERAL
    text: str = reply["content"]
    return text


async def command(
    standin: DiscordStandin, name: str, options: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Invoke a command answered at once; the message data."""
    iid = await standin.send_command(name, options, user_id=fresh_user())
    body = await standin.wait_for_callback(iid)
    assert body["type"] == 4, body
    data: dict[str, Any] = body["data"]
    return data


async def announced(standin: DiscordStandin, channel: int, count: int) -> None:
    """Wait until `count` messages were posted (or refused) in a channel."""
    path = rf"/channels/{channel}/messages"
    for _ in range(500):
        if len(standin.requests_matching("POST", path)) >= count:
            return
        await asyncio.sleep(0.01)
    raise TimeoutError(f"{count} announcements in {channel} not seen")


def channel_posts(standin: DiscordStandin, channel: int) -> list[dict[str, Any]]:
    """Messages the bot posted in a channel (announcements)."""
    return [
        r.body
        for r in standin.requests_matching("POST", rf"/channels/{channel}/messages")
        if r.status == 200
    ]


async def test_import_adds_a_race_that_races_lists(
    standin: DiscordStandin, live_bot: RaceBot, folders: tuple[Path, Path]
) -> None:
    """An attachment (with a BOM) is imported, written under its title's name, and listed."""
    data = document("2004 Grand Prix of Testville", dt.date(2004, 7, 25), bom=True)
    reply = await import_text(standin, data, "../../etc/passwd")
    assert reply.startswith("Added: 2004 Grand Prix of Testville (2004-07-25)")
    [stored] = [d for d in await live_bot.store.documents() if d.origin == "import"]
    assert (stored.title, stored.source, stored.added_by) == (
        "2004 Grand Prix of Testville",
        "passwd",
        str(EDITOR),
    )
    assert await live_bot.store.body(stored.race_key) == data
    assert not (folders[0] / "2004-grand-prix-of-testville.txt").exists()
    assert "2004 Grand Prix of Testville" in text_of(await command(standin, "races"))
    standin.assert_clean()


async def test_a_bad_document_gets_file_line_messages_and_writes_nothing(
    standin: DiscordStandin, live_bot: RaceBot, folders: tuple[Path, Path]
) -> None:
    """A malformed document: its file:line problem, privately, and the folder unchanged."""
    before = sorted(folders[0].iterdir())
    bad = document("2005 Bad Race", dt.date(2005, 1, 1)).replace(b"| 102 |", b"| ninety |", 1)
    reply = await import_text(standin, bad, "bad.txt")
    assert "Not imported" in reply
    assert "bad.txt:" in reply
    assert "ninety" in reply
    assert sorted(folders[0].iterdir()) == before


async def test_duplicates_are_refused_then_replaced_keeping_the_old(
    standin: DiscordStandin, live_bot: RaceBot, folders: tuple[Path, Path]
) -> None:
    """The same race again is refused; with replace it is replaced, the old kept in history."""
    seeds = folders[0]
    original = (seeds / "2003-grand-prix-of-sonoma.txt").read_bytes()
    changed = original.replace(b"Dyson Racing", b"Dyson Racing Team", 1)
    refused = await import_text(standin, changed)
    assert "already loaded" in refused
    assert "replace" in refused
    assert (seeds / "2003-grand-prix-of-sonoma.txt").read_bytes() == original

    replaced = await import_text(standin, changed, replace=True)
    assert replaced.startswith("Replaced: 2003 Grand Prix of Sonoma")
    [stored] = await live_bot.store.documents()
    assert await live_bot.store.body(stored.race_key) == changed
    [kept] = await live_bot.store.history()
    assert (kept.body, kept.ended_how, kept.ended_by) == (original, "replaced", str(EDITOR))
    assert len(live_bot.service.library) == 1
    assert "Dyson Racing Team" in text_of(await command(standin, "result", {"query": "Dyson"}))


async def test_a_refused_import_offers_to_replace_in_one_tap(
    standin: DiscordStandin, live_bot: RaceBot
) -> None:
    """The refusal carries a Replace it button: another user is refused, the importer's press
    replaces the race (the old document kept) and the button is then disabled."""
    original = SEED.read_bytes()
    changed = original.replace(b"Dyson Racing", b"Dyson Racing Team", 1)
    iid = await start_import(standin, changed)
    await standin.wait_for_callback(iid)
    refusal = await followup_of(standin, iid)
    assert "Press **Replace it**" in refusal["content"]
    [row] = refusal["components"]
    [button] = row["components"]
    assert button["label"] == "Replace it"
    message = standin.find_message(button["custom_id"])
    other = await standin.send_button(button["custom_id"], message=message, user_id=MEMBER)
    body = await standin.wait_for_callback(other)
    assert "Only the editor who imported" in body["data"]["content"]
    assert len(await live_bot.store.history()) == 0
    press = await standin.send_button(button["custom_id"], message=message, user_id=EDITOR)
    edited = await standin.wait_for_callback(press)
    assert edited["type"] == 7  # the message is updated: the button is now disabled
    assert edited["data"]["components"][0]["components"][0]["disabled"] is True
    reply = await followup_of(standin, press)
    assert reply["content"].startswith("Replaced: 2003 Grand Prix of Sonoma")
    [kept] = await live_bot.store.history()
    assert (kept.body, kept.ended_by) == (original, str(EDITOR))
    assert "Dyson Racing Team" in text_of(await command(standin, "result", {"query": "Dyson"}))


async def test_a_non_editor_is_refused(
    standin: DiscordStandin, live_bot: RaceBot, folders: tuple[Path, Path]
) -> None:
    """A member with Manage Server but not an editor is refused privately; nothing written."""
    iid = await start_import(standin, document("2006 X", dt.date(2006, 1, 1)), user=MEMBER)
    body = await standin.wait_for_callback(iid)
    assert body["type"] == 4
    assert is_ephemeral(body["data"])
    assert "editors" in body["data"]["content"]
    assert len(list(folders[0].glob("*.txt"))) == 1


async def test_two_imports_at_once_both_complete(
    standin: DiscordStandin, live_bot: RaceBot, folders: tuple[Path, Path]
) -> None:
    """Two imports sent together are serialised; both races are written and loaded."""
    first = await start_import(standin, document("2007 Race One", dt.date(2007, 5, 1)))
    second = await start_import(standin, document("2007 Race Two", dt.date(2007, 6, 1)))
    replies = await asyncio.gather(followup_of(standin, first), followup_of(standin, second))
    assert all(reply["content"].startswith("Added") for reply in replies)
    titles = {race.title for race in live_bot.service.library}
    assert {"2007 Race One", "2007 Race Two"} <= titles
    assert len(await live_bot.store.documents()) == 3


async def test_settings_are_read_back_and_survive_a_restart(
    standin: DiscordStandin, folders: tuple[Path, Path]
) -> None:
    """/settings changes are shown, stored, and still there after a restart with the same data."""
    bot = await new_bot(standin, folders)
    async with standin.running(bot, token=TOKEN):
        options = {"announce_channel": standin.channel_id, "spoiler_days": 3, "answers": "private"}
        data = await command(standin, "settings", options)
        assert is_ephemeral(data)
        assert f"<#{standin.channel_id}>" in data["content"]
        assert "3 days" in data["content"]
        assert "private" in data["content"]
        assert "can't" not in data["content"]  # the bot may post there
    bot = await new_bot(standin, folders)
    async with standin.running(bot, token=TOKEN):
        shown = (await command(standin, "settings"))["content"]
        assert f"<#{standin.channel_id}>" in shown
        assert "3 days" in shown
        assert "private" in shown
        await standin.dispatch("GUILD_DELETE", {"id": str(standin.guild_id)})
        await asyncio.sleep(0.2)
        assert bot.guild_settings.get(standin.guild_id).spoiler_days == 0
    assert (folders[1] / "racebot.sqlite3").exists()


async def test_announcements_carry_winners_outside_the_window_only(
    standin: DiscordStandin, live_bot: RaceBot
) -> None:
    """An old race is announced with its winners; a recent one by name with a button."""
    await command(standin, "settings", {"announce_channel": standin.channel_id, "spoiler_days": 7})
    await import_text(standin, document("2008 Old Race", dt.date(2008, 8, 8)))
    await announced(standin, standin.channel_id, 1)
    [old] = channel_posts(standin, standin.channel_id)
    assert "Leitzinger" in text_of(old)
    assert "2008 Old Race" in text_of(old)
    assert not old.get("components")

    today = discord.utils.utcnow().date()
    await import_text(standin, document(f"{today.year} New Race", today))
    await announced(standin, standin.channel_id, 2)
    new = channel_posts(standin, standin.channel_id)[-1]
    assert "New Race" in text_of(new)
    assert "Leitzinger" not in text_of(new)
    [row] = new["components"]
    [button] = row["components"]
    assert button["label"] == "Show results"

    message_id = int(
        standin.requests_matching("POST", rf"/channels/{standin.channel_id}/messages")[-1].response[
            "id"
        ]
    )
    press = await standin.send_button(
        button["custom_id"], message_id=message_id, user_id=fresh_user()
    )
    shown = await standin.wait_for_callback(press)
    assert is_ephemeral(shown["data"])
    assert "Leitzinger" in text_of(shown["data"])
    standin.assert_clean()


async def test_spoiler_days_and_private_answers_make_answers_private(
    standin: DiscordStandin, live_bot: RaceBot
) -> None:
    """A recent race is answered privately with a note; answers:private makes all private."""
    today = discord.utils.utcnow().date()
    await command(standin, "settings", {"spoiler_days": 2})
    await import_text(standin, document(f"{today.year} Fresh Race", today))
    fresh = await command(standin, "race", {"race": "Fresh Race"})
    assert is_ephemeral(fresh)
    assert "spoiler window" in fresh["content"]
    old = await command(standin, "race", {"race": "Sonoma"})
    assert not is_ephemeral(old)

    await command(standin, "settings", {"answers": "private"})
    assert is_ephemeral(await command(standin, "race", {"race": "Sonoma"}))


async def test_a_refusing_announce_channel_is_survived(
    standin: DiscordStandin, live_bot: RaceBot
) -> None:
    """A 403 is marked in /settings and sent once; another server still gets its announcement."""
    await live_bot.guild_settings.update(OTHER_GUILD, announce_channel=OTHER_GUILD_CHANNEL)
    await command(standin, "settings", {"announce_channel": OTHER_CHANNEL})
    standin.forbidden_channels.add(OTHER_CHANNEL)

    await import_text(standin, document("2009 First", dt.date(2009, 1, 1)))
    await announced(standin, OTHER_GUILD_CHANNEL, 1)
    await import_text(standin, document("2009 Second", dt.date(2009, 2, 1)))
    await announced(standin, OTHER_GUILD_CHANNEL, 2)
    attempts = standin.requests_matching("POST", rf"/channels/{OTHER_CHANNEL}/messages")
    assert len(attempts) == 1  # marked after the first refusal: no retries
    assert len(channel_posts(standin, OTHER_GUILD_CHANNEL)) == 2
    shown = (await command(standin, "settings"))["content"]
    assert "not announcing" in shown


async def test_an_imported_race_is_removed_and_its_document_kept(
    standin: DiscordStandin, live_bot: RaceBot
) -> None:
    """/remove by title: gone from /races at once, its document kept in the store's history;
    a guess, a seeds/ race and a non-editor are refused."""
    data = document("2010 Removable", dt.date(2010, 3, 3))
    await import_text(standin, data)

    async def remove(race: str, user: int = EDITOR) -> str:
        iid = await standin.send_command("remove", {"race": race}, user_id=user)
        body = await standin.wait_for_callback(iid)
        if body["type"] == 4:
            text: str = body["data"]["content"]
            return text
        return str((await followup_of(standin, iid))["content"])

    assert "editors" in await remove("2010 Removable", user=MEMBER)
    assert "type its title as it is" in await remove("Removable 2010")
    assert "seeds folder" in await remove("2003 Grand Prix of Sonoma")
    assert (await remove("2010 Removable")).startswith("Removed 2010 Removable")
    assert "2010 Removable" not in text_of(await command(standin, "races"))
    [kept] = await live_bot.store.history()
    assert (kept.title, kept.body, kept.ended_how, kept.ended_by) == (
        "2010 Removable",
        data,
        "removed",
        str(EDITOR),
    )


async def test_a_race_added_while_the_bot_starts_is_announced_once_servers_are_there(
    standin: DiscordStandin, folders: tuple[Path, Path]
) -> None:
    """Another process imports a race after the bot read its library but before the gateway
    delivered the servers: the bot takes it in and announces it once, when they are there."""
    bot = await new_bot(standin, folders)
    await bot.store.save_settings(GuildSettings(standin.guild_id, standin.channel_id))
    other = await open_keeper(bot.settings, mirror=False, migrate=False)
    await other.import_document(document("2011 Late Race", dt.date(2011, 4, 4)), "l.txt", by="1")
    await other.close()
    async with standin.running(bot, token=TOKEN):
        await announced(standin, standin.channel_id, 1)
        await asyncio.sleep(0.3)  # time for a second (wrong) announcement
        [post] = channel_posts(standin, standin.channel_id)
        assert "2011 Late Race" in text_of(post)
        assert "2011 Late Race" in text_of(await command(standin, "races"))
