"""A labelled picture of a layered network: its layers as columns of neurons, and each layer's parameter count.

For notebooks 05 and 06. Each layer is a column of circles (at most ``shown`` of them; an
ellipsis stands for the rest), every neuron joined to every neuron of the next layer, and under
each connection the count it holds: n_in × n_out weights + n_out biases.
Not for computing anything: the network is digitlab.network.MLP.
"""

from __future__ import annotations

import numpy as np

from ..plumbing.text import plural
from .figure import new_figure

NEURON = "tab:blue"
EDGE = "0.75"


def layer_names(sizes) -> list:
    """'784 inputs', '128 hidden (ReLU)', ..., '10 outputs (softmax)'."""
    last = len(sizes) - 1
    return [plural(n, "input") + ("\n(the pixels)" if n == 784 else "") if i == 0 else
            plural(n, "output") + "\n(softmax)" if i == last else
            f"{n:,} hidden\n(ReLU)" for i, n in enumerate(sizes)]


def shown_positions(n, shown):
    """Heights of the circles drawn for a layer of n neurons (an ellipsis gap in the middle if n > shown)."""
    if n <= shown:
        return np.linspace(-1, 1, n) * min(1.0, (n - 1) / 3) if n > 1 else np.zeros(1)
    half = shown // 2
    top, bottom = np.linspace(1, 0.25, half), np.linspace(-0.25, -1, half)
    return np.concatenate([top, bottom])


def plot_network_diagram(sizes, shown=10, names=None, title=None):
    """Layers as columns of neurons, joined layer to layer, each connection labelled with its parameter count."""
    sizes = [int(s) for s in sizes]
    names = names or layer_names(sizes)
    fig = new_figure((2.4 * len(sizes) + 0.6, 4.4))
    ax = fig.add_subplot()
    columns = [shown_positions(n, shown) for n in sizes]
    for i, (ys, n) in enumerate(zip(columns, sizes)):
        if i + 1 < len(sizes):
            for y0 in ys:
                for y1 in columns[i + 1]:
                    ax.plot([i, i + 1], [y0, y1], color=EDGE, lw=0.5, zorder=1)
            count = sizes[i] * sizes[i + 1] + sizes[i + 1]
            ax.text(i + 0.5, -1.55, f"{sizes[i]:,}×{sizes[i + 1]:,} + {sizes[i + 1]:,}\n= {count:,} parameters",
                    ha="center", va="top")
        ax.scatter(np.full(len(ys), i), ys, s=160, color=NEURON, zorder=2, edgecolors="white")
        if n > shown:
            ax.text(i, 0, "⋮", ha="center", va="center", fontsize=16, zorder=3)
        ax.text(i, 1.3, names[i], ha="center", va="bottom")
    total = sum(a * b + b for a, b in zip(sizes, sizes[1:]))
    ax.set_title(title or f"{' → '.join(f'{n:,}' for n in sizes)}: {total:,} parameters")
    ax.set(xlim=(-0.5, len(sizes) - 0.5), ylim=(-2.3, 1.9))
    ax.set_axis_off()
    return fig
