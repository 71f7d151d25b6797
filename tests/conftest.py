"""Fixtures shared by the tests: a clean environment, the seed library, the bot built offline."""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import discord
import pytest
from hypothesis import settings as hypothesis_settings

from bot.core.asking.query import QueryService
from bot.core.library.loading import load_library
from bot.core.library.races import RaceLibrary
from bot.discord.client import RaceBot, build_bot
from bot.loader.seed_watch import SeedWatch
from bot.settings import Settings
from cogs import EXTENSIONS
from tests.paths import RACES

SEEDS = RACES

pytest_plugins = ["tests.stores"]

# No deadlines: these machines are noisy and speed is the benchmarks' job. CI replays the same
# examples every run so a red build can be reproduced; a developer's run explores new ones.
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")

SETTINGS_KEYS = (
    "DISCORD_TOKEN",
    "DISCORD_GUILD_ID",
    "RACEBOT_SEEDS_DIR",
    "LOG_LEVEL",
    "RACEBOT_SHARD_COUNT",
    "RACEBOT_SHARD_IDS",
    "RACEBOT_DATA_DIR",
    "RACEBOT_EDITOR_IDS",
    "RACEBOT_ANSWER_CACHE_BYTES",
    "RACEBOT_DATABASE_URL",
    "RACEBOT_HEALTH_PORT",
    "RACEBOT_LOG_FORMAT",
)


@pytest.fixture(autouse=True)
def private_data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """No test writes a store into the project's own data/ folder (clean_env still clears it)."""
    monkeypatch.setenv("RACEBOT_DATA_DIR", str(tmp_path_factory.mktemp("data")))


@pytest.fixture(autouse=True)
def watches_closed(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each seeds/ watch a test started is closed after it, even one its keeper never closed:
    the library frees nothing to collections (`gc.freeze`), so a dropped keeper's watch would
    stay open, and a user may hold only 128 (a run of the whole suite came near)."""
    started: list[SeedWatch] = []
    start = SeedWatch.start.__func__  # type: ignore[attr-defined]

    def tracked(cls: type[SeedWatch], folder: Path) -> SeedWatch | None:
        watch: SeedWatch | None = start(cls, folder)
        if watch is not None:
            started.append(watch)
        return watch

    monkeypatch.setattr(SeedWatch, "start", classmethod(tracked))
    yield
    for watch in started:
        watch.close()


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No racebot variable in the environment and an empty working directory (so no .env).

    The defaults that would reach outside the test are pointed at it instead: the races are the
    fixture copies (never the live seeds/) and the data folder is in the test's own folder.
    """
    for key in SETTINGS_KEYS:
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("RACEBOT_SEEDS_DIR", str(SEEDS))
    monkeypatch.setenv("RACEBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Undo what `discord.utils.setup_logging` does to the root logger."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)


@pytest.fixture(scope="session")
def seed_library() -> RaceLibrary:
    """The project's seeds, loaded once."""
    loaded = load_library(SEEDS)
    library, errors = loaded.library, loaded.errors
    assert not errors
    return library


@pytest.fixture(scope="session")
def query_service(seed_library: RaceLibrary) -> QueryService:
    """The query service over the project's seeds."""
    return QueryService(seed_library)


@pytest.fixture
def no_discord_http(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test whose code would send a request to Discord."""

    async def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a test tried to reach Discord")

    monkeypatch.setattr(discord.http.HTTPClient, "request", refuse)
    monkeypatch.setattr(discord.http.HTTPClient, "static_login", refuse)


@pytest.fixture
def bot_token() -> str:
    """A made-up string shaped like a bot token."""
    return "MTAxMjM0NTY3ODkwMTIzNDU2.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB"


@pytest.fixture
def fake_login(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Client.login runs setup_hook without Discord and connect returns; lists the tokens used."""
    tokens: list[str] = []

    async def login(self: discord.Client, token: str) -> None:
        tokens.append(token)
        self._connection.application_id = 4242
        await self.setup_hook()

    async def connect(self: discord.Client, *, reconnect: bool = True) -> None:
        logging.getLogger("discord.client").info("pretend connected")

    monkeypatch.setattr(discord.Client, "login", login)
    monkeypatch.setattr(discord.Client, "connect", connect)
    monkeypatch.setattr(discord.AutoShardedClient, "connect", connect)
    return tokens


@pytest.fixture
async def racebot(
    clean_env: Path, no_discord_http: None, query_service: QueryService
) -> AsyncIterator[RaceBot]:
    """The real bot with its real cogs, loaded the way `setup_hook` does, never logged in."""
    bot = build_bot(Settings(), query_service, extensions=EXTENSIONS)
    await bot.load_cogs()
    yield bot
    await bot.close()


# --- A fake interaction: records what a command sends ----------------------------------------


@dataclass
class SentMessage:
    """One message a command sent (a response or a follow-up), and its later edits."""

    content: str | None
    embeds: list[discord.Embed]
    view: discord.ui.View | None
    ephemeral: bool
    edits: list[dict[str, Any]] = field(default_factory=list)
    files: list[discord.File] = field(default_factory=list)

    async def edit(self, **changes: Any) -> SentMessage:
        """Record an edit, as `InteractionMessage.edit` would apply it."""
        self.edits.append(changes)
        return self


def _embeds(embed: discord.Embed | None, embeds: list[discord.Embed] | None) -> list[discord.Embed]:
    return [embed] if embed is not None else list(embeds or [])


class FakeResponse:
    """`interaction.response`: one initial response, as Discord allows."""

    def __init__(self, interaction: FakeInteraction) -> None:
        self._interaction = interaction
        self.done = False
        self.deferred: dict[str, bool] | None = None
        self.edits: list[dict[str, Any]] = []

    def is_done(self) -> bool:
        """Whether the interaction has been answered."""
        return self.done

    def _respond(self) -> None:
        if self.done:
            raise AssertionError("the interaction was answered twice")
        self.done = True

    async def send_message(
        self,
        content: str | None = None,
        *,
        embed: discord.Embed | None = None,
        embeds: list[discord.Embed] | None = None,
        view: discord.ui.View | None = None,
        ephemeral: bool = False,
        files: list[discord.File] | None = None,
        **_: Any,
    ) -> SimpleNamespace:
        """Record the response; like Discord without `with_response`, return no message."""
        self._respond()
        message = SentMessage(content, _embeds(embed, embeds), view, ephemeral, files=files or [])
        self._interaction.sent.append(message)
        return SimpleNamespace(resource=None)

    async def defer(self, *, ephemeral: bool = False, thinking: bool = False) -> None:
        """Record a deferral."""
        self._respond()
        self.deferred = {"ephemeral": ephemeral, "thinking": thinking}

    async def edit_message(self, **changes: Any) -> None:
        """Record an edit of the message a component belongs to."""
        self._respond()
        self.edits.append(changes)


class FakeFollowup:
    """`interaction.followup`: messages after the first response."""

    def __init__(self, interaction: FakeInteraction) -> None:
        self._interaction = interaction

    async def send(
        self,
        content: str | None = None,
        *,
        embed: discord.Embed | None = None,
        embeds: list[discord.Embed] | None = None,
        view: discord.ui.View | None = None,
        ephemeral: bool = False,
        files: list[discord.File] | None = None,
        **_: Any,
    ) -> SentMessage:
        """Record a follow-up; it needs a response (or deferral) first."""
        if not self._interaction.response.done:
            raise AssertionError("follow-up before the response")
        message = SentMessage(content, _embeds(embed, embeds), view, ephemeral, files=files or [])
        self._interaction.sent.append(message)
        return message


class FakeNamespace(SimpleNamespace):
    """Options typed so far; a missing one reads as None, as in discord.py."""

    def __getattr__(self, name: str) -> None:
        return None


class FakeInteraction:
    """Just enough of `discord.Interaction` for the cogs, views and error handler."""

    def __init__(
        self,
        client: discord.Client | None = None,
        *,
        user_id: int = 1001,
        namespace: dict[str, Any] | None = None,
        command: Any = None,
        guild_id: int | None = None,
    ) -> None:
        self.client = client
        self.guild_id = guild_id
        self.user = SimpleNamespace(id=user_id, name=f"user{user_id}")
        self.namespace = FakeNamespace(**(namespace or {}))
        self.command = command
        self.created_at = dt.datetime.now(dt.UTC)
        self.sent: list[SentMessage] = []
        self.response = FakeResponse(self)
        self.followup = FakeFollowup(self)

    async def original_response(self) -> SentMessage:
        """The message of the initial response."""
        return self.sent[0]

    @property
    def message_sent(self) -> SentMessage:
        """The one message the command sent."""
        assert len(self.sent) == 1, self.sent
        return self.sent[0]


@pytest.fixture
def make_interaction() -> Callable[..., FakeInteraction]:
    """A factory of fake interactions: `make_interaction(bot, user_id=..., namespace={...})`."""
    return FakeInteraction


def embed_text(embed: discord.Embed) -> str:
    """Every visible string of an embed, joined, for 'mentions X' assertions."""
    parts = [embed.title or "", embed.description or "", embed.footer.text or ""]
    for embed_field in embed.fields:
        parts += [embed_field.name or "", embed_field.value or ""]
    return "\n".join(parts)


@pytest.fixture
def read_embed() -> Callable[[discord.Embed], str]:
    """The text of an embed, as one string."""
    return embed_text
