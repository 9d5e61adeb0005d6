"""Two handwriting habits MNIST hardly holds: a 1 with a long flag, and a 7 with a bar across.

For notebook 08 (bias in the data). MNIST's digits were written by American Census Bureau
employees and high-school students. Many people elsewhere, across much of Europe for one, start
their 1 with a long upstroke (the flag) and cross their 7 so the two are not confused. A network
that learned from MNIST alone has met few such 1s, and reads them as 7s.

- ``flag_one`` and ``crossed_seven`` give the strokes of one such digit, at a random size, place
  and slant on the drawing pad (lists of (x, y) points, as the pad records them);
- ``draw_habit`` draws those strokes with the pad's brush and converts them as the pad does;
- ``with_habits`` replaces the 1s and 7s of a set of digits by such drawings: a writer with both
  habits, used for the stand-ins of fine-tuning (digitlab.finetune).

Not for: redrawing MNIST digits (digitlab.drawing.canvas_style) or drawing on screen.
"""

from __future__ import annotations

import numpy as np

from ..plumbing.checks import as_images_and_labels
from .canvas import canvas_to_mnist
from .strokes import PAD_SIZE, rasterize_strokes

BRUSH_RANGE = (14.0, 26.0)      # brush diameter on the pad, pixels, as canvas-style digits use
HABITS = {1: "a 1 with a long flag", 7: "a 7 with a bar across"}


def flag_one(rng) -> list:
    """A 1 started with a long upstroke from the lower left (the flag), then the stem straight down."""
    height = rng.uniform(150, 220)
    top = np.array([rng.uniform(120, 180), rng.uniform(25, PAD_SIZE - 20 - height)])
    flag = height * rng.uniform(0.4, 0.65)                 # as long as half the stem, give or take
    rise = flag * rng.uniform(0.4, 0.8)                    # how far the flag climbs on its way up
    lean = height * rng.uniform(-0.12, 0.12)               # a slight slant of the stem
    start = top + (-flag, rise)
    return [[tuple(start), tuple(top), tuple(top + (-lean, height))]]


def crossed_seven(rng) -> list:
    """A 7 (a bar along the top, then the leg down to the left) with a short bar across the leg."""
    width, height = rng.uniform(100, 170), rng.uniform(150, 220)
    left, top = rng.uniform(40, PAD_SIZE - 40 - width), rng.uniform(25, PAD_SIZE - 20 - height)
    corner, foot = np.array([left + width, top]), np.array([left + width * rng.uniform(0.2, 0.5), top + height])
    middle = corner + (foot - corner) * rng.uniform(0.4, 0.55)
    bar = [tuple(middle - (width * 0.35, 0)), tuple(middle + (width * 0.3, 0))]
    return [[(left, top), tuple(corner), tuple(foot)], bar]


STROKES = {1: flag_one, 7: crossed_seven}


def draw_habit(digit: int, rng) -> np.ndarray:
    """One 1 or 7 written with its habit, drawn with a round brush and converted as the pad does: (28, 28)."""
    if digit not in STROKES:
        raise ValueError(f"the habits drawn here are {HABITS}; there is none for the digit {digit!r}")
    width = rng.uniform(*BRUSH_RANGE)
    return canvas_to_mnist(rasterize_strokes(STROKES[digit](rng), width=width))


def with_habits(X, y, seed=0):
    """A copy of the images X (labels y) whose 1s and 7s are redrawn with the habits: (X, y), X float32."""
    X, y = as_images_and_labels(X, y, "digits")
    X = X.copy()
    rng = np.random.default_rng(seed)
    for i in np.flatnonzero(np.isin(y, list(STROKES))):
        X[i] = draw_habit(int(y[i]), rng)
    return X, y
