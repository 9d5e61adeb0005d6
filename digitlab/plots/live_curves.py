"""The training dashboard's live picture: loss and accuracy curves, redrawn in place as training goes.

``LiveCurves`` keeps one matplotlib Figure (built without pyplot, so nothing piles up) with
two panels, loss and accuracy against epochs, training as a line and validation as dots.
``update(curves)`` moves the existing lines to new data, with axes that show every point from
the first batch on; ``png()`` renders the figure for an image widget. Cheap enough to redraw a
few times a second. Not for: deciding when to redraw or anything about training (see
``digitlab.plumbing.live_training``).
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import MaxNLocator, PercentFormatter

from .figure import figure_png, redrawn_figure

TRAIN_COLOR = "tab:blue"
VAL_COLOR = "tab:orange"


def shown_values(curves: dict, key: str) -> list:
    """Every finite training and validation value of one quantity: what the y-axis must show."""
    values = list(curves["train_" + key]) + list(curves["val_" + key])
    return [float(v) for v in values if np.isfinite(v)]


class LiveCurves:
    """Two panels, loss and accuracy per epoch, whose lines are moved to new data on each update."""

    def __init__(self, epochs: int, val_name: str = "validation", figsize=(9.0, 3.0), dpi: int = 72):
        self.epochs = epochs
        self.dpi = dpi
        # fixed margins: a layout engine would triple the drawing time
        self.fig = redrawn_figure(figsize, left=0.07, right=0.98, bottom=0.17, top=0.89, wspace=0.22)
        self.ax_loss, self.ax_acc = self.fig.subplots(1, 2)
        self.lines = {}
        for ax, key, title, corner in [(self.ax_loss, "loss", "loss (lower is better)", "upper right"),
                                       (self.ax_acc, "accuracy", "accuracy (higher is better)", "lower right")]:
            self.lines["train_" + key], = ax.plot([], [], color=TRAIN_COLOR, lw=1.2, label="training")
            self.lines["val_" + key], = ax.plot([], [], color=VAL_COLOR, marker="o", lw=1.5, label=val_name)
            ax.set(xlim=(0, max(epochs, 1)), xlabel="epoch", title=title)
            ax.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))  # few ticks: text is slow to draw
            ax.yaxis.set_major_locator(MaxNLocator(nbins=5))
            ax.grid(alpha=0.3)
            ax.legend(loc=corner)
        self.ax_acc.yaxis.set_major_formatter(PercentFormatter(xmax=1))
        self.ax_loss.set_ylim(0, 1)
        self.ax_acc.set_ylim(0, 1)

    def update(self, curves: dict) -> None:
        """Move the lines to the data in ``curves`` (keys train_x, train_loss, ..., val_accuracy)."""
        for part in ("train", "val"):
            x = curves[part + "_x"]
            for key in ("loss", "accuracy"):
                self.lines[f"{part}_{key}"].set_data(x, curves[f"{part}_{key}"])
        dot = 6 if len(curves["val_x"]) <= 30 else 2  # many epochs: small dots, or they hide the line
        self.lines["val_loss"].set_markersize(dot)
        self.lines["val_accuracy"].set_markersize(dot)
        losses = shown_values(curves, "loss")
        if losses:
            self.ax_loss.set_ylim(0, 1.1 * max(losses))
        accuracies = shown_values(curves, "accuracy")
        if accuracies:
            low = min(accuracies)
            self.ax_acc.set_ylim(max(0.0, low - 0.1 * (1 - low)), 1.005)

    def png(self) -> bytes:
        """The figure as PNG bytes."""
        return figure_png(self.fig, self.dpi)
