"""Pictures for notebook 02: the step staircase, the sigmoid, loss curves and bowls with a descent path.

Every plot_* function returns a matplotlib Figure that pyplot has already closed (a notebook shows
it once when the cell ends with it, and redraws never pile up); every draw_* function draws into an
Axes you pass, so that plot_descent can put a loss and its history side by side.
Not for computing anything: that lives in digitlab.lessons.
"""

import numpy as np

from ..lessons.sigmoid_neuron import sigmoid
from .figure import new_figure

PATH_COLOR = "tab:red"
CURVE_COLOR = "tab:blue"
GOAL_COLOR = "tab:green"


def view_range(center, points, margin, pad=0.05):
    """A (low, high) interval covering center +- margin and every finite point, padded a little."""
    pts = np.asarray(points, dtype=float)
    pts = pts[np.isfinite(pts)]
    low = min([center - margin, *pts])
    high = max([center + margin, *pts])
    return low - pad * (high - low), high + pad * (high - low)


def draw_loss_curve(ax, loss, path=(), margin=4.0):
    """One-weight loss: the curve, the steps taken so far as arrows, the current point in red."""
    path = np.asarray(path, dtype=float).reshape(-1)
    lo, hi = view_range(loss.center[0], path, margin)
    ws = np.linspace(lo, hi, 400)
    ax.plot(ws, [loss([w]) for w in ws], color=CURVE_COLOR, lw=2, label="loss L(w)")
    ax.axvline(loss.center[0], color=GOAL_COLOR, ls=":", lw=1, label="the bottom")
    if len(path):
        ls = np.array([loss([w]) for w in path])
        for (w0, l0), (w1, l1) in zip(zip(path, ls), zip(path[1:], ls[1:])):
            ax.annotate("", (w1, l1), (w0, l0), arrowprops=dict(arrowstyle="->", color=PATH_COLOR, lw=1))
        ax.plot(path[:-1], ls[:-1], "o", color=PATH_COLOR, ms=4, alpha=0.5)
        ax.plot(path[-1:], ls[-1:], "o", color=PATH_COLOR, ms=9, label="where we are")
    ax.set_xlabel("weight w")
    ax.set_ylabel("loss")
    ax.legend(loc="upper center", fontsize=8)


def draw_loss_bowl(ax, loss, path=(), margin=(3.0, 2.0)):
    """Two-weight loss seen from above: contour lines, the bottom, and the path of steps."""
    path = np.asarray(path, dtype=float).reshape(-1, 2)
    (c1, c2), (m1, m2) = loss.center, margin
    x_lo, x_hi = view_range(c1, path[:, 0], m1)
    y_lo, y_hi = view_range(c2, path[:, 1], m2)
    W1, W2 = np.meshgrid(np.linspace(x_lo, x_hi, 120), np.linspace(y_lo, y_hi, 120))
    D = np.stack([W1 - c1, W2 - c2], axis=-1)                     # (120, 120, 2)
    L = 0.5 * np.einsum("...i,ij,...j->...", D, loss.H, D)       # loss on the grid
    levels = np.quantile(L, np.linspace(0.01, 0.95, 12)) if L.max() > 0 else 10
    ax.contour(W1, W2, L, levels=np.unique(levels), cmap="Blues_r", linewidths=1)
    ax.plot([c1], [c2], "*", color=GOAL_COLOR, ms=14, label="the bottom")
    if len(path):
        ax.plot(path[:, 0], path[:, 1], "-o", color=PATH_COLOR, ms=3, lw=1, alpha=0.7)
        ax.plot(path[-1:, 0], path[-1:, 1], "o", color=PATH_COLOR, ms=9, label="where we are")
    ax.set_xlabel("weight w1")
    ax.set_ylabel("weight w2")
    ax.legend(loc="upper right", fontsize=8)


def draw_loss_history(ax, losses):
    """Loss after each step, on a log scale so slow crawls and blow-ups both show."""
    losses = np.asarray(losses, dtype=float)
    shown = np.where(np.isfinite(losses), np.maximum(losses, 1e-16), np.nan)
    ax.semilogy(np.arange(len(losses)), shown, "-o", color=PATH_COLOR, ms=3)
    ax.set_xlabel("step")
    ax.set_ylabel("loss (log scale)")


def plot_descent(loss, path, losses, figsize=(9, 3.4)):
    """The loss (curve or bowl) with the path, next to the loss after each step."""
    fig = new_figure(figsize)
    ax_loss, ax_hist = fig.subplots(1, 2, width_ratios=[1.6, 1])
    (draw_loss_curve if loss.dim == 1 else draw_loss_bowl)(ax_loss, loss, path)
    draw_loss_history(ax_hist, losses)
    return fig


def plot_step_vs_smooth(ws, mistakes, losses, weight_name="w1"):
    """Left: mistakes of the step perceptron as one weight moves (flat stairs). Right: the smooth loss."""
    fig = new_figure((9, 3.2))
    left, right = fig.subplots(1, 2)
    left.step(ws, mistakes, where="mid", color=PATH_COLOR, lw=2)
    left.set_xlabel(f"weight {weight_name}")
    left.set_ylabel("days wrong (step output)")
    left.set_yticks(range(int(max(mistakes)) + 1))
    left.set_title("Step output: flat, then a jump")
    right.plot(ws, losses, color=CURVE_COLOR, lw=2)
    right.set_xlabel(f"weight {weight_name}")
    right.set_ylabel("loss (sigmoid output)")
    right.set_title("Sigmoid output: a smooth slope")
    return fig


def plot_sigmoid(z_range=6.0):
    """The step function and the sigmoid side by side on the same axes."""
    fig = new_figure((5.5, 3))
    ax = fig.subplots()
    z = np.linspace(-z_range, z_range, 400)
    ax.plot(z, (z >= 0).astype(float), color="gray", lw=2, ls="--", label="step: 1 if z ≥ 0 else 0")
    ax.plot(z, sigmoid(z), color=CURVE_COLOR, lw=2, label="sigmoid: 1 / (1 + e^(−z))")
    ax.set_xlabel("z (the weighted sum)")
    ax.set_ylabel("output")
    ax.legend(loc="upper left", fontsize=8)
    return fig


def plot_slope(loss, w, width=1.5):
    """A one-weight loss with the tangent line at w: its slope says which way is downhill."""
    fig = new_figure((5.5, 3.2))
    ax = fig.subplots()
    draw_loss_curve(ax, loss, [w])
    g = float(loss.gradient([w])[0])
    ws = np.linspace(w - width, w + width, 2)
    ax.plot(ws, loss([w]) + g * (ws - w), color="black", lw=1.5, ls="--", label=f"slope {g:.2f}")
    ax.legend(loc="upper center", fontsize=8)
    return fig


def plot_training(history, title="Training the sigmoid neuron"):
    """Loss after each epoch of training."""
    fig = new_figure((5.5, 3))
    ax = fig.subplots()
    ax.plot(np.arange(len(history)), history, color=CURVE_COLOR, lw=2)
    ax.set_xlabel("epoch (one gradient step on all six days)")
    ax.set_ylabel("loss")
    ax.set_title(title)
    return fig
