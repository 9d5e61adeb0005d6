"""Checks for the exercises of notebook 06: the full network's size, Adam's step, and its mistakes.

Each check runs the learner's function on random inputs and compares the answers with DigitLab's
own: the parameters of each layer of an MLP, one step of the Adam optimiser (digitlab.optim), and
the confusion matrix of a reader's answers (counted here in a second way). It prints one verdict
(see digitlab.exercises.grading) and never raises.
"""

from __future__ import annotations

import numpy as np

from ..network import MLP
from ..optim import Adam
from .grading import NotYet, as_answer, call, exercise, expect_close, expect_equal, first_match, judge, pair, random_generator, show


@exercise
def check_parameter_count(count):
    """Your count(sizes) -> the number of parameters of each layer, against DigitLab's MLP."""
    rng = random_generator(17)
    cases = [(784, 128, 64, 10), (2, 2, 2), (784, 10)] + [tuple(rng.integers(1, 40, size=int(rng.integers(2, 6))))
                                                          for _ in range(4)]
    for sizes in cases:
        example = f"for sizes = {tuple(int(s) for s in sizes)}"
        model = MLP(sizes)
        judge(count, (tuple(int(s) for s in sizes),), [W.size + b.size for W, b in zip(model.weights, model.biases)],
              "your counts", example,
              [([W.size for W in model.weights], "those are the weights; every neuron also has a bias: add the "
                                                 "layer's outputs."),
               ([s for s in sizes[1:]], "those are the neurons; count their weights too.")],
              "a layer from n_in to n_out neurons has n_in × n_out weights and n_out biases.", exact=True)
    return "your counts match DigitLab's networks, layer by layer."


@exercise
def check_adam_step(adam_step):
    """Your adam_step(params, grads, m, v, t, lr) -> (params, m, v) against digitlab.optim.Adam."""
    rng = random_generator(18)
    for t, size in [(1, 3), (2, 4), (10, 5)]:
        params, grads = rng.normal(size=size), rng.normal(size=size)
        m = np.zeros(size) if t == 1 else rng.normal(0, 0.1, size)
        v = np.zeros(size) if t == 1 else rng.random(size) * 0.01
        lr = 0.01
        example = f"at step t = {t}, for grads =\n{show(grads)}\n"
        got_params, got_m, got_v = pair(call(adam_step, params, grads, m, v, t, lr, name="your function",
                                             example=example), ["params", "m", "v"], example)
        adam = Adam(params.copy(), lr=lr)
        adam.m[...], adam.v[...], adam.t = m, v, t - 1
        adam.step(grads)
        expect_close(got_m, adam.m, "your m", example, "m ← β₁·m + (1 − β₁)·grads, with β₁ = 0.9.")
        expect_close(got_v, adam.v, "your v", example, "v ← β₂·v + (1 − β₂)·grads², with β₂ = 0.999.")
        no_correction = params - lr * adam.m / (np.sqrt(adam.v) + 1e-8)
        hint = first_match(got_params, [(no_correction, "the bias correction is missing: m̂ = m / (1 − β₁ᵗ), "
                                                        "v̂ = v / (1 − β₂ᵗ)."),
                                        (params + (params - adam.params), "your step went uphill: subtract it.")],
                           "params ← params − lr · m̂ / (√v̂ + ε), with m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ).")
        expect_close(got_params, adam.params, "your new params", example, hint)
    return "your Adam step moves the parameters, m and v exactly as digitlab.optim.Adam does."


@exercise
def check_confusion_matrix(confusion):
    """Your confusion(y_true, y_pred) -> (10, 10) counts against a count of every (true, predicted) pair."""
    rng = random_generator(19)
    for n in (6, 50):
        y_true = rng.integers(0, 10, size=n)
        y_pred = np.where(rng.random(n) < 0.7, y_true, rng.integers(0, 10, size=n))
        example = f"for the labels {y_true.tolist()[:12]}{'...' if n > 12 else ''} and answers " \
                  f"{y_pred.tolist()[:12]}{'...' if n > 12 else ''}"
        got = as_answer(call(confusion, y_true, y_pred, name="your function", example=example), None,
                        "your matrix", example)
        expected = np.bincount(10 * y_true + y_pred, minlength=100).reshape(10, 10)
        if got.shape == (10, 10) and np.array_equal(got, expected.T):
            raise NotYet(f"your matrix {example} is turned around: rows should be the true digits and columns "
                         "the answers, so count 1 at [true, predicted].")
        expect_equal(got, expected, "your matrix", example,
                     "start from np.zeros((10, 10)) and add 1 at [true, predicted] for every image.")
    return "your confusion matrix counts every answer in the right cell."
