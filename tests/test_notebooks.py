"""The notebook series: every notebook runs top to bottom, with its solutions and without them.

Widgets render nothing here; their behaviour in a real browser is tested in tests/browser/.
The kernel gets a private data folder (MNIST and models linked in, an empty drawings folder),
so a run never touches the reader's own collected drawings.

Besides running, the series keeps its promises to a learner: exercises in one format (a stub
ending with a check, then a hidden solution ending with the same check), unsolved verdicts that
differ from solved ones, a questionnaire with hidden answers at the end of every notebook, the
key words in the prose, and printed lines short enough not to wrap mid-word in JupyterLab.
"""

import json
import re
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from digitlab.exercises import CHECKS, NOT_YET, RIGHT

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
TIMES = ROOT / "tests" / "browser" / "artifacts" / "notebook_seconds.json"
CHECK_CALL = re.compile(r"^(check_\w+)\(.*\)\s*$")
LONGEST_LINE = 100   # JupyterLab breaks longer printed lines anywhere, even mid-word, on a laptop screen
KEY_WORDS = ["unsupervised learning", "clustering", "initialisation", "chain rule", "overfitting",
             "distribution shift", "fine-tuning", "monitoring", "bias in the data"]


def read(path):
    return nbformat.read(path, as_version=4)


def tags(cell):
    return cell.metadata.get("tags", [])


def last_line(cell):
    lines = [line for line in cell.source.strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


def exercises(nb):
    """(index of the exercise cell, index of its solution cell) pairs, in order."""
    return [(i, i + 1) for i, cell in enumerate(nb.cells) if "exercise" in tags(cell)]


@pytest.fixture(scope="module")
def private_data(tmp_path_factory):
    from digitlab.data import data_root, fetch_mnist

    fetch_mnist(progress=False)
    root = tmp_path_factory.mktemp("data")
    for name in ("mnist", "models"):
        (root / name).symlink_to(data_root() / name)
    return root


def execute(nb, private_data, tmp_path, monkeypatch, timeout=300):
    monkeypatch.setenv("DIGITLAB_DATA", str(private_data))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    started = time.perf_counter()
    NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    return time.perf_counter() - started


def record_time(name, seconds):
    TIMES.parent.mkdir(parents=True, exist_ok=True)
    times = json.loads(TIMES.read_text()) if TIMES.exists() else {}
    times[name] = round(seconds, 1)
    TIMES.write_text(json.dumps(times, indent=1, sort_keys=True))


def printed(cell):
    """The text a code cell printed (stdout), and plain-text results that have no richer form."""
    parts = []
    for o in cell.get("outputs", []):
        if o.output_type == "stream" and o.name == "stdout":
            parts.append(o.text)
        elif o.output_type in ("execute_result", "display_data") and set(o.data) == {"text/plain"}:
            parts.append(o.data["text/plain"])
    return "".join(parts)


def verdict(cell):
    """The first line of the last verdict a cell printed ('✔ Right: ...' or '✘ Not yet: ...'), or ''."""
    lines = [line for line in printed(cell).splitlines() if line.startswith((RIGHT, NOT_YET))]
    return lines[-1] if lines else ""


# ---- the series as a whole -----------------------------------------------------------------------

def test_the_series_has_at_least_seven_notebooks_numbered_in_reading_order():
    numbers = [int(p.name[:2]) for p in NOTEBOOKS]
    assert len(numbers) >= 7 and numbers == list(range(1, len(numbers) + 1))


def test_the_series_has_at_least_twenty_exercises_and_every_notebook_two():
    counts = {p.stem: len(exercises(read(p))) for p in NOTEBOOKS}
    assert min(counts.values()) >= 2 and sum(counts.values()) >= 20, counts


def test_the_prose_names_the_key_ideas_of_the_series():
    text = " ".join(c.source.lower() for p in NOTEBOOKS for c in read(p).cells if c.cell_type == "markdown")
    missing = [word for word in KEY_WORDS if word not in text]
    assert missing == []


def test_every_check_of_the_library_is_used_by_an_exercise():
    used = {CHECK_CALL.match(last_line(c)).group(1) for p in NOTEBOOKS for c in read(p).cells
            if "exercise" in tags(c) and CHECK_CALL.match(last_line(c))}
    assert used == {c.__name__ for c in CHECKS}


def test_sams_rule_is_revealed_in_notebook_01():
    text = " ".join(c.source for c in read(NOTEBOOKS[0]).cells if c.cell_type == "markdown")
    assert re.search(r"<details>\s*<summary>((?!</summary>).)*Sam's rule", text, re.S)


# ---- every notebook on its own ---------------------------------------------------------------------

@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_each_exercise_is_a_stub_ending_in_a_check_then_a_hidden_solution_ending_in_the_same_check(path):
    nb = read(path)
    imports = " ".join(c.source for c in nb.cells if c.cell_type == "code")
    for i, j in exercises(nb):
        exercise, solution = nb.cells[i], nb.cells[j]
        call = CHECK_CALL.match(last_line(exercise))
        assert exercise.cell_type == "code" and call, f"cell {i} must end with a check_...(...) call"
        assert call.group(1) in {c.__name__ for c in CHECKS}
        assert re.search(rf"from digitlab\.exercises import[^\n]*\b{call.group(1)}\b", imports)
        assert solution.cell_type == "code" and tags(solution) == ["solution"], f"cell {j} must be the solution"
        assert solution.metadata.get("jupyter", {}).get("source_hidden") is True, f"cell {j} must be collapsed"
        assert last_line(solution) == last_line(exercise)
    assert sum("solution" in tags(c) for c in nb.cells) == len(exercises(nb))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_later_cells_never_use_what_the_learner_wrote(path):
    nb = read(path)
    for i, _ in exercises(nb):
        names = re.findall(r"^def (\w+)\(", nb.cells[i].source, re.M)
        assert names, f"cell {i}: an exercise defines the function the learner completes"
        for k, cell in enumerate(nb.cells[i + 2:], start=i + 2):
            if cell.cell_type == "code" and not {"exercise", "solution"} & set(tags(cell)):
                used = [n for n in names if re.search(rf"\b{n}\b", cell.source)]
                assert used == [], f"cell {k} uses {used}, the learner's answer to the exercise in cell {i}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_ends_with_a_questionnaire_whose_answers_are_hidden(path):
    cells = [c for c in read(path).cells if c.cell_type == "markdown"]
    heading = next((k for k, c in enumerate(cells) if re.search(r"^#+ .*Questions", c.source, re.M)), None)
    assert heading is not None and heading >= len(cells) - 3, "a 'Questions' section near the end"
    text = "\n".join(c.source for c in cells[heading:])
    assert text.count("<details>") >= 3 and text.count("<details>") == text.count("</details>")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_invites_the_reader_to_try_something(path):
    text = " ".join(c.source for c in read(path).cells if c.cell_type == "markdown")
    assert "Try this" in text


# ---- running them -----------------------------------------------------------------------------------

def check_outputs(nb, name):
    errors = [(i, o.ename, o.evalue) for i, c in enumerate(nb.cells) if c.cell_type == "code"
              for o in c.outputs if o.output_type == "error"]
    assert errors == [], f"{name}: {errors}"
    long = [(i, line) for i, c in enumerate(nb.cells) if c.cell_type == "code"
            for line in printed(c).splitlines() if len(line) > LONGEST_LINE]
    assert long == [], f"{name}: printed lines longer than {LONGEST_LINE} characters wrap mid-word: {long}"


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_top_to_bottom_and_every_solution_turns_its_verdict_to_right(path, private_data,
                                                                                   tmp_path, monkeypatch):
    nb = read(path)
    seconds = execute(nb, private_data, tmp_path, monkeypatch)
    print(f"{path.name}: {seconds:.1f} s")
    record_time(path.name, seconds)
    check_outputs(nb, path.name)
    for i, j in exercises(nb):
        unsolved, solved = verdict(nb.cells[i]), verdict(nb.cells[j])
        assert unsolved.startswith(NOT_YET), f"cell {i} (the stub) printed {unsolved!r}"
        assert solved.startswith(RIGHT), f"cell {j} (the solution) printed {solved!r}"


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_top_to_bottom_with_the_solution_cells_deleted(path, private_data, tmp_path, monkeypatch):
    nb = read(path)
    nb.cells = [c for c in nb.cells if "solution" not in tags(c)]
    seconds = execute(nb, private_data, tmp_path, monkeypatch)
    print(f"{path.name} without solutions: {seconds:.1f} s")
    record_time(f"{path.name} without solutions", seconds)
    check_outputs(nb, path.name)
    assert all(verdict(c).startswith(NOT_YET) for c in nb.cells if "exercise" in tags(c))


@pytest.mark.notebook
def test_the_digit_network_notebook_runs_on_when_its_training_blows_up(private_data, tmp_path, monkeypatch):
    """Its 'Try this' invites lr=0.1, which blows up in the first epoch: the cells below must still run."""
    path = next(p for p in NOTEBOOKS if "TrainingDashboard(model" in p.read_text())
    nb = read(path)
    training = next(c for c in nb.cells if "TrainingDashboard(model" in c.source)
    assert "lr=1e-3" in training.source
    training.source = training.source.replace("lr=1e-3", "lr=0.1")
    nb.cells = [c for c in nb.cells if "solution" not in tags(c)]
    execute(nb, private_data, tmp_path, monkeypatch)
    check_outputs(nb, path.name)
    assert any("No epoch was finished" in printed(c) for c in nb.cells)
