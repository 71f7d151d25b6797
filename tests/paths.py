"""Where the tests' race documents live: fixture copies, never the live seeds/ folder.

Only `tests/test_shipped_seeds.py` reads `SHIPPED_SEEDS`; every other test builds its library
from `RACES`, so a community that adds its own races to seeds/ can still run the suite.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

PROJECT: Final = Path(__file__).resolve().parents[1]
RACES: Final = PROJECT / "tests" / "fixtures" / "races"
"""A copy of the shipped seed document, the folder the tests' libraries are built from."""
SEED: Final = RACES / "2003-grand-prix-of-sonoma.txt"
SHIPPED_SEEDS: Final = PROJECT / "seeds"
"""The folder the project ships; read by the one test that checks it loads."""
