"""Optimisers: the rules that turn gradients into weight changes.

What this is for: two optimisers a learner can compare, written as a few lines of numpy each.
Both work on a flat vector of parameters and a same-shaped vector of gradients (``MLP.params``
and ``MLP.grads``) and update the parameters in place. What it is not: a general library;
there is no weight decay, no parameter groups.

- SGD:  v ← μ·v − lr·g;  θ ← θ + v          (μ = momentum; μ = 0 gives plain gradient descent)
- Adam: m ← β₁·m + (1−β₁)·g;  s ← β₂·s + (1−β₂)·g²;
        θ ← θ − lr · m̂ / (√ŝ + ε),  with m̂ = m/(1−β₁ᵗ), ŝ = s/(1−β₂ᵗ)   (Kingma & Ba, 2015)

Training spends a good part of its time here, so the updates are written with ``out=``
buffers (no temporary arrays at each step) and Adam's scalar factors are gathered so that the
vectors are touched as few times as possible; the comment beside each line gives the formula
it computes, and tests/test_optim.py checks it against the plain textbook version.
"""

from __future__ import annotations

import math

import numpy as np

# Adam's running average of the gradient decays towards zero for parameters whose gradient is
# zero (weights from pixels that are always blank, or into a ReLU unit that never fires). Below ~1e-38 float32 numbers become "denormal",
# and arithmetic on them is many times slower on most CPUs. Adding and then subtracting this
# constant rounds anything smaller than ~5e-38 to exactly zero and leaves other values as
# they are, to float32 precision.
_FLUSH = np.float32(2.0 ** -100)


def flush_denormals(x: np.ndarray, buf: np.ndarray) -> None:
    """Set entries of x too small to matter (|x| < ~5e-38) to exactly zero, in place."""
    np.add(x, _FLUSH, out=buf)
    np.subtract(buf, _FLUSH, out=x)


class Optimizer:
    """Base class: holds the learning rate and counts steps."""

    def __init__(self, params: np.ndarray, lr: float):
        if not (np.isfinite(lr) and lr > 0):
            raise ValueError(f"the learning rate must be a positive number, not {lr}")
        self.params = params
        self.lr = float(lr)
        self.t = 0  # steps taken

    def step(self, grads: np.ndarray) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum."""

    def __init__(self, params, lr=0.1, momentum=0.0):
        super().__init__(params, lr)
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum must be in [0, 1), not {momentum}")
        self.momentum = float(momentum)
        self.velocity = np.zeros_like(params)
        self._buf = np.empty_like(params)

    def step(self, grads):
        """Move the parameters one step against the gradient."""
        self.t += 1
        v = self.velocity
        v *= self.momentum                              # v ← μ·v
        np.multiply(grads, self.lr, out=self._buf)
        v -= self._buf                                  # v ← μ·v − lr·g
        self.params += v                                # θ ← θ + v


class Adam(Optimizer):
    """Adam: steps scaled per parameter by running averages of the gradient and its square."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        super().__init__(params, lr)
        self.beta1, self.beta2 = (float(b) for b in betas)
        self.eps = float(eps)
        # To save work we keep the averages without their (1−β) factors: M = m/(1−β₁), S = s/(1−β₂).
        # Then M ← β₁·M + g and S ← β₂·S + g², and the factors come back in the step size below.
        self.M = np.zeros_like(params)
        self.S = np.zeros_like(params)
        self._buf = np.empty_like(params)

    @property
    def m(self):
        """Running average of the gradient, m (as in the paper)."""
        return (1 - self.beta1) * self.M

    @property
    def s(self):
        """Running average of the squared gradient, s (as in the paper)."""
        return (1 - self.beta2) * self.S

    def step(self, grads):
        """Move the parameters one Adam step."""
        self.t += 1
        b1, b2, M, S, buf = self.beta1, self.beta2, self.M, self.S, self._buf
        M *= b1
        M += grads                                       # M ← β₁·M + g
        np.multiply(grads, grads, out=buf)
        S *= b2
        S += buf                                         # S ← β₂·S + g²
        if self.t % 8 == 0:                              # M decays ×0.9 a step where g = 0: flushing every
            flush_denormals(M, buf)                      # 8 steps catches it before it turns denormal
        # θ ← θ − lr·m̂/(√ŝ + ε), with m̂ = (1−β₁)·M/(1−β₁ᵗ) and ŝ = (1−β₂)·S/(1−β₂ᵗ). Written as
        # θ ← θ − a·M/(√S + e), all the scalar factors gathered in a and e:
        c = math.sqrt((1 - b2) / (1 - b2 ** self.t))    # √ŝ = c·√S (a Python float: a numpy float64
                                                         # here would make numpy compute in float64)
        a = self.lr * (1 - b1) / (1 - b1 ** self.t) / c
        np.sqrt(S, out=buf)
        buf += self.eps / c                              # √S + ε/c
        np.divide(M, buf, out=buf)
        buf *= a
        self.params -= buf


OPTIMIZERS = {"sgd": SGD, "adam": Adam}


def make_optimizer(name_or_optimizer, params, lr, **kwargs) -> Optimizer:
    """An optimiser from its name ("sgd", "adam") or an Optimizer already built."""
    if isinstance(name_or_optimizer, Optimizer):
        return name_or_optimizer
    try:
        cls = OPTIMIZERS[str(name_or_optimizer).lower()]
    except KeyError:
        raise ValueError(f"unknown optimizer {name_or_optimizer!r}; choose one of {sorted(OPTIMIZERS)}") from None
    return cls(params, lr=lr, **kwargs)
