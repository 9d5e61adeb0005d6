"""Handwriting habits MNIST hardly holds: 1s with a long flag, crossed 7s; stand-ins that write that way."""

import numpy as np
import pytest

from digitlab import MLP, fit
from digitlab.drawing.habits import crossed_seven, draw_habit, flag_one, with_habits
from digitlab.drawing.strokes import PAD_SIZE
from digitlab.finetune import drawings_or_stand_in, stand_in_drawings


def test_a_flag_one_climbs_from_the_lower_left_to_its_top_then_falls_straight_down():
    rng = np.random.default_rng(0)
    for _ in range(50):
        (start, top, bottom), = flag_one(rng)
        height = bottom[1] - top[1]
        assert start[0] < top[0] and start[1] > top[1]                       # up and to the right
        assert top[0] - start[0] >= 0.4 * 0.4 * height                        # a long flag
        assert abs(bottom[0] - top[0]) <= 0.12 * height + 1e-9                # a nearly upright stem
        points = np.array([start, top, bottom])
        assert points.min() >= 0 and points.max() <= PAD_SIZE


def test_a_crossed_seven_has_its_bar_across_the_leg():
    rng = np.random.default_rng(1)
    for _ in range(50):
        (left_top, corner, foot), (bar_start, bar_end) = crossed_seven(rng)
        assert left_top[1] == corner[1] and foot[1] > corner[1]               # a level top, a leg down
        t = (bar_start[1] - corner[1]) / (foot[1] - corner[1])                # where the bar meets the leg
        leg_x = corner[0] + t * (foot[0] - corner[0])
        assert 0.3 < t < 0.6 and bar_start[0] < leg_x < bar_end[0]


def test_habit_drawings_come_out_in_mnists_format_and_only_for_ones_and_sevens():
    rng = np.random.default_rng(2)
    image = draw_habit(1, rng)
    assert image.shape == (28, 28) and image.dtype == np.float32 and image.max() == 1.0
    with pytest.raises(ValueError, match="no.* for the digit 3|none for the digit 3"):
        draw_habit(3, rng)


def test_with_habits_redraws_exactly_the_ones_and_sevens():
    rng = np.random.default_rng(3)
    X = rng.random((12, 28, 28)).astype(np.float32)
    y = np.array([0, 1, 2, 7, 1, 3, 7, 9, 4, 5, 6, 8])
    X2, y2 = with_habits(X, y, seed=0)
    changed = [i for i in range(12) if not np.array_equal(X2[i], X[i])]
    assert changed == [1, 3, 4, 6] and np.array_equal(y2, y)
    assert np.array_equal(with_habits(X, y, seed=0)[0], X2)                   # repeatable


def test_a_network_that_learned_upright_ones_reads_flag_ones_as_sevens():
    """The habit is a real shift: a reader trained on plain 1s and 7s calls a flagged 1 a 7."""
    from digitlab.drawing.canvas import canvas_to_mnist
    from digitlab.drawing.strokes import rasterize_strokes

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
    flagged = np.array([draw_habit(1, rng) for _ in range(40)])
    assert (model.predict(flagged) == 7).mean() > 0.5


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
