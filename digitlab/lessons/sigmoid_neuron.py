"""The beach perceptron with a smooth output: the sigmoid, its slope, and one neuron trained by gradient descent.

For notebook 02: why a smooth output makes learning possible. The step output of notebook 01
makes the number of mistakes flat almost everywhere (no slope to follow); the sigmoid gives a
loss with a slope everywhere, which the chain rule turns into a gradient for each weight.
What it is not: the MLP, which uses ReLU and softmax (digitlab.network).
"""

import numpy as np

from .perceptron import Perceptron


def sigmoid(z):
    """The smooth step: 1 / (1 + e^(-z)), between 0 and 1, with sigmoid(0) = 0.5."""
    z = np.asarray(z, dtype=float)
    return np.exp(-np.logaddexp(0.0, -z))   # same value, no overflow for large |z|


def sigmoid_slope(z):
    """Derivative of the sigmoid: sigmoid(z) * (1 - sigmoid(z))."""
    s = sigmoid(z)
    return s * (1.0 - s)


class SigmoidNeuron:
    """The beach perceptron with a smooth output: p = sigmoid(x·w + b), read as 'how sure it is'."""

    def __init__(self, w=(0.0, 0.0, 0.0), b=0.0):
        self.w = np.array(w, dtype=float)
        self.b = float(b)

    @property
    def params(self):
        """All parameters in one vector: (w1, ..., wn, b)."""
        return np.append(self.w, self.b)

    @params.setter
    def params(self, theta):
        theta = np.asarray(theta, dtype=float)
        self.w, self.b = theta[:-1].copy(), float(theta[-1])

    def check(self, X, y=None):
        """Return X (N, n) and y (N,) as float arrays, or raise ValueError."""
        X = np.atleast_2d(np.asarray(X, dtype=float))
        if X.shape[1] != len(self.w):
            raise ValueError(f"Each row needs {len(self.w)} inputs; got {X.shape[1]}.")
        if y is None:
            return X, None
        y = np.asarray(y, dtype=float)
        if y.shape != (len(X),):
            raise ValueError(f"Need one label per row: {len(X)} rows but labels of shape {y.shape}.")
        return X, y

    def predict_proba(self, X):
        """How sure the neuron is that each day is a beach day: X (N, n) -> (N,) in (0, 1)."""
        X, _ = self.check(X)
        return sigmoid(X @ self.w + self.b)

    def predict(self, X):
        """0/1 decisions: 1 where predict_proba >= 0.5."""
        return (self.predict_proba(X) >= 0.5).astype(int)

    def loss(self, X, y):
        """Mean squared error: the average of (p - y)^2 over the rows."""
        X, y = self.check(X, y)
        return float(np.mean((self.predict_proba(X) - y) ** 2))

    def gradients(self, X, y):
        """Slopes of the loss by the chain rule: dL/dw (n,) and dL/db."""
        X, y = self.check(X, y)
        z = X @ self.w + self.b                       # (N,)
        p = sigmoid(z)                                # (N,)
        dz = 2 * (p - y) * sigmoid_slope(z) / len(X)  # dL/dz for each row, (N,)
        return X.T @ dz, float(np.sum(dz))

    def train(self, X, y, lr=2.0, epochs=300):
        """Full-batch gradient descent; returns the loss before each epoch and after the last, (epochs+1,)."""
        if not (np.isfinite(lr) and lr > 0):
            raise ValueError(f"The learning rate must be a positive number; got {lr}.")
        history = [self.loss(X, y)]
        for _ in range(int(epochs)):
            dw, db = self.gradients(X, y)
            self.w -= lr * dw
            self.b -= lr * db
            history.append(self.loss(X, y))
        return np.array(history)


def _sweep(score, w, which, values):
    """score(weights) as weight number ``which`` takes each of ``values``, the others fixed."""
    out = []
    for v in values:
        w_v = np.array(w, dtype=float)
        w_v[which] = v
        out.append(score(w_v))
    return np.array(out)


def mistakes_along(perceptron_w, b, X, y, which, values):
    """Mistakes of the step perceptron as one weight sweeps over values (others fixed): (len(values),)."""
    return _sweep(lambda w: Perceptron(w, b).mistakes(X, y), perceptron_w, which, values)


def loss_along(neuron_w, b, X, y, which, values):
    """Sigmoid neuron loss as one weight sweeps over values (others fixed): (len(values),)."""
    return _sweep(lambda w: SigmoidNeuron(w, b).loss(X, y), neuron_w, which, values)
