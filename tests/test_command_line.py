"""The command line refuses bad options and unusable folders at once, in one plain line; Ctrl-C too."""

import os
import signal
import subprocess
import sys
import tempfile
import time

import pytest

from digitlab import MLP, pretrained
from digitlab.__main__ import main


def run(*args, env=None):
    """(exit status, stdout, stderr, seconds) of ``python -m digitlab args``."""
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "digitlab", *args], capture_output=True, text=True,
                          timeout=60, env={**os.environ, **(env or {})})
    return done.returncode, done.stdout, done.stderr, time.monotonic() - started


def one_plain_line(stderr):
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in stderr, stderr
    return lines[0]


@pytest.mark.parametrize("option, value, words", [
    ("--epochs", "0", "--epochs must be a whole number of at least 1, not 0"),
    ("--lr", "nan", "--lr must be a positive number"),
    ("--max-shift", "-1", "--max-shift must be a whole number of pixels from 0 to 27"),
    ("--canvas-copies", "-2", "--canvas-copies must be a whole number from 0 to 8"),
    ("--seed", "-3", "--seed must be a whole number of at least 0"),
    ("--out", "{file}/m.npz", "is a file, not a folder"),
    ("--out", "/sys/digitlab-model.npz", "cannot write in /sys"),
    ("--out", "{folder}", "is a folder; give a file name"),
])
def test_train_with_a_bad_option_or_an_unusable_out_fails_in_seconds(tmp_path, option, value, words):
    (tmp_path / "file").write_text("")
    value = value.format(file=tmp_path / "file", folder=tmp_path)
    status, out, err, seconds = run("train", option, value, "--out" if option != "--out" else "--seed",
                                    str(tmp_path / "m.npz") if option != "--out" else "0")
    assert status == 1 and words in one_plain_line(err) and seconds < 10
    assert "Training" not in out and sorted(p.name for p in tmp_path.iterdir()) == ["file"]


@pytest.mark.parametrize("command", ["train", "evaluate", "fetch"])
def test_a_data_folder_that_cannot_take_mnist_is_one_plain_line(tmp_path, command):
    (tmp_path / "file").write_text("")
    for data, words in [(tmp_path / "file", "is a file, not a folder"), ("/sys/digitlab", "cannot write in /sys")]:
        status, _, err, seconds = run(command, env={"DIGITLAB_DATA": str(data)})
        assert status == 1 and words in one_plain_line(err) and "DIGITLAB_DATA" in err and seconds < 10


def test_evaluate_refuses_a_folder_as_the_model(tmp_path, capsys):
    assert main(["evaluate", "--model", str(tmp_path)]) == 1
    assert "is a folder; give a model file" in one_plain_line(capsys.readouterr().err)


def test_a_model_that_cannot_be_saved_at_the_end_is_kept_elsewhere(tmp_path, monkeypatch, capsys):
    out = tmp_path / "models" / "m.npz"
    out.parent.mkdir()

    def train_while_the_folder_goes_away(**recipe):
        out.parent.rmdir()
        out.parent.write_text("a file where the folder was")
        model = MLP(seed=3)
        model.metadata = {"train_seconds": 0.0, "test_accuracy": 0.1}
        return model

    monkeypatch.setattr(pretrained, "train_default_model", train_while_the_folder_goes_away)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert main(["train", "--out", str(out)]) == 1
    line = one_plain_line(capsys.readouterr().err)
    assert f"could not save the model as {out}" in line and "it was saved as" in line
    kept = line.split("it was saved as ")[1].split(" instead")[0]
    assert MLP.load(kept).params.tolist() == MLP(seed=3).params.tolist()


@pytest.mark.mnist
def test_ctrl_c_during_training_is_one_plain_line_and_saves_nothing(tmp_path):
    child = subprocess.Popen([sys.executable, "-u", "-m", "digitlab", "train", "--epochs", "30", "--canvas-copies",
                              "0", "--out", str(tmp_path / "m.npz")], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    assert child.stdout.readline().startswith("Training")
    time.sleep(3)  # MNIST loaded, training under way (for about 30 s)
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=30)
    assert child.returncode == 130 and "Traceback" not in err
    assert err.strip().splitlines()[-1].endswith("stopped (Ctrl-C); nothing was saved")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.mnist
def test_evaluating_a_model_whose_outputs_overflow_fails_instead_of_printing_nan(tmp_path, capsys):
    model = MLP(seed=0)
    model.params *= 1e30  # finite weights, but every product overflows
    model.save(tmp_path / "huge.npz")
    assert main(["evaluate", "--model", str(tmp_path / "huge.npz")]) == 1
    assert "not numbers" in one_plain_line(capsys.readouterr().err)
