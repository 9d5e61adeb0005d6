"""The one check of images and labels: what it accepts, and the plain words it uses for the rest."""

import numpy as np
import pytest

from digitlab.plumbing.checks import as_batch, as_images, as_images_and_labels, as_label, as_labels, as_strokes


def test_one_image_a_batch_and_flattened_images_all_become_n_by_28_by_28():
    image = np.zeros((28, 28), np.uint8)
    image[3, 5] = 255
    assert as_images(image).shape == (1, 28, 28)
    assert as_images(np.stack([image] * 4)).shape == (4, 28, 28)
    assert as_images(image.reshape(784)).shape == (1, 28, 28)
    flat = as_images(image.reshape(1, 784))
    assert flat.dtype == np.float32 and flat[0, 3, 5] == 1.0 and flat.sum() == 1.0


def test_uint8_images_are_scaled_to_zero_to_one_or_kept_when_asked():
    X = np.full((2, 28, 28), 255, np.uint8)
    assert as_images(X).max() == 1.0
    kept = as_images(X, keep_uint8=True)
    assert kept.dtype == np.uint8 and np.shares_memory(kept, X)


def test_a_float_a_hair_above_one_is_rounding_and_is_clipped():
    X = np.full((1, 784), 1.0000001, np.float32)
    assert as_batch(X).max() == 1.0


@pytest.mark.parametrize("X, words", [
    (np.zeros((2, 28, 28), np.int64), "not int64 .*astype\\(np.uint8\\)"),
    (np.full((2, 28, 28), np.nan), "NaN or infinite"),
    (np.full((2, 28, 28), 200.0), "between 0 and 1.*divide by 255"),
    (np.full((2, 28, 28), -0.5), "between 0 and 1"),
    (np.zeros((2, 27, 27)), "shaped \\(N, 784\\) or \\(N, 28, 28\\)"),
    (np.array(["a"] * 784), "floats in \\[0, 1\\] or uint8"),
])
def test_bad_images_are_refused_in_words_that_name_the_set(X, words):
    with pytest.raises(ValueError, match=words) as error:
        as_images(X, "your drawings")
    assert str(error.value).startswith("your drawings")


def test_inputs_of_any_width_are_checked_against_that_width():
    assert as_batch(np.zeros((3, 6), np.float32), 6).shape == (3, 6)
    with pytest.raises(ValueError, match="shaped \\(N, 6\\)"):
        as_batch(np.zeros((3, 7), np.float32), 6)


def test_labels_must_be_whole_numbers_in_range_one_per_image():
    assert as_labels([3, 0, 9]).tolist() == [3, 0, 9]
    with pytest.raises(ValueError, match="whole numbers from 0 to 9"):
        as_labels([3, 10])
    with pytest.raises(ValueError, match="whole numbers from 0 to 9"):
        as_labels([-1, 2])
    with pytest.raises(ValueError, match="1-D array of whole numbers"):
        as_labels([1.0, 2.0])
    with pytest.raises(ValueError, match="got 5 images but 1 labels"):
        as_labels([1], n=5)
    with pytest.raises(ValueError, match="got 2 images but 3 labels"):
        as_images_and_labels(np.zeros((2, 784)), [1, 2, 3])


@pytest.mark.parametrize("label", [True, 1.0, "3", 10, -1])
def test_a_single_label_is_a_digit(label):
    with pytest.raises(ValueError, match="label must be"):
        as_label(label)
    assert as_label(np.int64(7)) == 7


def test_strokes_become_arrays_of_points_and_empty_strokes_are_dropped():
    strokes = as_strokes([[(1, 2), (3, 4)], [], [[5, 6]]])
    assert [s.shape for s in strokes] == [(2, 2), (1, 2)]
    with pytest.raises(ValueError, match="Stroke 0 .*NaN"):
        as_strokes([[(1, float("nan"))]])
    with pytest.raises(ValueError, match="list of strokes"):
        as_strokes(5)
