"""The exercises' checks: a right answer passes, wrong answers are caught with a hint, nothing ever raises.

Every check is given a right answer written here (as a learner would write it), the notebook's
kind of stub, and typical mistakes; each must get the verdict it deserves. The references the
checks compare with are themselves checked against an independent computation (finite
differences, a hand count) where they are not DigitLab's tested core.
"""

import math
import time

import numpy as np
import pytest

from digitlab.exercises import CHECKS, NOT_YET, RIGHT, grading
from digitlab.exercises import (check_accuracy_by, check_adam_step, check_centre_of_mass, check_chain_rule,
                                check_confusion_matrix, check_crop, check_cross_entropy, check_descent,
                                check_flatten, check_layer_backward, check_layer_gradient, check_matmul,
                                check_mean_images, check_mix, check_nearest_mean, check_not_sure,
                                check_parameter_count, check_perceptron_output, check_perceptron_update,
                                check_relu, check_sigmoid, check_softmax, check_stroke_width,
                                check_training_loop, check_two_layer_forward)
from digitlab.lessons.gradient_descent import numerical_gradient

# ---- right answers, as a learner would write them -------------------------------------------------


def output(x, w, b):
    z = x[0] * w[0] + x[1] * w[1] + x[2] * w[2] + b
    return 1 if z >= 0 else 0


def update(x, label, w, b, lr=0.5):
    error = label - output(x, w, b)
    return [w[i] + lr * error * x[i] for i in range(3)], b + lr * error


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_slope(z):
    return sigmoid(z) * (1 - sigmoid(z))


def descend(slope, w, lr, steps):
    for _ in range(steps):
        w = w - lr * slope(w)
    return w


def gradients(w, b, X, y):
    p = sigmoid(X @ w + b)
    dz = 2 * (p - y) * p * (1 - p) / len(X)
    return X.T @ dz, dz.sum()


def flatten(images):
    return images.reshape(len(images), 784) / 255


def mean_images(X, y):
    return np.array([X[y == d].mean(axis=0) for d in range(10)])


def nearest_mean(images, means):
    return np.array([((means - image) ** 2).sum(axis=(1, 2)).argmin() for image in images])


def matmul(A, B):
    C = np.zeros((A.shape[0], B.shape[1]))
    for i in range(A.shape[0]):
        for j in range(B.shape[1]):
            for k in range(A.shape[1]):
                C[i, j] += A[i, k] * B[k, j]
    return C


def softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def cross_entropy(P, y):
    return -np.log(P[np.arange(len(y)), y]).mean()


def one_hot(y, classes):
    return np.eye(classes)[y]


def layer_gradient(X, P, y):
    dZ = (P - one_hot(y, P.shape[1])) / len(y)
    return X.T @ dZ, dZ.sum(axis=0)


def train(W, b, X, y, lr=0.5, epochs=1, batch_size=100, seed=0):
    rng = np.random.default_rng(seed)
    for _ in range(epochs):
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            batch = order[start:start + batch_size]
            P = softmax(X[batch] @ W + b)
            dW, db = layer_gradient(X[batch], P, y[batch])
            W, b = W - lr * dW, b - lr * db
    return W, b


def relu(Z):
    return np.maximum(Z, 0)


def relu_slope(Z):
    return (Z > 0) * 1.0


def forward(X, W1, b1, W2, b2):
    return softmax(relu(X @ W1 + b1) @ W2 + b2)


def backward(A_prev, W, dZ):
    return A_prev.T @ dZ, dZ.sum(axis=0), dZ @ W.T


def count(sizes):
    return [n_in * n_out + n_out for n_in, n_out in zip(sizes, sizes[1:])]


def adam_step(params, grads, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * grads
    v = beta2 * v + (1 - beta2) * grads ** 2
    m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
    return params - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def confusion(y_true, y_pred):
    cm = np.zeros((10, 10), int)
    for t, p in zip(y_true, y_pred):
        cm[t, p] += 1
    return cm


def crop(ink):
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    return ink[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


def centre(image):
    rows, cols = np.indices(image.shape)
    return (rows * image).sum() / image.sum(), (cols * image).sum() / image.sum()


def answer(P, threshold):
    return np.where(P.max(axis=1) >= threshold, P.argmax(axis=1), -1)


def width(area, length):
    return (np.sqrt(length ** 2 + 4 * area) - length) / 2


def mix(X_own, y_own, X_base, y_base, own_weight):
    n = int(round(own_weight / (1 - own_weight) * len(X_base)))
    pick = np.resize(np.arange(len(X_own)), max(n, len(X_own)))
    return np.concatenate([X_own[pick], X_base]), np.concatenate([y_own[pick], y_base])


def accuracy_by(right, groups):
    return {g: right[groups == g].mean() for g in set(groups.tolist())}


RIGHT_ANSWERS = [
    (check_perceptron_output, [output]), (check_perceptron_update, [update]),
    (check_sigmoid, [sigmoid, sigmoid_slope]), (check_descent, [descend]), (check_chain_rule, [gradients]),
    (check_flatten, [flatten]), (check_mean_images, [mean_images]), (check_nearest_mean, [nearest_mean]),
    (check_matmul, [matmul]), (check_softmax, [softmax]), (check_cross_entropy, [cross_entropy]),
    (check_layer_gradient, [layer_gradient]), (check_training_loop, [train]),
    (check_relu, [relu, relu_slope]), (check_two_layer_forward, [forward]), (check_layer_backward, [backward]),
    (check_parameter_count, [count]), (check_adam_step, [adam_step]), (check_confusion_matrix, [confusion]),
    (check_crop, [crop]), (check_centre_of_mass, [centre]), (check_not_sure, [answer]),
    (check_stroke_width, [width]), (check_mix, [mix]), (check_accuracy_by, [accuracy_by]),
]


def test_every_check_has_a_right_answer_here():
    assert {c.__name__ for c, _ in RIGHT_ANSWERS} == {c.__name__ for c in CHECKS}


@pytest.mark.parametrize("check, answers", RIGHT_ANSWERS, ids=[c.__name__ for c, _ in RIGHT_ANSWERS])
def test_a_right_answer_passes_and_the_check_prints_it(check, answers, capsys):
    verdict = check.grade(*answers)
    assert verdict.passed, verdict.message
    assert check(*answers) is None
    printed = capsys.readouterr().out
    assert printed.startswith(RIGHT) and printed.strip() == str(verdict)


def nothing(*args):
    """A stub left as it is: returns nothing."""


def crash(*args):
    return undefined_name  # noqa: F821  (a learner's typo)


def endless(*args):
    while True:
        pass


@pytest.mark.parametrize("check, answers", RIGHT_ANSWERS, ids=[c.__name__ for c, _ in RIGHT_ANSWERS])
def test_an_unfinished_answer_gets_a_plain_verdict_and_nothing_raises(check, answers):
    for stub, words in [(nothing, ["None", "return"]), (crash, ["NameError", "undefined_name"]),
                        (42, ["should be a function"])]:
        verdict = check.grade(*[stub] * len(answers))
        assert not verdict.passed
        assert str(verdict).startswith(NOT_YET)
        for word in words:
            assert word in verdict.message, (stub, verdict.message)


def test_a_learner_function_that_never_ends_is_stopped_with_a_plain_verdict(monkeypatch):
    monkeypatch.setattr(grading, "TIME_LIMIT", 0.2)
    started = time.perf_counter()
    verdict = check_softmax.grade(endless)
    assert time.perf_counter() - started < 5
    assert not verdict.passed and "still running" in verdict.message and "loop" in verdict.message


def test_a_verdict_keeps_its_lines_short_and_its_arrays_whole():
    verdict = grading.Verdict(False, "word " * 60 + "\n" + grading.show(np.arange(12.0).reshape(3, 4)))
    lines = str(verdict).splitlines()
    assert all(len(line) <= grading.WIDTH for line in lines)
    assert lines[0].startswith(NOT_YET) and any(line.startswith("    [[") for line in lines)


def test_the_learners_inputs_are_copies_so_changing_them_does_no_harm():
    def softmax_in_place(Z):
        Z -= Z.max(axis=1, keepdims=True)
        np.exp(Z, out=Z)
        Z /= Z.sum(axis=1, keepdims=True)
        return Z

    assert check_softmax.grade(softmax_in_place).passed


# ---- typical mistakes are caught, each with its hint ------------------------------------------------

MISTAKES = [
    (check_perceptron_output, [lambda x, w, b: int(x[0] * w[0] + x[1] * w[1] + x[2] * w[2] + b > 0)], "z ≥ 0"),
    (check_perceptron_output, [lambda x, w, b: x[0] * w[0] + x[1] * w[1] + x[2] * w[2] + b], "1 or 0"),
    (check_perceptron_update, [lambda x, label, w, b, lr: (w, b)], "must move"),
    (check_perceptron_update, [lambda x, label, w, b, lr: update(x, 1 - label, w, b, lr)], ""),
    (check_perceptron_update,
     [lambda x, label, w, b, lr: ([w[i] - lr * (label - output(x, w, b)) * x[i] for i in range(3)],
                                  b - lr * (label - output(x, w, b)))], "wrong way"),
    (check_sigmoid, [lambda z: 1 / (1 + math.exp(-z)), sigmoid_slope], "np.exp"),
    (check_sigmoid, [sigmoid, sigmoid], "0.5 × (1 − 0.5)"),
    (check_descent, [lambda slope, w, lr, steps: descend(lambda v: -slope(v), w, lr, steps)], "uphill"),
    (check_descent, [lambda slope, w, lr, steps: w], "did not move"),
    (check_descent, [lambda slope, w, lr, steps: descend(slope, w, lr, steps + 1)], "exactly"),
    (check_chain_rule, [lambda w, b, X, y: tuple(g * 2 for g in gradients(w, b, X, y))], "twice"),
    (check_chain_rule, [lambda w, b, X, y: tuple(g * len(X) for g in gradients(w, b, X, y))], "average"),
    (check_flatten, [lambda images: images.reshape(len(images), 784)], "divide by 255"),
    (check_flatten, [lambda images: images.reshape(len(images), 784).T / 255], "one row per image"),
    (check_flatten, [lambda images: images.transpose(0, 2, 1).reshape(len(images), 784) / 255], "rows end to end"),
    (check_mean_images, [lambda X, y: mean_images(X, y) / 255], "0 to 255"),
    (check_mean_images, [lambda X, y: X.mean(axis=0)], "ten"),
    (check_nearest_mean, [lambda images, means: np.array([((means - i) ** 2).sum(axis=(1, 2)).argmax()
                                                          for i in images])], "farthest"),
    (check_matmul, [lambda A, B: (A @ B).T], "on its side"),
    (check_matmul, [lambda A, B: np.zeros((A.shape[0], B.shape[1]))], "still 0"),
    (check_softmax, [lambda Z: np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)], "largest score"),
    (check_softmax, [lambda Z: np.exp(Z - Z.max()) / np.exp(Z - Z.max()).sum(axis=0, keepdims=True)], "column"),
    (check_softmax, [lambda Z: np.exp(Z - Z.max()) / np.exp(Z - Z.max()).sum()], "all your numbers"),
    (check_cross_entropy, [lambda P, y: -np.log(P[np.arange(len(y)), y]).sum()], "mean"),
    (check_cross_entropy, [lambda P, y: np.log(P[np.arange(len(y)), y]).mean()], "sign"),
    (check_cross_entropy, [lambda P, y: -np.log(P).mean()], "right"),
    (check_layer_gradient, [lambda X, P, y: tuple(g * len(y) for g in layer_gradient(X, P, y))], "times too large"),
    (check_training_loop, [lambda W, b, X, y, lr, epochs, batch_size, seed: (W, b)], "did not change"),
    (check_training_loop, [lambda W, b, X, y, lr, epochs, batch_size, seed: train(W, b, X, y, -lr, epochs,
                                                                                 batch_size, seed)], "uphill"),
    (check_training_loop, [lambda W, b, X, y, lr, epochs, batch_size, seed: train(W, b, X, y, lr, 1, len(X))],
     "your W"),
    (check_relu, [relu, relu], "relu itself"),
    (check_relu, [lambda Z: max(Z, 0), relu_slope], "np.maximum"),
    (check_two_layer_forward, [lambda X, W1, b1, W2, b2: softmax((X @ W1 + b1) @ W2 + b2)], "ReLU"),
    (check_two_layer_forward, [lambda X, W1, b1, W2, b2: relu(X @ W1 + b1) @ W2 + b2], "softmax"),
    (check_layer_backward, [lambda A, W, dZ: (dZ.T @ A, dZ.sum(axis=0), dZ @ W.T)], "on its side"),
    (check_layer_backward, [lambda A, W, dZ: (A.T @ dZ, dZ.sum(axis=0), dZ @ W[:, :1].T * 0 if False else dZ)],
     "dA_prev"),
    (check_parameter_count, [lambda sizes: [a * b for a, b in zip(sizes, sizes[1:])]], "bias"),
    (check_adam_step, [lambda p, g, m, v, t, lr: adam_step(p, g, m, v, 1, lr) if t > 1 else
                       adam_step(p, g, m, v, t, lr)[:1] + adam_step(p, g, m, v, t, lr)[1:]], ""),
    (check_adam_step, [lambda p, g, m, v, t, lr: (p - lr * (0.9 * m + 0.1 * g) /
                                                  (np.sqrt(0.999 * v + 0.001 * g ** 2) + 1e-8),
                                                  0.9 * m + 0.1 * g, 0.999 * v + 0.001 * g ** 2)], "bias correction"),
    (check_confusion_matrix, [lambda t, p: confusion(p, t)], "turned around"),
    (check_crop, [lambda ink: crop(ink)[:-1, :-1]], "before"),
    (check_centre_of_mass, [lambda image: centre(image)[::-1]], "(col, row)"),
    (check_not_sure, [lambda P, t: np.where(P.max(axis=1) > t, P.argmax(axis=1), -1)], ">="),
    (check_not_sure, [lambda P, t: P.argmax(axis=1)], "−1"),
    (check_stroke_width, [lambda area, length: area / length], "round ends"),
    (check_mix, [lambda X_own, y_own, X_base, y_base, w: (np.concatenate([X_own, X_base]),
                                                          np.concatenate([y_own, y_base]))], "make up"),
    (check_mix, [lambda X_own, y_own, X_base, y_base, w: (mix(X_own, y_own, X_base, y_base, w)[0],
                                                          mix(X_own, y_own, X_base, y_base, w)[1][::-1])], "labels"),
    (check_mix, [lambda X_own, y_own, X_base, y_base, w: (mix(X_own, y_own, X_base, y_base, w)[0][len(X_own):],
                                                          mix(X_own, y_own, X_base, y_base, w)[1][len(X_own):])],
     ""),
    (check_accuracy_by, [lambda right, groups: {g: right[groups == g].sum() for g in set(groups.tolist())}],
     "how many were right"),
    (check_accuracy_by, [lambda right, groups: [right.mean()]], "dict"),
]


@pytest.mark.parametrize("check, answers, hint", MISTAKES, ids=[f"{c.__name__}-{i}" for i, (c, _, _) in enumerate(MISTAKES)])
def test_a_typical_mistake_is_caught_with_its_hint(check, answers, hint):
    verdict = check.grade(*answers)
    assert not verdict.passed
    assert hint in verdict.message, verdict.message


# ---- the references the checks compare with, against independent computations ------------------------


def test_the_layer_gradient_reference_matches_nudging_the_weights():
    rng = np.random.default_rng(0)
    X, y, W, b = rng.random((5, 3)), rng.integers(0, 4, 5), rng.normal(size=(3, 4)), rng.normal(size=4)

    def loss(theta):
        return cross_entropy(softmax(X @ theta[:12].reshape(3, 4) + theta[12:]), y)

    dW, db = layer_gradient(X, softmax(X @ W + b), y)
    nudged = numerical_gradient(loss, np.concatenate([W.ravel(), b]), eps=1e-6)
    assert np.allclose(np.concatenate([dW.ravel(), db]), nudged, atol=1e-7)
    assert check_layer_gradient.grade(layer_gradient).passed


def test_the_backward_reference_matches_nudging_a_layer():
    rng = np.random.default_rng(1)
    A, W, b, G = rng.random((4, 3)), rng.normal(size=(3, 2)), rng.normal(size=2), rng.normal(size=(4, 2))

    def loss(theta):  # L = Σ G ⊙ Z with Z = A @ W + b, so that dL/dZ = G
        A_, W_, b_ = theta[:12].reshape(4, 3), theta[12:18].reshape(3, 2), theta[18:]
        return float((G * (A_ @ W_ + b_)).sum())

    nudged = numerical_gradient(loss, np.concatenate([A.ravel(), W.ravel(), b]), eps=1e-6)
    dW, db, dA = backward(A, W, G)
    assert np.allclose(np.concatenate([dA.ravel(), dW.ravel(), db]), nudged, atol=1e-6)


def test_the_chain_rule_reference_matches_nudging_the_neuron():
    from digitlab.lessons.sigmoid_neuron import SigmoidNeuron

    rng = np.random.default_rng(2)
    X, y, w, b = rng.choice([-1.0, 1.0], (6, 3)), rng.integers(0, 2, 6), rng.normal(size=3), 0.3
    nudged = numerical_gradient(lambda t: SigmoidNeuron(t[:3], t[3]).loss(X, y), np.append(w, b))
    assert np.allclose(np.append(*gradients(w, b, X, y)), nudged, atol=1e-7)


def test_the_adam_reference_matches_the_formula_worked_by_hand():
    from digitlab.optim import Adam

    adam = Adam(np.array([1.0, -2.0]), lr=0.1)
    adam.step(np.array([0.5, -4.0]))  # first step: m̂ = g, v̂ = g², so each weight moves by lr·sign(g)
    assert np.allclose(adam.params, [0.9, -1.9], atol=1e-6)
    assert check_adam_step.grade(adam_step).passed


def test_the_confusion_reference_counts_by_hand():
    assert confusion([1, 1, 2], [1, 2, 2])[1].tolist()[:3] == [0, 1, 1]
    assert check_confusion_matrix.grade(confusion).passed


def test_the_stroke_width_formula_solves_area_equals_w_length_plus_w_squared():
    area, length = np.array([50.0, 120.0]), np.array([20.0, 7.0])
    w = width(area, length)
    assert np.allclose(w * length + w ** 2, area)
