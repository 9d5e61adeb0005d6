"""Does the reading hold across brushes, and with a stray dot? Run by hand (needs MNIST, fetched on first use):

    python benchmarks/bench_styles.py [--model m.npz] [--per-style 80] [--mnist 2000]

Prints, for the default model (or --model):
  1. accuracy at brush widths 8, 12, ..., 32 px: on the style test set (the same digits each
     time, only the brush changes) and on MNIST test digits redrawn canvas-style, with each
     width's gap to the best width (goal: every width from 8 to 32 px within 1 point of the best);
  2. accuracy on digits drawn like the style test set's (see with_stray_dot) with one stray dot
     (a tap of the brush) placed at random at least DOT_GAP px away from the digit, against the
     same digits without it (goal: the same answers).
Numbers vary a little with the sizes chosen; compare within one run.
"""

import argparse
import time

import numpy as np

from digitlab import load_mnist, load_pretrained
from digitlab.drawing.canvas import canvas_to_mnist
from digitlab.drawing.canvas_style import make_canvas_style_set
from digitlab.drawing.strokes import PAD_SIZE, rasterize_strokes
from digitlab.drawing.styles import STYLES, TEST_SEED, draw_style, make_style_set

WIDTHS = (8, 12, 16, 20, 24, 28, 32)
DOT_GAP = 25  # px of empty pad at least between the stray dot and the digit's ink


def brush_sweep(model, per_style, n_mnist):
    """Accuracy per brush width on the style test set and on canvas-style MNIST test digits."""
    X_test, y_test = load_mnist("test")
    print(f"{'brush':>6}{'styles':>10}{'gap':>8}{'MNIST canvas-style':>22}{'gap':>8}")
    rows = []
    for width in WIDTHS:
        X, y, _ = make_style_set(per_style=per_style, brush=width, progress=False)
        Xc, yc = make_canvas_style_set(X_test[:n_mnist], y_test[:n_mnist], seed=0, progress=False, brush=width)
        rows.append((width, model.score(X, y), model.score(Xc, yc)))
    best_s, best_c = max(r[1] for r in rows), max(r[2] for r in rows)
    for width, s, c in rows:
        print(f"{width:4d} px{s:10.2%}{100 * (s - best_s):+8.2f}{c:22.2%}{100 * (c - best_c):+8.2f}")
    worst = min(min(s - best_s, c - best_c) for _, s, c in rows)
    print(f"Largest gap to the best width, 8 to 32 px: {-100 * worst:.2f} points "
          f"(goal: at most 1) -> {'met' if worst >= -0.01 else 'NOT met'}")


def with_stray_dot(per_style, seed=TEST_SEED):
    """per_style digits of every style, each also with one stray dot: (X, X_dot, y).

    Drawn like the style test set's (its seed, the held-out templates, random brushes, the full
    pad), as white ink straight from the strokes, but not the same digits: make_style_set also
    draws a canvas convention (and its colours) from the same random numbers, so the two sets
    part ways after the first digit. A digit that leaves no room for a dot DOT_GAP px away from
    its ink is left out.
    """
    rng, place = np.random.default_rng(seed), np.random.default_rng(seed + 1)
    clean, dotted, labels = [], [], []
    for style in STYLES:
        for _ in range(per_style):
            strokes, brush = draw_style(style, rng, "test")
            pixels = rasterize_strokes(strokes, (PAD_SIZE, PAD_SIZE), brush, supersample=2)
            rows, cols = np.flatnonzero(pixels.any(axis=1)), np.flatnonzero(pixels.any(axis=0))
            r = brush / 2
            for _ in range(1000):  # a random spot on the pad, DOT_GAP clear of the ink's box
                x, y = place.uniform(r, PAD_SIZE - r, size=2)
                gap = max(cols[0] - (x + r), (x - r) - cols[-1], rows[0] - (y + r), (y - r) - rows[-1])
                if gap >= DOT_GAP:
                    break
            else:
                continue  # the digit fills the pad: no room for a dot away from it
            dot = rasterize_strokes([[(x, y)]], (PAD_SIZE, PAD_SIZE), brush, supersample=2)
            clean.append(canvas_to_mnist(pixels))
            dotted.append(canvas_to_mnist(np.maximum(pixels, dot)))
            labels.append(style.label)
    return np.array(clean), np.array(dotted), np.array(labels)


def stray_dots(model, per_style):
    """Accuracy with and without a stray dot, and how many answers the dot changed."""
    X, X_dot, y = with_stray_dot(per_style)
    same = (model.predict(X) == model.predict(X_dot)).mean()
    print(f"Style test set, {len(y):,} digits with room for a dot: accuracy {model.score(X, y):.2%} without, "
          f"{model.score(X_dot, y):.2%} with a stray dot; the same answer for {same:.2%} (goal: 100%)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="model file (default: the shipped default model)")
    parser.add_argument("--per-style", type=int, default=80, help="style test digits per style and width")
    parser.add_argument("--mnist", type=int, default=2000, help="MNIST test digits redrawn per width")
    args = parser.parse_args()
    model = load_pretrained(args.model)
    started = time.perf_counter()
    brush_sweep(model, args.per_style, args.mnist)
    stray_dots(model, args.per_style)
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
