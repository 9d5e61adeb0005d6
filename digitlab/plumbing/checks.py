"""The one check for what a learner hands over: images, labels, drawings and strokes.

What this is for: every public function of DigitLab that takes images or labels calls one of
these first, so that a mistake (a wrong shape, pixels 0..255 as floats, labels of another
length) is caught at once with a message in plain words, instead of a numpy error three calls
deep or, worse, a silently wrong answer. What it is not: part of the maths; nothing here
changes a value except to scale uint8 pixels to [0, 1].

The formats:
- images: one image (28, 28) or (784,), or a batch (N, 28, 28) or (N, 784); uint8 0..255 as
  MNIST stores them, or floats in [0, 1] (0 = background, 1 = ink);
- labels: whole numbers 0..9, one per image;
- a drawing: a canvas of any size, grayscale (H, W) or RGBA (H, W, 4);
- strokes: a list of strokes, each a list of (x, y) points in canvas pixels.
"""

from __future__ import annotations

import math

import numpy as np

SIDE = 28                 # MNIST images are SIDE x SIDE pixels
ROUNDING_DUST = 1e-6      # 1.0000001 is a float's rounding, not a mistake: it is clipped to 1
UINT8_HINT = " (for 0..255 pixel values use X.astype(np.uint8), or divide by 255)"


def as_batch(X, n_inputs: int = SIDE * SIDE, what: str = "images", keep_uint8: bool = False) -> np.ndarray:
    """Inputs as float32 (N, n_inputs) in [0, 1]; raise ValueError (naming ``what``) for anything else.

    When n_inputs is a square (784 = 28²), images (N, 28, 28) are flattened. uint8 pixels are
    scaled by 1/255, or kept as uint8 with ``keep_uint8`` (a quarter of the memory).
    """
    X = np.asarray(X)
    side = math.isqrt(n_inputs)
    square = (side, side) if side * side == n_inputs else None
    expected = f"(N, {n_inputs})" + (f" or (N, {side}, {side})" if square else "")
    if X.shape == (n_inputs,) or X.shape == square:
        X = X.reshape(1, n_inputs)
    elif square and X.ndim == 3 and X.shape[1:] == square:
        X = X.reshape(len(X), n_inputs)
    elif not (X.ndim == 2 and X.shape[1] == n_inputs):
        raise ValueError(f"{what} must be shaped {expected}, got shape {X.shape}")
    if X.dtype == np.uint8:
        return X if keep_uint8 else unit_range(X)
    if X.dtype == bool:
        return X.astype(np.float32)
    if not np.issubdtype(X.dtype, np.floating):
        hint = UINT8_HINT if np.issubdtype(X.dtype, np.integer) else ""
        raise ValueError(f"{what} must be floats in [0, 1] or uint8 0..255, not {X.dtype}{hint}")
    X = np.ascontiguousarray(X, dtype=np.float32)
    if not np.isfinite(X).all():
        raise ValueError(f"{what}: some pixel values are NaN or infinite; they must be between 0 and 1")
    if len(X):
        low, high = float(X.min()), float(X.max())
        if low < -ROUNDING_DUST or high > 1 + ROUNDING_DUST:
            hint = " (for 0..255 pixels, divide by 255 first)" if high > 1 else ""
            raise ValueError(f"{what}: pixel values must be between 0 and 1, got {low:g} to {high:g}{hint}")
        if low < 0 or high > 1:
            X = np.clip(X, 0, 1)
    return X


def unit_range(X):
    """Pixels as float32 in [0, 1]: uint8 0..255 is scaled by 1/255, floats pass as they are."""
    return X.astype(np.float32) / np.float32(255) if X.dtype == np.uint8 else X


def as_images(X, what: str = "images", keep_uint8: bool = False) -> np.ndarray:
    """Images as float32 (N, 28, 28) in [0, 1] (uint8 kept with ``keep_uint8``); else ValueError."""
    return as_batch(X, SIDE * SIDE, what, keep_uint8).reshape(-1, SIDE, SIDE)


def as_labels(y, n: int | None = None, what: str = "labels", classes: int = 10, per: str = "images") -> np.ndarray:
    """Labels as an integer array (N,) with values 0..classes-1, and n of them (one per image) if n is given."""
    y = np.asarray(y)
    if y.ndim != 1 or y.dtype == bool or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"{what} must be a 1-D array of whole numbers, got shape {y.shape} and type {y.dtype}")
    if n is not None and len(y) != n:
        raise ValueError(f"got {n:,} {per} but {len(y):,} {what}")
    if len(y) and (y.min() < 0 or y.max() >= classes):
        raise ValueError(f"{what} must be whole numbers from 0 to {classes - 1}")
    return y.astype(np.intp)


def as_images_and_labels(X, y, what: str = "images", keep_uint8: bool = False):
    """(images (N, 28, 28), labels (N,)) checked together: see as_images and as_labels."""
    X = as_images(X, what, keep_uint8)
    return X, as_labels(y, len(X), f"labels of {what}")


def as_label(label, classes: int = 10) -> int:
    """One label as an int, or ValueError unless it is a whole number 0..classes-1."""
    if isinstance(label, (bool, np.bool_)) or not isinstance(label, (int, np.integer)):
        raise ValueError(f"label must be a whole number from 0 to {classes - 1}, got {label!r}")
    if not 0 <= label < classes:
        raise ValueError(f"label must be a digit from 0 to {classes - 1}, got {label}")
    return int(label)


def as_drawing(image) -> np.ndarray:
    """A canvas drawing as an array: grayscale (H, W) uint8 or float in [0, 1], or RGBA (H, W, 4) uint8."""
    image = np.asarray(image)
    if image.ndim == 2:
        if image.dtype != np.uint8 and not np.issubdtype(image.dtype, np.floating):
            raise ValueError(f"A grayscale drawing must be uint8 (0-255) or float (0-1); got dtype {image.dtype}.")
    elif image.ndim == 3:
        if image.shape[2] != 4:
            raise ValueError(f"A colour drawing must be RGBA, shaped (height, width, 4); got shape {image.shape}.")
        if image.dtype != np.uint8:
            raise ValueError(f"An RGBA drawing must have dtype uint8; got dtype {image.dtype}.")
    else:
        raise ValueError("Expected a drawing shaped (height, width) grayscale or (height, width, 4) RGBA; "
                         f"got an array with {image.ndim} dimension(s), shape {image.shape}.")
    if image.shape[0] == 0 or image.shape[1] == 0:
        raise ValueError(f"The drawing has no pixels: shape {image.shape}.")
    if image.dtype != np.uint8:
        if not np.all(np.isfinite(image)):
            raise ValueError("A float drawing must not contain NaN or infinity.")
        if image.min() < 0.0 or image.max() > 1.0:
            raise ValueError(f"A float drawing must have values in [0, 1]; got [{image.min():g}, {image.max():g}].")
    return image


def as_strokes(strokes) -> list:
    """Strokes as a list of (n, 2) float arrays of (x, y) points (empty strokes dropped), else ValueError."""
    if isinstance(strokes, np.ndarray) and strokes.ndim == 2:
        strokes = [strokes]  # a single stroke given as one (n, 2) array
    try:
        strokes = list(strokes)
    except TypeError:
        raise ValueError("strokes must be a list of strokes, each a list of (x, y) points, "
                         "for example [[(140, 40), (140, 240)]] for one vertical line.") from None
    checked = []
    for i, stroke in enumerate(strokes):
        try:
            points = np.asarray(stroke, dtype=np.float64)
        except (TypeError, ValueError):
            raise ValueError(f"Stroke {i} is not a list of (x, y) number pairs.") from None
        if points.size == 0:
            continue  # an empty stroke draws nothing
        if points.ndim != 2 or points.shape[1] != 2:
            raise ValueError(f"Stroke {i} must be a list of (x, y) points, shaped (n, 2); got shape {points.shape}.")
        if not np.all(np.isfinite(points)):
            raise ValueError(f"Stroke {i} has a point that is NaN or infinite.")
        checked.append(points)
    return checked


def as_positive_int(value, name: str) -> int:
    """A whole number of at least 1 (epochs, batch size, ...), else ValueError naming it."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a whole number of at least 1, got {value!r}")
    return int(value)
