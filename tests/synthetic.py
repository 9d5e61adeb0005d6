"""Synthetic data sets the tests share: small, seeded, and easy to learn."""

import numpy as np


def two_blobs(n=200, seed=0):
    """Images that are bright on the left half (label 0) or the right half (label 1)."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    X = rng.random((n, 28, 28)).astype(np.float32) * 0.3
    for i, label in enumerate(y):
        X[i, :, 14 * label:14 * label + 14] += 0.7
    return X, y
