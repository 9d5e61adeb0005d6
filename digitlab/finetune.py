"""Fine-tuning: teach a trained network your own handwriting without making it forget MNIST.

For notebook 08. The shipped network learned mainly from MNIST; digits drawn with a mouse
look a little different (a shifted distribution). Fine-tuning trains it a little further, with a
small learning rate, on MNIST mixed with your drawings, where your drawings are repeated
(over-sampled) so that a few dozen of them still make up a good share of every epoch.
Accuracy is measured before and after on drawings of yours that training never saw, and
on the MNIST test set, to see whether the network got better on yours and whether it
forgot anything.

- ``drawings_or_stand_in``: your drawings from a DrawingStore, or, when there are too few,
  canvas-style digits made from held-out MNIST test digits standing in for them;
- ``train_test_split_drawings``: keep some drawings aside for measuring;
- ``fine_tune``: a trained copy; the model passed in is never changed;
- ``compare``: accuracy of two models on named sets, and the change (drawn by
  ``digitlab.plots.plot_comparison``); ``accuracy_table`` lays such accuracies out as a Table.

Not for: collecting drawings on screen (digitlab.widgets.collector) or storing them
(digitlab.drawing.store). Images are (N, 28, 28), floats in [0, 1] or uint8 0..255 (scaled where
they are used; train_test_split_drawings gives back the type it was given); labels are ints 0..9.
"""

from __future__ import annotations

import copy

import numpy as np

from .drawing.store import DrawingStore
from .network import MLP
from .plumbing.checks import as_images_and_labels, as_positive_int
from .plumbing.table import Table
from .training import evaluate, fit

MIN_DRAWINGS = 20        # fewer drawings than this and stand-ins are used
STAND_IN_FIRST = 8000    # stand-ins are made from MNIST test digits 8000..9999 ...
N_STAND_IN = 500         # ... this many of them; so digits 0..7999 stay unseen for measuring
MAX_EPOCH = 2            # a fine-tuning epoch holds at most this many times the images given


# ---- your drawings, or stand-ins ----------------------------------------------------------------

def stand_in_drawings(n=N_STAND_IN, seed=0, pool=None, habits=False):
    """(X, y): n canvas-style digits redrawn from a pool of MNIST digits, as if drawn on the pad.

    pool: (images, labels) to redraw; by default the MNIST test digits from STAND_IN_FIRST on.
    habits: draw the 1s with a long flag and the 7s with a bar across, as many Europeans write
    them (digitlab.drawing.styles.with_styles): a stand-in writer whose handwriting MNIST hardly holds.
    """
    from .drawing.canvas_style import make_canvas_style_set

    if pool is None:
        from .data import load_mnist

        images, labels = load_mnist("test")
        pool = images[STAND_IN_FIRST:], labels[STAND_IN_FIRST:]
    images, labels = pool
    if not 1 <= n <= len(images):
        raise ValueError(f"n must be between 1 and the {len(images)} digits in the pool, got {n}")
    pick = np.sort(np.random.default_rng(seed).choice(len(images), size=n, replace=False))
    X, y = make_canvas_style_set(np.asarray(images)[pick], np.asarray(labels)[pick], seed=seed, progress=False)
    if habits:
        from .drawing.styles import with_styles

        X, y = with_styles(X, y, seed=seed)
    return X, y.astype(np.int64)


def drawings_or_stand_in(store=None, min_count=MIN_DRAWINGS, n_stand_in=N_STAND_IN, seed=0, pool=None,
                         habits=False):
    """(X, y, source): your drawings if the store holds at least min_count, else stand-ins.

    source says in plain words which it is. store: a DrawingStore (default: data/custom).
    pool, habits: see stand_in_drawings.
    """
    store = store if store is not None else DrawingStore()
    X, y = store.load()  # only the drawings that can be read count (the others are named in a warning)
    have = len(y)
    if have >= min_count:
        return X, y, f"your {len(y)} drawings from {store.root}"
    X, y = stand_in_drawings(n_stand_in, seed, pool, habits)
    where = "the MNIST test set" if pool is None else "the pool given"
    first = f" (from digit number {STAND_IN_FIRST:,} on)" if pool is None else ""
    written = ", the 1s with a long flag and the 7s crossed," if habits else ""
    return X, y, (f"STAND-INS: only {have} drawing{'' if have == 1 else 's'} collected in {store.root}, "
                  f"fewer than {min_count}, so {len(y)} canvas-style digits redrawn from {where}{first}"
                  f"{written} play the part of your drawings")


def train_test_split_drawings(X, y, test_fraction=0.3, seed=0):
    """(X_train, X_test, y_train, y_test): a random test_fraction of each digit kept aside.

    Each digit is split on its own, so the test drawings cover the digits the way the whole
    collection does; a digit with a single drawing goes to training. At least one drawing
    ends up on each side.
    """
    X, y = as_images_and_labels(X, y, "drawings", keep_uint8=True)  # uint8 stays uint8
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be between 0 and 1 (e.g. 0.3), got {test_fraction}")
    if len(y) < 2:
        raise ValueError(f"need at least 2 drawings to keep some aside for testing, got {len(y)}")
    rng = np.random.default_rng(seed)
    test = np.zeros(len(y), dtype=bool)
    for digit in np.unique(y):
        idx = rng.permutation(np.flatnonzero(y == digit))
        n_test = int(np.floor(test_fraction * len(idx) + 0.5)) if len(idx) > 1 else 0
        test[idx[:min(n_test, len(idx) - 1)]] = True
    if not test.any():
        test[rng.integers(len(y))] = True
    if test.all():
        test[rng.choice(np.flatnonzero(test))] = False
    return X[~test], X[test], y[~test], y[test]


# ---- fine-tuning ----------------------------------------------------------------------------

def copy_model(model: MLP) -> MLP:
    """A new network with the same sizes, weights, biases and metadata; changing one leaves the other."""
    new = MLP(model.sizes)
    new.params[...] = model.params
    new.metadata = copy.deepcopy(model.metadata)
    return new


def check_share(own_weight) -> None:
    """own_weight must be a number from 0 to 1; else ValueError."""
    if not isinstance(own_weight, (int, float, np.integer, np.floating)) or not 0 <= own_weight <= 1:
        raise ValueError(f"own_weight must be between 0 and 1 (the share of your drawings), got {own_weight!r}")


def mix_indices(n_own, n_base, own_weight, rng):
    """(own index (M,), base index (K,)) for one epoch: your drawings repeated to make up own_weight of it.

    Every base image is used once, unless that would make the epoch more than MAX_EPOCH times
    all the images given (own_weight above one half): then a random part of the base images is
    used, so that an own_weight near 1 never asks for more memory than that.
    """
    check_share(own_weight)
    if own_weight == 1 or n_base == 0:
        return np.arange(n_own), np.arange(0)
    if own_weight == 0 or n_own == 0:
        return np.arange(0), np.arange(n_base)
    base = np.arange(n_base)
    total_own = max(n_own, int(round(own_weight / (1 - own_weight) * n_base)))
    most = MAX_EPOCH * (n_own + n_base)
    if total_own + n_base > most:
        total_own = max(n_own, int(round(own_weight * most)))
        base = np.sort(rng.choice(n_base, size=min(n_base, most - total_own), replace=False))
    repeats, rest = divmod(total_own, n_own)
    own = np.concatenate([np.tile(np.arange(n_own), repeats), rng.choice(n_own, size=rest, replace=False)])
    return own, base


def fine_tune(model: MLP, X_own, y_own, X_base=None, y_base=None, epochs=3, lr=1e-4, own_weight=0.3,
              batch_size=64, seed=0, progress=False, validation_data=None, callbacks=()):
    """Train a copy of ``model`` further on MNIST (X_base) mixed with your drawings (X_own).

    own_weight: the share of every epoch made of your drawings (repeated as needed); 0 trains
    on X_base alone, 1 on your drawings alone (X_base may then be left out). An epoch holds at
    most MAX_EPOCH times the images given (see mix_indices). lr: keep it small
    (1e-4) so the network adjusts rather than starts over. Returns (new_model, history);
    ``model`` is left as it was.
    """
    as_positive_int(epochs, "epochs")                        # every setting checked before any work
    as_positive_int(batch_size, "batch_size")
    if not lr > 0:
        raise ValueError(f"lr must be a positive number, e.g. 1e-4; got {lr}")
    check_share(own_weight)
    X_own, y_own = as_images_and_labels(X_own, y_own, "your drawings")
    if X_base is None and y_base is None:
        X_base, y_base = np.zeros((0, 28, 28), np.float32), np.zeros(0, np.int64)
    X_base, y_base = as_images_and_labels(X_base, y_base, "the base images", keep_uint8=True)
    if len(y_own) == 0 and own_weight > 0:
        raise ValueError("there are no drawings of yours to fine-tune on")
    if len(y_base) == 0 and own_weight < 1:
        raise ValueError("there are no base images to mix in; pass MNIST images, or own_weight=1")
    own, base = mix_indices(len(y_own), len(y_base), own_weight, np.random.default_rng(seed))
    X = np.empty((len(own) + len(base), 28, 28), np.float32)  # (M + K, 28, 28), filled part by part
    X[:len(own)] = X_own[own]
    if X_base.dtype == np.uint8:                              # scaled straight into place: no float copy
        np.divide(X_base[base], np.float32(255), out=X[len(own):])
    else:
        X[len(own):] = X_base[base]
    y = np.concatenate([y_own[own], y_base[base]])
    new = copy_model(model)
    history = fit(new, X, y, epochs=epochs, batch_size=batch_size, optimizer="adam", lr=lr, seed=seed,
                  progress=progress, validation_data=validation_data, callbacks=callbacks)
    new.metadata["fine_tuned"] = {"epochs": epochs, "lr": lr, "own_weight": own_weight, "batch_size": batch_size,
                                  "own_drawings": int(len(y_own)), "own_examples_per_epoch": int(len(own)),
                                  "base_examples_per_epoch": int(len(base)), "seed": seed}
    return new, history


# ---- measuring ------------------------------------------------------------------------------

def accuracy_table(results, first="set", names=("before", "after"),
                   title="Accuracy (change in percentage points)") -> Table:
    """A Table of (name, images, accuracy before, accuracy after), one row each, with the change.

    Each row holds the name (in the column ``first``), the number of images, both accuracies
    (in the columns ``names``), the change and the same change in percentage points.
    """
    before, after = names
    rows = [{first: name, "images": images, before: a, after: b, "change": b - a, "points": 100 * (b - a)}
            for name, images, a, b in results]
    return Table(rows, [first, "images", before, after, "points"],
                 {before: "{:.1%}", after: "{:.1%}", "points": "{:+.1f}"}, title=title)


def compare(before: MLP, after: MLP, sets: dict, names=("before", "after")) -> Table:
    """Accuracy of two models on every named set ({"your drawings": (X, y), ...}), and the change."""
    if not sets:
        raise ValueError("give at least one named set of (images, labels) to compare on")
    results = []
    for name, (X, y) in sets.items():
        X, y = as_images_and_labels(X, y, name, keep_uint8=True)    # MNIST stays uint8: evaluate scales per batch
        if len(y) == 0:
            raise ValueError(f"the set {name!r} is empty")
        results.append((name, len(y), evaluate(before, X, y)[1], evaluate(after, X, y)[1]))
    return accuracy_table(results, "set", names)
