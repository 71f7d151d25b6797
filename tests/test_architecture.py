"""The one direction of flow: the core never depends on Discord."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE = (
    "bot.core.model",
    "bot.core.names",
    "bot.core.parsing",
    "bot.core.writing",
    "bot.core.library",
    "bot.core.matching",
    "bot.core.query",
    "bot.core.answers",
    "bot.present.cards",
    "bot.app.export",
)


@pytest.mark.parametrize("module", CORE)
def test_core_modules_do_not_import_discord(module: str) -> None:
    """Importing a core module in a fresh interpreter loads no part of discord.py."""
    probe = f"import sys, {module}; print(any(m.split('.')[0] == 'discord' for m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
