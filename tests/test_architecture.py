"""The one direction of flow, checked by package: no layer imports one above it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]

# Each layer and the project packages it may import (besides itself). `bot.app` is the
# composition root: it may import everything, cogs included.
ALLOWED: dict[str, frozenset[str]] = {
    "bot.settings": frozenset(),
    "bot.store": frozenset(),
    "bot.core": frozenset(),
    "bot.loader": frozenset({"bot.core", "bot.store", "bot.settings"}),
    "bot.present": frozenset({"bot.core"}),
    "bot.discord": frozenset(
        {"bot.core", "bot.present", "bot.settings", "bot.store", "bot.loader"}
    ),
    "cogs": frozenset(
        {"bot.core", "bot.present", "bot.discord", "bot.settings", "bot.store", "bot.loader"}
    ),
    "bot.app": frozenset(
        {"bot.core", "bot.present", "bot.discord", "bot.settings", "bot.store", "bot.loader"}
        | {"cogs"}
    ),
}
# Outside libraries a layer must not load, so that the core stays pure and the cards stay
# shared by Discord and the terminal.
DATABASE_DRIVERS = frozenset({"sqlite3", "aiosqlite", "asyncpg"})
FORBIDDEN_LIBRARIES: dict[str, frozenset[str]] = {
    "bot.core": frozenset({"discord", "rich", "aiohttp"}) | DATABASE_DRIVERS,
    "bot.store": frozenset({"discord", "rich", "aiohttp"}),
    "bot.present": frozenset({"discord", "aiohttp"}),
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> str | None:
    for layer in sorted(ALLOWED, key=len, reverse=True):
        if module == layer or module.startswith(layer + "."):
            return layer
    return None


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


SOURCES = sorted([*PROJECT.glob("bot/**/*.py"), *PROJECT.glob("cogs/**/*.py")])
MODULES = {_module_name(path): path for path in SOURCES}


def test_every_module_belongs_to_a_layer() -> None:
    """Each module of bot/ and cogs/ sits in a known layer (the __main__ shim aside)."""
    strays = [m for m in MODULES if _layer(m) is None and m not in {"bot", "bot.__main__"}]
    assert strays == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_imports_a_layer_above_it(module: str) -> None:
    """A module imports project code only from its own layer or the layers it may use."""
    layer = _layer(module)
    if layer is None:
        return
    allowed = ALLOWED[layer] | {layer}
    wrong = sorted(
        name
        for name in _imports(MODULES[module])
        if (target := _layer(name)) is not None and name in MODULES and target not in allowed
    )
    assert wrong == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_pure_layers_import_no_forbidden_library(module: str) -> None:
    """The core imports no discord or rich; presentation imports no discord (statically)."""
    forbidden = FORBIDDEN_LIBRARIES.get(_layer(module) or "", frozenset())
    used = {name.split(".")[0] for name in _imports(MODULES[module])}
    assert used & forbidden == set()


@pytest.mark.parametrize("package", ["bot.core", "bot.present", "bot.store"])
def test_pure_packages_load_no_forbidden_library_at_run_time(package: str) -> None:
    """Importing every module of a pure package in a fresh interpreter loads none it may not."""
    modules = [m for m in MODULES if m == package or m.startswith(package + ".")]
    probe = (
        f"import sys, {', '.join(modules)}; print(sorted({{m.split('.')[0] for m in sys.modules}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=PROJECT
    )
    loaded = set(ast.literal_eval(result.stdout.strip()))
    assert loaded & FORBIDDEN_LIBRARIES[package] == set()


# Inside the core, the parts and the parts each may import (besides itself). The modules left
# beside the parts (limits, formats, matching, collector) import none of them.
CORE_PARTS: dict[str, frozenset[str]] = {
    "bot.core": frozenset(),
    "bot.core.documents": frozenset({"bot.core"}),
    "bot.core.library": frozenset({"bot.core", "bot.core.documents"}),
    "bot.core.asking": frozenset({"bot.core", "bot.core.documents", "bot.core.library"}),
}
CORE_MODULES = sorted(m for m in MODULES if m == "bot.core" or m.startswith("bot.core."))


def _core_part(module: str) -> str:
    for part in sorted(CORE_PARTS, key=len, reverse=True):
        if module == part or module.startswith(part + "."):
            return part
    raise AssertionError(f"{module} is outside the core")


def test_core_has_its_parts() -> None:
    """Each part of the core exists, so the arrows below are checked against real modules."""
    assert {_core_part(module) for module in CORE_MODULES} == set(CORE_PARTS)


@pytest.mark.parametrize("module", CORE_MODULES)
def test_no_core_module_imports_a_part_it_may_not(module: str) -> None:
    """documents imports only the modules beside the parts; library also documents; asking
    also library. A module left beside the parts imports none of them."""
    part = _core_part(module)
    allowed = CORE_PARTS[part] | {part}
    wrong = sorted(
        name
        for name in _imports(MODULES[module])
        if name in MODULES and name.startswith("bot.core") and _core_part(name) not in allowed
    )
    assert wrong == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_imports_another_modules_private_names(module: str) -> None:
    """A `_name` is private to its module: no other module of the project imports it."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    private = sorted(
        f"{node.module}.{alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0
        if node.module.split(".")[0] in {"bot", "cogs"}
        for alias in node.names
        if alias.name.startswith("_") and not alias.name.startswith("__")
    )
    assert private == []
