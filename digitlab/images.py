"""Digit images as the core modules take them: one check and one conversion, in one place.

What this is for: ``as_images`` accepts what a learner is likely to hand over (one 28x28 image,
a batch (N, 28, 28) or flattened (N, 784); uint8 0..255 as MNIST stores them, or floats in
[0, 1]) and returns float32 (N, 28, 28) in [0, 1], ink 1 on background 0, or raises a
ValueError saying in plain words what is wrong. What it is not: the network's input check
(``MLP.as_batch`` serves any layer size), a converter for canvas drawings of any size
(``digitlab.canvas``), or the plots' loader (``digitlab.plots`` keeps uint8 images as they are).
"""

from __future__ import annotations

import numpy as np

SIDE = 28  # MNIST images are SIDE x SIDE pixels


def as_images(X, what: str = "images") -> np.ndarray:
    """Images as float32 (N, 28, 28) in [0, 1]; raise ValueError (naming ``what``) for anything else."""
    X = np.asarray(X)
    if X.ndim == 2 and X.shape[1] == SIDE * SIDE:
        X = X.reshape(-1, SIDE, SIDE)
    if X.shape == (SIDE, SIDE):
        X = X[None]
    if X.ndim != 3 or X.shape[1:] != (SIDE, SIDE):
        raise ValueError(f"{what} must be shaped (N, 28, 28) or (N, 784), got shape {X.shape}")
    if X.dtype == np.uint8:
        return X.astype(np.float32) / 255
    if not np.issubdtype(X.dtype, np.floating):
        raise ValueError(f"{what} must be float in [0, 1] or uint8 in 0..255, not dtype {X.dtype}")
    X = X.astype(np.float32)
    if len(X) and (not np.isfinite(X).all() or X.min() < 0 or X.max() > 1):
        raise ValueError(f"{what}: values must be between 0 and 1 (for 0..255 pixels, divide by 255 first)")
    return X
