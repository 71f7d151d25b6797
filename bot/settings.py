"""Settings from the environment and `.env`: one place, validated, the token kept secret.

This module imports nothing from the rest of racebot, so every layer may read it.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Final, Literal, Self

import platformdirs
from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SEEDS_DIR: Final = Path(__file__).resolve().parents[1] / "seeds"
"""The project's own `seeds/` folder, used when RACEBOT_SEEDS_DIR is not set."""

PROJECT_DIR: Final = Path(__file__).resolve().parents[1]
"""The folder holding the `bot` package: the repository when run from a checkout."""


def default_data_dir(project: Path = PROJECT_DIR) -> Path:
    """Where racebot keeps its own files unless RACEBOT_DATA_DIR says: `data/` in the repository
    when run from a checkout (as `make run` does), else the platform's user data folder
    (`~/.local/share/racebot` on Linux); never the folder the bot happened to start in."""
    if (project / "pyproject.toml").is_file():
        return project / "data"
    return Path(platformdirs.user_data_dir("racebot", appauthor=False))


DEFAULT_DATA_DIR: Final = default_data_dir()
"""The data folder (the SQLite store) when RACEBOT_DATA_DIR is not set (see `default_data_dir`)."""
DEFAULT_ANSWER_CACHE_BYTES: Final = 32 * 1024 * 1024
"""Rendered answers kept by the bot, in bytes of their text (RACEBOT_ANSWER_CACHE_BYTES)."""

MAX_SHARD_RANGE: Final = 10_000
"""The widest range RACEBOT_SHARD_IDS may name ("0-3"): no list of millions from a typo."""

ENV_FILE: Final = Path(".env")
"""Read from the working directory; the environment wins over it."""

# A bot token is three dot-separated base64url parts; checking the shape catches pasted
# client secrets, quotes and stray spaces before Discord rejects the login.
TOKEN_SHAPE: Final = re.compile(r"^[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}$")


class Settings(BaseSettings):
    """Everything racebot reads from its environment; `.env.example` documents each key."""

    model_config = SettingsConfigDict(
        env_file=ENV_FILE, env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    discord_token: SecretStr | None = Field(default=None, alias="DISCORD_TOKEN")
    discord_guild_id: int | None = Field(default=None, alias="DISCORD_GUILD_ID")
    seeds_dir: Path = Field(default=DEFAULT_SEEDS_DIR, alias="RACEBOT_SEEDS_DIR")
    log_level: str = Field(default="INFO", alias="LOG_LEVEL")
    shard_count: int | None = Field(default=None, ge=1, alias="RACEBOT_SHARD_COUNT")
    shard_ids: list[int] | None = Field(default=None, alias="RACEBOT_SHARD_IDS")
    data_dir: Path = Field(default=DEFAULT_DATA_DIR, alias="RACEBOT_DATA_DIR")
    # `| None` as for the shard ids: pydantic-settings then takes "1,2" as text, not JSON.
    editor_ids: list[int] | None = Field(default=None, alias="RACEBOT_EDITOR_IDS")
    answer_cache_bytes: int = Field(
        default=DEFAULT_ANSWER_CACHE_BYTES, ge=0, alias="RACEBOT_ANSWER_CACHE_BYTES"
    )
    # A secret: the URL may hold the database password.
    database_url: SecretStr | None = Field(default=None, alias="RACEBOT_DATABASE_URL")

    @field_validator("database_url", mode="before")
    @classmethod
    def _blank_url_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("database_url")
    @classmethod
    def _postgres_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith(
            ("postgresql://", "postgres://")
        ):
            raise ValueError("expected a postgresql:// URL")
        return value

    # None: no health endpoint. 0 lets the system pick a free port (logged), for tests.
    health_port: int | None = Field(default=None, ge=0, le=65535, alias="RACEBOT_HEALTH_PORT")
    log_format: Literal["text", "json"] = Field(default="text", alias="RACEBOT_LOG_FORMAT")

    @field_validator("discord_token", mode="before")
    @classmethod
    def _blank_token_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("discord_guild_id", "shard_count", "health_port", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("shard_ids", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            shards: list[int] = []
            for part in (part.strip() for part in value.split(",")):
                first, dash, last = part.partition("-")
                if not part:
                    continue
                if not first.strip().isdigit() or (dash and not last.strip().isdigit()):
                    raise ValueError("expected shard numbers")  # int() would quote the value
                low, high = int(first), int(last) if dash else int(first)
                if high < low or high - low > MAX_SHARD_RANGE:
                    raise ValueError("expected shard ranges from low to high, e.g. 0-3")
                shards.extend(range(low, high + 1))
            return sorted(set(shards)) or None
        if isinstance(value, int):  # "3" in the environment arrives JSON-decoded as 3
            return [value]
        return value

    @field_validator("editor_ids", mode="before")
    @classmethod
    def _user_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part.strip() for part in value.split(",") if part.strip()]
            if not all(part.isdigit() for part in parts):
                raise ValueError("expected user ids")  # int() would quote the value
            return [int(part) for part in parts] or None
        if isinstance(value, int):  # one id in the environment arrives JSON-decoded
            return [value]
        return value

    @field_validator("log_level")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()

    @field_validator("log_format", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        if isinstance(value, str):
            return value.strip().lower() or "text"
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        if value not in logging.getLevelNamesMapping():
            raise ValueError("expected DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return value

    @model_validator(mode="after")
    def _shards_fit(self) -> Self:
        if self.shard_ids is not None:
            if self.shard_count is None:
                raise ValueError("RACEBOT_SHARD_IDS needs RACEBOT_SHARD_COUNT")
            if any(not 0 <= shard < self.shard_count for shard in self.shard_ids):
                raise ValueError("every RACEBOT_SHARD_IDS entry must be below RACEBOT_SHARD_COUNT")
        return self

    @property
    def log_level_number(self) -> int:
        """LOG_LEVEL as the number `logging` uses."""
        return logging.getLevelNamesMapping()[self.log_level]

    @property
    def sharded(self) -> bool:
        """Whether the bot runs as an AutoShardedBot (RACEBOT_SHARD_COUNT is set)."""
        return self.shard_count is not None

    @property
    def database(self) -> str | None:
        """RACEBOT_DATABASE_URL (a secret: never log or print it)."""
        return None if self.database_url is None else self.database_url.get_secret_value()

    @property
    def editors(self) -> frozenset[int]:
        """RACEBOT_EDITOR_IDS: the users besides the owner and team who may /import."""
        return frozenset(self.editor_ids or ())

    def token_problem(self) -> str | None:
        """Why the token cannot be used, or None when it looks like a bot token."""
        if self.discord_token is None:
            return "DISCORD_TOKEN is not set"
        if not TOKEN_SHAPE.match(self.discord_token.get_secret_value()):
            return "DISCORD_TOKEN does not look like a bot token"
        return None


class SettingsError(ValueError):
    """The environment or `.env` holds a value racebot cannot use; the message is one line."""


def load_settings() -> Settings:
    """Read the settings, turning any problem with them into one readable `SettingsError`."""
    _check_env_file(ENV_FILE)
    try:
        return Settings()
    except ValidationError as exc:
        raise SettingsError(_describe_problems(exc)) from None


def _check_env_file(path: Path) -> None:
    """Refuse a `.env` that pydantic-settings would skip silently or fail on with a traceback."""
    if not path.exists():
        return
    if path.is_dir():
        raise SettingsError(f"{path} is a folder; settings go in a file of KEY=value lines.")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SettingsError(f"cannot read {path} ({exc.strerror}).") from None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SettingsError(f"{path} is not UTF-8 text (line {line}); save it as UTF-8.") from None


EXPECTED: Final = {
    "DISCORD_TOKEN": "a bot token from the Developer Portal",
    "DISCORD_GUILD_ID": "a server id, digits only",
    "RACEBOT_SEEDS_DIR": "a folder path",
    "LOG_LEVEL": "DEBUG, INFO, WARNING, ERROR or CRITICAL",
    "RACEBOT_SHARD_COUNT": "a whole number, 1 or more",
    "RACEBOT_SHARD_IDS": "shard numbers or ranges separated by commas, e.g. 0,1 or 0-3",
    "RACEBOT_DATA_DIR": "a folder path",
    "RACEBOT_EDITOR_IDS": "Discord user ids separated by commas",
    "RACEBOT_ANSWER_CACHE_BYTES": "a whole number of bytes, 0 or more",
    "RACEBOT_DATABASE_URL": "a postgresql://user:password@host:port/database URL",
    "RACEBOT_HEALTH_PORT": "a port number from 1 to 65535",
    "RACEBOT_LOG_FORMAT": "text or json",
}
"""What each key takes: a problem names the key and this, never the value (it may be a secret)."""


def _describe_problems(exc: ValidationError) -> str:
    problems: list[str] = []
    for error in exc.errors():
        if not error["loc"]:  # a rule across keys (shards): our own words, no value in them
            problem = error["msg"].removeprefix("Value error, ")
        else:
            key = str(error["loc"][0])
            expected = EXPECTED.get(key)
            problem = f"{key} is not valid" + (f" (expected {expected})" if expected else "")
        if problem not in problems:
            problems.append(problem)
    return "; ".join(problems) + ". Fix it in .env or the environment."
