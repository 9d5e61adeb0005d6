"""Checks for the exercises of notebook 07: two steps of turning a drawing into MNIST's format, and "I'm not sure".

Each check runs the learner's function on random drawings or probabilities and compares the
answers with DigitLab's own: cropping to the ink (digitlab.drawing.canvas.ink_bbox), the centre
of mass (digitlab.drawing.canvas.centre_of_mass), and answering only when sure enough
(digitlab.shift.answer_or_refuse). It prints one verdict (see digitlab.exercises.grading) and
never raises.
"""

from __future__ import annotations

import numpy as np

from ..drawing.canvas import centre_of_mass, ink_bbox
from ..network import softmax
from ..shift import answer_or_refuse
from .grading import exercise, judge, random_generator, show


def random_drawing(rng, height=8, width=10):
    """A small ink map: zeros with a random rectangle of ink values in (0, 1], somewhere inside."""
    ink = np.zeros((height, width))
    top, left = rng.integers(0, height - 3), rng.integers(0, width - 3)
    bottom, right = rng.integers(top + 1, height + 1), rng.integers(left + 1, width + 1)
    patch = rng.random((bottom - top, right - left))
    patch[rng.random(patch.shape) < 0.3] = 0
    patch[0, 0] = patch[-1, -1] = 1.0                 # the patch's corners hold ink: the box is exactly the patch
    ink[top:bottom, left:right] = patch
    return ink


@exercise
def check_crop(crop):
    """Your crop(ink) -> the smallest rectangle of ink holding every inked pixel, against ink_bbox."""
    rng = random_generator(20)
    for _ in range(8):
        ink = random_drawing(rng)
        example = f"for the ink map\n{show(ink, 1)}\n"
        top, left, bottom, right = ink_bbox(ink)
        judge(crop, (ink,), ink[top:bottom, left:right], "your crop", example,
              [(ink[top:bottom - 1, left:right - 1], "the last row and column of ink are cut off: a slice a:b "
                                                     "stops *before* b, so end at the last inked row + 1.")],
              "find the first and last rows and columns that hold ink (np.flatnonzero(ink.any(axis=1)) gives "
              "the rows), then slice ink[top:bottom + 1, left:right + 1].")
    return "your crop keeps exactly the ink's rectangle, as canvas_to_mnist does."


@exercise
def check_centre_of_mass(centre):
    """Your centre(image) -> (row, col) against the centre of mass of the ink."""
    rng = random_generator(21)
    cases = [np.eye(3)] + [random_drawing(rng, 6, 7) for _ in range(6)]
    for image in cases:
        example = f"for the image\n{show(image, 1)}\n"
        expected = np.array(centre_of_mass(image))
        judge(centre, (image,), expected, "your (row, col)", example,
              [(expected[::-1], "you have (col, row): give the row first."),
               (expected * image.sum(), "divide by the total ink: the centre is an average.")],
              "the row is the average row number weighted by ink: Σ row × ink / Σ ink; the same for the column.")
    return "your centre of mass agrees with DigitLab's."


@exercise
def check_not_sure(answer):
    """Your answer(P, threshold) -> digits, or −1 where the top probability is below threshold."""
    rng = random_generator(22)
    cases = [(np.array([[0.5, 0.3, 0.2], [0.2, 0.45, 0.35]]), 0.5)]
    cases += [(softmax(rng.normal(0, 2, size=(8, 10))), float(t)) for t in (0.5, 0.9, 0.0)]
    for P, threshold in cases:
        example = f"for threshold {threshold:g} and the probabilities\n{show(P, 2)}\n"
        judge(answer, (P, threshold), answer_or_refuse(P, threshold), "your answers", example,
              [(np.where(P.max(axis=1) > threshold, P.argmax(axis=1), -1),
                "a top probability exactly equal to the threshold is sure enough: use >=."),
               (P.argmax(axis=1), "answer −1 where the top probability is below the threshold.")],
              "the guess is P.argmax(axis=1); where P.max(axis=1) < threshold, answer −1 instead.", exact=True)
    return "your reader answers when it is sure enough, and says −1 (\"I'm not sure\") otherwise, as DigitLab's does."
