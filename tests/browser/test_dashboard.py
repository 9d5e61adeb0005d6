"""Notebook 06 in a real browser: the training dashboard updates while it trains, and Stop stops it.

The first test runs the whole notebook and presses Stop during its training cell, as a reader
might: training ends at once, keeping its weights, and the cells below run with them. The second
adds a cell with a much longer run on a subset, to watch the progress, status and curves move and
to time the Stop.
"""

import time

import pytest

from .harness import _JS_PANEL, ARTIFACTS

pytestmark = pytest.mark.browser

NOTEBOOK = "06_mlp.ipynb"
STATUS = ".dl-dashboard-status .dl-status"

# Append a code cell to the open notebook, make it the only selected cell and run it.
RUN_NEW_CELL = _JS_PANEL + """([path, code]) => {
  const panel = panelOf(path), nb = panel.content;
  nb.model.sharedModel.insertCell(nb.model.cells.length, {cell_type: 'code', source: code});
  nb.deselectAll();
  nb.activeCellIndex = nb.widgets.length - 1;
  window.jupyterapp.shell.activateById(panel.id);
  window.jupyterapp.commands.execute('notebook:run-cell');
}"""

RUN_ALL_NO_WAIT = _JS_PANEL + """(path) => {
  window.jupyterapp.shell.activateById(panelOf(path).id);
  window.jupyterapp.commands.execute('notebook:run-all-cells');
}"""

LONG_RUN = """\
long_run = TrainingDashboard(digitlab.MLP(seed=1), X_train[:5000], y_train[:5000], epochs=5000,
                             validation_data=(X_val[:1000], y_val[:1000]))
long_run.add_class("dl-long-run")
display(long_run)
long_history = await long_run.train()"""


def dashboard_state(page, scope):
    """(state, batches done, curves image src) of the dashboard in ``scope``, read from the page."""
    return page.evaluate("""(scope) => {
      const d = document.querySelector(scope);
      if (!d) return null;
      const s = d.querySelector('.dl-dashboard-status .dl-status');
      const img = d.querySelector('img.dl-dashboard-curves');
      return s && [s.dataset.state, Number(s.dataset.step), img ? img.src : '', s.textContent];
    }""", scope)


def wait_for_state(page, scope, state, timeout_ms=30_000):
    page.wait_for_function("""([scope, state]) => {
      const s = document.querySelector(scope + ' .dl-dashboard-status .dl-status');
      return s && s.dataset.state === state;
    }""", arg=[scope, state], timeout=timeout_ms, polling=50)


@pytest.fixture(scope="module")
def notebook(lab):
    lab.open(NOTEBOOK)
    return lab


def test_stop_during_run_all_keeps_the_weights_and_the_cells_below_use_them(notebook):
    page = notebook.page
    page.evaluate(RUN_ALL_NO_WAIT, notebook.notebook)
    wait_for_state(page, ".dl-dashboard", "training", timeout_ms=90_000)
    # Press Stop early in the second epoch, after one validation point is on the curves.
    page.wait_for_function(f"() => document.querySelector('{STATUS}').textContent.startsWith('Epoch 2 of')",
                           timeout=30_000, polling=50)
    page.locator(".dl-dashboard").get_by_role("button", name="Stop").click()
    wait_for_state(page, ".dl-dashboard", "stopped", timeout_ms=10_000)
    notebook.wait_until_all_cells_ran()

    state, step, _, text = dashboard_state(page, ".dl-dashboard")
    steps = notebook.evaluate_json("dashboard.session.steps")
    assert state == "stopped" and 0 < step < steps
    assert text.startswith(f"Stopped after {step:,} batches: the weights learned so far are kept")
    assert page.locator(".dl-dashboard").get_by_role("button", name="Stop").is_disabled()
    kernel = notebook.evaluate_json(
        "{'stopped_early': history.stopped_early, 'epochs': len(history.loss), 'EPOCHS': EPOCHS,"
        " 'steps': dashboard.session.step, 'test_accuracy': float(test_accuracy)}")
    assert kernel["stopped_early"] and 2 <= kernel["epochs"] < kernel["EPOCHS"]
    assert kernel["steps"] == step
    assert kernel["test_accuracy"] > 0.9  # the weights learned in more than an epoch were kept
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator(".dl-dashboard").first.screenshot(path=str(ARTIFACTS / "dashboard_notebook_stopped.png"))


def test_dashboard_updates_while_training_and_stop_ends_a_long_run_early(notebook):
    page = notebook.page
    scope = ".dl-long-run"
    started = time.monotonic()
    page.evaluate(RUN_NEW_CELL, [notebook.notebook, LONG_RUN])
    wait_for_state(page, scope, "training")

    seen = []  # (seconds, batches done, curves image, status text) while training

    def enough():
        return (len({step for _, step, _, _ in seen}) >= 5 and len({src for _, _, src, _ in seen}) >= 3
                and any("validation accuracy" in text for _, _, _, text in seen))

    while not enough() and time.monotonic() - started < 30:
        state, step, src, text = dashboard_state(page, scope)
        if state != "training":
            break
        seen.append((time.monotonic(), step, src, text))
        time.sleep(0.1)
    assert len({step for _, step, _, _ in seen}) >= 5, "progress did not move during training"
    assert len({src for _, _, src, _ in seen}) >= 3, "the curves were not redrawn during training"
    assert len({text for _, _, _, text in seen}) >= 5
    assert any("validation accuracy" in text for _, _, _, text in seen)
    (t0, step0, _, _), (t1, step1, _, _) = seen[0], seen[-1]

    clicked = time.monotonic()
    page.locator(scope).get_by_role("button", name="Stop").click()
    wait_for_state(page, scope, "stopped", timeout_ms=10_000)
    stopped_after = time.monotonic() - clicked
    notebook.wait_until_all_cells_ran(timeout=30)
    idle_after = time.monotonic() - clicked

    state, step_stopped, _, text = dashboard_state(page, scope)
    time.sleep(1.0)
    assert dashboard_state(page, scope)[1] == step_stopped, "progress kept moving after Stop"
    assert text.startswith(f"Stopped after {step_stopped:,} batches: the weights learned so far are kept")

    kernel = notebook.evaluate_json("{'step': long_run.session.step, 'steps': long_run.session.steps,"
                                    " 'stopped_early': long_history.stopped_early}")
    assert kernel["step"] == step_stopped and kernel["stopped_early"]
    rate = (step1 - step0) / (t1 - t0)  # batches per second while it was watched
    planned_seconds = kernel["steps"] / rate
    print(f"\nlong run: {rate:.0f} batches/s, planned {planned_seconds:.0f} s; Stop -> 'stopped' shown "
          f"{stopped_after:.2f} s, kernel idle {idle_after:.2f} s after the click")
    assert stopped_after < 3.0 and idle_after < 5.0
    assert time.monotonic() - started < planned_seconds / 3
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator(scope).screenshot(path=str(ARTIFACTS / "dashboard_stopped.png"))
