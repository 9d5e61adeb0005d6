"""The shipped default model: it loads, and it reads MNIST's test digits as promised."""

import pytest

from digitlab import DEFAULT_SIZES, MLP, load_mnist, load_pretrained
from digitlab.__main__ import main


def test_the_default_model_loads_with_the_default_sizes():
    model = load_pretrained()
    assert model.sizes == DEFAULT_SIZES and model.num_parameters == 109_386
    assert model.metadata["recipe"]["seed"] == 0


@pytest.mark.mnist
def test_the_default_model_scores_at_least_98_7_percent_on_the_mnist_test_set():
    X, y = load_mnist("test")
    assert load_pretrained().score(X, y) >= 0.987


@pytest.mark.mnist
def test_the_default_model_reads_canvas_style_digits_within_a_point_of_mnist():
    from digitlab.pretrained import canvas_style_test_set

    model = load_pretrained()
    X, y = load_mnist("test")
    X_canvas, y_canvas = canvas_style_test_set(progress=False)
    mnist, canvas = model.score(X, y), model.score(X_canvas, y_canvas)
    assert canvas >= 0.97 and mnist - canvas <= 0.01, (mnist, canvas)


def test_load_pretrained_refuses_a_model_of_another_shape(tmp_path):
    path = MLP((784, 32, 10)).save(tmp_path / "small.npz")
    with pytest.raises(ValueError, match="expected"):
        load_pretrained(path)


def test_a_missing_model_file_says_how_to_make_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="python -m digitlab train"):
        load_pretrained(tmp_path / "nope.npz")


@pytest.mark.mnist
def test_evaluate_command_prints_the_test_accuracy(capsys):
    assert main(["evaluate"]) == 0
    out = capsys.readouterr().out
    accuracy = float(out.split("accuracy ")[1].split("%")[0])
    assert accuracy >= 98.7


@pytest.mark.mnist
def test_train_command_trains_and_saves_a_model(tmp_path, capsys):
    assert main(["train", "--epochs", "1", "--canvas-copies", "0", "--out", str(tmp_path / "m.npz")]) == 0
    model = MLP.load(tmp_path / "m.npz", sizes=DEFAULT_SIZES)
    assert model.metadata["test_accuracy"] > 0.95
    assert "test accuracy" in capsys.readouterr().out


def test_a_command_line_error_is_one_plain_line(tmp_path, capsys):
    (tmp_path / "broken.npz").write_bytes(b"garbage")
    assert main(["evaluate", "--model", str(tmp_path / "broken.npz")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error:") and "not a DigitLab model file" in err and "Traceback" not in err
