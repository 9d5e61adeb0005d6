import numpy as np
import pytest

from digitlab.images import as_images


def test_one_image_a_batch_and_flattened_images_all_become_n_by_28_by_28():
    image = np.zeros((28, 28), np.uint8)
    image[3, 5] = 255
    assert as_images(image).shape == (1, 28, 28)
    assert as_images(np.stack([image] * 4)).shape == (4, 28, 28)
    flat = as_images(image.reshape(1, 784))
    assert flat.dtype == np.float32 and flat[0, 3, 5] == 1.0 and flat.sum() == 1.0


@pytest.mark.parametrize("X, words", [
    (np.zeros((2, 28, 28), np.int64), "dtype int64"),
    (np.full((2, 28, 28), np.nan), "between 0 and 1"),
    (np.zeros((2, 27, 27)), "shaped"),
])
def test_bad_images_are_refused_in_words_that_name_the_set(X, words):
    with pytest.raises(ValueError, match=words) as error:
        as_images(X, "your drawings")
    assert str(error.value).startswith("your drawings")
