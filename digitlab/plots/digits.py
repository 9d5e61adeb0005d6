"""Pictures of digits and of what a network makes of them: grids, counts, means, probabilities, mistakes.

Every function returns a matplotlib Figure that pyplot has already let go of (closed): end a
notebook cell with the call and the picture shows exactly once, and widgets that redraw often
do not pile up open figures. To show one that is not last in its cell, use display(fig).
Functions that draw a single panel also take `ax=` to draw into a figure of your own.

Images may be uint8 in 0..255 or float in 0..1, shaped (N, 28, 28) or (N, 784). Ink is drawn
dark on white: a darker pixel is a bigger number.

Not for: computing anything a model needs (that lives in the model and training modules),
interactive widgets (see digitlab/widgets/).
"""
import math
import textwrap

import numpy as np

from ..lessons.baselines import average_of_each_digit
from ..plumbing.checks import as_images, as_labels
from ..plumbing.text import percent
from .figure import SMALLEST_TEXT, new_figure

DIGITS = np.arange(10)
WRONG = "tab:red"
RIGHT = "black"
HIGHLIGHT = "tab:orange"
PLAIN = "tab:blue"


def _vmax(images):
    """Brightest possible value: 255 for whole-number pixels, 1 for pixels in 0..1."""
    return 255 if np.issubdtype(np.asarray(images).dtype, np.integer) else 1.0


def _show(ax, image, vmax):
    """Draw one 28x28 image without ticks or frame."""
    ax.imshow(image, cmap="gray_r", vmin=0, vmax=vmax)
    ax.set_axis_off()


def _grid(n, ncols, tile=1.0, title_space=0.45):
    """A figure with exactly n small square axes laid out in rows of ncols."""
    ncols = max(1, min(ncols, n))
    nrows = math.ceil(n / ncols)
    fig = new_figure((tile * ncols, (tile + title_space) * nrows))
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for ax in axes[n:]:
        ax.remove()
    return fig, axes[:n]


def _single(ax, figsize):
    """Return (fig, ax): the given ax and its figure, or a new figure with one ax."""
    if ax is not None:
        return ax.figure, ax
    fig = new_figure(figsize)
    return fig, fig.add_subplot()


def plot_digits(images, labels=None, predictions=None, ncols=10, max_images=50):
    """Grid of digits titled with their labels; with predictions, wrong ones are titled in red."""
    images = as_images(images, keep_uint8=True)[:max_images]
    if len(images) == 0:
        raise ValueError("there are no images to show")
    two_lines = predictions is not None and labels is not None
    fig, axes = _grid(len(images), ncols, title_space=0.7 if two_lines else 0.45)
    for i, ax in enumerate(axes):
        _show(ax, images[i], _vmax(images))
        if predictions is not None:
            wrong = labels is not None and predictions[i] != labels[i]
            title = f"guess {predictions[i]}" + (f"\nlabel {labels[i]}" if labels is not None else "")
            ax.set_title(title, fontsize=SMALLEST_TEXT, color=WRONG if wrong else RIGHT)
        elif labels is not None:
            ax.set_title(str(labels[i]), fontsize=SMALLEST_TEXT)
    return fig


def plot_styles(images, names, ncols=8):
    """One digit per handwriting style, each titled with its style's name (wrapped to fit its tile)."""
    images = as_images(images, keep_uint8=True)
    if len(images) != len(names) or len(images) == 0:
        raise ValueError(f"give one name per image; got {len(images)} images and {len(names)} names")
    fig, axes = _grid(len(images), ncols, tile=1.3, title_space=0.6)
    for ax, image, name in zip(axes, images, names):
        _show(ax, image, _vmax(images))
        ax.set_title(textwrap.fill(str(name), 12), fontsize=SMALLEST_TEXT)
    return fig


def plot_class_counts(labels, ax=None, title="Images per digit"):
    """Bar chart of how many examples there are of each digit, with the count on each bar."""
    counts = np.bincount(np.asarray(labels, dtype=int).ravel(), minlength=10)[:10]
    fig, ax = _single(ax, (7, 3.5))
    bars = ax.bar(DIGITS, counts, color=PLAIN)
    ax.bar_label(bars, fontsize=SMALLEST_TEXT)
    ax.set(xticks=DIGITS, xlabel="digit", ylabel="number of images", title=title)
    return fig


def mean_images(images, labels):
    """Average image of each digit: (10, 28, 28) float; a digit with no examples gives zeros."""
    images = as_images(images, keep_uint8=True)  # uint8 kept: a float copy of MNIST would take 188 MB
    labels = as_labels(labels, len(images))
    return average_of_each_digit(images, labels)


def plot_mean_digits(images, labels):
    """The average of every image of each digit, side by side."""
    means = mean_images(images, labels)
    fig, axes = _grid(10, 10, tile=1.2)
    for d, ax in zip(DIGITS, axes):
        _show(ax, means[d], _vmax(images))
        ax.set_title(f"average {d}", fontsize=SMALLEST_TEXT)
    return fig


def plot_pixel_values(image, ax=None, fontsize=6.5):
    """One digit as a grid of numbers: each cell is shaded by its pixel value and shows it."""
    image = as_images(image, keep_uint8=True)[0]
    vmax = _vmax(image)
    fig, ax = _single(ax, (10, 10))
    ax.imshow(image, cmap="gray_r", vmin=0, vmax=vmax)
    for (row, col), value in np.ndenumerate(image):
        text = f"{value:.0f}" if vmax == 255 else f"{value:.1f}"
        ax.text(col, row, text, ha="center", va="center", fontsize=fontsize,
                color="white" if value > vmax / 2 else "black")
    ax.set(xticks=range(0, 28, 4), yticks=range(0, 28, 4), xlabel="column", ylabel="row")
    return fig


def plot_probabilities(probs, ax=None, label=None):
    """Bar chart of one prediction's ten probabilities; the top guess is highlighted."""
    probs = np.asarray(probs, dtype=float).ravel()
    if probs.shape != (10,):
        raise ValueError(f"expected 10 probabilities (one per digit), got {probs.size}")
    top = int(np.argmax(probs))
    fig, ax = _single(ax, (6, 3))
    colors = [HIGHLIGHT if d == top else PLAIN for d in DIGITS]
    ax.bar(DIGITS, probs, color=colors)
    title = f"top guess: {top} ({percent(probs[top], 1)})"
    if label is not None:
        title += f", label: {label}"
    ax.set(xticks=DIGITS, ylim=(0, 1), xlabel="digit", ylabel="probability", title=title)
    return fig


def confusion_matrix(y_true, y_pred, num_classes=10):
    """Counts (num_classes, num_classes): row = true digit, column = predicted digit."""
    y_true = as_labels(y_true, what="true labels", classes=num_classes)
    y_pred = as_labels(y_pred, len(y_true), "predictions", num_classes, per="true labels")
    cm = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(cm, (y_true, y_pred), 1)
    return cm


def plot_confusion_matrix(y_true, y_pred, ax=None):
    """Confusion matrix with the count in every cell; the diagonal holds the correct answers."""
    cm = confusion_matrix(y_true, y_pred)
    fig, ax = _single(ax, (6, 5.5))
    ax.imshow(cm, cmap="Blues")
    for (row, col), count in np.ndenumerate(cm):
        ax.text(col, row, str(count), ha="center", va="center", fontsize=SMALLEST_TEXT,
                color="white" if count > cm.max() / 2 else "black")
    ax.set(xticks=DIGITS, yticks=DIGITS, xlabel="predicted digit", ylabel="true digit",
           title=f"{np.trace(cm):,} of {cm.sum():,} correct")
    return fig


def plot_first_layer_weights(W, ncols=16, max_tiles=128, titles=None):
    """Each first-layer neuron's 784 weights as a 28x28 picture: red pushes up, blue pushes down.

    Many neurons are laid out as one mosaic picture (one image to draw, not 128); a few (20 or
    fewer, e.g. the ten of a one-layer network) are drawn larger, each with its title if given.
    Every picture is scaled by its own largest weight.
    """
    W = np.asarray(W)
    if W.ndim != 2 or W.shape[0] != 784:
        raise ValueError(f"expected first-layer weights shaped (784, width), got {W.shape}")
    tiles = W.T[:max_tiles].reshape(-1, 28, 28)  # (width, 28, 28)
    limits = np.abs(tiles).max(axis=(1, 2), keepdims=True)
    tiles = tiles / np.where(limits > 0, limits, 1.0)  # each in [-1, 1]
    if len(tiles) <= 20:
        fig, axes = _grid(len(tiles), ncols, tile=1.3, title_space=0.0 if titles is None else 0.3)
        for i, (tile, ax) in enumerate(zip(tiles, axes)):
            ax.imshow(tile, cmap="RdBu_r", vmin=-1, vmax=1)
            ax.set_axis_off()
            if titles is not None:
                ax.set_title(str(titles[i]))
        return fig
    ncols = min(ncols, len(tiles))
    nrows = math.ceil(len(tiles) / ncols)
    mosaic = np.full((nrows * 30 - 2, ncols * 30 - 2), np.nan)  # 2 pixels of background between tiles
    for i, tile in enumerate(tiles):
        row, col = divmod(i, ncols)
        mosaic[row * 30:row * 30 + 28, col * 30:col * 30 + 28] = tile
    fig = new_figure((0.8 * ncols, 0.8 * nrows))
    ax = fig.add_subplot()
    ax.imshow(mosaic, cmap="RdBu_r", vmin=-1, vmax=1, interpolation="nearest")
    ax.set_axis_off()
    return fig


def plot_confident_mistakes(images, labels, probs, n=12, ncols=6):
    """The wrong predictions the model was surest about, titled with guess, confidence and label."""
    images = as_images(images, keep_uint8=True)
    labels = as_labels(labels, len(images))
    probs = np.asarray(probs)
    if probs.shape != (len(images), 10):
        raise ValueError(f"expected probabilities shaped ({len(images)}, 10), one row per image, got {probs.shape}")
    guesses = probs.argmax(axis=1)
    wrong = np.flatnonzero(guesses != labels)
    wrong = wrong[np.argsort(-probs[wrong, guesses[wrong]], kind="stable")][:n]
    if len(wrong) == 0:
        fig, ax = _single(None, (4, 1))
        ax.text(0.5, 0.5, "No mistakes!", ha="center", va="center")
        ax.set_axis_off()
        return fig
    fig, axes = _grid(len(wrong), ncols, tile=1.6, title_space=0.7)
    for i, ax in zip(wrong, axes):
        _show(ax, images[i], _vmax(images))
        ax.set_title(f"guess {guesses[i]} ({percent(probs[i, guesses[i]], 1)})\nlabel {labels[i]}",
                     fontsize=SMALLEST_TEXT, color=WRONG)
    return fig
