"""Data augmentation: small random changes to training images so the network learns the digit, not the pixels.

What this is for: ``fit(..., augment=...)`` calls one of these on every mini-batch. A "3" moved
two pixels to the left is still a "3"; showing the network such variants teaches it exactly
that. ``random_shift`` moves whole pixels and is cheap enough for every batch; ``random_warp``
also turns, resizes and gently bends, and makes copies of the training set beforehand (the
default recipe's ``warped_copies``). What it is not: a general image library. A batch is
float32, shaped (B, 28, 28) or flattened (B, 784); it comes back in the same shape.
"""

from __future__ import annotations

import numpy as np

from .plumbing.checks import SIDE


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


def random_warp(X, rng, max_shift: float = 2.0, max_turn: float = 10.0, max_scale: float = 0.1,
                wobble: float = 1.0):
    """Move, turn, resize and gently bend each image at random, reading its pixels back bilinearly.

    Every output pixel takes its ink from a point of the input: the pixel turned by up to
    ``max_turn`` degrees about the centre, scaled by up to ±``max_scale``, shifted by up to
    ``max_shift`` pixels, and wobbled by a smooth random field of about ``wobble`` pixels
    (random values on a 4x4 grid, spread smoothly over the image), as a hand would vary.
    """
    images = X.reshape(len(X), SIDE, SIDE)
    B = len(images)
    f32 = np.float32
    turn = np.deg2rad(rng.uniform(-max_turn, max_turn, B)).astype(f32)[:, None, None]
    scale = (1 + rng.uniform(-max_scale, max_scale, B)).astype(f32)[:, None, None]
    shift = rng.uniform(-max_shift, max_shift, (2, B)).astype(f32)[:, :, None, None]
    grid = np.linspace(0, 3, SIDE, dtype=f32)                      # 4x4 grid -> 28x28, bilinear weights
    spread = np.maximum(0, 1 - np.abs(grid[:, None] - np.arange(4, dtype=f32)))   # (28, 4)
    field = spread @ rng.normal(0, wobble, (2, B, 4, 4)).astype(f32) @ spread.T   # (2, B, 28, 28)
    r, c = (np.mgrid[0:SIDE, 0:SIDE] - (SIDE - 1) / 2).astype(f32)  # pixel positions about the centre
    middle = (SIDE - 1) / 2 + 1                                     # the centre, in the padded image
    src_r = (np.cos(turn) * r - np.sin(turn) * c) / scale + middle + shift[0] + field[0]
    src_c = (np.sin(turn) * r + np.cos(turn) * c) / scale + middle + shift[1] + field[1]
    padded = np.zeros((B, SIDE + 2, SIDE + 2), X.dtype)             # a blank border to read from
    padded[:, 1:-1, 1:-1] = images
    np.clip(src_r, 0, SIDE + 0.999, out=src_r)
    np.clip(src_c, 0, SIDE + 0.999, out=src_c)
    r0, c0 = src_r.astype(np.intp), src_c.astype(np.intp)
    fr, fc = src_r - r0, src_c - c0
    ink = padded.ravel()
    at = (np.arange(B)[:, None, None] * (SIDE + 2) + r0) * (SIDE + 2) + c0   # the top-left neighbour
    top = ink.take(at) * (1 - fc) + ink.take(at + 1) * fc
    bottom = ink.take(at + SIDE + 2) * (1 - fc) + ink.take(at + SIDE + 3) * fc
    return (top * (1 - fr) + bottom * fr).astype(X.dtype).reshape(X.shape)
