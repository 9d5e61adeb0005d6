"""The set-up files agree with each other."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def requirement_names_and_bounds(requirements):
    """{normalised name: version bound} from strings like 'Pillow>=10.0'."""
    parsed = {}
    for req in requirements:
        m = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*(.*?)\s*", req)
        parsed[m.group(1).lower().replace("_", "-")] = m.group(2).replace(" ", "")
    return parsed


def test_environment_yml_lists_the_same_runtime_dependencies_as_pyproject():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str) and not d.startswith(("python", "pip"))]
    assert requirement_names_and_bounds(conda) == requirement_names_and_bounds(pyproject["project"]["dependencies"])


def test_the_library_never_depends_on_a_deep_learning_framework():
    for path in (ROOT / "digitlab").rglob("*.py"):
        source = path.read_text()
        assert not re.search(r"^\s*(import|from)\s+(torch|tensorflow|jax|keras)\b", source, re.M), path


CORE = [p for p in (ROOT / "digitlab").rglob("*.py") if p.parent.name not in ("plots", "widgets")]
WIDGET_IMPORT = r"^\s*(import|from)\s+(ipywidgets|ipycanvas|anywidget|IPython\.display)\b|^\s*from\s+(\.+|digitlab\.)widgets\b"
MATPLOTLIB_IMPORT = r"^\s*(import|from)\s+(matplotlib|\.+plots|digitlab\.plots)\b"


def test_core_modules_import_neither_widgets_nor_matplotlib():
    assert len(CORE) > 20
    for path in CORE:
        source = path.read_text()
        assert not re.search(WIDGET_IMPORT, source, re.M), path
        assert not re.search(MATPLOTLIB_IMPORT, source, re.M), path


def test_matplotlib_is_imported_only_by_the_plots_and_the_widgets():
    importers = {p.parent.name for p in (ROOT / "digitlab").rglob("*.py")
                 if re.search(r"^\s*(import|from)\s+matplotlib\b", p.read_text(), re.M)}
    assert importers and importers <= {"plots", "widgets"}


def test_the_top_of_the_library_holds_at_most_ten_modules_and_lists_them():
    top = sorted(p.name for p in (ROOT / "digitlab").glob("*.py"))
    assert len(top) <= 10, top
    guide = (ROOT / "digitlab" / "__init__.py").read_text()
    for name in top:
        assert name in ("__init__.py", "__main__.py") or name in guide, name
    for folder in ("lessons", "drawing", "plots", "widgets", "plumbing"):
        assert f"{folder}/" in guide


def test_no_two_modules_share_a_name():
    names = [p.stem for p in (ROOT / "digitlab").rglob("*.py") if p.stem != "__init__"]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)


def test_notebooks_are_committed_without_outputs():
    import json

    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text())["cells"]
        dirty = [i for i, c in enumerate(cells) if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count"))]
        assert dirty == [], f"{path.name}: cells {dirty} hold outputs"


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    assert "make test" in (ROOT / "README.md").read_text() and "make lab" in (ROOT / "README.md").read_text()


def test_environment_yml_pins_the_python_minor_version_that_pyproject_requires():
    """repo2docker reads `python=3.11`; `python>=3.11` would leave Binder on its default Python."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pins = [d for d in env["dependencies"] if isinstance(d, str) and re.match(r"python\b", d)]
    lowest = re.fullmatch(r">=\s*(\d+\.\d+)", pyproject["project"]["requires-python"]).group(1)
    assert pins == [f"python={lowest}"]


def test_binder_fetches_mnist_into_the_image():
    post_build = ROOT / "postBuild"
    assert post_build.stat().st_mode & 0o111, "postBuild must be executable"
    lines = [line.strip() for line in post_build.read_text().splitlines()]
    assert lines[0].startswith("#!") and "python -m digitlab fetch" in lines
