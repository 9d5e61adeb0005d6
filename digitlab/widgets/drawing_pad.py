"""Draw a digit with the mouse or a finger and watch the network read it (notebook 05).

DrawingPad: a 280x280 pad with Undo, Clear and Predict; after every stroke it shows the 28x28
image the network sees, the ten probabilities as bars, and the top guess with its confidence.
PipelineView: every stage between the pad and the answer, following a DrawingPad: the strokes
as pixels, the ink map, its bounding box, the 20x20 digit, the centred 28x28 image, the two
hidden layers' activations and the probabilities.

Not for: the conversion itself (digitlab.canvas), rasterising (digitlab.strokes) or the network
(digitlab.network); this module only wires them to the screen. CSS classes (dl-...) are for tests.

Why anywidget and not ipycanvas. Measured in JupyterLab 4.6 + Chromium with an ipycanvas pad
whose strokes were recorded in Python from mouse events: mouse-up to an updated label took
47-110 ms, but ink only appeared after a round trip through the kernel, and after a page
reload on the running kernel the canvas came back blank and every stroke failed in the browser
("Cannot read properties of undefined (reading 'strokeLine')"): the pad no longer drew. The
small anywidget pad below draws its ink in the browser with pointer events (mouse, pen and
touch alike), sends each finished stroke's points once, and redraws from the synced `strokes`
list whenever it is rendered, so it draws at once and still draws after a reload. Measured
the same way, mouse-up to updated prediction took 20-75 ms (median about 22 ms) before and after
a reload; tests/browser/test_drawing_pad.py records it in tests/browser/artifacts/latency.txt.
The kernel is the source of truth: the image is rasterised in Python from the stroke points
(digitlab.strokes.rasterize_strokes), so what the network reads does not depend on the browser.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass

import anywidget
import ipywidgets as W
import numpy as np
import traitlets as T
from PIL import Image, ImageDraw

from ..canvas import CanvasSteps, EmptyDrawingError, canvas_to_mnist
from ..strokes import rasterize_strokes

PAD_SIZE = 280  # the pad's side in CSS pixels; stroke points use these units
BRUSH = 20.0  # brush diameter in pad pixels: after scaling to 20x20 about MNIST's stroke width
PAPER = (17, 17, 17)  # background of the pad and of every image shown: MNIST's black...
INK = (255, 255, 255)  # ...and its white ink
ACCENT = "#f28e2b"  # bounding box, centre of mass and the top bar
EMPTY_TEXT = "Draw a digit"


@dataclass(frozen=True, eq=False)
class Reading:
    """What the network made of one drawing."""

    pixels: np.ndarray  # (280, 280) uint8, the rasterised strokes (0 = paper, 255 = ink)
    steps: CanvasSteps  # every stage of canvas_to_mnist; steps.image is the (28, 28) input
    probabilities: np.ndarray  # (10,) float32, sums to 1

    @property
    def image(self) -> np.ndarray:
        """The (28, 28) float image the network reads."""
        return self.steps.image

    @property
    def guess(self) -> int:
        """The most probable digit."""
        return int(self.probabilities.argmax())

    @property
    def confidence(self) -> float:
        """The probability of the top guess."""
        return float(self.probabilities.max())


def strokes_to_pixels(strokes, size=PAD_SIZE, brush=BRUSH) -> np.ndarray:
    """Rasterise pad strokes (lists of (x, y) points) into a (size, size) uint8 ink image."""
    return rasterize_strokes(strokes, shape=(size, size), width=brush)


def read_drawing(model, strokes, size=PAD_SIZE, brush=BRUSH) -> Reading | None:
    """Turn strokes into the network's input and its probabilities; None for an empty pad."""
    pixels = strokes_to_pixels(strokes, size, brush)
    try:
        image, steps = canvas_to_mnist(pixels, return_steps=True)
    except EmptyDrawingError:
        return None
    probabilities = model.predict_proba(image)[0]
    return Reading(pixels, steps, probabilities)


# ---- pictures -----------------------------------------------------------------------------------

def to_rgb(values) -> np.ndarray:
    """Map an array of ink amounts in [0, 1] to (H, W, 3) uint8 in the pad's colours."""
    t = np.clip(np.asarray(values, dtype=np.float32), 0.0, 1.0)[..., None]
    paper, ink = np.array(PAPER, np.float32), np.array(INK, np.float32)
    return (paper + t * (ink - paper)).round().astype(np.uint8)


def png_bytes(rgb, scale=1) -> bytes:
    """PNG of an (H, W, 3) uint8 image, enlarged `scale` times with sharp pixels."""
    im = Image.fromarray(rgb)
    if scale != 1:
        im = im.resize((im.width * scale, im.height * scale), Image.Resampling.NEAREST)
    buf = io.BytesIO()
    im.save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


def percent(p: float) -> str:
    """A probability as a short percentage that never rounds a near-certainty up to 100%."""
    if p >= 0.995:
        return ">99%"
    if 0 < p < 0.005:
        return "<1%"
    return f"{100 * p:.0f}%"


def bars_html(probabilities=None) -> str:
    """Ten horizontal bars, one per digit, as HTML; all empty when probabilities is None."""
    p = np.zeros(10) if probabilities is None else np.asarray(probabilities, dtype=float)
    top = int(p.argmax()) if probabilities is not None else -1
    rows = []
    for digit, value in enumerate(p):
        colour = ACCENT if digit == top else "#7f8c9a"
        rows.append(
            f'<div class="dl-bar" data-digit="{digit}" style="display:flex;align-items:center;'
            f'gap:6px;height:19px">'
            f'<span style="width:12px;text-align:right;font-weight:600">{digit}</span>'
            f'<span style="flex:none;width:150px;height:13px;background:#e9ecef;border-radius:3px">'
            f'<span style="display:block;height:100%;width:{100 * value:.1f}%;background:{colour};'
            f'border-radius:3px"></span></span>'
            f'<span style="width:42px;font-variant-numeric:tabular-nums;color:#555">'
            f'{percent(value)}</span></div>')
    return '<div class="dl-pad-bars-inner">' + "".join(rows) + "</div>"


def guess_html(reading: Reading | None, update: int) -> str:
    """The top guess and its confidence, or the empty-pad prompt, as HTML."""
    style = "font-size:18px;line-height:1.3;min-height:52px"
    if reading is None:
        return (f'<div class="dl-guess" data-update="{update}" style="{style}">'
                f'<span class="dl-guess-empty" style="color:#777">{EMPTY_TEXT}</span></div>')
    return (f'<div class="dl-guess" data-update="{update}" data-label="{reading.guess}" '
            f'style="{style}">The network reads '
            f'<span class="dl-guess-digit" style="font-size:34px;font-weight:700;color:{ACCENT}">'
            f'{reading.guess}</span><br><span class="dl-guess-confidence" style="color:#555">'
            f'{percent(reading.confidence)} sure</span></div>')


# ---- the pad in the browser ----------------------------------------------------------------------

_PAD_ESM = r"""
function paint(ctx, points, brush, colour) {
  ctx.fillStyle = colour; ctx.strokeStyle = colour;
  ctx.lineWidth = brush; ctx.lineCap = "round"; ctx.lineJoin = "round";
  if (points.length === 1) {
    ctx.beginPath(); ctx.arc(points[0][0], points[0][1], brush / 2, 0, 2 * Math.PI); ctx.fill();
    return;
  }
  ctx.beginPath(); ctx.moveTo(points[0][0], points[0][1]);
  for (const [x, y] of points.slice(1)) ctx.lineTo(x, y);
  ctx.stroke();
}

function render({ model, el }) {
  const size = model.get("size");
  const dpr = window.devicePixelRatio || 1;
  const canvas = document.createElement("canvas");
  canvas.className = "dl-pad";
  canvas.width = Math.round(size * dpr); canvas.height = Math.round(size * dpr);
  canvas.style.width = size + "px"; canvas.style.height = size + "px";
  el.classList.add("dl-pad-host");
  el.appendChild(canvas);
  const ctx = canvas.getContext("2d");
  ctx.scale(dpr, dpr);
  let current = null;  // the stroke being drawn: [[x, y], ...] in pad pixels

  function redraw() {
    ctx.fillStyle = model.get("paper"); ctx.fillRect(0, 0, size, size);
    for (const s of model.get("strokes")) paint(ctx, s, model.get("brush"), model.get("ink"));
    if (current) paint(ctx, current, model.get("brush"), model.get("ink"));
  }
  function point(e) {
    const r = canvas.getBoundingClientRect();
    const x = (e.clientX - r.left) * size / r.width, y = (e.clientY - r.top) * size / r.height;
    return [Math.round(x * 10) / 10, Math.round(y * 10) / 10];
  }
  canvas.addEventListener("pointerdown", (e) => {
    if (e.pointerType === "mouse" && e.button !== 0) return;
    e.preventDefault();
    canvas.setPointerCapture(e.pointerId);
    current = [point(e)];
    paint(ctx, current, model.get("brush"), model.get("ink"));
  });
  canvas.addEventListener("pointermove", (e) => {
    if (!current) return;
    const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [e];
    for (const ev of (events.length ? events : [e])) current.push(point(ev));
    paint(ctx, current.slice(-(events.length || 1) - 1), model.get("brush"), model.get("ink"));
  });
  function finish(e) {
    if (!current) return;
    const stroke = current;
    current = null;
    model.set("strokes", [...model.get("strokes"), stroke]);
    model.save_changes();
  }
  canvas.addEventListener("pointerup", finish);
  canvas.addEventListener("pointercancel", finish);
  canvas.addEventListener("lostpointercapture", finish);
  model.on("change:strokes change:paper change:ink change:brush", redraw);
  redraw();
  return () => model.off("change:strokes change:paper change:ink change:brush", redraw);
}
export default { render };
"""

_PAD_CSS = """
.dl-pad-host canvas.dl-pad { touch-action: none; cursor: crosshair; border-radius: 6px;
  display: block; box-shadow: 0 1px 4px rgba(0,0,0,.35); }
"""


class PadCanvas(anywidget.AnyWidget):
    """The drawing surface: draws ink in the browser, syncs finished strokes to `strokes`."""

    _esm = _PAD_ESM
    _css = _PAD_CSS
    strokes = T.List(T.List(T.List(T.Float(), minlen=2, maxlen=2))).tag(sync=True)
    size = T.Int(PAD_SIZE).tag(sync=True)
    brush = T.Float(BRUSH).tag(sync=True)
    paper = T.Unicode("#%02x%02x%02x" % PAPER).tag(sync=True)
    ink = T.Unicode("#%02x%02x%02x" % INK).tag(sync=True)


def _checked_strokes(strokes) -> list:
    """Strokes as lists of [x, y] float pairs, else ValueError in plain words."""
    try:
        checked = [[[float(x), float(y)] for x, y in stroke] for stroke in strokes]
    except (TypeError, ValueError):
        raise ValueError("strokes must be a list of strokes, each a list of (x, y) points, "
                         "for example [[(140, 40), (140, 240)]] for one vertical line.") from None
    if not np.all(np.isfinite([v for stroke in checked for p in stroke for v in p])):
        raise ValueError("stroke points must be finite numbers, not NaN or infinity.")
    return checked


def _button(description, icon, css, style=""):
    """A button sized to its label, with a CSS class for tests and an optional ipywidgets style."""
    b = W.Button(description=description, icon=icon, layout=W.Layout(width="auto"), button_style=style)
    b.add_class(css)
    return b


def _default_model():
    from .. import load_pretrained

    return load_pretrained()


class DrawingPad(W.HBox):
    """A pad to draw a digit on, with the network's reading updated after every stroke."""

    reading = T.Instance(Reading, allow_none=True)  # the latest reading; None for an empty pad

    def __init__(self, model=None, live=True):
        self.model = model if model is not None else _default_model()
        self.live = live
        self.updates = 0  # how many times the reading was shown (data-update, for tests)
        self.canvas = PadCanvas()
        self.undo_button = _button("Undo", "undo", "dl-pad-undo")
        self.clear_button = _button("Clear", "eraser", "dl-pad-clear")
        self.predict_button = _button("Predict", "play", "dl-pad-predict")
        self.guess = W.HTML()
        self.guess.add_class("dl-pad-guess")
        self.preview = W.Image(format="png", width=112, height=112)
        self.preview.add_class("dl-pad-input")
        self.bars = W.HTML()
        self.bars.add_class("dl-pad-bars")
        caption = W.HTML('<span style="color:#555">What the network sees (28\u00d728):</span>')
        left = W.VBox([self.canvas, W.HBox([self.undo_button, self.clear_button,
                                            self.predict_button])])
        right = W.VBox([self.guess, caption, self.preview, self.bars],
                       layout=W.Layout(margin="0 0 0 18px"))
        super().__init__([left, right], layout=W.Layout(width="max-content", padding="8px"))
        self.add_class("dl-drawing-pad")
        self.undo_button.on_click(lambda _: self.undo())
        self.clear_button.on_click(lambda _: self.clear())
        self.predict_button.on_click(lambda _: self.predict())
        self.canvas.observe(self._on_strokes, "strokes")
        self.predict()

    @property
    def strokes(self) -> list:
        """The strokes drawn so far, each a list of [x, y] points in pad pixels."""
        return self.canvas.strokes

    @strokes.setter
    def strokes(self, value):
        self.canvas.strokes = _checked_strokes(value)

    def undo(self) -> None:
        """Remove the last stroke."""
        self.canvas.strokes = self.canvas.strokes[:-1]

    def clear(self) -> None:
        """Remove every stroke."""
        self.canvas.strokes = []

    def _on_strokes(self, change) -> None:
        if self.live or not change["new"]:
            self.predict()

    def predict(self) -> Reading | None:
        """Read the current drawing with the model and show the result."""
        reading = read_drawing(self.model, self.canvas.strokes, self.canvas.size,
                               self.canvas.brush)
        self.updates += 1
        if reading is None:
            self.preview.value = png_bytes(to_rgb(np.zeros((28, 28))), scale=4)
            self.bars.value = bars_html(None)
        else:
            self.preview.value = png_bytes(to_rgb(reading.image), scale=4)
            self.bars.value = bars_html(reading.probabilities)
        self.guess.value = guess_html(reading, self.updates)  # last: tests wait on it
        self.reading = reading
        return reading


# ---- the pipeline ----------------------------------------------------------------------------------

def _stage_pictures(reading: Reading, model) -> list[tuple[str, str, bytes]]:
    """(title, explanation, PNG) for every stage from strokes to probabilities."""
    s = reading.steps
    pictures = []
    pictures.append(("1. Pixels", "the strokes drawn as a 280\u00d7280 image",
                     png_bytes(to_rgb(reading.pixels[::2, ::2] / 255.0))))
    pictures.append(("2. Ink map", "how much ink is in each pixel, faint haze removed",
                     png_bytes(to_rgb(s.ink[::2, ::2]))))
    im = Image.fromarray(to_rgb(s.ink[::2, ::2]))
    top, left, bottom, right = s.bbox
    ImageDraw.Draw(im).rectangle((left // 2, top // 2, (right - 1) // 2, (bottom - 1) // 2),
                                 outline=ACCENT, width=2)
    pictures.append(("3. Bounding box", f"the ink's box: {right - left}\u00d7{bottom - top} px",
                     png_bytes(np.asarray(im))))
    h, w = s.scaled.shape
    box = np.zeros((22, 22), np.float32)  # the 20x20 box with a one-pixel margin for its outline
    box[1 + (20 - h) // 2:1 + (20 - h) // 2 + h, 1 + (20 - w) // 2:1 + (20 - w) // 2 + w] = s.scaled
    im = Image.fromarray(to_rgb(box)).resize((132, 132), Image.Resampling.NEAREST)
    ImageDraw.Draw(im).rectangle((5, 5, 126, 126), outline=ACCENT, width=1)
    pictures.append(("4. Scaled to 20\u00d720", f"longer side 20 px, shape kept ({w}\u00d7{h})",
                     png_bytes(np.asarray(im))))
    im = Image.fromarray(to_rgb(s.image)).resize((140, 140), Image.Resampling.NEAREST)
    d = ImageDraw.Draw(im)
    r, c = s.com_after
    x, y = (c + 0.5) * 5, (r + 0.5) * 5  # pixel (r, c) is a 5x5 square here
    d.line((x - 6, y, x + 6, y), fill=ACCENT, width=2)
    d.line((x, y - 6, x, y + 6), fill=ACCENT, width=2)
    pictures.append(("5. Centred 28\u00d728", "centre of mass (+) moved to the middle",
                     png_bytes(np.asarray(im))))
    hidden = model.hidden_activations(s.image)
    for i, A in enumerate(hidden, start=1):
        a = A[0]
        peak = float(a.max()) if a.max() > 0 else 1.0
        cols = 16 if a.size % 16 == 0 and a.size > 64 else 8
        grid = np.zeros(((a.size + cols - 1) // cols) * cols, np.float32)
        grid[:a.size] = a / peak
        scale = max(1, 140 // cols)
        pictures.append((f"{5 + i}. Hidden layer {i}",
                         f"{a.size} neurons, {int((a > 0).sum())} active",
                         png_bytes(to_rgb(grid.reshape(-1, cols)), scale=scale)))
    return pictures


class PipelineView(W.VBox):
    """Every stage from a DrawingPad's strokes to the network's probabilities, kept up to date."""

    def __init__(self, pad: DrawingPad):
        self.pad = pad
        self.message = W.HTML(f'<span style="color:#777">{EMPTY_TEXT} on the pad to see its steps.'
                              "</span>")
        self.message.add_class("dl-pipeline-message")
        self.titles, self.images, self.notes = [], [], []
        self.stages = W.HBox(layout=W.Layout(flex_flow="row wrap"))
        self.result = W.HTML()
        self.result.add_class("dl-pipeline-result")
        super().__init__([self.message, self.stages, self.result])
        self.add_class("dl-pipeline")
        pad.observe(self._update, "reading")
        self._update()

    def _update(self, change=None) -> None:
        reading = self.pad.reading
        if reading is None:
            self.message.layout.display = None
            self.stages.layout.display = self.result.layout.display = "none"
            return
        pictures = _stage_pictures(reading, self.pad.model)
        if len(self.images) != len(pictures):
            self.titles = [W.HTML() for _ in pictures]
            self.images = [W.Image(format="png") for _ in pictures]
            self.notes = [W.HTML() for _ in pictures]
            boxes = []
            for t, im, n in zip(self.titles, self.images, self.notes):
                im.layout = W.Layout(width="140px", height="140px", object_fit="contain")
                box = W.VBox([t, im, n], layout=W.Layout(width="160px", margin="0 10px 10px 0"))
                box.add_class("dl-pipeline-stage")
                boxes.append(box)
            self.stages.children = boxes
        for (title, note, png), t, im, n in zip(pictures, self.titles, self.images, self.notes):
            t.value = f"<b>{html.escape(title)}</b>"
            im.value = png
            n.value = (f'<div style="color:#555;font-size:12px;line-height:1.35">'
                       f"{html.escape(note)}</div>")
        self.result.value = (f"<b>8. Probabilities</b> \u2192 the network reads "
                             f"<b>{reading.guess}</b> ({percent(reading.confidence)} sure)"
                             + bars_html(reading.probabilities))
        self.message.layout.display = "none"
        self.stages.layout.display = self.result.layout.display = None
