"""Optimisers: the rules that turn gradients into weight changes.

What this is for: two optimisers a learner can compare, written as a few lines of numpy each.
Both work on a flat vector of parameters and a same-shaped vector of gradients (``MLP.params``
and ``MLP.grads``) and update the parameters in place. What it is not: a general library;
there is no weight decay, no parameter groups.

- SGD:  v ← μ·v − lr·g;  θ ← θ + v          (μ = momentum; μ = 0 gives plain gradient descent)
- Adam: m ← β₁·m + (1−β₁)·g;  s ← β₂·s + (1−β₂)·g²;
        θ ← θ − lr · m̂ / (√ŝ + ε),  with m̂ = m/(1−β₁ᵗ), ŝ = s/(1−β₂ᵗ)   (Kingma & Ba, 2015)

The updates are written with ``out=`` buffers so that no temporary arrays are made at each
step; the comment beside each line gives the formula it computes.
"""

from __future__ import annotations

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

    def step(self, grads):
        """Move the parameters one step against the gradient."""
        self.t += 1
        v = self.velocity
        v *= self.momentum                              # v ← μ·v
        v -= self.lr * grads                            # v ← μ·v − lr·g
        self.params += v                                # θ ← θ + v


class Adam(Optimizer):
    """Adam: steps scaled per parameter by running averages of the gradient and its square."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        super().__init__(params, lr)
        self.beta1, self.beta2 = (float(b) for b in betas)
        self.eps = float(eps)
        self.m = np.zeros_like(params)                  # running average of g
        self.s = np.zeros_like(params)                  # running average of g²
        self._buf = np.empty_like(params)

    def step(self, grads):
        """Move the parameters one Adam step."""
        self.t += 1
        b1, b2, m, s, buf = self.beta1, self.beta2, self.m, self.s, self._buf
        np.subtract(grads, m, out=buf)
        buf *= 1 - b1
        m += buf                                         # m ← β₁·m + (1−β₁)·g  (= m + (1−β₁)(g − m))
        s *= b2
        np.multiply(grads, grads, out=buf)
        buf *= 1 - b2
        s += buf                                         # s ← β₂·s + (1−β₂)·g²
        if self.t % 8 == 0:                              # m decays ×0.9 a step where g = 0: flushing every
            flush_denormals(m, buf)                      # 8 steps catches it before it turns denormal
        # θ ← θ − lr·m̂/(√ŝ + ε) with m̂ = m/(1−β₁ᵗ), ŝ = s/(1−β₂ᵗ), the bias corrections folded into
        # two scalars so that the vectors are touched as few times as possible:
        bias1, bias2 = 1 - b1 ** self.t, 1 - b2 ** self.t
        np.sqrt(s, out=buf)
        buf += self.eps * np.sqrt(bias2)                 # √s + ε·√(1−β₂ᵗ)
        np.divide(m, buf, out=buf)
        buf *= self.lr * np.sqrt(bias2) / bias1
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
