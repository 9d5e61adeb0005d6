"""The browser harness itself works: a tiny widget notebook opens, runs and reacts to keys."""

import pytest

pytestmark = pytest.mark.browser

CELLS = [
    "# md\n# Harness smoke test",
    "import ipywidgets as W\n"
    "slider = W.IntSlider(value=3, min=0, max=10)\n"
    "slider.add_class('dl-smoke-slider')\n"
    "label = W.Label(f'value {slider.value}')\n"
    "label.add_class('dl-smoke-label')\n"
    "slider.observe(lambda change: setattr(label, 'value', f\"value {change['new']}\"), 'value')\n"
    "W.VBox([slider, label])",
]


@pytest.fixture(scope="module")
def smoke(lab, jupyter_server):
    lab.open(jupyter_server.write_notebook("smoke.ipynb", CELLS))
    lab.run_all()
    return lab


def test_arrow_right_on_slider_updates_label(smoke):
    page = smoke.page
    label = page.locator(".dl-smoke-label")
    label.get_by_text("value 3").wait_for()
    page.locator(".dl-smoke-slider [role=slider]").focus()
    page.keyboard.press("ArrowRight")
    label.get_by_text("value 4").wait_for(timeout=5_000)
    assert smoke.evaluate_json("slider.value") == 4


def test_run_all_reports_the_failing_cells_error(lab_factory, jupyter_server):
    nb = jupyter_server.write_notebook("broken.ipynb", ["x = 1", "raise ValueError('bad digit')"])
    lab = lab_factory().open(nb)
    with pytest.raises(AssertionError, match="ValueError: bad digit"):
        lab.run_all(timeout=30)


def test_widgets_still_react_after_page_reload(smoke):
    smoke.execute("marker = 41 + 1")
    smoke.reload()
    assert smoke.evaluate_json("marker") == 42  # same kernel as before the reload
    page = smoke.page
    before = smoke.evaluate_json("slider.value")
    page.locator(".dl-smoke-slider [role=slider]").focus()
    page.keyboard.press("ArrowRight")
    page.locator(".dl-smoke-label").get_by_text(f"value {before + 1}").wait_for(timeout=5_000)
