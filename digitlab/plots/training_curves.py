"""The record of a finished training run: loss and accuracy per epoch, on the training and validation images.

For notebook 06 (overfitting). ``plot_history`` draws a ``digitlab.training.History``: two
panels, loss and accuracy against the epoch, training as a line and validation as dots, with
the epoch of the lowest validation loss marked. The live version, redrawn while training,
is digitlab.plots.live_curves. Not for computing anything.
"""

from __future__ import annotations

import numpy as np

from .figure import new_figure

TRAIN, VALIDATION = "tab:blue", "tab:orange"


def plot_history(history, title=""):
    """Loss and accuracy per epoch, training and validation; a dotted line at the lowest validation loss."""
    epochs = np.arange(1, len(history.loss) + 1)
    if len(epochs) == 0:
        raise ValueError("the history holds no finished epoch: there is nothing to draw")
    fig = new_figure((9, 3.3))
    ax_loss, ax_acc = fig.subplots(1, 2)
    for ax, key, label in ((ax_loss, "loss", "loss (lower is better)"),
                           (ax_acc, "accuracy", "accuracy (higher is better)")):
        ax.plot(epochs, getattr(history, key), color=TRAIN, lw=1.8, label="training")
        validation = getattr(history, "val_" + key)
        if validation:
            ax.plot(epochs[:len(validation)], validation, "o-", color=VALIDATION, ms=3, lw=1, label="validation")
        ax.set(xlabel="epoch", title=label)
        ax.legend()
    if history.val_loss:
        best = int(np.argmin(history.val_loss)) + 1
        for ax in (ax_loss, ax_acc):
            ax.axvline(best, ls=":", color="gray")
        ax_loss.annotate(f"lowest validation loss\n(epoch {best})", (best, ax_loss.get_ylim()[1]),
                         xytext=(4, -4), textcoords="offset points", va="top")
    ax_acc.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    if title:
        fig.suptitle(title)
    return fig
