"""Notebooks 01 and 02 in a real JupyterLab: sliders, learning steps and descent steps react on the page.

Expected texts are computed here with the same core (digitlab.perceptron, digitlab.descent) the
kernel uses, then compared with what the browser shows after a key press or a click.
"""

import pytest
from playwright.sync_api import expect

from digitlab.lessons.gradient_descent import GradientDescent, one_weight_loss
from digitlab.lessons.perceptron import START_B, START_W, START_X, Perceptron, PerceptronTrainer
from digitlab.plumbing.text import short_number, signed
from digitlab.widgets.descent_explorer import ONE_WEIGHT_RATES, format_point

pytestmark = pytest.mark.browser

SLIDER_STEP = 0.05   # digitlab.widgets.perceptron_explorer.SLIDER_STEP


@pytest.fixture(scope="module")
def nb01(lab_factory):
    lab = lab_factory().open("01_perceptron.ipynb")
    lab.run_all()
    return lab


@pytest.fixture(scope="module")
def nb02(lab_factory):
    lab = lab_factory().open("02_gradient_descent.ipynb")
    lab.run_all()
    return lab


def press(page, selector, key, times):
    """Focus the slider handle inside selector and press key that many times."""
    handle = page.locator(f"{selector} [role=slider]")
    handle.scroll_into_view_if_needed()
    handle.focus()
    for _ in range(times):
        page.keyboard.press(key)


def weights_text(perceptron):
    return (", ".join(f"w{i + 1} = {signed(w)}" for i, w in enumerate(perceptron.w))
            + f", b = {signed(perceptron.b)}")


def test_explorer_shows_the_starting_formula_and_decision(nb01):
    page = nb01.page
    expected = Perceptron(START_W, START_B).formula(START_X)
    expect(page.locator(".dl-formula")).to_have_text(expected)
    expect(page.locator(".dl-decision")).to_have_text(Perceptron(START_W, START_B).decision(START_X))


def test_arrow_keys_on_the_sliders_change_z_and_then_the_decision(nb01):
    page = nb01.page
    formula, decision = page.locator(".dl-formula"), page.locator(".dl-decision")

    press(page, ".dl-w1", "ArrowRight", 1)
    w = (START_W[0] + SLIDER_STEP, *START_W[1:])
    p = Perceptron(w, START_B)
    expect(formula).to_have_text(p.formula(START_X), timeout=5_000)
    assert p.output(START_X) == 0
    expect(decision).to_have_text(p.decision(START_X))

    # Raise the bias until z turns positive: 12 steps of 0.05 take z from -0.55 to +0.05.
    press(page, ".dl-b", "ArrowRight", 12)
    p = Perceptron(w, START_B + 12 * SLIDER_STEP)
    assert p.weighted_sum(START_X) > 0 and p.output(START_X) == 1
    expect(formula).to_have_text(p.formula(START_X), timeout=5_000)
    expect(decision).to_have_text(p.decision(START_X))
    expect(decision).to_contain_text("going to the beach")


def test_learning_step_shows_the_wrong_day_and_the_moved_weights(nb01):
    page = nb01.page
    weights, message = page.locator(".dl-learn-weights"), page.locator(".dl-learn-message")
    trainer = PerceptronTrainer()
    expect(weights).to_contain_text(weights_text(trainer.perceptron))

    for _ in range(2):
        step = trainer.step()
        page.locator(".dl-learn-step").click()
        expect(weights).to_contain_text(weights_text(trainer.perceptron), timeout=5_000)
        expect(message).to_contain_text(f"Day {step.index + 1} ")
        expect(message).to_contain_text("Wrong" if step.mistake else "Right")
        expect(message).to_contain_text(f"w1 (weather): {signed(step.w_before[0])} → {signed(step.w_after[0])}")

    trainer.run()
    page.locator(".dl-learn-run").click()
    expect(weights).to_contain_text(weights_text(trainer.perceptron), timeout=5_000)
    expect(page.locator(".dl-learn-summary")).to_contain_text("0 of 6 days wrong")
    expect(page.locator(".dl-learn-table")).not_to_contain_text("✘")


def position_text(gd):
    return f"step {len(gd.steps)}: {format_point(gd.w)}, loss = {short_number(gd.losses[-1])}"


def test_descent_step_button_moves_the_point_and_redraws(nb02):
    page = nb02.page
    explorer = page.locator(".dl-descent-explorer").first
    position, image = explorer.locator(".dl-descent-position"), explorer.locator("img.dl-descent-plot")
    gd = GradientDescent(one_weight_loss(), [-1.0], lr=0.1)
    expect(position).to_contain_text(position_text(gd))
    src_before = image.get_attribute("src")

    gd.step()
    explorer.locator(".dl-descent-step").click()
    expect(position).to_contain_text(position_text(gd), timeout=5_000)
    expect(image).not_to_have_attribute("src", src_before)

    gd.run(10)
    explorer.locator(".dl-descent-ten").click()
    expect(position).to_contain_text(position_text(gd), timeout=5_000)
    expect(explorer.locator(".dl-descent-verdict")).to_contain_text("Going downhill")


def test_too_large_learning_rate_is_reported_diverging_on_the_page(nb02):
    page = nb02.page
    explorer = page.locator(".dl-descent-explorer").first
    explorer.locator(".dl-descent-reset").click()
    gd = GradientDescent(one_weight_loss(), [-1.0], lr=0.1)
    expect(explorer.locator(".dl-descent-position")).to_contain_text(position_text(gd), timeout=5_000)

    presses = ONE_WEIGHT_RATES.index(1.1) - ONE_WEIGHT_RATES.index(0.1)
    handle = explorer.locator(".dl-descent-lr [role=slider]")
    handle.scroll_into_view_if_needed()
    handle.focus()
    for _ in range(presses):
        page.keyboard.press("ArrowRight")
    expect(explorer.locator(".dl-descent-position")).to_contain_text("learning rate = 1.1", timeout=5_000)

    gd.lr = 1.1
    gd.run(10)
    assert gd.status == "diverging"
    explorer.locator(".dl-descent-ten").click()
    expect(explorer.locator(".dl-descent-position")).to_contain_text(position_text(gd), timeout=5_000)
    expect(explorer.locator(".dl-descent-verdict")).to_contain_text("DIVERGING")
