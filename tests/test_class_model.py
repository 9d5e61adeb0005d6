"""A class model measured on students held out: folds of students, no writer seen, generated students."""

import numpy as np
import pytest

from digitlab import MLP, fit
from digitlab.classwork import class_model
from digitlab.classwork.class_model import (
    drawings_by_student, fit_class_model, hold_out_students, student_folds,
)
from digitlab.drawing.handwriting import generate_students, student_style
from digitlab.shift import stroke_width

from test_finetune import SMALL, bars


@pytest.fixture(scope="module")
def base_and_class():
    """A model that knows bars across (0) and down (1); three students who draw 0 as '\\' and 1 as '/'."""
    X_base = np.concatenate([bars(80, "h", 2, 0), bars(80, "v", 2, 1)])
    y_base = np.repeat([0, 1], 80)
    model = MLP(SMALL, seed=0)
    fit(model, X_base, y_base, epochs=15, lr=1e-2, progress=False)
    X = np.concatenate([np.concatenate([bars(15, "\\", 5, 10 + s), bars(15, "/", 5, 20 + s)]) for s in range(3)])
    y = np.tile(np.repeat([0, 1], 15), 3)
    writers = np.repeat(["ana", "bo", "chen"], 30)
    return model, X_base, y_base, X, y, writers


def test_up_to_ten_students_each_is_held_out_alone():
    folds = student_folds(["bo", "ana", "chen", "ana"] + [f"s{i}" for i in range(7)])
    assert sorted(folds) == [["ana"], ["bo"], ["chen"]] + [[f"s{i}"] for i in range(7)]


def test_more_students_are_split_into_five_folds_each_student_in_exactly_one():
    students = [f"s{i:02d}" for i in range(23)]
    folds = student_folds(students, seed=1)
    assert len(folds) == class_model.FOLDS
    assert sorted(s for fold in folds for s in fold) == students
    assert {len(f) for f in folds} <= {4, 5}


def test_folds_need_at_least_two_students():
    with pytest.raises(ValueError, match="between 2 and the 1 students"):
        student_folds(["ana"])


def test_no_drawing_is_read_by_a_model_that_was_fine_tuned_on_its_writer(base_and_class, monkeypatch):
    model, X_base, y_base, X, y, writers = base_and_class
    trained_on = []
    real = class_model.fine_tune

    def spy(model, X_own, y_own, *args, **kwargs):
        trained_on.append(len(y_own))
        return real(model, X_own, y_own, *args, **kwargs)

    monkeypatch.setattr(class_model, "fine_tune", spy)
    held = hold_out_students(model, X, y, writers, X_base, y_base, epochs=2)
    assert trained_on == [60, 60, 60]  # each time the two other students' 30 drawings each
    # Reference: fold "ana" by hand, a model fine-tuned on bo and chen only.
    tuned, _ = real(model, X[writers != "ana"], y[writers != "ana"], X_base, y_base,
                    **{**class_model.TUNING, "epochs": 2})
    assert np.array_equal(held.after[writers == "ana"], tuned.predict(X[writers == "ana"]))
    assert np.array_equal(held.before, model.predict(X))


def test_students_held_out_gain_from_classmates_who_draw_alike(base_and_class):
    model, X_base, y_base, X, y, writers = base_and_class
    held = hold_out_students(model, X, y, writers, X_base, y_base, epochs=5, lr=1e-3, own_weight=0.5)
    overall = held.overall().rows[0]
    assert overall["images"] == 90
    assert overall["after"] > overall["before"] + 0.2
    by_student = held.by_student()
    assert by_student["student"] == ["ana", "bo", "chen"]
    for row in by_student.rows:  # the table's numbers, counted by hand
        mine = writers == row["student"]
        assert row["after"] == pytest.approx(np.mean(held.after[mine] == y[mine]))
        assert row["points"] == pytest.approx(100 * (row["after"] - row["before"]))


def test_the_class_model_learns_from_every_student_and_says_so(base_and_class):
    model, X_base, y_base, X, y, writers = base_and_class
    tuned, _ = fit_class_model(model, X, y, writers, X_base, y_base, epochs=2)
    assert tuned.metadata["class"] == {"students": ["ana", "bo", "chen"], "drawings": 90}
    assert tuned.metadata["fine_tuned"]["own_drawings"] == 90
    assert "class" not in model.metadata


@pytest.mark.parametrize("writers, words", [(["ana"] * 90, "at least 2 students"),
                                            (["ana", "bo"], "one student name per drawing")])
def test_holding_out_needs_two_students_and_a_name_per_drawing(base_and_class, writers, words):
    model, X_base, y_base, X, y, _ = base_and_class
    with pytest.raises(ValueError, match=words):
        hold_out_students(model, X, y, writers, X_base, y_base)


def test_drawings_are_counted_per_student_and_digit():
    table = drawings_by_student([1, 1, 7, 0], ["bo", "ana", "bo", "bo"])
    assert table.row("bo")["1"] == 1 and table.row("bo")["7"] == 1 and table.row("bo")["all"] == 3
    assert table.row("class")["all"] == 4 and table.row("ana")["0"] == 0


def test_a_name_always_gives_the_same_hand_and_names_differ():
    assert student_style("ana") == student_style("ana")
    assert len({student_style(n) for n in ["ana", "bo", "chen", "dara"]}) == 4


def lean(images):
    """How far each image's ink leans to the right as it rises (a shear from its second moments)."""
    rows, cols = np.mgrid[:28, :28]
    mass = images.sum(axis=(1, 2))
    r = rows - ((rows * images).sum(axis=(1, 2)) / mass)[:, None, None]
    c = cols - ((cols * images).sum(axis=(1, 2)) / mass)[:, None, None]
    return -(r * c * images).sum(axis=(1, 2)) / (r * r * images).sum(axis=(1, 2))


@pytest.mark.mnist
def test_generated_students_draw_every_digit_in_a_hand_of_their_own():
    names = ["chen", "dara"]  # by their names: one slants right, the other left
    X, y, writers = generate_students(names, per_digit=3)
    assert X.shape == (60, 28, 28) and writers.tolist() == ["chen"] * 30 + ["dara"] * 30
    for name in names:
        assert np.bincount(y[writers == name], minlength=10).tolist() == [3] * 10
    assert np.mean(student_style("chen").rotation_deg) > 10 and np.mean(student_style("dara").rotation_deg) < -5
    assert lean(X[writers == "chen"]).mean() > lean(X[writers == "dara"]).mean() + 0.2


@pytest.mark.mnist
def test_a_fat_marker_and_a_fine_pen_come_out_with_mnists_stroke_width():
    names = ["ada", "chen"]  # by their names: a fat marker and a fine pen
    assert student_style("ada").brush[0] > 25 > 12 > student_style("chen").brush[1]
    X, _, writers = generate_students(names, per_digit=3)
    widths = {n: np.mean(stroke_width(X[writers == n])) for n in names}
    assert all(2.5 < w < 3.5 for w in widths.values()) and abs(widths["ada"] - widths["chen"]) < 0.3, widths


def test_generating_refuses_a_pool_too_small_for_the_class():
    pool = (np.zeros((20, 28, 28), np.uint8), np.repeat(np.arange(10), 2))
    with pytest.raises(ValueError, match="fewer than 3 for each of 2 students"):
        generate_students(["ana", "bo"], per_digit=3, pool=pool)
