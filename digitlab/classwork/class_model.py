"""A class model: the shipped network fine-tuned on a class's drawings, measured on students it never saw.

For the teacher's notebook (notebooks/class_digits.ipynb). One person's drawings look alike: the
same slant, the same pen. A model tested on other drawings of the students it learned from has
already seen those habits, so the test flatters it. What a teacher wants to know is how it reads
the *next* student, so here whole students are held out (writer-independent measurement):

1. the students are split into folds (one student per fold when there are at most
   LEAVE_ONE_OUT_UP_TO of them, else FOLDS folds);
2. for every fold, a copy of the model is fine-tuned (digitlab.finetune.fine_tune: mixed with
   MNIST, small learning rate) on the other students' drawings and reads the fold's drawings;
3. so every drawing is read once by the model before fine-tuning and once by a model that never
   saw its writer: accuracy before and after, overall and per student.

``fit_class_model`` then fine-tunes on every student: the class model to keep, whose accuracy on
a new student the held-out figures estimate; ``compare`` (in digitlab.finetune) measures it on
MNIST, to see what it forgot.
Not for: collecting drawings (digitlab.widgets.collector) or storing them (digitlab.drawing.class_store).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..finetune import accuracy_table, fine_tune
from ..plumbing.checks import as_images_and_labels
from ..plumbing.progress import with_progress
from ..plumbing.table import Table

LEAVE_ONE_OUT_UP_TO = 10  # up to this many students, each is held out on their own
FOLDS = 5                 # more students than that: this many folds of students
TUNING = dict(epochs=3, lr=1e-4, own_weight=0.3)  # as notebook 08 fine-tunes on one person's drawings


def check_writers(X, y, writers):
    """(X uint8, y, writers as a str array (N,)) checked together; ValueError in plain words otherwise.

    Drawings are kept as 0..255 (as their PNG files hold them): a quarter of the memory of floats.
    """
    X, y = as_images_and_labels(X, y, "the class's drawings", keep_uint8=True)
    if X.dtype != np.uint8:
        X = np.round(X * 255).astype(np.uint8)
    writers = np.asarray(writers, dtype=str)
    if writers.shape != y.shape:
        raise ValueError(f"give one student name per drawing: {len(y)} drawings, {writers.size} names")
    if len(np.unique(writers)) < 2:
        raise ValueError("holding students out needs drawings by at least 2 students, "
                         f"got {len(np.unique(writers))}")
    return X, y, writers


def student_folds(students, folds=None, seed=0) -> list[list[str]]:
    """The students split into groups held out together: one each, or ``folds`` groups at random."""
    students = sorted(set(students))
    if folds is None:
        folds = len(students) if len(students) <= LEAVE_ONE_OUT_UP_TO else FOLDS
    if not 2 <= folds <= len(students):
        raise ValueError(f"folds must be between 2 and the {len(students)} students, got {folds}")
    order = np.random.default_rng(seed).permutation(len(students))
    return [sorted(students[i] for i in part) for part in np.array_split(order, folds)]


@dataclass
class HeldOut:
    """Every drawing read by the model before fine-tuning and by one that never saw its writer."""

    y: np.ndarray        # (N,) true labels
    writers: np.ndarray  # (N,) who drew each
    before: np.ndarray   # (N,) the model's guesses before fine-tuning
    after: np.ndarray    # (N,) guesses of the model fine-tuned without the drawing's writer
    folds: list          # the groups of students held out together

    def overall(self) -> Table:
        """Accuracy on all drawings, before and after (change in percentage points)."""
        return self._table([("held-out students", np.ones(len(self.y), bool))], "set")

    def by_student(self) -> Table:
        """Accuracy on each student's drawings, before and after, by a model that never saw them."""
        return self._table([(name, self.writers == name) for name in np.unique(self.writers)], "student")

    def _table(self, groups, first) -> Table:
        results = [(str(name), int(mask.sum()), float(np.mean(self.before[mask] == self.y[mask])),
                    float(np.mean(self.after[mask] == self.y[mask]))) for name, mask in groups]
        return accuracy_table(results, first, title="Accuracy on students held out (change in percentage points)")


def hold_out_students(model, X, y, writers, X_base, y_base, folds=None, seed=0, progress=False, **tuning):
    """Fine-tune once per fold without the fold's students and read their drawings: a HeldOut.

    X_base, y_base: MNIST images mixed in while fine-tuning; tuning: fine_tune's options
    (default TUNING). ``model`` is never changed.
    """
    X, y, writers = check_writers(X, y, writers)
    groups = student_folds(writers, folds, seed)
    before = model.predict(X)
    after = np.empty_like(before)
    for group in with_progress(groups, progress, "students held out"):
        out = np.isin(writers, group)
        tuned, _ = fine_tune(model, X[~out], y[~out], X_base, y_base, seed=seed, **{**TUNING, **tuning})
        after[out] = tuned.predict(X[out])
    return HeldOut(y, writers, before, after, groups)


def fit_class_model(model, X, y, writers, X_base, y_base, seed=0, **tuning):
    """The class model: a copy of ``model`` fine-tuned on every student's drawings; returns (model, history)."""
    X, y, writers = check_writers(X, y, writers)
    tuned, history = fine_tune(model, X, y, X_base, y_base, seed=seed, **{**TUNING, **tuning})
    tuned.metadata["class"] = {"students": sorted(set(writers.tolist())), "drawings": int(len(y))}
    return tuned, history


def drawings_by_student(y, writers) -> Table:
    """How many drawings each student shared, per digit and in all."""
    y, writers = np.asarray(y), np.asarray(writers, dtype=str)
    rows = [{"student": str(name), **{str(d): int(np.sum((writers == name) & (y == d))) for d in range(10)},
             "all": int(np.sum(writers == name))} for name in np.unique(writers)]
    rows.append({"student": "class", **{str(d): int(np.sum(y == d)) for d in range(10)}, "all": len(y)})
    return Table(rows, ["student", *map(str, range(10)), "all"], title="Drawings per student and per digit")
