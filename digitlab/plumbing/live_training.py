"""A training run that can be watched and stopped: the logic under the training dashboard widget.

What this is for: ``TrainingSession`` wraps ``fit`` for a live display. It is the fit callback:
it records the training and validation curves, decides when a display should redraw (at most
twice a second, less often if drawing is slow, so that drawing takes at most a twentieth of
the time and barely slows training), writes the status line in plain words, and stops
training, keeping the weights learned so far, once ``request_stop()`` has been called (from a
Stop button, say). If the loss blows up it keeps fit's plain message instead of raising.
``run()`` trains in the calling thread; ``await run_async()`` trains in a worker thread so that
a notebook kernel stays free to handle button clicks while the cell waits. What it is not: a
widget (see ``digitlab.widgets.training_dashboard``) or a plot (see ``digitlab.plots.live_curves``).
"""

from __future__ import annotations

import asyncio
import contextvars
import math
import statistics
import threading
import time

from ..training import History, TrainingDiverged, TrainingEvent, fit


class Throttle:
    """Says yes at most once every ``interval`` seconds (always the first time, or when forced)."""

    def __init__(self, interval: float, clock=time.monotonic):
        self.interval = float(interval)
        self.clock = clock
        self.last = None

    def ready(self, force: bool = False) -> bool:
        """True if enough time has passed since the last yes (and count this as a yes)."""
        now = self.clock()
        if force or self.last is None or now - self.last >= self.interval:
            self.last = now
            return True
        return False


def percent_done(step: int, steps: int) -> int:
    """Whole percent of the batches done, rounded down: 100 only when all are done."""
    return 100 * step // steps if steps else 0


class TrainingSession:
    """One run of ``fit`` that records curves, throttles redraws, can be stopped, and explains itself."""

    def __init__(self, model, X, y, *, epochs: int = 5, batch_size: int = 128, validation_data=None,
                 val_name: str = "validation", callback_every: int = 10, status_interval: float = 0.1,
                 redraw_interval: float = 0.5, max_drawing_share: float = 0.05, on_update=None,
                 clock=time.monotonic, **fit_kwargs):
        if epochs < 1 or batch_size < 1 or callback_every < 1:
            raise ValueError("epochs, batch_size and callback_every must each be at least 1")
        if not 0 < max_drawing_share <= 1:
            raise ValueError(f"max_drawing_share is a fraction of the time, above 0 and at most 1; "
                             f"got {max_drawing_share}")
        if "callbacks" in fit_kwargs or "progress" in fit_kwargs:
            raise ValueError("a TrainingSession is fit's callback and progress display; "
                             "don't pass callbacks= or progress=")
        self.model, self.X, self.y = model, X, y
        self.validation_data = validation_data
        self.val_name = val_name
        self.epochs, self.batch_size, self.callback_every = int(epochs), int(batch_size), int(callback_every)
        self.fit_kwargs = fit_kwargs
        self.num_images = len(X)
        self.batches_per_epoch = math.ceil(self.num_images / self.batch_size)
        self.steps = self.epochs * self.batches_per_epoch
        self.on_update = on_update
        self.clock = clock
        self.status_throttle = Throttle(status_interval, clock)
        self.redraw_throttle = Throttle(redraw_interval, clock)
        self.redraw_interval, self.max_drawing_share = float(redraw_interval), float(max_drawing_share)
        self.drawing_seconds: list = []  # how long each redraw took
        self.state = "ready"  # then "training", "stopping"; ends "stopped", "finished", "diverged" or "failed"
        self.step, self.epoch = 0, 0
        self.history: History | None = None
        self.message = ""
        self.seconds = 0.0
        self._started = None
        self._stop = threading.Event()
        self._lock = threading.Lock()  # the Stop button and the training thread both change state
        self._last = (0, 0.0, 0.0)  # (images seen this epoch, mean loss, accuracy) at the last event
        # Training points are the loss and accuracy over the batches since the previous event;
        # validation points come at the end of each epoch. x is in epochs (1.5 = halfway through epoch 2).
        self.curves = {"train_x": [], "train_loss": [], "train_accuracy": [],
                       "val_x": [], "val_loss": [], "val_accuracy": []}

    # ---- asking it to stop --------------------------------------------------------------------

    def request_stop(self) -> None:
        """Ask training to stop after the current few batches; the weights learned so far are kept."""
        self._stop.set()
        with self._lock:
            stopping = self.state == "training"
            if stopping:
                self.state = "stopping"
        if stopping:
            self._notify(redraw=False)

    @property
    def stop_requested(self) -> bool:
        return self._stop.is_set()

    # ---- the fit callback ---------------------------------------------------------------------

    def callback(self, event: TrainingEvent) -> bool:
        """Record the event, update a display when due, and return True if training should stop."""
        self.step, self.epoch, self.history = event.step, event.epoch, event.history
        if event.kind == "batch":
            self._record_batches(event)
            redraw = self.redraw_throttle.ready()
            if redraw or self.status_throttle.ready():
                self._notify(redraw=redraw)
        else:
            self._record_epoch_end(event.history)
            self._last = (0, 0.0, 0.0)
            self.status_throttle.ready(force=True)
            self._notify(redraw=self.redraw_throttle.ready())
        return self.stop_requested

    def _record_batches(self, event):
        """Add one training point: loss and accuracy over the batches since the last event."""
        start = (event.epoch - 1) * self.batches_per_epoch
        seen = min((event.step - start) * self.batch_size, self.num_images)  # only an epoch's last batch is short
        seen_before, loss_before, acc_before = self._last
        new = seen - seen_before
        if new <= 0:
            return
        self.curves["train_x"].append(event.step / self.batches_per_epoch)
        self.curves["train_loss"].append((event.loss * seen - loss_before * seen_before) / new)
        self.curves["train_accuracy"].append((event.accuracy * seen - acc_before * seen_before) / new)
        self._last = (seen, event.loss, event.accuracy)

    def _record_epoch_end(self, history):
        """Add the validation points fit measured at the end of each epoch not recorded yet."""
        for i in range(len(self.curves["val_x"]), len(history.val_accuracy)):
            x = min(self.step / self.batches_per_epoch, i + 1)
            self.curves["val_x"].append(x)
            self.curves["val_loss"].append(history.val_loss[i])
            self.curves["val_accuracy"].append(history.val_accuracy[i])

    def _notify(self, redraw: bool) -> None:
        """Tell the display; if redrawing is slow, redraw less often (at most max_drawing_share of the time)."""
        if self._started is not None:
            self.seconds = self.clock() - self._started
        if self.on_update is not None:
            started = self.clock()
            self.on_update(self, redraw)
            if redraw:  # the next redraw is due an interval after this one ended
                ended = self.clock()
                self.drawing_seconds.append(ended - started)
                typical = statistics.median(self.drawing_seconds[-5:])  # one slow redraw is not a trend
                self.redraw_throttle.interval = max(self.redraw_interval, typical / self.max_drawing_share)
                self.redraw_throttle.last = ended

    # ---- running ------------------------------------------------------------------------------

    def run(self) -> History | None:
        """Train in this thread until done, stopped or diverged; return fit's History."""
        if self.state != "ready":
            raise ValueError("this session has already trained; make a new one to train again")
        self.state = "training"
        self._started = self.clock()
        self._notify(redraw=True)
        try:
            self.history = fit(self.model, self.X, self.y, epochs=self.epochs, batch_size=self.batch_size,
                               validation_data=self.validation_data, callbacks=[self.callback],
                               callback_every=self.callback_every, progress=False, **self.fit_kwargs)
        except TrainingDiverged as e:
            if self.history is None:  # it blew up before the first report: nothing was recorded
                self.history = History()
            self._finish("diverged", str(e))
        except BaseException as e:
            self._finish("failed", f"{type(e).__name__}: {e}")
            raise
        else:
            self._record_epoch_end(self.history)  # a stopped run's last, partial epoch is scored too
            self._finish("stopped" if self.step < self.steps else "finished")
        return self.history

    def _finish(self, state, message=""):
        with self._lock:
            self.state, self.message = state, message
            self.X = self.y = self.validation_data = None  # a session trains once: let go of the images
        self._notify(redraw=True)

    async def run_async(self, poll: float = 0.05) -> History | None:
        """Train in a worker thread; awaiting it keeps the kernel free for clicks while the cell waits.

        The wait wakes every ``poll`` seconds: a kernel interrupt (the ■ button) is only noticed
        when the waiting thread wakes. If the wait is interrupted or cancelled, training is asked
        to stop and the worker is waited for, so that nothing trains on behind the reader's back.
        """
        outcome = {}

        def work():
            try:
                outcome["history"] = self.run()
            except BaseException as e:  # handed to the waiting cell below
                outcome["error"] = e

        context = contextvars.copy_context()  # the kernel routes output by context: keep the cell's
        thread = threading.Thread(target=context.run, args=(work,), name="digitlab-training", daemon=True)
        thread.start()
        try:
            while thread.is_alive():
                await asyncio.sleep(poll)
        except BaseException:
            self.request_stop()
            thread.join()
            raise
        if "error" in outcome:
            raise outcome["error"]
        return outcome["history"]

    # ---- words --------------------------------------------------------------------------------

    def status(self) -> str:
        """The status line in plain words, e.g. 'Epoch 2 of 5 — 61% done — validation accuracy 97.1%'."""
        val = self.curves["val_accuracy"]
        score = f"{self.val_name} accuracy {val[-1]:.1%}" if val else None
        if self.state == "ready":
            return (f"Ready to train: {self.epochs} epoch{'s' * (self.epochs != 1)} of "
                    f"{self.batches_per_epoch:,} batches ({self.num_images:,} images, {self.batch_size} per batch)")
        if self.state == "training":
            if score is None and self.curves["train_accuracy"]:
                score = f"training accuracy {self.curves['train_accuracy'][-1]:.1%}"
            parts = [f"Epoch {max(self.epoch, 1)} of {self.epochs}", f"{percent_done(self.step, self.steps)}% done"]
            return " — ".join(parts + ([score] if score else []))
        if self.state == "stopping":
            return f"Stopping after {self.step:,} batches…"
        if self.state == "stopped":
            text = f"Stopped after {self.step:,} batches: the weights learned so far are kept"
            return text + (f" — {score}" if score else "")
        if self.state == "finished":
            text = (f"Done: {self.epochs} epoch{'s' * (self.epochs != 1)} ({self.steps:,} batches) "
                    f"in {self.seconds:.0f} s")
            return text + (f" — {score}" if score else "")
        if self.state == "diverged":
            return self.message
        return f"Training failed: {self.message}"
