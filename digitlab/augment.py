"""Data augmentation: small random changes to training images so the network learns the digit, not the pixels.

What this is for: ``fit(..., augment=...)`` calls one of these on every mini-batch. A "3" moved
two pixels to the left is still a "3"; showing the network such variants teaches it exactly
that. What it is not: a general image library. Batches are float32 arrays (B, 28, 28).
"""

from __future__ import annotations

import numpy as np


def random_shift(X, rng, max_shift: int = 2):
    """Move each image by a random whole number of pixels in [-max_shift, max_shift] on each axis."""
    B, H, W = X.shape
    k = max_shift
    padded = np.zeros((B, H + 2 * k, W + 2 * k), X.dtype)    # a blank border to move into
    padded[:, k:k + H, k:k + W] = X
    dy, dx = rng.integers(0, 2 * k + 1, size=(2, B))          # where each window starts
    rows = dy[:, None] + np.arange(H)                          # (B, H)
    cols = dx[:, None] + np.arange(W)                          # (B, W)
    return padded[np.arange(B)[:, None, None], rows[:, :, None], cols[:, None, :]]

