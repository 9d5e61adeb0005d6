"""Numbers as the notebooks print them: real minus signs, no negative zero, no false certainty.

What this is for: every number a learner reads in a widget, a table or a figure title goes
through one of these, so that the same value always looks the same. What it is not: a
general formatting library.
"""

from __future__ import annotations

import math
import re

MINUS = "\u2212"  # the typographic minus sign
SIGNED_ZERO = re.compile(r"[+\-\u2212](0(?:\.0*)?)(\D*)")  # "-0.0", "+0", "\u22120.00%", "-0.0 points"


def signed(value, decimals: int = 2, plus: bool = False) -> str:
    """A number with a real minus sign and no negative zero: -0.5 -> '−0.50'; plus=True gives '+0.50'."""
    text = f"{float(value):.{decimals}f}"
    if float(text) == 0:
        text = text.lstrip("-")
    if plus and not text.startswith("-") and float(text) != 0:
        text = "+" + text
    return text.replace("-", MINUS)


def unsigned_zero(text: str) -> str:
    """A formatted number that rounded to zero loses its sign: '-0.0' -> '0.0', '+0.0%' -> '0.0%'."""
    match = SIGNED_ZERO.fullmatch(text)
    return match.group(1) + match.group(2) if match else text


def short_number(value, decimals: int = 4) -> str:
    """A loss or slope: fixed decimals when moderate, scientific when huge or tiny, 'infinite' past that."""
    value = float(value)
    if not math.isfinite(value):
        return "infinite"
    if value != 0 and (abs(value) >= 1e5 or abs(value) < 1e-3):
        return f"{value:.3g}".replace("-", MINUS)
    return signed(value, decimals)


def percent(p: float, decimals: int = 0) -> str:
    """A probability as a percentage that never rounds a doubt away: 0.996 is '>99%', never '100%'."""
    p = float(p)
    step = 10.0 ** -decimals / 100          # the smallest share the format can show
    if p >= 1 - step / 2:                   # float32 softmax can give exactly 1.0: still not certain
        return f">{100 * (1 - step):.{decimals}f}%"
    if 0 < p < step / 2:
        return f"<{100 * step:.{decimals}f}%"
    return f"{100 * p:.{decimals}f}%"


def plural(n: int, word: str) -> str:
    """'1 step', '2 steps'."""
    return f"{n:,} {word}{'s' * (n != 1)}"
