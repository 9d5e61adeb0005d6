"""MNIST-like digits redrawn as canvas drawings (digitlab.drawing.canvas_style)."""

import numpy as np
import pytest

from digitlab.drawing.canvas import BOX, CENTRE, canvas_to_mnist, centre_of_mass
from digitlab.drawing.canvas_style import CONVENTIONS, as_convention, canvas_style_batch, make_canvas_style_set, redraw
from synthetic import pen_digit, pen_digits


def test_a_redrawn_ring_keeps_its_hole():
    drawing, _ = redraw(pen_digit(0), np.random.default_rng(0), convention="grayscale")
    image = canvas_to_mnist(drawing)
    assert image[14, 14] == 0 and image[13:16, 13:16].max() < 0.1
    assert drawing.shape == (280, 280)


@pytest.mark.parametrize("convention", CONVENTIONS)
def test_every_convention_converts_to_the_same_digit(convention):
    ink, _ = redraw(pen_digit(7), np.random.default_rng(3), convention="grayscale")
    drawing = as_convention(ink, convention, np.random.default_rng(5))
    assert canvas_to_mnist(drawing, return_steps=True)[1].convention == convention
    diff = np.abs(canvas_to_mnist(drawing) - canvas_to_mnist(ink))
    assert diff.max() < 0.02


def test_redraw_picks_the_conventions_at_random():
    rng = np.random.default_rng(0)
    seen = {redraw(pen_digit(1), rng)[1] for _ in range(30)}
    assert seen == set(CONVENTIONS)


def test_canvas_style_set_is_the_same_for_the_same_seed():
    images, labels = pen_digits(12)
    X1, y1 = make_canvas_style_set(images, labels, seed=4, progress=False)
    X2, y2 = make_canvas_style_set(images, labels, seed=4, progress=False)
    X3, _ = make_canvas_style_set(images, labels, seed=5, progress=False)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, labels)
    assert not np.array_equal(X1, X3)
    assert X1.shape == (12, 28, 28) and X1.dtype == np.float32


def assert_looks_like_mnist_digits(X):
    """Every image: ink in [0, 1] peaking at 1, a sane amount of it, filling the 20x20 box, centred."""
    assert X.min() >= 0 and X.max() <= 1
    for image in X:
        assert image.max() == pytest.approx(1.0)
        assert 0.04 < image.mean() < 0.35  # MNIST averages 0.13
        rows = np.flatnonzero(image.any(axis=1))
        cols = np.flatnonzero(image.any(axis=0))
        assert max(rows[-1] - rows[0], cols[-1] - cols[0]) + 1 in (BOX - 1, BOX)
        row, col = centre_of_mass(image)
        assert abs(row - CENTRE[0]) <= 0.5 and abs(col - CENTRE[1]) <= 0.5


def test_canvas_style_set_looks_like_mnist_digits():
    images, labels = pen_digits(20)
    X, _ = make_canvas_style_set(images, labels, seed=0, progress=False)
    assert_looks_like_mnist_digits(X)


def best_overlap(a, b):
    """Cosine similarity of two images, at the best shift of up to 2 pixels (centring rounds)."""
    shifts = [np.roll(a, (dr, dc), axis=(0, 1)) for dr in range(-2, 3) for dc in range(-2, 3)]
    return max(float((s * b).sum() / np.linalg.norm(s) / np.linalg.norm(b)) for s in shifts)


def test_canvas_style_digits_keep_the_shape_of_the_original():
    images, labels = pen_digits(30, seed=1)
    X, _ = make_canvas_style_set(images, labels, seed=0, progress=False)
    originals = [canvas_to_mnist(image) for image in images]  # the same framing
    overlap = np.array([[best_overlap(x, o) for o in originals] for x in X])  # (30, 30)
    # Nearest original: one of its own kind. Thinning shortens the ends of a very thick stroke,
    # so once in a while a thick 7's bar comes out short enough to sit nearer a 1.
    assert (labels[overlap.argmax(axis=1)] == labels).sum() >= 29
    assert (np.diag(overlap) > 0.7).all()


def test_the_training_batch_is_deterministic_and_looks_like_mnist_digits():
    images, _ = pen_digits(20)
    X1 = canvas_style_batch(images, np.random.default_rng(7))
    X2 = canvas_style_batch(images.astype(np.float32) / 255, np.random.default_rng(7))
    np.testing.assert_allclose(X1, X2, atol=1e-6)  # uint8 and float input agree
    assert X1.shape == (20, 28, 28) and X1.dtype == np.float32
    assert_looks_like_mnist_digits(X1)


def test_a_blank_image_stays_blank():
    images = np.zeros((2, 28, 28), np.uint8)
    images[1] = pen_digit(1)
    X = canvas_style_batch(images, np.random.default_rng(0))
    assert not X[0].any() and X[1].any()
    with pytest.raises(ValueError, match="no ink"):
        redraw(images[0], np.random.default_rng(0))


@pytest.mark.parametrize(
    "images, words",
    [(np.zeros((3, 27, 27), np.uint8), "shaped"), (np.zeros((2, 28, 28), np.int32), "not int32")],
)
def test_malformed_images_raise_a_clear_value_error(images, words):
    with pytest.raises(ValueError, match=words):
        canvas_style_batch(images, np.random.default_rng(0))


def test_labels_must_match_the_images():
    images, labels = pen_digits(5)
    with pytest.raises(ValueError, match="labels"):
        make_canvas_style_set(images, labels[:4], progress=False)
