"""How long does the kernel take to answer one stroke on the drawing pad? Run by hand.

Prints the median and worst time, over REPEATS strokes, from a new stroke arriving in the kernel
to the pad's reading being shown (rasterise, canvas_to_mnist, predict, PNG and HTML updates),
with and without a PipelineView following the pad. Run outside a kernel, so sending the updates
to the browser is not included: the whole browser round trip (mouse-up to
updated prediction on screen, goal <= 150 ms) is measured by tests/browser/test_drawing_pad.py
and written to tests/browser/artifacts/latency.txt.
"""

import statistics
import time

import numpy as np

import digitlab
from digitlab.widgets import DrawingPad, PipelineView

REPEATS = 50
SEVEN = [[(70.0, 60.0), (210.0, 60.0)]] + [[(210.0 - 90 * t, 60.0 + 180 * t) for t in np.linspace(0, 1, 40)]]


def time_strokes(pad):
    """Milliseconds for each of REPEATS two-stroke updates of the pad."""
    times = []
    for _ in range(REPEATS):
        pad.clear()
        pad.strokes = SEVEN[:1]
        started = time.perf_counter()
        pad.strokes = SEVEN
        times.append(1000 * (time.perf_counter() - started))
    return times


def main():
    model = digitlab.load_pretrained()
    pad = DrawingPad(model)
    alone = time_strokes(pad)
    PipelineView(pad)  # follows the pad from now on
    followed = time_strokes(pad)
    for name, times in [("pad alone", alone), ("pad + PipelineView", followed)]:
        print(f"{name:20s} median {statistics.median(times):5.1f} ms   worst {max(times):5.1f} ms")


if __name__ == "__main__":
    main()
