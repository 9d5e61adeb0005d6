"""Checks for the exercises of notebook 03: images as numbers, the average digit, the nearest average.

Each check runs the learner's function on small random "images" and compares the answers with
a reference: flattening images into rows for a network (written out here in plain numpy), the
average image of each digit, and reading a digit by its closest average (both as
digitlab.lessons.baselines computes them). It prints one verdict (see
digitlab.exercises.grading) and never raises.
"""

from __future__ import annotations

import numpy as np

from ..lessons.baselines import average_of_each_digit, squared_distances
from .grading import exercise, judge, random_generator


def random_images(rng, n, side=28):
    """n random uint8 images (n, side, side), mostly background with some ink, like MNIST."""
    X = rng.integers(0, 256, size=(n, side, side)).astype(np.uint8)
    X[rng.random((n, side, side)) < 0.7] = 0
    return X


@exercise
def check_flatten(flatten):
    """Your flatten(images) -> (N, 784) floats in [0, 1] against reshape and / 255."""
    stacks = [random_images(random_generator(6 + n), n) for n in (3, 1, 5)]
    for images, rows in ((images, images.reshape(len(images), 784)) for images in stacks):
        turned = images.transpose(0, 2, 1).reshape(len(images), 784)     # columns laid end to end instead
        mistakes = [(rows, "it still runs from 0 to 255: divide by 255."),
                    (rows.T / 255, "that is one column per image; it should be one row per image, shape (N, 784)."),
                    (turned / 255, "lay each image's rows end to end: row 0, then row 1, ... "
                                   "(images.reshape(len(images), 784)).")]
        judge(flatten, (images,), rows / 255, "your answer", f"for images shaped {images.shape}, uint8", mistakes,
              "reshape to (number of images, 784), then divide by 255.")
    return "your flatten turns images into rows of 784 numbers from 0 to 1, exactly as a network reads them."


@exercise
def check_mean_images(mean_images):
    """Your mean_images(X, y) -> (10, 28, 28) against the average of each digit's images."""
    rng = random_generator(7)
    hint = ("take the images whose label is d (X[y == d]) and average them over the first axis (.mean(axis=0)); "
            "do it for d = 0 to 9.")
    for X in (random_images(rng, 30), random_images(rng, 12)):
        y = np.concatenate([np.arange(10), rng.integers(0, 10, size=len(X) - 10)])   # every digit at least once
        expected = average_of_each_digit(X, y)                                       # (10, 28, 28), 0 to 255
        mistakes = [(expected / 255, "yours run from 0 to 1; keep the images' own scale, 0 to 255, here."),
                    (X.mean(axis=0), "that is one average image; return ten, one per digit, shape (10, 28, 28).")]
        judge(mean_images, (X, y), expected, "your averages", f"for {len(X)} images with labels {y.tolist()}",
              mistakes, hint)
    return "your average images match DigitLab's for every digit."


@exercise
def check_nearest_mean(nearest_mean):
    """Your nearest_mean(images, means) -> (N,) digits against the closest average image."""
    rng = random_generator(8)
    for n in (5, 20):
        means = rng.random((10, 28, 28))
        images = np.clip(means[rng.integers(0, 10, size=n)] + rng.normal(0, 0.3, (n, 28, 28)), 0, 1)
        distances = squared_distances(images.reshape(n, 784), means.reshape(10, 784))     # (n, 10)
        judge(nearest_mean, (images, means), distances.argmin(axis=1), "your digits",
              f"for {n} random images and ten random averages",
              [(distances.argmax(axis=1), "you picked the average that is *farthest*; the closest has the "
                                          "smallest sum of squared differences: argmin.")],
              "for each image, add up (image − mean)² over its pixels for every mean; answer with the number of "
              "the smallest total.", exact=True)
    return "your nearest-mean reader gives the same digits as DigitLab's."
