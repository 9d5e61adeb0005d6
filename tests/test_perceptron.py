"""The beach perceptron: weighted sum, formula text, learning rule, and the notebook 01 widgets."""

import numpy as np
import pytest

from digitlab.lessons.perceptron import (
    LEARNING_RATE, START_B, START_W, START_X, Perceptron, PerceptronTrainer,
    beach_days, describe_day, signed, unseen_days,
)


def test_formula_for_the_starting_values_reads_exactly_as_in_the_notebook():
    p = Perceptron(START_W, START_B)
    assert p.formula(START_X) == "z = (−1·1.00) + (1·0.50) + (1·0.50) + (−0.50) = −0.50 ⇒ output 0"
    assert p.decision(START_X) == "Output 0: staying home."


def test_starting_values_are_raining_weekend_friend_with_weather_weighing_most():
    assert START_X == (-1, 1, 1)
    assert START_W == (1.0, 0.5, 0.5) and START_B == -0.5
    assert describe_day(START_X) == "raining, weekend, a friend can come"


def test_weighted_sum_is_the_dot_product_plus_bias_for_every_possible_day():
    w, b = np.array([0.3, -1.2, 0.75]), 0.1
    p = Perceptron(w, b)
    for x in np.array(np.meshgrid([1, -1], [1, -1], [1, -1])).T.reshape(-1, 3):
        z = x[0] * w[0] + x[1] * w[1] + x[2] * w[2] + b
        assert p.weighted_sum(x) == pytest.approx(z)
        assert p.output(x) == (1 if z >= 0 else 0)


def test_z_exactly_zero_counts_as_going_to_the_beach():
    p = Perceptron((0.5, 0.5, 0.0), -1.0)
    assert p.weighted_sum((1, 1, 1)) == 0
    assert p.output((1, 1, 1)) == 1
    assert p.formula((1, 1, 1)).endswith("= 0.00 ⇒ output 1")


def test_formula_never_prints_a_negative_zero_and_uses_real_minus_signs():
    p = Perceptron((0.5, -0.5, 0.0), 0.0)
    text = p.formula((1, 1, -1))
    assert "-" not in text            # only the typographic minus sign
    assert "−0.00" not in text
    assert text == "z = (1·0.50) + (1·−0.50) + (−1·0.00) + (0.00) = 0.00 ⇒ output 1"


def test_signed_formats_plus_minus_and_zero():
    assert signed(-0.5) == "−0.50"
    assert signed(-0.0001) == "0.00"
    assert signed(0.25, plus=True) == "+0.25"
    assert signed(0, plus=True) == "0.00"
    assert signed(-1, 0) == "−1"


@pytest.mark.parametrize("x", [(1, 1), (1, 1, 0), (2, 1, 1), (1, -1, 0.5)])
def test_inputs_other_than_three_plus_or_minus_ones_raise_value_error(x):
    with pytest.raises(ValueError, match="input"):
        Perceptron().weighted_sum(x)


def test_wrong_number_of_weights_raises_value_error():
    with pytest.raises(ValueError, match="3 weights"):
        Perceptron((1.0, 2.0), 0.0)


def test_beach_days_table_has_six_labelled_days_and_leaves_out_two_rainy_weekdays():
    X, y = beach_days()
    assert X.shape == (6, 3) and y.shape == (6,)
    assert set(np.unique(X)) == {-1.0, 1.0} and set(y) == {0, 1}
    all_days = {tuple(r) for r in np.array(np.meshgrid([1, -1], [1, -1], [1, -1])).T.reshape(-1, 3)}
    seen = {tuple(r) for r in X}
    assert len(seen) == 6
    assert seen | {tuple(r) for r in unseen_days()} == all_days


# Worked by hand from w = (0, 0, 0), b = 0, lr = 0.5, visiting the days in table order:
# (day, z before, output before, w after, b after)
HAND_STEPS = [
    (1, 0.0, 1, (-0.5, 0.5, 0.5), -0.5),
    (2, 0.0, 1, (0.0, 0.0, 1.0), -1.0),
    (3, 0.0, 1, (0.5, -0.5, 0.5), -1.5),
    (4, -1.0, 0, (1.0, 0.0, 1.0), -1.0),
    (5, -1.0, 0, (1.5, 0.5, 0.5), -0.5),
    (6, 1.0, 1, (1.5, 0.5, 0.5), -0.5),
    (1, 0.0, 1, (1.0, 1.0, 1.0), -1.0),
    (2, -2.0, 0, (1.0, 1.0, 1.0), -1.0),
    (3, 0.0, 1, (1.5, 0.5, 0.5), -1.5),
]


def test_each_learning_step_matches_the_hand_computation():
    trainer = PerceptronTrainer()
    assert trainer.lr == LEARNING_RATE == 0.5
    for day, z, out, w_after, b_after in HAND_STEPS:
        s = trainer.step()
        assert s.index + 1 == day
        assert s.z == pytest.approx(z)
        assert s.prediction == out
        np.testing.assert_allclose(s.w_after, w_after)
        assert s.b_after == pytest.approx(b_after)


def test_each_step_moves_weights_by_lr_times_error_times_input():
    trainer = PerceptronTrainer(lr=0.25)
    for _ in range(12):
        s = trainer.step()
        error = s.target - s.prediction
        np.testing.assert_allclose(s.dw, 0.25 * error * s.x)
        assert s.db == pytest.approx(0.25 * error)
        assert s.mistake == (error != 0)


def test_learning_rule_converges_on_the_beach_days_and_then_changes_nothing():
    trainer = PerceptronTrainer()
    steps = trainer.run()
    X, y = beach_days()
    assert trainer.converged
    np.testing.assert_array_equal(trainer.perceptron.predict(X), y)
    assert len(steps) == len(HAND_STEPS)
    w, b = trainer.perceptron.w.copy(), trainer.perceptron.b
    for _ in range(len(X)):
        assert not trainer.step().mistake
    np.testing.assert_allclose(trainer.perceptron.w, w)
    assert trainer.perceptron.b == b
    assert trainer.run() == []


def test_learned_perceptron_says_no_beach_on_the_unseen_rainy_weekdays():
    trainer = PerceptronTrainer()
    trainer.run()
    np.testing.assert_array_equal(trainer.perceptron.predict(unseen_days()), [0, 0])


def test_labels_no_single_perceptron_can_fit_stop_with_a_clear_error():
    X = np.array([[1, 1, 1], [1, -1, 1], [-1, 1, 1], [-1, -1, 1]], dtype=float)
    y = np.array([0, 1, 1, 0])            # exclusive or of the first two inputs
    trainer = PerceptronTrainer(X, y, max_steps=200)
    with pytest.raises(ValueError, match="separable"):
        trainer.run()


def test_describe_says_which_day_was_wrong_and_how_each_weight_moved():
    s = PerceptronTrainer().step()
    text = s.describe()
    assert text.startswith("Day 1 (sunny, weekday, no friend can come): label 0, the perceptron said 1")
    assert "Wrong" in text
    assert "w1 (weather): 0.00 → −0.50" in text
    assert "w2 (day): 0.00 → 0.50" in text and "change +0.50" in text
    assert "b: 0.00 → −0.50" in text


def test_describe_a_right_step_says_nothing_changes():
    trainer = PerceptronTrainer()
    for _ in range(5):
        trainer.step()
    s = trainer.step()        # day 6 is right after five steps (see HAND_STEPS)
    assert not s.mistake
    assert s.describe().endswith("Right, so nothing changes.")


@pytest.mark.parametrize("kwargs, match", [
    (dict(X=[[1, 1, 1]], y=[2]), "0 or 1"),
    (dict(X=[[1, 1, 1], [1, 1, -1]], y=[1]), "one label per row"),
    (dict(X=[[1, 1, 3]], y=[1]), "1 or -1"),
    (dict(lr=0.0), "positive"),
])
def test_bad_tables_and_learning_rates_raise_value_error(kwargs, match):
    with pytest.raises(ValueError, match=match):
        PerceptronTrainer(**kwargs)


# ---- widgets (driven from Python; the browser tests drive them from a page) ----

def test_explorer_starts_with_the_starting_formula_and_decision():
    from digitlab.widgets import PerceptronExplorer

    e = PerceptronExplorer()
    assert "z = (−1·1.00) + (1·0.50) + (1·0.50) + (−0.50) = −0.50 ⇒ output 0" in e.formula.value
    assert "staying home" in e.decision.value


def test_explorer_updates_formula_and_decision_when_a_slider_or_toggle_moves():
    from digitlab.widgets import PerceptronExplorer

    e = PerceptronExplorer()
    e.sliders[3].value = 0.5                     # bias
    assert "(−1·1.00) + (1·0.50) + (1·0.50) + (0.50) = 0.50 ⇒ output 1" in e.formula.value
    assert "going to the beach" in e.decision.value
    e.toggles[1].value = -1                      # weekday
    assert "(−1·1.00) + (−1·0.50) + (1·0.50) + (0.50) = −0.50 ⇒ output 0" in e.formula.value
    assert "staying home" in e.decision.value


def test_explorer_rounds_slider_values_so_the_shown_z_and_the_output_agree():
    from digitlab.widgets import PerceptronExplorer

    e = PerceptronExplorer(x=(1, 1, 1), w=(0.0, 0.0, 0.0), b=0.0)
    e.sliders[3].value = -3e-17   # a hair below zero, as a browser slider can send for 0.00
    assert "= 0.00 ⇒ output 1" in e.formula.value
    assert "going to the beach" in e.decision.value


def test_learner_step_and_run_to_the_end_update_weights_and_table():
    from digitlab.widgets import PerceptronLearner

    learner = PerceptronLearner()
    assert "w1 = 0.00, w2 = 0.00, w3 = 0.00, b = 0.00" in learner.weights.value
    learner.step()
    assert "w1 = −0.50, w2 = 0.50, w3 = 0.50, b = −0.50" in learner.weights.value
    assert "Day 1" in learner.message.value and "Wrong" in learner.message.value
    learner.run()
    assert "w1 = 1.50, w2 = 0.50, w3 = 0.50, b = −1.50" in learner.weights.value
    assert "0 of 6 days wrong" in learner.summary.value
    assert "✘" not in learner.table.value
    learner.reset()
    assert "w1 = 0.00" in learner.weights.value and learner.trainer.history == []


def test_sams_rule_gives_every_label_of_the_diary_and_says_no_to_the_unseen_rainy_weekdays():
    from digitlab.lessons.perceptron import sams_rule, unseen_days

    X, y = beach_days()
    assert [sams_rule(x) for x in X] == y.tolist()
    assert [sams_rule(x) for x in unseen_days()] == [0, 0]
    assert sams_rule((1, -1, -1)) == 0 and sams_rule((1, -1, 1)) == 1
