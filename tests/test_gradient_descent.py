"""Gradient descent for notebook 02: losses, slopes, the stepper's verdicts, the sigmoid neuron, the widget."""

import numpy as np
import pytest

from digitlab.lessons.gradient_descent import (
    GradientDescent, QuadraticLoss, diagnose, numerical_gradient, one_weight_loss, relative_error, two_weight_loss,
)
from digitlab.lessons.perceptron import PerceptronTrainer, beach_days
from digitlab.lessons.sigmoid_neuron import SigmoidNeuron, loss_along, mistakes_along, sigmoid, sigmoid_slope


def test_sigmoid_is_one_half_at_zero_symmetric_and_never_overflows():
    assert sigmoid(0.0) == 0.5
    z = np.linspace(-8, 8, 33)
    np.testing.assert_allclose(sigmoid(z) + sigmoid(-z), 1.0)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        big = sigmoid(np.array([-1000.0, 1000.0]))
    np.testing.assert_allclose(big, [0.0, 1.0])


def test_sigmoid_slope_matches_finite_differences():
    z = np.linspace(-5, 5, 21)
    numeric = (sigmoid(z + 1e-6) - sigmoid(z - 1e-6)) / 2e-6
    np.testing.assert_allclose(sigmoid_slope(z), numeric, rtol=1e-6, atol=1e-10)


def test_numerical_gradient_of_a_known_function():
    w = np.array([1.0, -2.0, 0.5])
    np.testing.assert_allclose(numerical_gradient(lambda v: np.sum(v ** 3), w), 3 * w ** 2, rtol=1e-6)


@pytest.mark.parametrize("loss", [one_weight_loss(), two_weight_loss(),
                                  QuadraticLoss([[3.0, 1.0], [1.0, 2.0]], [0.5, -1.0])])
def test_quadratic_loss_gradient_matches_finite_differences(loss):
    rng = np.random.default_rng(0)
    for _ in range(5):
        w = rng.normal(scale=3, size=loss.dim)
        assert relative_error(loss.gradient(w), numerical_gradient(loss, w)) < 1e-6


def test_one_weight_loss_is_w_minus_two_squared():
    loss = one_weight_loss()
    for w in (-1.0, 0.0, 2.0, 3.5):
        assert loss([w]) == pytest.approx((w - 2) ** 2)
        assert loss.gradient([w])[0] == pytest.approx(2 * (w - 2))
    assert loss.max_stable_lr == pytest.approx(1.0)


def test_saddle_or_mismatched_curvature_raises_value_error():
    with pytest.raises(ValueError, match="bowl"):
        QuadraticLoss([[1.0, 0.0], [0.0, -1.0]], [0.0, 0.0])
    with pytest.raises(ValueError, match="2x2"):
        QuadraticLoss([[1.0]], [0.0, 0.0])


def test_a_step_moves_against_the_slope_by_lr_times_slope():
    gd = GradientDescent(one_weight_loss(), [-1.0], lr=0.1)
    s = gd.step()
    assert s.gradient[0] == pytest.approx(-6.0)           # 2 * (-1 - 2)
    assert s.w_after[0] == pytest.approx(-1.0 + 0.1 * 6.0)
    assert s.loss_before == 9.0 and s.loss_after == pytest.approx(2.4 ** 2)


@pytest.mark.parametrize("loss, w0", [(one_weight_loss(), [-1.0]), (two_weight_loss(), [-2.0, 0.5])])
def test_a_moderate_learning_rate_converges_to_the_bottom(loss, w0):
    gd = GradientDescent(loss, w0, lr=0.4 * loss.max_stable_lr)
    gd.run(200)
    np.testing.assert_allclose(gd.w, loss.center, atol=1e-6)
    assert gd.status == "converged"
    assert all(b <= a for a, b in zip(gd.losses, gd.losses[1:]))


@pytest.mark.parametrize("loss, w0", [(one_weight_loss(), [-1.0]), (two_weight_loss(), [-2.0, 0.5])])
def test_just_above_the_stable_learning_rate_is_reported_diverging(loss, w0):
    gd = GradientDescent(loss, w0, lr=1.05 * loss.max_stable_lr)
    gd.run(60)
    assert gd.status == "diverging"
    assert "DIVERGING" in gd.verdict()
    assert gd.losses[-1] > gd.losses[0]
    below = GradientDescent(loss, w0, lr=0.95 * loss.max_stable_lr)
    below.run(60)
    assert below.status != "diverging" and below.losses[-1] < below.losses[0]


def test_far_too_large_learning_rate_blows_up_stops_and_says_so():
    gd = GradientDescent(one_weight_loss(), [-1.0], lr=1.5)
    taken = gd.run(1000)
    assert len(taken) < 100                     # stopped early
    assert gd.status == "blown up"
    assert gd.verdict().startswith("DIVERGED")
    with pytest.raises(ValueError, match="Reset"):
        gd.step()
    gd.reset()
    assert gd.status == "start" and gd.w[0] == -1.0


def test_tiny_learning_rate_is_reported_crawling():
    gd = GradientDescent(one_weight_loss(), [-1.0], lr=0.001)
    gd.run(5)
    assert gd.status == "crawling"
    assert "Crawling" in gd.verdict()


def test_learning_rate_of_exactly_the_limit_bounces_at_the_same_height():
    gd = GradientDescent(one_weight_loss(), [-1.0], lr=1.0)
    gd.run(4)
    np.testing.assert_allclose(np.array(gd.path)[:, 0], [-1, 5, -1, 5, -1])
    assert gd.status == "stalled"


def test_one_rise_is_overshoot_three_rises_in_a_row_is_diverging():
    w, slope = np.array([0.0]), np.array([1.0])
    assert diagnose([5.0, 6.0], w, slope) == "overshot"
    assert diagnose([5.0, 6.0, 4.0, 7.0], w, slope) == "overshot"
    assert diagnose([5.0, 6.0, 7.0, 8.0], w, slope) == "diverging"
    assert diagnose([5.0, float("nan")], w, slope) == "blown up"
    assert diagnose([5.0, 3.0], w, slope) == "descending"


def test_changing_the_learning_rate_midway_continues_from_the_current_point():
    gd = GradientDescent(one_weight_loss(), [-1.0], lr=0.1)
    gd.run(3)
    here = gd.w.copy()
    gd.lr = 0.5
    s = gd.step()
    np.testing.assert_allclose(s.w_before, here)
    assert s.lr == 0.5


@pytest.mark.parametrize("lr", [0.0, -0.1, float("nan")])
def test_non_positive_learning_rate_raises_value_error(lr):
    with pytest.raises(ValueError, match="positive"):
        GradientDescent(one_weight_loss(), [0.0], lr)


def test_a_run_keeps_the_path_and_the_losses():
    gd = GradientDescent(one_weight_loss(), [-1.0], 0.25)
    gd.run(4)
    path, losses = np.array(gd.path), np.array(gd.losses)
    assert path.shape == (5, 1) and losses.shape == (5,)
    # w <- w - 0.25 * 2 (w - 2) halves the distance to 2 every step
    np.testing.assert_allclose(path[:, 0], 2 - 3 * 0.5 ** np.arange(5))


def test_sigmoid_neuron_gradient_matches_finite_differences():
    X, y = beach_days()
    rng = np.random.default_rng(1)
    for _ in range(5):
        neuron = SigmoidNeuron(rng.normal(size=3), rng.normal())
        dw, db = neuron.gradients(X, y)

        def loss_at(theta):
            probe = SigmoidNeuron()
            probe.params = theta
            return probe.loss(X, y)

        assert relative_error(np.append(dw, db), numerical_gradient(loss_at, neuron.params)) < 1e-6


def test_sigmoid_neuron_trained_on_beach_days_gets_every_day_right_and_loss_keeps_falling():
    X, y = beach_days()
    neuron = SigmoidNeuron()
    history = neuron.train(X, y, lr=2.0, epochs=200)
    assert history[0] == pytest.approx(0.25)       # every output 0.5 at the start
    assert np.all(np.diff(history) < 0)
    assert history[-1] < 0.02
    np.testing.assert_array_equal(neuron.predict(X), y)
    trainer = PerceptronTrainer()
    trainer.run()
    grid = np.array(np.meshgrid([1, -1], [1, -1], [1, -1])).T.reshape(-1, 3)
    np.testing.assert_array_equal(neuron.predict(grid), trainer.perceptron.predict(grid))


def test_sigmoid_neuron_rejects_mismatched_inputs_and_labels():
    X, y = beach_days()
    with pytest.raises(ValueError, match="3 inputs"):
        SigmoidNeuron().loss(X[:, :2], y)
    with pytest.raises(ValueError, match="one label per row"):
        SigmoidNeuron().loss(X, y[:4])


def test_step_output_mistakes_are_flat_almost_everywhere_but_the_smooth_loss_is_not():
    X, y = beach_days()
    ws = np.linspace(-3, 3, 601)
    mistakes = mistakes_along([1.5, 0.5, 0.5], -1.5, X, y, 0, ws)
    losses = loss_along([1.5, 0.5, 0.5], -1.5, X, y, 0, ws)
    assert np.mean(np.diff(mistakes) == 0) > 0.95       # a nudge almost never changes the count
    assert np.mean(np.diff(losses) != 0) == 1.0         # a nudge always changes the smooth loss
    assert mistakes[np.argmin(np.abs(ws - 1.5))] == 0


# ---- widget (driven from Python; the browser tests drive it from a page) ----

def test_explorer_step_updates_position_and_figure():
    from digitlab.widgets.descent_explorer import one_weight_explorer

    ex = one_weight_explorer()
    before = ex.image.value
    assert "step 0: w = −1.000, loss = 9.0000" in ex.position.value
    ex.step_button.click()
    assert "step 1: w = −0.400, loss = 5.7600" in ex.position.value
    assert ex.image.value != before and bytes(ex.image.value).startswith(b"\x89PNG")


def test_explorer_says_plainly_when_it_diverges_and_disables_steps_once_blown_up():
    from digitlab.widgets.descent_explorer import one_weight_explorer

    ex = one_weight_explorer()
    ex.lr_slider.value = 1.1
    assert ex.gd.lr == 1.1
    ex.ten_button.click()
    assert "DIVERGING" in ex.verdict.value
    ex.lr_slider.value = 1.5
    for _ in range(10):
        ex.ten_button.click()
    assert "DIVERGED" in ex.verdict.value and ex.step_button.disabled
    ex.lr_slider.value = 0.1
    ex.reset_button.click()
    assert not ex.step_button.disabled and "step 0" in ex.position.value


def test_two_weight_explorer_shows_both_weights():
    from digitlab.widgets.descent_explorer import two_weight_explorer

    ex = two_weight_explorer()
    ex.step(1)
    assert "step 1: w = (" in ex.position.value


def test_explorer_rejects_a_starting_rate_not_on_the_slider():
    from digitlab.widgets.descent_explorer import DescentExplorer

    with pytest.raises(ValueError, match="slider"):
        DescentExplorer(one_weight_loss(), [0.0], 0.123, (0.1, 0.2))


def test_explorer_redraws_leave_no_open_figures_behind():
    import matplotlib.pyplot as plt
    from digitlab.widgets.descent_explorer import two_weight_explorer

    plt.close("all")
    ex = two_weight_explorer()
    for _ in range(5):
        ex.step_button.click()
    assert plt.get_fignums() == []


def test_adam_descent_takes_the_steps_of_digitlab_optim_adam():
    from digitlab.lessons.gradient_descent import AdamDescent
    from digitlab.optim import Adam

    loss = two_weight_loss()
    walk = AdamDescent(loss, [-2.0, 0.5], lr=0.1)
    walk.run(5)
    w = np.array([-2.0, 0.5])
    adam = Adam(w, lr=0.1)
    for _ in range(5):
        adam.step(loss.gradient(w))
    assert np.allclose(walk.w, w)
    first = walk.steps[0].w_after - walk.steps[0].w_before
    assert np.allclose(np.abs(first), 0.1, rtol=1e-4)       # Adam's first step is lr along every weight


def test_adam_descent_starts_over_on_reset():
    from digitlab.lessons.gradient_descent import AdamDescent

    walk = AdamDescent(two_weight_loss(), [-2.0, 0.5], lr=0.1)
    walk.run(3)
    after_three = walk.w.copy()
    walk.reset()
    walk.run(3)
    assert np.allclose(walk.w, after_three)


def test_steps_to_reach_counts_the_steps_until_the_loss_is_low_enough_or_says_none():
    from digitlab.lessons.gradient_descent import AdamDescent

    walk = GradientDescent(one_weight_loss(), [-1.0], lr=0.1)   # distance 3 shrinks by 0.8 a step: loss 9·0.64ⁿ
    assert walk.steps_to_reach(0.01) == 16 and walk.losses[-1] < 0.01 <= walk.losses[-2]
    assert GradientDescent(one_weight_loss(), [-1.0], lr=1.5).steps_to_reach(0.01) is None
    assert GradientDescent(one_weight_loss(), [-1.0], lr=0.001).steps_to_reach(0.01, max_steps=50) is None
    assert AdamDescent(two_weight_loss(), [-2.0, 0.5], lr=1.0).steps_to_reach(0.01) is not None
