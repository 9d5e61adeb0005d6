"""How fast is reading a drawing? Run by hand: `python benchmarks/bench_canvas.py [--canvas-style]`.

Prints, for one 280x280 drawing in each canvas convention:
  - the time of canvas_to_mnist alone (goal: well under 10 ms),
  - the time of canvas_to_mnist followed by a prediction of the default-sized MLP (same goal),
as the median of REPEATS runs after a warm-up. With --canvas-style (needs MNIST, fetched on first
use) it also times making the 10,000 canvas-style test digits (make_canvas_style_set), 60,000
canvas-style training digits (canvas_style_batch) and 10,000 digits in other handwriting styles
for training (style_batch), wall clock and CPU time, on one core.
Numbers vary with the machine and with whatever else it is doing; compare within one run.
"""

import argparse
import statistics
import time

import numpy as np

from digitlab import MLP
from digitlab.drawing.canvas import canvas_to_mnist
from digitlab.drawing.strokes import rasterize_strokes

REPEATS = 300


def drawings():
    """One crossed '7' drawn on a 280x280 pad with a 20 px brush, in each convention."""
    strokes = [[(60, 50), (200, 50), (110, 240)], [(90, 140), (170, 140)]]
    ink = rasterize_strokes(strokes, shape=(280, 280), width=20)
    alpha = np.zeros((280, 280, 4), np.uint8)
    alpha[..., 3] = ink
    white = np.full((280, 280, 4), 255, np.uint8)
    white[..., :3] = 255 - ink[..., None]
    black = np.full((280, 280, 4), 255, np.uint8)
    black[..., :3] = ink[..., None]
    return {"grayscale": ink, "alpha (transparent)": alpha, "dark on white": white, "light on black": black}


def median_ms(fn, repeats=REPEATS):
    """Median wall time of fn() in milliseconds, after one warm-up call."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def timed(fn):
    """Return (result, wall seconds, CPU seconds) of fn()."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def bench_canvas_style():
    """Time making the canvas-style evaluation and training sets."""
    from digitlab import load_mnist
    from digitlab.drawing.canvas_style import canvas_style_batch, make_canvas_style_set
    from digitlab.drawing.styles import style_batch

    X_test, y_test = load_mnist("test")
    X_train, _ = load_mnist("train")
    _, wall, cpu = timed(lambda: make_canvas_style_set(X_test, y_test, seed=0, progress=False))
    print(f"make_canvas_style_set, 10,000 test digits:  {wall:6.1f} s wall, {cpu:6.1f} s CPU")
    _, wall, cpu = timed(lambda: canvas_style_batch(X_train, np.random.default_rng(0)))
    print(f"canvas_style_batch, 60,000 training digits: {wall:6.1f} s wall, {cpu:6.1f} s CPU")
    _, wall, cpu = timed(lambda: style_batch(10_000, np.random.default_rng(0)))
    print(f"style_batch, 10,000 training digits:        {wall:6.1f} s wall, {cpu:6.1f} s CPU")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--canvas-style", action="store_true", help="also time the canvas-style data sets")
    args = parser.parse_args()
    model = MLP(seed=0)  # the default sizes; the weights do not change the time
    print(f"median of {REPEATS} runs, one 280x280 drawing")
    print(f"{'convention':<22}{'convert':>10}{'convert+predict':>18}")
    for name, drawing in drawings().items():
        convert = median_ms(lambda: canvas_to_mnist(drawing))
        both = median_ms(lambda: model.predict_proba(canvas_to_mnist(drawing)))
        print(f"{name:<22}{convert:8.2f} ms{both:15.2f} ms")
    if args.canvas_style:
        bench_canvas_style()


if __name__ == "__main__":
    main()
