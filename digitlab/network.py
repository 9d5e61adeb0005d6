"""A multilayer perceptron for MNIST, written out in numpy: forward pass, backpropagation, save/load.

What this is for: a network a learner can read line by line. The default 784-128-64-10 network
takes a 28×28 image flattened into 784 numbers, passes it through two hidden layers of ReLU
units (128, then 64) and ends in 10 softmax outputs, one probability per digit. It learns by
backpropagation of the cross-entropy loss; ``digitlab.optim`` and ``digitlab.training`` turn
the gradients computed here into weight changes. What it is not: a deep-learning framework.
There is no autograd; every derivative is written by hand below.

Data formats: images are float arrays in [0, 1] (0 = background, 1 = ink), shaped (N, 784)
or (N, 28, 28); a single image (784,) or (28, 28) counts as N = 1; uint8 images (0..255, as
MNIST stores them) are scaled by 1/255. Labels are integers 0..9, shaped (N,).

All weights and biases live in one flat float32 vector, ``params``; ``weights[l]`` (in, out)
and ``biases[l]`` (out,) are views into it, and ``grads`` mirrors it. The optimisers update
the flat vector in one go, which is both simpler and faster than one update per array.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np

from .files import write_atomically

DEFAULT_SIZES = (784, 128, 64, 10)


def relu(Z):
    """max(0, z), elementwise."""
    return np.maximum(Z, 0)


def softmax(Z):
    """Turn each row of scores into probabilities that sum to 1 (stable for large scores)."""
    with np.errstate(over="ignore"):  # a score far below the max may overflow to -inf: exp gives 0, as it should
        E = np.exp(Z - Z.max(axis=1, keepdims=True))  # subtracting the row max changes nothing but avoids overflow
    return E / E.sum(axis=1, keepdims=True)


def cross_entropy(P, y):
    """Mean of -log(probability given to the right digit); P (N, 10), y (N,)."""
    p_right = P[np.arange(len(y)), y]
    return float(-np.log(np.maximum(p_right, np.finfo(P.dtype).tiny)).mean())


class MLP:
    """A fully connected network built from a list of layer sizes, e.g. (784, 128, 64, 10)."""

    def __init__(self, sizes=DEFAULT_SIZES, seed=0):
        sizes = tuple(int(s) for s in sizes)
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError(f"sizes must list at least an input and an output size, all ≥ 1; got {sizes}")
        self.sizes = sizes
        self.metadata: dict = {}
        self.params = np.zeros(sum(n_in * n_out + n_out for n_in, n_out in self._layer_shapes()), np.float32)
        self.grads = np.zeros_like(self.params)
        self.weights, self.biases = self._views(self.params)
        self.grad_weights, self.grad_biases = self._views(self.grads)
        rng = np.random.default_rng(seed)
        for W in self.weights:  # He initialisation: keeps the spread of ReLU activations steady layer to layer
            W[...] = rng.standard_normal(W.shape) * np.sqrt(2.0 / W.shape[0])

    def _layer_shapes(self):
        return list(zip(self.sizes[:-1], self.sizes[1:]))

    def _views(self, flat):
        """Cut a flat vector into per-layer (weights, biases) views; no copies."""
        weights, biases, i = [], [], 0
        for n_in, n_out in self._layer_shapes():
            weights.append(flat[i:i + n_in * n_out].reshape(n_in, n_out)); i += n_in * n_out
            biases.append(flat[i:i + n_out]); i += n_out
        return weights, biases

    @property
    def num_parameters(self) -> int:
        """How many numbers the network learns (109,386 for 784-128-64-10)."""
        return self.params.size

    def __repr__(self):
        return f"MLP(sizes={self.sizes}, num_parameters={self.num_parameters:,})"

    # ---- input checking -------------------------------------------------------------------

    def as_batch(self, X) -> np.ndarray:
        """Check and convert images to a float32 (N, inputs) batch; raise ValueError otherwise."""
        n_in = self.sizes[0]
        side = int(round(np.sqrt(n_in)))
        expected = f"(N, {n_in})" + (f" or (N, {side}, {side})" if side * side == n_in else "")
        X = np.asarray(X)
        if X.dtype == np.uint8:
            X = X.astype(np.float32) / 255
        elif not np.issubdtype(X.dtype, np.floating):
            hint = " (for 0..255 pixel values use X.astype(np.uint8), or divide by 255)" \
                if np.issubdtype(X.dtype, np.integer) else ""
            raise ValueError(f"images must be floats in [0, 1] or uint8 0..255, not {X.dtype}{hint}")
        if X.shape in ((n_in,), (side, side)):
            X = X.reshape(1, n_in)
        elif X.ndim == 3 and X.shape[1:] == (side, side):
            X = X.reshape(len(X), n_in)
        elif not (X.ndim == 2 and X.shape[1] == n_in):
            raise ValueError(f"expected images shaped {expected}, got shape {X.shape}")
        X = np.ascontiguousarray(X, dtype=np.float32)
        if not np.isfinite(X).all():
            raise ValueError("images contain NaN or infinite values; expected pixel values in [0, 1]")
        return X

    # ---- forward pass -----------------------------------------------------------------------

    def forward(self, X):
        """Run the network on a checked batch X (N, 784); return every layer's output, input first."""
        A = X
        activations = [A]
        last = len(self.weights) - 1
        for l, (W, b) in enumerate(zip(self.weights, self.biases)):
            Z = A @ W                                          # (N, out): weighted sums...
            Z += b                                             # ...plus bias
            A = softmax(Z) if l == last else np.maximum(Z, 0, out=Z)  # ReLU, in place
            activations.append(A)
        return activations

    def predict_proba(self, X) -> np.ndarray:
        """Probability of each digit for each image: (N, 10), rows sum to 1."""
        return self.forward(self.as_batch(X))[-1]

    def predict(self, X) -> np.ndarray:
        """The most probable digit for each image: (N,) integers."""
        return self.predict_proba(X).argmax(axis=1)

    def hidden_activations(self, X) -> list:
        """The ReLU outputs of each hidden layer: [(N, 128), (N, 64)] for the default sizes."""
        return self.forward(self.as_batch(X))[1:-1]

    def loss(self, X, y) -> float:
        """Mean cross-entropy of the predictions against labels y."""
        return cross_entropy(self.predict_proba(X), np.asarray(y))

    def score(self, X, y) -> float:
        """Accuracy: the fraction of images whose predicted digit is the label."""
        return float((self.predict(X) == np.asarray(y)).mean())

    # ---- backward pass ----------------------------------------------------------------------

    def backward(self, activations, y) -> None:
        """Fill ``grads`` with d(mean cross-entropy)/d(every parameter), by backpropagation.

        ``activations`` is what ``forward`` returned for a batch; y holds its labels (N,).
        """
        N = len(y)
        dZ = activations[-1].copy()                  # softmax followed by cross-entropy has the
        dZ[np.arange(N), y] -= 1                     # simple gradient P - Y (Y one-hot) ...
        dZ /= N                                      # ... averaged over the batch
        for l in reversed(range(len(self.weights))):
            A_prev = activations[l]                                # (N, in)
            np.matmul(A_prev.T, dZ, out=self.grad_weights[l])      # dW = A_prevᵀ · dZ   (in, out)
            dZ.sum(axis=0, out=self.grad_biases[l])                # db = Σ over the batch (out,)
            if l > 0:
                dA = dZ @ self.weights[l].T                        # gradient flowing back (N, in)
                dZ = np.multiply(dA, A_prev > 0, out=dA)           # ReLU lets it through only where active

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

        Never unpickles anything (``allow_pickle=False``); a malformed file raises ValueError.
        """
        path = Path(path)
        try:
            f = np.load(path, allow_pickle=False)
            if not isinstance(f, np.lib.npyio.NpzFile):
                raise ValueError("it holds a single array, not a saved model")
            with f:
                arrays = {k: f[k] for k in f.files}
        except FileNotFoundError:
            raise
        except (ValueError, OSError, zipfile.BadZipFile, EOFError) as e:
            raise ValueError(f"{path} is not a DigitLab model file that can be read safely ({e}).") from None
        if "sizes" not in arrays:
            raise ValueError(f"{path} is not a DigitLab model file: it has no 'sizes' entry.")
        file_sizes = tuple(int(s) for s in np.asarray(arrays["sizes"]).ravel())
        if sizes is not None and file_sizes != tuple(sizes):
            raise ValueError(f"{path} holds a network of sizes {file_sizes}, expected {tuple(sizes)}.")
        model = cls(file_sizes)
        for l, (W, b) in enumerate(zip(model.weights, model.biases)):
            for name, target in ((f"W{l}", W), (f"b{l}", b)):
                got = arrays.get(name)
                if got is None or got.shape != target.shape:
                    raise ValueError(f"{path}: {name} has shape {None if got is None else got.shape}, "
                                     f"expected {target.shape} for sizes {file_sizes}; the file is malformed.")
                if not np.isfinite(got).all():
                    raise ValueError(f"{path}: {name} contains NaN or infinite values.")
                target[...] = got
        try:
            model.metadata = json.loads(str(arrays.get("metadata", "{}")))
        except json.JSONDecodeError:
            raise ValueError(f"{path}: its metadata is not valid JSON; the file is malformed.") from None
        return model
