"""The trade-off of refusing to answer when unsure: the share refused against the accuracy on the rest.

For notebook 07. ``plot_refusal_tradeoff`` draws a table from ``digitlab.shift.refusal_tradeoff``:
one point per confidence threshold, the share of images refused across, the accuracy on the
accepted ones up. Not for computing it.
"""

from __future__ import annotations

import numpy as np

from .figure import new_figure


def plot_refusal_tradeoff(table, title="Refusing when not sure"):
    """Accuracy on the accepted images against the share refused, one labelled point per threshold."""
    refused, accuracy = np.asarray(table["refused"]), np.asarray(table["accuracy on accepted"])
    fig = new_figure((6, 3.6))
    ax = fig.add_subplot()
    ax.plot(refused, accuracy, "o-", color="tab:blue")
    for t, x, y in zip(table["threshold"], refused, accuracy):
        if np.isfinite(y):
            ax.annotate(f"{t:g}", (x, y), textcoords="offset points", xytext=(5, -12))
    ax.set(xlabel="share of images refused (\"I'm not sure\")", ylabel="accuracy on the images accepted",
           title=title)
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:.1%}")
    ax.grid(alpha=0.3)
    return fig
