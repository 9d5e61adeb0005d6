"""What every figure here shares: an opaque light page, a figure pyplot lets go of, PNG bytes.

What this is for: ``new_figure`` makes a Figure that a notebook shows once (when a cell ends
with it) and that is never left open, so widgets that redraw often do not pile up figures;
``redrawn_figure`` makes one for a widget to keep and redraw in place; ``figure_png`` renders a
Figure for an image widget, ``canvas_png`` encodes what a redrawn figure's canvas holds now. Every figure gets the same opaque light background (``PAGE``), so
its black text stays readable on JupyterLab's dark theme, whatever the notebook's matplotlib
settings say. Not for: drawing anything.
"""

from __future__ import annotations

import io

import matplotlib.pyplot as plt
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

PAGE = "white"  # the background of every figure: opaque, so dark themes do not show through
SMALLEST_TEXT = 10  # points: no title, label, tick or legend is smaller (matplotlib's default size)


def new_figure(figsize, layout="constrained"):
    """A new figure that pyplot does not keep: shown once by a notebook, never left open."""
    fig = plt.figure(figsize=figsize, layout=layout, facecolor=PAGE, edgecolor=PAGE)
    plt.close(fig)
    return fig


def redrawn_figure(figsize, dpi=100, **margins):
    """A figure for a widget to redraw in place: no pyplot, fixed margins (a layout engine is slow)."""
    fig = Figure(figsize=figsize, dpi=dpi, facecolor=PAGE, edgecolor=PAGE)
    FigureCanvasAgg(fig)
    fig.subplots_adjust(**margins)
    return fig


def figure_png(fig, dpi=80) -> bytes:
    """Render a Figure to PNG bytes (fast compression: widgets redraw often)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor=PAGE, pil_kwargs={"compress_level": 1})
    return buf.getvalue()


def canvas_png(fig) -> bytes:
    """The picture a figure's Agg canvas holds now, as PNG bytes, without drawing it again."""
    buf = io.BytesIO()
    Image.frombuffer("RGBA", fig.canvas.get_width_height(physical=True), fig.canvas.buffer_rgba(),
                     "raw", "RGBA", 0, 1).convert("RGB").save(buf, format="PNG", compress_level=1)
    return buf.getvalue()
