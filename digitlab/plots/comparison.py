"""Pictures of measurements: accuracy before and after fine-tuning, and a deployed model week by week.

What this is for: drawing the tables that digitlab.finetune.compare and digitlab.shift.accuracy_by
compute. Not for: computing them.
"""

from __future__ import annotations

import numpy as np

from ..plumbing.table import Table
from .figure import new_figure


def plot_comparison(table: Table, title="Accuracy before and after fine-tuning"):
    """Grouped bars: for every row of a ``compare`` table (a set, a student), accuracy of both models."""
    first, second = table.columns[2], table.columns[3]
    fig = new_figure((1.6 + 1.9 * len(table), 3.6))
    ax = fig.add_subplot()
    x = np.arange(len(table))
    for offset, column, colour in ((-0.2, first, "tab:gray"), (0.2, second, "tab:blue")):
        bars = ax.bar(x + offset, table[column], width=0.4, label=column, color=colour)
        ax.bar_label(bars, labels=[f"{v:.1%}" for v in table[column]], fontsize=8)
    bottom = max(0.0, min(min(table[first]), min(table[second])) - 0.1)  # zoom in on the differences
    ax.set(xticks=x, xticklabels=table[table.columns[0]], title=title, ylim=(bottom, 1.02),
           ylabel="accuracy" + (f" (axis starts at {bottom:.0%})" if bottom > 0 else ""))
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.legend(loc="lower right")
    return fig


def plot_by_group(table: Table, columns=("accuracy", "mean confidence", "ink fraction"), title=""):
    """Lines of some columns of an ``accuracy_by`` table against its first column (e.g. week)."""
    fig = new_figure((7, 3.5))
    ax = fig.add_subplot()
    x = table[table.columns[0]]
    for column in columns:
        ax.plot(x, table[column], marker="o", label=column)
    ax.set(xlabel=table.columns[0], ylim=(0, 1.05), title=title)
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.set_xticks(x)
    ax.legend(loc="lower left")
    return fig
