"""How long does each widget button keep the kernel busy? Run by hand: `python benchmarks/bench_widgets.py`.

Prints, for every button (and the sliders and toggles that redraw something) of every widget in
the series, the median and worst kernel-side time of its handler over REPEATS presses (or more),
after one warm-up press. The goal is a visible response within 100 ms; a handler whose median is
over it is marked SLOW.
Run outside a kernel, so sending the new values to the browser is not included (the browser
tests measure whole round trips). Numbers vary with whatever else the machine is doing: check
`uptime` and compare within one run.
"""

from __future__ import annotations

import statistics
import tempfile
import time

import numpy as np

import digitlab
from digitlab.drawing.store import DrawingStore
from digitlab.widgets import (Collector, DrawingPad, PerceptronExplorer, PerceptronLearner, PipelineView,
                              TrainingDashboard, one_weight_explorer, two_weight_explorer)

REPEATS = 10
GOAL_MS = 100
SEVEN = [[[70.0, 60.0], [210.0, 60.0]], [[210.0 - 90 * t, 60.0 + 180 * t] for t in np.linspace(0, 1, 40)]]


def timed(action, before=None, repeats=REPEATS):
    """Milliseconds of each of `repeats` calls of action(), after one warm-up; before() runs untimed."""
    times = []
    for i in range(repeats + 1):
        if before is not None:
            before()
        started = time.perf_counter()
        action()
        if i:
            times.append(1000 * (time.perf_counter() - started))
    return times


def perceptron_rows():
    explorer = PerceptronExplorer()
    toggle = explorer.toggles[0]
    flip = lambda: setattr(toggle, "value", -toggle.value)  # noqa: E731
    slider = explorer.sliders[0]
    nudge = lambda: setattr(slider, "value", round(0.05 - slider.value, 2))  # noqa: E731
    learner = PerceptronLearner()
    yield "01 explorer", "input toggle", timed(flip)
    yield "01 explorer", "weight slider", timed(nudge)
    yield "01 learner", "Learning step", timed(learner.step_button.click)
    yield "01 learner", "Run to the end", timed(learner.run_button.click, before=learner.reset)
    yield "01 learner", "Start over", timed(learner.reset_button.click)


def every(n, explorer):
    """Reset the explorer (untimed) once it has taken n steps or more: a learner trying again."""
    explorer.reset()
    return lambda: explorer.reset() if len(explorer.gd.steps) >= n else None


def descent_rows():
    for name, explorer in (("02 one weight", one_weight_explorer()), ("02 two weights", two_weight_explorer())):
        # Presses as a learner makes them: rounds of steps from the start, so that both the steps
        # that move an axis (the whole figure is drawn) and those that do not (only the path) count.
        yield name, "Step", timed(explorer.step_button.click, before=every(10, explorer), repeats=3 * REPEATS)
        yield name, "10 steps", timed(explorer.ten_button.click, before=every(30, explorer))
        yield name, "Reset", timed(explorer.reset_button.click, before=lambda e=explorer: e.step(5))
        rates = explorer.lr_slider.options
        change = lambda e=explorer, r=rates: setattr(e.lr_slider, "value", r[(r.index(e.lr_slider.value) + 1) % 2])  # noqa: E731
        yield name, "learning-rate slider", timed(change)
    # Diverging, every step widens both axes: the whole figure is drawn at every press.
    explorer = one_weight_explorer(lr=1.1)
    yield "02 lr 1.1 diverging", "Step", timed(explorer.step_button.click, before=every(10, explorer),
                                                repeats=3 * REPEATS)


def dashboard_rows():
    rng = np.random.default_rng(0)
    X, y = rng.random((64, 784), dtype=np.float32), rng.integers(0, 10, 64)
    dashboard = TrainingDashboard(digitlab.MLP(seed=0), X, y, epochs=1)
    yield "04 dashboard", "Stop", timed(dashboard.stop_button.click)


def pad_rows(model):
    pad = DrawingPad(model)
    draw = lambda: setattr(pad, "strokes", SEVEN)  # noqa: E731
    yield "05 pad", "Predict", timed(pad.predict_button.click, before=draw)
    yield "05 pad", "Undo", timed(pad.undo_button.click, before=draw)
    yield "05 pad", "Clear", timed(pad.clear_button.click, before=draw)
    PipelineView(pad)
    yield "05 pad + pipeline", "Predict", timed(pad.predict_button.click, before=draw)
    yield "05 pad + pipeline", "Undo", timed(pad.undo_button.click, before=draw)
    yield "05 pad + pipeline", "Clear", timed(pad.clear_button.click, before=draw)


def collector_rows(folder):
    collector = Collector(DrawingStore(folder), seed=0)
    draw = lambda: setattr(collector.canvas, "strokes", SEVEN)  # noqa: E731
    for _ in range(45):  # a gallery fuller than it shows
        draw()
        collector.save()
    yield "06 collector", "Save", timed(collector.save_button.click, before=draw)
    yield "06 collector", "Skip", timed(collector.skip_button.click)
    yield "06 collector", "Undo", timed(collector.undo_button.click, before=draw)
    yield "06 collector", "Clear", timed(collector.clear_button.click, before=draw)
    delete = lambda: collector.gallery.children[0].children[2].click()  # noqa: E731
    yield "06 collector", "Delete", timed(delete)
    yield "06 collector", "Undo delete", timed(collector.restore_button.click, before=delete)


def main():
    model = digitlab.load_pretrained()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for group in (perceptron_rows(), descent_rows(), dashboard_rows(), pad_rows(model),
                      collector_rows(folder)):
            for widget, control, times in group:
                rows.append((widget, control, statistics.median(times), max(times)))
                print(f"{widget:19s} {control:21s} median {rows[-1][2]:6.1f} ms   worst {rows[-1][3]:6.1f} ms"
                      + ("   SLOW" if rows[-1][2] > GOAL_MS else ""), flush=True)
    slowest, worst = max(rows, key=lambda r: r[2]), max(rows, key=lambda r: r[3])
    print(f"\n{len(rows)} handlers, {REPEATS} presses or more each (goal: under {GOAL_MS} ms). Slowest median: "
          f"{slowest[0]} {slowest[1]} {slowest[2]:.1f} ms; slowest single press: {worst[0]} {worst[1]} {worst[3]:.1f} ms")


if __name__ == "__main__":
    main()
