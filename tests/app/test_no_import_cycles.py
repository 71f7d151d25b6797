"""No two modules of bot/app, bot/present, bot/discord and cogs import each other, even by way of
others: imports point one way. Read from the source (ast), so an import inside a function counts
as much as one at the top. Imports under `if TYPE_CHECKING:` never run and are left out: the
Discord layer's types name the bot's client (`Interaction[RaceBot]`) in modules the client uses."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
CHECKED = ("bot/app", "bot/present", "bot/discord", "cogs")


def module_name(path: Path) -> str:
    """`bot/app/console.py` is `bot.app.console`; a package's `__init__.py` is the package."""
    parts = path.relative_to(PROJECT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    """Every checked module by its dotted name."""
    return {
        module_name(path): path
        for folder in CHECKED
        for path in sorted((PROJECT / folder).rglob("*.py"))
    }


def is_type_checking(node: ast.AST) -> bool:
    """Whether a node is `if TYPE_CHECKING:` (or `if typing.TYPE_CHECKING:`)."""
    if not isinstance(node, ast.If):
        return False
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node of the tree except those under `if TYPE_CHECKING:` (their `else:` is kept)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        if is_type_checking(node):
            assert isinstance(node, ast.If)
            stack.extend(node.orelse)
        else:
            stack.extend(ast.iter_child_nodes(node))


def imported_names(tree: ast.AST, package: str) -> Iterator[str]:
    """Every module name an import anywhere in the tree may mean: for `from a import b`, both
    `a.b` (if b is a module) and `a`."""
    for node in runtime_nodes(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the module's own package upwards
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def import_graph() -> dict[str, set[str]]:
    """Each checked module and the checked modules it imports."""
    found = modules()
    graph: dict[str, set[str]] = {}
    for name, path in found.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        targets = {target for target in imported_names(tree, package) if target in found}
        graph[name] = targets - {name}
    return graph


def find_cycle(graph: Mapping[str, set[str]]) -> list[str] | None:
    """One cycle as the modules along it (first repeated at the end), or None."""
    done: set[str] = set()
    path: list[str] = []
    on_path: set[str] = set()

    def visit(node: str) -> list[str] | None:
        path.append(node)
        on_path.add(node)
        for target in sorted(graph.get(node, ())):
            if target in on_path:
                return [*path[path.index(target) :], target]
            if target not in done:
                cycle = visit(target)
                if cycle is not None:
                    return cycle
        path.pop()
        on_path.discard(node)
        done.add(node)
        return None

    for start in sorted(graph):
        if start not in done:
            cycle = visit(start)
            if cycle is not None:
                return cycle
    return None


def test_no_import_cycles() -> None:
    """Among the checked packages, following imports never leads back to where it started."""
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_graph_is_read_from_the_source() -> None:
    """The graph sees top-level and function-level imports (a test that sees nothing passes)."""
    graph = import_graph()
    assert "bot.app.chart" in graph["bot.app.console"]  # at the top of console.py
    assert "bot.app.console" in graph["bot.app.cli"]  # inside a function of cli.py


def test_a_cycle_is_found() -> None:
    """A circle, however long, is reported with its modules in order; a one-way graph is not."""
    circle = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(circle) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "d": {"a", "c"}}) is None


def test_a_function_level_import_makes_an_edge() -> None:
    """An import inside a function is an edge like any other."""
    tree = ast.parse("def f():\n    from bot.app import console\n")
    assert "bot.app.console" in set(imported_names(tree, "bot.app"))


def test_a_type_checking_import_makes_no_edge() -> None:
    """An import that only the type checker reads is no edge; one beside it still is."""
    source = "if TYPE_CHECKING:\n    import bot.app.cli\nelse:\n    import bot.app.chart\n"
    names = set(imported_names(ast.parse(source), "bot.app"))
    assert "bot.app.cli" not in names
    assert "bot.app.chart" in names
