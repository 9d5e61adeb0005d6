"""Checks for the exercises of notebook 03: images as numbers, the average digit, the nearest average.

Each check runs the learner's function on small random "images" and compares the answers with
a reference written out here in plain numpy: flattening images into rows
for a network, the average image of each digit, and reading a digit by its closest average.
It prints one verdict (see digitlab.exercises.grading) and never raises.
"""

from __future__ import annotations

import numpy as np

from .grading import NotYet, as_answer, call, exercise, expect_close, expect_equal, random_generator


def random_images(rng, n, side=28):
    """n random uint8 images (n, side, side), mostly background with some ink, like MNIST."""
    X = rng.integers(0, 256, size=(n, side, side)).astype(np.uint8)
    X[rng.random((n, side, side)) < 0.7] = 0
    return X


@exercise
def check_flatten(flatten):
    """Your flatten(images) -> (N, 784) floats in [0, 1] against reshape and / 255."""
    rng = random_generator(6)
    for n in (3, 1, 5):
        images = random_images(rng, n)
        example = f"for {n} image{'s' * (n > 1)} shaped {images.shape}, uint8"
        got = as_answer(call(flatten, images, name="your function", example=example), None, "your answer", example)
        expected = images.reshape(n, 784) / 255
        if got.shape == (784, n):
            raise NotYet(f"your answer {example} has shape (784, {n}): one column per image. It should be "
                         f"one row per image, shape ({n}, 784).")
        if got.shape == expected.shape and np.allclose(got, images.reshape(n, 784)):
            raise NotYet(f"your answer {example} still runs from 0 to 255.\nHint: divide by 255.")
        hint = ("lay each image's rows end to end: row 0, then row 1, ... (images.reshape(len(images), 784))."
                if got.shape == expected.shape and np.allclose(got, images.transpose(0, 2, 1).reshape(n, 784) / 255)
                else "reshape to (number of images, 784), then divide by 255.")
        expect_close(got, expected, "your answer", example, hint)
    return "your flatten turns images into rows of 784 numbers from 0 to 1, exactly as a network reads them."


@exercise
def check_mean_images(mean_images):
    """Your mean_images(X, y) -> (10, 28, 28) against the average of each digit's images."""
    rng = random_generator(7)
    for n in (30, 12):
        X = random_images(rng, n)
        y = np.concatenate([np.arange(10), rng.integers(0, 10, size=n - 10)])
        example = f"for {n} random images with labels {y.tolist()}"
        got = as_answer(call(mean_images, X, y, name="your function", example=example), None, "your answer", example)
        expected = np.array([X[y == d].mean(axis=0) for d in range(10)])
        if got.shape == expected.shape and np.allclose(got * 255, expected):
            raise NotYet(f"your averages {example} run from 0 to 1; keep the images' own scale, 0 to 255, here.")
        hint = ("take the images whose label is d (X[y == d]) and average them over the first axis "
                "(.mean(axis=0)); do it for d = 0 to 9.")
        if got.shape == (28, 28):
            hint = "that is one average image; return ten, one per digit, shape (10, 28, 28)."
        expect_close(got, expected, "your averages", example, hint)
    return "your average images match DigitLab's for every digit."


@exercise
def check_nearest_mean(nearest_mean):
    """Your nearest_mean(images, means) -> (N,) digits against the closest average image."""
    rng = random_generator(8)
    for n in (5, 20):
        means = rng.random((10, 28, 28))
        images = np.clip(means[rng.integers(0, 10, size=n)] + rng.normal(0, 0.3, (n, 28, 28)), 0, 1)
        example = f"for {n} random images and ten random averages"
        got = as_answer(call(nearest_mean, images, means, name="your function", example=example),
                        None, "your answer", example)
        distances = ((images[:, None] - means[None]) ** 2).sum(axis=(2, 3))     # (n, 10)
        expected = distances.argmin(axis=1)
        if got.shape == expected.shape and np.array_equal(got, distances.argmax(axis=1)):
            raise NotYet(f"your function picks the average that is *farthest* {example}.\n"
                         "Hint: the closest average has the smallest sum of squared differences: argmin.")
        expect_equal(got, expected, "your digits", example,
                     "for each image, add up (image − mean)² over its pixels for every mean; answer with the "
                     "number of the smallest total.")
    return "your nearest-mean reader gives the same digits as DigitLab's."
