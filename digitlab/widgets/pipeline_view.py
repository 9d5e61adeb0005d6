"""Every stage between the pad and the answer, following a DrawingPad (notebook 07).

PipelineView shows the strokes as pixels, the ink map, the stray marks dropped, the bounding box,
the 20x20 digit, the centred 28x28 image, the two hidden layers' activations and the probabilities,
redrawn after every stroke. Not for: computing the stages (digitlab.drawing.canvas keeps them in CanvasSteps).
"""

from __future__ import annotations

import html

import ipywidgets as ipw
import numpy as np
from PIL import Image, ImageDraw

from ..drawing.reading import Reading
from ..drawing.tidy import STRAY_GAP, STRAY_SHARE, erase
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
    pictures.append(("3. Stray marks", _stray_note(s), png_bytes(_stray_picture(s))))
    im = Image.fromarray(to_rgb(erase(s.ink, s.stray)[::2, ::2]))
    top, left, bottom, right = s.bbox
    ImageDraw.Draw(im).rectangle((left // 2, top // 2, (right - 1) // 2, (bottom - 1) // 2),
                                 outline=MARK, width=2)
    pictures.append(("4. Bounding box", f"the ink's box: {right - left}\u00d7{bottom - top} px",
                     png_bytes(np.asarray(im))))
    h, w = s.scaled.shape
    box = np.zeros((22, 22), np.float32)  # the 20x20 box with a one-pixel margin for its outline
    box[1 + (20 - h) // 2:1 + (20 - h) // 2 + h, 1 + (20 - w) // 2:1 + (20 - w) // 2 + w] = s.scaled
    im = Image.fromarray(to_rgb(box)).resize((132, 132), Image.Resampling.NEAREST)
    ImageDraw.Draw(im).rectangle((5, 5, 126, 126), outline=MARK, width=1)
    before, after = s.widths
    evened = f"; strokes evened from {before:.1f} to {after:.1f} px wide" if before != after else ""
    pictures.append(("5. Scaled to 20\u00d720", f"longer side 20 px, shape kept ({w}\u00d7{h}){evened}",
                     png_bytes(np.asarray(im))))
    im = Image.fromarray(to_rgb(s.image)).resize((140, 140), Image.Resampling.NEAREST)
    d = ImageDraw.Draw(im)
    r, c = s.com_after
    x, y = (c + 0.5) * 5, (r + 0.5) * 5  # pixel (r, c) is a 5x5 square here
    d.line((x - 6, y, x + 6, y), fill=MARK, width=2)
    d.line((x, y - 6, x, y + 6), fill=MARK, width=2)
    pictures.append(("6. Centred 28\u00d728", "centre of mass (+) moved to the middle",
                     png_bytes(np.asarray(im))))
    hidden = model.hidden_activations(s.image)
    for i, A in enumerate(hidden, start=1):
        a = A[0]
        peak = float(a.max()) if a.max() > 0 else 1.0
        cols = 16 if a.size % 16 == 0 and a.size > 64 else 8
        grid = np.zeros(((a.size + cols - 1) // cols) * cols, np.float32)
        grid[:a.size] = a / peak
        scale = max(1, 140 // cols)
        pictures.append((f"{6 + i}. Hidden layer {i}",
                         f"{a.size} neurons, {int((a > 0).sum())} active",
                         png_bytes(to_rgb(grid.reshape(-1, cols)), scale=scale)))
    return pictures


def _stray_picture(s):
    """The ink at half size, every dropped mark outlined in the accent colour."""
    im = Image.fromarray(to_rgb(s.ink[::2, ::2]))
    draw = ImageDraw.Draw(im)
    for top, left, bottom, right in s.stray:
        draw.rectangle((left // 2 - 3, top // 2 - 3, (right - 1) // 2 + 3, (bottom - 1) // 2 + 3),
                       outline=MARK, width=2)
    return np.asarray(im)


def _stray_note(s):
    """What the stray-mark stage did, and the rule it follows."""
    n = len(s.stray)
    done = "None here" if n == 0 else f"{n} dropped (outlined)"
    return (f"{done}. A mark with under {STRAY_SHARE:.0%} of the ink, parted from the digit by more "
            f"than {STRAY_GAP:.0%} of its size, is dropped: it would shrink the digit")


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
        self.result.value = (f"<b>{len(pictures) + 1}. Probabilities</b> \u2192 the network reads "
                             f"<b>{reading.guess}</b> ({percent(reading.confidence)} sure)"
                             + bars_html(reading.probabilities))
        self.message.layout.display = "none"
        self.stages.layout.display = self.result.layout.display = None
