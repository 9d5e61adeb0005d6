"""The centre line of a handwritten digit: thinning to a 1-pixel skeleton, and the skeleton as a graph.

For: redrawing MNIST digits as pad drawings (digitlab.drawing.canvas_style) and measuring stroke
width (digitlab.shift). A digit is enlarged 2x, thresholded, and thinned by Zhang-Suen (vectorised
numpy, a whole batch at once); the skeleton's pixels are then joined into short line segments.
Not for: drawing (digitlab.drawing.strokes) or MNIST conversion (digitlab.drawing.canvas).
"""

import numpy as np
from PIL import Image

from ..plumbing.checks import as_images

THRESHOLD = 0.4  # MNIST ink above this (after 2x enlargement) belongs to the stroke

# Neighbour offsets (row, col) linking a skeleton pixel forward: right, down, down-right, down-left.
_LINKS = ((0, 1), (1, 0), (1, 1), (1, -1))


def zhang_suen(binary):
    """Thin a batch of (N, H, W) bool images to 1-pixel skeletons (Zhang & Suen, 1984)."""
    img = np.pad(np.asarray(binary, dtype=np.uint8), ((0, 0), (1, 1), (1, 1)))
    core = img[:, 1:-1, 1:-1]  # a view: deleting here deletes in img
    while True:
        changed = False
        for step in (0, 1):
            # Neighbours clockwise from north: P2 N, P3 NE, P4 E, P5 SE, P6 S, P7 SW, P8 W, P9 NW.
            P2, P3, P4 = img[:, :-2, 1:-1], img[:, :-2, 2:], img[:, 1:-1, 2:]
            P5, P6, P7 = img[:, 2:, 2:], img[:, 2:, 1:-1], img[:, 2:, :-2]
            P8, P9 = img[:, 1:-1, :-2], img[:, :-2, :-2]
            ring = (P2, P3, P4, P5, P6, P7, P8, P9, P2)
            B = sum(p.astype(np.uint8) for p in ring[:8])  # how many neighbours are ink
            A = sum((ring[i] < ring[i + 1]).astype(np.uint8) for i in range(8))  # 0 -> 1 steps
            if step == 0:
                side = ((P2 & P4 & P6) == 0) & ((P4 & P6 & P8) == 0)
            else:
                side = ((P2 & P4 & P8) == 0) & ((P2 & P6 & P8) == 0)
            delete = (core == 1) & (B >= 2) & (B <= 6) & (A == 1) & side
            if delete.any():
                core[delete] = 0
                changed = True
        if not changed:
            return core.astype(bool)


def binarize(images, threshold=THRESHOLD):
    """Return (N, 2H, 2W) bool: the digits enlarged 2x (bilinear) and thresholded at `threshold` x peak."""
    X = as_images(images)
    n, h, w = X.shape
    big = np.empty((n, 2 * h, 2 * w), dtype=np.float32)
    for i, x in enumerate(X):
        big[i] = np.asarray(Image.fromarray(x).resize((2 * w, 2 * h), Image.Resampling.BILINEAR))
    peak = big.reshape(n, -1).max(axis=1)[:, None, None]
    return big > threshold * np.maximum(peak, 1e-6)


def erosion_depth(binary):
    """Return (N, H, W) uint8: how many 4-neighbour erosions each ink pixel survives (its half-width)."""
    depth = np.zeros(binary.shape, dtype=np.uint8)
    current = np.asarray(binary, dtype=bool)
    while current.any():
        padded = np.pad(current, ((0, 0), (1, 1), (1, 1)))
        current = (current & padded[:, :-2, 1:-1] & padded[:, 2:, 1:-1]
                   & padded[:, 1:-1, :-2] & padded[:, 1:-1, 2:])
        depth += current
    return depth


def skeletonize(images, threshold=THRESHOLD, return_depth=False):
    """Return (N, 2H, 2W) bool centre lines of (N, H, W) digits, thinned at twice the resolution.

    return_depth=True also returns erosion_depth of the thresholded digits (same shape, uint8).
    """
    binary = binarize(images, threshold)
    out = np.empty_like(binary)
    for start in range(0, len(binary), 1024):  # chunks keep the temporaries small
        out[start : start + 1024] = zhang_suen(binary[start : start + 1024])
    if return_depth:
        return out, erosion_depth(binary)
    return out


def skeleton_graph(skeleton, smooth=3):
    """Return (nodes (K, 2) float (row, col), links (M, 2) int) joining 8-neighbour skeleton pixels."""
    skeleton = np.asarray(skeleton, dtype=bool)
    h, w = skeleton.shape
    nodes = np.argwhere(skeleton)  # (K, 2)
    index = np.full((h + 2, w + 2), -1, dtype=np.int64)  # padded so neighbours never wrap
    index[nodes[:, 0] + 1, nodes[:, 1] + 1] = np.arange(len(nodes))
    on = index >= 0
    r, c = nodes[:, 0] + 1, nodes[:, 1] + 1
    links = []
    for dr, dc in _LINKS:
        keep = on[r + dr, c + dc]
        if dr and dc:  # a diagonal is redundant when an orthogonal pair already joins the two
            keep &= ~on[r + dr, c] & ~on[r, c + dc]
        links.append(np.stack([index[r, c][keep], index[r + dr, c + dc][keep]], axis=1))
    links = np.concatenate(links)  # (M, 2)
    nodes = nodes.astype(np.float64)
    degree = np.bincount(links.ravel(), minlength=len(nodes))
    inside = degree == 2  # ends and junctions stay put
    for _ in range(smooth):
        total = np.zeros_like(nodes)
        np.add.at(total, links[:, 0], nodes[links[:, 1]])
        np.add.at(total, links[:, 1], nodes[links[:, 0]])
        mean = total[inside] / 2
        nodes[inside] = (nodes[inside] + mean) / 2
    return nodes, links
