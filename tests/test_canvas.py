"""Tests for digitlab.canvas: canvas drawings in, MNIST-format 28x28 images out."""

import numpy as np
import pytest
from PIL import Image, ImageDraw

from digitlab.drawing.tidy import WIDTH_RANGE
from digitlab.drawing.canvas import (
    BOX,
    CENTRE,
    EmptyDrawingError,
    canvas_to_mnist,
    centre_of_mass,
    ink_map,
)


def draw_seven(shape=(280, 280), top=40, left=60, size=200, width=20):
    """A '7' with a crossbar: asymmetric, so misplacement or flips show. (H, W) uint8, ink 255."""
    im = Image.new("L", (shape[1], shape[0]), 0)
    d = ImageDraw.Draw(im)
    s = size / 200
    pts = [(left, top), (left + 150 * s, top), (left + 60 * s, top + 200 * s)]
    d.line(pts, fill=255, width=max(1, round(width)), joint="curve")
    d.line([(left + 40 * s, top + 100 * s), (left + 120 * s, top + 100 * s)], fill=255, width=max(1, round(width)))
    return np.asarray(im)


def ink_bbox_size(image):
    """(height, width) of the pixels with any ink."""
    rows = np.flatnonzero(image.any(axis=1))
    cols = np.flatnonzero(image.any(axis=0))
    return rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1


def as_alpha(ink, colour=(200, 30, 90)):
    """Transparent background, ink of one colour in the alpha channel."""
    out = np.zeros(ink.shape + (4,), np.uint8)
    out[..., :3] = colour
    out[..., 3] = ink
    return out


def as_dark_on_light(ink):
    """Opaque white background, black ink."""
    out = np.full(ink.shape + (4,), 255, np.uint8)
    out[..., :3] = 255 - ink[..., None]
    return out


def as_light_on_dark(ink):
    """Opaque black background, white ink."""
    out = np.full(ink.shape + (4,), 255, np.uint8)
    out[..., :3] = ink[..., None]
    return out


def assert_mnist_format(image):
    """Shape, range, contrast, 20x20 box and centre of mass as MNIST has them."""
    assert image.shape == (28, 28)
    assert image.dtype == np.float32
    assert image.min() >= 0.0 and image.max() == pytest.approx(1.0)
    h, w = ink_bbox_size(image > 0)
    assert max(h, w) in (BOX - 1, BOX)  # longer side fills the box (edge pixels may round to 0)
    assert h <= BOX and w <= BOX
    row, col = centre_of_mass(image)
    assert abs(row - CENTRE[0]) <= 0.5 and abs(col - CENTRE[1]) <= 0.5


def test_each_colour_convention_gives_the_same_image():
    ink = draw_seven()
    expected = canvas_to_mnist(ink)
    for drawing in (ink.astype(np.float64) / 255, as_alpha(ink), as_dark_on_light(ink), as_light_on_dark(ink)):
        np.testing.assert_allclose(canvas_to_mnist(drawing), expected, atol=1e-5)


def test_the_convention_is_recognised():
    ink = draw_seven()
    names = [canvas_to_mnist(d, return_steps=True)[1].convention
             for d in (ink, as_alpha(ink), as_dark_on_light(ink), as_light_on_dark(ink))]
    assert names == ["grayscale", "alpha", "dark-on-light", "light-on-dark"]


def test_coloured_ink_on_white_gives_nearly_the_same_image():
    ink = draw_seven()
    blue = np.full(ink.shape + (4,), 255, np.uint8)
    a = ink[..., None].astype(np.float32) / 255
    blue[..., :3] = np.round(255 * (1 - a) + np.array([20, 40, 160]) * a)
    diff = np.abs(canvas_to_mnist(blue) - canvas_to_mnist(ink))
    assert diff.mean() < 0.02 and diff.max() < 0.2


def test_transparent_ink_of_any_colour_gives_the_same_image():
    ink = draw_seven()
    images = [canvas_to_mnist(as_alpha(ink, colour)) for colour in [(0, 0, 0), (255, 255, 255), (255, 0, 0)]]
    for image in images[1:]:
        np.testing.assert_array_equal(image, images[0])


@pytest.mark.parametrize(
    "name, drawing",
    [
        ("middle", draw_seven()),
        ("tiny", draw_seven(top=5, left=5, size=12, width=2)),
        ("tiny in the far corner", draw_seven(top=262, left=264, size=14, width=3)),
        ("huge", draw_seven(top=5, left=5, size=270, width=30)),
        ("corner", draw_seven(top=0, left=0, size=90, width=15)),
        ("thick brush", draw_seven(top=30, left=30, size=200, width=70)),
        ("hairline brush", draw_seven(width=1)),
        ("wide canvas", draw_seven(shape=(120, 900), top=10, left=700, size=100, width=12)),
        ("tall canvas", draw_seven(shape=(900, 120), top=600, left=10, size=100, width=12)),
    ],
)
def test_any_size_and_position_comes_out_in_mnist_format(name, drawing):
    assert_mnist_format(canvas_to_mnist(drawing))


def test_an_off_centre_drawing_comes_out_the_same_as_a_centred_one():
    centred = canvas_to_mnist(draw_seven(top=40, left=60))
    for top, left in [(10, 10), (70, 10), (12, 120), (69, 117)]:  # the whole brush stays on the canvas
        np.testing.assert_allclose(canvas_to_mnist(draw_seven(top=top, left=left)), centred, atol=1e-6)


def test_a_drawing_twice_the_size_with_twice_the_brush_looks_the_same():
    small = canvas_to_mnist(draw_seven(size=100, width=10, top=20, left=20))
    big = canvas_to_mnist(draw_seven(size=200, width=20, top=20, left=20))
    # Centring rounds to whole pixels, so the two may sit one pixel apart.
    diffs = [np.abs(np.roll(small, (dr, dc), axis=(0, 1)) - big).mean() for dr in (-1, 0, 1) for dc in (-1, 0, 1)]
    assert min(diffs) < 0.03


def test_a_tiny_drawing_is_enlarged_to_fill_the_box():
    tiny = np.zeros((280, 280), np.uint8)
    tiny[100:110, 200:204] = 255  # a 10x4 stroke: 8 px wide once enlarged, so evened to a pen's width
    image, steps = canvas_to_mnist(tiny, return_steps=True)
    assert steps.scaled.shape[0] == 20 and steps.scaled.shape[1] <= WIDTH_RANGE[1] + 1
    assert steps.widths[0] == pytest.approx(8, abs=1) and steps.widths[1] <= WIDTH_RANGE[1] + 0.5
    assert_mnist_format(image)


def test_a_flat_stroke_keeps_its_aspect():
    dash = np.zeros((280, 280), np.uint8)
    dash[130:140, 40:240] = 255  # 200 wide, 10 high
    image, steps = canvas_to_mnist(dash, return_steps=True)
    assert steps.scaled.shape == (1, 20)
    assert ink_bbox_size(image > 0) == (1, 20)


def test_an_mnist_format_digit_comes_back_unchanged():
    digit = np.zeros((28, 28), np.float32)
    digit[4:24, 12:15] = 1.0  # a 20x3 bar (a pen's width) whose centre of mass is (13.5, 13)
    digit[4:6, 8:11] = 1.0  # a flag, pulling the centre of mass up and left
    out = canvas_to_mnist(digit)
    row, col = centre_of_mass(digit)
    shift = (round(CENTRE[0] - row), round(CENTRE[1] - col))
    np.testing.assert_allclose(out, np.roll(digit, shift, axis=(0, 1)), atol=1e-6)


def test_faint_haze_does_not_count_as_ink():
    rng = np.random.default_rng(0)
    ink = draw_seven()
    haze = (rng.random(ink.shape) * 20).astype(np.uint8)  # below the ink threshold
    clean = canvas_to_mnist(ink, return_steps=True)[1]
    hazy = canvas_to_mnist(np.maximum(ink, haze), return_steps=True)[1]
    assert hazy.bbox == clean.bbox
    np.testing.assert_allclose(hazy.image, clean.image, atol=1e-6)


def test_faint_haze_alone_is_an_empty_drawing():
    rng = np.random.default_rng(0)
    with pytest.raises(EmptyDrawingError):
        canvas_to_mnist((rng.random((100, 100)) * 20).astype(np.uint8))


@pytest.mark.parametrize(
    "blank",
    [
        np.zeros((280, 280), np.uint8),
        np.zeros((280, 280), np.float32),
        np.zeros((280, 280, 4), np.uint8),  # transparent
        np.full((280, 280, 4), 255, np.uint8),  # white
        np.concatenate([np.zeros((280, 280, 3), np.uint8), np.full((280, 280, 1), 255, np.uint8)], axis=2),  # black
    ],
)
def test_blank_canvas_raises_empty_drawing_error(blank):
    with pytest.raises(EmptyDrawingError, match="The canvas is empty: draw a digit first."):
        canvas_to_mnist(blank)


def test_empty_drawing_error_is_a_value_error():
    assert issubclass(EmptyDrawingError, ValueError)
    with pytest.raises(ValueError):
        canvas_to_mnist(np.zeros((10, 10), np.uint8))


@pytest.mark.parametrize(
    "bad, words",
    [
        (np.zeros((28, 28, 3), np.uint8), "RGBA"),
        (np.zeros(784, np.uint8), "dimension"),
        (np.zeros((1, 1, 28, 28, 4), np.uint8), "dimension"),
        (np.zeros((2, 28, 28, 4), np.uint8), "dimension"),
        (np.zeros((28, 28, 4), np.float32), "uint8"),
        (np.zeros((28, 28), np.int64), "uint8"),
        (np.zeros((28, 28), bool), "uint8"),
        (np.full((28, 28), 2.0), "[0, 1]"),
        (np.full((28, 28), -0.5), "[0, 1]"),
        (np.full((28, 28), np.nan), "NaN"),
        (np.zeros((0, 28), np.uint8), "no pixels"),
    ],
)
def test_malformed_input_raises_a_clear_value_error(bad, words):
    with pytest.raises(ValueError, match=None) as info:
        canvas_to_mnist(bad)
    assert not isinstance(info.value, EmptyDrawingError)
    assert words in str(info.value)


def test_steps_follow_one_another():
    drawing = as_dark_on_light(draw_seven(top=50, left=20, size=150, width=18))
    image, steps = canvas_to_mnist(drawing, return_steps=True)
    np.testing.assert_array_equal(image, steps.image)
    np.testing.assert_array_equal(image, canvas_to_mnist(drawing))
    assert steps.ink.shape == drawing.shape[:2] and steps.ink.dtype == np.float32
    assert 0.0 <= steps.ink.min() and steps.ink.max() <= 1.0
    top, left, bottom, right = steps.bbox
    assert steps.ink[:top].sum() == 0 and steps.ink[bottom:].sum() == 0
    assert steps.ink[:, :left].sum() == 0 and steps.ink[:, right:].sum() == 0
    assert steps.ink[top].any() and steps.ink[bottom - 1].any()
    assert steps.ink[:, left].any() and steps.ink[:, right - 1].any()
    h, w = steps.scaled.shape
    assert max(h, w) == BOX
    assert abs(h / w - (bottom - top) / (right - left)) < 0.1
    r, c = steps.offset
    np.testing.assert_array_equal(steps.image[r:r + h, c:c + w], steps.scaled)
    assert steps.image.sum() == pytest.approx(steps.scaled.sum(), rel=1e-5)
    np.testing.assert_allclose(steps.com_after, centre_of_mass(steps.image))
    assert abs(steps.com_after[0] - CENTRE[0]) <= 0.5 and abs(steps.com_after[1] - CENTRE[1]) <= 0.5
    moved = np.subtract(steps.com_after, steps.com_before)
    np.testing.assert_allclose(moved, (r - (28 - h) / 2, c - (28 - w) / 2), atol=1e-9)


def test_ink_map_is_ink_bright_whatever_the_convention():
    ink = draw_seven()
    for drawing in (as_alpha(ink), as_dark_on_light(ink), as_light_on_dark(ink)):
        got, _ = ink_map(drawing)
        assert got[ink == 255].min() == pytest.approx(1.0)
        assert got[ink == 0].max() == 0.0
