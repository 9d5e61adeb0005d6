"""Handwriting styles drawn by the project (digitlab.drawing.styles): templates, strokes, sets and scores."""

import numpy as np
import pytest

from digitlab.drawing.canvas import BOX, CENTRE, centre_of_mass
from digitlab.drawing.strokes import PAD_SIZE
from digitlab.drawing.styles import (STYLES, Style, draw_style, make_style_set, parse_template, score_by_style,
                                     smooth_curve, style_batch)
from synthetic import Guess

TALL = Style("tall", 1, ("50,0 50,100",), ("0,50 100,50",))  # trained upright, tested lying down


def test_every_digit_has_styles_and_no_test_template_is_a_training_template():
    names = [s.name for s in STYLES]
    assert len(set(names)) == len(names) >= 20
    assert {s.label for s in STYLES} == set(range(10))
    for style in STYLES:
        assert style.train and style.test and not set(style.train) & set(style.test), style.name
        assert style.name.startswith(str(style.label))
    assert sum(s.rare_in_mnist for s in STYLES) >= 8


def test_a_template_is_read_as_strokes_split_at_its_corners():
    strokes = parse_template("0,0 10,0! 10,10 20,20 | 5,5")
    assert len(strokes) == 2
    first, second = strokes
    np.testing.assert_array_equal(first[0], [[0, 0], [10, 0]])
    np.testing.assert_array_equal(first[1], [[10, 0], [10, 10], [20, 20]])
    np.testing.assert_array_equal(second[0], [[5, 5]])


@pytest.mark.parametrize("bad", ["0,0 10", "0,0 a,b", "0;0 1,1"])
def test_a_malformed_template_gets_a_clear_error(bad):
    with pytest.raises(ValueError, match="12,34"):
        parse_template(bad)


def test_a_smooth_curve_passes_through_its_points_in_small_steps():
    points = np.array([[0, 0], [30, 10], [50, 50], [20, 80], [0, 60]], float)
    curve = smooth_curve(points, spacing=2.0)
    for p in points:
        assert np.linalg.norm(curve - p, axis=1).min() < 1e-6
    steps = np.linalg.norm(np.diff(curve, axis=0), axis=1)
    assert steps.max() < 4.5
    line = smooth_curve(np.array([[0, 0], [10, 10], [20, 20], [30, 30]], float))
    np.testing.assert_allclose(line[:, 0], line[:, 1], atol=1e-9)  # points on a line give the line


def test_the_test_split_draws_only_the_held_out_templates():
    rng = np.random.default_rng(0)
    for split, tall in (("train", True), ("test", False)):
        for _ in range(10):
            strokes, _ = draw_style(TALL, rng, split)
            extent = np.ptp(np.concatenate(strokes), axis=0)  # (width, height) on the pad
            assert (extent[1] > 2 * extent[0]) == tall


def test_drawn_strokes_stay_on_the_pad_brush_and_all():
    rng = np.random.default_rng(1)
    for style in STYLES:
        strokes, brush = draw_style(style, rng, "test")
        points = np.concatenate(strokes)
        assert 8 <= brush <= 32
        assert points.min() >= brush / 2 and points.max() <= PAD_SIZE - brush / 2


def test_the_style_set_is_the_same_for_the_same_seed_and_looks_like_mnist():
    X, y, names = make_style_set(per_style=2, seed=5, progress=False)
    X2, _, _ = make_style_set(per_style=2, seed=5, progress=False)
    np.testing.assert_array_equal(X, X2)
    assert X.shape == (2 * len(STYLES), 28, 28) and X.dtype == np.float32
    assert [n[0] for n in names] == [str(label) for label in y]
    for image in X:
        assert image.max() == pytest.approx(1.0) and image.min() == 0
        rows, cols = np.flatnonzero(image.any(axis=1)), np.flatnonzero(image.any(axis=0))
        assert max(rows[-1] - rows[0], cols[-1] - cols[0]) + 1 in (BOX - 1, BOX)
        assert np.allclose(centre_of_mass(image), CENTRE, atol=0.5)


def test_the_training_batch_takes_every_style_in_turn_as_often_as_its_weight():
    one_round = [s.label for s in STYLES for _ in range(s.weight)]
    X, y = style_batch(2 * len(one_round), np.random.default_rng(0))
    np.testing.assert_array_equal(y, one_round * 2)
    assert X.shape == (2 * len(one_round), 28, 28) and (X.max(axis=(1, 2)) > 0.99).all()
    assert len(one_round) > len(STYLES)  # the long-flag 1, easily taken for a 7, has a larger share


def test_score_by_style_counts_the_right_answers_of_each_model_per_style():
    X = np.zeros((5, 28, 28), np.float32)
    y = np.array([0, 0, 7, 7, 7])
    style = np.array(["0 oval", "0 oval", "7 crossed", "7 crossed", "7 crossed"])
    table = score_by_style({"A": Guess([0, 6, 7, 7, 2]), "B": Guess([0, 0, 1, 1, 7])}, X, y, style)
    assert table["style"] == ["0 oval", "7 crossed", "styles rare in MNIST", "other styles", "all styles"]
    assert table["A"] == [0.5, pytest.approx(2 / 3), pytest.approx(2 / 3), 0.5, 0.6]
    assert table["B"] == [1.0, pytest.approx(1 / 3), pytest.approx(1 / 3), 1.0, 0.6]
    assert table.row("7 crossed")["rare in MNIST"] == "yes" and table.row("0 oval")["rare in MNIST"] == ""
    with pytest.raises(ValueError, match="one per digit"):
        score_by_style({"A": Guess(y)}, X, y, style[:4])
