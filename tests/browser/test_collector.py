"""Notebook 08 in a real browser: collect a drawing with the mouse, see it saved, counted and deleted."""

import time

import pytest
from playwright.sync_api import expect

from digitlab.data import fetch_mnist

from .harness import ARTIFACTS

pytestmark = pytest.mark.browser

NOTEBOOK = "08_distribution_shift.ipynb"
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
    print(f"\nnotebook 08, run all in the browser: {time.perf_counter() - started:.1f} s")
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


def draw_and_save(lab, data):
    """Draw a stroke on the collector's pad and press Save; return (digit asked, the new PNG's path)."""
    page = lab.page
    digit = asked(lab)
    before = set(pngs(data))
    saved = lab.evaluate_json("collector.saved")
    lab.draw_stroke(page.locator(".dl-collector canvas.dl-pad"), ONE)
    lab.wait_for_value("len(collector.canvas.strokes)", 1, what="the stroke never reached the kernel")
    page.locator(".dl-collector-save").click()
    page.locator(f'.dl-collector-message[data-saved="{saved + 1}"]').wait_for(timeout=15_000)
    (new,) = set(pngs(data)) - before
    return digit, new


def test_a_drawing_saved_with_the_mouse_lands_on_disk_and_in_the_gallery(lab06, data):
    page = lab06.page
    total = len(pngs(data))
    digit, new = draw_and_save(lab06, data)

    assert new.parent.name == str(digit)
    expect(page.locator(".dl-collector-counts .dl-counts")).to_have_attribute("data-total", str(total + 1))
    expect(page.locator(".dl-collector-item")).to_have_count(total + 1)
    expect(page.locator(f".dl-collector-item.dl-id-{new.stem} img")).to_have_count(1)
    expect(page.locator(".dl-collector-status")).to_contain_text(f"Saved your {digit}")
    assert asked(lab06) != digit or total > 0  # with nothing else collected, it asks for another digit
    assert lab06.evaluate_json("len(collector.canvas.strokes)") == 0
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator(".dl-collector").screenshot(path=str(ARTIFACTS / "collector.png"))


def test_delete_in_the_gallery_removes_the_file_and_undo_delete_restores_it(lab06, data):
    page = lab06.page
    digit, new = draw_and_save(lab06, data)
    total = len(pngs(data))
    item = page.locator(f".dl-collector-item.dl-id-{new.stem}")
    expect(item).to_have_count(1)
    item.locator(".dl-collector-delete").click()
    expect(page.locator(".dl-collector-counts .dl-counts")).to_have_attribute("data-total", str(total - 1))
    assert new not in pngs(data)
    expect(item).to_have_count(0)
    expect(page.locator(".dl-collector-item")).to_have_count(total - 1)
    expect(page.locator(".dl-collector-status")).to_contain_text(f"Deleted {'an' if digit == 8 else 'a'} {digit}")

    page.get_by_role("button", name="Undo delete").click()
    expect(page.locator(".dl-collector-counts .dl-counts")).to_have_attribute("data-total", str(total))
    restored = [p for p in pngs(data) if p.parent.name == str(digit)]
    assert len(pngs(data)) == total and restored
    expect(page.locator(".dl-collector-item")).to_have_count(total)
