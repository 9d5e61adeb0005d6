"""Tests for digitlab.canvas_style: MNIST-like digits redrawn as canvas drawings."""

import numpy as np
import pytest
from PIL import Image, ImageDraw

from digitlab.canvas import BOX, CENTER, canvas_to_mnist, center_of_mass
from digitlab.canvas_style import (
    CONVENTIONS,
    canvas_style_augmenter,
    canvas_style_batch,
    dress,
    erosion_depth,
    make_canvas_style_set,
    redraw,
    skeleton_graph,
    skeletonize,
    zhang_suen,
)


def pen_digit(kind, width=3, shift=(0, 0)):
    """A pen-drawn MNIST-like digit: (28, 28) uint8, ink 255, drawn with Pillow."""
    im = Image.new("L", (28, 28), 0)
    d = ImageDraw.Draw(im)
    dx, dy = shift
    if kind == 0:  # a ring
        d.ellipse((8 + dx, 4 + dy, 19 + dx, 23 + dy), outline=255, width=width)
    elif kind == 1:  # a slanted bar
        d.line([(15 + dx, 4 + dy), (12 + dx, 23 + dy)], fill=255, width=width)
    else:  # a seven
        d.line([(8 + dx, 5 + dy), (20 + dx, 5 + dy), (12 + dx, 23 + dy)], fill=255, width=width, joint="curve")
    return np.asarray(im)


def pen_digits(n=30, seed=0):
    """(n, 28, 28) uint8 synthetic digits with labels 0, 1, 7, in random places and pen widths."""
    rng = np.random.default_rng(seed)
    kinds = rng.integers(0, 3, size=n)
    images = np.stack([
        pen_digit(k, width=int(rng.integers(2, 5)), shift=tuple(rng.integers(-3, 4, size=2))) for k in kinds
    ])
    return images, np.array([0, 1, 7], np.uint8)[kinds]


def neighbours(skeleton):
    """(H, W) count of 8-neighbours that are on."""
    p = np.pad(skeleton.astype(int), 1)
    h, w = skeleton.shape
    return sum(p[1 + dr:1 + dr + h, 1 + dc:1 + dc + w] for dr in (-1, 0, 1) for dc in (-1, 0, 1)) - skeleton


def test_thinning_turns_a_thick_bar_into_a_one_pixel_line():
    bar = np.zeros((1, 20, 40), bool)
    bar[0, 7:13, 5:35] = True  # six pixels thick
    skeleton = zhang_suen(bar)[0]
    assert not (skeleton & ~bar[0]).any()  # only ink stays
    assert (skeleton[:, 10:30].sum(axis=0) == 1).all()  # one pixel per column in the middle
    assert skeleton.sum() >= 24  # and the line still runs nearly end to end


def test_thinning_keeps_a_ring_closed():
    yy, xx = np.mgrid[:40, :40]
    r = np.hypot(yy - 19.5, xx - 19.5)
    ring = ((r > 9) & (r < 14))[None]
    skeleton = zhang_suen(ring)[0]
    on = neighbours(skeleton)[skeleton]
    assert (on >= 2).all()  # no loose ends: the loop is unbroken
    assert not skeleton[19, 19] and skeleton.sum() > 50


def test_thinning_works_on_a_whole_batch_at_once():
    images, _ = pen_digits(8)
    batch = skeletonize(images)
    one_by_one = np.concatenate([skeletonize(image) for image in images])
    np.testing.assert_array_equal(batch, one_by_one)
    assert batch.shape == (8, 56, 56)


def test_erosion_depth_measures_half_the_stroke_width():
    bar = np.zeros((1, 20, 20), bool)
    bar[0, 3:10, 2:18] = True  # seven pixels thick
    depth = erosion_depth(bar)[0]
    assert depth[6, 10] == 3 and depth[3, 10] == 0 and depth[15, 10] == 0


def test_skeleton_graph_links_each_pair_of_neighbours_once():
    skeleton = np.zeros((10, 10), bool)
    skeleton[2, 2:7] = True  # a horizontal run of 5
    skeleton[3, 7] = True  # a diagonal step down
    skeleton[4, 7] = True  # and straight down
    nodes, links = skeleton_graph(skeleton, smooth=0)
    assert len(nodes) == 7 and len(links) == 6  # a path: one link fewer than nodes
    pairs = {tuple(sorted(map(tuple, nodes[list(link)].astype(int)))) for link in links}
    assert ((2, 6), (3, 7)) in pairs and ((3, 7), (4, 7)) in pairs and len(pairs) == 6


def test_smoothing_moves_only_the_inside_of_a_line():
    skeleton = np.zeros((10, 10), bool)
    skeleton[[2, 3, 3, 4, 4], [2, 3, 4, 5, 6]] = True  # a staircase
    raw, _ = skeleton_graph(skeleton, smooth=0)
    smooth, _ = skeleton_graph(skeleton, smooth=3)
    np.testing.assert_array_equal(smooth[[0, -1]], raw[[0, -1]])  # ends stay put
    assert not np.allclose(smooth[1:-1], raw[1:-1])


def test_a_redrawn_ring_keeps_its_hole():
    drawing, _ = redraw(pen_digit(0), np.random.default_rng(0), convention="grayscale")
    image = canvas_to_mnist(drawing)
    assert image[14, 14] == 0 and image[13:16, 13:16].max() < 0.1
    assert drawing.shape == (280, 280)


@pytest.mark.parametrize("convention", CONVENTIONS)
def test_every_convention_converts_to_the_same_digit(convention):
    ink, _ = redraw(pen_digit(7), np.random.default_rng(3), convention="grayscale")
    drawing = dress(ink, convention, np.random.default_rng(5))
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
        row, col = center_of_mass(image)
        assert abs(row - CENTER[0]) <= 0.5 and abs(col - CENTER[1]) <= 0.5


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
    assert (labels[overlap.argmax(axis=1)] == labels).all()  # nearest original: one of its own kind
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


def test_the_augmenter_redraws_the_chosen_fraction_and_leaves_the_batch_alone():
    images, _ = pen_digits(40)
    X = np.stack([canvas_to_mnist(image) for image in images])
    before = X.copy()
    half = canvas_style_augmenter(0.5)(X, np.random.default_rng(0))
    np.testing.assert_array_equal(X, before)  # the caller's batch is untouched
    changed = np.abs(half - X).reshape(40, -1).max(axis=1) > 0
    assert 10 <= changed.sum() <= 30
    np.testing.assert_array_equal(canvas_style_augmenter(0.0)(X, np.random.default_rng(0)), X)
    assert (np.abs(canvas_style_augmenter(1.0)(X, np.random.default_rng(0)) - X).reshape(40, -1).max(axis=1) > 0).all()


@pytest.mark.parametrize("fraction", [-0.1, 1.5])
def test_the_augmenter_refuses_a_fraction_outside_zero_to_one(fraction):
    with pytest.raises(ValueError, match="fraction"):
        canvas_style_augmenter(fraction)


@pytest.mark.parametrize(
    "images, words",
    [(np.zeros(784, np.uint8), "shape"), (np.zeros((2, 28, 28), np.int32), "dtype")],
)
def test_malformed_images_raise_a_clear_value_error(images, words):
    with pytest.raises(ValueError, match=words):
        canvas_style_batch(images, np.random.default_rng(0))


def test_labels_must_match_the_images():
    images, labels = pen_digits(5)
    with pytest.raises(ValueError, match="labels"):
        make_canvas_style_set(images, labels[:4], progress=False)
