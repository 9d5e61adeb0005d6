"""The demo web app (`make demo`): a page with the pad and nothing else; closing the tab frees its kernel."""

import time

import pytest

from .harness import ARTIFACTS, VoilaServer

pytestmark = pytest.mark.browser

SEVEN = [(0.27, 0.2), (0.73, 0.2), (0.42, 0.85)]  # fractions of the pad, y going down


@pytest.fixture(scope="module")
def voila():
    server = VoilaServer().start()
    yield server
    server.stop()


def draw(page, points):
    canvas = page.locator("canvas.dl-pad")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    xy = [(box["x"] + fx * box["width"], box["y"] + fy * box["height"]) for fx, fy in points]
    page.mouse.move(*xy[0])
    page.mouse.down()
    for x, y in xy[1:]:
        page.mouse.move(x, y, steps=8)
    page.mouse.up()


def test_a_drawn_seven_is_read_and_closing_the_tab_frees_the_kernel(browser, voila):
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.goto(voila.url)
    page.locator("canvas.dl-pad").wait_for()
    assert page.title().startswith("DigitLab")
    assert len(voila.kernels()) == 1

    draw(page, SEVEN)
    page.locator(".dl-pad-guess .dl-guess[data-label]").wait_for()
    assert page.locator(".dl-pad-guess .dl-guess").get_attribute("data-label") == "7"
    assert page.locator(".dl-pad-guess .dl-guess-digit").inner_text().strip() == "7"
    assert page.locator(".dl-bar").count() == 10
    assert page.locator("img.dl-pad-input").count() == 1
    text = page.locator("body").inner_text()
    assert "Draw one digit" in text
    for leftover in ("import", "digitlab", "cell", "ReaderApp", "In ["):
        assert leftover not in text, leftover  # no code and no notebook talk on the page
    assert page.get_by_role("button", name="Predict").is_visible()
    assert page.get_by_role("button", name="Clear").is_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "demo_app.png"))

    page.close(run_before_unload=True)  # as a person closing the tab: the page says goodbye
    deadline = time.monotonic() + 60
    while voila.kernels() and time.monotonic() < deadline:
        time.sleep(0.5)
    print(f"\nkernel gone {60 - (deadline - time.monotonic()):.1f} s after the tab closed")
    assert voila.kernels() == [], f"the kernel still runs a minute after the tab closed:\n{voila.log_tail()}"
    context.close()
