"""Each server's settings: read from memory, written to the store first.

Reads never wait on the database (a question must not); a change enters memory only once the
store has it, and every other process hears of it and reads that server's row again, so a
server's settings are the same whichever process holds its shard.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator

from bot.store import GuildSettings, Store, StoreError
from bot.store.records import SPOILER_DAYS_MAX

log = logging.getLogger(__name__)

__all__ = ["SPOILER_DAYS_MAX", "GuildSettingsCache", "SettingsUnavailable"]


class SettingsUnavailable(StoreError):
    """A change could not be stored (the store is closed or cannot be reached)."""


class GuildSettingsCache:
    """Every server's settings from the store, kept in memory."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._cache: dict[int, GuildSettings] = {}

    async def load(self) -> None:
        """Read every server's settings from the store."""
        self._cache = {settings.guild_id: settings for settings in await self.store.all_settings()}
        log.info("settings of %d servers from %s", len(self._cache), self.store.description)

    async def refresh(self, guild_id: int | None = None) -> None:
        """Read one server's settings again (another process changed them), or every server's."""
        if guild_id is None:
            await self.load()
            return
        settings = await self.store.settings_of(guild_id)
        if settings == GuildSettings(guild_id):
            self._cache.pop(guild_id, None)
        else:
            self._cache[guild_id] = settings

    def get(self, guild_id: int) -> GuildSettings:
        """A server's settings, from memory (the defaults when it never set any)."""
        return self._cache.get(guild_id) or GuildSettings(guild_id)

    def __iter__(self) -> Iterator[GuildSettings]:
        return iter(tuple(self._cache.values()))

    async def update(self, guild_id: int, **changes: object) -> GuildSettings:
        """Change some of a server's settings: stored first, then kept; returns the result."""
        settings = dataclasses.replace(self.get(guild_id), **changes)  # type: ignore[arg-type]
        try:
            await self.store.save_settings(settings)
        except StoreError as exc:
            raise SettingsUnavailable(str(exc)) from exc
        self._cache[guild_id] = settings
        return settings

    async def delete(self, guild_id: int) -> None:
        """Forget a server's settings (the bot was removed from it)."""
        try:
            await self.store.delete_settings(guild_id)
        except StoreError as exc:
            raise SettingsUnavailable(str(exc)) from exc
        self._cache.pop(guild_id, None)
