"""Widgets for notebook 01: play with the beach perceptron, then watch it learn from a table of days.

PerceptronExplorer: input toggles and weight sliders, the formula with today's numbers, the decision.
PerceptronLearner: the learning rule one step per click, with the table, the weights and what moved.
All logic is in digitlab.perceptron; these only show it. CSS classes (dl-...) are for tests.
"""

import html

import ipywidgets as W
import numpy as np

from ..perceptron import (
    INPUT_NAMES, INPUT_WORDS, LEARNING_RATE, START_B, START_W, START_X,
    Perceptron, PerceptronTrainer, describe_day, signed,
)

SLIDER_RANGE = (-2.0, 2.0)
SLIDER_STEP = 0.05
RIGHT_MARK, WRONG_MARK = "\u2714", "\u2718"


def plural(n, word):
    """'1 step', '2 steps'."""
    return f"{n} {word}{'s' * (n != 1)}"


def _slider(description, value, css):
    s = W.FloatSlider(value=value, min=SLIDER_RANGE[0], max=SLIDER_RANGE[1], step=SLIDER_STEP,
                      description=description, readout_format=".2f", continuous_update=True,
                      style={"description_width": "110px"}, layout=W.Layout(width="460px"))
    s.add_class(css)
    return s


class PerceptronExplorer(W.VBox):
    """Toggles for the three inputs, sliders for w1..w3 and b, and the live formula and decision."""

    def __init__(self, x=START_X, w=START_W, b=START_B):
        self.perceptron = Perceptron(w, b)
        self.toggles = []
        for name, words, value in zip(INPUT_NAMES, INPUT_WORDS, x):
            t = W.ToggleButtons(options=[(f"{words[1]} (1)", 1), (f"{words[-1]} (\u22121)", -1)],
                                value=int(value), description=name,
                                style={"button_width": "200px", "description_width": "110px"})
            t.add_class(f"dl-input-{name}")
            self.toggles.append(t)
        self.sliders = [_slider(f"w{i + 1} ({name})", wi, f"dl-w{i + 1}")
                        for i, (name, wi) in enumerate(zip(INPUT_NAMES, w))]
        self.sliders.append(_slider("b (bias)", b, "dl-b"))
        self.formula = W.HTML()
        self.formula.add_class("dl-formula")
        self.decision = W.HTML()
        self.decision.add_class("dl-decision")
        for control in self.toggles + self.sliders:
            control.observe(self.update, "value")
        super().__init__([W.HTML("<b>Inputs</b>"), *self.toggles,
                          W.HTML("<b>Weights and bias</b>"), *self.sliders,
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
        self.formula.value = (f"<code style='font-size:1.1em'>"
                              f"{html.escape(self.perceptron.formula(self.x))}</code>")
        out = self.perceptron.output(self.x)
        color = "#1a7f37" if out else "#9a3412"
        self.decision.value = (f"<span style='font-size:1.2em;color:{color}'>"
                               f"{html.escape(self.perceptron.decision(self.x))}</span>")


class PerceptronLearner(W.VBox):
    """The perceptron learning rule on a table of labelled days: one step per click, or run to the end."""

    def __init__(self, X=None, y=None, lr=LEARNING_RATE):
        self.trainer_args = (X, y, lr)
        self.step_button = W.Button(description="Learning step", button_style="primary",
                                    tooltip="Look at the next day in the table and apply the rule")
        self.step_button.add_class("dl-learn-step")
        self.run_button = W.Button(description="Run to the end",
                                   tooltip="Keep stepping until every day in the table is right")
        self.run_button.add_class("dl-learn-run")
        self.reset_button = W.Button(description="Start over", tooltip="All weights back to zero")
        self.reset_button.add_class("dl-learn-reset")
        self.weights = W.HTML()
        self.weights.add_class("dl-learn-weights")
        self.table = W.HTML()
        self.table.add_class("dl-learn-table")
        self.message = W.HTML()
        self.message.add_class("dl-learn-message")
        self.summary = W.HTML()
        self.summary.add_class("dl-learn-summary")
        self.step_button.on_click(lambda _: self.step())
        self.run_button.on_click(lambda _: self.run())
        self.reset_button.on_click(lambda _: self.reset())
        super().__init__([W.HBox([self.step_button, self.run_button, self.reset_button]),
                          self.weights, self.table, self.message, self.summary])
        self.add_class("dl-perceptron-learner")
        self.reset()

    def reset(self):
        """Forget everything: weights and bias back to zero, no steps taken."""
        X, y, lr = self.trainer_args
        self.trainer = PerceptronTrainer(X, y, lr=lr)
        self.show(None, "All weights and the bias start at 0. Press <b>Learning step</b>.")

    def step(self):
        """Apply the rule to the next day of the table and show what changed."""
        s = self.trainer.step()
        self.show(s.index, self._explain(s))
        return s

    def run(self):
        """Step until every day of the table is right, then summarise."""
        try:
            new = self.trainer.run()
        except ValueError as err:
            self.show(None, html.escape(str(err)))
            return []
        fixes = sum(s.mistake for s in new)
        if not new:
            text = "Nothing to do: every day in the table is already right."
        else:
            text = (f"Ran {plural(len(new), 'more step')}; {fixes} of them met a mistake and moved the "
                    f"weights. Now every day in the table is right.")
        self.show(new[-1].index if new else None, text)
        return new

    def _explain(self, s):
        body = html.escape(s.describe()).replace("\n", "<br>")
        if self.trainer.converged:
            body += "<br><b>Every day in the table is right now: learning is done.</b>"
        return body

    def show(self, highlight, message):
        """Redraw the weights, the table (highlighting one row) and the message."""
        p, t = self.trainer.perceptron, self.trainer
        self.weights.value = (
            "<code style='font-size:1.1em'>" + ", ".join(
                f"w{i + 1} = {signed(wi)}" for i, wi in enumerate(p.w)) + f", b = {signed(p.b)}</code>"
            + f" &nbsp; (after {plural(len(t.history), 'step')}; "
            f"the weights moved {plural(sum(s.mistake for s in t.history), 'time')})")
        rows = []
        for i, (x, label) in enumerate(zip(t.X, t.y)):
            out = p.output(x)
            style = " style='background:#fff3c4'" if i == highlight else ""
            mark = RIGHT_MARK if out == label else WRONG_MARK
            cells = [f"Day {i + 1}", *[words[int(v)] for words, v in zip(INPUT_WORDS, x)],
                     str(int(label)), str(out), mark]
            rows.append(f"<tr{style}>" + "".join(f"<td style='padding:0 8px'>{html.escape(c)}</td>"
                                                for c in cells) + "</tr>")
        head = "".join(f"<th style='padding:0 8px'>{h}</th>" for h in
                       ["", "weather", "day", "friends", "label", "output now", ""])
        self.table.value = f"<table><tr>{head}</tr>{''.join(rows)}</table>"
        self.message.value = f"<div style='margin-top:6px'>{message}</div>"
        wrong = p.mistakes(t.X, t.y)
        self.summary.value = (f"<i>{wrong} of {len(t.X)} days wrong with these weights. "
                          f"Next step looks at Day {t.next_index + 1} "
                          f"({html.escape(describe_day(t.X[t.next_index]))}).</i>")
