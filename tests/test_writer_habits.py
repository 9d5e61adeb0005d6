"""A writer with habits MNIST hardly holds (1s with a long flag, crossed 7s), and stand-ins that write that way."""

import numpy as np
import pytest

from digitlab import MLP, fit
from digitlab.drawing.canvas import canvas_to_mnist
from digitlab.drawing.strokes import rasterize_strokes
from digitlab.drawing.styles import HABITS, make_style_set, style_named, with_styles
from digitlab.finetune import drawings_or_stand_in, stand_in_drawings


def test_the_habits_are_a_long_flag_on_the_one_and_a_bar_across_the_seven():
    assert [(style_named(name).label, style_named(name).rare_in_mnist) for name in HABITS] == [(1, True), (7, True)]
    with pytest.raises(ValueError, match="no style called '7 with a hat'"):
        style_named("7 with a hat")


def test_with_styles_redraws_exactly_the_ones_and_sevens_and_repeats_itself():
    rng = np.random.default_rng(3)
    X = rng.random((12, 28, 28)).astype(np.float32)
    y = np.array([0, 1, 2, 7, 1, 3, 7, 9, 4, 5, 6, 8])
    before = X.copy()
    X2, y2 = with_styles(X, y, seed=0)
    changed = [i for i in range(12) if not np.array_equal(X2[i], X[i])]
    assert changed == [1, 3, 4, 6] and np.array_equal(y2, y)
    assert X2.shape == (12, 28, 28) and X2.dtype == np.float32 and X2[1].max() == 1.0
    assert np.array_equal(with_styles(X, y, seed=0)[0], X2)                   # repeatable
    assert np.array_equal(X, before)                                         # the images given are untouched


def test_two_styles_for_one_digit_are_refused():
    with pytest.raises(ValueError, match="two styles for the digit 7"):
        with_styles(np.zeros((2, 28, 28)), [7, 7], names=("7 crossed", "7 plain"))


def test_a_network_that_learned_upright_ones_reads_flag_ones_as_sevens():
    """The habit is a real shift: a reader trained on plain 1s and 7s calls a flagged 1 a 7."""
    rng = np.random.default_rng(4)
    plain = []
    for _ in range(150):
        x, top = rng.uniform(110, 170), rng.uniform(30, 60)
        plain.append((1, [[(x, top), (x + rng.uniform(-15, 15), top + rng.uniform(160, 210))]]))
        w = rng.uniform(100, 160)
        plain.append((7, [[(x - w / 2, top), (x + w / 2, top), (x - w / 4, top + rng.uniform(160, 210))]]))
    X = np.array([canvas_to_mnist(rasterize_strokes(s, width=rng.uniform(14, 26))) for _, s in plain])
    y = np.array([d for d, _ in plain])
    model = MLP((784, 32, 10), seed=0)
    fit(model, X, y, epochs=20, lr=1e-3, progress=False)
    X_ones, _, style = make_style_set(per_style=40, styles=[style_named("1 plain stick"), style_named("1 long flag")],
                                      progress=False)
    read_as_7 = {name: (model.predict(X_ones[style == name]) == 7).mean() for name in ("1 plain stick", "1 long flag")}
    assert read_as_7["1 plain stick"] < 0.15 and read_as_7["1 long flag"] > 0.3, read_as_7


def pool(n=30):
    labels = np.tile([0, 1, 7], n // 3)
    images = np.zeros((n, 28, 28), np.uint8)
    for i in range(n):
        images[i, 6:22, 10 + i % 5:14 + i % 5] = 255
    return images, labels


def test_stand_ins_can_write_with_the_habits_and_say_so(tmp_path):
    plain, y = stand_in_drawings(12, seed=1, pool=pool())
    habit, y2 = stand_in_drawings(12, seed=1, pool=pool(), habits=True)
    assert np.array_equal(y, y2)
    same = [np.array_equal(a, b) for a, b in zip(plain, habit)]
    assert same == [label not in (1, 7) for label in y]
    from digitlab import DrawingStore

    _, _, source = drawings_or_stand_in(DrawingStore(tmp_path), min_count=5, n_stand_in=6, pool=pool(), habits=True)
    assert "the 1s with a long flag and the 7s crossed" in source
