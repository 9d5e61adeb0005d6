"""Training: mini-batch gradient descent over a data set, epoch after epoch.

What this is for: ``fit(model, X, y)``, the loop every notebook trains with. Each epoch shuffles
the training images and cuts them into mini-batches; for each batch the network runs forward,
backpropagates the loss, and the optimiser moves the weights. The loop itself is the first
function below, short enough to read in one go. Around it, one line each, a ``Watch`` does the
bookkeeping: it keeps the history of loss and accuracy, shows a progress bar, calls your
callbacks (for live plots, or to stop early), applies the learning-rate schedule, chooses how
many CPU cores the matrix products use, and stops with a plain message if the loss blows up.
What it is not: a framework, or optimised; there are no checkpoints or distributed tricks.

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
from .plumbing.checks import as_batch, as_labels, as_positive_int, unit_range
from .plumbing.memory import give_back_freed_memory, reuse_freed_memory
from .plumbing.progress import progress_bar
from .plumbing.threads import BlasThreads

BLOW_UP = 10  # a loss this many times what random guessing gives means training has blown up


def fit(model: MLP, X, y, *, epochs: int = 10, batch_size: int = 128, optimizer="adam", lr: float = 1e-3,
        schedule="constant", validation_data=None, augment=None, callbacks=(), callback_every: int = 50,
        progress: bool = True, seed: int = 0, blas_threads: int | None = None, **optimizer_kwargs) -> History:
    """Train ``model`` on images X and labels y by mini-batch gradient descent; return the History.

    optimizer: "adam", "sgd" (``momentum=`` may follow) or an ``optim.Optimizer``.
    schedule: "constant", "cosine", or a function of progress in [0, 1] giving the lr multiplier.
    validation_data: (X_val, y_val), scored at the end of each epoch.
    augment: function (batch (B, 784) float32 in [0, 1], rng) -> changed batch, applied per batch.
    blas_threads: matrix-product threads while training; None chooses between all cores and one
    by timing batches as it goes (see ``digitlab.plumbing.threads``).
    """
    X, y, validation_data = check_training_data(model, X, y, validation_data, epochs, batch_size)
    opt = make_optimizer(optimizer, model.params, lr, **optimizer_kwargs)
    rng = np.random.default_rng(seed)
    with Watch(model, opt, len(X), epochs, batch_size, schedule, validation_data,
               callbacks, callback_every, progress, blas_threads) as watch:
        for epoch in range(1, epochs + 1):
            order = rng.permutation(len(X))                       # 1. shuffle the training set
            for start in range(0, len(X), batch_size):
                batch = order[start:start + batch_size]           # 2. take the next mini-batch
                Xb, yb = unit_range(X[batch]), y[batch]
                if augment is not None:
                    Xb = augment(Xb, rng)
                activations = model.forward(Xb)                   # 3. forward: the predictions
                loss = cross_entropy(activations[-1], yb)
                model.backward(activations, yb)                   # 4. backward: the gradients
                opt.lr = watch.scheduled_lr()
                opt.step(model.grads)                             # 5. step: move every weight downhill
                if watch.batch_done(loss, activations[-1], yb):   # 6. record (and stop if asked)
                    break
            if watch.epoch_done():
                break
    return watch.history


def evaluate(model: MLP, X, y, batch_size: int = 2000):
    """(mean loss, accuracy) of the model on images X and labels y, in batches to save memory."""
    X = as_batch(X, model.sizes[0], keep_uint8=True)
    y = as_labels(y, len(X), classes=model.sizes[-1])
    if len(X) == 0:
        raise ValueError("there is nothing to evaluate on: X is empty")
    P = model.predict_proba(X, batch_size)
    return cross_entropy(P, y), float((P.argmax(axis=1) == y).mean())


def check_training_data(model, X, y, validation_data, epochs, batch_size):
    """Everything fit is given, checked before any work: (X, y, validation_data), else ValueError."""
    as_positive_int(epochs, "epochs")
    as_positive_int(batch_size, "batch_size")
    X = as_batch(X, model.sizes[0], keep_uint8=True)              # uint8 stays uint8: a quarter of the memory
    y = as_labels(y, len(X), classes=model.sizes[-1])
    if len(X) == 0:
        raise ValueError("there is nothing to train on: X is empty")
    if validation_data is not None:
        X_val = as_batch(validation_data[0], model.sizes[0], "validation images", keep_uint8=True)
        validation_data = X_val, as_labels(validation_data[1], len(X_val), "validation labels", model.sizes[-1])
    return X, y, validation_data


def cosine_schedule(progress: float) -> float:
    """Learning-rate multiplier that glides from 1 to 0 along half a cosine; progress in [0, 1]."""
    return 0.5 * (1 + math.cos(math.pi * min(max(progress, 0.0), 1.0)))


SCHEDULES = {"constant": lambda progress: 1.0, "cosine": cosine_schedule}


# ---- what training records and tells ---------------------------------------------------------

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

    def summary(self) -> str:
        """What the run achieved, in plain words: epochs, accuracies, the best validation epoch."""
        if not self.loss:
            return ("No epoch was finished: training stopped or blew up during the first epoch.\n"
                    "Train again (with a smaller learning rate if it blew up).")
        lines = [f"epochs trained: {len(self.loss)}"
                 + (" (training was stopped during the last one)" if self.stopped_early else ""),
                 f"training accuracy in the last epoch:      {self.accuracy[-1]:.2%}"]
        if self.val_accuracy:
            best, lowest = int(np.argmax(self.val_accuracy)), int(np.argmin(self.val_loss))
            lines += [f"validation accuracy after the last epoch: {self.val_accuracy[-1]:.2%}",
                      f"best validation accuracy: {self.val_accuracy[best]:.2%}, after epoch {best + 1}",
                      f"lowest validation loss: {self.val_loss[lowest]:.3f}, after epoch {lowest + 1}"]
        return "\n".join(lines)

    def as_dict(self) -> dict:
        """The lists by name, e.g. for plotting or saving as metadata."""
        return {k: list(getattr(self, k)) for k in ("loss", "accuracy", "val_loss", "val_accuracy", "lr", "seconds")}


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


# ---- the bookkeeping around the loop -----------------------------------------------------------

class Watch:
    """Everything fit does besides learning: history, progress bar, callbacks, schedule, threads, blow-ups."""

    def __init__(self, model, opt, n, epochs, batch_size, schedule, validation_data, callbacks,
                 callback_every, progress, blas_threads):
        self.model, self.opt, self.epochs = model, opt, epochs
        self.base_lr = opt.lr
        self.schedule = SCHEDULES[schedule] if isinstance(schedule, str) else schedule
        self.validation_data = validation_data
        self.callbacks = [callbacks] if callable(callbacks) else list(callbacks)
        self.callback_every = as_positive_int(callback_every, "callback_every")
        self.batches_per_epoch = math.ceil(n / batch_size)
        self.steps = epochs * self.batches_per_epoch
        self.chance_loss = math.log(model.sizes[-1])             # the loss of guessing at random
        self.blow_up = None                                       # set from the first batch's loss
        self.history = History()
        self.step = 0
        self.epoch = 1
        self.stop = False
        self.threads = BlasThreads(blas_threads)
        self.bar = progress_bar(self.steps, progress, unit="batch", desc="training")
        self._start_epoch()

    def __enter__(self):
        reuse_freed_memory()
        self.threads.__enter__()
        self.bar.__enter__()
        return self

    def __exit__(self, *exc):
        self.bar.__exit__(*exc)
        give_back_freed_memory()                                  # training's spare memory, back to the system
        return self.threads.__exit__(*exc)

    def _start_epoch(self):
        self.started = self.batch_started = time.perf_counter()
        self.saved = self.model.params.copy()                     # put back if the loss blows up
        self.loss_sum, self.correct, self.seen = 0.0, 0, 0

    def scheduled_lr(self) -> float:
        """The learning rate for this step: the base rate times the schedule at this point of training."""
        return self.base_lr * self.schedule(self.step / self.steps)

    def batch_done(self, loss: float, P, yb) -> bool:
        """Record one batch; raise TrainingDiverged if the loss blew up; True if a callback asks to stop."""
        if self.blow_up is None:
            self.blow_up = BLOW_UP * max(loss, self.chance_loss)
        if not loss < self.blow_up:                               # NaN, infinite, or far worse than guessing
            self._diverged(f"the loss became {loss:.4g} at epoch {self.epoch}, batch "
                           f"{self.step - (self.epoch - 1) * self.batches_per_epoch + 1}, more than "
                           f"{BLOW_UP} times {self.blow_up / BLOW_UP:.2f} "
                           f"(what guessing at random gives, or the first batch's loss if higher)")
        now = time.perf_counter()
        self.threads.batch_done(now - self.batch_started)
        self.batch_started = now
        self.step += 1
        self.loss_sum += loss * len(yb)
        self.correct += int((P.argmax(axis=1) == yb).sum())
        self.seen += len(yb)
        self.bar.update(1)
        if self.callbacks and self.step % self.callback_every == 0:
            self.stop = self._tell("batch", self.loss_sum / self.seen, self.correct / self.seen)
        return self.stop

    def epoch_done(self) -> bool:
        """Record the epoch (and score the validation set); True when training should end now."""
        if not np.isfinite(self.model.params).all():
            self._diverged(f"the weights became infinite in epoch {self.epoch}")
        h = self.history
        h.loss.append(self.loss_sum / self.seen)
        h.accuracy.append(self.correct / self.seen)
        h.lr.append(self.opt.lr)
        if self.validation_data is not None:
            val_loss, val_accuracy = evaluate(self.model, *self.validation_data)
            h.val_loss.append(val_loss)
            h.val_accuracy.append(val_accuracy)
        h.seconds.append(time.perf_counter() - self.started)
        self.bar.set_postfix(self._postfix(), refresh=False)
        if self.stop:
            h.stopped_early = True
            return True
        if self.callbacks and self._tell("epoch", h.loss[-1], h.accuracy[-1]):
            h.stopped_early = self.epoch < self.epochs
            return True
        self.epoch += 1
        self._start_epoch()
        return False

    def _tell(self, kind, loss, accuracy) -> bool:
        event = TrainingEvent(kind, self.epoch, self.epochs, self.step, self.steps, loss, accuracy,
                              self.history, self.model)
        return any([bool(cb(event)) for cb in self.callbacks])  # a list: every callback hears every event

    def _diverged(self, what):
        self.model.params[...] = self.saved
        raise TrainingDiverged(
            f"Training stopped: {what}. The learning rate (lr={self.base_lr:g}) is probably too high; "
            f"try a smaller one, e.g. lr={self.base_lr / 10:g}. The weights were put back as they were "
            f"at the start of epoch {self.epoch}.")

    def _postfix(self) -> dict:
        h = self.history
        shown = {"loss": f"{h.loss[-1]:.4f}", "acc": f"{h.accuracy[-1]:.4f}"}
        if h.val_accuracy:
            shown["val_acc"] = f"{h.val_accuracy[-1]:.4f}"
        return shown
