"""The drawing pad as a page of its own, the web app of ``make demo``: draw a digit, the network reads it.

ReaderApp: a title, a short caption in plain words and a DrawingPad (the pad, Undo, Clear and
Predict, the guess, the 28×28 image the network sees and its ten probabilities). It is what
Voilà shows a visitor of demo/app.ipynb: no code, nothing about notebook cells.
Not for: teaching the steps (notebook 07 and its PipelineView do that).
"""

from __future__ import annotations

import ipywidgets as ipw

from .drawing_pad import DrawingPad

TITLE = "Can a computer read your handwriting?"
CAPTION = ("Draw one digit, 0 to 9, large, with your mouse or a finger. A small neural network reads "
           "it after every stroke: it shrinks your drawing to the 28×28 dots you see on the right, "
           "like the 70,000 handwritten digits it learned from, and gives each digit a chance. The "
           "longest bar is its guess. Clear starts again.")


class ReaderApp(ipw.VBox):
    """A page with a title, a caption and the drawing pad: the demo web app."""

    def __init__(self, model=None):
        self.pad = DrawingPad(model)
        title = ipw.HTML(f'<h2 style="margin:4px 0">{TITLE}</h2>')
        caption = ipw.HTML(f'<p style="max-width:640px;line-height:1.45;margin:0 0 6px">{CAPTION}</p>')
        caption.add_class("dl-app-caption")
        super().__init__([title, caption, self.pad], layout=ipw.Layout(padding="12px"))
        self.add_class("dl-reader-app")
