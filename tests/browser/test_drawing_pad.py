"""Notebook 07 in a real browser: draw digits with the mouse and a finger, read the network's guess."""

import math
import statistics

import pytest

from .harness import ARTIFACTS

pytestmark = pytest.mark.browser

NOTEBOOK = "07_draw_and_predict.ipynb"

# Digits as strokes of (x, y) fractions of the pad, y going down.
ONE = [[(0.5, 0.15), (0.5, 0.85)]]
SEVEN = [[(0.27, 0.2), (0.73, 0.2), (0.42, 0.85)]]
ZERO = [[(0.5 + 0.2 * math.sin(a), 0.5 - 0.32 * math.cos(a))
         for a in [2 * math.pi * i / 24 for i in range(25)]]]


LATENCIES_MS: list[float] = []

# Records pointer-ups on the pad and every change of the guess, with browser timestamps.
PROBE = """() => {
  const pad = document.querySelector('canvas.dl-pad');
  const guess = document.querySelector('.dl-pad-guess');
  const probe = window.__dlProbe = {ups: [], updates: []};
  pad.addEventListener('pointerup', () => probe.ups.push(performance.now()), true);
  new MutationObserver(() => {
    const g = guess.querySelector('.dl-guess');
    if (g) probe.updates.push([performance.now(), Number(g.dataset.update)]);
  }).observe(guess, {subtree: true, childList: true, attributes: true, characterData: true});
}"""

INK_FRACTION = """() => {
  const c = document.querySelector('canvas.dl-pad');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let ink = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i] > 128) ink += 1;
  return ink / (c.width * c.height);
}"""


@pytest.fixture(scope="module")
def pad(lab_factory):
    lab = lab_factory()
    lab.open(NOTEBOOK)
    lab.run_all()
    lab.page.locator("canvas.dl-pad").wait_for()
    yield lab
    if LATENCIES_MS:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        summary = (f"mouse-up to updated prediction in the browser, {len(LATENCIES_MS)} strokes: "
                   f"median {statistics.median(LATENCIES_MS):.0f} ms, "
                   f"max {max(LATENCIES_MS):.0f} ms; all: "
                   + ", ".join(f"{ms:.0f}" for ms in LATENCIES_MS))
        print("\n" + summary)
        (ARTIFACTS / "latency.txt").write_text(summary + "\n")


def current_update(lab) -> int:
    return int(lab.page.locator(".dl-pad-guess .dl-guess").get_attribute("data-update"))


def wait_for_update(lab, after: int, timeout_ms=15_000) -> None:
    lab.page.wait_for_function(
        "(n) => Number(document.querySelector('.dl-pad-guess .dl-guess').dataset.update) > n",
        arg=after, timeout=timeout_ms)


def clear(lab) -> None:
    lab.page.get_by_role("button", name="Clear").click()
    lab.page.locator(".dl-pad-guess .dl-guess-empty").wait_for(timeout=15_000)


def draw(lab, strokes) -> str:
    """Draw strokes with the mouse, wait for the reading after the last one; return the label."""
    page = lab.page
    canvas = page.locator("canvas.dl-pad")
    canvas.scroll_into_view_if_needed()
    page.evaluate(PROBE)
    for stroke in strokes:
        before = current_update(lab)
        lab.draw_stroke(canvas, stroke)
        wait_for_update(lab, before)
        probe = page.evaluate("() => window.__dlProbe")
        done = [t for t, n in probe["updates"] if n > before]
        LATENCIES_MS.append(done[0] - probe["ups"][-1])
    return page.locator(".dl-pad-guess .dl-guess").get_attribute("data-label")


def test_after_run_all_the_learners_pad_is_empty_and_asks_for_a_digit(pad):
    assert pad.evaluate_json("len(pad.strokes)") == 0
    assert pad.page.locator(".dl-pad-guess").inner_text().strip() == "Draw a digit"
    assert pad.page.evaluate(INK_FRACTION) == 0
    assert pad.page.locator("canvas.dl-pad").count() == 1


def test_clear_empties_the_pad_and_asks_for_a_digit(pad):
    draw(pad, ONE)
    assert pad.page.evaluate(INK_FRACTION) > 0.01
    clear(pad)
    assert pad.page.locator(".dl-pad-guess").inner_text().strip() == "Draw a digit"
    assert pad.page.evaluate(INK_FRACTION) == 0
    assert pad.evaluate_json("len(pad.strokes)") == 0


@pytest.mark.parametrize("digit, strokes", [(1, ONE), (7, SEVEN), (0, ZERO)])
def test_drawn_digit_is_read_correctly(pad, digit, strokes):
    clear(pad)
    assert draw(pad, strokes) == str(digit)
    assert f"{digit}" in pad.page.locator(".dl-pad-guess .dl-guess-digit").inner_text()
    assert pad.evaluate_json("pad.reading.guess") == digit


def test_undo_removes_only_the_last_stroke(pad):
    clear(pad)
    draw(pad, [[(0.27, 0.2), (0.73, 0.2)], [(0.73, 0.2), (0.42, 0.85)]])
    assert pad.evaluate_json("len(pad.strokes)") == 2
    ink_two = pad.page.evaluate(INK_FRACTION)
    before = current_update(pad)
    pad.page.get_by_role("button", name="Undo").click()
    wait_for_update(pad, before)
    assert pad.evaluate_json("len(pad.strokes)") == 1
    assert 0 < pad.page.evaluate(INK_FRACTION) < ink_two


def test_finger_stroke_draws_and_is_read(pad):
    clear(pad)
    page = pad.page
    canvas = page.locator("canvas.dl-pad")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 1})
    before = current_update(pad)
    x = box["x"] + box["width"] / 2
    ys = [box["y"] + box["height"] * (0.15 + 0.7 * i / 20) for i in range(21)]
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": ys[0]}]})
    for y in ys[1:]:
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    wait_for_update(pad, before)
    cdp.send("Emulation.setTouchEmulationEnabled", {"enabled": False})
    cdp.detach()
    assert page.locator(".dl-pad-guess .dl-guess").get_attribute("data-label") == "1"
    assert page.evaluate(INK_FRACTION) > 0.01


def test_pipeline_shows_every_stage_of_the_drawing(pad):
    clear(pad)
    pipeline = pad.page.locator(".dl-pipeline")
    pipeline.locator(".dl-pipeline-message").get_by_text("Draw a digit").wait_for()
    draw(pad, SEVEN)
    result = pipeline.locator(".dl-pipeline-result")
    result.get_by_text("the network reads 7").wait_for(timeout=10_000)
    stages = pipeline.locator(".dl-pipeline-stage")
    assert stages.count() == 8
    titles = [stages.nth(i).locator("b").inner_text() for i in range(8)]
    assert titles[2:4] == ["3. Stray marks", "4. Bounding box"] and titles[7] == "8. Hidden layer 2"
    assert pipeline.locator('.dl-pipeline-stage img[src^="blob:"], .dl-pipeline-stage img[src^="data:"]').count() == 8
    pipeline.scroll_into_view_if_needed()
    pipeline.screenshot(path=str(ARTIFACTS / "pipeline.png"))


def test_pad_still_draws_after_page_reload(pad):
    clear(pad)
    pad.reload()
    canvas = pad.page.locator("canvas.dl-pad")
    canvas.wait_for(timeout=30_000)
    pad.page.locator(".dl-pad-guess").get_by_text("Draw a digit").wait_for()
    assert draw(pad, SEVEN) == "7"
    assert pad.page.evaluate(INK_FRACTION) > 0.01  # the ink shows in the browser too
    assert pad.evaluate_json("len(pad.strokes)") == 1
