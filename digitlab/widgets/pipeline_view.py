"""Every stage between the pad and the answer, following a DrawingPad (notebook 07).

PipelineView shows the strokes as pixels, the ink map, its bounding box, the 20x20 digit, the
centred 28x28 image, the two hidden layers' activations and the probabilities, redrawn after
every stroke. Not for: computing the stages (digitlab.drawing.canvas keeps them in CanvasSteps).
"""

from __future__ import annotations

import html

import ipywidgets as ipw
import numpy as np
from PIL import Image, ImageDraw

from ..drawing.reading import Reading
from ..plumbing.text import percent
from .controls import html_text, row
from .drawing_pad import EMPTY_TEXT, DrawingPad
from .pictures import MARK, bars_html, png_bytes, to_rgb
from .theme import BORDER, QUIET


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
                                 outline=MARK, width=2)
    pictures.append(("3. Bounding box", f"the ink's box: {right - left}\u00d7{bottom - top} px",
                     png_bytes(np.asarray(im))))
    h, w = s.scaled.shape
    box = np.zeros((22, 22), np.float32)  # the 20x20 box with a one-pixel margin for its outline
    box[1 + (20 - h) // 2:1 + (20 - h) // 2 + h, 1 + (20 - w) // 2:1 + (20 - w) // 2 + w] = s.scaled
    im = Image.fromarray(to_rgb(box)).resize((132, 132), Image.Resampling.NEAREST)
    ImageDraw.Draw(im).rectangle((5, 5, 126, 126), outline=MARK, width=1)
    pictures.append(("4. Scaled to 20\u00d720", f"longer side 20 px, shape kept ({w}\u00d7{h})",
                     png_bytes(np.asarray(im))))
    im = Image.fromarray(to_rgb(s.image)).resize((140, 140), Image.Resampling.NEAREST)
    d = ImageDraw.Draw(im)
    r, c = s.com_after
    x, y = (c + 0.5) * 5, (r + 0.5) * 5  # pixel (r, c) is a 5x5 square here
    d.line((x - 6, y, x + 6, y), fill=MARK, width=2)
    d.line((x, y - 6, x, y + 6), fill=MARK, width=2)
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


class PipelineView(ipw.VBox):
    """Every stage from a DrawingPad's strokes to the network's probabilities, kept up to date."""

    def __init__(self, pad: DrawingPad):
        self.pad = pad
        self.message = html_text("dl-pipeline-message",
                                 f'<span style="color:{QUIET}">{EMPTY_TEXT} on the pad to see its steps.</span>')
        self.titles, self.images, self.notes = [], [], []
        self.stages = row([])
        self.result = html_text("dl-pipeline-result")
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
            self.titles = [ipw.HTML() for _ in pictures]
            self.images = [ipw.Image(format="png") for _ in pictures]
            self.notes = [ipw.HTML() for _ in pictures]
            boxes = []
            for t, im, n in zip(self.titles, self.images, self.notes):
                im.layout = ipw.Layout(width="140px", height="140px", object_fit="contain", border=BORDER)
                box = ipw.VBox([t, im, n], layout=ipw.Layout(width="160px", margin="0 10px 10px 0"))
                box.add_class("dl-pipeline-stage")
                boxes.append(box)
            self.stages.children = boxes
        for (title, note, png), t, im, n in zip(pictures, self.titles, self.images, self.notes):
            t.value = f"<b>{html.escape(title)}</b>"
            im.value = png
            n.value = (f'<div style="color:{QUIET};font-size:0.92em;line-height:1.35">'
                       f"{html.escape(note)}</div>")
        self.result.value = (f"<b>8. Probabilities</b> \u2192 the network reads "
                             f"<b>{reading.guess}</b> ({percent(reading.confidence)} sure)"
                             + bars_html(reading.probabilities))
        self.message.layout.display = "none"
        self.stages.layout.display = self.result.layout.display = None
