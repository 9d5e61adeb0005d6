"""Widget for notebook 02: gradient descent you step through by hand, on a loss curve or a loss bowl.

DescentExplorer shows the loss with the path taken so far, a learning-rate slider, Step / 10 steps /
Reset buttons, the current position and loss, and a plain verdict (going downhill, crawling,
stuck, diverging). The figure is redrawn in place as a PNG in one Image widget, so nothing piles up.
All logic is in digitlab.lessons.gradient_descent; CSS classes (dl-...) are for tests.
"""

import html

import ipywidgets as ipw
import numpy as np

from ..lessons.gradient_descent import GradientDescent, one_weight_loss, two_weight_loss
from ..plots.loss_landscape import DescentFigure
from ..plumbing.text import short_number, signed
from .controls import button, figure_image, html_text, lines, row
from .theme import BAD, GOOD, TEXT

ONE_WEIGHT_RATES = (0.001, 0.01, 0.03, 0.1, 0.3, 0.5, 0.9, 1.0, 1.1, 1.5)
TWO_WEIGHT_RATES = (0.001, 0.01, 0.03, 0.05, 0.1, 0.15, 0.19, 0.2, 0.21, 0.25)


def format_point(w):
    """'w = 0.781' for one weight, 'w = (0.781, 1.950)' for two."""
    w = np.atleast_1d(w)
    if len(w) == 1:
        return f"w = {signed(w[0], 3)}"
    return "w = (" + ", ".join(signed(v, 3) for v in w) + ")"


class DescentExplorer(ipw.VBox):
    """Step downhill on a loss by hand: slider for the learning rate, buttons, live figure and verdict."""

    def __init__(self, loss, w0, lr, rates):
        if lr not in rates:
            raise ValueError(f"The starting learning rate {lr} must be one of the slider's choices {rates}.")
        self.gd = GradientDescent(loss, w0, lr)
        self.figure = DescentFigure(loss)
        self.lr_slider = ipw.SelectionSlider(options=list(rates), value=lr, description="learning rate",
                                             continuous_update=False, style={"description_width": "initial"},
                                             layout=ipw.Layout(width="28em", max_width="100%"))
        self.lr_slider.add_class("dl-descent-lr")
        self.step_button = button("Step", "dl-descent-step", style="primary",
                                  tooltip="One step downhill: w ← w − learning rate × slope")
        self.ten_button = button("10 steps", "dl-descent-ten")
        self.reset_button = button("Reset", "dl-descent-reset", tooltip="Back to the starting point")
        self.position = html_text("dl-descent-position")
        self.verdict = html_text("dl-descent-verdict")
        self.image = figure_image("dl-descent-plot")
        self.lr_slider.observe(self._on_lr, "value")
        self.step_button.on_click(lambda _: self.step(1))
        self.ten_button.on_click(lambda _: self.step(10))
        self.reset_button.on_click(lambda _: self.reset())
        super().__init__([row([self.lr_slider, self.step_button, self.ten_button, self.reset_button]),
                          self.position, self.verdict, self.image])
        self.add_class("dl-descent-explorer")
        self.redraw()

    def _on_lr(self, change):
        self.gd.lr = change["new"]
        self.redraw()

    def step(self, n=1):
        """Take n steps (fewer if the weights blow up) and redraw."""
        self.gd.run(n)
        self.redraw()

    def reset(self):
        """Back to the starting point with the current learning rate."""
        self.gd.reset()
        self.redraw()

    def redraw(self):
        """Rewrite the status lines and redraw the figure."""
        gd = self.gd
        n = len(gd.steps)
        slope = gd.slope
        slope_text = (short_number(slope[0]) if gd.dim == 1
                      else "(" + ", ".join(short_number(s) for s in slope) + ")")
        self.position.value = lines(f"<code style='font-size:1.05em'>step {n}: {format_point(gd.w)}, "
                                    f"loss = {short_number(gd.losses[-1])}, slope = {slope_text}, "
                                    f"learning rate = {gd.lr:g}</code>")
        status = gd.status
        alarm = status in ("diverging", "blown up")
        color = BAD if alarm else (GOOD if status == "converged" else TEXT)
        self.verdict.value = lines(f"<span style='color:{color};{'font-weight:bold;' * alarm}'>"
                                   f"{html.escape(gd.verdict())}</span>")
        self.step_button.disabled = self.ten_button.disabled = status == "blown up"
        self.image.value = self.figure.png(gd.path, gd.losses)


def one_weight_explorer(w0=-1.0, lr=0.1):
    """Gradient descent on the one-weight valley L(w) = (w - 2)^2, starting at w0."""
    return DescentExplorer(one_weight_loss(), [w0], lr, ONE_WEIGHT_RATES)


def two_weight_explorer(w0=(-2.0, 0.5), lr=0.05):
    """Gradient descent on the long narrow two-weight valley, starting at w0."""
    return DescentExplorer(two_weight_loss(), w0, lr, TWO_WEIGHT_RATES)
