"""Made-up students, each with a hand of their own: canvas-style digits drawn with a personal style.

For: trying the teacher's notebook (class_digits) and its tests without a class. A real
person draws every digit in much the same way: the same slant, the same width of letters, the
same pen. A generated student does too: ``student_style(name)`` turns a name into a narrow
``Style`` (a slant of up to 30 degrees either way, squashed or stretched, a fine pen or a fat
marker), always the same for the same name; ``generate_students`` redraws MNIST digits in each
student's style, every student from different digits. The conversion evens out the pen
(digitlab.drawing.tidy), so what shows of a hand in the 28x28 images is its slant, shape and size. Real classes differ in more ways (crossed
sevens, open fours), so figures measured on generated students say how the method works, not
how a real class will do.

Not for: the general canvas-style redrawing (digitlab.drawing.canvas_style) or storing drawings
(digitlab.drawing.class_store).
"""

from __future__ import annotations

import zlib

import numpy as np

from .canvas_style import Style, make_canvas_style_set

NAMES = ("ada", "bo", "chen", "dara", "eli", "fatou", "gus", "hana", "ivo", "jun", "kim", "lea")
POOL_FIRST = 8000  # by default students redraw MNIST test digits from here on (never trained on)


def student_style(name: str) -> Style:
    """The way one (made-up) student draws: narrow ranges around personal habits, fixed by the name."""
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    slant, aspect = rng.uniform(-30, 30), rng.uniform(0.6, 1.4)
    thick = rng.random() < 0.5  # a fat marker on a small digit, or a fine pen on a large one
    size, brush = (rng.uniform(95, 125), rng.uniform(30, 36)) if thick else (rng.uniform(180, 220), rng.uniform(7, 10))
    return Style(rotation_deg=(slant - 3, slant + 3), aspect=(aspect - 0.04, aspect + 0.04),
                 size=(size - 10, size + 10), brush=(brush - 1.5, brush + 1.5))


def generate_students(names=NAMES[:6], per_digit=5, pool=None, seed=0):
    """(X float32 (N, 28, 28), y (N,), writers (N,)): per_digit drawings of every digit by each student.

    pool: (images, labels) to redraw, by default MNIST test digits from POOL_FIRST on; every
    student redraws different digits of it.
    """
    if pool is None:
        from ..data import load_mnist

        images, labels = load_mnist("test")
        pool = images[POOL_FIRST:], labels[POOL_FIRST:]
    images, labels = np.asarray(pool[0]), np.asarray(pool[1])
    names = list(names)
    if len(set(names)) != len(names) or not names:
        raise ValueError(f"give one or more different student names, got {names}")
    rng = np.random.default_rng(seed)
    picks = {}
    for digit in range(10):
        have = rng.permutation(np.flatnonzero(labels == digit))
        if len(have) < per_digit * len(names):
            raise ValueError(f"the pool has {len(have)} images of {digit}, fewer than {per_digit} for each "
                             f"of {len(names)} students")
        for i, name in enumerate(names):
            picks.setdefault(name, []).extend(have[i * per_digit:(i + 1) * per_digit])
    parts = []
    for i, name in enumerate(names):
        pick = np.sort(picks[name])
        X, y = make_canvas_style_set(images[pick], labels[pick], seed=seed + i, progress=False,
                                     style=student_style(name))
        parts.append((X, y.astype(np.int64), np.full(len(y), name)))
    return tuple(np.concatenate(column) for column in zip(*parts))


def fill_class(class_store, names=NAMES[:6], per_digit=5, pool=None, seed=0) -> int:
    """Save generated students' drawings into a ClassStore, as if they had shared them; return how many."""
    X, y, writers = generate_students(names, per_digit, pool, seed)
    for image, label, name in zip(X, y, writers):
        class_store.add(str(name), image, int(label))
    return len(y)
