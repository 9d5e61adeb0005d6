"""Widget for notebook 06: train a network live, watch its curves, and stop it when you like.

TrainingDashboard shows a progress bar, a Stop button, a status line in plain words and the
loss and accuracy curves (training and validation), redrawn in place as a PNG in one Image
widget a couple of times a second. Run it with ``history = await dashboard.train()``: training
runs in a worker thread while the cell waits, so the kernel still hears the Stop button (on
ipykernel 7.4 or newer) and the cells below run only once training has ended. All logic is in
digitlab.plumbing.live_training; CSS classes (dl-...) are for tests.
"""

from __future__ import annotations

import html
import threading

import ipywidgets as ipw

from ..plots.live_curves import LiveCurves
from ..plumbing.live_training import TrainingSession
from .controls import button, figure_image, html_text, lines, row
from .theme import BAD, GOOD, TEXT

STATE_COLORS = {"stopped": TEXT, "finished": GOOD, "diverged": BAD, "failed": BAD}


class TrainingDashboard(ipw.VBox):
    """Progress bar, Stop button, status line and live curves for one training run of ``model``."""

    def __init__(self, model, X, y, *, epochs=5, validation_data=None, val_name="validation", **fit_kwargs):
        self.session = TrainingSession(model, X, y, epochs=epochs, validation_data=validation_data,
                                       val_name=val_name, on_update=self._on_update, **fit_kwargs)
        self.curves = LiveCurves(epochs, val_name)
        self._lock = threading.Lock()  # updates come from the training thread and from the Stop button
        self.progress = ipw.IntProgress(value=0, min=0, max=self.session.steps, bar_style="info",
                                        layout=ipw.Layout(width="420px", max_width="100%"))
        self.progress.add_class("dl-dashboard-progress")
        self.stop_button = button("Stop", "dl-dashboard-stop", "stop",
                                  tooltip="Stop training; the weights learned so far are kept")
        self.stop_button.disabled = True
        self.stop_button.on_click(lambda _: self.stop())
        self.status = html_text("dl-dashboard-status")
        self.image = figure_image("dl-dashboard-curves")
        super().__init__([row([self.progress, self.stop_button], align_items="center"), self.status, self.image])
        self.add_class("dl-dashboard")
        self._on_update(self.session, redraw=True)

    @property
    def model(self):
        return self.session.model

    @property
    def history(self):
        """fit's History of this run (None before training starts)."""
        return self.session.history

    async def train(self):
        """Train until done or stopped and return the History; use it as ``await dashboard.train()``."""
        return await self.session.run_async()

    def stop(self):
        """What the Stop button does: stop after the current few batches, keeping the weights."""
        self.session.request_stop()

    def _on_update(self, session, redraw):
        with self._lock:
            state = session.state
            self.progress.value = session.step
            self.progress.bar_style = {"finished": "success", "stopped": "warning",
                                       "diverged": "danger", "failed": "danger"}.get(state, "info")
            self.stop_button.disabled = state != "training"
            color = STATE_COLORS.get(state, TEXT)
            self.status.value = lines(f"<span class='dl-status' data-state='{state}' data-step='{session.step}' "
                                      f"style='color:{color}'>{html.escape(session.status())}</span>")
            if redraw:
                self.curves.update(session.curves)
                self.image.value = self.curves.png()
