"""The live seeds/ folder: the one place the tests read it, and proof that nothing else does.

Every other test builds its library from the fixture copies in `tests/fixtures/races/`, so a
community that adds its own races to seeds/ can still run the whole suite.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.core.documents.parsing import load_folder
from tests.paths import PROJECT, RACES, SHIPPED_SEEDS

EXTRA_RACE = "2002-grand-prix-of-example.txt"

# The suites that check answers (the query service, the cogs, the console and the CLI): they run
# again, in a copy of the project whose seeds/ holds a second race.
ANSWER_SUITES = (
    "tests/core/asking/test_query.py",
    "tests/core/asking/test_query_edges.py",
    "tests/core/asking/test_suggest.py",
    "tests/cogs/test_cogs.py",
    "tests/app/test_console.py",
    "tests/app/test_export.py",
)


def extra_race_text() -> str:
    """A second valid race: the seed retitled, moved to 2002 and to another series."""
    text = (SHIPPED_SEEDS / "2003-grand-prix-of-sonoma.txt").read_text("utf-8")
    text = text.replace("= 2003 Grand Prix of Sonoma =", "= 2002 Grand Prix of Example =", 1)
    text = text.replace("2003 American Le Mans Series", "2002 Example Sports Car Series")
    return text.replace("July 27, 2003", "August 4, 2002")


def test_the_shipped_seeds_load() -> None:
    """Every document shipped in seeds/ loads, with no document refused."""
    report = load_folder(SHIPPED_SEEDS)
    assert report.errors == ()
    assert len(report.races) == len(list(SHIPPED_SEEDS.glob("*.txt"))) >= 1


def test_the_fixture_races_are_the_shipped_seed() -> None:
    """The tests' copy of the seed is the shipped document, byte for byte."""
    for fixture in RACES.glob("*.txt"):
        assert fixture.read_bytes() == (SHIPPED_SEEDS / fixture.name).read_bytes()


def test_no_other_test_names_the_seeds_folder() -> None:
    """No other test builds a path to the live seeds/ (its own `tmp_path / "seeds"` is fine)."""
    allowed = {Path(__file__).resolve(), (PROJECT / "tests" / "paths.py").resolve()}
    project_paths = ("__file__", "PROJECT", "parents[", "parent.parent")
    offenders = []
    for path in sorted((PROJECT / "tests").rglob("*.py")):
        if path.resolve() in allowed:
            continue
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            live = '"seeds"' in line and any(word in line for word in project_paths)
            if live or "SHIPPED_SEEDS" in line:
                offenders.append(f"{path.relative_to(PROJECT)}:{number}")
    assert offenders == []


def test_the_extra_race_is_valid(tmp_path: Path) -> None:
    """The race the next test adds is a valid document of its own."""
    (tmp_path / EXTRA_RACE).write_text(extra_race_text(), "utf-8")
    report = load_folder(tmp_path)
    assert report.errors == ()
    [race] = report.races
    assert race.title == "2002 Grand Prix of Example"


@pytest.mark.skipif(
    os.environ.get("RACEBOT_EXTRA_RACE_RUN") == "1", reason="already inside the copy"
)
def test_a_second_race_in_seeds_fails_no_answer_test(tmp_path: Path) -> None:
    """The answer suites pass in a copy of the project whose seeds/ holds a second race."""
    copy = tmp_path / "project"
    copy.mkdir()
    for name in ("bot", "cogs", "tests", "bench"):
        shutil.copytree(
            PROJECT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
    shutil.copy(PROJECT / "pyproject.toml", copy)
    shutil.copytree(SHIPPED_SEEDS, copy / "seeds", ignore=shutil.ignore_patterns(".*"))
    (copy / "seeds" / EXTRA_RACE).write_text(extra_race_text(), "utf-8")
    loaded = load_folder(copy / "seeds")
    assert loaded.errors == ()
    assert "2002 Grand Prix of Example" in {race.title for race in loaded.races}
    assert len(loaded.races) >= 2
    env = {key: value for key, value in os.environ.items() if not key.startswith("RACEBOT_")}
    env |= {"RACEBOT_EXTRA_RACE_RUN": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("DISCORD_TOKEN", None)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *ANSWER_SUITES],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert " passed" in result.stdout
