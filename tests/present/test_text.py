"""Text helpers: ordinals, escaping, mentions, truncation and control characters."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.formats import ordinal
from bot.present.text import (
    BIDI_CONTROLS,
    ZERO_WIDTH_SPACE,
    escape_markdown,
    md,
    plain,
    printable,
    text_length,
    truncate,
)


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (10, "10th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (14, "14th"),
        (21, "21st"),
        (22, "22nd"),
        (23, "23rd"),
        (100, "100th"),
        (101, "101st"),
        (102, "102nd"),
        (111, "111th"),
        (112, "112th"),
        (113, "113th"),
        (121, "121st"),
    ],
)
def test_ordinal_suffixes(number: int, text: str) -> None:
    """English ordinal suffixes, including the teens of every hundred."""
    assert ordinal(number) == text


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("**bold**", r"\*\*bold\*\*"),
        ("_it_ ~~s~~ `c` ||x||", r"\_it\_ \~\~s\~\~ \`c\` \|\|x\|\|"),
        ("> quote", r"\> quote"),
        ("# head", r"\# head"),
        ("- item", r"\- item"),
        ("[link](http://x)", r"\[link\]\(http://x\)"),
        ("back\\slash", "back\\\\slash"),
        ("Jean-Philippe", r"Jean\-Philippe"),
        ("plain words 123", "plain words 123"),
    ],
)
def test_escape_markdown(raw: str, escaped: str) -> None:
    """Every markdown character gets a backslash, including the backslash itself."""
    assert escape_markdown(raw) == escaped


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("@everyone", f"@{ZERO_WIDTH_SPACE}everyone"),
        ("hi @here!", f"hi @{ZERO_WIDTH_SPACE}here!"),
        ("@EVERYONE", f"@{ZERO_WIDTH_SPACE}EVERYONE"),
        ("<@123>", f"<@{ZERO_WIDTH_SPACE}123\\>"),
        ("<@!123>", f"<@{ZERO_WIDTH_SPACE}!123\\>"),
        ("<@&456>", f"<@{ZERO_WIDTH_SPACE}&456\\>"),
        ("mail@example.com", "mail@example.com"),
    ],
)
def test_escape_neutralises_mentions(raw: str, escaped: str) -> None:
    """Mass and user/role mentions are broken with a zero-width space; e-mail stays."""
    assert escape_markdown(raw) == escaped


@given(st.text())
def test_escaped_text_has_no_live_markdown_or_mentions(text: str) -> None:
    """Whatever the input, nothing special survives unescaped."""
    escaped = escape_markdown(text)
    unescaped_specials = re.sub(r"\\.", "", escaped, flags=re.DOTALL)
    assert not re.search(r"[*_~`|>#\-\[\]()\\]", unescaped_specials)
    assert not re.search(r"@(everyone|here)", escaped, re.IGNORECASE)
    assert "<@" not in escaped.replace(f"<@{ZERO_WIDTH_SPACE}", "")


def test_truncate_marks_the_cut() -> None:
    """Over-long text ends in an ellipsis within the limit; short text is untouched."""
    assert truncate("abcdef", 6) == "abcdef"
    assert truncate("abcdefg", 6) == "abcde…"
    assert truncate("ab     cdefg", 6) == "ab…"
    assert truncate("abc", 0) == ""
    assert truncate("abc", 1) == "…"


def test_truncate_never_leaves_a_dangling_escape() -> None:
    r"""A cut right after a backslash drops it, so "\…" never escapes the ellipsis."""
    escaped = escape_markdown("ab*cd")  # ab\*cd
    assert truncate(escaped, 4) == "ab…"
    assert truncate("a\\\\bc", 4) == "a\\\\…"


def test_truncate_counts_astral_characters_as_two_units() -> None:
    """Emoji outside the BMP count twice, as UTF-16 (and so Discord at its strictest) does."""
    assert text_length("🏎") == 2
    assert truncate("🏎🏎🏎", 5) == "🏎🏎…"
    assert text_length(truncate("🏎" * 100, 7)) <= 7


@given(st.text(), st.integers(min_value=0, max_value=50))
def test_truncate_fits_any_limit(text: str, limit: int) -> None:
    """The result always fits and is a prefix of the input (plus the ellipsis)."""
    cut = truncate(text, limit)
    assert text_length(cut) <= limit
    assert text.startswith(cut.removesuffix("…"))


# --- Control and bidi characters ------------------------------------------------------------------

# The invisible characters that change text direction: the Arabic letter mark, LRM and RLM,
# embeddings and overrides, isolates.
BIDI = [
    "\u061c",
    "\u200e",
    "\u200f",
    *map(chr, range(0x202A, 0x202F)),
    *map(chr, range(0x2066, 0x206A)),
]


def test_every_bidi_control_of_issue_10_is_listed() -> None:
    """U+061C, U+200E, U+200F, U+202A to U+202E and U+2066 to U+2069: twelve in all."""
    assert sorted(BIDI_CONTROLS) == sorted(BIDI)
    assert len(BIDI_CONTROLS) == 12


@pytest.mark.parametrize("control", BIDI)
def test_bidi_controls_are_removed_from_names(control: str) -> None:
    """A bidi control in a name vanishes, leaving the letters around it joined."""
    assert plain(f"Dy{control}son") == "Dyson"
    assert md(f"{control}Dyson Racing{control}") == "Dyson Racing"
    assert escape_markdown(f"a{control}*b") == r"a\*b"


def test_right_to_left_override_cannot_reverse_a_name() -> None:
    """The U+202E trick ('gnicaR' shown as 'Racing') leaves only the letters as typed."""
    spoof = "Dyson \u202egnicaR\u202c"
    assert md(spoof) == "Dyson gnicaR"
    assert "\u202e" not in escape_markdown(spoof)


def test_other_controls_still_become_spaces() -> None:
    """C0 and C1 controls and line breaks turn into single spaces, as before."""
    assert plain("a\x00b\x1b[2Jc\x85d\u2028e\n\tf") == "a b [2Jc d e f"


def test_printable_keeps_lines_and_drops_controls() -> None:
    """For the terminal: newlines and tabs stay; escapes, returns and bidi controls go."""
    assert printable("a\nb\tc") == "a\nb\tc"
    assert printable("a\x1b[2Jb\rc\x07\u202ed\u2066e\x9bf") == "a[2Jbcdef"


@given(st.text())
def test_no_bidi_control_survives(text: str) -> None:
    """Whatever the input, no bidi control reaches a card or the terminal."""
    for cleaned in (plain(text), md(text), escape_markdown(text), printable(text)):
        assert not set(cleaned) & set(BIDI_CONTROLS)
