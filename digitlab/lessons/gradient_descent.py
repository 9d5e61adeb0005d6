"""Gradient descent made visible: small loss functions, their slopes, and a stepper that explains itself.

For notebook 02: a one-weight loss curve, a two-weight loss bowl (a long narrow valley), a
stepper that says plainly whether it converges, crawls or diverges, and a numerical gradient
check. What it is not: a training library; the MLP has its own loop in digitlab.training.
"""

from dataclasses import dataclass

import numpy as np

from ..optim import Adam

CONVERGED_SLOPE = 1e-4     # steepness below which we call the bottom reached
CRAWL_DROP = 0.05          # a step that lowers the loss by less than 5 % of itself is crawling
DIVERGING_RUN = 3          # this many loss increases in a row means diverging
BLOWN_UP = 1e12            # a loss or weight beyond this is treated as blown up


def as_weights(w, dim):
    """Return w as a float vector of length dim, or raise ValueError."""
    w = np.atleast_1d(np.asarray(w, dtype=float))
    if w.shape != (dim,):
        raise ValueError(f"Expected {dim} weight(s); got shape {w.shape}.")
    if not np.all(np.isfinite(w)):
        raise ValueError(f"Weights must be finite numbers; got {w.tolist()}.")
    return w


class QuadraticLoss:
    """A bowl: L(w) = 1/2 (w - c)^T H (w - c), lowest (zero) at w = c; H says how steep each way."""

    def __init__(self, curvature, center):
        H = np.atleast_2d(np.asarray(curvature, dtype=float))
        c = np.atleast_1d(np.asarray(center, dtype=float))
        if H.shape != (len(c), len(c)):
            raise ValueError(f"Curvature must be {len(c)}x{len(c)} to match the centre; got {H.shape}.")
        if not np.allclose(H, H.T) or np.linalg.eigvalsh(H).min() <= 0:
            raise ValueError("Curvature must be symmetric with positive eigenvalues (a bowl, not a saddle).")
        self.H, self.center = H, c

    @property
    def dim(self):
        """How many weights the loss takes."""
        return len(self.center)

    def __call__(self, w):
        """The loss at w."""
        d = as_weights(w, self.dim) - self.center
        return float(0.5 * d @ self.H @ d)

    def gradient(self, w):
        """The slope at w: H (w - c), pointing uphill."""
        return self.H @ (as_weights(w, self.dim) - self.center)

    @property
    def max_stable_lr(self):
        """Learning rates below 2 / (largest curvature) converge; above it they diverge."""
        return 2.0 / np.linalg.eigvalsh(self.H).max()


def one_weight_loss():
    """L(w) = (w - 2)^2: a one-weight valley with its bottom at w = 2."""
    return QuadraticLoss([[2.0]], [2.0])


def two_weight_loss():
    """A long narrow valley: L = 1/2 (w1 - 1)^2 + 5 (w2 - 2)^2, ten times steeper along w2."""
    return QuadraticLoss([[1.0, 0.0], [0.0, 10.0]], [1.0, 2.0])


def numerical_gradient(f, w, eps=1e-6):
    """Slope of f at w by central differences: (f(w + eps) - f(w - eps)) / (2 eps), one weight at a time."""
    w = np.atleast_1d(np.asarray(w, dtype=float))
    if not eps > 0:
        raise ValueError(f"eps must be a small positive number; got {eps}.")
    grad = np.zeros_like(w)
    for i in range(len(w)):
        up, down = w.copy(), w.copy()
        up[i] += eps
        down[i] -= eps
        grad[i] = (f(up) - f(down)) / (2 * eps)
    return grad


def relative_error(a, b):
    """Largest |a - b| / max(|a|, |b|, 1e-12) over the entries: how far two gradients disagree."""
    a, b = np.atleast_1d(np.asarray(a, dtype=float)), np.atleast_1d(np.asarray(b, dtype=float))
    return float(np.max(np.abs(a - b) / np.maximum(np.maximum(np.abs(a), np.abs(b)), 1e-12)))


@dataclass
class DescentStep:
    """One gradient descent step: where it started, the slope there, and where it landed."""

    w_before: np.ndarray
    w_after: np.ndarray
    loss_before: float
    loss_after: float
    gradient: np.ndarray
    lr: float


def is_blown_up(loss, w):
    """True when the loss or a weight is no longer a sensible finite number."""
    return (not np.isfinite(loss)) or loss > BLOWN_UP or not np.all(np.abs(w) < BLOWN_UP)


class GradientDescent:
    """Walks downhill on a loss: w <- w - lr * slope(w), one step at a time, keeping the path."""

    def __init__(self, loss, w0, lr):
        self.loss = loss
        self.dim = loss.dim
        self.w0 = as_weights(w0, self.dim)
        self.lr = lr
        self.reset()

    @property
    def lr(self):
        """The learning rate: how far each step goes, as a multiple of the slope."""
        return self._lr

    @lr.setter
    def lr(self, value):
        if not (np.isfinite(value) and value > 0):
            raise ValueError(f"The learning rate must be a positive number; got {value}.")
        self._lr = float(value)

    def reset(self, w0=None):
        """Go back to the start (or to a new start w0) and forget the path."""
        if w0 is not None:
            self.w0 = as_weights(w0, self.dim)
        self.w = self.w0.copy()
        self.path = [self.w.copy()]          # list of (dim,) arrays
        self.losses = [self.loss(self.w)]
        self.steps = []                      # list of DescentStep

    def step(self):
        """Take one step downhill; returns the DescentStep. Raises ValueError once the weights have blown up."""
        if self.status == "blown up":
            raise ValueError("The weights have blown up (the loss is too large to compute); press Reset.")
        g = self.loss.gradient(self.w)
        w_new = self.move(g)
        with np.errstate(over="ignore", invalid="ignore"):
            loss_new = self.loss(w_new) if np.all(np.isfinite(w_new)) else float("inf")
        s = DescentStep(self.w.copy(), w_new.copy(), self.losses[-1], loss_new, g, self.lr)
        self.w = w_new
        self.path.append(w_new.copy())
        self.losses.append(loss_new)
        self.steps.append(s)
        return s

    def move(self, g):
        """Where one step from w goes, given the slope g there: w − lr × g."""
        return self.w - self.lr * g

    def run(self, n):
        """Take up to n steps, stopping early if blown up; returns the steps taken."""
        taken = []
        for _ in range(int(n)):
            if self.status == "blown up":
                break
            taken.append(self.step())
        return taken

    def steps_to_reach(self, level, max_steps=1000):
        """Step until the loss is below level; how many steps that took, or None if it never got there."""
        while not self.losses[-1] < level:
            if len(self.steps) >= max_steps or self.status == "blown up":
                return None
            self.step()
        return len(self.steps)

    @property
    def slope(self):
        """The gradient at the current point."""
        return self.loss.gradient(self.w) if np.all(np.isfinite(self.w)) else np.full(self.dim, np.nan)

    @property
    def status(self):
        """One of 'start', 'blown up', 'converged', 'diverging', 'overshot', 'stalled', 'crawling', 'descending'."""
        return diagnose(self.losses, self.w, self.slope)

    def verdict(self):
        """The status as a plain sentence for the learner."""
        return describe_status(self.status, self.losses)


class AdamDescent(GradientDescent):
    """The same walk with Adam's steps (digitlab.optim.Adam): each weight's step scaled by its own history.

    Where the slope along a weight is always large, Adam's steps along it stay about lr long;
    where it is small, they grow to about lr too. So the steep and the gentle direction of a
    narrow valley are walked at a similar pace, which plain gradient descent cannot do.
    """

    def reset(self, w0=None):
        super().reset(w0)
        self.adam = Adam(self.w.copy(), lr=self.lr)

    def move(self, g):
        """Where one Adam step from w goes, given the slope g there."""
        self.adam.lr = self.lr
        self.adam.step(g)               # moves self.adam.params in place
        return self.adam.params.copy()


def diagnose(losses, w, slope):
    """Classify a run of losses (oldest first) ending at weights w with gradient slope."""
    if is_blown_up(losses[-1], w):
        return "blown up"
    if np.all(np.isfinite(slope)) and np.linalg.norm(slope) < CONVERGED_SLOPE:
        return "converged"
    if len(losses) < 2:
        return "start"
    recent = losses[-(DIVERGING_RUN + 1):]
    if len(recent) == DIVERGING_RUN + 1 and all(b > a for a, b in zip(recent, recent[1:])):
        return "diverging"
    before, after = losses[-2], losses[-1]
    if after > before:
        return "overshot"
    drop = (before - after) / before if before > 0 else 0.0
    if drop <= 1e-9:
        return "stalled"
    if drop < CRAWL_DROP:
        return "crawling"
    return "descending"


def describe_status(status, losses):
    """A sentence saying what the last steps did and what to try."""
    if status == "start":
        return "At the start. Press Step to take a step downhill."
    if status == "blown up":
        return ("DIVERGED: the loss grew past a million million and the weights flew off. "
                "The learning rate is far too large; lower it and press Reset.")
    if status == "converged":
        return f"Converged: the ground is flat here, so this is the bottom (loss {losses[-1]:.4g})."
    if status == "diverging":
        return (f"DIVERGING: the loss went up {DIVERGING_RUN} steps in a row (now {losses[-1]:.4g}). "
                "Each step jumps past the bottom and lands higher. Lower the learning rate and press Reset.")
    if status == "overshot":
        return "The loss went UP: that step jumped past the bottom of the valley. Keep watching, or lower the learning rate."
    drop = 100 * (losses[-2] - losses[-1]) / losses[-2]
    if status == "stalled":
        return ("Stuck: the loss did not go down. The steps bounce from one side of the valley to the other "
                "at the same height. Try a smaller learning rate.")
    if status == "crawling":
        return (f"Crawling: that step lowered the loss by only {drop:.2g} %. "
                "It will get there, slowly; a larger learning rate would be faster.")
    return f"Going downhill: that step lowered the loss by {drop:.3g} %."
