"""Digit readers without a network (nearest mean, nearest neighbour) and k-means clustering without labels."""

import numpy as np
import pytest

from digitlab.lessons.baselines import (
    NearestMean, NearestNeighbour, average_of_each_digit, mean_images, nearest, squared_distances,
)
from digitlab.lessons.clustering import KMeans, label_mix


def blobs(n=60, seed=0):
    """Three kinds of 'image' (784 pixels): a bright top, middle or bottom band, with noise; labels 0, 1, 2."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, n)
    X = rng.random((n, 28, 28)) * 0.3
    for i, label in enumerate(y):
        X[i, 9 * label:9 * label + 9] += 0.7
    return (X * 255).astype(np.uint8), y


def test_squared_distances_match_the_difference_written_out():
    rng = np.random.default_rng(0)
    A, B = rng.random((4, 784)), rng.random((3, 784))
    direct = ((A[:, None, :] - B[None, :, :]) ** 2).sum(axis=2)
    assert np.allclose(squared_distances(A, B), direct, rtol=1e-4)
    assert np.all(squared_distances(A, A).diagonal() >= 0)


def test_nearest_works_block_by_block_like_all_at_once():
    rng = np.random.default_rng(1)
    X, stored = rng.random((25, 784)).astype(np.float32), rng.random((7, 784)).astype(np.float32)
    assert np.array_equal(nearest(X, stored, block=4), squared_distances(X, stored).argmin(axis=1))


def test_mean_images_average_each_digit_and_refuse_a_missing_one():
    X = np.zeros((4, 28, 28), np.uint8)
    X[0], X[1], X[2], X[3] = 255, 0, 51, 102
    means = mean_images(X, np.array([0, 0, 1, 1]), classes=2)
    assert means.shape == (2, 784) and np.allclose(means[0], 0.5) and np.allclose(means[1], 0.3)
    with pytest.raises(ValueError, match=r"none for \[1\]"):
        mean_images(X[:2], np.array([0, 0]), classes=2)


def test_nearest_mean_reads_bands_it_has_averaged():
    X, y = blobs(seed=2)
    X_new, y_new = blobs(seed=3)
    # mean_images needs every digit 0..9: give the other seven one blank image each
    X_all = np.concatenate([X, np.zeros((7, 28, 28), np.uint8)])
    y_all = np.concatenate([y, np.arange(3, 10)])
    model = NearestMean().fit(X_all, y_all)
    assert model.score(X_new, y_new) == 1.0


def test_nearest_neighbour_answers_the_label_of_the_closest_stored_image():
    X, y = blobs(seed=4)
    model = NearestNeighbour().fit(X, y)
    assert np.array_equal(model.predict(X), y)            # each image is its own nearest neighbour
    X_new, y_new = blobs(seed=5)
    brute = [y[np.argmin(((X.reshape(len(X), -1) / 255 - x.reshape(-1) / 255) ** 2).sum(axis=1))] for x in X_new]
    assert np.array_equal(model.predict(X_new), brute)


def test_kmeans_finds_the_three_bands_without_their_labels():
    X, y = blobs(n=90, seed=6)
    km = KMeans(k=3, seed=0).fit(X)
    table = label_mix(km.clusters_, y)
    assert sorted(table["most common digit"]) == [0, 1, 2]
    assert min(table["share"]) == 1.0 and sum(table["images"]) == 90
    assert np.array_equal(km.predict(X), km.clusters_)
    assert km.converged_ and km.steps_ < km.max_steps


def test_kmeans_centres_are_the_averages_of_their_clusters():
    X, _ = blobs(n=40, seed=7)
    km = KMeans(k=3, seed=1).fit(X)
    flat = X.reshape(len(X), -1) / 255
    for c in range(3):
        assert np.allclose(km.centres_[c], flat[km.clusters_ == c].mean(axis=0), atol=1e-5)


def test_kmeans_refuses_fewer_images_than_clusters_and_a_k_below_one():
    with pytest.raises(ValueError, match="at least k = 5"):
        KMeans(k=5).fit(np.zeros((3, 784), np.float32))
    with pytest.raises(ValueError, match="k must be a whole number"):
        KMeans(k=0)


def test_the_average_of_each_digit_keeps_the_images_scale_and_shape_and_gives_zeros_for_a_missing_digit():
    X = np.zeros((3, 28, 28), np.uint8)
    X[0], X[1], X[2] = 100, 200, 50
    means = average_of_each_digit(X, np.array([4, 4, 7]))
    assert means.shape == (10, 28, 28) and means.dtype == np.float64
    assert np.all(means[4] == 150) and np.all(means[7] == 50) and not means[0].any()
