"""Optimisers: the rules that turn gradients into weight changes.

What this is for: two optimisers a learner can compare, written as the textbook writes them.
Both work on a flat vector of parameters and a same-shaped vector of gradients (``MLP.params``
and ``MLP.grads``) and update the parameters in place. What it is not: a general library, or
optimised; there is no weight decay, no parameter groups.

- SGD:  v ← μ·v − lr·g;  θ ← θ + v          (μ = momentum; μ = 0 gives plain gradient descent)
- Adam: m ← β₁·m + (1−β₁)·g;  v ← β₂·v + (1−β₂)·g²;
        m̂ = m / (1−β₁ᵗ);  v̂ = v / (1−β₂ᵗ);  θ ← θ − lr · m̂ / (√v̂ + ε)      (Kingma & Ba, 2015)

In-place updates (``θ -= ...``, ``m *= β₁``) change the arrays the model holds instead of making
new ones: that is how the step reaches ``MLP.params``.
"""

from __future__ import annotations

import numpy as np


class Optimizer:
    """Base class: holds the parameters, the learning rate and the number of steps taken."""

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
        self.velocity *= self.momentum
        self.velocity -= self.lr * grads               # v ← μ·v − lr·g
        self.params += self.velocity                   # θ ← θ + v  (in place)


class Adam(Optimizer):
    """Adam: steps scaled per parameter by running averages of the gradient (m) and its square (v)."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        super().__init__(params, lr)
        self.beta1, self.beta2 = (float(b) for b in betas)
        self.eps = float(eps)
        self.m = np.zeros_like(params)                 # running average of the gradient
        self.v = np.zeros_like(params)                 # running average of the squared gradient

    def step(self, grads):
        """Move the parameters one Adam step."""
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        self.m *= b1
        self.m += (1 - b1) * grads                     # m ← β₁·m + (1−β₁)·g
        self.v *= b2
        self.v += (1 - b2) * grads ** 2                # v ← β₂·v + (1−β₂)·g²
        m_hat = self.m / (1 - b1 ** self.t)            # bias correction: m and v start at 0
        v_hat = self.v / (1 - b2 ** self.t)
        self.params -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)   # θ ← θ − lr·m̂/(√v̂ + ε)


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
