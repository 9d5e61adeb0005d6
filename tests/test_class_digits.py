"""The teacher's class_digits notebook runs headless: with generated students, and on a class's shared drawings."""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from digitlab.drawing.class_store import ClassStore
from digitlab.drawing.handwriting import fill_class

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "class_digits.ipynb"
KERNEL_LIMIT_MIB = 250
PEAK = "import resource; print('kernel peak MiB:', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)"

pytestmark = [pytest.mark.notebook, pytest.mark.mnist]


@pytest.fixture
def data(tmp_path):
    """A private data folder: MNIST and the models linked in, no class folder."""
    from digitlab.data import data_root, fetch_mnist

    fetch_mnist(progress=False)
    (tmp_path / "data").mkdir()
    for name in ("mnist", "models"):
        (tmp_path / "data" / name).symlink_to(data_root() / name)
    return tmp_path / "data"


def run(tmp_path, monkeypatch, data):
    """Run the notebook top to bottom (and one cell more that prints the kernel's peak memory); return its text."""
    monkeypatch.setenv("DIGITLAB_DATA", str(data))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PEAK))
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert [o for o in outputs if o.output_type == "error"] == []
    return "\n".join(o.get("text", "") + o.get("data", {}).get("text/plain", "") for o in outputs)


def test_without_a_class_generated_students_stand_in_and_the_kernel_stays_lean(tmp_path, monkeypatch, data):
    monkeypatch.delenv("DIGITLAB_CLASS", raising=False)
    text = run(tmp_path, monkeypatch, data)
    print(text)
    assert "STAND-INS: 0 student(s) shared drawings so far" in text
    assert "400 drawings by 8 students" in text
    for row in ("held-out students", "hana", "drawings aside, students known", "MNIST test 0-7,999"):
        assert row in text
    peak = int(text.split("kernel peak MiB:")[1].split()[0])
    assert peak <= KERNEL_LIMIT_MIB


def test_on_a_class_folder_it_uses_the_drawings_the_students_shared(tmp_path, monkeypatch, data):
    classes = ClassStore(tmp_path / "class")
    fill_class(classes, names=["ana", "bo", "chen"], per_digit=2)
    monkeypatch.setenv("DIGITLAB_CLASS", str(classes.root))
    text = run(tmp_path, monkeypatch, data)
    assert f"Using the class's shared drawings in {classes.root}" in text
    assert "60 drawings by 3 students" in text and "STAND-INS" not in text
