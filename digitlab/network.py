"""A multilayer perceptron for MNIST, written out in numpy: forward pass, backpropagation, save/load.

What this is for: a network a learner can read line by line. The default 784-128-64-10 network
takes a 28×28 image flattened into 784 numbers, passes it through two hidden layers of ReLU
units (128, then 64) and ends in 10 softmax outputs, one probability per digit. It learns by
backpropagation of the cross-entropy loss; ``digitlab.optim`` and ``digitlab.training`` turn
the gradients computed here into weight changes. What it is not: a deep-learning framework, or
optimised. There is no autograd; every derivative is written by hand below, next to the
function it is the derivative of.

Data formats: X holds images as rows, float in [0, 1] (0 = background, 1 = ink), shaped
(N, 784) or (N, 28, 28); uint8 images (0..255, as MNIST stores them) are scaled by 1/255.
y holds labels, whole numbers 0..9, shaped (N,).

Layer l computes  Z = A @ W + b  and then  A_next = relu(Z)  (softmax(Z) for the last layer),
with W shaped (inputs, outputs) and b shaped (outputs,): one row of A per image.
All weights and biases live in one float32 vector, ``params`` (109,386 numbers for the default
sizes): ``weights[l]`` and ``biases[l]`` are windows onto it, and ``grads`` mirrors it. That lets
an optimiser treat the whole model as one vector of numbers to move downhill.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .plumbing.checks import as_batch, as_labels, unit_range
from .plumbing.files import write_atomically
from .plumbing.model_file import read_model_file

DEFAULT_SIZES = (784, 128, 64, 10)


# ---- the pieces, each with its derivative ---------------------------------------------------

def relu(Z):
    """max(0, z), elementwise: a unit passes its sum on if positive, else outputs 0."""
    return np.maximum(Z, 0)


def relu_slope(Z):
    """The derivative of relu: 1 where z > 0, else 0 (relu(z) > 0 exactly where z > 0)."""
    return (Z > 0).astype(Z.dtype)


def softmax(Z):
    """Turn each row of scores into probabilities that sum to 1 (stable for large scores)."""
    with np.errstate(over="ignore"):  # a score far below the max may overflow to -inf: exp gives 0, as it should
        E = np.exp(Z - Z.max(axis=1, keepdims=True))  # subtracting the row max changes nothing but avoids overflow
    return E / E.sum(axis=1, keepdims=True)


def cross_entropy(P, y):
    """Mean of -log(probability given to the right digit); P (N, 10), y (N,)."""
    p_right = P[np.arange(len(y)), y]
    return float(-np.log(np.maximum(p_right, np.finfo(P.dtype).tiny)).mean())


def one_hot(y, classes):
    """Y (N, classes): row i is all zeros but a 1 in column y[i]."""
    Y = np.zeros((len(y), classes), np.float32)
    Y[np.arange(len(y)), y] = 1
    return Y


def softmax_cross_entropy_slope(P, y):
    """The derivative of the mean cross-entropy with respect to the last layer's Z: (P - Y) / N."""
    return (P - one_hot(y, P.shape[1])) / len(y)


# ---- the network -------------------------------------------------------------------------------

class MLP:
    """A fully connected network built from a list of layer sizes, e.g. (784, 128, 64, 10)."""

    def __init__(self, sizes=DEFAULT_SIZES, seed=0):
        sizes = tuple(int(s) for s in sizes)
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError(f"sizes must list at least an input and an output size, all ≥ 1; got {sizes}")
        self.sizes = sizes
        self.metadata: dict = {}
        shapes = list(zip(sizes[:-1], sizes[1:]))                 # (inputs, outputs) of each layer
        self.params = np.zeros(sum(n_in * n_out + n_out for n_in, n_out in shapes), np.float32)
        self.grads = np.zeros_like(self.params)
        self.weights, self.biases = windows(self.params, shapes)
        self.grad_weights, self.grad_biases = windows(self.grads, shapes)
        rng = np.random.default_rng(seed)
        for W in self.weights:  # He initialisation: keeps the spread of ReLU activations steady layer to layer
            W[...] = rng.standard_normal(W.shape) * np.sqrt(2.0 / W.shape[0])

    @property
    def num_parameters(self) -> int:
        """How many numbers the network learns (109,386 for 784-128-64-10)."""
        return self.params.size

    def __repr__(self):
        return f"MLP(sizes={self.sizes}, num_parameters={self.num_parameters:,})"

    # ---- forward pass -----------------------------------------------------------------------

    def forward(self, X):
        """Run the network on a batch X (N, 784) in [0, 1]; return every layer's output A, input first."""
        A = X
        activations = [A]
        last = len(self.weights) - 1
        for l, (W, b) in enumerate(zip(self.weights, self.biases)):
            Z = A @ W + b                                       # (N, outputs): weighted sums plus bias
            A = softmax(Z) if l == last else relu(Z)
            activations.append(A)
        return activations

    def predict_proba(self, X, batch_size=2000) -> np.ndarray:
        """Probability of each digit for each image: (N, 10), rows sum to 1.

        Computed batch_size images at a time; uint8 images are scaled to [0, 1] one batch at a
        time, so 10,000 MNIST digits never become a 31 MB float copy.
        """
        X = as_batch(X, self.sizes[0], keep_uint8=True)
        P = np.empty((len(X), self.sizes[-1]), np.float32)
        for i in range(0, len(X), batch_size):
            P[i:i + batch_size] = self.forward(unit_range(X[i:i + batch_size]))[-1]
        return P

    def predict(self, X) -> np.ndarray:
        """The most probable digit for each image: (N,) integers."""
        return self.predict_proba(X).argmax(axis=1)

    def hidden_activations(self, X) -> list:
        """The ReLU outputs of each hidden layer: [(N, 128), (N, 64)] for the default sizes."""
        return self.forward(as_batch(X, self.sizes[0]))[1:-1]

    def loss(self, X, y) -> float:
        """Mean cross-entropy of the predictions against labels y."""
        P = self.predict_proba(X)
        return cross_entropy(P, as_labels(y, len(P), classes=self.sizes[-1]))

    def score(self, X, y) -> float:
        """Accuracy: the fraction of images whose predicted digit is the label."""
        guesses = self.predict(X)
        return float((guesses == as_labels(y, len(guesses), classes=self.sizes[-1])).mean())

    # ---- backward pass ----------------------------------------------------------------------

    def backward(self, activations, y) -> None:
        """Fill ``grads`` with the slope of the mean cross-entropy for every parameter: backpropagation.

        ``activations`` is what ``forward`` returned for a batch; y holds its labels (N,).
        Step 1. At the output, softmax and cross-entropy together have the slope dZ = (P - Y) / N.
        Step 2. For each layer, from the last to the first:
           2a. the slopes of its weights and biases: dW = A_prevᵀ @ dZ, db = dZ summed over the batch;
           2b. the slope sent back to the layer before: dA_prev = dZ @ Wᵀ;
           2c. through that layer's ReLU: dZ_prev = dA_prev * relu_slope(Z_prev).
        """
        dZ = softmax_cross_entropy_slope(activations[-1], y)                  # step 1
        for l in reversed(range(len(self.weights))):
            A_prev = activations[l]                                           # (N, inputs)
            self.grad_weights[l][...] = A_prev.T @ dZ                         # 2a. (written into grads)
            self.grad_biases[l][...] = dZ.sum(axis=0)
            if l > 0:
                dA_prev = dZ @ self.weights[l].T                              # 2b.
                dZ = dA_prev * relu_slope(A_prev)                             # 2c. (A_prev > 0 where Z_prev > 0)

    def loss_and_gradient(self, X, y) -> float:
        """Forward and backward on one batch: fills ``grads``, returns the loss."""
        activations = self.forward(X)
        self.backward(activations, y)
        return cross_entropy(activations[-1], y)

    # ---- saving and loading -----------------------------------------------------------------

    def save(self, path) -> Path:
        """Write sizes, weights, biases and ``metadata`` to an .npz file, atomically."""
        path = Path(path)
        arrays = {"sizes": np.array(self.sizes, dtype=np.int64),
                  "metadata": np.array(json.dumps(self.metadata))}
        for l, (W, b) in enumerate(zip(self.weights, self.biases)):
            arrays[f"W{l}"], arrays[f"b{l}"] = W, b
        path.parent.mkdir(parents=True, exist_ok=True)
        return write_atomically(path, lambda f: np.savez_compressed(f, **arrays))

    @classmethod
    def load(cls, path, sizes=None) -> "MLP":
        """Read a model written by ``save``; with ``sizes``, refuse any other architecture.

        Every entry of the file is checked (its size, type and values) before it is read, and
        nothing is ever unpickled (see ``plumbing.model_file``); a malformed file raises ValueError.
        """
        file_sizes, arrays, metadata = read_model_file(path, sizes)
        model = cls(file_sizes)
        for l, (W, b) in enumerate(zip(model.weights, model.biases)):
            W[...], b[...] = arrays[f"W{l}"], arrays[f"b{l}"]
        model.metadata = metadata
        return model


def windows(flat, shapes):
    """Cut a flat vector into per-layer (weights, biases) windows onto it; no copies."""
    weights, biases, i = [], [], 0
    for n_in, n_out in shapes:
        weights.append(flat[i:i + n_in * n_out].reshape(n_in, n_out))
        i += n_in * n_out
        biases.append(flat[i:i + n_out])
        i += n_out
    return weights, biases
