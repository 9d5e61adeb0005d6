"""Data augmentation: small random changes to training images so the network learns the digit, not the pixels.

What this is for: ``fit(..., augment=...)`` calls one of these on every mini-batch. A "3" moved
two pixels to the left is still a "3"; showing the network such variants teaches it exactly
that. What it is not: a general image library. A batch is float32, shaped (B, 28, 28) or
flattened (B, 784); it comes back in the same shape.
"""

from __future__ import annotations

import numpy as np

SIDE = 28


def random_shift(X, rng, max_shift: int = 2):
    """Move each image by a random whole number of pixels in [-max_shift, max_shift] on each axis."""
    images = X.reshape(len(X), SIDE, SIDE)
    B, H, W = images.shape
    k = max_shift
    padded = np.zeros((B, H + 2 * k, W + 2 * k), X.dtype)    # a blank border to move into
    padded[:, k:k + H, k:k + W] = images
    dy, dx = rng.integers(0, 2 * k + 1, size=(2, B))          # where each window starts
    rows = dy[:, None] + np.arange(H)                          # (B, H)
    cols = dx[:, None] + np.arange(W)                          # (B, W)
    shifted = padded[np.arange(B)[:, None, None], rows[:, :, None], cols[:, None, :]]
    return shifted.reshape(X.shape)
