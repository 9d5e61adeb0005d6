"""Tests for digitlab.plots on small synthetic data."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from digitlab import plots
from digitlab.plots.digits import WRONG


@pytest.fixture
def digits():
    """Twenty random uint8 'digits' (20, 28, 28) with labels 0..9 twice."""
    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, size=(20, 28, 28), dtype=np.uint8)
    y = np.tile(np.arange(10), 2)
    return X, y


def images_in(fig):
    return sum(len(ax.images) for ax in fig.axes)


def titles(fig):
    return [ax.get_title() for ax in fig.axes]


def test_plot_digits_draws_one_titled_image_per_digit(digits):
    X, y = digits
    fig = plots.plot_digits(X[:12], y[:12], ncols=5)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 12 and images_in(fig) == 12
    assert titles(fig) == [str(d) for d in y[:12]]


def test_plot_digits_accepts_flat_float_images(digits):
    X, y = digits
    fig = plots.plot_digits(X.reshape(20, 784) / 255.0, y)
    assert images_in(fig) == 20
    assert fig.axes[0].images[0].get_clim() == (0, 1.0)


def test_plot_digits_titles_wrong_predictions_in_red(digits):
    X, y = digits
    predictions = y.copy()
    predictions[[1, 4]] = 0
    fig = plots.plot_digits(X, y, predictions=predictions)
    red = [i for i, ax in enumerate(fig.axes) if ax.title.get_color() == WRONG]
    assert red == [1, 4]
    assert fig.axes[1].get_title() == "guess 0\nlabel 1"


def test_plot_digits_stops_at_max_images(digits):
    X, y = digits
    assert images_in(plots.plot_digits(X, y, max_images=7)) == 7


def test_plot_digits_with_no_images_raises_value_error():
    with pytest.raises(ValueError, match="no images"):
        plots.plot_digits(np.zeros((0, 28, 28)))


def test_wrongly_shaped_images_raise_value_error():
    with pytest.raises(ValueError, match="28, 28"):
        plots.plot_digits(np.zeros((3, 27, 27)))


def test_plot_class_counts_bars_match_label_counts():
    y = np.array([0, 0, 0, 3, 9, 9])
    fig = plots.plot_class_counts(y)
    heights = [bar.get_height() for bar in fig.axes[0].patches]
    assert heights == [3, 0, 0, 1, 0, 0, 0, 0, 0, 2]


def test_plot_class_counts_draws_into_a_given_ax():
    fig = Figure()
    ax = fig.add_subplot()
    assert plots.plot_class_counts([1, 2, 2], ax=ax) is fig
    assert len(ax.patches) == 10


def test_mean_images_averages_each_digit_separately():
    X = np.zeros((3, 28, 28), dtype=np.uint8)
    X[0, 0, 0] = 100
    X[1, 0, 0] = 200
    X[2, 5, 5] = 50
    means = plots.mean_images(X, [4, 4, 7])
    assert means.shape == (10, 28, 28)
    assert means[4, 0, 0] == 150 and means[7, 5, 5] == 50
    assert means[0].sum() == 0  # no zeros in the labels: an empty picture


def test_plot_mean_digits_draws_ten_images(digits):
    X, y = digits
    fig = plots.plot_mean_digits(X, y)
    assert len(fig.axes) == 10 and images_in(fig) == 10
    assert np.allclose(fig.axes[3].images[0].get_array(), X[y == 3].mean(axis=0))


def test_plot_pixel_values_prints_every_pixel():
    image = np.arange(784).reshape(28, 28) % 256
    fig = plots.plot_pixel_values(image.astype(np.uint8))
    texts = fig.axes[0].texts
    assert len(texts) == 784 and images_in(fig) == 1
    assert texts[29].get_text() == "29"  # row 1, column 1


def test_plot_probabilities_highlights_the_top_guess():
    probs = np.full(10, 0.02)
    probs[6] = 0.82
    fig = plots.plot_probabilities(probs, label=6)
    bars = fig.axes[0].patches
    colors = [bar.get_facecolor() for bar in bars]
    assert len(bars) == 10
    assert colors[6] != colors[0] and colors.count(colors[0]) == 9
    assert fig.axes[0].get_title() == "top guess: 6 (82.0%), label: 6"


def test_plot_probabilities_with_wrong_length_raises_value_error():
    with pytest.raises(ValueError, match="10 probabilities"):
        plots.plot_probabilities([0.5, 0.5])


def test_confusion_matrix_matches_a_hand_count():
    y_true = [0, 0, 1, 1, 1, 2, 2, 2, 2]
    y_pred = [0, 1, 1, 1, 2, 2, 2, 0, 2]
    cm = plots.confusion_matrix(y_true, y_pred, num_classes=3)
    assert cm.tolist() == [[1, 1, 0],
                           [0, 2, 1],
                           [1, 0, 3]]


def test_confusion_matrix_rows_sum_to_class_counts():
    rng = np.random.default_rng(1)
    y_true, y_pred = rng.integers(0, 10, 500), rng.integers(0, 10, 500)
    cm = plots.confusion_matrix(y_true, y_pred)
    assert cm.shape == (10, 10)
    assert cm.sum(axis=1).tolist() == np.bincount(y_true, minlength=10).tolist()
    assert np.trace(cm) == np.sum(y_true == y_pred)


def test_confusion_matrix_rejects_mismatched_lengths_and_bad_labels():
    with pytest.raises(ValueError, match="3 true labels but 2 predictions"):
        plots.confusion_matrix([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="from 0 to 9"):
        plots.confusion_matrix([1, 10], [1, 2])


def test_plot_confusion_matrix_writes_counts_in_cells():
    fig = plots.plot_confusion_matrix([0, 0, 1, 9], [0, 1, 1, 9])
    ax = fig.axes[0]
    assert len(ax.texts) == 100
    assert ax.texts[1].get_text() == "1"  # true 0, predicted 1
    assert ax.get_title() == "3 of 4 correct"


def test_plot_first_layer_weights_draws_one_tile_per_neuron():
    W = np.random.default_rng(2).normal(size=(784, 32)).astype(np.float32)
    fig = plots.plot_first_layer_weights(W, ncols=8)
    assert len(fig.axes) == 32 and images_in(fig) == 32
    image = fig.axes[5].images[0]
    assert np.allclose(image.get_array(), W[:, 5].reshape(28, 28))
    low, high = image.get_clim()
    assert low == -high  # diverging colours centred on zero


def test_plot_first_layer_weights_rejects_wrong_shape():
    with pytest.raises(ValueError, match="784"):
        plots.plot_first_layer_weights(np.zeros((128, 784)))


def test_plot_confident_mistakes_shows_surest_mistakes_first(digits):
    X, y = digits
    probs = np.eye(10)[y] * 0.9 + 0.01  # every answer right ...
    probs[3] = np.eye(10)[8] * 0.5 + 0.05  # ... except #3 (guess 8 at 55%)
    probs[7] = np.eye(10)[1] * 0.9 + 0.01  # and #7 (guess 1 at 91%)
    fig = plots.plot_confident_mistakes(X, y, probs)
    assert len(fig.axes) == 2 and images_in(fig) == 2
    assert titles(fig) == ["guess 1 (91.0%)\nlabel 7", "guess 8 (55.0%)\nlabel 3"]


def test_plot_confident_mistakes_says_so_when_there_are_none(digits):
    X, y = digits
    fig = plots.plot_confident_mistakes(X, y, np.eye(10)[y])
    assert images_in(fig) == 0
    assert fig.axes[0].texts[0].get_text() == "No mistakes!"


def test_every_figure_renders_to_png_and_none_is_left_open(digits, tmp_path):
    X, y = digits
    probs = np.eye(10)[(y + 1) % 10]
    figures = [plots.plot_digits(X, y, probs.argmax(1)), plots.plot_class_counts(y),
               plots.plot_mean_digits(X, y), plots.plot_pixel_values(X[0]),
               plots.plot_probabilities(probs[0]),
               plots.plot_confusion_matrix(y, probs.argmax(1)),
               plots.plot_first_layer_weights(np.ones((784, 4))),
               plots.plot_confident_mistakes(X, y, probs)]
    for i, fig in enumerate(figures):
        fig.savefig(tmp_path / f"{i}.png")
        assert (tmp_path / f"{i}.png").stat().st_size > 1000
    assert plt.get_fignums() == []  # a notebook shows each figure once, from the return value


def test_a_near_certain_probability_is_never_rounded_to_100_percent():
    from digitlab.plumbing.text import percent

    assert [percent(p, 1) for p in (0.99996, 0.999, 0.5, 0.0004)] == [">99.9%", "99.9%", "50.0%", "<0.1%"]
