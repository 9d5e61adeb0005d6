"""Every notebook runs top to bottom without a browser, as a learner's "Run All" would.

Widgets render nothing here; their behaviour in a real browser is tested in tests/browser/.
The kernel gets a private data folder (MNIST and models linked in, an empty drawings folder),
so a run never touches the reader's own collected drawings.
"""

import json
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
TIMES = ROOT / "tests" / "browser" / "artifacts" / "notebook_seconds.json"


@pytest.fixture(scope="module")
def private_data(tmp_path_factory):
    from digitlab.data import data_root, fetch_mnist

    fetch_mnist(progress=False)
    root = tmp_path_factory.mktemp("data")
    for name in ("mnist", "models"):
        (root / name).symlink_to(data_root() / name)
    return root


def test_the_series_has_six_numbered_notebooks():
    assert [p.name[:3] for p in NOTEBOOKS] == ["01_", "02_", "03_", "04_", "05_", "06_"]


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_top_to_bottom(path, private_data, tmp_path, monkeypatch):
    monkeypatch.setenv("DIGITLAB_DATA", str(private_data))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(path, as_version=4)
    started = time.perf_counter()
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    seconds = time.perf_counter() - started
    print(f"{path.name}: {seconds:.1f} s")
    TIMES.parent.mkdir(parents=True, exist_ok=True)
    times = json.loads(TIMES.read_text()) if TIMES.exists() else {}
    times[path.name] = round(seconds, 1)
    TIMES.write_text(json.dumps(times, indent=1, sort_keys=True))
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_invites_the_reader_to_try_something(path):
    text = " ".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")
    assert "Try this" in text
