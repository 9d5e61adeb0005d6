"""Curves of two functions a network is built from: ReLU with its slope, and the loss −log p.

For notebooks 04 and 05: ``plot_relu`` draws relu(z) = max(0, z) beside its slope (0 left of
the corner at z = 0, 1 right of it); ``plot_minus_log`` draws −log p, the cross-entropy of one
image as a function of the probability p given to the right digit.
Not for computing them: they live in digitlab.network.
"""

from __future__ import annotations

import numpy as np

from ..network import relu, relu_slope
from .figure import new_figure

CURVE = "tab:blue"


def plot_relu(z_range=3.0):
    """ReLU and its slope, side by side: a straight line with one bend, and a step from 0 to 1."""
    z = np.linspace(-z_range, z_range, 601)
    fig = new_figure((8.4, 3.0))
    left, right = fig.subplots(1, 2)
    left.plot(z, relu(z), color=CURVE, lw=2)
    left.set(xlabel="z (the weighted sum)", ylabel="relu(z)", title="relu(z) = max(0, z)")
    neg, pos = z < 0, z > 0
    right.plot(z[neg], relu_slope(z[neg]), color=CURVE, lw=2)
    right.plot(z[pos], relu_slope(z[pos]), color=CURVE, lw=2)
    right.plot([0, 0], [0, 1], ls=":", color="gray")
    right.set(xlabel="z", ylabel="slope", ylim=(-0.1, 1.15), yticks=[0, 1],
              title="its slope: 0 for z < 0, 1 for z > 0")
    for ax in (left, right):
        ax.axhline(0, color="gray", lw=0.6)
        ax.axvline(0, color="gray", lw=0.6)
    return fig


def plot_minus_log(marks=(0.9, 0.5, 0.1, 0.01)):
    """−log p for p from 0 to 1: the loss of one image when the right digit gets probability p."""
    p = np.linspace(0.002, 1, 500)
    fig = new_figure((5.6, 3.4))
    ax = fig.add_subplot()
    ax.plot(p, -np.log(p), color=CURVE, lw=2)
    for m in marks:
        ax.plot([m], [-np.log(m)], "o", color="tab:red")
        ax.annotate(f"p = {m:g}: loss {-np.log(m):.2f}", (m, -np.log(m)), textcoords="offset points",
                    xytext=(8, 6) if m < 0.7 else (-40, 14))
    ax.set(xlabel="p, the probability given to the right digit", ylabel="loss −log p", ylim=(0, 6.5),
           title="Sure and right costs little; sure and wrong costs a lot")
    return fig
