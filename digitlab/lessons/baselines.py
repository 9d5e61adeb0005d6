"""Two digit readers without a network, to measure a network against: nearest mean and nearest neighbour.

For notebook 03. Both compare pixels and nothing else:

- ``NearestMean`` keeps one average image per digit and answers with the digit whose average is
  closest to the new image (the sum of the squared pixel differences is smallest);
- ``NearestNeighbour`` keeps every training image and answers with the label of the closest one.

Both follow scikit-learn's verbs (``fit``, ``predict``, ``score``). Distances are computed in
float32, a block of images at a time, with ``|a − b|² = |a|² − 2 a·b + |b|²`` (one matrix product
per block), so that comparing 10,000 test digits with 5,000 stored ones takes a second and a few
megabytes, not a copy of every difference. What they are not: good readers; they set the bar.
Images are (N, 28, 28) or (N, 784), uint8 0..255 or floats in [0, 1]; labels are 0..9.
"""

from __future__ import annotations

import numpy as np

from ..plumbing.checks import as_batch, as_labels, unit_range
from ..plumbing.threads import BlasThreads

BLOCK = 200    # images compared at a time: the distances of one block take BLOCK × stored × 4 bytes


def squared_distances(A, B) -> np.ndarray:
    """(len(A), len(B)) sums of squared differences between every row of A and every row of B."""
    A, B = np.asarray(A, np.float32), np.asarray(B, np.float32)
    D = (A * A).sum(axis=1)[:, None] - 2 * (A @ B.T) + (B * B).sum(axis=1)[None, :]
    return np.maximum(D, 0)           # rounding can dip a zero distance just below 0


def nearest(X, stored, block=BLOCK) -> np.ndarray:
    """(N,) index of the stored row closest to each row of X (pixels in [0, 1], shaped (N, 784)).

    |a|² is the same for every stored row b, so the closest b is the one with the smallest
    |b|² − 2 a·b: one matrix product per block, and no |a|² to compute.
    """
    X = as_batch(X, keep_uint8=True)                  # checked once; uint8 stays uint8 until its block is used
    stored = np.asarray(stored, np.float32)
    norms = (stored * stored).sum(axis=1)             # (M,) |b|²
    found = np.empty(len(X), np.intp)
    with BlasThreads(1):                              # small products: one core (see plumbing.threads)
        for start in range(0, len(X), block):
            part = unit_range(X[start:start + block])     # one block as float32 in [0, 1]
            found[start:start + block] = (norms[None, :] - 2 * (part @ stored.T)).argmin(axis=1)
    return found


def average_of_each_digit(X, y, classes=10) -> np.ndarray:
    """(classes, ...) float64: the average of each digit's images, in their own shape and scale.

    X is an array of images (uint8 stays uint8: only one digit's images are copied at a time),
    y an array of their labels. A digit without images gives zeros.
    """
    means = np.zeros((classes, *X.shape[1:]))
    for d in range(classes):
        if np.any(y == d):
            means[d] = X[y == d].mean(axis=0, dtype=np.float64)
    return means


def mean_images(X, y, classes=10) -> np.ndarray:
    """(classes, 784) float32: the average image of each digit, pixels in [0, 1]."""
    X = as_batch(X, keep_uint8=True)
    y = as_labels(y, len(X), classes=classes)
    missing = sorted(set(range(classes)) - set(y.tolist()))
    if missing:
        raise ValueError(f"every digit needs at least one image; there is none for {missing}")
    scale = 255.0 if X.dtype == np.uint8 else 1.0
    return (average_of_each_digit(X, y, classes) / scale).astype(np.float32)


class NearestMean:
    """Answers with the digit whose average training image is closest."""

    def fit(self, X, y):
        """Average the training images of each digit."""
        self.means_ = mean_images(X, y)                # (10, 784)
        return self

    def predict(self, X) -> np.ndarray:
        """The digit of the closest average image, for each image: (N,)."""
        return nearest(as_batch(X, keep_uint8=True), self.means_)

    def score(self, X, y) -> float:
        """Accuracy: the fraction of images read right."""
        return float((self.predict(X) == as_labels(y, len(as_batch(X, keep_uint8=True)))).mean())


class NearestNeighbour(NearestMean):
    """Answers with the label of the closest training image: it stores every image it has seen."""

    def fit(self, X, y):
        """Store the training images (as float32 rows in [0, 1]) and their labels."""
        self.stored_ = as_batch(X)
        self.labels_ = as_labels(y, len(self.stored_))
        return self

    def predict(self, X) -> np.ndarray:
        """The label of the closest stored image, for each image: (N,)."""
        return self.labels_[nearest(as_batch(X, keep_uint8=True), self.stored_)]
