"""The default model shipped with DigitLab, and the one seeded recipe that makes it.

What this is for: ``load_pretrained()`` gives every notebook a trained 784-128-64-10 network at
once, so that drawing a digit works before anyone has trained anything. ``train_default_model``
is the recipe that produced ``data/models/default.npz``; run it again with

    python -m digitlab train --out data/models/default.npz

and you get the same network (same seed, same data, same steps; tiny differences can come from
the CPU's arithmetic); ``make model`` does that and prints its scores. What it is not: the best
possible MNIST model; it is what a plain MLP learns in a few minutes on a laptop, trained to read
digits drawn on the pad, and handwriting styles MNIST holds few of, as well as MNIST's own.
"""

from __future__ import annotations

import os
import platform
import time
from pathlib import Path

import numpy as np

from .augment import random_shift, random_warp
from .data import REPO_ROOT, load_mnist
from .network import DEFAULT_SIZES, MLP
from .plumbing.checks import unit_range
from .plumbing.parallel import cores, map_chunks
from .plumbing.progress import progress_bar
from .training import evaluate, fit

DEFAULT_MODEL = REPO_ROOT / "data" / "models" / "default.npz"

CHUNK = 5_000  # digits drawn per task when the cores share the drawing of the training data

RECIPE = dict(epochs=30, batch_size=128, optimizer="adam", lr=3e-3, schedule="cosine", max_shift=2,
              warped_copies=2, canvas_copies=3, style_digits=60_000, seed=0)


def load_pretrained(path=None) -> MLP:
    """The shipped default model (``data/models/default.npz``), or the model at ``path``."""
    path = Path(path) if path is not None else DEFAULT_MODEL
    if not path.exists():
        raise FileNotFoundError(f"No model file at {path}. The default model ships with DigitLab in "
                                f"data/models/; to make it again run: python -m digitlab train --out {path}")
    return MLP.load(path, sizes=DEFAULT_SIZES)


def train_default_model(epochs=RECIPE["epochs"], lr=RECIPE["lr"], seed=RECIPE["seed"],
                        max_shift=RECIPE["max_shift"], warped_copies=RECIPE["warped_copies"],
                        canvas_copies=RECIPE["canvas_copies"], style_digits=RECIPE["style_digits"],
                        batch_size=RECIPE["batch_size"], progress=True, callbacks=()) -> MLP:
    """Train a 784-128-64-10 network with the default recipe; scores and recipe go in its metadata.

    The data: the 60,000 MNIST training digits, ``warped_copies`` copies of them gently moved,
    turned, resized and bent (``digitlab.augment.random_warp``), ``canvas_copies`` copies redrawn
    as a mouse draws on the pad (uniform round strokes, any size and place; see
    ``digitlab.drawing.canvas_style``), so that the network reads drawings as well as handwriting,
    plus ``style_digits`` digits drawn in handwriting styles MNIST lacks (``digitlab.drawing.styles``,
    from its training templates only), so that it reads more people's handwriting than MNIST's.
    The training: Adam with a cosine learning-rate schedule, every batch moved by up to
    ``max_shift`` pixels at random. Nothing from the test set is used for training.
    """
    # How busy the machine was: timings mean little without it. Windows has no load average: ().
    load = getattr(os, "getloadavg", lambda: ())()
    started = time.perf_counter()
    X, y = training_data(warped_copies, canvas_copies, style_digits, seed, progress)
    drawing_seconds = time.perf_counter() - started
    X_test, y_test = load_mnist("test")
    model = MLP(DEFAULT_SIZES, seed=seed)
    augment = (lambda batch, rng: random_shift(batch, rng, max_shift)) if max_shift else None
    started = time.perf_counter()
    history = fit(model, X, y, epochs=epochs, batch_size=batch_size, optimizer="adam", lr=lr,
                  schedule="cosine", augment=augment, seed=seed, progress=progress, callbacks=callbacks)
    seconds = time.perf_counter() - started
    test_loss, test_accuracy = evaluate(model, X_test, y_test)
    mnist = (len(X) - style_digits) // (1 + warped_copies + canvas_copies)  # MNIST, then its copies
    model.metadata = {
        "recipe": dict(RECIPE, epochs=epochs, lr=lr, seed=seed, max_shift=max_shift, warped_copies=warped_copies,
                       canvas_copies=canvas_copies, style_digits=style_digits, batch_size=batch_size),
        "trained_on": f"the {mnist:,} MNIST training digits, {warped_copies} warped and {canvas_copies} "
                      f"canvas-style cop{'y' if canvas_copies == 1 else 'ies'} of each and {style_digits:,} "
                      f"digits in other handwriting styles: {len(X):,} images",
        "drawing_seconds": round(drawing_seconds, 1),  # making the canvas-style and style digits
        "train_seconds": round(seconds, 1),  # fit alone
        "machine": f"{platform.machine()}, {cores()} cores, {platform.python_implementation()} "
                   f"{platform.python_version()}, numpy {np.__version__}",
        "load_average_at_start": [round(v, 2) for v in load],  # processes waiting for a core: 1, 5, 15 min
        "history": history.as_dict(),
        "test_loss": test_loss,
        "test_accuracy": test_accuracy,
    }
    return model


def training_data(warped_copies=RECIPE["warped_copies"], canvas_copies=RECIPE["canvas_copies"],
                  style_digits=RECIPE["style_digits"], seed=RECIPE["seed"], progress=True, workers=None):
    """The default model's training set: (X uint8 (N, 28, 28), y (N,)), the 60,000 MNIST digits first.

    Then ``warped_copies`` warped copies of them, ``canvas_copies`` canvas-style redrawings of
    them and ``style_digits`` digits in other handwriting styles, drawn CHUNK at a time on every
    core (digitlab.plumbing.parallel); each chunk has its own random generator, spawned from
    ``seed``, so the set does not depend on how many cores drew it. Stored as uint8 like MNIST:
    a quarter of the memory of floats.
    """
    X_mnist, y_mnist = load_mnist("train")
    n = len(y_mnist)
    tasks = [(kind, X_mnist[a:a + CHUNK]) for kind, copies in (("warp", warped_copies), ("canvas", canvas_copies))
             for _ in range(copies) for a in range(0, n, CHUNK)]
    tasks += [("styles", min(CHUNK, style_digits - a)) for a in range(0, style_digits, CHUNK)]
    seeds = np.random.SeedSequence(seed).spawn(len(tasks))
    sizes = [job if kind == "styles" else len(job) for kind, job in tasks]
    if progress:
        print(f"Drawing {warped_copies} warped and {canvas_copies} canvas-style cop"
              f"{'y' if canvas_copies == 1 else 'ies'} of the MNIST training digits and {style_digits:,} "
              f"digits in other handwriting styles…", flush=True)
    with progress_bar(sum(sizes), progress, desc="training digits") as bar:
        parts = map_chunks(drawn_digits, [(kind, job, s) for (kind, job), s in zip(tasks, seeds)],
                           workers, bar, sizes)
    X = np.concatenate([X_mnist] + [part for part, _ in parts])
    y = np.concatenate([y_mnist] * (1 + warped_copies + canvas_copies)
                       + [labels for _, labels in parts if labels is not None])
    return X, y.astype(y_mnist.dtype)


def drawn_digits(kind, job, seed_sequence):
    """One chunk of training_data: ("warp" or "canvas", images) changed, or ("styles", how many).

    Returns (X uint8, y): y is None for copies of MNIST, whose labels the caller has.
    """
    from .drawing.canvas_style import canvas_style_batch
    from .drawing.styles import style_batch

    rng = np.random.default_rng(seed_sequence)
    if kind == "warp":
        X, y = random_warp(unit_range(job), rng), None
    elif kind == "canvas":
        X, y = canvas_style_batch(job, rng), None
    else:
        X, y = style_batch(job, rng)
    return np.round(X * 255).astype(np.uint8), y


def canvas_style_test_set(seed=0, progress=True):
    """The 10,000 MNIST test digits redrawn as canvas drawings: (X (N, 28, 28) float32, y)."""
    from .drawing.canvas_style import make_canvas_style_set

    return make_canvas_style_set(*load_mnist("test"), seed=seed, progress=progress)
