"""Watch the beach perceptron learn from a table of days (notebook 01): the learning rule, one click a step.

PerceptronLearner shows the table, the weights and what moved at each step. All logic is in
digitlab.lessons.perceptron; this only shows it. CSS classes (dl-...) are for tests.
"""

import html

import ipywidgets as ipw

from ..lessons.perceptron import INPUT_WORDS, LEARNING_RATE, PerceptronTrainer, describe_day
from ..plumbing.text import plural, signed
from .controls import button, html_text, lines, row
from .theme import HIGHLIGHT, TEXT

RIGHT_MARK, WRONG_MARK = "\u2714", "\u2718"


class PerceptronLearner(ipw.VBox):
    """The perceptron learning rule on a table of labelled days: one step per click, or run to the end."""

    def __init__(self, X=None, y=None, lr=LEARNING_RATE):
        self.trainer_args = (X, y, lr)
        self.step_button = button("Learning step", "dl-learn-step", style="primary",
                                  tooltip="Look at the next day in the table and apply the rule")
        self.run_button = button("Run to the end", "dl-learn-run",
                                 tooltip="Keep stepping until every day in the table is right")
        self.reset_button = button("Start over", "dl-learn-reset", tooltip="All weights back to zero")
        self.weights = html_text("dl-learn-weights")
        self.table = html_text("dl-learn-table")
        self.message = html_text("dl-learn-message")
        self.summary = html_text("dl-learn-summary")
        self.step_button.on_click(lambda _: self.step())
        self.run_button.on_click(lambda _: self.run())
        self.reset_button.on_click(lambda _: self.reset())
        super().__init__([row([self.step_button, self.run_button, self.reset_button]),
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
        self.weights.value = lines(
            "<code style='font-size:1.1em'>" + ", ".join(
                f"w{i + 1} = {signed(wi)}" for i, wi in enumerate(p.w)) + f", b = {signed(p.b)}</code>"
            + f" &nbsp; (after {plural(len(t.history), 'step')}; "
            f"the weights moved {plural(sum(s.mistake for s in t.history), 'time')})")
        rows = []
        for i, (x, label) in enumerate(zip(t.X, t.y)):
            out = p.output(x)
            style = f" style='background:{HIGHLIGHT};color:{TEXT};font-weight:600'" if i == highlight else ""
            mark = RIGHT_MARK if out == label else WRONG_MARK
            cells = [f"Day\u00a0{i + 1}", *[words[int(v)] for words, v in zip(INPUT_WORDS, x)],
                     str(int(label)), f"{out}\u00a0{mark}"]  # the mark beside the output: never off-screen
            tds = "".join(f"<td style='padding:0.1em 0.4em'>{html.escape(c)}</td>" for c in cells)
            rows.append(f"<tr{style}>{tds}</tr>")
        head = "".join(f"<th style='padding:0.1em 0.4em;text-align:left'>{h}</th>" for h in
                       ["", "weather", "day", "friends", "label", "output now"])
        self.table.value = lines(f"<table style='border-collapse:collapse'><tr>{head}</tr>{''.join(rows)}</table>")
        self.message.value = lines(f"<div style='margin-top:6px'>{message}</div>")
        wrong = p.mistakes(t.X, t.y)
        self.summary.value = lines(f"<i>{wrong} of {len(t.X)} days wrong with these weights. "
                                   f"Next step looks at Day {t.next_index + 1} "
                                   f"({html.escape(describe_day(t.X[t.next_index]))}).</i>")
