"""The centre line of a digit: thinning, erosion depth and the skeleton graph (digitlab.drawing.skeleton)."""

import numpy as np

from digitlab.drawing.skeleton import erosion_depth, skeleton_graph, skeletonize, zhang_suen
from synthetic import pen_digits


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
