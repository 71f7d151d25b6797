"""Deploying: the Dockerfile, compose.yaml, the systemd unit, the lock file, the invite link.

No container engine runs here, so these check what can be checked without one: the files parse,
wire what the bot needs, and name only commands the CLI has (README, "Deploy and operate", says
what was run by hand).
"""

from __future__ import annotations

import argparse
import ast
import re
import shlex
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import discord
import pytest
import yaml

from bot.app.cli import build_parser
from bot.discord.community import ANNOUNCE_PERMISSIONS
from bot.discord.invite import BOT_PERMISSIONS, invite_url, permission_names
from tests.paths import PROJECT

# What a call of these methods needs of the bot in the channel, beyond BOT_PERMISSIONS' reasons.
METHOD_PERMISSIONS = {
    "add_reaction": "add_reactions",
    "create_thread": "create_public_threads",
    "pin": "manage_messages",
    "unpin": "manage_messages",
    "delete_messages": "manage_messages",
    "purge": "manage_messages",
    "create_webhook": "manage_webhooks",
    "edit_permissions": "manage_roles",
    "set_permissions": "manage_roles",
    "history": "read_message_history",
    "fetch_message": "read_message_history",
}


def _cli_commands() -> set[str]:
    parser = build_parser()
    [action] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return set(action.choices)


def _racebot_commands(command: list[str] | str) -> list[str]:
    """The racebot sub-commands a shell line or exec list runs."""
    words = shlex.split(command) if isinstance(command, str) else command
    found = []
    for index, word in enumerate(words):
        if Path(word).name == "racebot" and index + 1 < len(words):
            found.append(words[index + 1])
    return found


def _assert_cli_has(commands: list[str]) -> None:
    known = _cli_commands()
    assert commands
    for command in commands:
        assert command in known, command


# --- Dockerfile ----------------------------------------------------------------------------------


def _dockerfile() -> list[tuple[str, str]]:
    """The Dockerfile's instructions, continuation lines joined, comments dropped."""
    text = (PROJECT / "Dockerfile").read_text("utf-8")
    text = re.sub(r"\\\n\s*", " ", text)
    instructions = []
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            keyword, _, rest = line.strip().partition(" ")
            instructions.append((keyword.upper(), rest.strip()))
    return instructions


def _exec_form(value: str) -> list[str]:
    parsed: list[str] = ast.literal_eval(value.split("CMD", 1)[-1].strip())
    return parsed


def test_the_dockerfile_installs_from_the_lock_file_as_a_non_root_user() -> None:
    """Slim base, dependencies from uv.lock (--locked), a non-root USER, /data a volume."""
    instructions = _dockerfile()
    bases = [value for keyword, value in instructions if keyword == "FROM"]
    assert bases
    assert all(re.match(r"python:3\.1[1-9]-slim\b", base) for base in bases)
    runs = [value for keyword, value in instructions if keyword == "RUN"]
    syncs = [run for run in runs if "uv sync" in run]
    assert syncs
    assert all("--locked" in run for run in syncs)
    assert not [run for run in runs if "pip install" in run and "uv==" not in run]
    uv_version = re.search(r"uv==([0-9.]+)", " ".join(runs))
    makefile = (PROJECT / "Makefile").read_text("utf-8")
    assert uv_version
    assert f"UV_VERSION := {uv_version[1]}" in makefile  # one uv everywhere
    copied = " ".join(value for keyword, value in instructions if keyword == "COPY")
    assert "uv.lock" in copied
    [user] = [value for keyword, value in instructions if keyword == "USER"]
    assert user not in {"root", "0"}
    assert [value for keyword, value in instructions if keyword == "VOLUME"] == ["/data"]
    env = " ".join(value for keyword, value in instructions if keyword == "ENV")
    assert "RACEBOT_DATA_DIR=/data" in env


def test_the_dockerfile_commands_exist_in_the_cli() -> None:
    """CMD runs `racebot run`; HEALTHCHECK calls `racebot status`."""
    instructions = dict(_dockerfile())
    assert _racebot_commands(_exec_form(instructions["CMD"])) == ["run"]
    health = instructions["HEALTHCHECK"]
    assert _racebot_commands(_exec_form(health)) == ["status"]
    _assert_cli_has(["run", "status"])


# --- compose.yaml --------------------------------------------------------------------------------


def _compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((PROJECT / "compose.yaml").read_text("utf-8"))
    return loaded


def test_compose_wires_the_bot_postgres_and_a_one_shot_migrate() -> None:
    """postgres:15 with a named volume and pg_isready; migrate once; the bot waits for both."""
    compose = _compose()
    services = compose["services"]
    assert set(services) == {"postgres", "migrate", "bot"}
    postgres = services["postgres"]
    assert postgres["image"] == "postgres:15"
    [volume] = postgres["volumes"]
    name, _, path = volume.partition(":")
    assert name in compose["volumes"]
    assert path == "/var/lib/postgresql/data"
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    migrate, bot = services["migrate"], services["bot"]
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert migrate["restart"] == "no"
    assert bot["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert bot["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert _racebot_commands(migrate["command"]) == ["migrate"]
    assert _racebot_commands(bot["command"]) == ["run"]
    _assert_cli_has(["migrate", "run"])
    for service in (migrate, bot):
        assert service["env_file"] == ".env"
        url = service["environment"]["RACEBOT_DATABASE_URL"]
        assert url.startswith("postgresql://")
        assert "@postgres:5432/" in url  # the postgres service, by its name
    assert migrate["image"] == bot["image"]  # one image, built here (never pulled)
    assert migrate["build"] == bot["build"] == "."
    [data] = bot["volumes"]
    assert data.split(":")[0] in compose["volumes"]
    assert data.split(":")[1] == "/data"


def test_compose_settings_are_settings_racebot_reads() -> None:
    """Every RACEBOT_ key compose sets is documented in .env.example (the store's URL aside)."""
    example = (PROJECT / ".env.example").read_text("utf-8")
    for service in _compose()["services"].values():
        for key in service.get("environment", {}):
            if key.startswith("RACEBOT_") and key != "RACEBOT_DATABASE_URL":
                assert f"{key}=" in example, key


# --- systemd -------------------------------------------------------------------------------------


def _unit() -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for line in (PROJECT / "deploy" / "racebot.service").read_text("utf-8").splitlines():
        if "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values.setdefault(key.strip(), []).append(value.strip())
    return values


def test_the_systemd_unit_restarts_on_failure_as_its_own_user() -> None:
    """Restart on failure (not exit 2), own user, StateDirectory, EnvironmentFile, racebot run."""
    unit = _unit()
    assert unit["Restart"] == ["on-failure"]
    assert unit["RestartPreventExitStatus"] == ["2"]
    assert unit["User"] == ["racebot"]
    assert unit["StateDirectory"] == ["racebot"]
    assert "RACEBOT_DATA_DIR=/var/lib/racebot" in unit["Environment"]
    assert unit["EnvironmentFile"] == ["/etc/racebot/racebot.env"]
    [start] = unit["ExecStart"]
    assert _racebot_commands(start) == ["run"]
    _assert_cli_has(["run"])


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_the_systemd_unit_passes_systemd_analyze_verify(tmp_path: Path) -> None:
    """`systemd-analyze verify` finds nothing to say (ExecStart pointed at an executable here)."""
    stand_in = tmp_path / "racebot"
    stand_in.write_text("#!/bin/sh\nexit 0\n", "utf-8")
    stand_in.chmod(0o755)
    text = (PROJECT / "deploy" / "racebot.service").read_text("utf-8")
    unit = tmp_path / "racebot.service"
    unit.write_text(text.replace("/opt/racebot/.venv/bin/racebot", str(stand_in)), "utf-8")
    result = subprocess.run(
        ["systemd-analyze", "verify", str(unit)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == ""


# --- Lock file and packaging ---------------------------------------------------------------------


def _pyproject() -> dict[str, Any]:
    return tomllib.loads((PROJECT / "pyproject.toml").read_text("utf-8"))


def _normalised(requirement: str) -> str:
    """A requirement's distribution name as the lock file writes it (PEP 503)."""
    name = re.split(r"[<>=!~\[ ;]", requirement, maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> set[str]:
    project = _pyproject()["project"]
    requirements = project["dependencies"] + project["optional-dependencies"]["dev"]
    return {_normalised(requirement) for requirement in requirements}


# Import name -> distribution name, where they differ.
DISTRIBUTIONS = {
    "discord": "discord.py",
    "pydantic_settings": "pydantic-settings",
    "yaml": "pyyaml",
    "prometheus_client": "prometheus-client",
    "_pytest": "pytest",
    "pytest_asyncio": "pytest-asyncio",
}
# Imported only through a declared package that depends on them (their own API is not used).
TRANSITIVE = {"numpy", "PIL", "typing_extensions", "multidict", "yarl", "annotated_types"}
# Used only when installed (a try/except ImportError around the import).
OPTIONAL = {"regex"}


def test_every_imported_package_is_declared() -> None:
    """Each outside package imported by bot/, cogs/, tests/ or bench/ is in pyproject.toml."""
    import sys

    project_packages = {"bot", "cogs", "tests", "bench"}
    imported: set[str] = set()
    for folder in project_packages:
        for path in (PROJECT / folder).rglob("*.py"):
            if path.is_relative_to(PROJECT / "bench" / "out"):
                continue  # make bench's output: the release before, checked out
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if isinstance(node, ast.Import):
                    imported.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    imported.add(node.module.split(".")[0])
    outside = imported - project_packages - set(sys.stdlib_module_names) - TRANSITIVE - OPTIONAL
    declared = _declared()
    missing = sorted(
        name for name in outside if _normalised(DISTRIBUTIONS.get(name, name)) not in declared
    )
    assert missing == []


def test_the_lock_file_pins_every_declared_package() -> None:
    """uv.lock holds each declared package (with hashes) and the project's own requirements."""
    lock = tomllib.loads((PROJECT / "uv.lock").read_text("utf-8"))
    packages = {package["name"] for package in lock["package"]}
    assert _declared() <= packages
    [racebot] = [p for p in lock["package"] if p["name"] == "racebot"]
    locked = {r["name"] for r in racebot["metadata"]["requires-dist"]}
    assert locked == _declared()  # uv.lock was made from this pyproject.toml
    wheels = [w for p in lock["package"] if p["name"] != "racebot" for w in p.get("wheels", [])]
    assert wheels
    assert all(w["hash"].startswith("sha256:") for w in wheels)


def test_make_and_ci_install_from_the_lock_file() -> None:
    """The Makefile syncs from uv.lock (--locked); CI runs Python 3.11 and 3.13 in two venvs."""
    makefile = (PROJECT / "Makefile").read_text("utf-8")
    assert "uv sync --locked" in makefile.replace("$(UV)", "uv")
    assert "$(STAMP): pyproject.toml uv.lock" in makefile
    ci = (PROJECT / ".ci" / "run").read_text("utf-8")
    assert "python3.11" in ci
    assert "python3.13" in ci
    assert "VENV=.venv-3.13" in ci


def test_the_licence_is_mit() -> None:
    """LICENSE is the MIT licence and pyproject.toml says so."""
    assert (PROJECT / "LICENSE").read_text("utf-8").startswith("MIT License")
    project = _pyproject()["project"]
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"]


# --- The invite link -----------------------------------------------------------------------------


def _calls(folder: Path) -> list[ast.Call]:
    calls: list[ast.Call] = []
    for path in folder.rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        calls += [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
    return calls


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def needed_permissions() -> set[str]:
    """Every bot permission the code of bot/discord and cogs asks for or relies on."""
    needed: set[str] = set()
    calls = _calls(PROJECT / "bot" / "discord") + _calls(PROJECT / "cogs")
    default_permission_args = {
        id(arg)
        for call in calls
        if _name(call.func) == "default_permissions"  # what members need, not the bot
        for arg in [*call.args, *(k.value for k in call.keywords)]
    }
    for call in calls:
        name = _name(call.func)
        if name in {"Permissions", "bot_has_permissions"} and id(call) not in (
            default_permission_args
        ):
            needed |= {k.arg for k in call.keywords if k.arg is not None}
        if name == "File" or any(k.arg in {"file", "files"} for k in call.keywords):
            needed.add("attach_files")
        if name in METHOD_PERMISSIONS:
            needed.add(METHOD_PERMISSIONS[name])
    return needed


def test_the_invite_asks_for_every_permission_the_code_needs() -> None:
    """A feature that needs a permission the invite lacks fails here."""
    needed = needed_permissions()
    assert {"view_channel", "send_messages", "embed_links", "attach_files"} <= needed
    granted = {name for name, on in BOT_PERMISSIONS if on} | {"view_channel"}
    assert needed <= granted
    assert ANNOUNCE_PERMISSIONS.value & ~BOT_PERMISSIONS.value == 0


def test_the_invite_asks_for_nothing_more() -> None:
    """Exactly View Channel, Send Messages, Embed Links and Attach Files."""
    assert permission_names() == ["View Channel", "Send Messages", "Embed Links", "Attach Files"]
    expected = discord.Permissions(
        view_channel=True, send_messages=True, embed_links=True, attach_files=True
    )
    assert expected == BOT_PERMISSIONS


def test_the_readme_gives_the_computed_invite_url() -> None:
    """README's invite link is the one computed from the code."""
    readme = (PROJECT / "README.md").read_text("utf-8")
    assert invite_url() in readme
    assert f"permissions={BOT_PERMISSIONS.value}" in invite_url()
    assert "permissions=0" not in readme
