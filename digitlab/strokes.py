"""Rasterise pen strokes into an ink image, as a drawing canvas would show them.

For: turning recorded strokes (lists of (x, y) points in canvas pixels) into an
(H, W) uint8 image with bright ink on black, drawn with a round brush of uniform
width (round caps and joins, no pen pressure), anti-aliased by drawing at
`supersample` times the size and averaging down. The result feeds straight into
digitlab.canvas.canvas_to_mnist.

Not for: widgets or event handling (see digitlab.widgets), or MNIST conversion.

Coordinates follow an HTML canvas: x runs right, y runs down, and pixel (row, col)
covers [col, col + 1) x [row, row + 1), so its centre is at (col + 0.5, row + 0.5).
"""

import numbers

import numpy as np
from PIL import Image, ImageDraw


def _check_strokes(strokes):
    """Return the strokes as a list of (n, 2) float arrays, else raise ValueError."""
    if isinstance(strokes, np.ndarray) and strokes.ndim == 2:
        strokes = [strokes]  # a single stroke given as one (n, 2) array
    try:
        strokes = list(strokes)
    except TypeError:
        raise ValueError("strokes must be a list of strokes, each a list of (x, y) points.") from None
    checked = []
    for i, stroke in enumerate(strokes):
        try:
            points = np.asarray(stroke, dtype=np.float64)
        except (TypeError, ValueError):
            raise ValueError(f"Stroke {i} is not a list of (x, y) number pairs.") from None
        if points.size == 0:
            continue  # an empty stroke draws nothing
        if points.ndim != 2 or points.shape[1] != 2:
            raise ValueError(
                f"Stroke {i} must be a list of (x, y) points, shaped (n, 2); got shape {points.shape}."
            )
        if not np.all(np.isfinite(points)):
            raise ValueError(f"Stroke {i} has a point that is NaN or infinite.")
        checked.append(points)
    return checked


def _check_shape(shape):
    """Return (height, width) as two positive ints, else raise ValueError."""
    if (
        len(shape) != 2
        or not all(isinstance(n, numbers.Integral) for n in shape)
        or min(shape) <= 0
    ):
        raise ValueError(f"shape must be (height, width) with two positive integers; got {shape!r}.")
    return int(shape[0]), int(shape[1])


def draw_round_strokes(draw, strokes, width, fill=255, scale=1.0):
    """Draw strokes on a Pillow ImageDraw with a round brush; points are multiplied by `scale`."""
    radius = width * scale / 2
    line_width = max(1, round(width * scale))
    for points in strokes:
        xy = [(x * scale, y * scale) for x, y in points]
        if len(xy) > 1:  # Pillow's lines put pixel centres at whole numbers: shift by half
            draw.line([(x - 0.5, y - 0.5) for x, y in xy], fill=fill, width=line_width)
        for x, y in xy:  # round caps and joins; Pillow's ellipse box includes its far edge
            draw.ellipse((x - radius, y - radius, x + radius - 1, y + radius - 1), fill=fill)


def rasterize_strokes(strokes, shape=(280, 280), width=20.0, supersample=4):
    """Return an (H, W) uint8 image (0 background, 255 ink) of strokes drawn with a round brush."""
    strokes = _check_strokes(strokes)
    height, width_px = _check_shape(shape)
    if not (isinstance(width, numbers.Real) and np.isfinite(width) and width > 0):
        raise ValueError(f"width (the brush diameter in pixels) must be a positive number; got {width!r}.")
    if not (isinstance(supersample, numbers.Integral) and supersample >= 1):
        raise ValueError(f"supersample must be a whole number >= 1; got {supersample!r}.")
    big = Image.new("L", (width_px * supersample, height * supersample), 0)
    draw_round_strokes(ImageDraw.Draw(big), strokes, float(width), scale=supersample)
    if supersample > 1:
        big = big.resize((width_px, height), Image.Resampling.BOX)
    return np.asarray(big, dtype=np.uint8).copy()
