"""Turn a drawing from a canvas into a 28x28 image in MNIST format.

For: the drawing pad, the pipeline view and canvas-style test data. A person draws
with a mouse on a big canvas; the network was trained on MNIST, where every digit is
white ink on black, scaled so its longer side fits a 20x20 box (aspect kept,
anti-aliased) and placed in a 28x28 field so that its centre of mass sits at the
centre (LeCun, Cortes & Burges, "The MNIST database"). `canvas_to_mnist` applies the
same recipe to a drawing of any size, position, brush width and colour convention, after
tidying the ink in two ways MNIST's scanned digits never needed: stray marks away from the
digit are dropped, and strokes far thicker or thinner than a pen's are evened out
(digitlab.drawing.tidy).

Not for: drawing (see digitlab.drawing.strokes), widgets, or photographs of paper digits.

Conventions: images are indexed (row, col); pixel (r, c) has its centre at (r, c).
The centre of the 28x28 field is CENTRE = (14.0, 14.0): measured on MNIST itself, the
centre of mass of every training digit lies within 0.52 px of it on both axes (all but 2 of
the 60,000 in [13.5, 14.5)), so the digit is placed with the whole-pixel shift that rounds
its centre of mass to 14.
"""

from dataclasses import dataclass

import numpy as np
from PIL import Image

from ..plumbing.checks import as_drawing
from .tidy import drop_stray_marks, even_strokes

SIZE = 28  # side of the MNIST field
BOX = 20  # the digit's longer side is scaled to this
WORK = 4 * BOX  # the digit's longer side while its strokes are measured and evened
CENTRE = (14.0, 14.0)  # (row, col) where the centre of mass lands, within half a pixel
INK_THRESHOLD = 0.1  # ink fainter than this is background (anti-aliasing haze, noise)

EMPTY_MESSAGE = "The canvas is empty: draw a digit first."


class EmptyDrawingError(ValueError):
    """The drawing has no ink to read."""

    def __init__(self, message=EMPTY_MESSAGE):
        super().__init__(message)


@dataclass(frozen=True)
class CanvasSteps:
    """The stages of one canvas_to_mnist conversion, for showing the pipeline."""

    convention: str  # "alpha", "dark-on-light", "light-on-dark" or "grayscale"
    ink: np.ndarray  # (H, W) float32 in [0, 1], 1 = full ink, after the noise threshold
    stray: tuple  # boxes (top, left, bottom, right) of the stray marks dropped from the ink
    bbox: tuple  # (top, left, bottom, right) of the ink kept; bottom and right exclusive
    widths: tuple  # stroke width in the 20x20 box before and after evening, pixels
    scaled: np.ndarray  # (h, w) float32, the cropped digit, strokes evened, longer side = BOX
    image: np.ndarray  # (28, 28) float32, the centred result
    offset: tuple  # (row, col) where scaled's top-left corner was placed
    com_before: tuple  # (row, col) centre of mass with the box centred geometrically
    com_after: tuple  # (row, col) centre of mass in the result


def _border_median(gray):
    """Median of the outermost rows and columns of a 2-D array (the likely background)."""
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    return float(np.median(border))


def ink_map(image):
    """Return (ink (H, W) float32 in [0, 1], convention) for a drawing in any supported convention."""
    image = as_drawing(image)
    if image.ndim == 2:
        ink = image.astype(np.float32)
        if image.dtype == np.uint8:
            ink /= 255.0
        convention = "grayscale"
    elif image[..., 3].min() < 255:  # some transparency: the alpha channel is the ink
        ink = image[..., 3].astype(np.float32) / 255.0
        convention = "alpha"
    else:  # opaque: the background is whatever fills the border
        # Luminance (ITU-R 601: 0.299 R + 0.587 G + 0.114 B), computed by Pillow in C.
        gray = np.asarray(Image.fromarray(image, "RGBA").convert("L"), dtype=np.float32) / 255.0
        background = _border_median(gray)
        if background >= 0.5:
            ink = (background - gray) / background
            convention = "dark-on-light"
        else:
            ink = (gray - background) / (1.0 - background)
            convention = "light-on-dark"
    # Remap [threshold, 1] -> [0, 1]: faint haze becomes background, strong ink stays ink.
    ink = np.clip((ink - INK_THRESHOLD) / (1.0 - INK_THRESHOLD), 0.0, 1.0).astype(np.float32)
    return ink, convention


def ink_bbox(ink):
    """Return (top, left, bottom, right) of the pixels with ink; raise EmptyDrawingError if none."""
    rows = np.flatnonzero(ink.any(axis=1))
    if rows.size == 0:
        raise EmptyDrawingError()
    cols = np.flatnonzero(ink.any(axis=0))
    return int(rows[0]), int(cols[0]), int(rows[-1]) + 1, int(cols[-1]) + 1


def fit_box(digit, box=BOX):
    """Scale a cropped (h, w) float digit so its longer side is `box`, keeping the aspect."""
    h, w = digit.shape
    scale = box / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))  # Pillow wants (width, height)
    # BOX averages the covered area when shrinking (anti-aliasing); BILINEAR when enlarging.
    resample = Image.Resampling.BOX if scale < 1 else Image.Resampling.BILINEAR
    scaled = np.asarray(Image.fromarray(digit.astype(np.float32)).resize(size, resample))
    return np.clip(scaled, 0.0, 1.0)


def centre_of_mass(image):
    """Return the (row, col) centre of mass of a 2-D array of non-negative weights."""
    total = float(image.sum())
    if total <= 0:
        raise EmptyDrawingError()
    rows = np.arange(image.shape[0], dtype=np.float64)
    cols = np.arange(image.shape[1], dtype=np.float64)
    return (
        float(image.sum(axis=1) @ rows) / total,
        float(image.sum(axis=0) @ cols) / total,
    )


def place_by_mass(digit, size=SIZE, centre=CENTRE):
    """Place an (h, w) digit in a size x size field, centre of mass at `centre`; return (field, offset).

    The shift is whole pixels, rounded, so the centre of mass lands within half a pixel
    of `centre` (as in MNIST), unless that would push ink off the field: then the digit
    is kept whole against the edge.
    """
    h, w = digit.shape
    com_r, com_c = centre_of_mass(digit)
    top = min(max(int(np.floor(centre[0] - com_r + 0.5)), 0), size - h)
    left = min(max(int(np.floor(centre[1] - com_c + 0.5)), 0), size - w)
    field = np.zeros((size, size), dtype=np.float32)
    field[top : top + h, left : left + w] = digit
    return field, (top, left)


def canvas_to_mnist(image, return_steps=False):
    """Convert a canvas drawing to a (28, 28) float32 MNIST-style image in [0, 1]."""
    ink, convention = ink_map(image)
    kept, stray = drop_stray_marks(ink)
    top, left, bottom, right = ink_bbox(kept)
    crop = kept[top:bottom, left:right]
    evened, *widths = even_strokes(fit_box(crop, WORK), BOX)
    scaled = fit_box(crop if widths[0] == widths[1] else evened)
    peak = float(scaled.max())
    if peak <= 0:  # cannot happen for a non-empty crop, but never divide by zero
        raise EmptyDrawingError()
    scaled = scaled / peak  # MNIST contrast: the strongest ink is full white
    field, offset = place_by_mass(scaled)
    if not return_steps:
        return field
    com_r, com_c = centre_of_mass(scaled)
    h, w = scaled.shape
    steps = CanvasSteps(
        convention=convention,
        ink=ink,
        stray=tuple(stray),
        bbox=(top, left, bottom, right),
        widths=tuple(widths),
        scaled=scaled,
        image=field,
        offset=offset,
        com_before=(com_r + (SIZE - h) / 2, com_c + (SIZE - w) / 2),
        com_after=centre_of_mass(field),
    )
    return field, steps
