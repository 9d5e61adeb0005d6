"""Pictures for notebook 02: the step staircase, the sigmoid, loss curves and bowls with a descent path.

Every plot_* function returns a matplotlib Figure that pyplot has already closed (a notebook shows
it once when the cell ends with it, and redraws never pile up); every draw_* function draws into an
Axes you pass, so that plot_descent can put a loss and its history side by side. DescentFigure is
plot_descent for a widget: one figure redrawn in place after every step, quickly (what stays
still is drawn once and kept as a picture; each step draws only the path on top of it).
Not for computing anything: that lives in digitlab.lessons.
"""

import math

import numpy as np
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullLocator
from matplotlib.transforms import Bbox

from ..lessons.sigmoid_neuron import sigmoid
from .figure import canvas_png, new_figure, redrawn_figure

PATH_COLOR = "tab:red"
CURVE_COLOR = "tab:blue"
GOAL_COLOR = "tab:green"
ARROWS = 20  # a one-weight path shows its last 20 steps as arrows, earlier ones as dots
SUPERSCRIPTS = str.maketrans("-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079")


def view_range(center, points, margin, pad=0.05):
    """A (low, high) interval covering center +- margin and every finite point, padded a little."""
    pts = np.asarray(points, dtype=float)
    pts = pts[np.isfinite(pts)]
    low = min([center - margin, *pts])
    high = max([center + margin, *pts])
    return low - pad * (high - low), high + pad * (high - low)


def few_ticks(ax):
    """At most six labelled ticks an axis: enough to read, and text is what takes longest to draw."""
    ax.xaxis.set_major_locator(MaxNLocator(nbins=6))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=6))


class CurvePanel:
    """One-weight loss on an Axes: the curve, the last steps as arrows, the current point in red."""

    def __init__(self, ax, loss, margin=4.0):
        self.ax, self.loss, self.margin, self.shown = ax, loss, margin, None
        self.curve, = ax.plot([], [], color=CURVE_COLOR, lw=2, label="loss L(w)")
        ax.axvline(loss.center[0], color=GOAL_COLOR, ls=":", lw=1, label="the bottom")
        zeros = np.zeros(ARROWS)  # (update() leaves arrows it does not use out: NaN)
        self.arrows = ax.quiver(zeros, zeros, zeros, zeros, angles="xy", scale_units="xy", scale=1,
                                color=PATH_COLOR, width=0.005, headwidth=4, headlength=6, headaxislength=5)
        self.dots, = ax.plot([], [], "o", color=PATH_COLOR, ms=4, alpha=0.5)
        self.here, = ax.plot([], [], "o", color=PATH_COLOR, ms=9, label="where we are")
        self.moving = [self.arrows, self.dots, self.here]  # what a step changes
        ax.set_xlabel("weight w")
        ax.set_ylabel("loss")
        few_ticks(ax)
        ax.legend(loc="upper center")

    def update(self, path):
        """Show this path of weights (oldest first): redraw the curve only if the view must widen."""
        path = np.asarray(path, dtype=float).reshape(-1)
        shown = view_range(self.loss.center[0], path, self.margin)
        if shown != self.shown:
            ws = np.linspace(*shown, 400)
            ls = np.array([self.loss([w]) for w in ws])
            self.curve.set_data(ws, ls)
            self.ax.set(xlim=shown, ylim=(-0.05 * ls.max(), 1.05 * ls.max()))
            self.shown = shown
        ls = np.array([self.loss([w]) if np.isfinite(w) else np.nan for w in path])
        starts = np.full((ARROWS, 2), np.nan)
        moves = np.full((ARROWS, 2), np.nan)
        shown = min(ARROWS, len(path) - 1)  # the last steps, each an arrow from where it started
        if shown:
            starts[:shown] = np.c_[path[-shown - 1:-1], ls[-shown - 1:-1]]
            moves[:shown] = np.c_[np.diff(path[-shown - 1:]), np.diff(ls[-shown - 1:])]
        self.arrows.set_offsets(starts)
        self.arrows.set_UVC(moves[:, 0], moves[:, 1])
        self.dots.set_data(path[:-1], ls[:-1])
        self.here.set_data(path[-1:], ls[-1:])
        return self


class BowlPanel:
    """Two-weight loss seen from above on an Axes: contour lines, the bottom, and the path of steps."""

    def __init__(self, ax, loss, margin=(3.0, 2.0)):
        self.ax, self.loss, self.margin, self.shown, self.contours = ax, loss, margin, None, None
        ax.plot(*loss.center, "*", color=GOAL_COLOR, ms=14, label="the bottom")
        self.trail, = ax.plot([], [], "-o", color=PATH_COLOR, ms=3, lw=1, alpha=0.7)
        self.here, = ax.plot([], [], "o", color=PATH_COLOR, ms=9, label="where we are")
        self.moving = [self.trail, self.here]  # what a step changes
        ax.set_xlabel("weight w1")
        ax.set_ylabel("weight w2")
        few_ticks(ax)
        ax.legend(loc="upper right")

    def update(self, path):
        """Show this path of weights (oldest first): new contours only if the view must widen."""
        path = np.asarray(path, dtype=float).reshape(-1, 2)
        (c1, c2), (m1, m2) = self.loss.center, self.margin
        shown = (view_range(c1, path[:, 0], m1), view_range(c2, path[:, 1], m2))
        if shown != self.shown:
            W1, W2 = np.meshgrid(np.linspace(*shown[0], 120), np.linspace(*shown[1], 120))
            D = np.stack([W1 - c1, W2 - c2], axis=-1)                     # (120, 120, 2)
            L = 0.5 * np.einsum("...i,ij,...j->...", D, self.loss.H, D)  # loss on the grid
            levels = np.quantile(L, np.linspace(0.01, 0.95, 12)) if L.max() > 0 else 10
            if self.contours is not None:
                self.contours.remove()
            self.contours = self.ax.contour(W1, W2, L, levels=np.unique(levels), cmap="Blues_r", linewidths=1)
            self.ax.set(xlim=shown[0], ylim=shown[1])
            self.shown = shown
        self.trail.set_data(path[:, 0], path[:, 1])
        self.here.set_data(path[-1:, 0], path[-1:, 1])
        return self


def draw_loss_curve(ax, loss, path=(), margin=4.0):
    """One-weight loss: the curve, the steps taken so far as arrows, the current point in red."""
    return CurvePanel(ax, loss, margin).update(path)


def draw_loss_bowl(ax, loss, path=(), margin=(3.0, 2.0)):
    """Two-weight loss seen from above: contour lines, the bottom, and the path of steps."""
    return BowlPanel(ax, loss, margin).update(path)


def decade_label(value, _position=None) -> str:
    """A power of ten as a learner reads it: 0.001 to 1000 in plain digits, 10⁻⁶ or 10¹² beyond."""
    if value <= 0:
        return ""
    exponent = round(math.log10(value))
    if -3 <= exponent <= 3:
        return f"{10.0 ** exponent:g}"
    return "10" + str(exponent).translate(SUPERSCRIPTS)


class HistoryPanel:
    """The loss after each step on an Axes, on a log scale so slow crawls and blow-ups both show."""

    def __init__(self, ax):
        self.ax = ax
        self.line, = ax.semilogy([], [], "-o", color=PATH_COLOR, ms=3)
        self.moving = [self.line]  # what a step changes
        ax.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))  # whole steps only
        ax.yaxis.set_major_locator(LogLocator(base=10, numticks=6))
        ax.yaxis.set_major_formatter(FuncFormatter(decade_label))
        ax.yaxis.set_minor_locator(NullLocator())  # labelled decades only: fewer ticks, quicker to draw
        ax.set_xlabel("step")
        ax.set_ylabel("loss (log scale)")

    def update(self, losses):
        """Show these losses, one per step taken (the first is the loss at the start)."""
        losses = np.asarray(losses, dtype=float)
        shown = np.where(np.isfinite(losses), np.maximum(losses, 1e-16), np.nan)
        self.line.set_data(np.arange(len(losses)), shown)
        room = 10 * 2 ** max(0, math.ceil(math.log2(max(len(losses) - 1, 1) / 10)))  # 10, 20, 40, ... steps:
        self.ax.set_xlim(-0.5, room + 0.5)                                            # the axis rarely moves
        finite = shown[np.isfinite(shown)]
        if len(finite):  # whole decades at both ends: every labelled tick is a power of ten
            low, high = math.floor(np.log10(finite.min())), math.ceil(np.log10(finite.max()))
            self.ax.set_ylim(10.0 ** low, 10.0 ** max(high, low + 1))
        return self


def draw_loss_history(ax, losses):
    """Loss after each step, on a log scale so slow crawls and blow-ups both show."""
    return HistoryPanel(ax).update(losses)


def plot_descent(loss, path, losses, figsize=(9, 3.4)):
    """The loss (curve or bowl) with the path, next to the loss after each step."""
    fig = new_figure(figsize)
    ax_loss, ax_hist = fig.subplots(1, 2, width_ratios=[1.6, 1])
    (draw_loss_curve if loss.dim == 1 else draw_loss_bowl)(ax_loss, loss, path)
    draw_loss_history(ax_hist, losses)
    return fig


class DescentFigure:
    """plot_descent for a widget: one figure with fixed margins whose path moves after every step.

    Each panel's still parts (axes, ticks, the loss curve or contours, legend) are drawn only
    when its axes change, and kept as a picture (the ones used last: Reset goes back to the
    first); a step puts the two pictures back and draws only the path on top.
    """

    KEPT = 10  # pictures kept per panel, at most about 0.5 MB each

    def __init__(self, loss, figsize=(9, 3.4), dpi=80):
        self.fig = redrawn_figure(figsize, dpi, left=0.075, right=0.985, bottom=0.16, top=0.93, wspace=0.32)
        ax_loss, ax_hist = self.fig.subplots(1, 2, width_ratios=[1.6, 1])
        self.panel = (CurvePanel if loss.dim == 1 else BowlPanel)(ax_loss, loss)
        self.history = HistoryPanel(ax_hist)
        self.moving = self.panel.moving + self.history.moving
        for order, artist in enumerate(self.moving):
            artist.set_animated(True)  # left out of the still pictures, drawn over them (legends too)
            artist.set_zorder(6 + order / 10)
        # The figure in two parts, split in the gap between the panels, each with a blank picture.
        width, height = self.fig.canvas.get_width_height(physical=True)
        split = round(ax_loss.get_position().x1 * width) + 12  # past the last tick label on the left
        canvas = self.fig.canvas
        for ax in (ax_loss, ax_hist):
            ax.set_visible(False)
        canvas.draw()  # the blank page
        self.parts = []
        for ax, (x0, x1) in ((ax_loss, (0, split)), (ax_hist, (split, width))):
            region = Bbox([[x0, 0], [x1, height]])
            self.parts.append((ax, region, canvas.copy_from_bbox(region), {}))  # {limits: picture}
        for ax in (ax_loss, ax_hist):
            ax.set_visible(True)

    def png(self, path, losses) -> bytes:
        """Move the path to these weights and losses; return the figure as PNG bytes."""
        self.panel.update(path)
        self.history.update(losses)
        canvas = self.fig.canvas
        for ax, region, blank, kept in self.parts:
            limits = ax.get_xlim() + ax.get_ylim()
            if limits in kept:
                kept[limits] = kept.pop(limits)  # now the one used last
                canvas.restore_region(kept[limits])
            else:
                canvas.restore_region(blank)
                ax.draw(canvas.get_renderer())
                kept[limits] = canvas.copy_from_bbox(region)
                if len(kept) > self.KEPT:
                    del kept[next(iter(kept))]  # the one used longest ago
        for artist in self.moving:
            artist.axes.draw_artist(artist)
        return canvas_png(self.fig)


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
    ax.legend(loc="upper left")
    return fig


def plot_slope(loss, w, width=1.5):
    """A one-weight loss with the tangent line at w: its slope says which way is downhill."""
    fig = new_figure((5.5, 3.2))
    ax = fig.subplots()
    draw_loss_curve(ax, loss, [w])
    g = float(loss.gradient([w])[0])
    ws = np.linspace(w - width, w + width, 2)
    ax.plot(ws, loss([w]) + g * (ws - w), color="black", lw=1.5, ls="--", label=f"slope {g:.2f}")
    ax.autoscale(axis="y")  # the whole tangent line, not only the curve
    ax.legend(loc="upper center")
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


def plot_descent_race(loss, walks: dict, figsize=None):
    """Several walks on the same two-weight bowl, one panel each, and their losses step by step.

    walks: {"name": a GradientDescent (or AdamDescent) that has taken its steps}.
    """
    fig = new_figure(figsize or (3.6 * len(walks) + 3.6, 3.6))
    axes = fig.subplots(1, len(walks) + 1)
    for ax, (name, walk) in zip(axes, walks.items()):
        draw_loss_bowl(ax, loss, walk.path)
        ax.set_title(name)
    history = axes[-1]
    for name, walk in walks.items():
        losses = np.asarray(walk.losses, dtype=float)
        history.semilogy(np.arange(len(losses)), np.maximum(losses, 1e-16), label=name)
    history.set(xlabel="step", ylabel="loss (log scale)", title="loss after each step")
    history.legend()
    return fig
