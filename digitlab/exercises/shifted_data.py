"""Checks for the exercises of notebook 08: measuring strokes, mixing your drawings in, monitoring by source.

Each check runs the learner's function on random inputs and compares the answers with DigitLab's
own: the stroke width from the ink's area and its centre line's length (digitlab.shift), mixing
a few drawings of yours into many MNIST digits (digitlab.finetune.mix_indices), and accuracy per
group (as digitlab.shift.accuracy_by counts it). It prints one verdict (see
digitlab.exercises.grading) and never raises.
"""

from __future__ import annotations

import numpy as np

from ..finetune import mix_indices
from ..shift import width_from_area_and_length
from .grading import NotYet, as_answer, call, exercise, expect_close, judge, pair, random_generator, show


@exercise
def check_stroke_width(width):
    """Your width(area, length) -> w with area = w·length + w², against the formula DigitLab solves."""
    rng = random_generator(23)
    cases = [(np.array([50.0]), np.array([20.0]))]
    cases += [(rng.uniform(20, 200, size=5), rng.uniform(5, 60, size=5)) for _ in range(2)]
    for area, length in cases:
        example = f"for the areas\n{show(area, 1)}\nand lengths\n{show(length, 1)}\n"
        judge(width, (area, length), width_from_area_and_length(area, length), "your widths", example,
              [(area / length, "area / length leaves out the two round ends (w² in all); solve w² + length·w − "
                               "area = 0 instead.")],
              "solve w² + length·w − area = 0: w = (√(length² + 4·area) − length) / 2.")
    return "your stroke widths agree with the formula digitlab.shift uses."


@exercise
def check_mix(mix):
    """Your mix(X_own, y_own, X_base, y_base, own_weight) -> (X, y): your drawings repeated to make up own_weight."""
    rng = random_generator(24)
    for n_own, n_base, own_weight in [(4, 12, 0.25), (5, 40, 0.3), (3, 7, 0.5)]:
        X_own = np.arange(1, n_own + 1, dtype=float)[:, None, None] * np.ones((1, 2, 2))      # image i is all i + 1
        X_base = -np.arange(1, n_base + 1, dtype=float)[:, None, None] * np.ones((1, 2, 2))   # base images negative
        y_own, y_base = rng.integers(0, 10, n_own), rng.integers(0, 10, n_base)
        example = f"for {n_own} drawings of yours, {n_base} MNIST digits and own_weight = {own_weight:g}"
        X, y = pair(call(mix, X_own, y_own, X_base, y_base, own_weight, name="your function", example=example),
                    ["X", "y"], example)
        X = as_answer(X, None, "your X", example)
        y = as_answer(y, None, "your y", example)
        if X.ndim != 3 or X.shape[1:] != (2, 2) or len(y) != len(X):
            raise NotYet(f"your X has shape {X.shape} and your y {y.shape} {example}: give one label per image, "
                         "and images of the same shape as the ones passed in.")
        ids = X[:, 0, 0].astype(int)
        own, base = ids[ids > 0] - 1, -ids[ids < 0] - 1
        expected_own, expected_base = mix_indices(n_own, n_base, own_weight, rng)
        if not np.array_equal(np.sort(base), np.arange(n_base)):
            raise NotYet(f"{example}: every MNIST digit should be in the mix exactly once; in yours they appear "
                         f"{np.bincount(base, minlength=n_base).tolist()} times.")
        if abs(len(own) - len(expected_own)) > 1:
            share = len(own) / len(ids) if len(ids) else 0
            raise NotYet(f"{example}: your drawings make up {share:.0%} of your mix ({len(own)} of {len(ids)}); "
                         f"they should make up {own_weight:.0%}, that is {len(expected_own)} of "
                         f"{len(expected_own) + n_base}.\nHint: repeat them until they are "
                         "own_weight / (1 − own_weight) times as many as the MNIST digits.")
        times = np.bincount(own, minlength=n_own)
        if times.max() - times.min() > 1:
            raise NotYet(f"{example}: some of your drawings are used more often than others (times each: "
                         f"{times.tolist()}); repeat them all alike, e.g. with np.tile, then top up.")
        labels = np.where(ids > 0, y_own[np.maximum(ids, 1) - 1], y_base[np.maximum(-ids, 1) - 1])
        if not np.array_equal(y, labels):
            raise NotYet(f"{example}: some labels no longer belong to their images; pick images and labels "
                         "with the same indices.")
    return "your mix repeats your drawings to the share asked for, keeps every MNIST digit once, and every label."


@exercise
def check_accuracy_by(accuracy_by):
    """Your accuracy_by(right, groups) -> {group: accuracy} against a count per group."""
    rng = random_generator(25)
    cases = [(np.array([True, False, True, True]), np.array(["app", "app", "paper", "paper"]))]
    cases += [(rng.random(30) < 0.8, rng.choice(["paper", "app", "new app"], 30)),
              (rng.random(12) < 0.5, rng.integers(1, 4, 12))]
    for right, groups in cases:
        example = f"for right = {right.astype(int).tolist()} and groups = {groups.tolist()}"
        got = call(accuracy_by, right, groups, name="your function", example=example)
        expected = {g: float(right[groups == g].mean()) for g in sorted(set(groups.tolist()))}
        if not isinstance(got, dict):
            raise NotYet(f"your function returned {type(got).__name__} {got!r:.60} {example}; it should return a "
                         "dict, one accuracy per group: {group: accuracy}.")
        if set(got) != set(expected):
            raise NotYet(f"your dict has the groups {sorted(got, key=str)} {example}; it should have "
                         f"{sorted(expected, key=str)}, one entry per group.")
        for g, accuracy in expected.items():
            counted = float(right[groups == g].sum())
            hint = ("that is how many were right; divide by how many the group has." if np.isclose(
                float(np.ravel(as_answer(got[g], None, f"your accuracy of {g!r}", example))[0]), counted)
                else "the accuracy of a group is the share of its images that are right: right[groups == g].mean().")
            expect_close(got[g], accuracy, f"your accuracy of {g!r}", example, hint)
    return "your accuracy per group agrees with DigitLab's monitoring."
