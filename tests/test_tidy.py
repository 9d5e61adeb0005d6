"""Tidying a drawing before it is scaled (digitlab.drawing.tidy): stray marks dropped, strokes evened."""

import numpy as np
import pytest

from digitlab import load_pretrained
from digitlab.drawing.canvas import BOX, canvas_to_mnist
from digitlab.drawing.strokes import rasterize_strokes
from digitlab.drawing.tidy import (STRAY_GAP, WIDTH_RANGE, dilate, drop_stray_marks, erode, even_strokes,
                                   ink_pieces, stroke_width)
from digitlab.shift import stroke_width as mnist_stroke_width

SEVEN = [[(70, 50), (210, 50), (120, 240)], [(100, 140), (180, 140)]]  # a crossed 7, 190 px tall
FIVE = [[(100, 60), (95, 130), (150, 120), (185, 160), (170, 215), (120, 235), (90, 215)], [(108, 55), (190, 50)]]
ONE_WITH_BASE = [[(110, 70), (140, 40), (140, 220)], [(105, 245), (175, 245)]]  # the base does not touch
RING = [[(140 + 70 * np.cos(t), 140 + 95 * np.sin(t)) for t in np.linspace(0, 2 * np.pi, 80)]]


def pad(strokes, width=20):
    """Strokes drawn on the 280x280 pad as the drawing pad draws them."""
    return rasterize_strokes(strokes, shape=(280, 280), width=width)


def with_dot(pixels, x, y, width=20):
    """The drawing with one tap of the brush at (x, y)."""
    return np.maximum(pixels, pad([[(x, y)]], width))


@pytest.mark.parametrize("x, y", [(20, 20), (260, 140), (30, 265), (250, 262), (265, 15)])
def test_a_stray_dot_away_from_the_digit_reads_the_same_as_without_it(x, y):
    model = load_pretrained()
    for strokes in (SEVEN, FIVE, ONE_WITH_BASE, RING):
        clean = pad(strokes)
        dotted = with_dot(clean, x, y)
        image, steps = canvas_to_mnist(dotted, return_steps=True)
        assert len(steps.stray) == 1
        np.testing.assert_array_equal(image, canvas_to_mnist(clean))
        np.testing.assert_array_equal(model.predict_proba(image), model.predict_proba(canvas_to_mnist(clean)))


def test_without_the_tidying_the_same_dot_would_shrink_the_digit():
    dotted = with_dot(pad(SEVEN), 20, 20)
    kept, dropped = drop_stray_marks(dotted.astype(np.float32) / 255, gap=10.0)  # nothing counts as far
    assert dropped == []
    rows = np.flatnonzero(kept.any(axis=1))
    assert rows[-1] - rows[0] > 1.1 * (240 - 50 + 20)  # the box grew by the dot's distance: the digit would shrink


def test_several_stray_dots_are_all_dropped_and_a_drawing_of_dots_is_left_alone():
    clean = pad(SEVEN)
    dotted = with_dot(with_dot(with_dot(clean, 20, 20), 260, 270), 265, 20, width=8)
    image, steps = canvas_to_mnist(dotted, return_steps=True)
    assert len(steps.stray) == 3
    np.testing.assert_array_equal(image, canvas_to_mnist(clean))
    dots = pad([[(60, 60)], [(200, 200)]])  # two equal dots: neither is a stray mark of the other
    assert canvas_to_mnist(dots, return_steps=True)[1].stray == ()


def test_the_parts_of_a_digit_drawn_apart_are_kept():
    for strokes in (FIVE, ONE_WITH_BASE, [[(90, 40), (80, 160), (200, 160)], [(170, 100), (175, 250)]]):
        image, steps = canvas_to_mnist(pad(strokes), return_steps=True)
        assert steps.stray == ()
    flag_apart = [FIVE[0], [(112, 30), (190, 28)]]  # the 5's flag drawn well above its stem
    assert canvas_to_mnist(pad(flag_apart), return_steps=True)[1].stray == ()


def test_a_small_mark_close_to_the_digit_is_kept():
    near = with_dot(pad(SEVEN), 226, 120, width=8)  # 6 px right of the end of the 7's bar: under STRAY_GAP
    assert canvas_to_mnist(near, return_steps=True)[1].stray == ()
    assert 6 < STRAY_GAP * 210


def flood_fill_pieces(mask):
    """Boxes of the 8-connected pieces of a mask, by a plain flood fill (a second implementation)."""
    seen, boxes = np.zeros_like(mask), []
    for start in zip(*np.nonzero(mask)):
        if seen[start]:
            continue
        todo, cells = [start], []
        seen[start] = True
        while todo:
            r, c = todo.pop()
            cells.append((r, c))
            for dr in (-1, 0, 1):
                for dc in (-1, 0, 1):
                    rr, cc = r + dr, c + dc
                    if 0 <= rr < mask.shape[0] and 0 <= cc < mask.shape[1] and mask[rr, cc] and not seen[rr, cc]:
                        seen[rr, cc] = True
                        todo.append((rr, cc))
        rows, cols = zip(*cells)
        boxes.append((min(rows), min(cols), max(rows) + 1, max(cols) + 1))
    return sorted(boxes)


def test_ink_pieces_are_the_blobs_a_flood_fill_finds_when_empty_bands_part_them():
    rng = np.random.default_rng(0)
    for _ in range(20):
        mask = np.zeros((60, 60), bool)
        for r in range(3):  # blobs in a 3x3 grid of cells, so empty bands always part them
            for c in range(3):
                if rng.random() < 0.6:
                    h, w = rng.integers(2, 15, size=2)
                    top, left = 20 * r + rng.integers(0, 19 - h), 20 * c + rng.integers(0, 19 - w)
                    mask[top:top + h, left:left + w] = True
        pieces = sorted(ink_pieces(mask))
        assert pieces == flood_fill_pieces(mask)


@pytest.mark.parametrize("width", [5, 9, 13, 21])
def test_stroke_width_measures_lines_of_a_known_width_at_any_angle(width):
    for end in [(150, 20), (150, 150), (60, 170)]:  # across, diagonal, steep
        line = rasterize_strokes([[(20, 20), end]], shape=(200, 200), width=width).astype(np.float32) / 255
        assert abs(stroke_width(line) - width) <= 1 + 0.1 * width
    ring = rasterize_strokes(RING, shape=(280, 280), width=width).astype(np.float32) / 255
    assert abs(stroke_width(ring) - width) <= 1 + 0.1 * width


def test_erosion_and_dilation_move_every_side_one_pixel_a_step():
    square = np.zeros((30, 30), np.float32)
    square[10:20, 10:20] = 1
    np.testing.assert_array_equal(np.argwhere(erode(square, 3)).min(0), [13, 13])
    np.testing.assert_array_equal(np.argwhere(erode(square, 3)).max(0), [16, 16])
    grown = dilate(square, 3)
    np.testing.assert_array_equal(np.argwhere(grown).min(0), [7, 7])
    assert grown[7, 14] == 1 and grown[7, 7] == 0  # corners are cut, like a round brush's


@pytest.mark.parametrize("brush", [6, 12, 20, 32, 48])
def test_any_brush_comes_out_with_strokes_of_mnist_width(brush):
    image, steps = canvas_to_mnist(pad(SEVEN, brush), return_steps=True)
    low, high = WIDTH_RANGE
    assert low - 0.3 <= steps.widths[1] <= high + 0.3
    # An independent measure (ink area over centre-line length) agrees, within MNIST's own spread.
    assert 1.3 <= mnist_stroke_width(image)[0] <= 3.7, mnist_stroke_width(image)


def test_a_thick_brush_no_longer_fills_a_small_loop():
    nine = [[(170, 90), (140, 60), (100, 70), (95, 110), (130, 130), (170, 110), (170, 90), (168, 240)]]
    thin, thick = canvas_to_mnist(pad(nine, 14)), canvas_to_mnist(pad(nine, 36))
    loop = (slice(6, 11), slice(12, 17))  # inside the loop, where thin ink leaves a hole
    assert thin[loop].min() < 0.05 and thick[loop].min() < 0.05


def test_strokes_within_mnist_range_are_left_alone():
    digit = np.zeros((80, 40), np.float32)
    digit[:, 16:26] = 1  # 10 px wide on an 80 px side: 2.5 px once the longer side is 20
    evened, before, after = even_strokes(digit, BOX)
    assert evened is digit and before == after == pytest.approx(2.25, abs=0.3)


def test_erosion_takes_a_cross_then_a_square_and_dilation_mirrors_it():
    ink = np.ones((17, 17), np.float32)
    ink[8, 8] = 0  # one hole of paper in a field of ink (paper also comes in at the edge: look at the middle)
    middle = (slice(4, 13), slice(4, 13))
    once, twice = erode(ink, 1)[middle], erode(ink, 2)[middle]
    assert (once == 0).sum() == 5 and once[3, 3] == 1  # a cross: the hole and its four sides
    assert (twice == 0).sum() == 21  # then a square around that: 5x5 less its four corners
    for steps in (1, 2, 3):
        np.testing.assert_array_equal(dilate(1 - ink, steps)[middle], 1 - erode(ink, steps)[middle])
