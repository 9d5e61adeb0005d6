"""Clustering digits without their labels: k-means, the simplest unsupervised learning.

For notebook 03. Supervised learning needs the right answer of every example; unsupervised
learning gets the images alone and looks for structure in them. k-means looks for k groups
(clusters) of similar images. It starts from k images picked at random as the groups' centres
(spread out: each next one is picked with a chance that grows with its distance from those
already picked, "k-means++") and repeats two steps:

1. **assign**: every image joins the cluster whose centre is closest (nearest mean, again);
2. **update**: every centre moves to the average of the images that joined it;

until no image changes cluster. Nobody tells it which digit is which: afterwards we may look
at the labels to see what each cluster collected (``label_mix``). What it is not: a fast or
clever clustering library (no restarts, no choice of k).
Images are (N, 28, 28) or (N, 784), uint8 0..255 or floats in [0, 1].
"""

from __future__ import annotations

import numpy as np

from ..plumbing.checks import as_batch, as_labels, as_positive_int
from ..plumbing.table import Table
from .baselines import nearest, squared_distances


class KMeans:
    """k clusters of similar images, found without labels; ``centres_`` (k, 784) are their averages.

    After ``fit``: ``clusters_`` (each image's cluster), ``steps_`` (rounds taken) and
    ``converged_`` (True when a round changed no image's cluster).
    """

    def __init__(self, k=10, max_steps=100, seed=0):
        self.k = as_positive_int(k, "k")
        self.max_steps = as_positive_int(max_steps, "max_steps")
        self.seed = seed

    def fit(self, X):
        """Find the clusters: assign and update until no image changes cluster (or max_steps)."""
        X = as_batch(X)                                              # (N, 784) float32 in [0, 1]
        if len(X) < self.k:
            raise ValueError(f"need at least k = {self.k} images to find {self.k} clusters, got {len(X)}")
        self.centres_ = spread_out_start(X, self.k, np.random.default_rng(self.seed))
        clusters = np.full(len(X), -1)
        self.converged_ = False
        for self.steps_ in range(1, self.max_steps + 1):
            new = nearest(X, self.centres_)                          # 1. assign
            if np.array_equal(new, clusters):
                self.converged_ = True                               # no image changed cluster: settled
                break
            clusters = new
            for c in range(self.k):                                  # 2. update
                if (clusters == c).any():                            # an empty cluster keeps its centre
                    self.centres_[c] = X[clusters == c].mean(axis=0)
        self.clusters_ = clusters
        return self

    def predict(self, X) -> np.ndarray:
        """The closest centre's number for each image: (N,)."""
        return nearest(as_batch(X, keep_uint8=True), self.centres_)


def spread_out_start(X, k, rng) -> np.ndarray:
    """(k, 784) starting centres: k images of X, each next one likelier the farther it is from those picked."""
    centres = [X[rng.integers(len(X))]]
    closest = squared_distances(X, centres[0][None])[:, 0]         # (N,) distance to the nearest centre so far
    for _ in range(1, k):
        pick = rng.choice(len(X), p=closest / closest.sum()) if closest.sum() > 0 else rng.integers(len(X))
        centres.append(X[pick])
        closest = np.minimum(closest, squared_distances(X, X[pick][None])[:, 0])
    return np.array(centres, np.float32)


def label_mix(clusters, y, k=None) -> Table:
    """One row per cluster: its size, the most common label in it, and that label's share."""
    clusters = np.asarray(clusters)
    y = as_labels(y, len(clusters))
    k = int(clusters.max()) + 1 if k is None else k
    rows = []
    for c in range(k):
        labels = y[clusters == c]
        counts = np.bincount(labels, minlength=10)
        top = int(counts.argmax())
        rows.append({"cluster": c, "images": len(labels), "most common digit": top,
                     "share": counts[top] / len(labels) if len(labels) else 0.0})
    return Table(rows, ["cluster", "images", "most common digit", "share"], {"share": "{:.0%}"},
                 title="What each cluster collected (labels looked at only afterwards)")
