"""Distribution shift: measure how two sets of digits differ, and how a model fares on each.

For notebooks 07 and 08. A network learns the digits it was shown; digits drawn another way (with a
mouse on a canvas instead of a pen on paper) come from a *shifted distribution*, and the
network can be wrong on them while sounding sure. This module measures that:

- the style of a set of digits: how much ink, how thick the strokes, how big and where
  (``describe_styles``);
- how confident a model is when it is right and when it is wrong (``confidence_summary``), and
  what refusing to answer when it is not sure enough costs and buys (``answer_or_refuse``,
  ``refusal_tradeoff``, notebook 07);
- a stream of "incoming" digits whose mix of sources changes week by week, and a model's
  accuracy and confidence per week or per source, as a deployed model would be monitored
  (``simulate_incoming``, ``accuracy_by``).

Images are (N, 28, 28) floats in [0, 1] (uint8 0..255 is accepted and scaled), white ink on black.
Not for: training or fine-tuning (see digitlab.finetune), or plotting (``plot_by_group`` in
digitlab.plots draws an ``accuracy_by`` table).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .drawing.canvas import INK_THRESHOLD, centre_of_mass
from .drawing.skeleton import skeletonize
from .plumbing.checks import as_images, as_images_and_labels
from .plumbing.table import Table

CONFIDENT = 0.9  # a prediction at least this probable counts as "confident"


# ---- what a set of digits looks like ------------------------------------------------------------

def ink_fraction(X, threshold=0.5) -> np.ndarray:
    """(N,) share of the 784 pixels holding ink (value above threshold)."""
    X = as_images(X)
    return (X > threshold).mean(axis=(1, 2))


def centre_line_length(skeletons) -> np.ndarray:
    """(N,) length in pixels of 1-pixel-wide centre lines: straight steps count 1, diagonal ones √2."""
    S = np.asarray(skeletons, dtype=bool)
    straight = (S[:, :, :-1] & S[:, :, 1:]).sum(axis=(1, 2)) + (S[:, :-1, :] & S[:, 1:, :]).sum(axis=(1, 2))
    a, b = S[:, :-1, :-1], S[:, 1:, 1:]                       # down-right neighbours
    c, d = S[:, :-1, 1:], S[:, 1:, :-1]                       # down-left neighbours
    # A diagonal step only counts where no straight corner already joins the two pixels.
    down_right = (a & b & ~c & ~d).sum(axis=(1, 2))
    down_left = (c & d & ~a & ~b).sum(axis=(1, 2))
    return straight + np.sqrt(2) * (down_right + down_left)


def width_from_area_and_length(area, length):
    """The width w of a stroke that covers `area` pixels along a centre line `length` long.

    A stroke of width w whose centre line is L long covers about w·L, plus about w² more at
    its two round ends (thinning also shortens the line there): area = w·L + w², so
    w = (√(L² + 4·area) − L) / 2.
    """
    return (np.sqrt(length ** 2 + 4 * area) - length) / 2


def stroke_width(X) -> np.ndarray:
    """(N,) estimated stroke width w in pixels, from the ink area and the centre line's length.

    The width solves area = w·L + w² (see ``width_from_area_and_length``). The centre line is
    found by thinning the digit at twice the resolution (digitlab.drawing.skeleton.skeletonize).
    An image without ink gives NaN.
    """
    X = as_images(X)
    area = X.sum(axis=(1, 2), dtype=np.float64)            # soft ink: a half-covered pixel counts 0.5
    length = centre_line_length(skeletonize(X)) / 2        # back to 28x28 pixels
    width = width_from_area_and_length(area, length)
    return np.where(area > 0, width, np.nan)


def ink_box(X, threshold=INK_THRESHOLD) -> np.ndarray:
    """(N, 2) height and width in pixels of the box around the ink (as canvas_to_mnist crops it); 0 if empty."""
    ink = as_images(X) > threshold
    rows, cols = ink.any(axis=2), ink.any(axis=1)              # (N, 28) each

    def extent(m):
        first = m.argmax(axis=1)
        last = m.shape[1] - 1 - m[:, ::-1].argmax(axis=1)
        return np.where(m.any(axis=1), last - first + 1, 0)

    return np.stack([extent(rows), extent(cols)], axis=1)


def centres_of_mass(X) -> np.ndarray:
    """(N, 2) row and column of each image's centre of mass (NaN for an empty image)."""
    com = [centre_of_mass(x) if x.any() else (np.nan, np.nan) for x in as_images(X)]
    return np.array(com, dtype=np.float64).reshape(-1, 2)


STYLE_COLUMNS = ["set", "images", "ink fraction", "stroke width (px)", "ink height (px)", "ink width (px)",
                 "centre row", "centre column"]
STYLE_FORMATS = {"ink fraction": "{:.1%}", "stroke width (px)": "{:.2f}", "ink height (px)": "{:.1f}",
                 "ink width (px)": "{:.1f}", "centre row": "{:.2f}", "centre column": "{:.2f}"}


def describe_style(X) -> dict:
    """Mean ink fraction, stroke width, ink box and centre of mass of a set of digits."""
    X = as_images(X)
    if len(X) == 0:
        raise ValueError("there are no images to describe")
    box = ink_box(X)
    com = centres_of_mass(X)
    return {"images": len(X),
            "ink fraction": float(ink_fraction(X).mean()),
            "stroke width (px)": float(np.nanmean(stroke_width(X))),
            "ink height (px)": float(box[:, 0].mean()),
            "ink width (px)": float(box[:, 1].mean()),
            "centre row": float(np.nanmean(com[:, 0])),
            "centre column": float(np.nanmean(com[:, 1]))}


def describe_styles(sets: dict) -> Table:
    """One row per named set of images ({"MNIST": X1, "canvas": X2}) with describe_style's numbers."""
    rows = [{"set": name, **describe_style(X)} for name, X in sets.items()]
    return Table(rows, STYLE_COLUMNS, STYLE_FORMATS, title="What the digits look like (means)")


# ---- how sure a model is -------------------------------------------------------------------------

def confidence_summary(model, X, y, confident=CONFIDENT) -> dict:
    """Accuracy, mean confidence when right and when wrong, and how many mistakes were confident.

    Confidence is the probability the model gives its own answer.
    """
    X, y = as_images_and_labels(X, y)
    P = model.predict_proba(X)
    guess, conf = P.argmax(axis=1), P.max(axis=1)
    right = guess == y
    wrong = ~right
    return {"images": len(y),
            "accuracy": float(right.mean()),
            "mistakes": int(wrong.sum()),
            "confidence when right": float(conf[right].mean()) if right.any() else float("nan"),
            "confidence when wrong": float(conf[wrong].mean()) if wrong.any() else float("nan"),
            "confident mistakes": int((wrong & (conf >= confident)).sum()),
            "share of mistakes made confidently": float((conf[wrong] >= confident).mean()) if wrong.any() else 0.0}


NOT_SURE = -1  # the answer of answer_or_refuse when the model is not sure enough


def answer_or_refuse(P, threshold) -> np.ndarray:
    """(N,) the most probable digit of each row of P, or NOT_SURE (−1) where its probability is below threshold."""
    P = np.asarray(P)
    if P.ndim != 2 or P.shape[1] < 2:
        raise ValueError(f"P must hold one row of probabilities per image, shaped (N, 10); got shape {P.shape}")
    if not 0 <= threshold <= 1:
        raise ValueError(f"threshold is a probability between 0 and 1, e.g. 0.9; got {threshold}")
    guess = P.argmax(axis=1)
    return np.where(P.max(axis=1) >= threshold, guess, NOT_SURE)


def refusal_tradeoff(model, X, y, thresholds=(0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999)) -> Table:
    """For each threshold: the share of images the model refuses ("I'm not sure"), and its accuracy on the rest.

    A higher threshold refuses more images and is right more often on those it accepts: the
    table measures how much of one buys how much of the other.
    """
    X, y = as_images_and_labels(X, y, keep_uint8=True)
    P = model.predict_proba(X)
    rows = []
    for t in thresholds:
        answers = answer_or_refuse(P, t)
        accepted = answers != NOT_SURE
        rows.append({"threshold": float(t), "refused": float(1 - accepted.mean()),
                     "accepted": int(accepted.sum()), "mistakes among accepted": int((answers[accepted] != y[accepted]).sum()),
                     "accuracy on accepted": float((answers[accepted] == y[accepted]).mean()) if accepted.any() else float("nan")})
    return Table(rows, ["threshold", "refused", "accepted", "mistakes among accepted", "accuracy on accepted"],
                 {"threshold": "{:.3g}", "refused": "{:.1%}", "accepted": "{:,}", "accuracy on accepted": "{:.2%}"},
                 title="Refusing when not sure: what it costs and what it buys")


# ---- monitoring a deployed model -------------------------------------------------------------------

@dataclass
class Incoming:
    """Digits arriving at a deployed model: images, true labels, where each came from, and when."""

    X: np.ndarray       # (N, 28, 28) float32
    y: np.ndarray       # (N,) int
    source: np.ndarray  # (N,) str, a name from the sources given
    week: np.ndarray    # (N,) int, 1-based


def simulate_incoming(sources: dict, shares, per_week=300, seed=0) -> Incoming:
    """Draw ``per_week`` digits a week from named sources ({"MNIST": (X, y), ...}).

    shares: one row per week with one share per source (in the order of ``sources``); each row
    is scaled to sum to 1. Within a week the digits are drawn without replacement.
    """
    names = list(sources)
    shares = np.asarray(shares, dtype=np.float64)
    if shares.ndim != 2 or shares.shape[1] != len(names):
        raise ValueError(f"shares must have one row per week and {len(names)} columns "
                         f"(one per source: {names}); got shape {shares.shape}")
    if (shares < 0).any() or not (shares.sum(axis=1) > 0).all():
        raise ValueError("shares must be non-negative, with at least one positive share every week")
    if per_week < 1:
        raise ValueError("per_week must be at least 1")
    data = {name: as_images_and_labels(X, y, f"source {name!r}", keep_uint8=True)   # uint8 until picked
            for name, (X, y) in sources.items()}
    rng = np.random.default_rng(seed)
    Xs, ys, srcs, weeks = [], [], [], []
    for week, row in enumerate(shares / shares.sum(axis=1, keepdims=True), start=1):
        counts = np.floor(row * per_week).astype(int)
        counts[np.argsort(-(row * per_week - counts))[:per_week - counts.sum()]] += 1  # largest remainders
        for name, n in zip(names, counts):
            if n == 0:
                continue
            X, y = data[name]
            if n > len(X):
                raise ValueError(f"week {week} needs {n} digits from {name!r}, which has only {len(X)}")
            pick = rng.choice(len(X), size=n, replace=False)
            Xs.append(as_images(X[pick])); ys.append(y[pick])            # only the picked digits as floats
            srcs.append(np.full(n, name, dtype=object)); weeks.append(np.full(n, week))
    return Incoming(np.concatenate(Xs), np.concatenate(ys).astype(np.int64),
                    np.concatenate(srcs), np.concatenate(weeks))


def accuracy_by(model, X, y, groups, name="group") -> Table:
    """One row per group (e.g. week or source): digits, accuracy, mean confidence, mean ink fraction.

    Accuracy needs the true labels; confidence and ink fraction do not, so they can be
    watched on every input, labelled or not.
    """
    X, y = as_images_and_labels(X, y)
    groups = np.asarray(groups)
    if len(groups) != len(X):
        raise ValueError(f"got {len(X)} images but {len(groups)} groups: give one group per image")
    P = model.predict_proba(X)
    right, conf, ink = P.argmax(axis=1) == y, P.max(axis=1), ink_fraction(X)
    rows = []
    for g in sorted(set(groups.tolist()), key=lambda v: (str(type(v)), v)):
        m = groups == g
        rows.append({name: g, "digits": int(m.sum()), "accuracy": float(right[m].mean()),
                     "mean confidence": float(conf[m].mean()), "ink fraction": float(ink[m].mean())})
    return Table(rows, [name, "digits", "accuracy", "mean confidence", "ink fraction"],
                 {"accuracy": "{:.1%}", "mean confidence": "{:.1%}", "ink fraction": "{:.1%}"})
