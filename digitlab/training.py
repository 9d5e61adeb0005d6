"""Training: mini-batch gradient descent over a data set, epoch after epoch.

What this is for: ``fit(model, X, y)``, the loop every notebook trains with. Each epoch shuffles
the training images, cuts them into mini-batches, and for each batch runs the network forward,
backpropagates the loss and lets the optimiser move the weights. It keeps a history of loss and
accuracy, shows a progress bar, calls your callbacks (for live plots, or to stop early), and
stops with a plain message if the loss blows up: NaN, infinite, or more than ten times the loss
of guessing at random (ln 10 ≈ 2.3 for ten digits; or ten times the first batch's loss, if that
is higher), the sign of a learning rate far too high. What it is not: a framework; there are no
checkpoints or distributed tricks.

Callbacks receive a ``TrainingEvent`` every ``callback_every`` batches and at the end of every
epoch; a callback that returns True stops training after the current batch, keeping the
weights learned so far.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from .network import MLP, cross_entropy
from .optim import make_optimizer
from .threads import BlasThreads


class TrainingDiverged(ValueError):
    """Raised when the loss blows up (NaN, infinite, or 10× chance level); the weights are put back."""


@dataclass
class History:
    """Per-epoch training record: lists of loss and accuracy (and validation, when given)."""

    loss: list = field(default_factory=list)
    accuracy: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    val_accuracy: list = field(default_factory=list)
    lr: list = field(default_factory=list)
    seconds: list = field(default_factory=list)
    stopped_early: bool = False

    def __getitem__(self, key):
        if key not in self.keys():
            raise KeyError(key)
        return getattr(self, key)

    def __contains__(self, key):
        return key in self.keys()

    def keys(self):
        """The names of the recorded lists."""
        return ["loss", "accuracy", "val_loss", "val_accuracy", "lr", "seconds"]

    def as_dict(self) -> dict:
        """The lists by name, e.g. for plotting or saving as metadata."""
        return {k: list(getattr(self, k)) for k in self.keys()}


@dataclass
class TrainingEvent:
    """What a callback is told: where training is and how it is going."""

    kind: str            # "batch" (every callback_every batches) or "epoch" (end of an epoch)
    epoch: int           # 1-based
    epochs: int
    step: int            # batches done so far, over all epochs
    steps: int           # batches in the whole run
    loss: float          # mean training loss since the start of this epoch
    accuracy: float      # training accuracy since the start of this epoch
    history: History
    model: MLP


def cosine_schedule(progress: float) -> float:
    """Learning-rate multiplier that glides from 1 to 0 along half a cosine; progress in [0, 1]."""
    return 0.5 * (1 + math.cos(math.pi * min(max(progress, 0.0), 1.0)))


SCHEDULES = {"constant": lambda progress: 1.0, "cosine": cosine_schedule}


def evaluate(model: MLP, X, y, batch_size: int = 2000):
    """(mean loss, accuracy) of the model on images X and labels y, in batches to save memory."""
    X, y = model.as_batch(X), _as_labels(y, model.sizes[-1])
    total_loss, correct = 0.0, 0
    for i in range(0, len(X), batch_size):
        P = model.predict_proba(X[i:i + batch_size])
        total_loss += cross_entropy(P, y[i:i + batch_size]) * len(P)
        correct += int((P.argmax(axis=1) == y[i:i + batch_size]).sum())
    return total_loss / len(X), correct / len(X)


def _images_for_training(model: MLP, X):
    """Checked images as (N, inputs): uint8 images stay uint8 (a quarter of the memory), others float32."""
    X = np.asarray(X)
    if X.dtype != np.uint8:
        return model.as_batch(X)
    model.as_batch(X[:1])                                      # checks the shape, with the usual message
    return np.ascontiguousarray(X.reshape(len(X), -1))


def _as_labels(y, num_classes):
    y = np.asarray(y)
    if y.ndim != 1 or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"labels must be a 1-D array of integers, got shape {y.shape} and type {y.dtype}")
    if len(y) and (y.min() < 0 or y.max() >= num_classes):
        raise ValueError(f"labels must lie in 0..{num_classes - 1}")
    return y.astype(np.intp)


def fit(model: MLP, X, y, *, epochs: int = 10, batch_size: int = 128, optimizer="adam", lr: float = 1e-3,
        schedule="constant", validation_data=None, augment=None, callbacks=(), callback_every: int = 50,
        progress: bool = True, seed: int = 0, blas_threads: int | None = None, **optimizer_kwargs) -> History:
    """Train ``model`` on images X and labels y by mini-batch gradient descent; return the History.

    optimizer: "adam", "sgd" (``momentum=`` may follow) or an ``optim.Optimizer``.
    schedule: "constant", "cosine", or a function of progress in [0, 1] giving the lr multiplier.
    validation_data: (X_val, y_val), scored at the end of each epoch.
    augment: function (batch images (B, 28, 28) float32, rng) -> changed images, applied per batch.
    blas_threads: matrix-product threads while training; None chooses between all cores and one
    by timing batches as it goes (see ``digitlab.threads``).
    """
    X = _images_for_training(model, X)                         # (N, 784) float32, or uint8 0..255
    y = _as_labels(y, model.sizes[-1])
    if len(X) != len(y):
        raise ValueError(f"{len(X)} images but {len(y)} labels")
    if len(X) == 0:
        raise ValueError("there is nothing to train on: X is empty")
    if epochs < 1 or batch_size < 1:
        raise ValueError("epochs and batch_size must be at least 1")
    if validation_data is not None:
        X_val, y_val = model.as_batch(validation_data[0]), _as_labels(validation_data[1], model.sizes[-1])
    opt = make_optimizer(optimizer, model.params, lr, **optimizer_kwargs)
    schedule_fn = SCHEDULES[schedule] if isinstance(schedule, str) else schedule
    base_lr = opt.lr
    callbacks = [callbacks] if callable(callbacks) else list(callbacks)
    rng = np.random.default_rng(seed)
    history = History()
    batches_per_epoch = math.ceil(len(X) / batch_size)
    steps = epochs * batches_per_epoch
    side = int(round(math.sqrt(model.sizes[0])))
    batch_X = np.empty((batch_size, model.sizes[0]), np.float32)  # reused for every batch
    batch_uint8 = np.empty((batch_size, model.sizes[0]), np.uint8) if X.dtype == np.uint8 else None

    with BlasThreads(blas_threads) as threads, _progress_bar(steps, progress) as bar:
        step = 0
        for epoch in range(1, epochs + 1):
            started = time.perf_counter()
            saved = model.params.copy()                        # to restore if the loss blows up
            order = rng.permutation(len(X))
            loss_sum, correct, seen = 0.0, 0, 0
            stop = False
            for i in range(0, len(X), batch_size):
                batch_started = time.perf_counter()
                idx = order[i:i + batch_size]
                if batch_uint8 is None:
                    Xb = np.take(X, idx, axis=0, out=batch_X[:len(idx)])
                else:                                          # scaled to [0, 1] one batch at a time
                    Xb = np.multiply(np.take(X, idx, axis=0, out=batch_uint8[:len(idx)]), np.float32(1 / 255),
                                     out=batch_X[:len(idx)])
                if augment is not None:
                    Xb = np.ascontiguousarray(augment(Xb.reshape(-1, side, side), rng),
                                              dtype=np.float32).reshape(len(idx), -1)
                yb = y[idx]
                opt.lr = base_lr * schedule_fn(step / steps)
                activations = model.forward(Xb)
                P = activations[-1]
                loss = cross_entropy(P, yb)
                if step == 0:
                    blow_up = 10 * max(loss, math.log(model.sizes[-1]))
                if not loss < blow_up:  # NaN, infinite, or ten times worse than guessing at random
                    model.params[...] = saved
                    raise TrainingDiverged(
                        f"Training stopped: the loss became {loss:.4g} at epoch {epoch}, batch {i // batch_size + 1}, "
                        f"more than ten times what guessing at random gives ({math.log(model.sizes[-1]):.2f}). "
                        f"The learning rate (lr={base_lr:g}) is probably too high; try a smaller one, "
                        f"e.g. lr={base_lr / 10:g}. The weights were put back as they were at the start "
                        f"of epoch {epoch}.")
                model.backward(activations, yb)
                opt.step(model.grads)
                threads.batch_done(time.perf_counter() - batch_started)
                step += 1
                loss_sum += loss * len(idx)
                correct += int((P.argmax(axis=1) == yb).sum())
                seen += len(idx)
                bar.update(1)
                if callbacks and step % callback_every == 0:
                    event = TrainingEvent("batch", epoch, epochs, step, steps, loss_sum / seen,
                                          correct / seen, history, model)
                    stop = any([bool(cb(event)) for cb in callbacks])
                    if stop:
                        break
            if not np.isfinite(model.params).all():
                model.params[...] = saved
                raise TrainingDiverged(
                    f"Training stopped: the weights became infinite in epoch {epoch}. The learning rate "
                    f"(lr={base_lr:g}) is too high. The weights were put back as they were at the start of the epoch.")
            history.loss.append(loss_sum / seen)
            history.accuracy.append(correct / seen)
            history.lr.append(opt.lr)
            if validation_data is not None:
                val_loss, val_acc = evaluate(model, X_val, y_val)
                history.val_loss.append(val_loss)
                history.val_accuracy.append(val_acc)
            history.seconds.append(time.perf_counter() - started)
            bar.set_postfix(_postfix(history), refresh=False)
            if stop:
                history.stopped_early = True
                break
            if callbacks:
                event = TrainingEvent("epoch", epoch, epochs, step, steps, history.loss[-1],
                                      history.accuracy[-1], history, model)
                if any([bool(cb(event)) for cb in callbacks]):
                    history.stopped_early = epoch < epochs
                    break
    return history


def _postfix(history: History) -> dict:
    shown = {"loss": f"{history.loss[-1]:.4f}", "acc": f"{history.accuracy[-1]:.4f}"}
    if history.val_accuracy:
        shown["val_acc"] = f"{history.val_accuracy[-1]:.4f}"
    return shown


class _NoBar:
    def update(self, n=1):
        pass

    def set_postfix(self, *args, **kwargs):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _progress_bar(steps: int, progress: bool):
    if not progress:
        return _NoBar()
    from tqdm.auto import tqdm
    return tqdm(total=steps, unit="batch", desc="training", mininterval=0.25)

