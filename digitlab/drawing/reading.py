"""What the network makes of a drawing: strokes to pixels, to MNIST's 28×28, to ten probabilities.

For: the drawing pad, which calls ``read_drawing`` after every stroke; the collector, which
only turns strokes into pixels (``strokes_to_pixels``); any code that wants every stage of one
reading (``Reading.steps``). Not for: showing anything on screen (digitlab.widgets) or the
conversion's own steps (digitlab.drawing.canvas).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .canvas import CanvasSteps, EmptyDrawingError, canvas_to_mnist
from .strokes import PAD_BRUSH, PAD_SIZE, rasterize_strokes


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


def strokes_to_pixels(strokes, size=PAD_SIZE, brush=PAD_BRUSH) -> np.ndarray:
    """Rasterise pad strokes (lists of (x, y) points) into a (size, size) uint8 ink image."""
    return rasterize_strokes(strokes, shape=(size, size), width=brush)


def read_drawing(model, strokes, size=PAD_SIZE, brush=PAD_BRUSH) -> Reading | None:
    """Turn strokes into the network's input and its probabilities; None for an empty pad."""
    pixels = strokes_to_pixels(strokes, size, brush)
    try:
        image, steps = canvas_to_mnist(pixels, return_steps=True)
    except EmptyDrawingError:
        return None
    probabilities = model.predict_proba(image)[0]
    return Reading(pixels, steps, probabilities)
