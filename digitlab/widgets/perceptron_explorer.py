"""Play with the beach perceptron (notebook 01): input toggles, weight sliders, the sum worked out live.

PerceptronExplorer shows the formula with today's numbers and the decision. All logic is in
digitlab.lessons.perceptron; this only shows it. CSS classes (dl-...) are for tests.
"""

import html

import ipywidgets as ipw
import numpy as np

from ..lessons.perceptron import INPUT_NAMES, INPUT_WORDS, START_B, START_W, START_X, Perceptron
from .controls import html_text, lines
from .theme import BAD, GOOD

SLIDER_RANGE = (-2.0, 2.0)
SLIDER_STEP = 0.05
def _slider(description, value, css):
    s = ipw.FloatSlider(value=value, min=SLIDER_RANGE[0], max=SLIDER_RANGE[1], step=SLIDER_STEP,
                        description=description, readout_format=".2f", continuous_update=True,
                        style={"description_width": "8.5em"}, layout=ipw.Layout(width="auto", max_width="460px"))
    s.add_class(css)
    return s


class PerceptronExplorer(ipw.VBox):
    """Toggles for the three inputs, sliders for w1..w3 and b, and the live formula and decision."""

    def __init__(self, x=START_X, w=START_W, b=START_B):
        self.perceptron = Perceptron(w, b)
        self.toggles = []
        for name, words, value in zip(INPUT_NAMES, INPUT_WORDS, x):
            t = ipw.ToggleButtons(options=[(f"{words[1]} (1)", 1), (f"{words[-1]} (\u22121)", -1)],
                                  value=int(value), description=name,
                                  style={"button_width": "auto", "description_width": "8.5em"})
            t.add_class(f"dl-input-{name}")
            self.toggles.append(t)
        self.sliders = [_slider(f"w{i + 1} ({name})", wi, f"dl-w{i + 1}")
                        for i, (name, wi) in enumerate(zip(INPUT_NAMES, w))]
        self.sliders.append(_slider("b (bias)", b, "dl-b"))
        self.formula = html_text("dl-formula")
        self.decision = html_text("dl-decision")
        for control in self.toggles + self.sliders:
            control.observe(self.update, "value")
        super().__init__([ipw.HTML("<b>Inputs</b>"), *self.toggles,
                          ipw.HTML("<b>Weights and bias</b>"), *self.sliders,
                          self.formula, self.decision])
        self.add_class("dl-perceptron-explorer")
        self.update()

    @property
    def x(self):
        """The inputs as chosen on the toggles: (3,) of +1/-1."""
        return np.array([t.value for t in self.toggles], dtype=float)

    def update(self, change=None):
        """Recompute z from the controls and rewrite the formula and the decision."""
        # Round to the slider's precision: the browser can send 1.9999999999999998 for 2.00, and
        # z = -0.00000000000000003 would print as 0.00 next to "output 0".
        self.perceptron.w = np.array([round(s.value, 2) for s in self.sliders[:3]], dtype=float)
        self.perceptron.b = round(float(self.sliders[3].value), 2)
        self.formula.value = lines(f"<code style='font-size:1.1em'>"
                                   f"{html.escape(self.perceptron.formula(self.x))}</code>")
        out = self.perceptron.output(self.x)
        color = GOOD if out else BAD
        self.decision.value = lines(f"<span style='font-size:1.2em;color:{color}'>"
                                    f"{html.escape(self.perceptron.decision(self.x))}</span>")
