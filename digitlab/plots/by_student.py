"""A class's drawings as a picture: one row per student, their drawings of 0 to 9.

What this is for: the teacher's notebook (class_digits) shows who drew what before it measures
anything; a row shows one student's habits (slant, pen) at a glance. Not for: counting (that is
digitlab.classwork.class_model.drawings_by_student) or storing drawings.
"""

from __future__ import annotations

import numpy as np

from ..plumbing.checks import as_images_and_labels
from .figure import new_figure


def plot_drawings_by_student(images, labels, writers, max_students=12):
    """One row per student (at most max_students): their first drawing of each digit, blank if none."""
    X, y = as_images_and_labels(images, labels, "the class's drawings")
    writers = np.asarray(writers, dtype=str)
    names = np.unique(writers)[:max_students]
    fig = new_figure((0.75 * 10 + 1.0, 0.8 * len(names) + 0.3), layout=None)
    axes = fig.subplots(len(names), 10, squeeze=False)
    fig.subplots_adjust(left=0.12, right=0.99, top=1 - 0.3 / (0.8 * len(names) + 0.3), bottom=0.01,
                        wspace=0.08, hspace=0.08)
    for row, name in zip(axes, names):
        for digit, ax in enumerate(row):
            mine = np.flatnonzero((writers == name) & (y == digit))
            ax.imshow(X[mine[0]] if len(mine) else np.zeros((28, 28)), cmap="gray_r", vmin=0, vmax=1)
            ax.set_xticks([])
            ax.set_yticks([])
            if row is axes[0]:
                ax.set_title(str(digit), fontsize=10)
        row[0].set_ylabel(name, rotation=0, ha="right", va="center", fontsize=10)
    return fig
