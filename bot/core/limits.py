"""The limits the core answers within, defined once: Discord's and our own.

The slash commands, the console and the query service all read these, so a question the console
accepts is one Discord would accept too.
"""

from __future__ import annotations

from typing import Final

MAX_CHOICES: Final = 25
"""Discord offers at most 25 autocomplete choices."""
MAX_CHOICE_LENGTH: Final = 100
"""Discord's limit on an autocomplete choice's name and value."""
MAX_OPTION_LENGTH: Final = 100
"""Longest text a string option takes (and worth matching); longer ones are refused, not fuzzed."""
MAX_OPTIONS: Final = 25
"""Most options an ambiguity lists (narrow the question to see others)."""
MAX_DID_YOU_MEAN: Final = 3
"""Most "did you mean" names a not-found answer offers (the answer model allows three)."""
MAX_OFFERS: Final = 25
"""Most choices an offer or a "which one" carries (a Discord select menu's limit)."""
MAX_CHOICE_LABEL: Final = 80
"""Discord's limit on a button's or select option's label."""
