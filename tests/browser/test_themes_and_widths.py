"""Every widget in JupyterLab's Light and Dark themes and at projector widths, in one page.

A small notebook written here shows every widget of the series in the states a class sees
(a highlighted learner row, a descent going downhill and one diverging, finished and diverged
training, a drawn digit with its pipeline, a collector with saved drawings, an error and Undo
delete). The tests check, in a real Chromium:
- contrast: axe-core's color-contrast rule (WCAG 2 AA) over the widgets, in Light and in Dark;
- edges: the pads and every small image have a border at 3:1 against the page, in both themes;
- size: every widget text grows with JupyterLab's font size;
- widths: at 1024 and 800 px wide with the file browser open, the pads can be drawn on over
  their whole area, no button text is truncated, nothing sticks out of its output, and the
  collector's and the pad's columns stay put when their texts change;
- quick clicks: fast Step clicks in the descent explorer do not pile up.
It also takes the README's pictures of the drawing pad in both themes (written to docs/ only
with DIGITLAB_UPDATE_DOCS=1).
"""

from __future__ import annotations

import os
import time

import pytest
from playwright.sync_api import expect

from .harness import ARTIFACTS, REPO

pytestmark = pytest.mark.browser

LIGHT, DARK = "JupyterLab Light", "JupyterLab Dark"
WIDTHS = (1024, 800)

# The roots of the widgets (CSS classes), and the table the fine-tuning comparison shows.
WIDGETS = [".dl-perceptron-explorer", ".dl-perceptron-learner", ".dl-descent-explorer", ".dl-dashboard",
           ".dl-drawing-pad", ".dl-pipeline", ".dl-collector", ".dl-table"]

# A "2" as strokes in pad pixels (the pad is 280 x 280).
TWO = ("[[[112 + 56 * math.cos(a), 98 + 48 * math.sin(a)] for a in "
       "[math.pi * (1.05 + 1.2 * i / 30) for i in range(31)]] + [[81, 224], [207, 221]]]")

CELLS = [
    "import math, tempfile\n"
    "import numpy as np\n"
    "import digitlab\n"
    "from digitlab.drawing.store import DrawingStore\n"
    "from digitlab.plumbing.table import Table\n"
    "from digitlab.widgets import (Collector, DrawingPad, PerceptronExplorer, PerceptronLearner,\n"
    "                              PipelineView, TrainingDashboard, one_weight_explorer, two_weight_explorer)\n"
    "model = digitlab.load_pretrained()\n"
    "rng = np.random.default_rng(0)\n"
    "X, y = rng.integers(0, 256, (256, 28, 28), dtype=np.uint8), rng.integers(0, 10, 256)\n"
    f"TWO = {TWO}\n"
    "ONE = [[[140.0, 40.0], [140.0, 240.0]]]",
    "PerceptronExplorer()",
    "learner = PerceptronLearner()\nlearner.step()\nlearner",
    "descent = one_weight_explorer()\ndescent.step(3)\ndescent",
    "diverging = one_weight_explorer(lr=1.1)\ndiverging.step(6)\ndiverging",
    "two_weight_explorer()",
    "finished = TrainingDashboard(digitlab.MLP(seed=0), X, y, epochs=2, validation_data=(X[:64], y[:64]))\n"
    "finished.session.run()\nfinished",
    "diverged = TrainingDashboard(digitlab.MLP(seed=0), X, y, epochs=2, lr=1e4)\ndiverged.session.run()\ndiverged",
    "pad = DrawingPad(model)\npad.strokes = TWO\npad",
    "PipelineView(pad)",
    "collector = Collector(DrawingStore(tempfile.mkdtemp()), seed=0)\n"
    "for _ in range(12):\n"
    "    collector.canvas.strokes = ONE\n"
    "    collector.save()\n"
    "collector.delete(collector.store.items()[0][0])\n"
    "collector",
    "empty = Collector(DrawingStore(tempfile.mkdtemp()), seed=1)\nempty.save()\nempty",
    "Table([{'set': 'your drawings', 'before': 0.62, 'after': 0.91, 'points': 29.0},\n"
    "       {'set': 'MNIST test', 'before': 0.981, 'after': 0.9805, 'points': -0.05}],\n"
    "      ['set', 'before', 'after', 'points'], {'before': '{:.1%}', 'after': '{:.1%}', 'points': '{:+.1f}'},\n"
    "      title='Accuracy before and after')",
]

# ---- JavaScript the tests run in the page -------------------------------------------------------

SET_THEME = """async (theme) => {
  await window.jupyterapp.commands.execute('apputils:change-theme', {theme});
}"""

THEME_READY = """(theme) => document.body.dataset.jpThemeName === theme
  && getComputedStyle(document.body).getPropertyValue('--jp-layout-color0').trim() !== ''"""

# Runs axe's color-contrast rule over each widget in turn, scrolled into view (axe skips text
# scrolled out of the notebook); returns, per widget, the lowest contrast ratio axe measured on
# its text, and every violation and undecided node with its details. JupyterLab's <body> is 0 px
# high with overflow hidden, which axe takes for clipping everything: it is unclipped meanwhile.
AXE_CONTRAST = """async (roots) => {
  const lowest = {}, violations = [], incomplete = [];
  const overflow = document.body.style.overflow;
  document.body.style.overflow = 'visible';
  for (const root of roots) for (const widget of document.querySelectorAll(root)) {
    widget.scrollIntoView({block: 'start'});
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const result = await axe.run(widget, {runOnly: {type: 'rule', values: ['color-contrast']}});
    for (const kind of ['passes', 'violations', 'incomplete']) {
      for (const rule of result[kind]) for (const node of rule.nodes) {
        const check = node.any[0] || node.all[0] || node.none[0] || {data: {}};
        const d = check.data || {};
        const item = {root, html: node.html.slice(0, 160), ratio: d.contrastRatio, needed: d.expectedContrastRatio,
                      fg: d.fgColor, bg: d.bgColor, why: d.messageKey || check.message};
        if (kind === 'violations') violations.push(item);
        if (kind === 'incomplete') incomplete.push(item);
        if (d.contrastRatio && (lowest[root] === undefined || d.contrastRatio < lowest[root][0]))
          lowest[root] = [d.contrastRatio, node.html.slice(0, 100)];
      }
    }
  }
  document.body.style.overflow = overflow;
  return {lowest, violations, incomplete};
}"""

# Borders of the pads and of the small images: width, and contrast of the border colour with
# the page behind the element (the first ancestor with an opaque background).
EDGES = """() => {
  const lum = (rgb) => {
    const c = rgb.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const parse = (s) => (s.match(/[\\d.]+/g) || []).map(Number);
  const over = (fg, bg) => { const a = fg.length > 3 ? fg[3] : 1; return [0, 1, 2].map((i) => fg[i] * a + bg[i] * (1 - a)); };
  const pageBehind = (el) => {
    for (let e = el.parentElement; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length > 3 && c[3] > 0.99)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const sel = 'canvas.dl-pad, .dl-pad-input, .dl-collector-preview, .dl-collector-item img, .dl-pipeline-stage img';
  return [...document.querySelectorAll(sel)].filter((el) => el.getClientRects().length).map((el) => {
    const s = getComputedStyle(el), page = pageBehind(el);
    const border = over(parse(s.borderTopColor), page);
    const [a, b] = [lum(border), lum(page)];
    return {what: el.className || el.tagName, width: parseFloat(s.borderTopWidth),
            ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)};
  });
}"""

# Font size of every element holding text inside the widgets, in document order.
FONT_SIZES = """(roots) => {
  const out = [];
  for (const root of roots) for (const w of document.querySelectorAll(root)) {
    for (const el of [w, ...w.querySelectorAll('*')]) {
      if (!el.getClientRects().length) continue;
      const text = [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent.trim()).join('');
      if (text) out.push([root, text.slice(0, 30), parseFloat(getComputedStyle(el).fontSize)]);
    }
  }
  return out;
}"""

# What sticks out of its output area, is truncated or squeezed, for the widgets at the current width.
OVERFLOWS = """(roots) => {
  const problems = [];
  for (const root of roots) for (const w of document.querySelectorAll(root)) {
    const area = w.closest('.jp-OutputArea-output');
    const box = area.getBoundingClientRect();
    const right = Math.min(box.right, area.getBoundingClientRect().left + area.clientWidth);
    for (const el of [w, ...w.querySelectorAll('*')]) {
      const r = el.getBoundingClientRect();
      if (el.classList.contains('noUi-target') && el.getClientRects().length && r.width < 120)
        problems.push(`${root}: a slider's track is only ${r.width.toFixed(0)} px wide`);
      if (!el.getClientRects().length || r.width === 0) continue;
      const text = [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent.trim()).join('');
      const leaf = text || ['IMG', 'CANVAS', 'BUTTON', 'INPUT', 'SELECT'].includes(el.tagName)
        || el.classList.contains('noUi-target') || el.classList.contains('widget-readout');
      if (leaf && (r.right > right + 1 || r.left < box.left - 1))
        problems.push(`${root}: <${el.tagName.toLowerCase()} class="${el.className}"> "${text.slice(0, 20)}" `
                      + `spans ${r.left.toFixed(0)}-${r.right.toFixed(0)}, output ${box.left.toFixed(0)}-${right.toFixed(0)}`);
      if (el.tagName === 'BUTTON' && el.scrollWidth > el.clientWidth + 1)
        problems.push(`${root}: button "${el.textContent.trim()}" is truncated (${el.scrollWidth} > ${el.clientWidth} px)`);
    }
  }
  return problems;
}"""

# Is the element the topmost one at every point of a grid over it (nothing covers or clips it)?
UNCOVERED = """(el) => {
  const r = el.getBoundingClientRect(), misses = [];
  for (let i = 0; i <= 8; i++) for (let j = 0; j <= 8; j++) {
    const x = r.left + 3 + (r.width - 6) * i / 8, y = r.top + 3 + (r.height - 6) * j / 8;
    const hit = document.elementFromPoint(x, y);
    if (hit !== el) misses.push([Math.round(x - r.left), Math.round(y - r.top), hit ? hit.className : null]);
  }
  return misses;
}"""


@pytest.fixture(scope="module")
def lab(lab_factory, jupyter_server, axe):
    """One page showing every widget; Light theme at the start and again at the end."""
    lab = lab_factory(device_scale_factor=2)  # sharp pictures for the README
    lab.open(jupyter_server.write_notebook("themes_and_widths.ipynb", CELLS))
    lab.run_all(timeout=180)
    lab.page.locator(".dl-collector canvas.dl-pad").first.wait_for()
    lab.page.add_script_tag(path=str(axe))
    lab.theme = None
    yield lab
    use_theme(lab, LIGHT)  # the theme is a saved setting: leave the server as other tests expect it


def use_theme(lab, theme):
    if lab.theme != theme:
        lab.page.evaluate(SET_THEME, theme)
        lab.page.wait_for_function(THEME_READY, arg=theme, timeout=30_000)
        lab.page.wait_for_timeout(300)  # let the theme's stylesheet apply everywhere
        lab.theme = theme


def contrast(lab, theme):
    use_theme(lab, theme)
    lab.page.set_viewport_size({"width": 1280, "height": 2000})  # the tallest widget fits on screen
    try:
        return lab.page.evaluate(AXE_CONTRAST, WIDGETS)
    finally:
        lab.page.set_viewport_size({"width": 1280, "height": 1000})


def report(theme, found):
    lines = [f"{theme}: lowest contrast per widget (axe color-contrast)"]
    lines += [f"  {root:26s} {ratio:5.2f}:1  {html}" for root, (ratio, html) in sorted(found["lowest"].items())]
    lines += [f"  VIOLATION {v['root']}: {v['ratio']}:1 < {v['needed']} ({v['fg']} on {v['bg']}) {v['html']}"
              for v in found["violations"]]
    lines += [f"  undecided {v['root']}: {v['why']} {v['html']}" for v in found["incomplete"]]
    text = "\n".join(lines)
    print("\n" + text)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"contrast-{theme.split()[-1].lower()}.txt").write_text(text + "\n")


@pytest.mark.parametrize("theme", [LIGHT, DARK])
def test_widget_text_meets_wcag_aa_contrast(lab, theme):
    found = contrast(lab, theme)
    report(theme, found)
    assert set(found["lowest"]) == set(WIDGETS), "axe measured text in every widget"
    assert found["violations"] == []
    # axe leaves single characters undecided (a big digit, a mark); their measured ratio must pass too
    assert [v for v in found["incomplete"] if v["ratio"] and v["ratio"] < float(v["needed"].rstrip(":1"))] == []


@pytest.mark.parametrize("theme", [LIGHT, DARK])
def test_the_pads_and_small_images_have_edges_that_stand_out_from_the_page(lab, theme):
    use_theme(lab, theme)
    edges = lab.page.evaluate(EDGES)
    kinds = " ".join(e["what"] for e in edges)
    assert all(kind in kinds for kind in ("dl-pad", "dl-pad-input", "dl-collector-preview")), kinds
    assert len(edges) >= 2 + 2 + 11 + 7  # two pads, two previews, the gallery, the pipeline stages
    print(f"\n{theme}: {len(edges)} pads and small images, borders {min(e['width'] for e in edges):.0f} px or wider, "
          f"lowest contrast with the page {min(e['ratio'] for e in edges):.2f}:1")
    weak = [e for e in edges if e["width"] < 1 or e["ratio"] < 3]
    assert weak == []


def test_widget_text_grows_with_jupyterlabs_font_size(lab):
    use_theme(lab, LIGHT)
    page = lab.page
    before = page.evaluate(FONT_SIZES, WIDGETS)
    page.evaluate("() => document.documentElement.style.setProperty('--jp-ui-font-size1', '26px')")
    page.wait_for_timeout(200)
    try:
        after = page.evaluate(FONT_SIZES, WIDGETS)
    finally:
        page.evaluate("() => document.documentElement.style.removeProperty('--jp-ui-font-size1')")
    assert len(before) == len(after) > 100
    fixed = [(root, text, a) for (root, text, a), (_, _, b) in zip(before, after) if b < 1.6 * a]
    assert fixed == []


def show_file_browser(page):
    page.evaluate("() => window.jupyterapp.shell.activateById('filebrowser')")
    page.wait_for_function("() => { const fb = document.getElementById('filebrowser');"
                           " return fb && fb.getBoundingClientRect().width > 150; }")


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}px")
def narrow(lab, request):
    use_theme(lab, LIGHT)
    page = lab.page
    page.set_viewport_size({"width": request.param, "height": 720})
    show_file_browser(page)
    page.wait_for_timeout(300)
    yield lab
    page.set_viewport_size({"width": 1280, "height": 1000})


def test_nothing_is_cut_off_or_truncated_at_narrow_widths(narrow):
    problems = narrow.page.evaluate(OVERFLOWS, WIDGETS)
    assert problems == []


@pytest.mark.parametrize("pad, strokes", [("pad", "pad.strokes"), ("collector", "collector.canvas.strokes")])
def test_the_pads_can_be_drawn_on_over_their_whole_area_at_narrow_widths(narrow, pad, strokes):
    page = narrow.page
    canvas = page.locator(f".dl-{'drawing-pad' if pad == 'pad' else 'collector'} canvas.dl-pad").first
    canvas.scroll_into_view_if_needed()
    assert page.evaluate(UNCOVERED, canvas.element_handle()) == []
    narrow.execute(f"{pad}.clear()" if pad == "pad" else "collector.canvas.clear()")
    # Strokes that start at the far right and the bottom: the corners a covered pad loses first.
    edge_strokes = [[(0.97, 0.05), (0.97, 0.95)], [(0.95, 0.97), (0.05, 0.97)]]
    for stroke in edge_strokes:
        narrow.draw_stroke(canvas, stroke)
    narrow.wait_for_value(f"len({strokes})", 2, what="the strokes never reached the kernel")
    got = narrow.evaluate_json(f"[[s[0], s[-1]] for s in {strokes}]")
    assert got[0][0][0] > 0.9 * 280 and got[1][0][1] > 0.9 * 280
    narrow.execute(f"{pad}.strokes = TWO" if pad == "pad" else "collector.canvas.clear()")


def column_left(page, selector):
    return page.evaluate("(s) => Math.round(document.querySelector(s).getBoundingClientRect().left)", selector)


@pytest.mark.parametrize("width", (1280, *WIDTHS))
def test_the_collectors_right_column_stays_put_when_the_status_text_changes(lab, width):
    page = lab.page
    page.set_viewport_size({"width": width, "height": 900})
    right = ".dl-collector .dl-collector-preview"
    page.locator(right).first.scroll_into_view_if_needed()
    lab.execute("collector._say('Saved.')")
    expect(page.locator(".dl-collector-status").first).to_have_text("Saved.")
    before = column_left(page, right)
    long_text = "Could not save the drawing in /a/very/long/folder/name/that/goes/on/and/on: disk full " * 2
    lab.execute(f"collector._say({long_text!r}, error=True)")
    expect(page.locator(".dl-collector-status").first).to_contain_text("disk full")
    assert column_left(page, right) == before
    page.set_viewport_size({"width": 1280, "height": 1000})


def test_the_pads_columns_stay_put_when_the_guess_changes(lab):
    page = lab.page
    right = ".dl-drawing-pad .dl-pad-input"
    lab.execute("pad.clear()")
    expect(page.locator(".dl-pad-guess .dl-guess-empty")).to_have_count(1)
    empty = column_left(page, right), column_left(page, ".dl-pipeline")
    lab.execute("pad.strokes = TWO")
    expect(page.locator(".dl-pad-guess .dl-guess-digit")).to_have_count(1)
    assert (column_left(page, right), column_left(page, ".dl-pipeline")) == empty


def test_fast_step_clicks_do_not_pile_up(lab):
    page = lab.page
    explorer = page.locator(".dl-descent-explorer").first
    explorer.locator(".dl-descent-reset").click()
    position = explorer.locator(".dl-descent-position")
    expect(position).to_contain_text("step 0:")
    step = explorer.locator(".dl-descent-step")
    step.scroll_into_view_if_needed()
    for _ in range(12):
        step.click()
        page.wait_for_timeout(200)  # a quick learner: five clicks a second
    clicked = time.monotonic()
    expect(position).to_contain_text("step 12:", timeout=15_000)
    caught_up = time.monotonic() - clicked
    print(f"\n12 Step clicks 200 ms apart: the page showed step 12 {caught_up:.2f} s after the last click")
    # When a Step took 0.5 s in the kernel, the page trailed five quick clicks a second by seconds.
    assert caught_up < 1.5


@pytest.mark.parametrize("theme", [LIGHT, DARK])
def test_screenshot_of_the_drawing_pad_for_the_readme(lab, theme):
    use_theme(lab, theme)
    page = lab.page
    lab.execute("pad.strokes = TWO")
    expect(page.locator(".dl-pad-guess .dl-guess")).to_have_attribute("data-label", "2")
    widget = page.locator(".dl-drawing-pad")
    widget.scroll_into_view_if_needed()
    page.mouse.move(0, 0)  # no hover effects or focus rings in the picture
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    name = f"drawing_pad_{theme.split()[-1].lower()}.png"
    shot = ARTIFACTS / name
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    widget.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    # The README shows docs/<name>. A test run takes a fresh picture into the artifacts folder
    # only; DIGITLAB_UPDATE_DOCS=1 copies it over the README's, so plain runs leave the checkout clean.
    docs = REPO / "docs" / name
    if os.environ.get("DIGITLAB_UPDATE_DOCS") == "1":
        docs.parent.mkdir(exist_ok=True)
        tmp = docs.with_suffix(".tmp.png")
        tmp.write_bytes(shot.read_bytes())
        os.replace(tmp, docs)
    assert docs.exists(), f"{docs} is missing: run the browser tests with DIGITLAB_UPDATE_DOCS=1"
    assert f"docs/{name}" in (REPO / "README.md").read_text()
