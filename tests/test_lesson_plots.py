"""The pictures drawn for the lessons: cuts, races, layers, ReLU, −log p, training records, refusals."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from digitlab import plots
from digitlab.lessons.gradient_descent import AdamDescent, GradientDescent, two_weight_loss
from digitlab.lessons.perceptron import beach_days, unseen_days
from digitlab.plots.straight_cuts import plane_corners
from digitlab.plumbing.table import Table
from digitlab.training import History


def test_the_perceptron_cut_is_the_plane_where_the_weighted_sum_is_zero():
    X, y = beach_days()
    w, b = np.array([1.5, 0.5, 0.5]), -1.5
    fig = plots.plot_perceptron_cut(X, y, w, b, unseen=unseen_days())
    ax = fig.axes[0]
    assert "1.50·weather + 0.50·day + 0.50·friends − 1.50 = 0" in ax.get_title()
    x1, x2, x3 = plane_corners(w, b)
    assert np.allclose(w[0] * x1 + w[1] * x2 + w[2] * x3 + b, 0)
    assert plane_corners((0, 0, 0), 1) is None
    assert [h.get_label() for h in ax.get_legend().legend_handles] == ["1: beach", "0: home", "not in the diary"]


def test_xor_cuts_are_scored_by_the_points_they_get_right():
    X = [[1, 1, 1], [1, -1, 1], [-1, 1, 1], [-1, -1, 1]]
    fig = plots.plot_xor(X, [0, 1, 1, 0], cuts=[((1, 1), 1), ((1, 0), 0)])
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels[2].endswith("3 of 4 right") and labels[3].endswith("2 of 4 right")


def test_the_descent_race_draws_one_bowl_per_walk_and_their_losses():
    loss = two_weight_loss()
    walks = {"plain": GradientDescent(loss, [-2.0, 0.5], 0.19), "Adam": AdamDescent(loss, [-2.0, 0.5], 0.19)}
    for walk in walks.values():
        walk.run(10)
    fig = plots.plot_descent_race(loss, walks)
    assert [ax.get_title() for ax in fig.axes] == ["plain", "Adam", "loss after each step"]
    assert np.allclose(fig.axes[2].lines[1].get_ydata(), walks["Adam"].losses)


def test_the_network_diagram_labels_every_layer_with_its_parameter_count():
    fig = plots.plot_network_diagram((784, 128, 64, 10))
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "784×128 + 128\n= 100,480 parameters" in texts and "64×10 + 10\n= 650 parameters" in texts
    assert fig.axes[0].get_title() == "784 → 128 → 64 → 10: 109,386 parameters"
    assert texts.count("⋮") == 3                          # 784, 128 and 64 neurons are too many to draw


def test_relu_and_its_slope_are_drawn_from_the_network_code():
    fig = plots.plot_relu()
    z, relu_z = fig.axes[0].lines[0].get_data()
    assert np.allclose(relu_z, np.maximum(z, 0))
    slope_left, slope_right = fig.axes[1].lines[0].get_ydata(), fig.axes[1].lines[1].get_ydata()
    assert set(slope_left) == {0} and set(slope_right) == {1}


def test_minus_log_marks_its_points_with_their_loss():
    fig = plots.plot_minus_log(marks=(0.5,))
    p, loss = fig.axes[0].lines[0].get_data()
    assert np.allclose(loss, -np.log(p))
    assert fig.axes[0].texts[0].get_text() == "p = 0.5: loss 0.69"


def test_a_training_history_is_drawn_per_epoch_with_the_lowest_validation_loss_marked():
    h = History(loss=[1.0, 0.5, 0.3], accuracy=[0.6, 0.8, 0.9], val_loss=[0.9, 0.6, 0.7],
                val_accuracy=[0.62, 0.78, 0.77])
    fig = plots.plot_history(h, title="small run")
    loss_ax = fig.axes[0]
    assert list(loss_ax.lines[0].get_xdata()) == [1, 2, 3]
    assert loss_ax.lines[-1].get_xdata()[0] == 2          # the dotted line at epoch 2
    with pytest.raises(ValueError, match="no finished epoch"):
        plots.plot_history(History())


def test_the_refusal_tradeoff_puts_each_threshold_at_its_share_refused_and_accuracy():
    table = Table([{"threshold": 0.0, "refused": 0.0, "accuracy on accepted": 0.9},
                   {"threshold": 0.9, "refused": 0.1, "accuracy on accepted": 0.99}],
                  ["threshold", "refused", "accuracy on accepted"])
    fig = plots.plot_refusal_tradeoff(table)
    assert list(fig.axes[0].lines[0].get_xdata()) == [0.0, 0.1]
    assert [t.get_text() for t in fig.axes[0].texts] == ["0", "0.9"]


def test_the_lesson_figures_render_and_none_is_left_open(tmp_path):
    X, y = beach_days()
    figures = [plots.plot_perceptron_cut(X, y, (1, 0.5, 0.5), -1), plots.plot_xor(X[:4], y[:4]),
               plots.plot_network_diagram((2, 2, 2)), plots.plot_relu(), plots.plot_minus_log(),
               plots.plot_history(History(loss=[1.0], accuracy=[0.5]))]
    for i, fig in enumerate(figures):
        fig.savefig(tmp_path / f"{i}.png")
        assert (tmp_path / f"{i}.png").stat().st_size > 1000
    assert plt.get_fignums() == []


def test_the_lesson_figures_keep_every_text_at_10_points_or_more_on_an_opaque_page():
    from test_plots import shown_texts

    X, y = beach_days()
    loss = two_weight_loss()
    walk = AdamDescent(loss, [-2.0, 0.5], 0.1)
    walk.run(3)
    history = History(loss=[1.0, 0.5], accuracy=[0.6, 0.8], val_loss=[0.9, 0.7], val_accuracy=[0.6, 0.7])
    table = Table([{"threshold": 0.5, "refused": 0.1, "accuracy on accepted": 0.99}],
                  ["threshold", "refused", "accuracy on accepted"])
    figures = {"cut": plots.plot_perceptron_cut(X, y, (1.5, 0.5, 0.5), -1.5, unseen=unseen_days()),
               "xor": plots.plot_xor(X[:4], [0, 1, 1, 0], cuts=[((1, 1), 1)]),
               "race": plots.plot_descent_race(loss, {"Adam": walk}),
               "diagram": plots.plot_network_diagram((784, 128, 64, 10)),
               "relu": plots.plot_relu(), "minus log": plots.plot_minus_log(), "history": plots.plot_history(history),
               "refusals": plots.plot_refusal_tradeoff(table),
               "ten neurons": plots.plot_first_layer_weights(np.ones((784, 10)), titles=list(range(10)))}
    small = [(name, t.get_text(), t.get_fontsize()) for name, fig in figures.items()
             for t in shown_texts(fig) if t.get_fontsize() < 10]
    assert small == []
    assert [name for name, fig in figures.items() if fig.get_facecolor() != (1.0, 1.0, 1.0, 1.0)] == []
