"""The beach perceptron: a weighted sum, a threshold, and the perceptron learning rule.

For notebook 01: three yes/no inputs coded as +1/-1, one output (1 = "going to the beach").
Not for real data or for networks of many neurons (see digitlab.lessons.sigmoid_neuron and the MLP).
"""

from dataclasses import dataclass

import numpy as np

from ..plumbing.text import MINUS, signed

INPUT_NAMES = ("weather", "day", "friends")
INPUT_WORDS = (
    {1: "sunny", -1: "raining"},
    {1: "weekend", -1: "weekday"},
    {1: "a friend can come", -1: "no friend can come"},
)
OUTPUT_WORDS = {1: "going to the beach", 0: "staying home"}

START_X = (-1, 1, 1)  # raining, weekend, a friend can come
START_W = (1.0, 0.5, 0.5)
START_B = -0.5
LEARNING_RATE = 0.5


def check_inputs(x):
    """Return x as a float array of three values, each +1 or -1, or raise ValueError."""
    x = np.asarray(x, dtype=float)
    if x.shape != (3,):
        raise ValueError(f"The beach perceptron takes 3 inputs (weather, day, friends); got shape {x.shape}.")
    if not np.all(np.isin(x, (-1.0, 1.0))):
        raise ValueError(f"Each input must be 1 or -1; got {x.tolist()}.")
    return x


def describe_day(x):
    """Words for a day: (1, -1, 1) -> 'sunny, weekday, a friend can come'."""
    x = check_inputs(x)
    return ", ".join(words[int(v)] for words, v in zip(INPUT_WORDS, x))


def beach_days():
    """Sam's diary: six labelled days. Returns X (6, 3) of +1/-1 and y (6,) of 0/1."""
    X = np.array([
        [1, -1, -1],   # sunny, weekday, no friend          -> stayed home
        [-1, 1, -1],   # raining, weekend, no friend        -> stayed home
        [-1, 1, 1],    # raining, weekend, a friend can come -> stayed home
        [1, 1, 1],     # sunny, weekend, a friend can come   -> beach
        [1, 1, -1],    # sunny, weekend, no friend           -> beach
        [1, -1, 1],    # sunny, weekday, a friend can come   -> beach
    ], dtype=float)
    y = np.array([0, 0, 0, 1, 1, 1])
    return X, y


def sams_rule(x):
    """The rule Sam's diary was written with: 1 (beach) if sunny and it is a weekend or a friend can come."""
    weather, day, friends = check_inputs(x)
    return int(weather == 1 and (day == 1 or friends == 1))


def unseen_days():
    """The two possible days missing from the diary: X (2, 3). Both are rainy weekdays."""
    return np.array([[-1, -1, 1], [-1, -1, -1]], dtype=float)


@dataclass
class LearningStep:
    """What one step of the perceptron learning rule looked at and changed."""

    index: int             # which row of the table (0-based)
    x: np.ndarray          # (3,) the inputs of that row
    target: int            # the label, 0 or 1
    z: float               # weighted sum before the update
    prediction: int        # output before the update
    w_before: np.ndarray   # (3,)
    b_before: float
    w_after: np.ndarray    # (3,)
    b_after: float
    lr: float

    @property
    def mistake(self):
        """True when the prediction was wrong (and so the weights moved)."""
        return self.prediction != self.target

    @property
    def dw(self):
        """How much each weight moved: lr * (target - prediction) * x."""
        return self.w_after - self.w_before

    @property
    def db(self):
        """How much the bias moved: lr * (target - prediction)."""
        return self.b_after - self.b_before

    def describe(self):
        """The step in plain words, one line per change (each short enough not to wrap on a laptop screen)."""
        head = (f"Day {self.index + 1} ({describe_day(self.x)}): label {self.target}, "
                f"the perceptron said {self.prediction} (z = {signed(self.z)}).")
        if not self.mistake:
            return head + "\nRight, so nothing changes."
        sign = "+" if self.target > self.prediction else MINUS
        lines = [head, f"Wrong, so every weight moves by {sign}{signed(self.lr)} \u00b7 its input:"]
        for i, name in enumerate(INPUT_NAMES):
            lines.append(f"w{i + 1} ({name}): {signed(self.w_before[i])} \u2192 {signed(self.w_after[i])}"
                         f"  (input {signed(self.x[i], 0)}, change {signed(self.dw[i], plus=True)})")
        lines.append(f"b: {signed(self.b_before)} \u2192 {signed(self.b_after)}  (change {signed(self.db, plus=True)})")
        return "\n".join(lines)


class Perceptron:
    """One neuron with a step output: 1 if x·w + b >= 0 else 0."""

    def __init__(self, w=START_W, b=START_B):
        w = np.array(w, dtype=float)
        if w.shape != (3,):
            raise ValueError(f"The beach perceptron needs 3 weights; got {w.shape[0] if w.ndim == 1 else w.shape}.")
        if not np.all(np.isfinite(w)) or not np.isfinite(b):
            raise ValueError("Weights and bias must be finite numbers.")
        self.w = w
        self.b = float(b)

    def __repr__(self):
        return f"Perceptron(w={self.w.tolist()}, b={self.b})"

    def weighted_sum(self, x):
        """z = x1·w1 + x2·w2 + x3·w3 + b."""
        return float(check_inputs(x) @ self.w + self.b)

    def output(self, x):
        """1 (going to the beach) if z >= 0, else 0."""
        return int(self.weighted_sum(x) >= 0)

    def predict(self, X):
        """Outputs for a table of days: X (N, 3) -> (N,) of 0/1."""
        return np.array([self.output(x) for x in np.asarray(X, dtype=float)], dtype=int)

    def formula(self, x):
        """The sum with numbers substituted: 'z = (−1·1.00) + (1·0.50) + (1·0.50) + (−0.50) = −0.50 ⇒ output 0'."""
        x = check_inputs(x)
        terms = [f"({signed(xi, 0)}\u00b7{signed(wi)})" for xi, wi in zip(x, self.w)]
        terms.append(f"({signed(self.b)})")
        z = self.weighted_sum(x)
        return f"z = {' + '.join(terms)} = {signed(z)} \u21d2 output {int(z >= 0)}"

    def decision(self, x):
        """The output in words: 'Output 1: going to the beach.'"""
        out = self.output(x)
        return f"Output {out}: {OUTPUT_WORDS[out]}."

    def learn(self, x, target, lr=LEARNING_RATE, index=0):
        """Apply the learning rule to one labelled day; returns a LearningStep."""
        x = check_inputs(x)
        if target not in (0, 1):
            raise ValueError(f"A label must be 0 or 1; got {target!r}.")
        z = self.weighted_sum(x)
        prediction = int(z >= 0)
        w_before, b_before = self.w.copy(), self.b
        error = int(target) - prediction          # -1, 0 or +1
        self.w = self.w + lr * error * x
        self.b = self.b + lr * error
        return LearningStep(index, x, int(target), z, prediction, w_before, b_before,
                            self.w.copy(), self.b, float(lr))

    def mistakes(self, X, y):
        """How many rows of the table the perceptron gets wrong."""
        return int(np.sum(self.predict(X) != np.asarray(y)))


class PerceptronTrainer:
    """Walks the table row after row, applying the learning rule once per step."""

    def __init__(self, X=None, y=None, perceptron=None, lr=LEARNING_RATE, max_steps=1000):
        if X is None and y is None:
            X, y = beach_days()
        X = np.asarray(X, dtype=float)
        y = np.asarray(y)
        if X.ndim != 2 or len(X) == 0 or len(X) != len(y):
            raise ValueError(f"Need a table X (N, 3) with one label per row; got X {X.shape}, y {y.shape}.")
        for x in X:
            check_inputs(x)
        if not np.all(np.isin(y, (0, 1))):
            raise ValueError("Labels must all be 0 or 1.")
        if not lr > 0:
            raise ValueError(f"The learning rate must be positive; got {lr}.")
        self.X, self.y, self.lr, self.max_steps = X, y, float(lr), int(max_steps)
        self.perceptron = perceptron if perceptron is not None else Perceptron(w=(0, 0, 0), b=0)
        self.history = []   # list of LearningStep

    @property
    def next_index(self):
        """The row the next step will look at."""
        return len(self.history) % len(self.X)

    @property
    def converged(self):
        """True when every row of the table is right (so further steps change nothing)."""
        return self.perceptron.mistakes(self.X, self.y) == 0

    def step(self):
        """Look at the next row and apply the rule; returns the LearningStep."""
        i = self.next_index
        s = self.perceptron.learn(self.X[i], int(self.y[i]), self.lr, index=i)
        self.history.append(s)
        return s

    def run(self):
        """Step until every row is right; returns the new steps. Raises ValueError if max_steps is hit."""
        new = []
        while not self.converged:
            if len(self.history) >= self.max_steps:
                raise ValueError(f"No weights found after {self.max_steps} steps: the labels may not be "
                                 "separable by a single perceptron.")
            new.append(self.step())
        return new
