"""Fixtures for tests that drive JupyterLab in a real Chromium.

Fixtures
- ``jupyter_server`` (session): a private JupyterLab serving a temporary copy of notebooks/;
  ``.root_dir``, ``.url``, ``.token``, ``.api(method, path)``, ``.write_notebook(name, cells)``.
- ``browser`` (session): Debian's /usr/bin/chromium through Playwright. Missing browser: skip,
  or fail when CI=true.
- ``lab`` (module): a ``LabPage`` in a fresh browser context; ``.open(nb)``, ``.run_all()``,
  ``.execute(code)``, ``.evaluate_json(expr)``, ``.draw_stroke(locator, points)``, ``.reload()``,
  ``.page`` (the Playwright page). Kernel sessions are deleted after each module.
- ``lab_factory`` (module): ``lab_factory(**context_options)`` for extra pages in the module.
- ``axe`` (session): the path of axe-core's script (contrast checks), installed on first use with
  ``npm ci`` from package-lock.json into tests/browser/node_modules (git-ignored).

On failure, screenshots and page text of all open pages go to tests/browser/artifacts/.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .harness import ARTIFACTS, OPEN_PAGES, JupyterServer, LabPage

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
HERE = Path(__file__).resolve().parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"


def missing(message):
    """A part the browser tests need is missing: fail under CI=true, else skip."""
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def jupyter_server():
    server = JupyterServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args():
    if not CHROMIUM.exists():
        missing(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    return {"executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright, browser_type_launch_args):
    browser = playwright.chromium.launch(**browser_type_launch_args)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def axe() -> Path:
    if not AXE.exists():
        if shutil.which("npm") is None:
            missing("axe-core is missing and npm is not there to install it (apt-get install -y npm)")
        done = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE, capture_output=True, text=True)
        if done.returncode != 0 or not AXE.exists():
            missing(f"npm could not install axe-core into {HERE / 'node_modules'}:\n{done.stderr[-2000:]}")
    return AXE


@pytest.fixture(scope="module")
def lab_factory(browser, jupyter_server):
    pages: list[LabPage] = []

    def make(**context_options) -> LabPage:
        options = {"viewport": {"width": 1280, "height": 1000}, **context_options}
        context = browser.new_context(**options)
        context.set_default_timeout(30_000)
        lab = LabPage(jupyter_server, context.new_page())
        pages.append(lab)
        return lab

    yield make
    for lab in pages:
        lab.close()
    jupyter_server.delete_sessions()


@pytest.fixture(scope="module")
def lab(lab_factory) -> LabPage:
    return lab_factory()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not report.failed or not OPEN_PAGES:
        return
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^\w.-]+", "_", item.nodeid.split("::", 1)[-1]) + f"-{report.when}"
    for i, page in enumerate(list(OPEN_PAGES)):
        try:
            page.screenshot(path=str(ARTIFACTS / f"{stem}-{i}.png"), full_page=True)
            (ARTIFACTS / f"{stem}-{i}.txt").write_text(page.inner_text("body"))
        except Exception as exc:  # a crashed page must not hide the real failure
            (ARTIFACTS / f"{stem}-{i}.txt").write_text(f"could not capture page: {exc}")
