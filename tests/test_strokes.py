"""Tests for digitlab.strokes: pen strokes rasterised with a round brush."""

import numpy as np
import pytest

from digitlab.drawing.canvas import CENTRE, canvas_to_mnist, centre_of_mass
from digitlab.drawing.strokes import rasterize_strokes


def test_a_single_point_makes_a_round_dot_where_it_was_put():
    image = rasterize_strokes([[(140, 100)]], shape=(280, 280), width=20)
    assert image.shape == (280, 280) and image.dtype == np.uint8
    row, col = centre_of_mass(image.astype(float))
    assert row == pytest.approx(99.5, abs=0.05) and col == pytest.approx(139.5, abs=0.05)  # pixel centres at +0.5
    area = image.sum() / 255
    assert area == pytest.approx(np.pi * 10**2, rel=0.02)
    rows = np.flatnonzero(image[:, 139] > 127)
    assert rows[0] == 90 and rows[-1] == 109  # a 20-pixel diameter


def test_a_line_covers_its_length_with_round_caps_and_nothing_else():
    image = rasterize_strokes([[(50, 100), (150, 100)]], shape=(200, 200), width=10)
    ink = image > 127
    assert ink[100, 50:150].all() and ink[96:104, 100].all()
    cols = np.flatnonzero(ink.any(axis=0))
    assert cols[0] == 45 and cols[-1] == 154  # caps stick out half the brush
    rows = np.flatnonzero(ink.any(axis=1))
    assert rows[0] == 95 and rows[-1] == 104
    assert not ink[:90].any() and not ink[110:].any()
    area = image.sum() / 255
    assert area == pytest.approx(100 * 10 + np.pi * 5**2, rel=0.02)


def test_separate_strokes_stay_separate():
    image = rasterize_strokes([[(20, 20), (20, 80)], [(80, 20), (80, 80)]], shape=(100, 100), width=8)
    assert image[50, 20] == 255 and image[50, 80] == 255
    assert image[:, 30:70].max() == 0


def test_a_bent_stroke_has_a_round_join():
    image = rasterize_strokes([[(20, 80), (50, 20), (80, 80)]], shape=(100, 100), width=12)
    # At the apex the brush leaves a disc: ink within the radius on every side of (50, 20).
    assert (image[14:26, 49] > 0).all() and (image[19, 44:56] > 0).all()


def test_supersampling_anti_aliases_the_edges():
    strokes = [[(20.3, 30.7), (170.2, 140.9)]]
    aliased = rasterize_strokes(strokes, shape=(200, 200), width=9, supersample=1)
    smooth = rasterize_strokes(strokes, shape=(200, 200), width=9, supersample=4)
    assert set(np.unique(aliased)) <= {0, 255}
    assert ((smooth > 0) & (smooth < 255)).sum() > 200
    length = np.hypot(170.2 - 20.3, 140.9 - 30.7)
    assert smooth.sum() / 255 == pytest.approx(length * 9 + np.pi * 4.5**2, rel=0.02)


def test_no_strokes_give_a_blank_image():
    assert not rasterize_strokes([], shape=(50, 60)).any()
    assert not rasterize_strokes([[], []], shape=(50, 60)).any()
    assert rasterize_strokes([], shape=(50, 60)).shape == (50, 60)


def test_points_off_the_canvas_are_clipped():
    image = rasterize_strokes([[(-50, 10), (50, 10)]], shape=(40, 40), width=6)
    assert image[10, 0] == 255 and image[10, 39] == 255


def test_a_stroke_may_be_a_numpy_array():
    points = np.array([[10.0, 10.0], [30.0, 30.0]])
    np.testing.assert_array_equal(
        rasterize_strokes([points], shape=(40, 40), width=5),
        rasterize_strokes([[(10, 10), (30, 30)]], shape=(40, 40), width=5),
    )


def test_rasterised_strokes_convert_to_a_centred_mnist_digit():
    strokes = [[(60, 50), (200, 50), (110, 240)], [(90, 140), (170, 140)]]  # a crossed '7'
    image = canvas_to_mnist(rasterize_strokes(strokes, width=20))
    row, col = centre_of_mass(image)
    assert abs(row - CENTRE[0]) <= 0.5 and abs(col - CENTRE[1]) <= 0.5
    assert image[6:10].sum() > image[18:22].sum()  # the bar of the 7 is at the top


@pytest.mark.parametrize(
    "kwargs, words",
    [
        (dict(strokes=[[(1, 2, 3)]]), "(n, 2)"),
        (dict(strokes=[[(1, float("nan"))]]), "NaN"),
        (dict(strokes=[["a", "b"]]), "number pairs"),
        (dict(strokes=5), "list of strokes"),
        (dict(strokes=[], width=0), "width"),
        (dict(strokes=[], width=-3), "width"),
        (dict(strokes=[], shape=(0, 10)), "shape"),
        (dict(strokes=[], shape=(10,)), "shape"),
        (dict(strokes=[], shape=(10.5, 10)), "shape"),
        (dict(strokes=[], supersample=0), "supersample"),
    ],
)
def test_malformed_strokes_raise_a_clear_value_error(kwargs, words):
    with pytest.raises(ValueError) as info:
        rasterize_strokes(**kwargs)
    assert words in str(info.value)
