"""Before the bot starts: where the data folder is, and leftovers of an interrupted write go."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from pydantic import SecretStr

from bot.app.cli import main
from bot.app.housekeeping import prepare_data_dir, remove_leftovers
from bot.app.status import describe_store
from bot.settings import PROJECT_DIR, default_data_dir, load_settings
from tests.paths import SEED


def test_the_data_folder_is_data_in_a_checkout_else_the_user_data_folder(tmp_path: Path) -> None:
    """From a checkout: its absolute data/; installed as a package: the user data folder."""
    assert default_data_dir(PROJECT_DIR) == PROJECT_DIR / "data"
    assert default_data_dir(PROJECT_DIR).is_absolute()
    installed = default_data_dir(tmp_path)
    assert installed.name == "racebot"
    assert installed.is_absolute()
    assert installed.parent != tmp_path


def test_the_default_data_folder_is_not_the_working_directory(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Started from another folder, racebot does not make data/ there."""
    monkeypatch.delenv("RACEBOT_DATA_DIR")
    assert load_settings().data_dir == PROJECT_DIR / "data"
    assert load_settings().data_dir.parent != clean_env


def test_leftover_temporary_files_are_removed_at_start(
    clean_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    restore_logging: None,
    fake_login: list[str],
    bot_token: str,
) -> None:
    """Temporaries left by a SIGKILL go when `run` starts; documents and other files stay."""
    seeds = clean_env / "races"
    seeds.mkdir()
    shutil.copy(SEED, seeds)
    data = prepare_data_dir(clean_env / "data")
    leftovers = [
        seeds / ".2004-race.txt.abc123.tmp",
        data / ".library-x1y2z3",
        data / "settings.tmp",
    ]
    kept = [seeds / SEED.name, data / "library.bin.keep", seeds / "notes.tmp.txt"]
    for path in [*leftovers, *kept[1:]]:
        path.write_text("partial", "utf-8")
    monkeypatch.setenv("DISCORD_TOKEN", bot_token)
    assert main(["run", "--seeds", str(seeds)]) == 0
    assert [path for path in leftovers if path.exists()] == []
    assert all(path.exists() for path in kept)


def test_remove_leftovers_skips_a_read_only_seeds_folder(tmp_path: Path) -> None:
    """Nothing to tidy, or a folder that does not exist: no error, nothing removed."""
    assert remove_leftovers(tmp_path / "none", tmp_path / "nothing") == []


@pytest.mark.parametrize("secret", [False, True])
def test_the_store_of_a_database_url_setting_is_described_without_secrets(secret: bool) -> None:
    """With RACEBOT_DATABASE_URL (plain or a SecretStr), status names engine, host and database."""
    url = "postgresql://racebot:pw@postgres:5432/racebot"
    value = SecretStr(url) if secret else url
    settings = SimpleNamespace(database_url=value, data_dir=Path("data"))
    engine, location = describe_store(settings)  # type: ignore[arg-type]
    assert (engine, location) == ("postgresql", "postgres:5432/racebot")
