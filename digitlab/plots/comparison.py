"""Pictures of measurements: accuracy before and after fine-tuning, per handwriting style, week by week.

What this is for: drawing the tables that digitlab.finetune.compare, digitlab.drawing.styles.score_by_style
and digitlab.shift.accuracy_by compute. Not for: computing them.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import FixedLocator, PercentFormatter

from ..plumbing.table import Table
from .figure import SMALLEST_TEXT, new_figure

SUMMARY_ROWS = ("styles rare in MNIST", "other styles", "all styles")  # score_by_style's closing rows
MODEL_COLOURS = ("tab:gray", "tab:blue", "tab:orange", "tab:green")
PERCENT_TICKS = FixedLocator(np.linspace(0, 1, 6))  # 0%, 20%, ... 100%: never a tick past 100%


def plot_comparison(table: Table, title="Accuracy before and after fine-tuning"):
    """Grouped bars: for every row of a ``compare`` table (a set, a student), accuracy of both models.

    The accuracy axis starts at 0, so that a change of one point looks like one point.
    """
    first, second = table.columns[2], table.columns[3]
    fig = new_figure((1.6 + 1.9 * len(table), 3.8))
    ax = fig.add_subplot()
    x = np.arange(len(table))
    for offset, column, colour in ((-0.2, first, "tab:gray"), (0.2, second, "tab:blue")):
        bars = ax.bar(x + offset, table[column], width=0.4, label=column, color=colour)
        ax.bar_label(bars, labels=[f"{v:.1%}" for v in table[column]], fontsize=SMALLEST_TEXT)
    ax.set(xticks=x, xticklabels=table[table.columns[0]], title=title, ylim=(0, 1.12), ylabel="accuracy")
    ax.yaxis.set_major_locator(PERCENT_TICKS)
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1, decimals=0))
    fig.legend(loc="outside lower center", ncols=2)  # below the bars, never over them
    return fig


def plot_by_group(table: Table, columns=("accuracy", "mean confidence", "ink fraction"), title=""):
    """Lines of some columns of an ``accuracy_by`` table against its first column (e.g. week)."""
    fig = new_figure((7.5, 3.5))
    ax = fig.add_subplot()
    x = table[table.columns[0]]
    for column in columns:
        ax.plot(x, table[column], marker="o", label=column)
    ax.set(xlabel=table.columns[0], ylim=(0, 1.05), title=title)
    ax.yaxis.set_major_locator(PERCENT_TICKS)
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1, decimals=0))
    ax.set_xticks(x)
    fig.legend(loc="outside right upper")  # beside the axes, never over a point
    return fig


def plot_by_style(table: Table, title="Accuracy per handwriting style"):
    """Bars of every model's accuracy, one row per style of a ``score_by_style`` table; rare styles marked ★.

    The three summary rows of the table (rare, other, all) are left out: the table prints them.
    """
    models = table.columns[3:]
    rows = [r for r in table.rows if r["digits"] and r["style"] not in SUMMARY_ROWS]
    fig = new_figure((7.5, 1.2 + 0.34 * len(rows) * max(1, len(models) / 2)))
    ax = fig.add_subplot()
    y = np.arange(len(rows))[::-1]  # the first style at the top
    height = 0.8 / len(models)
    for k, (model, colour) in enumerate(zip(models, MODEL_COLOURS)):
        ax.barh(y + 0.4 - height * (k + 0.5), [r[model] for r in rows], height=height, label=model, color=colour)
    ax.set(yticks=y, yticklabels=[("★ " if r["rare in MNIST"] else "") + r["style"] for r in rows],
           xlim=(0, 1), title=title, xlabel="accuracy (★: a style MNIST holds few of)")
    ax.tick_params(axis="y", labelsize=SMALLEST_TEXT)
    ax.xaxis.set_major_locator(PERCENT_TICKS)
    ax.xaxis.set_major_formatter(PercentFormatter(xmax=1, decimals=0))
    fig.legend(loc="outside lower center", ncols=len(models))  # below the bars, never over them
    return fig
