"""Checks for the exercises of notebooks 04 and 05: layers of neurons, forwards and backwards.

One layer (notebook 04): the matrix product written with loops, softmax, cross-entropy, the
slopes of one softmax layer, and the mini-batch training loop. Hidden layers (notebook 05): ReLU
and its slope, the forward pass of a network with one hidden layer, and one layer's step of
backpropagation. Each check runs the learner's function on small random arrays and compares the
answers with DigitLab's own (digitlab.network) or with the formula written out in numpy. It
prints one verdict (see digitlab.exercises.grading) and never raises.
"""

from __future__ import annotations

import numpy as np

from ..network import MLP, cross_entropy, relu, relu_slope, softmax, softmax_cross_entropy_slope
from .grading import (NotYet, as_answer, as_answer_or_nan, call, exercise, expect_close, first_match, judge, pair,
                      random_generator, show)


@exercise
def check_matmul(matmul):
    """Your matmul(A, B), written with loops, against numpy's A @ B."""
    rng = random_generator(9)
    cases = [(np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), np.array([[1.0, 0.0], [0.0, 1.0], [1.0, -1.0]]))]
    for n, k, m in [(1, 4, 3), (3, 1, 2), (4, 3, 5), (2, 5, 1)]:
        cases.append((rng.integers(-3, 4, size=(n, k)).astype(float), rng.integers(-3, 4, size=(k, m)).astype(float)))
    for A, B in cases:
        example = f"for A =\n{show(A)}\nand B =\n{show(B)}\n"
        judge(matmul, (A, B), A @ B, "your product", example,
              [((A @ B).T, "your answer is turned on its side: entry [i, j] is row i of A times column j of B, "
                           "and the result has A's rows and B's columns."),
               (np.zeros((len(A), B.shape[1])), "every entry is still 0: add A[i, k] * B[k, j] to entry [i, j] "
                                                "for every k.")],
              "entry [i, j] is the sum over k of A[i, k] × B[k, j]: row i of A times column j of B.",
              name="your matmul")
    return f"your matmul agrees with A @ B on all {len(cases)} pairs of matrices tried, whatever their shapes."


@exercise
def check_softmax(my_softmax):
    """Your softmax(Z) against DigitLab's, on random scores and on very large ones."""
    rng = random_generator(10)
    cases = [np.array([[2.0, 1.0, 0.1]]), rng.normal(0, 3, size=(4, 10)), rng.normal(0, 1, size=(2, 5)),
             np.array([[1000.0, 1001.0, 999.0], [-5.0, 0.0, 5.0]])]
    for Z in cases:
        example = f"for the scores\n{show(Z)}\n"
        got = call(my_softmax, Z, name="your softmax", example=example)
        expected = softmax(Z)
        if np.abs(Z).max() >= 100 and not np.isfinite(np.asarray(as_answer_or_nan(got))).all():
            raise NotYet(f"your softmax gives NaN or infinity {example}: e^1000 is too large for a computer.\n"
                         "Hint: subtract each row's largest score first (Z − Z.max(axis=1, keepdims=True)); "
                         "it changes nothing in the result, because the shift cancels out in the division.")
        got = as_answer(got, None, "your answer", example)
        E = np.exp(Z - Z.max())
        hint = first_match(got, [(E / E.sum(axis=0, keepdims=True), "each *column* of yours adds up to 1; it is "
                                  "each row (one image) that must: sum with axis=1, keepdims=True."),
                                 (E / E.sum(), "all your numbers together add up to 1; each row (one image) "
                                  "must: sum with axis=1, keepdims=True."),
                                 (np.exp(Z), "you made the scores positive; now divide each row by its sum.")],
                           "exp of each score, divided by the sum of the exps in its row.")
        expect_close(got, expected, "your probabilities", example, hint)
    return "your softmax agrees with DigitLab's, and stays sensible for very large scores."


@exercise
def check_cross_entropy(my_cross_entropy):
    """Your cross_entropy(P, y) against DigitLab's: the mean of −log(probability of the right digit)."""
    rng = random_generator(11)
    cases = [(np.array([[0.1, 0.7, 0.2], [0.5, 0.25, 0.25]]), np.array([1, 0]))]
    for n, c in [(5, 10), (8, 3)]:
        cases.append((softmax(rng.normal(0, 2, size=(n, c))), rng.integers(0, c, size=n)))
    for P, y in cases:
        example = f"for the probabilities\n{show(P)}\nand the labels {y.tolist()}\n"
        got = as_answer(call(my_cross_entropy, P, y, name="your function", example=example), None,
                        "your loss", example)
        expected = cross_entropy(P, y)
        right = P[np.arange(len(y)), y]
        if got.size != 1:
            raise NotYet(f"your loss {example} is {got.size} numbers; it should be one number, the mean over "
                         "the images.")
        hint = first_match(got.reshape(()), [(-np.log(right).sum(), "that is the sum over the images; take the mean."),
                                             (np.log(right).mean(), "the sign is wrong: the loss is −log p."),
                                             (-np.log(P).mean(), "use only the probability of the *right* digit of "
                                                                 "each image: P[np.arange(len(y)), y].")],
                           "take P[i, y[i]] for every image i, then the mean of −log of those.")
        expect_close(got.reshape(()), expected, "your loss", example, hint)
    return "your cross-entropy agrees with DigitLab's."


def layer_example(rng, n=6, k=4, c=3):
    """A small random one-layer problem: inputs X (n, k) in [0, 1], labels y, weights W (k, c), bias b."""
    return rng.random((n, k)), rng.integers(0, c, size=n), rng.normal(0, 0.5, (k, c)), rng.normal(0, 0.5, c)


@exercise
def check_layer_gradient(gradient):
    """Your gradient(X, P, y) -> (dW, db) against the slopes of the mean cross-entropy of one softmax layer."""
    rng = random_generator(12)
    for n, k, c in [(4, 3, 2), (6, 5, 10), (1, 2, 3)]:
        X, y, W, b = layer_example(rng, n, k, c)
        P = softmax(X @ W + b)
        example = f"for X shaped {X.shape}, P shaped {P.shape} and labels {y.tolist()}"
        dW, db = pair(call(gradient, X, P, y, name="your function", example=example), ["dW", "db"], example)
        dZ = softmax_cross_entropy_slope(P, y)
        hint = first_match(dW, [(X.T @ dZ * n, f"your slopes are {n} times too large: divide P − Y by the number "
                                               "of images, because the loss is their mean."),
                                (dZ.T @ X, "your dW is turned on its side: it must have W's shape "
                                           "(inputs, outputs): Xᵀ @ dZ.")],
                           "dZ = (P − Y) / N, where Y is one_hot(y); then dW = Xᵀ @ dZ.")
        expect_close(dW, X.T @ dZ, "your dW", example, hint)
        expect_close(db, dZ.sum(axis=0), "your db", example, "db = dZ summed over the images (axis=0).")
    return "your slopes of one layer agree with the formula dZ = (P − Y) / N, dW = Xᵀ dZ, db = Σ dZ."


def reference_training(W, b, X, y, lr, epochs, batch_size, seed):
    """The loop of the exercise, as the notebook's stub lays it out: shuffle, mini-batch, forward, slopes, step."""
    W, b = W.copy(), b.copy()
    rng = np.random.default_rng(seed)
    for _ in range(epochs):
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            batch = order[start:start + batch_size]
            P = softmax(X[batch] @ W + b)
            dZ = softmax_cross_entropy_slope(P, y[batch])
            W, b = W - lr * X[batch].T @ dZ, b - lr * dZ.sum(axis=0)
    return W, b


@exercise
def check_training_loop(train):
    """Your train(W, b, X, y, lr, epochs, batch_size, seed) -> (W, b) against the same loop in DigitLab."""
    rng = random_generator(13)
    X, y, W, b = layer_example(rng, n=12, k=4, c=3)
    cases = [(0.5, 1, 12, "one epoch, one batch of all 12 images"),
             (0.5, 1, 4, "one epoch of 3 mini-batches of 4"),
             (0.1, 3, 5, "3 epochs of mini-batches of 5 (the last one has 2)")]
    for lr, epochs, batch_size, what in cases:
        example = f"({what}, lr = {lr:g})"
        got = call(train, W, b, X, y, lr, epochs, batch_size, 0, name="your function", example=example)
        got_W, got_b = pair(got, ["W", "b"], example)
        expected_W, expected_b = reference_training(W, b, X, y, lr, epochs, batch_size, 0)
        got_W = as_answer(got_W, W.shape, "your W", example)
        if np.allclose(got_W, W):
            raise NotYet(f"your W did not change {example}.\nHint: in step 5, set W to W − lr × dW and b to "
                         "b − lr × db, inside the loop over batches.")
        hint = first_match(got_W, [(W + (W - expected_W), "your steps went uphill: subtract lr × dW.")],
                           "forward P = softmax(Xb @ W + b); slopes dZ = (P − one_hot(yb)) / len(yb), "
                           "dW = Xbᵀ @ dZ, db = dZ.sum(axis=0); step W − lr × dW, b − lr × db. Keep the stub's "
                           "shuffling lines as they are: the check shuffles the same way.")
        expect_close(got_W, expected_W, "your W", example, hint)
        expect_close(got_b, expected_b, "your b", example, hint)
    before, after = cross_entropy(softmax(X @ W + b), y), cross_entropy(softmax(X @ expected_W + expected_b), y)
    return (f"your training loop moves W and b exactly as DigitLab's does; on the check's 12 images it took "
            f"the loss from {before:.3f} to {after:.3f}.")


@exercise
def check_relu(my_relu, my_relu_slope):
    """Your relu(Z) and its slope against DigitLab's, on random arrays."""
    rng = random_generator(14)
    cases = [np.array([-2.0, -0.5, 0.7, 3.0]), rng.normal(size=(3, 4)), rng.normal(size=(2, 6))]
    for Z in cases:
        example = f"for Z =\n{show(Z)}\n"
        got = call(my_relu, Z, name="your relu", example=example,
                   hint="np.maximum(Z, 0) works on a whole array (max() and `if` take one number).")
        expect_close(got, relu(Z), "your relu", example, "keep z where it is positive, 0 elsewhere: np.maximum(Z, 0).")
        got = call(my_relu_slope, Z, name="your slope", example=example,
                   hint="compare the whole array at once: (Z > 0) gives True/False for every entry.")
        hint = first_match(got, [(relu(Z), "that is relu itself; its slope is 1 where z > 0 and 0 elsewhere.")],
                           "the slope of relu is 1 where z > 0 and 0 where z < 0: (Z > 0) * 1.0.")
        expect_close(got, relu_slope(Z), "your slope", example, hint)
    return "your ReLU and its slope agree with DigitLab's."


def small_network(rng, n=5, k=4, h=3, c=3):
    """Inputs X (n, k) in [0, 1] and an MLP (k, h, c) with random weights and biases."""
    model = MLP((k, h, c), seed=int(rng.integers(1000)))
    model.params[...] = rng.normal(0, 0.8, model.params.size)
    return rng.random((n, k)).astype(np.float32), model


@exercise
def check_two_layer_forward(forward):
    """Your forward(X, W1, b1, W2, b2) -> P against DigitLab's network with the same weights."""
    rng = random_generator(15)
    for n, k, h, c in [(2, 3, 2, 2), (5, 4, 3, 3), (3, 6, 5, 10)]:
        X, model = small_network(rng, n, k, h, c)
        (W1, W2), (b1, b2) = [W.astype(np.float64) for W in model.weights], [b.astype(np.float64) for b in model.biases]
        example = f"for X shaped {X.shape}, W1 {W1.shape}, W2 {W2.shape}"
        judge(forward, (X, W1, b1, W2, b2), model.forward(X)[-1], "your P", example,
              [(softmax((X @ W1 + b1) @ W2 + b2), "the hidden layer needs its ReLU: A1 = relu(X @ W1 + b1)."),
               (relu(X @ W1 + b1) @ W2 + b2, "those are the scores; the output is softmax of them.")],
              "A1 = relu(X @ W1 + b1), then P = softmax(A1 @ W2 + b2).", rtol=1e-4, atol=1e-6)
    return "your forward pass gives the same probabilities as DigitLab's network."


@exercise
def check_layer_backward(backward):
    """Your backward(A_prev, W, dZ) -> (dW, db, dA_prev) against one layer's step of backpropagation."""
    rng = random_generator(16)
    for n, k, m in [(2, 2, 2), (5, 4, 3), (3, 6, 10)]:
        A_prev, W, dZ = rng.random((n, k)), rng.normal(size=(k, m)), rng.normal(0, 0.1, size=(n, m))
        example = f"for A_prev shaped {A_prev.shape}, W {W.shape} and dZ {dZ.shape}"
        dW, db, dA_prev = pair(call(backward, A_prev, W, dZ, name="your function", example=example),
                               ["dW", "db", "dA_prev"], example)
        expect_close(dW, A_prev.T @ dZ, "your dW", example,
                     first_match(dW, [(dZ.T @ A_prev, "your dW is turned on its side; it must have W's shape: "
                                                      "A_prevᵀ @ dZ.")],
                                 "a weight's slope is (its input) × (the slope at its output): A_prevᵀ @ dZ."))
        expect_close(db, dZ.sum(axis=0), "your db", example, "db = dZ added up over the images: dZ.sum(axis=0).")
        expect_close(dA_prev, dZ @ W.T, "your dA_prev", example,
                     "the slope flows back through the same weights, turned around: dZ @ Wᵀ (W.T in numpy).")
    return "your backward step gives the same slopes as DigitLab's backpropagation for one layer."
