"""Measuring distribution shift: style of a set of digits, confidence, monitoring incoming digits."""

import numpy as np
import pytest

from digitlab.drawing.strokes import rasterize_strokes
from digitlab.plots import plot_by_group
from digitlab.plumbing.table import Table
from digitlab.shift import (
    accuracy_by, centres_of_mass, confidence_summary, describe_styles, ink_box, ink_fraction, simulate_incoming,
    stroke_width, width_from_area_and_length,
)


def line(start, end, width, supersample=4):
    """One straight stroke on a 28x28 field, as floats in [0, 1]."""
    return rasterize_strokes([[start, end]], shape=(28, 28), width=width, supersample=supersample) / 255


class FixedModel:
    """Stands in for an MLP: returns the probabilities it was given, whatever the images."""

    def __init__(self, P):
        self.P = np.asarray(P, dtype=np.float32)

    def predict_proba(self, X):
        assert len(X) == len(self.P)
        return self.P


def test_ink_fraction_counts_inked_pixels():
    X = np.zeros((2, 28, 28), np.float32)
    X[0, :7, :] = 1.0          # a quarter of the image
    X[1, 0, 0] = 0.4           # too faint to count
    assert ink_fraction(X).tolist() == [0.25, 0.0]


@pytest.mark.parametrize("width", [1.5, 2, 3, 4, 5])
def test_stroke_width_of_a_bar_is_about_its_width(width):
    bar = line((5, 14), (23, 14), width)
    assert stroke_width(bar[None])[0] == pytest.approx(width, rel=0.12)


def test_stroke_width_does_not_depend_on_the_direction_of_the_stroke():
    flat = line((5, 14), (23, 14), 3)
    slanted = line((7, 7), (21, 21), 3)
    w_flat, w_slanted = stroke_width(np.stack([flat, slanted]))
    assert w_slanted == pytest.approx(w_flat, rel=0.1)


def test_thicker_strokes_measure_thicker():
    widths = stroke_width(np.stack([line((6, 6), (22, 20), w) for w in (1.5, 3, 5)]))
    assert widths[0] < widths[1] < widths[2]


def test_stroke_width_of_an_empty_image_is_nan():
    assert np.isnan(stroke_width(np.zeros((1, 28, 28), np.float32))[0])


def test_ink_box_and_centre_of_mass_of_a_rectangle():
    X = np.zeros((2, 28, 28), np.float32)
    X[0, 4:24, 10:18] = 1.0
    assert ink_box(X).tolist() == [[20, 8], [0, 0]]
    com = centres_of_mass(X)
    assert com[0].tolist() == pytest.approx([13.5, 13.5])
    assert np.isnan(com[1]).all()


def test_describe_styles_gives_one_row_per_set():
    thin = np.stack([line((5, 14), (23, 14), 2), line((14, 5), (14, 23), 2)])
    thick = np.stack([line((5, 14), (23, 14), 5), line((14, 5), (14, 23), 5)])
    table = describe_styles({"thin": thin, "thick": thick})
    assert table["set"] == ["thin", "thick"] and table["images"] == [2, 2]
    assert table.row("thin")["stroke width (px)"] < table.row("thick")["stroke width (px)"]
    assert table.row("thin")["ink fraction"] == pytest.approx(float(ink_fraction(thin).mean()))


def test_describe_styles_refuses_an_empty_set():
    with pytest.raises(ValueError, match="no images"):
        describe_styles({"empty": np.zeros((0, 28, 28), np.float32)})


def test_confidence_summary_separates_right_and_wrong_answers():
    P = np.full((4, 10), 0.0)
    P[0, 1], P[0, 2] = 0.95, 0.05   # right, sure
    P[1, 3], P[1, 4] = 0.75, 0.25   # right, less sure
    P[2, 5], P[2, 0] = 0.92, 0.08   # wrong, sure
    P[3, 6], P[3, 0] = 0.6, 0.4     # wrong, unsure
    summary = confidence_summary(FixedModel(P), np.zeros((4, 28, 28), np.float32), [1, 3, 0, 0])
    assert summary["accuracy"] == 0.5 and summary["mistakes"] == 2
    assert summary["confidence when right"] == pytest.approx(0.85)
    assert summary["confidence when wrong"] == pytest.approx(0.76)
    assert summary["confident mistakes"] == 1 and summary["share of mistakes made confidently"] == 0.5


def test_incoming_digits_follow_the_weekly_mix():
    a = (np.zeros((100, 28, 28), np.float32), np.zeros(100, int))
    b = (np.ones((100, 28, 28), np.float32), np.ones(100, int))
    stream = simulate_incoming({"a": a, "b": b}, [[1, 0], [3, 1], [1, 1]], per_week=40, seed=0)
    assert len(stream.y) == 120
    for week, share_b in [(1, 0.0), (2, 0.25), (3, 0.5)]:
        in_week = stream.week == week
        assert in_week.sum() == 40
        assert (stream.source[in_week] == "b").mean() == share_b
    assert np.array_equal(stream.y, (stream.source == "b").astype(int))  # labels travel with their images
    assert np.array_equal(stream.X[:, 0, 0], stream.y.astype(np.float32))


@pytest.mark.parametrize("shares, words", [([[1, 0, 0]], "2 columns"), ([[-1, 2]], "non-negative"),
                                          ([[0, 0]], "positive")])
def test_incoming_rejects_a_bad_mix(shares, words):
    src = (np.zeros((5, 28, 28), np.float32), np.zeros(5, int))
    with pytest.raises(ValueError, match=words):
        simulate_incoming({"a": src, "b": src}, shares, per_week=2)


def test_incoming_says_when_a_source_runs_short():
    src = (np.zeros((5, 28, 28), np.float32), np.zeros(5, int))
    with pytest.raises(ValueError, match="only 5"):
        simulate_incoming({"a": src}, [[1]], per_week=6)


def test_accuracy_by_group_reports_accuracy_and_confidence_per_group():
    P = np.zeros((4, 10))
    P[[0, 1, 2, 3], [1, 1, 2, 3]] = [0.9, 0.8, 0.7, 0.6]
    P[:, 0] = 1 - P.max(axis=1)
    table = accuracy_by(FixedModel(P), np.zeros((4, 28, 28), np.float32), [1, 2, 2, 3],
                        ["x", "x", "y", "y"], name="source")
    assert isinstance(table, Table) and table["source"] == ["x", "y"]
    assert table.row("x")["accuracy"] == 0.5 and table.row("y")["accuracy"] == 1.0
    assert table.row("x")["mean confidence"] == pytest.approx(0.85)
    assert table["digits"] == [2, 2]
    assert table["ink fraction"] == [0.0, 0.0]


def test_ink_fraction_per_group_needs_no_labels_and_shows_inverted_images():
    X = np.zeros((4, 28, 28), np.float32)
    X[2:] = 1.0  # colours swapped: ink everywhere
    table = accuracy_by(FixedModel(np.eye(10)[[0, 0, 0, 0]]), X, [0, 0, 0, 0], [1, 1, 2, 2], name="week")
    assert table["ink fraction"] == [0.0, 1.0] and table["accuracy"] == [1.0, 1.0]


def test_plot_by_group_draws_one_line_per_column():
    table = Table([{"week": w, "accuracy": 0.9, "mean confidence": 0.95} for w in (1, 2, 3)],
                  ["week", "accuracy", "mean confidence"])
    fig = plot_by_group(table, columns=("accuracy", "mean confidence"))
    assert len(fig.axes[0].lines) == 2 and list(fig.axes[0].lines[0].get_xdata()) == [1, 2, 3]


def test_table_formats_its_numbers_and_checks_its_rows():
    table = Table([{"set": "a", "accuracy": 0.5}], ["set", "accuracy"], {"accuracy": "{:.1%}"})
    assert "50.0%" in str(table) and "50.0%" in table._repr_html_()
    with pytest.raises(ValueError, match="no value"):
        Table([{"set": "a"}], ["set", "accuracy"])
    with pytest.raises(KeyError):
        table["loss"]


def test_answer_or_refuse_says_minus_one_below_the_threshold_and_answers_at_it():
    from digitlab.shift import NOT_SURE, answer_or_refuse

    P = np.array([[0.5, 0.3, 0.2], [0.2, 0.45, 0.35], [0.05, 0.05, 0.9]])
    assert answer_or_refuse(P, 0.5).tolist() == [0, NOT_SURE, 2]
    assert answer_or_refuse(P, 0.0).tolist() == [0, 1, 2]
    with pytest.raises(ValueError, match="between 0 and 1"):
        answer_or_refuse(P, 1.5)
    with pytest.raises(ValueError, match=r"\(N, 10\)"):
        answer_or_refuse(P[0], 0.5)


def test_refusal_tradeoff_counts_refusals_and_mistakes_among_what_is_accepted():
    from digitlab.shift import refusal_tradeoff

    P = np.array([[0.95, 0.05], [0.6, 0.4], [0.3, 0.7], [0.55, 0.45]])
    y = np.array([0, 1, 1, 0])                     # wrong only on the 0.6 image
    P10 = np.zeros((4, 10), np.float32)
    P10[:, :2] = P
    table = refusal_tradeoff(FixedModel(P10), np.zeros((4, 28, 28), np.float32), y, thresholds=(0.0, 0.58, 0.9))
    assert table["refused"] == [0.0, 0.25, 0.75]
    assert table["mistakes among accepted"] == [1, 1, 0]
    assert table["accuracy on accepted"] == [0.75, 2 / 3, 1.0]
    nobody = refusal_tradeoff(FixedModel(P10), np.zeros((4, 28, 28), np.float32), y, thresholds=(0.99,))
    assert nobody["accepted"] == [0] and np.isnan(nobody["accuracy on accepted"][0])


def test_the_width_from_area_and_length_solves_area_equals_w_times_length_plus_w_squared():
    w, length = np.array([1.0, 2.5, 4.0]), np.array([20.0, 7.0, 0.0])
    assert np.allclose(width_from_area_and_length(w * length + w ** 2, length), w)
