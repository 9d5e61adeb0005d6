"""The default model shipped with DigitLab, and the one seeded recipe that makes it.

What this is for: ``load_pretrained()`` gives every notebook a trained 784-128-64-10 network at
once, so that drawing a digit works before anyone has trained anything. ``train_default_model``
is the recipe that produced ``data/models/default.npz``; run it again with

    python -m digitlab train --out data/models/default.npz

and you get the same network (same seed, same data, same steps; tiny differences can come from
the CPU's arithmetic). What it is not: the best possible MNIST model; it is what a plain MLP learns
in a few minutes on a laptop, trained to read digits drawn on the pad as well as MNIST's.
"""

from __future__ import annotations

import platform
import time
from pathlib import Path

import numpy as np

from .augment import random_shift
from .data import REPO_ROOT, load_mnist
from .network import DEFAULT_SIZES, MLP
from .training import evaluate, fit

DEFAULT_MODEL = REPO_ROOT / "data" / "models" / "default.npz"

RECIPE = dict(epochs=30, batch_size=128, optimizer="adam", lr=3e-3, schedule="cosine", max_shift=2,
              canvas_copies=2, seed=0)


def load_pretrained(path=None) -> MLP:
    """The shipped default model (``data/models/default.npz``), or the model at ``path``."""
    path = Path(path) if path is not None else DEFAULT_MODEL
    if not path.exists():
        raise FileNotFoundError(f"No model file at {path}. The default model ships with DigitLab in "
                                f"data/models/; to make it again run: python -m digitlab train --out {path}")
    return MLP.load(path, sizes=DEFAULT_SIZES)


def train_default_model(epochs=RECIPE["epochs"], lr=RECIPE["lr"], seed=RECIPE["seed"],
                        max_shift=RECIPE["max_shift"], canvas_copies=RECIPE["canvas_copies"],
                        batch_size=RECIPE["batch_size"], progress=True, callbacks=()) -> MLP:
    """Train a 784-128-64-10 network with the default recipe; scores and recipe go in its metadata.

    The data: the 60,000 MNIST training digits, plus ``canvas_copies`` copies of them redrawn
    as a mouse draws on the pad (uniform round strokes, any size and place; see
    ``digitlab.drawing.canvas_style``), so that the network reads drawings as well as handwriting.
    The training: Adam with a cosine learning-rate schedule, every batch moved by up to
    ``max_shift`` pixels at random. Nothing from the test set is used for training.
    """
    from .drawing.canvas_style import canvas_style_batch

    X_mnist, y_mnist = load_mnist("train")
    X_test, y_test = load_mnist("test")
    n = len(y_mnist)
    X = np.empty(((1 + canvas_copies) * n, 28, 28), np.float32)  # filled part by part: no second copy
    np.divide(X_mnist, np.float32(255), out=X[:n])
    y = np.tile(y_mnist, 1 + canvas_copies)
    rng = np.random.default_rng(seed + 1)
    for copy in range(1, canvas_copies + 1):
        if progress:
            print(f"Redrawing the training digits canvas-style ({copy} of {canvas_copies})…", flush=True)
        X[copy * n:(copy + 1) * n] = canvas_style_batch(X_mnist, rng, progress=progress)
    model = MLP(DEFAULT_SIZES, seed=seed)
    augment = (lambda batch, rng: random_shift(batch, rng, max_shift)) if max_shift else None
    started = time.perf_counter()
    history = fit(model, X, y, epochs=epochs, batch_size=batch_size, optimizer="adam", lr=lr,
                  schedule="cosine", augment=augment, seed=seed, progress=progress, callbacks=callbacks)
    seconds = time.perf_counter() - started
    test_loss, test_accuracy = evaluate(model, X_test, y_test)
    model.metadata = {
        "recipe": dict(RECIPE, epochs=epochs, lr=lr, seed=seed, max_shift=max_shift,
                       canvas_copies=canvas_copies, batch_size=batch_size),
        "trained_on": f"the {len(y_mnist):,} MNIST training digits plus {canvas_copies} canvas-style "
                      f"redrawing{'s' if canvas_copies != 1 else ''} of each: {len(X):,} images",
        "train_seconds": round(seconds, 1),
        "machine": f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
                   f"numpy {np.__version__}",
        "history": history.as_dict(),
        "test_loss": test_loss,
        "test_accuracy": test_accuracy,
    }
    return model


def canvas_style_test_set(seed=0, progress=True):
    """The 10,000 MNIST test digits redrawn as canvas drawings: (X (N, 28, 28) float32, y)."""
    from .drawing.canvas_style import make_canvas_style_set

    return make_canvas_style_set(*load_mnist("test"), seed=seed, progress=progress)
