"""The two things every figure here needs: a figure pyplot lets go of, and its picture as PNG bytes.

What this is for: ``new_figure`` makes a Figure that a notebook shows once (when a cell ends
with it) and that is never left open, so widgets that redraw often do not pile up figures;
``figure_png`` renders a Figure for an image widget. Not for: drawing anything.
"""

from __future__ import annotations

import io

import matplotlib.pyplot as plt


def new_figure(figsize, layout="constrained"):
    """A new figure that pyplot does not keep: shown once by a notebook, never left open."""
    fig = plt.figure(figsize=figsize, layout=layout)
    plt.close(fig)
    return fig


def figure_png(fig, dpi=80) -> bytes:
    """Render a Figure to PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()
