"""Handwriting styles MNIST lacks, drawn on the pad by the project: a source of training digits and a test set.

For: teaching the default model the ways people write digits that MNIST (American Census
employees and students, 1990s) holds few of: the European 1 with its long flag, the crossed 7,
the 9 whose tail curls left like a "g", the open 4 written in one stroke, the slashed zero, the
2 with a loop, ... and measuring, style by style, how well a model reads them.

Each style is a few **templates**: strokes written as points in a box 100 units high, e.g.
``"5,5 65,3! 30,100 | 22,52 60,50"`` for a crossed 7 (strokes are parted by "|"; a "!" marks a
sharp corner; between corners the pen follows a smooth curve through the points). A digit is
drawn from a template the way a person would draw it on the pad:

1. every point is moved at random (JITTER units), the whole digit is bent by two smooth waves
   (WARP units), and a stroke may start or end with the little hook a pen leaves (HOOK), so no
   two digits are the same;
2. the digit is slanted, turned, widened or narrowed, sized and placed on the 280x280 pad at
   random (SLANT, ROTATION_DEG, ASPECT_RANGE, HEIGHT_RANGE), with a brush of random width
   (BRUSH_RANGE px), its strokes in a random order and direction (as the pad would record them;
   the ink is the same either way);
3. the strokes are drawn with the pad's round brush (digitlab.drawing.strokes) and the canvas
   is converted with digitlab.drawing.canvas.canvas_to_mnist, exactly as a drawing on the pad.

Training and testing are kept apart: the style test set (``make_style_set``) is drawn from
``Style.test`` templates, which training never sees, with its own seed; ``style_batch`` draws
training digits from ``Style.train`` templates only, on a smaller canvas (faster; after the
conversion to 28x28 the images hardly differ).
``score_by_style`` reports a model's accuracy per style.

Not for: real people's handwriting (the project trains on MNIST, its own drawings and a
learner's; no third-party collections), or redrawing MNIST digits (digitlab.drawing.canvas_style).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..plumbing.checks import as_images_and_labels, as_positive_int
from ..plumbing.progress import with_progress
from ..plumbing.table import Table
from .canvas import canvas_to_mnist
from .canvas_style import CANVAS_FAST, CONVENTIONS, as_convention
from .strokes import PAD_SIZE, rasterize_strokes

JITTER = 3.0  # each template point moves by this much (standard deviation, units of the 100-unit box)
WARP = 5.0  # and the whole digit bends by up to this much, in two smooth waves (a longer tail, a rounder loop)
HOOK = (0.25, 3.0, 7.0)  # the chance that a stroke starts or ends with a little hook, and the hook's length
SLANT = (-0.15, 0.4)  # the top leans right by this share of the height (negative: left)
ROTATION_DEG = 6.0  # and the whole digit turns by up to this many degrees either way
ASPECT_RANGE = (0.75, 1.3)  # width stretched by this factor
HEIGHT_RANGE = (100.0, 230.0)  # the digit's height on the 280x280 pad, pixels
BRUSH_RANGE = (8.0, 32.0)  # brush diameter on the pad, pixels
SPACING = 2.0  # one point of a smooth curve every this many units
TEST_SEED = 2024  # the style test set's seed; training uses the recipe's own


@dataclass(frozen=True)
class Style:
    """One way of writing a digit: a name, its label, templates to train on and held-out ones to test on."""

    name: str
    label: int
    train: tuple  # template strings (see the module docstring)
    test: tuple  # held-out template strings, for the style test set only
    rare_in_mnist: bool = False  # a style MNIST holds few of, so a model trained on MNIST alone misreads it
    weight: int = 1  # its share of the training digits, against 1 for most: more for a style easily taken for another


O1 = "35,0 13,12 3,50 13,88 35,100 57,88 67,50 57,12 35,0 27,4"
O2 = "45,3 61,20 65,55 52,92 30,100 10,85 4,45 15,10 40,0"
O3 = "30,2 9,22 4,62 22,97 48,97 64,64 61,22 44,2 26,5"

STYLES = (
    Style("0 oval", 0, (O1, O2), (O3,)),
    Style("0 slashed", 0, (O1 + " | 10,88 58,10", O2 + " | 0,100 70,0"), (O3 + " | 8,84 60,14",), True),
    Style("1 plain stick", 1, ("40,0 38,100", "46,0 42,55 37,100"), ("40,0 40,62 39,100",)),
    Style("1 short flag", 1, ("28,18 44,0! 44,100", "30,14 46,0! 42,100"), ("26,20 36,8 45,0! 44,100",), weight=2),
    Style("1 long flag", 1, ("10,35 50,0! 48,100", "18,46 50,0! 50,100", "16,34 50,0! 50,100",
                             "6,42 26,20 49,0! 48,100", "4,28 24,14 48,0! 48,100"),
          ("6,32 28,16 48,0! 46,100", "12,38 36,12 50,0! 50,100"), True, weight=3),
    Style("1 flag and base", 1, ("20,25 45,0! 45,100 | 20,100 70,100", "16,30 44,0! 44,100 | 14,100 74,100"),
          ("24,20 45,0! 45,98 | 22,98 68,101",), True),
    Style("2 plain", 2, ("8,25 20,5 45,0 62,15 58,40 30,70 5,100! 70,100", "10,20 35,0 60,12 60,35 5,100! 72,98"),
          ("12,15 30,2 52,4 62,22 50,50 20,80 5,100! 40,97 70,100",)),
    Style("2 looped", 2, ("8,25 22,4 45,0 62,15 57,42 36,66 20,86 10,96 3,90 6,78 16,76 24,84 24,94 32,99 70,98",
                          "12,18 35,0 58,10 60,32 40,60 24,80 12,92 4,86 8,76 20,78 24,90 30,98 72,97"),
          ("10,20 28,3 50,2 63,20 52,48 30,74 16,92 6,96 2,86 10,78 22,82 26,92 36,98 70,100",), True),
    Style("3 round", 3, ("8,15 30,0 55,5 60,25 42,44 28,48! 48,52 64,68 60,90 35,100 8,90",
                         "10,10 35,0 57,12 50,35 30,46! 52,55 62,75 50,95 25,100 5,85"),
          ("6,18 25,2 50,2 60,20 50,40 32,47! 56,58 62,80 45,98 20,98 6,88",)),
    Style("3 flat top", 3, ("8,3 62,3! 30,40 55,50 65,72 50,95 25,100 5,88",
                            "5,6 60,0! 28,38 50,45 64,65 55,92 30,100 6,92"),
          ("10,2 64,5! 32,42 58,54 64,78 45,98 18,98 4,86",), True),
    Style("4 open", 4, ("28,0 8,62! 72,60 | 55,25 55,100", "22,0 10,58! 70,58 | 52,15 54,100"),
          ("25,0 12,40 8,60! 68,62 | 56,20 52,100",)),
    Style("4 closed", 4, ("55,0 5,65! 72,65 | 55,0 55,100", "55,100 55,0! 5,65! 72,65"),
          ("58,0 5,62! 72,62 | 55,12 52,100",)),
    Style("4 open in one stroke", 4, ("15,0 10,58! 64,58 66,30 64,2 60,6 59,40 58,100",
                                      "12,0 10,40 22,58 50,58 62,48 64,0! 60,100",
                                      "14,0 12,45 26,60 52,58 66,40 68,4 58,10 56,50 56,100",
                                      "10,0 8,40 18,58 40,60 60,52 66,30 66,0 60,20 58,60 56,100"),
          ("18,0 12,46 28,60 56,56 66,30 66,0! 62,56 58,100", "10,2 8,50 20,62 60,60 64,20 62,0 58,24 56,100"), True),
    Style("5 flag drawn last", 5, ("15,5 10,45! 35,38 58,48 62,72 45,95 20,100 5,88 | 15,5 65,3",
                                   "18,3 12,42! 40,35 62,52 60,80 40,98 12,96 | 18,3 62,0"),
          ("14,4 10,44! 32,40 56,50 63,74 48,96 22,100 6,90 | 16,4 64,6",)),
    Style("5 in one stroke", 5, ("65,3 15,5! 10,45! 35,38 58,48 62,72 45,95 20,100 5,88",
                                 "62,0 18,3! 12,42! 40,35 62,52 60,80 40,98 12,96"),
          ("66,2 16,5! 12,48! 38,40 60,54 58,84 38,100 8,92",)),
    Style("6 curved stem", 6, ("55,2 30,15 12,45 8,75 22,98 45,98 60,80 55,60 35,52 15,62 10,75",
                               "60,0 35,10 15,38 8,70 20,95 42,100 58,85 56,62 35,55 12,68"),
          ("58,4 32,12 14,40 6,72 18,96 42,100 60,84 58,64 40,54 18,60 8,74",)),
    Style("6 straight stem", 6, ("55,0 12,62 10,82 28,100 52,95 60,75 48,58 25,58 10,72",
                                 "50,0 14,58 8,80 25,98 50,96 60,78 50,60 28,58 12,68"),
          ("56,2 16,56 10,80 26,100 54,94 60,74 46,58 22,60 12,70",), True),
    Style("7 plain", 7, ("5,5 65,3! 30,100", "5,8 65,5! 45,45 32,100"), ("8,6 66,4! 50,40 36,100",)),
    Style("7 crossed", 7, ("5,5 65,3! 30,100 | 22,52 60,50", "4,18 6,5! 66,4! 32,100 | 18,52 58,50",
                           "6,6 64,4! 50,30 40,60 36,100 | 20,66 56,62", "4,4 66,6! 34,100 | 34,36 64,34",
                           "5,10 22,2 42,6 65,2! 50,35 40,65 34,100 | 16,70 54,66",
                           "4,20 6,6! 30,8 50,2 66,6! 52,40 38,75 28,100 | 22,56 60,50"),
          ("6,8 64,5! 46,46 34,100 | 28,50 58,49", "8,4 62,2! 48,40 42,70 40,100 | 24,58 62,56"), True),
    Style("7 with a tick", 7, ("3,26 5,5! 65,3! 30,100", "2,22 6,4! 64,6! 40,60 34,100"),
          ("4,28 4,8! 66,4! 36,100",), True),
    Style("8 in one stroke", 8, ("60,12 35,0 12,12 15,35 50,60 60,82 40,100 12,92 8,72 38,52 58,30 58,12",
                                 "55,8 35,0 15,10 18,32 45,52 62,75 50,96 22,100 8,82 22,60 50,42 60,20 52,5"),
          ("58,14 38,1 14,8 12,30 42,54 62,78 46,99 16,96 6,76 30,56 56,34 60,16",)),
    Style("8 two loops", 8, ("35,0 15,10 15,38 35,48 55,38 55,10 35,0 | 35,48 10,60 8,88 35,100 62,88 60,60 35,48",
                             "30,0 14,14 20,40 36,46 52,36 52,10 30,0 | 36,46 14,62 12,88 38,100 62,86 58,58 36,46"),
          ("34,2 18,8 14,32 34,46 54,34 52,8 34,2 | 34,46 12,58 10,86 34,100 60,90 62,62 34,46",), True),
    Style("9 straight tail", 9, ("60,15 40,0 15,8 10,30 28,45 55,38 62,15! 62,100",
                                 "35,0 12,15 15,38 40,45 62,30 55,5 35,0 | 62,10 62,100"),
          ("62,20 45,2 18,5 8,28 25,46 56,40 64,18! 60,100",)),
    Style("9 curled tail", 9, ("60,15 40,0 15,8 10,30 28,45 55,38 62,15! 62,70 52,92 30,100 10,90",
                               "62,18 42,0 16,6 10,30 30,46 58,36 64,12! 62,72 50,94 28,100 12,92 8,80",
                               "58,14 38,0 16,8 12,28 30,40 56,32 60,10! 62,60 56,85 38,100 14,96 4,80 10,68",
                               "60,10 45,0 28,4 24,18 36,28 56,22 62,6! 64,55 58,85 40,100 16,98 6,86",
                               "50,2 30,0 14,10 12,28 30,40 56,34 62,18! 62,66 52,92 30,100 10,92",
                               "62,20 48,4 26,6 16,24 26,40 50,38 62,22! 64,56 56,84 36,100 12,94 4,80 10,68"),
          ("60,16 38,0 14,10 10,32 30,46 58,34 62,14! 64,64 58,88 40,100 18,96 10,86 16,78",
           "56,4 34,0 14,12 16,32 36,40 58,30 62,12! 60,66 50,90 30,100 10,94 6,82"), True),
    Style("9 curved tail", 9, ("60,15 40,0 15,8 10,30 28,45 55,38 62,15! 58,55 45,100",
                               "58,18 38,0 14,10 12,32 32,46 56,36 60,12! 52,70 38,100"),
          ("62,16 42,0 16,8 10,32 30,46 58,38 64,16! 60,60 50,100",)),
)


# ---- templates to strokes ------------------------------------------------------------------------

def parse_template(template):
    """A template string as a list of strokes, each a list of pieces: (n, 2) float arrays split at corners."""
    strokes = []
    for text in template.split("|"):
        pieces, piece = [], []
        for token in text.split():
            corner = token.endswith("!")
            try:
                x, y = (float(v) for v in token.rstrip("!").split(","))
            except ValueError:
                raise ValueError(f"A template point must look like 12,34 (or 12,34! for a corner); got {token!r} "
                                 f"in {template!r}.") from None
            piece.append((x, y))
            if corner:
                pieces.append(piece)
                piece = [(x, y)]
        if len(piece) > 1 or not pieces:
            pieces.append(piece)
        strokes.append([np.array(p, dtype=np.float64) for p in pieces])
    return strokes


def smooth_curve(points, spacing=SPACING):
    """Points along a centripetal Catmull-Rom spline through ``points`` (n, 2): a smooth pen stroke."""
    points = np.asarray(points, dtype=np.float64)
    if len(points) < 3:  # a line, or a dot
        steps = max(1, int(np.linalg.norm(points[-1] - points[0]) / spacing)) if len(points) == 2 else 0
        return points[0] + np.linspace(0, 1, steps + 1)[:, None] * (points[-1] - points[0])
    P = np.concatenate([[2 * points[0] - points[1]], points, [2 * points[-1] - points[-2]]])
    lengths = np.linalg.norm(np.diff(P, axis=0), axis=1)  # (n + 1,)
    n = np.maximum(1, (lengths[1:-1] / spacing).astype(int))  # samples per segment, after its first point
    seg = np.repeat(np.arange(len(n)), n)  # which segment each sample lies on
    u = (np.arange(len(seg)) - np.repeat(np.cumsum(n) - n, n) + 1) / np.repeat(n, n)  # (0, 1] along it
    p0, p1, p2, p3 = P[seg], P[seg + 1], P[seg + 2], P[seg + 3]
    # Knots spaced by the square root of the distance (centripetal): no cusps, no loops that aren't drawn.
    t1 = (lengths[seg] ** 0.5 + 1e-9)[:, None]
    t2 = t1 + (lengths[seg + 1] ** 0.5 + 1e-9)[:, None]
    t3 = t2 + (lengths[seg + 2] ** 0.5 + 1e-9)[:, None]
    t = t1 + u[:, None] * (t2 - t1)
    a1 = ((t1 - t) * p0 + t * p1) / t1  # Barry and Goldman's pyramid, with t0 = 0
    a2 = ((t2 - t) * p1 + (t - t1) * p2) / (t2 - t1)
    a3 = ((t3 - t) * p2 + (t - t2) * p3) / (t3 - t2)
    b1 = ((t2 - t) * a1 + t * a2) / t2
    b2 = ((t3 - t) * a2 + (t - t1) * a3) / (t3 - t1)
    return np.concatenate([points[:1], ((t2 - t) * b1 + (t - t1) * b2) / (t2 - t1)])


def template_strokes(template, rng=None, jitter=JITTER, warp=WARP):
    """The strokes of a template in its 100-unit box, each an (n, 2) array; with rng, jittered and bent at random."""
    strokes = []
    for pieces in parse_template(template):
        moved = {}  # a corner is shared by two pieces: move it once
        line = []
        for piece in pieces:
            if rng is not None and jitter:
                piece = piece.copy()
                for j, p in enumerate(map(tuple, piece)):
                    moved.setdefault(p, rng.normal(0, jitter, 2))
                    piece[j] = piece[j] + moved[p]
            line.append(smooth_curve(piece) if not line else smooth_curve(piece)[1:])
        strokes.append(np.concatenate(line))
    if rng is not None:
        strokes = [add_hooks(s, rng) for s in strokes]
    if rng is not None and warp:
        for _ in range(2):  # a smooth wave: points along one direction shift by a sine of their position
            angle, frequency, phase = rng.uniform(0, 2 * np.pi), rng.uniform(0.5, 1.2), rng.uniform(0, 2 * np.pi)
            direction, push = np.array([np.cos(angle), np.sin(angle)]), rng.uniform(-warp, warp, 2)
            strokes = [s + push * np.sin(2 * np.pi * frequency * (s @ direction) / 100 + phase)[:, None]
                       for s in strokes]
    return strokes


def add_hooks(stroke, rng, hook=HOOK):
    """The stroke, perhaps with a short hook bent back at its start or its end, as a pen lands or lifts."""
    chance, shortest, longest = hook
    if len(stroke) < 2:
        return stroke
    for end in (0, -1):
        if rng.random() < chance:
            tip, inner = (stroke[0], stroke[1]) if end == 0 else (stroke[-1], stroke[-2])
            heading = np.arctan2(*(tip - inner)[::-1]) + rng.choice([-1, 1]) * rng.uniform(2.1, 2.8)
            hook_tip = tip + rng.uniform(shortest, longest) * np.array([np.cos(heading), np.sin(heading)])
            stroke = np.concatenate([[hook_tip], stroke]) if end == 0 else np.concatenate([stroke, [hook_tip]])
    return stroke


def place_on_pad(strokes, rng, canvas=PAD_SIZE, brush=None):
    """Slant, turn, size and place template strokes on a canvas at random; return (strokes in pixels, brush).

    brush: the brush diameter on the 280-px pad, or None for a random one in BRUSH_RANGE.
    """
    slant = rng.uniform(*SLANT)
    angle = np.deg2rad(rng.uniform(-ROTATION_DEG, ROTATION_DEG))
    aspect = rng.uniform(*ASPECT_RANGE)
    height = rng.uniform(*HEIGHT_RANGE)
    random_brush = rng.uniform(*BRUSH_RANGE)  # drawn either way: the same seed gives the same digits
    brush = random_brush if brush is None else float(brush)
    points = np.concatenate(strokes)
    centre = (points.min(axis=0) + points.max(axis=0)) / 2
    moved = []
    for s in strokes:
        x, y = (s[:, 0] - centre[0]) * aspect, s[:, 1] - centre[1]
        x = x - slant * y  # y runs down: the top (negative y) moves right
        moved.append(np.stack([x * np.cos(angle) - y * np.sin(angle), x * np.sin(angle) + y * np.cos(angle)], 1))
    points = np.concatenate(moved)
    scale = height / max(np.ptp(points[:, 1]), 1.0)
    low, high = points.min(axis=0) * scale, points.max(axis=0) * scale
    margin = brush / 2 + 2
    # Anywhere that keeps the whole digit, brush included, on the pad (shrunk if it would not fit).
    shrink = min(1.0, (PAD_SIZE - 2 * margin) / max((high - low).max(), 1.0))
    scale, low, high = scale * shrink, low * shrink, high * shrink
    offset = [rng.uniform(margin - lo, max(margin - lo, PAD_SIZE - margin - hi)) for lo, hi in zip(low, high)]
    factor = canvas / PAD_SIZE
    return [(s * scale + offset) * factor for s in moved], brush * factor


def sparse_points(points, gap):
    """The points of a stroke at least about ``gap`` apart along it, first and last kept: fewer dabs, same ink."""
    along = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(points, axis=0), axis=1))])
    keep = np.unique(np.floor(along / gap), return_index=True)[1]
    return points[np.union1d(keep, [len(points) - 1])]


def draw_style(style, rng, split="train", canvas=PAD_SIZE, brush=None):
    """Strokes of one digit in ``style`` as a person might draw it: (strokes (list of (n, 2) x, y), brush)."""
    templates = {"train": style.train, "test": style.test}[split]
    template = templates[rng.integers(len(templates))]
    strokes, brush = place_on_pad(template_strokes(template, rng), rng, canvas, brush)
    order = rng.permutation(len(strokes))
    return [strokes[i][::-1] if rng.random() < 0.5 else strokes[i] for i in order], brush


def _draw_and_convert(style, rng, split, canvas, convention, supersample, brush=None):
    """One digit of ``style``: its strokes drawn on a canvas and converted to (28, 28) float32."""
    strokes, brush = draw_style(style, rng, split, canvas, brush)
    strokes = [sparse_points(s, max(1.5, brush / 2)) for s in strokes]
    ink = rasterize_strokes(strokes, shape=(canvas, canvas), width=brush, supersample=supersample)
    if convention is None:
        convention = CONVENTIONS[rng.integers(len(CONVENTIONS))]
    return canvas_to_mnist(as_convention(ink, convention, rng))


# ---- sets of digits -----------------------------------------------------------------------------

def make_style_set(per_style=200, seed=TEST_SEED, split="test", styles=STYLES, brush=None, progress=True):
    """The style test set: (X float32 (N, 28, 28), y (N,), style (N,) names), ``per_style`` digits each.

    Drawn on the full 280x280 pad from the held-out templates (split="test"), in a random one of
    the canvas conventions, then converted with canvas_to_mnist. The same seed gives the same set;
    ``brush`` (pixels) draws those same digits with one brush instead of random ones.
    """
    as_positive_int(per_style, "per_style")
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test'; got {split!r}.")
    rng = np.random.default_rng(seed)
    jobs = [style for style in styles for _ in range(per_style)]
    X = np.zeros((len(jobs), 28, 28), np.float32)
    for i in with_progress(range(len(jobs)), progress, "style digits"):
        X[i] = _draw_and_convert(jobs[i], rng, split, PAD_SIZE, None, 2, brush)
    return X, np.array([s.label for s in jobs], np.uint8), np.array([s.name for s in jobs])


def style_batch(n, rng, styles=STYLES, progress=False):
    """(X float32 (n, 28, 28), y (n,)): digits in every style, from the training templates, for training.

    The styles take turns, each as many times in a round as its weight (a 1 with a long flag,
    easily taken for a 7, three times); drawn on a CANVAS_FAST canvas.
    """
    turns = np.repeat(np.arange(len(styles)), [style.weight for style in styles])
    picks = turns[np.arange(n) % len(turns)]
    X = np.zeros((n, 28, 28), np.float32)
    for i in with_progress(range(n), progress, "style digits"):
        X[i] = _draw_and_convert(styles[picks[i]], rng, "train", CANVAS_FAST, "grayscale", supersample=1)
    return X, np.array([styles[p].label for p in picks], np.uint8)


def score_by_style(models, X, y, style, styles=STYLES) -> Table:
    """One row per style: how many digits, whether MNIST holds few of them, and each model's accuracy.

    models: {"name": model} (anything with ``predict``); X, y, style: as make_style_set returns them.
    Three rows close the table: the accuracy over the styles rare in MNIST, over the others, and
    over every digit ("all styles").
    """
    X, y = as_images_and_labels(X, y)
    style = np.asarray(style)
    if len(style) != len(y):
        raise ValueError(f"got {len(y):,} digits but {len(style):,} style names: give one per digit")
    right = {name: model.predict(X) == y for name, model in models.items()}
    rare = np.isin(style, [s.name for s in styles if s.rare_in_mnist])

    def row(name, mask, note=""):
        return {"style": name, "digits": int(mask.sum()), "rare in MNIST": note,
                **{model: float(r[mask].mean()) if mask.any() else float("nan") for model, r in right.items()}}

    rows = [row(s.name, style == s.name, "yes" if s.rare_in_mnist else "") for s in styles if (style == s.name).any()]
    rows += [row("styles rare in MNIST", rare), row("other styles", ~rare), row("all styles", np.ones_like(rare))]
    return Table(rows, ["style", "digits", "rare in MNIST", *models], {name: "{:.1%}" for name in models},
                 title="Accuracy per handwriting style")


# ---- a writer with habits -----------------------------------------------------------------------

HABITS = ("1 long flag", "7 crossed")  # two habits of much of Europe: the 1 and the 7 MNIST's writers seldom wrote


def style_named(name, styles=STYLES) -> Style:
    """The style called ``name`` (e.g. "7 crossed")."""
    for style in styles:
        if style.name == name:
            return style
    raise ValueError(f"there is no style called {name!r}; the styles are: {', '.join(s.name for s in styles)}")


def with_styles(X, y, names=HABITS, seed=0, split="test"):
    """A copy of the images X (labels y) whose digits of the named styles are redrawn in them: (X float32, y).

    With the default names, every 1 is redrawn with a long flag and every 7 crossed: a writer
    whose handwriting MNIST hardly holds (the stand-ins of digitlab.finetune). Drawn on the full
    pad from the ``split`` templates, as the style test set is.
    """
    X, y = as_images_and_labels(X, y, "digits")
    chosen = {}
    for name in names:
        style = style_named(name)
        if style.label in chosen:
            raise ValueError(f"two styles for the digit {style.label}: {chosen[style.label].name!r} and {name!r}")
        chosen[style.label] = style
    X = X.copy()
    rng = np.random.default_rng(seed)
    for i in np.flatnonzero(np.isin(y, list(chosen))):
        X[i] = _draw_and_convert(chosen[int(y[i])], rng, split, PAD_SIZE, None, 2)
    return X, y
