"""Card colours: the brand, the refusals, and one colour per racing class."""

from __future__ import annotations

import colorsys
import hashlib
import re
from typing import Final

from bot.present.text import plain

BRAND_COLOUR: Final = 0x607D8B
NOT_FOUND_COLOUR: Final = 0xFAA61A
AMBIGUOUS_COLOUR: Final = 0xFEE75C
INVALID_COLOUR: Final = 0xED4245

# Classes as results write them, after `class_key`; equivalent names share a colour family.
CLASS_COLOURS: Final = {
    "LMP900": 0xD32F2F,
    "LMP1": 0xC62828,
    "LMP": 0xE53935,
    "LMH": 0xB71C1C,
    "HYPERCAR": 0xB71C1C,
    "LMDH": 0xAD1457,
    "GTP": 0xAD1457,
    "LMP675": 0x1E88E5,
    "LMP2": 0x1565C0,
    "LMP3": 0x8E24AA,
    "LMPC": 0x5E35B1,
    "DP": 0x6D4C41,
    "DPI": 0x8D6E63,
    "GTS": 0xF57C00,
    "GT1": 0xEF6C00,
    "LMGT1": 0xEF6C00,
    "GT": 0x43A047,
    "GT2": 0x2E7D32,
    "LMGT2": 0x2E7D32,
    "GTLM": 0x00897B,
    "GTE": 0x00897B,
    "GTEPRO": 0x00897B,
    "GTEAM": 0x26A69A,
    "LMGTE": 0x00897B,
    "LMGTEPRO": 0x00897B,
    "LMGTEAM": 0x26A69A,
    "GTD": 0x7CB342,
    "GTDPRO": 0x558B2F,
    "GT3": 0xC0CA33,
    "LMGT3": 0xC0CA33,
    "GT4": 0x9E9D24,
}


def class_colour(class_: str) -> int:
    """The colour of a class: a fixed palette colour, else one derived stably from its name."""
    key = class_key(class_)
    if not key:
        return BRAND_COLOUR
    if key in CLASS_COLOURS:
        return CLASS_COLOURS[key]
    # hash() is salted per process; a digest gives the same colour on every run and machine.
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=4).digest()
    hue = int.from_bytes(digest[:2], "big") / 0x10000
    saturation = 0.55 + digest[2] / 255 * 0.3
    value = 0.75 + digest[3] / 255 * 0.15
    red, green, blue = colorsys.hsv_to_rgb(hue, saturation, value)
    return (round(red * 255) << 16) | (round(green * 255) << 8) | round(blue * 255)


def class_key(class_: str) -> str:
    """A class name without spaces, dashes or underscores, upper-cased: 'lmp 900' -> 'LMP900'."""
    return re.sub(r"[\s_\-]", "", plain(class_)).upper()
