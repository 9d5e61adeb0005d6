"""The default model shipped with DigitLab, and the one seeded recipe that makes it.

What this is for: ``load_pretrained()`` gives every notebook a trained 784-128-64-10 network at
once, so that drawing a digit works before anyone has trained anything. ``train_default_model``
is the recipe that produced ``data/models/default.npz``; run it again with

    python -m digitlab train --out data/models/default.npz

and you get the same network (same seed, same data, same steps; tiny differences can come from
the CPU's arithmetic). What it is not: the best possible MNIST model; it is the best we could
make with a plain MLP in a few minutes on a laptop.
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

RECIPE = dict(epochs=30, batch_size=128, optimizer="adam", lr=3e-3, schedule="cosine", max_shift=2, seed=0)


def load_pretrained(path=None) -> MLP:
    """The shipped default model (``data/models/default.npz``), or the model at ``path``."""
    path = Path(path) if path is not None else DEFAULT_MODEL
    if not path.exists():
        raise FileNotFoundError(f"No model file at {path}. The default model ships with DigitLab in "
                                f"data/models/; to make it again run: python -m digitlab train --out {path}")
    return MLP.load(path, sizes=DEFAULT_SIZES)


def train_default_model(epochs=RECIPE["epochs"], lr=RECIPE["lr"], seed=RECIPE["seed"],
                        max_shift=RECIPE["max_shift"], batch_size=RECIPE["batch_size"],
                        progress=True, callbacks=()) -> MLP:
    """Train a 784-128-64-10 network on the 60,000 MNIST training digits with the default recipe.

    Adam with a cosine learning-rate schedule, and every batch moved by up to ``max_shift``
    pixels at random (augmentation). Returns the model with its recipe and scores in metadata.
    """
    X, y = load_mnist("train")
    X_test, y_test = load_mnist("test")
    model = MLP(DEFAULT_SIZES, seed=seed)
    augment = (lambda batch, rng: random_shift(batch, rng, max_shift)) if max_shift else None
    started = time.perf_counter()
    history = fit(model, X, y, epochs=epochs, batch_size=batch_size, optimizer="adam", lr=lr,
                  schedule="cosine", augment=augment, seed=seed, progress=progress, callbacks=callbacks)
    seconds = time.perf_counter() - started
    test_loss, test_accuracy = evaluate(model, X_test, y_test)
    model.metadata = {
        "recipe": dict(RECIPE, epochs=epochs, lr=lr, seed=seed, max_shift=max_shift, batch_size=batch_size),
        "trained_on": "MNIST training set (60,000 images)",
        "train_seconds": round(seconds, 1),
        "machine": f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
                   f"numpy {np.__version__}",
        "history": history.as_dict(),
        "test_loss": test_loss,
        "test_accuracy": test_accuracy,
    }
    return model
