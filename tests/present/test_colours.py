"""Class colours: the fixed palette and stable derived colours."""

from __future__ import annotations

import subprocess
import sys

from bot.present.colours import CLASS_COLOURS, class_colour


def test_known_classes_have_their_palette_colour() -> None:
    """The fixed palette, whatever the spelling of the class."""
    assert class_colour("LMP900") == CLASS_COLOURS["LMP900"] == 0xD32F2F
    assert class_colour("LMP675") == 0x1E88E5
    assert class_colour("GTS") == 0xF57C00
    assert class_colour("GT") == 0x43A047
    assert class_colour("lmp 900") == class_colour("LMP900")
    assert class_colour("GT-2") == class_colour("GT2")
    assert len({class_colour(name) for name in ("LMP900", "LMP675", "GTS", "GT")}) == 4


def test_unknown_class_colour_is_stable_across_processes() -> None:
    """Derived from a digest, not hash(): the same colour under any PYTHONHASHSEED."""
    expected = class_colour("Formula Zed")
    assert expected == 0x39D63F  # fixed for all time: change it and every channel changes colour
    assert 0 <= expected <= 0xFFFFFF
    code = "from bot.present.colours import class_colour; print(class_colour('Formula Zed'))"
    for hash_seed in ("1", "2"):
        output = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": hash_seed},
        ).stdout
        assert int(output) == expected


def test_unknown_classes_get_different_colours() -> None:
    """Different names, different colours (for these names at least)."""
    colours = {class_colour(name) for name in ("P1", "Group C", "TCR", "Invitational")}
    assert len(colours) == 4
