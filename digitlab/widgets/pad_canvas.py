"""The surface you draw on: ink drawn in the browser, each finished stroke sent to the kernel once.

PadCanvas is a small anywidget: its JavaScript draws strokes with pointer events (mouse, pen
and touch alike) and, when a stroke ends, appends its points to the synced ``strokes`` list;
it redraws from that list whenever it is rendered, so it still draws after a page reload.
Why anywidget and not ipycanvas: the README says (section "Why anywidget, not ipycanvas").
Not for: reading the drawing (digitlab.drawing.reading) or the buttons around it (drawing_pad,
collector).
"""

from __future__ import annotations

import anywidget
import traitlets as T

from ..drawing.strokes import PAD_BRUSH, PAD_SIZE
from .controls import button
from .pictures import INK, PAPER
from .theme import BORDER


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
    const r = canvas.getBoundingClientRect();  // inside the border: client* leave it out
    const x = (e.clientX - r.left - canvas.clientLeft) * size / canvas.clientWidth;
    const y = (e.clientY - r.top - canvas.clientTop) * size / canvas.clientHeight;
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

_PAD_CSS = f"""
.dl-pad-host canvas.dl-pad {{ touch-action: none; cursor: crosshair; border-radius: 6px;
  display: block; border: {BORDER}; }}
"""


class PadCanvas(anywidget.AnyWidget):
    """The drawing surface: draws ink in the browser, syncs finished strokes to `strokes`."""

    _esm = _PAD_ESM
    _css = _PAD_CSS
    strokes = T.List(T.List(T.List(T.Float(), minlen=2, maxlen=2))).tag(sync=True)
    size = T.Int(PAD_SIZE).tag(sync=True)
    brush = T.Float(PAD_BRUSH).tag(sync=True)
    paper = T.Unicode("#%02x%02x%02x" % PAPER).tag(sync=True)
    ink = T.Unicode("#%02x%02x%02x" % INK).tag(sync=True)

    def undo(self) -> None:
        """Remove the last stroke."""
        self.strokes = self.strokes[:-1]

    def clear(self) -> None:
        """Remove every stroke."""
        self.strokes = []


def undo_and_clear_buttons(canvas: PadCanvas, css_prefix: str):
    """Undo and Clear buttons wired to a pad (CSS classes <prefix>-undo and <prefix>-clear)."""
    undo = button("Undo", f"{css_prefix}-undo", "undo")
    clear = button("Clear", f"{css_prefix}-clear", "eraser")
    undo.on_click(lambda _: canvas.undo())
    clear.on_click(lambda _: canvas.clear())
    return undo, clear
