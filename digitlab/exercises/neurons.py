"""Checks for the exercises of notebooks 01 and 02: one neuron, its learning rule, and gradient descent.

Each check takes the learner's function, runs it on random examples, and compares every answer
with DigitLab's own (digitlab.lessons): the perceptron's output and its learning rule, the sigmoid
and its slope, the gradient-descent loop, and the slopes of the sigmoid neuron's loss by the chain
rule. It prints one verdict (see digitlab.exercises.grading) and never raises.
"""

from __future__ import annotations

import numpy as np

from ..lessons.gradient_descent import GradientDescent, QuadraticLoss
from ..lessons.perceptron import Perceptron
from ..lessons.sigmoid_neuron import SigmoidNeuron, sigmoid, sigmoid_slope
from .grading import NotYet, as_answer, call, exercise, expect_close, first_match, pair, random_generator, show


def numbers(values) -> str:
    """(−1, 1, 1) for a few numbers, as a learner would write them."""
    return "(" + ", ".join(f"{v:g}" for v in np.asarray(values, dtype=float).ravel()) + ")"


def random_days(rng, n):
    """n random (x, w, b): inputs ±1, weights and bias in steps of 0.5, so that z is often exactly 0."""
    halves = np.arange(-4, 5) / 2
    return [(rng.choice([-1, 1], size=3).tolist(), rng.choice(halves, size=3).tolist(), float(rng.choice(halves)))
            for _ in range(n)]


@exercise
def check_perceptron_output(output):
    """Your output(x, w, b) against the perceptron's: 1 if x·w + b ≥ 0, else 0."""
    cases = [([-1, 1, 1], [1.0, 0.5, 0.5], -0.5), ([1, 1, -1], [0.5, 0.5, 0.5], -0.5)] + random_days(random_generator(1), 40)
    for x, w, b in cases:
        example = f"for x = {numbers(x)}, w = {numbers(w)}, b = {b:g}"
        got = call(output, x, w, b, name="your function", example=example)
        right = Perceptron(w, b)
        z, expected = right.weighted_sum(x), right.output(x)
        if isinstance(got, (bool, np.bool_)):
            got = int(got)
        if not isinstance(got, (int, np.integer, float, np.floating)) or got not in (0, 1):
            raise NotYet(f"your function returned {got!r:.40} {example}. It should return the output, 1 or 0 "
                         f"(here z = {z:g}, so {expected}).")
        if got != expected:
            hint = ("at exactly z = 0 the perceptron says 1: its rule is z ≥ 0, not z > 0." if z == 0 else
                    "add up each input times its weight, then the bias; say 1 when that sum is 0 or more.")
            raise NotYet(f"your function says {int(got)} {example}, but z = {z:g}, so the output is "
                         f"{expected}.\nHint: {hint}")
    return f"your perceptron gives the same output as DigitLab's on all {len(cases)} days and weights tried."


@exercise
def check_perceptron_update(update):
    """Your update(x, label, w, b, lr) -> (new_w, new_b) against the perceptron learning rule."""
    rng = random_generator(2)
    cases = [([-1, 1, 1], 0, [0.0, 0.0, 0.0], 0.0, 0.5)]
    cases += [(x, int(rng.integers(2)), w, b, float(rng.choice([0.25, 0.5, 1.0]))) for x, w, b in random_days(rng, 40)]
    for x, label, w, b, lr in cases:
        example = f"for x = {numbers(x)}, label {label}, w = {numbers(w)}, b = {b:g}, lr = {lr:g}"
        got = call(update, x, label, w, b, lr, name="your function", example=example)
        perceptron = Perceptron(w, b)
        step = perceptron.learn(x, label, lr)
        pair(got, ["new_w", "new_b"], example, "two things, the new weights and the new bias")
        new_w = as_answer(got[0], (3,), "your new weights", example)
        new_b = as_answer(got[1], (), "your new bias", example)
        said = f"the perceptron said {step.prediction}"
        if np.allclose(new_w, perceptron.w) and np.isclose(new_b, perceptron.b):
            continue
        if not step.mistake:
            raise NotYet(f"{example}: {said}, which is right, so nothing should change; your function "
                         f"returned w = {numbers(new_w)}, b = {float(new_b):g}.")
        if np.allclose(new_w, w) and np.isclose(new_b, b):
            raise NotYet(f"{example}: {said}, which is wrong, so the weights must move; yours stayed put.\n"
                         "Hint: every weight moves by lr × (label − output) × its input.")
        if np.allclose(new_w, 2 * np.asarray(w) - perceptron.w):
            raise NotYet(f"{example}: {said}; your weights moved the wrong way.\n"
                         "Hint: the error is label − output, not output − label.")
        raise NotYet(f"{example}: {said}. Your function returned w = {numbers(new_w)}, b = {float(new_b):g}, "
                     f"but the rule gives w = {numbers(perceptron.w)}, b = {perceptron.b:g}.\n"
                     "Hint: weights move by lr × (label − output) × input, the bias by lr × (label − output).")
    return f"your learning rule moves the weights as DigitLab's does on all {len(cases)} examples tried."


@exercise
def check_sigmoid(my_sigmoid, my_sigmoid_slope):
    """Your sigmoid(z) and its slope against DigitLab's, on single numbers and whole arrays."""
    rng = random_generator(3)
    arrays = [np.array([-4.0, -1.0, 0.0, 1.0, 4.0]), rng.normal(0, 4, size=7), rng.normal(0, 3, size=(3, 4))]
    array_hint = "use np.exp, which works on a whole array at once (math.exp takes one number)."
    for function, reference, name in [(my_sigmoid, sigmoid, "your sigmoid"),
                                      (my_sigmoid_slope, sigmoid_slope, "your slope")]:
        got = call(function, 0.0, name=name, example="at z = 0")
        expect_close(got, reference(0.0), f"{name} at z = 0", "",
                     "sigmoid(0) = 1 / (1 + e⁰) = 0.5; its slope there is 0.5 × (1 − 0.5) = 0.25.")
        for z in arrays:
            example = f"for z =\n{show(z)}\n"
            got = call(function, z, name=name, example=example, hint=array_hint)
            hint = ("the slope of the sigmoid is sigmoid(z) × (1 − sigmoid(z))." if reference is sigmoid_slope
                    else "sigmoid(z) = 1 / (1 + e^(−z)); for arrays, write it with np.exp.")
            expect_close(got, reference(z), name, example, hint)
    return "your sigmoid and its slope agree with DigitLab's, on single numbers and on whole arrays."


@exercise
def check_descent(descend):
    """Your descend(slope, w, lr, steps) against gradient descent on random one-weight valleys."""
    rng = random_generator(4)
    cases = [(2.0, 2.0, -1.0, 0.1, 3)]            # L(w) = (w − 2)², as in the notebook
    cases += [(float(rng.uniform(0.5, 4)), float(rng.uniform(-3, 3)), float(rng.uniform(-5, 5)),
               float(rng.uniform(0.05, 0.4)), int(rng.integers(1, 12))) for _ in range(10)]
    for curvature, bottom, w0, lr, steps in cases:
        loss = QuadraticLoss([[curvature]], [bottom])

        def slope(w, loss=loss):
            return float(loss.gradient([float(np.ravel(w)[0])])[0])

        example = (f"for L(w) = {curvature / 2:.3g}·(w − {bottom:.3g})², whose slope is "
                   f"{curvature:.3g}·(w − {bottom:.3g}), from w = {w0:.3g} with lr = {lr:.3g} and {steps} steps")
        got = call(descend, slope, w0, lr, steps, name="your function", example=example)
        gd = GradientDescent(loss, [w0], lr)
        gd.run(steps)
        expected = gd.w[0]
        w = float(as_answer(got, None, "your answer", example).ravel()[0]) if np.size(got) == 1 else got
        uphill = w0
        for _ in range(steps):
            uphill = uphill + lr * slope(uphill)
        if np.isclose(w, w0) and steps:
            hint = "w did not move: inside the loop, set w to w − lr × slope(w)."
        elif np.isclose(w, uphill):
            hint = "your steps went uphill: subtract lr × slope(w), don't add it."
        else:
            hint = "take exactly `steps` steps of w ← w − lr × slope(w), then return w."
        expect_close(w, expected, "where your descent ends", example, hint)
    return f"your gradient descent ends where DigitLab's does on all {len(cases)} valleys tried."


@exercise
def check_chain_rule(gradients):
    """Your gradients(w, b, X, y) -> (dw, db) against the sigmoid neuron's slopes of its squared error."""
    rng = random_generator(5)
    for n in (6, 4, 9):
        X = rng.choice([-1.0, 1.0], size=(n, 3))
        y = rng.integers(0, 2, size=n).astype(float)
        w, b = rng.normal(size=3), float(rng.normal())
        example = f"for w = {numbers(w.round(3))}, b = {b:.3f} and {n} days"
        got = call(gradients, w, b, X, y, name="your function", example=example)
        dw, db = SigmoidNeuron(w, b).gradients(X, y)
        pair(got, ["dw", "db"], example, "two things")
        p = sigmoid(X @ w + b)
        hints = [(2 * dw, "your slopes are twice too large: the squared error's own slope is 2 (p − y)."),
                 (dw / 2, "your slopes are half what they should be: the slope of (p − y)² is 2 (p − y)."),
                 (dw * n, f"your slopes are {n} times too large: the loss is the *average* over the days."),
                 (X.T @ (2 * (p - y)) / n, "the sigmoid's own slope p (1 − p) is missing from the chain.")]
        got_dw = as_answer(got[0], (3,), "your dw", example)
        hint = first_match(got_dw, hints,
                           "multiply the three effects, 2 (p − y) × p (1 − p) × xᵢ, and average over the days.")
        expect_close(got_dw, dw, "your dw", example, hint)
        expect_close(got[1], db, "your db", example, "db is the same as dw without the × xᵢ.")
    return "your chain rule gives the same slopes as DigitLab's sigmoid neuron on 3 random tables of days."
