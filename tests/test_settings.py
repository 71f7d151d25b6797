"""Settings: the environment and `.env`, clear one-line failures, the token never shown."""

from __future__ import annotations

import ast
import logging
from pathlib import Path

import discord
import pytest

from bot.app.cli import main
from bot.settings import DEFAULT_SEEDS_DIR, EXPECTED, Settings, SettingsError, load_settings

NEW_TOKEN = (
    "Get a token at https://discord.com/developers/applications (your application, Bot, "
    "Reset Token) and put it in .env (see .env.example) or the environment"
)
NO_TOKEN_LINE = (
    f"racebot: DISCORD_TOKEN is not set. {NEW_TOKEN}; "
    '`racebot ask "/result Dyson"` and `racebot console` work without one.\n'
)


def _one_line(text: str) -> str:
    assert text.count("\n") == 1, text
    assert "Traceback" not in text
    return text


def test_missing_token_is_one_clear_line(
    clean_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`racebot run` without a token: exit 2 and one line saying how to set it."""
    assert main(["run"]) == 2
    captured = capsys.readouterr()
    assert captured.err == NO_TOKEN_LINE
    assert captured.out == ""


def test_blank_token_counts_as_missing(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """DISCORD_TOKEN= (as in .env.example) is treated as not set."""
    monkeypatch.setenv("DISCORD_TOKEN", "   ")
    assert main(["run"]) == 2
    assert capsys.readouterr().err == NO_TOKEN_LINE


def test_malformed_token_is_one_clear_line_without_the_token(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A pasted client secret (wrong shape) ends with one line that does not repeat it."""
    secret = "not-a-bot-token-but-a-client-secret"
    monkeypatch.setenv("DISCORD_TOKEN", secret)
    assert main(["run"]) == 2
    err = _one_line(capsys.readouterr().err)
    assert err.startswith("racebot: DISCORD_TOKEN does not look like a bot token.")
    assert NEW_TOKEN in err  # where to get a new one
    assert secret not in err


def test_malformed_env_file_value_is_one_clear_line(
    clean_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """DISCORD_GUILD_ID=abc in .env: exit 2 and one line naming the key and what it takes."""
    (clean_env / ".env").write_text("DISCORD_GUILD_ID=abc\n", encoding="utf-8")
    assert main(["run"]) == 2
    err = _one_line(capsys.readouterr().err)
    assert err == (
        "racebot: DISCORD_GUILD_ID is not valid (expected a server id, digits only). "
        "Fix it in .env or the environment.\n"
    )


@pytest.mark.parametrize("command", [["run"], ["start"], ["sync"], ["commands"]])
def test_every_bot_command_reports_a_bad_env_file(
    clean_env: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    """Each bot sub-command turns a malformed setting into the same one line and exit 2."""
    (clean_env / ".env").write_text("LOG_LEVEL=loud\n", encoding="utf-8")
    assert main(command) == 2
    err = _one_line(capsys.readouterr().err)
    assert err.startswith("racebot: LOG_LEVEL is not valid (expected DEBUG, INFO, WARNING,")
    assert "loud" not in err


def test_env_file_is_read_from_the_working_directory(
    clean_env: Path, bot_token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every key is read from `.env` in the current directory."""
    monkeypatch.delenv("RACEBOT_SEEDS_DIR")  # clean_env's fixture folder would win over .env
    (clean_env / ".env").write_text(
        f"DISCORD_TOKEN={bot_token}\n"
        "DISCORD_GUILD_ID=123456789012345678\n"
        "RACEBOT_SEEDS_DIR=races\n"
        "LOG_LEVEL=debug\n"
        "RACEBOT_SHARD_COUNT=4\n"
        "RACEBOT_SHARD_IDS=0,3\n",
        encoding="utf-8",
    )
    settings = load_settings()
    assert settings.discord_token is not None
    assert settings.discord_token.get_secret_value() == bot_token
    assert settings.token_problem() is None
    assert settings.discord_guild_id == 123456789012345678
    assert settings.seeds_dir == Path("races")
    assert (settings.log_level, settings.log_level_number) == ("DEBUG", logging.DEBUG)
    assert (settings.shard_count, settings.shard_ids, settings.sharded) == (4, [0, 3], True)


def test_environment_wins_over_env_file(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A variable in the environment overrides the same key in `.env`."""
    (clean_env / ".env").write_text("DISCORD_GUILD_ID=1\n", encoding="utf-8")
    monkeypatch.setenv("DISCORD_GUILD_ID", "2")
    assert load_settings().discord_guild_id == 2


def test_defaults_without_any_configuration(clean_env: Path) -> None:
    """Nothing configured: no token, no guild, one shard, INFO."""
    settings = load_settings()
    assert settings.discord_token is None
    assert settings.token_problem() == "DISCORD_TOKEN is not set"
    assert settings.discord_guild_id is None
    assert settings.log_level == "INFO"
    assert not settings.sharded


def test_shard_ranges_name_each_shard_once(clean_env: Path) -> None:
    """RACEBOT_SHARD_IDS takes ranges and numbers together, each shard once, in order."""
    (clean_env / ".env").write_text(
        "RACEBOT_SHARD_COUNT=16\nRACEBOT_SHARD_IDS=8-11, 2,3-4,9\n", encoding="utf-8"
    )
    assert load_settings().shard_ids == [2, 3, 4, 8, 9, 10, 11]


def test_the_database_url_is_a_secret(clean_env: Path) -> None:
    """RACEBOT_DATABASE_URL is read, but its password never shows in the settings' text."""
    url = "postgresql://bot:s3cret@db:5432/racebot"
    (clean_env / ".env").write_text(f"RACEBOT_DATABASE_URL={url}\n", encoding="utf-8")
    settings = load_settings()
    assert settings.database == url
    assert "s3cret" not in repr(settings)
    assert "s3cret" not in str(settings.model_dump())


@pytest.mark.parametrize(
    ("content", "named"),
    [
        ("RACEBOT_SHARD_IDS=0,1\n", "RACEBOT_SHARD_IDS needs RACEBOT_SHARD_COUNT"),
        ("RACEBOT_SHARD_COUNT=2\nRACEBOT_SHARD_IDS=2\n", "below RACEBOT_SHARD_COUNT"),
        ("RACEBOT_SHARD_COUNT=0\n", r"RACEBOT_SHARD_COUNT is not valid \(expected a whole"),
        ("RACEBOT_SHARD_IDS=a,b\n", r"RACEBOT_SHARD_IDS is not valid \(expected shard numbers"),
        ("RACEBOT_SHARD_COUNT=8\nRACEBOT_SHARD_IDS=3-1\n", r"RACEBOT_SHARD_IDS is not valid"),
        ("RACEBOT_SHARD_COUNT=8\nRACEBOT_SHARD_IDS=0-\n", r"RACEBOT_SHARD_IDS is not valid"),
        ("RACEBOT_SHARD_COUNT=4\nRACEBOT_SHARD_IDS=2-5\n", "below RACEBOT_SHARD_COUNT"),
        ("RACEBOT_DATABASE_URL=mysql://x\n", r"RACEBOT_DATABASE_URL is not valid \(expected a"),
    ],
)
def test_inconsistent_shard_settings_are_refused(clean_env: Path, content: str, named: str) -> None:
    """Shard ids need a count and must fall below it."""
    (clean_env / ".env").write_text(content, encoding="utf-8")
    with pytest.raises(SettingsError, match=named):
        load_settings()


def test_token_is_hidden_in_repr_and_str(clean_env: Path, bot_token: str) -> None:
    """Printing the settings never shows the token."""
    settings = Settings(DISCORD_TOKEN=bot_token)
    assert bot_token not in repr(settings)
    assert bot_token not in str(settings)
    assert bot_token not in settings.model_dump_json()


def test_token_is_not_logged_when_the_bot_starts(
    clean_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    restore_logging: None,
    fake_login: list[str],
    bot_token: str,
) -> None:
    """`racebot run` at DEBUG: the bot starts with the token, and no log line contains it."""
    monkeypatch.setenv("DISCORD_TOKEN", bot_token)
    monkeypatch.setenv("LOG_LEVEL", "DEBUG")
    with caplog.at_level(logging.DEBUG):
        assert main(["run"]) == 0
    assert fake_login == [bot_token]
    assert "pretend connected" in caplog.text
    assert "loaded cogs.results" in caplog.text
    captured = capsys.readouterr()
    for text in (caplog.text, captured.out, captured.err):
        assert bot_token not in text


def test_rejected_token_is_one_clear_line(
    clean_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    restore_logging: None,
    bot_token: str,
) -> None:
    """Discord refusing the token (LoginFailure) ends with one line and exit 2."""

    async def refuse(self: discord.http.HTTPClient, token: str) -> None:
        raise discord.LoginFailure("Improper token has been passed.")

    monkeypatch.setattr(discord.http.HTTPClient, "static_login", refuse)
    monkeypatch.setenv("DISCORD_TOKEN", bot_token)
    assert main(["run"]) == 2
    captured = capsys.readouterr()
    assert "racebot: Discord rejected DISCORD_TOKEN (login failed)." in captured.err
    assert "Traceback" not in captured.err
    assert bot_token not in captured.err + caplog.text


class _Stdin:
    """Standard input that is, or is not, a terminal."""

    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        """Whether this pretends to be a terminal."""
        return self.tty


def test_start_without_token_on_a_terminal_opens_the_console(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`racebot start` (make run) with no token and a terminal: one line why, then the console."""
    opened: list[tuple[Path | None, Path | None]] = []

    def run_console(seeds: Path | None, chart_dir: Path | None = None) -> int:
        opened.append((seeds, chart_dir))
        return 0

    monkeypatch.setattr("bot.app.console.run_console", run_console)
    monkeypatch.setattr("sys.stdin", _Stdin(tty=True))
    assert main(["start", "--seeds", "somewhere", "--chart-dir", "pics"]) == 0
    assert opened == [(Path("somewhere"), Path("pics"))]
    err = _one_line(capsys.readouterr().err)
    assert err == "racebot: DISCORD_TOKEN is not set, so starting the offline console.\n"


def test_start_without_token_or_terminal_fails(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """No token and no terminal (a service manager, a pipe): exit 2 and one line, no console."""
    monkeypatch.setattr("bot.app.console.run_console", pytest.fail)
    monkeypatch.setattr("sys.stdin", _Stdin(tty=False))
    assert main(["start"]) == 2
    err = _one_line(capsys.readouterr().err)
    assert err.startswith("racebot: DISCORD_TOKEN is not set, and the input is not a terminal")
    assert NEW_TOKEN in err
    assert "racebot console" in err


@pytest.mark.parametrize("tty", [True, False])
def test_start_with_a_malformed_token_fails_without_showing_it(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tty: bool
) -> None:
    """A set but malformed token is an error, never a reason to open the console."""
    secret = "my client secret pasted by mistake"
    monkeypatch.setenv("DISCORD_TOKEN", secret)
    monkeypatch.setattr("bot.app.console.run_console", pytest.fail)
    monkeypatch.setattr("sys.stdin", _Stdin(tty=tty))
    assert main(["start"]) == 2
    err = _one_line(capsys.readouterr().err)
    assert err == f"racebot: DISCORD_TOKEN does not look like a bot token. {NEW_TOKEN}.\n"
    assert secret not in err
    assert "secret" not in err


def test_start_with_token_runs_the_bot(
    clean_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    restore_logging: None,
    fake_login: list[str],
    bot_token: str,
) -> None:
    """`racebot start` with a usable token starts the bot, not the console."""
    monkeypatch.setenv("DISCORD_TOKEN", bot_token)
    assert main(["start"]) == 0
    assert fake_login == [bot_token]


def test_run_without_races_is_one_clear_line(
    clean_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    restore_logging: None,
    bot_token: str,
) -> None:
    """A seeds folder with no readable race: exit 2 before connecting."""
    monkeypatch.setenv("DISCORD_TOKEN", bot_token)
    assert main(["run", "--seeds", str(clean_env / "empty")]) == 2
    assert "no race document loaded" in capsys.readouterr().err


# --- Never echo a value; a .env that cannot be read is one line ----------------------------------


@pytest.mark.parametrize(
    "key",
    ["DISCORD_GUILD_ID", "RACEBOT_SHARD_COUNT", "RACEBOT_SHARD_IDS", "LOG_LEVEL"],
)
def test_a_token_pasted_into_the_wrong_key_is_never_echoed(
    clean_env: Path, capsys: pytest.CaptureFixture[str], bot_token: str, key: str
) -> None:
    """A token under another key: the error names the key and what it takes, never the token."""
    (clean_env / ".env").write_text(f"{key}={bot_token}\n", encoding="utf-8")
    assert main(["run"]) == 2
    err = _one_line(capsys.readouterr().err)
    assert err.startswith(f"racebot: {key} is not valid (expected ")
    for part in bot_token.split("."):
        assert part[:4] not in err


def test_every_key_says_what_it_expects() -> None:
    """Each setting has an expectation to name in its error, so no message falls back to a value."""
    aliases = {field.alias for field in Settings.model_fields.values()}
    assert aliases == set(EXPECTED)


def test_env_file_that_is_not_utf8_is_one_line(
    clean_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A `.env` in another encoding: exit 2, one line with the line number, no traceback."""
    (clean_env / ".env").write_bytes(b"LOG_LEVEL=INFO\nDISCORD_GUILD_ID=\xff\xfe\n")
    assert main(["run"]) == 2
    assert _one_line(capsys.readouterr().err) == (
        "racebot: .env is not UTF-8 text (line 2); save it as UTF-8.\n"
    )


def test_env_file_that_cannot_be_read_is_one_line(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A `.env` the user may not read: exit 2 and one line saying why."""
    (clean_env / ".env").write_text("LOG_LEVEL=INFO\n", encoding="utf-8")

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert main(["commands"]) == 2
    assert _one_line(capsys.readouterr().err) == "racebot: cannot read .env (Permission denied).\n"


@pytest.mark.parametrize("command", [["run"], ["ask", "/races"], ["console"], ["export"]])
def test_env_file_that_is_a_folder_is_an_error(
    clean_env: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    """A `.env` folder is not silently skipped: every command says so in one line, exit 2."""
    (clean_env / ".env").mkdir()
    assert main(command) == 2
    assert _one_line(capsys.readouterr().err) == (
        "racebot: .env is a folder; settings go in a file of KEY=value lines.\n"
    )


def test_settings_import_nothing_from_the_project() -> None:
    """bot/settings.py depends on nothing in racebot, so every layer may read it."""
    source = (Path(__file__).resolve().parents[1] / "bot" / "settings.py").read_text("utf-8")
    tree = ast.parse(source)
    modules = {
        name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for name in (
            [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module]
        )
        if name is not None
    }
    assert not {module for module in modules if module.split(".")[0] in {"bot", "cogs"}}
    assert DEFAULT_SEEDS_DIR.parent == Path(__file__).resolve().parents[1]
    assert DEFAULT_SEEDS_DIR.name == "seeds"


@pytest.mark.parametrize(("value", "port"), [("8088", 8088), ("", None), ("0", 0)])
def test_health_port_setting(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, value: str, port: int | None
) -> None:
    """RACEBOT_HEALTH_PORT: a port; blank is off; 0 lets the system pick one (tests)."""
    monkeypatch.setenv("RACEBOT_HEALTH_PORT", value)
    assert load_settings().health_port == port


@pytest.mark.parametrize("value", ["70000", "-1", "http"])
def test_a_bad_health_port_is_one_line(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    """A port out of range or not a number is refused by name, the value never echoed."""
    monkeypatch.setenv("RACEBOT_HEALTH_PORT", value)
    with pytest.raises(
        SettingsError, match=r"^RACEBOT_HEALTH_PORT is not valid \(expected a port"
    ) as info:
        load_settings()
    assert value not in str(info.value)
