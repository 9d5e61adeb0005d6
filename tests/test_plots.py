"""Tests for digitlab.plots on small synthetic data."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from digitlab import plots
from digitlab.plots.digits import WRONG
from synthetic import Guess


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


def test_plot_first_layer_weights_draws_every_neuron_scaled_by_its_largest_weight():
    W = np.random.default_rng(2).normal(size=(784, 32)).astype(np.float32)
    fig = plots.plot_first_layer_weights(W, ncols=8)        # many neurons: one mosaic picture
    assert len(fig.axes) == 1 and images_in(fig) == 1
    image = fig.axes[0].images[0]
    mosaic = image.get_array()
    assert mosaic.shape == (4 * 30 - 2, 8 * 30 - 2)
    tile = mosaic[30:58, 5 * 30:5 * 30 + 28]                 # neuron 13: second row, sixth column
    assert np.allclose(tile, W[:, 13].reshape(28, 28) / np.abs(W[:, 13]).max())
    low, high = image.get_clim()
    assert low == -high  # diverging colours centred on zero

    few = plots.plot_first_layer_weights(W[:, :10], titles=[f"neuron {d}" for d in range(10)])
    assert images_in(few) == 10 and titles(few)[3] == "neuron 3"
    assert np.allclose(few.axes[3].images[0].get_array(), W[:, 3].reshape(28, 28) / np.abs(W[:, 3]).max())


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
               plots.plot_first_layer_weights(np.random.default_rng(0).normal(size=(784, 4))),
               plots.plot_first_layer_weights(np.random.default_rng(0).normal(size=(784, 40))),
               plots.plot_confident_mistakes(X, y, probs)]
    for i, fig in enumerate(figures):
        fig.savefig(tmp_path / f"{i}.png")
        assert (tmp_path / f"{i}.png").stat().st_size > 1000
    assert plt.get_fignums() == []  # a notebook shows each figure once, from the return value


def test_a_near_certain_probability_is_never_rounded_to_100_percent():
    from digitlab.plumbing.text import percent

    assert [percent(p, 1) for p in (0.99996, 0.999, 0.5, 0.0004)] == [">99.9%", "99.9%", "50.0%", "<0.1%"]


# ---- readable when projected, on a dark page too -------------------------------------------------

@pytest.fixture(scope="module")
def every_figure():
    """(name, figure) for every plot_* function and both redrawn figures, on small synthetic data,
    made with settings that ask for transparent figures (as some notebook set-ups do)."""
    with matplotlib.rc_context({"figure.facecolor": "none"}):
        return make_every_figure()


def make_every_figure():
    from digitlab.lessons.gradient_descent import GradientDescent, one_weight_loss, two_weight_loss
    from digitlab.plots.live_curves import LiveCurves
    from digitlab.plots.loss_landscape import DescentFigure
    from digitlab.drawing.styles import score_by_style
    from digitlab.plumbing.table import Table

    rng = np.random.default_rng(0)
    X, y = rng.integers(0, 256, size=(20, 28, 28), dtype=np.uint8), np.tile(np.arange(10), 2)
    probs = np.eye(10)[(y + 1) % 10] * 0.8 + 0.02
    compared = Table([{"set": "yours", "images": 9, "before": 0.6, "after": 0.9},
                      {"set": "MNIST", "images": 99, "before": 0.98, "after": 0.97}],
                     ["set", "images", "before", "after"])
    weekly = Table([{"week": w, "accuracy": a, "mean confidence": c, "ink fraction": k}
                    for w, a, c, k in [(1, 0.98, 0.97, 0.19), (2, 0.95, 0.94, 0.22), (3, 0.9, 0.9, 0.3)]],
                   ["week", "accuracy", "mean confidence", "ink fraction"])
    by_style = score_by_style({"MNIST only": Guess(y), "shipped": Guess((y + 1) % 10)}, X[:4], [1, 1, 7, 7],
                              ["1 long flag", "1 plain stick", "7 crossed", "7 plain"])
    curves = LiveCurves(epochs=3)
    curves.update({"train_x": [0.5, 1.0], "train_loss": [2.0, 0.5], "train_accuracy": [0.3, 0.9],
                   "val_x": [1.0], "val_loss": [0.4], "val_accuracy": [0.93]})
    figures = [
        ("plot_digits", plots.plot_digits(X, y)),
        ("plot_digits with predictions", plots.plot_digits(X, y, probs.argmax(1))),
        ("plot_class_counts", plots.plot_class_counts(y)),
        ("plot_mean_digits", plots.plot_mean_digits(X, y)),
        ("plot_pixel_values", plots.plot_pixel_values(X[0])),
        ("plot_probabilities", plots.plot_probabilities(probs[0], label=3)),
        ("plot_confusion_matrix", plots.plot_confusion_matrix(y, probs.argmax(1))),
        ("plot_confident_mistakes", plots.plot_confident_mistakes(X, y, probs)),
        ("plot_sigmoid", plots.plot_sigmoid()),
        ("plot_slope", plots.plot_slope(one_weight_loss(), 0.5)),
        ("plot_step_vs_smooth", plots.plot_step_vs_smooth(np.linspace(-2, 2, 9), [3, 3, 2, 2, 1, 1, 1, 0, 0],
                                                          np.linspace(1, 0.2, 9))),
        ("plot_training", plots.plot_training(np.linspace(1, 0.1, 20))),
        ("plot_comparison", plots.plot_comparison(compared)),
        ("plot_by_group", plots.plot_by_group(weekly)),
        ("plot_by_style", plots.plot_by_style(by_style)),
        ("plot_styles", plots.plot_styles(X[:5], ["0 oval", "1 long flag", "4 open in one stroke", "7 crossed",
                                                  "9 curled tail"])),
        ("LiveCurves", curves.fig),
        ("plot_drawings_by_student", plots.plot_drawings_by_student(X / 255, y, ["ana", "bo"] * 10)),
    ]
    for loss in (one_weight_loss(), two_weight_loss()):
        gd = GradientDescent(loss, loss.center + 1.5, lr=0.1)
        gd.run(5)
        figures.append((f"plot_descent ({loss.dim})", plots.plot_descent(loss, gd.path, gd.losses)))
        descent = DescentFigure(loss)
        descent.png(gd.path, gd.losses)
        figures.append((f"DescentFigure ({loss.dim})", descent.fig))
    return figures


def shown_texts(fig):
    """Every title, axis label, tick label, legend entry and label on a bar, after drawing."""
    fig.canvas.draw()
    texts = []
    for ax in fig.axes:
        texts += [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label]
        texts += ax.get_xticklabels() + ax.get_yticklabels()
        texts += [t for t in ax.texts if len(ax.texts) < 100]  # not the 784 numbers in a pixel grid
        if ax.get_legend() is not None:
            texts += ax.get_legend().get_texts()
    for legend in fig.legends:
        texts += legend.get_texts()
    return [t for t in texts if t.get_visible() and t.get_text().strip()]


def test_every_title_label_tick_and_legend_is_at_least_10_points(every_figure):
    small = [(name, t.get_text(), t.get_fontsize()) for name, fig in every_figure
             for t in shown_texts(fig) if t.get_fontsize() < 10]
    assert small == []


def test_every_figure_has_an_opaque_light_background_even_when_the_settings_say_transparent(every_figure):
    import io

    from PIL import Image

    from digitlab.plots.figure import figure_png

    # A notebook shows a figure as a PNG on the figure's own background colour...
    assert [name for name, fig in every_figure if fig.get_facecolor() != (1.0, 1.0, 1.0, 1.0)] == []
    # ...and the widgets' image PNGs are rendered by figure_png
    with matplotlib.rc_context({"savefig.transparent": True}):
        for name, fig in every_figure:
            if name in ("LiveCurves", "DescentFigure (1)", "plot_sigmoid"):
                with Image.open(io.BytesIO(figure_png(fig, dpi=20))) as png:
                    assert png.convert("RGBA").getpixel((0, 0)) == (255, 255, 255, 255), name


def test_the_comparison_axis_starts_at_zero_and_never_shows_more_than_100_percent():
    from digitlab.plumbing.table import Table

    table = Table([{"set": "MNIST", "images": 99, "before": 0.991, "after": 0.981}],
                  ["set", "images", "before", "after"])
    fig = plots.plot_comparison(table)
    fig.canvas.draw()
    ax = fig.axes[0]
    shown = [tick for tick in ax.get_yticks() if ax.get_ylim()[0] <= tick <= ax.get_ylim()[1]]
    assert ax.get_ylim()[0] == 0
    assert max(shown) == pytest.approx(1.0) and [t.get_text() for t in ax.get_yticklabels()][-1] == "100%"


def test_the_week_by_week_legend_covers_no_point():
    from digitlab.plumbing.table import Table

    rows = [{"week": w, "accuracy": a, "mean confidence": c, "ink fraction": k}
            for w, a, c, k in [(1, 0.98, 0.97, 0.12), (2, 0.95, 0.94, 0.2), (3, 0.9, 0.9, 0.3), (4, 0.8, 0.85, 0.5)]]
    fig = plots.plot_by_group(Table(rows, ["week", "accuracy", "mean confidence", "ink fraction"]))
    fig.canvas.draw()
    ax = fig.axes[0]
    legends = fig.legends + [ax.get_legend()] * (ax.get_legend() is not None)
    boxes = [legend.get_window_extent() for legend in legends]
    points = np.concatenate([ax.transData.transform(line.get_xydata()) for line in ax.lines])
    assert boxes and not any(box.contains(x, y) for box in boxes for x, y in points)


def test_the_loss_history_counts_whole_steps_and_labels_powers_of_ten_plainly():
    from digitlab.lessons.gradient_descent import GradientDescent, one_weight_loss
    from digitlab.plots.loss_landscape import decade_label

    gd = GradientDescent(one_weight_loss(), [-1.0], lr=0.1)
    for steps in (0, 3, 30):
        gd.run(steps)
        fig = plots.plot_descent(gd.loss, gd.path, gd.losses)
        fig.canvas.draw()
        ax = fig.axes[1]
        xticks = [t for t in ax.get_xticks() if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]]
        assert xticks and all(float(t).is_integer() for t in xticks)  # no step 0.5
        labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
        assert len(labels) >= 2 and all(decade_label(10.0 ** e) in labels for e in (0, 1) if steps == 0)
        assert all(set(label) <= set("0123456789.⁻⁰¹²³⁴⁵⁶⁷⁸⁹") for label in labels), labels
    assert [decade_label(v) for v in (1e-6, 0.001, 1.0, 1000.0, 1e12)] == ["10⁻⁶", "0.001", "1", "1000", "10¹²"]


def test_the_descent_figure_redrawn_step_by_step_looks_exactly_like_one_drawn_whole():
    import io

    from PIL import Image

    from digitlab.lessons.gradient_descent import GradientDescent, one_weight_loss, two_weight_loss
    from digitlab.plots.figure import canvas_png
    from digitlab.plots.loss_landscape import DescentFigure

    def pixels(png):
        with Image.open(io.BytesIO(png)) as picture:
            return np.asarray(picture.convert("RGB"))

    def drawn_whole(loss, gd):
        """The same figure drawn by matplotlib in one go, nothing kept."""
        fresh = DescentFigure(loss)
        fresh.png(gd.path, gd.losses)
        for artist in fresh.moving:
            artist.set_animated(False)
        fresh.fig.canvas.draw()
        return canvas_png(fresh.fig)

    for loss, lr, start in ((one_weight_loss(), 1.1, 0.5), (two_weight_loss(), 0.19, -1.5)):
        gd = GradientDescent(loss, loss.center + start, lr=lr)
        redrawn = DescentFigure(loss)
        for again in (False, True):  # steps that move the axes (diverging), then the same from the kept pictures
            gd.reset()
            kept = [len(part[3]) for part in redrawn.parts]
            for _ in range(6):
                gd.step()
                png = redrawn.png(gd.path, gd.losses)
            assert again == ([len(part[3]) for part in redrawn.parts] == kept)
            np.testing.assert_array_equal(pixels(png), pixels(drawn_whole(loss, gd)))


def test_the_style_chart_has_a_bar_per_style_and_model_and_marks_the_rare_styles():
    from digitlab.drawing.styles import score_by_style

    names = ["1 plain stick", "1 long flag", "7 plain", "7 crossed"]
    table = score_by_style({"A": Guess([1, 7, 7, 2]), "B": Guess([1, 1, 7, 7])}, np.zeros((4, 28, 28)), [1, 1, 7, 7], names)
    fig = plots.plot_by_style(table)
    ax = fig.axes[0]
    widths = sorted(round(p.get_width(), 2) for p in ax.patches)
    assert widths == [0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]          # 4 styles x 2 models, A wrong twice
    top_down = [t.get_text() for t in sorted(ax.get_yticklabels(), key=lambda t: -t.get_position()[1])]
    assert top_down == ["1 plain stick", "★ 1 long flag", "7 plain", "★ 7 crossed"]  # in STYLES order, from the top
