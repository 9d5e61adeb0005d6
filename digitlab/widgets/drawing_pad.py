"""Draw a digit with the mouse or a finger and watch the network read it (notebook 07).

DrawingPad: a 280x280 pad with Undo, Clear and Predict; after every stroke it shows the 28x28
image the network sees, the ten probabilities as bars, and the top guess with its confidence.
Not for: reading the drawing (digitlab.drawing.reading: strokes to pixels to 28x28 to
probabilities) or every stage of it (digitlab.widgets.pipeline_view); this module only wires
them to the screen. CSS classes (dl-...) are for tests.
"""

from __future__ import annotations

import ipywidgets as ipw
import numpy as np
import traitlets as T

from ..drawing.reading import Reading, read_drawing
from ..plumbing.checks import as_strokes
from ..plumbing.text import percent
from .controls import button, caption, column, html_text, image, row, wrapping
from .pad_canvas import PadCanvas, undo_and_clear_buttons
from .pictures import bars_html, png_bytes, to_rgb
from .theme import ACCENT, QUIET

EMPTY_TEXT = "Draw a digit"
RIGHT_WIDTH = "16em"  # the column beside the pad: as wide as the bars, whatever the guess says


def guess_html(reading: Reading | None, update: int) -> str:
    """The top guess and its confidence, or the empty-pad prompt, as HTML of one fixed height."""
    style = "font-size:1.3em;line-height:1.25;height:3.5em;overflow:hidden"
    if reading is None:
        return (f'<div class="dl-guess" data-update="{update}" style="{style}">'
                f'<span class="dl-guess-empty" style="color:{QUIET}">{EMPTY_TEXT}</span></div>')
    return (f'<div class="dl-guess" data-update="{update}" data-label="{reading.guess}" '
            f'style="{style}">The network reads<br>'
            f'<span class="dl-guess-digit" style="font-size:2em;line-height:1.1;font-weight:700;'
            f'color:{ACCENT}">{reading.guess}</span> <span class="dl-guess-confidence" '
            f'style="color:{QUIET}">{percent(reading.confidence)} sure</span></div>')


def _default_model():
    from .. import load_pretrained

    return load_pretrained()


class DrawingPad(ipw.HBox):
    """A pad to draw a digit on, with the network's reading updated after every stroke."""

    reading = T.Instance(Reading, allow_none=True)  # the latest reading; None for an empty pad

    def __init__(self, model=None, live=True):
        self.model = model if model is not None else _default_model()
        self.live = live
        self.updates = 0  # how many times the reading was shown (data-update, for tests)
        self.canvas = PadCanvas()
        self.undo_button, self.clear_button = undo_and_clear_buttons(self.canvas, "dl-pad")
        self.predict_button = button("Predict", "dl-pad-predict", "play")
        self.guess = html_text("dl-pad-guess")
        self.preview = image("dl-pad-input", width=112, height=112)
        self.bars = html_text("dl-pad-bars")
        left = column([self.canvas, row([self.undo_button, self.clear_button, self.predict_button])])
        right = column([self.guess, caption("What the network sees (28\u00d728):"), self.preview, self.bars],
                       width=RIGHT_WIDTH)
        super().__init__([left, right], layout=wrapping(width="fit-content", max_width="100%", padding="8px"))
        self.add_class("dl-drawing-pad")
        self.predict_button.on_click(lambda _: self.predict())
        self.canvas.observe(self._on_strokes, "strokes")
        self.predict()

    @property
    def strokes(self) -> list:
        """The strokes drawn so far, each a list of [x, y] points in pad pixels."""
        return self.canvas.strokes

    @strokes.setter
    def strokes(self, value):
        self.canvas.strokes = [points.tolist() for points in as_strokes(value)]

    def undo(self) -> None:
        """Remove the last stroke."""
        self.canvas.undo()

    def clear(self) -> None:
        """Remove every stroke."""
        self.canvas.clear()

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
