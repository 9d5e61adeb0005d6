"""Notebook 06 in a real browser: collect a drawing with the mouse, see it saved, counted and deleted."""

import time

import pytest

from digitlab.data import fetch_mnist

from .harness import ARTIFACTS

pytestmark = pytest.mark.browser

NOTEBOOK = "06_distribution_shift.ipynb"
ONE = [(0.5, 0.15), (0.5, 0.85)]  # a vertical stroke, as fractions of the pad


@pytest.fixture(scope="module")
def data(jupyter_server):
    """The kernels' private data folder (MNIST and models linked in, no drawings to begin with)."""
    fetch_mnist(progress=False)
    return jupyter_server.data_dir


@pytest.fixture(scope="module")
def lab06(lab_factory, data):
    lab = lab_factory()
    lab.open(NOTEBOOK)
    started = time.perf_counter()
    lab.run_all(timeout=240)
    print(f"\nnotebook 06, run all in the browser: {time.perf_counter() - started:.1f} s")
    lab.page.locator(".dl-collector canvas.dl-pad").wait_for()
    return lab


def asked(lab) -> int:
    return int(lab.page.locator(".dl-collector-ask").get_attribute("data-digit"))


def pngs(data):
    return sorted((data / "custom").glob("*/*.png"))


def test_the_notebook_ran_on_the_private_folder_with_stand_ins(lab06, data):
    assert lab06.evaluate_json("str(collector.store.root)") == str(data / "custom")
    assert "STAND-INS: only 0 drawings" in lab06.page.locator(".jp-Notebook").inner_text()


def test_skip_asks_for_another_digit(lab06):
    before = asked(lab06)
    lab06.page.locator(".dl-collector-skip").click()
    lab06.page.wait_for_function(
        "(d) => document.querySelector('.dl-collector-ask').dataset.digit !== String(d)", arg=before)
    assert asked(lab06) != before


def test_a_drawing_saved_with_the_mouse_lands_on_disk_and_in_the_gallery(lab06, data):
    page = lab06.page
    digit = asked(lab06)
    lab06.draw_stroke(page.locator(".dl-collector canvas.dl-pad"), ONE)
    deadline = time.monotonic() + 15
    while lab06.evaluate_json("len(collector.canvas.strokes)") != 1:
        assert time.monotonic() < deadline, "the stroke never reached the kernel"
        time.sleep(0.1)
    page.locator(".dl-collector-save").click()
    page.locator('.dl-collector-message[data-saved="1"]').wait_for(timeout=15_000)

    files = pngs(data)
    assert [p.parent.name for p in files] == [str(digit)]
    assert page.locator(".dl-collector-counts .dl-counts").get_attribute("data-total") == "1"
    assert page.locator(f'.dl-count[data-digit="{digit}"]').get_attribute("data-count") == "1"
    assert page.locator(".dl-collector-item").count() == 1
    assert page.locator(f".dl-collector-item.dl-id-{files[0].stem} img").count() == 1
    assert f"Saved your {digit}" in page.locator(".dl-collector-status").inner_text()
    assert asked(lab06) != digit  # now it asks for one it has none of
    assert lab06.evaluate_json("len(collector.canvas.strokes)") == 0
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator(".dl-collector").screenshot(path=str(ARTIFACTS / "collector.png"))


def test_delete_in_the_gallery_removes_the_file_and_undo_delete_restores_it(lab06, data):
    page = lab06.page
    (saved,) = pngs(data)
    page.locator(".dl-collector-item .dl-collector-delete").click()
    page.locator('.dl-collector-counts .dl-counts[data-total="0"]').wait_for(timeout=15_000)
    assert pngs(data) == []
    assert page.locator(".dl-collector-item").count() == 0
    assert "Deleted" in page.locator(".dl-collector-status").inner_text()

    page.get_by_role("button", name="Undo delete").click()
    page.locator('.dl-collector-counts .dl-counts[data-total="1"]').wait_for(timeout=15_000)
    (restored,) = pngs(data)
    assert restored.parent.name == saved.parent.name
    assert page.locator(".dl-collector-item").count() == 1
