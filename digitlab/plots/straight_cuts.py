"""Pictures for notebook 01: the beach days and the perceptron's straight cut, and XOR's four points.

A perceptron answers 1 on one side of the flat cut x·w + b = 0 and 0 on the other. With three
inputs of ±1 the possible days are the corners of a cube, and the cut is a plane through it
(``plot_perceptron_cut``). With two inputs the days are the corners of a square and the cut is
a line; for XOR no line puts both 1s on one side and both 0s on the other
(``plot_xor``). Not for computing anything: the perceptron lives in digitlab.lessons.perceptron.
"""

from __future__ import annotations

import numpy as np

from ..lessons.perceptron import INPUT_NAMES, INPUT_WORDS
from ..plumbing.text import signed
from .figure import new_figure

YES, NO = "tab:orange", "tab:blue"     # label 1 (beach) and label 0 (home); the markers differ too
UNSEEN = "gray"


def _points(ax, X, y, columns, names=("1", "0")):
    """Label-1 points as filled circles, label-0 points as crosses (shape and colour both tell)."""
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    extra = {"depthshade": False} if len(columns) == 3 else {"zorder": 3}
    for label, marker, colour, name in ((1, "o", YES, names[0]), (0, "X", NO, names[1])):
        ax.scatter(*[X[y == label, c] for c in columns], s=110, marker=marker, color=colour, label=name, **extra)


def cut_equation(w, b, names=INPUT_NAMES) -> str:
    """'1.50·weather + 0.50·day + 0.50·friends − 1.50 = 0', with real minus signs."""
    terms = [f"{signed(w[0])}·{names[0]}"] + [f"{'−' if v < 0 else '+'} {signed(abs(v))}·{n}"
                                              for v, n in zip(w[1:], names[1:])]
    return " ".join(terms + [f"{'−' if b < 0 else '+'} {signed(abs(b))} = 0"])


def plane_corners(w, b, reach=1.4):
    """(x1, x2, x3) grids, each (2, 2), of the plane x·w + b = 0 over the cube's span; None if w is 0."""
    w = np.asarray(w, dtype=float)
    solve = int(np.argmax(np.abs(w)))                        # the plane as a function of the other two inputs
    if w[solve] == 0:
        return None
    others = [i for i in range(3) if i != solve]
    A, B = np.meshgrid([-reach, reach], [-reach, reach])
    grids = {others[0]: A, others[1]: B, solve: -(w[others[0]] * A + w[others[1]] * B + b) / w[solve]}
    return grids[0], grids[1], grids[2]


def plot_perceptron_cut(X, y, w, b, unseen=None):
    """The days as corners of a cube (inputs ±1), coloured by label, and the plane x·w + b = 0 cutting it."""
    w = np.asarray(w, dtype=float)
    fig = new_figure((6.2, 5.2))
    ax = fig.add_subplot(projection="3d")
    _points(ax, X, y, (0, 1, 2), ("1: beach", "0: home"))
    if unseen is not None and len(unseen):
        U = np.asarray(unseen, dtype=float)
        ax.scatter(U[:, 0], U[:, 1], U[:, 2], s=110, marker="o", facecolors="none", edgecolors=UNSEEN,
                   label="not in the diary", depthshade=False)
    corners = plane_corners(w, b)
    if corners is not None:
        ax.plot_surface(*corners, alpha=0.25, color="gray")
    ticks = [(INPUT_WORDS[0][-1], INPUT_WORDS[0][1]), (INPUT_WORDS[1][-1], INPUT_WORDS[1][1]), ("no", "yes")]
    for axis, name, words in zip("xyz", INPUT_NAMES, ticks):
        getattr(ax, f"set_{axis}lim")(-1.4, 1.4)
        getattr(ax, f"set_{axis}ticks")([-1, 1], labels=words)
        getattr(ax, f"set_{axis}label")(name if name != "friends" else "a friend can come")
    ax.set_title("The cut: " + cut_equation(w, b))
    ax.legend(loc="upper left")
    return fig


def plot_xor(X, y, cuts=()):
    """Four points (inputs ±1, two of them) labelled XOR, and lines w·x + b = 0 tried as cuts, each scored."""
    X, y = np.asarray(X, dtype=float)[:, :2], np.asarray(y)
    fig = new_figure((6.0, 6.2))
    ax = fig.add_subplot()
    _points(ax, X, y, (0, 1))
    t = np.linspace(-1.6, 1.6, 2)
    for k, (w, b) in enumerate(cuts, start=1):
        w = np.asarray(w, dtype=float)
        right = int(((X @ w[:2] + b >= 0).astype(int) == y).sum())
        label = f"cut {k}: {cut_equation(w[:2], b, ('weather', 'day'))}, {right} of {len(y)} right"
        if abs(w[1]) > 1e-12:
            ax.plot(t, -(w[0] * t + b) / w[1], ls="--", lw=1.5, label=label)
        elif abs(w[0]) > 1e-12:
            ax.plot([-b / w[0]] * 2, t, ls="--", lw=1.5, label=label)
    ax.set(xlim=(-1.6, 1.6), ylim=(-1.6, 1.6), xticks=[-1, 1], yticks=[-1, 1], aspect="equal",
           xlabel=f"{INPUT_NAMES[0]} (−1 {INPUT_WORDS[0][-1]}, +1 {INPUT_WORDS[0][1]})",
           ylabel=f"{INPUT_NAMES[1]} (−1 {INPUT_WORDS[1][-1]}, +1 {INPUT_WORDS[1][1]})",
           title="XOR: 1 when exactly one input is +1")
    fig.legend(loc="outside lower center")
    return fig
