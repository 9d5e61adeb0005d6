"""Rasterise pen strokes into an ink image, as a drawing canvas would show them.

For: turning recorded strokes (lists of (x, y) points in canvas pixels) into an
(H, W) uint8 image with bright ink on black, drawn with a round brush of uniform
width (round caps and joins, no pen pressure), anti-aliased by drawing at
`supersample` times the size and averaging down. The result feeds straight into
digitlab.drawing.canvas.canvas_to_mnist. The same brush draws the canvas-style digits
(digitlab.drawing.canvas_style), so they look like what the pad draws.

Not for: widgets or event handling (see digitlab.widgets), or MNIST conversion.

Coordinates follow an HTML canvas: x runs right, y runs down, and pixel (row, col)
covers [col, col + 1) x [row, row + 1), so its centre is at (col + 0.5, row + 0.5).
"""

import numbers

import numpy as np
from PIL import Image, ImageDraw

from ..plumbing.checks import as_strokes

PAD_SIZE = 280     # the drawing pad's side in pixels; stroke points use these units
PAD_BRUSH = 20.0   # the pad's brush diameter: after scaling to 20x20, about MNIST's stroke width


def _check_shape(shape):
    """Return (height, width) as two positive ints, else raise ValueError."""
    if (
        len(shape) != 2
        or not all(isinstance(n, numbers.Integral) for n in shape)
        or min(shape) <= 0
    ):
        raise ValueError(f"shape must be (height, width) with two positive integers; got {shape!r}.")
    return int(shape[0]), int(shape[1])


def draw_round_brush(draw, points, links, width, radii=None, fill=255):
    """Draw segments between points with a round brush of diameter ``width`` on a Pillow ImageDraw.

    points: (K, 2) array of (x, y); links: pairs of point indices to join. Every point gets a
    disc (round caps and joins); radii (K,), if given, enlarges a disc where larger than width / 2.
    """
    points = np.asarray(points, dtype=np.float64)
    r = np.full(len(points), width / 2)
    if radii is not None:
        r = np.maximum(r, radii)
    line_width = max(1, round(width))
    for a, b in links:  # Pillow's lines put pixel centres at whole numbers: shift by half
        (xa, ya), (xb, yb) = points[a], points[b]
        draw.line(((xa - 0.5, ya - 0.5), (xb - 0.5, yb - 0.5)), fill=fill, width=line_width)
    for (x, y), radius in zip(points.tolist(), r.tolist()):  # Pillow's ellipse box includes its far edge
        draw.ellipse((x - radius, y - radius, x + radius - 1, y + radius - 1), fill=fill)


def polyline_links(n):
    """The pairs (0, 1), (1, 2), ... (n-2, n-1) that join n points of a stroke in order."""
    return [(i, i + 1) for i in range(n - 1)]


def rasterize_strokes(strokes, shape=(PAD_SIZE, PAD_SIZE), width=PAD_BRUSH, supersample=4):
    """Return an (H, W) uint8 image (0 background, 255 ink) of strokes drawn with a round brush."""
    strokes = as_strokes(strokes)
    height, width_px = _check_shape(shape)
    if not (isinstance(width, numbers.Real) and np.isfinite(width) and width > 0):
        raise ValueError(f"width (the brush diameter in pixels) must be a positive number; got {width!r}.")
    if not (isinstance(supersample, numbers.Integral) and supersample >= 1):
        raise ValueError(f"supersample must be a whole number >= 1; got {supersample!r}.")
    big = Image.new("L", (width_px * supersample, height * supersample), 0)
    draw = ImageDraw.Draw(big)
    for points in strokes:
        draw_round_brush(draw, points * supersample, polyline_links(len(points)), float(width) * supersample)
    if supersample > 1:
        big = big.resize((width_px, height), Image.Resampling.BOX)
    return np.asarray(big, dtype=np.uint8).copy()
