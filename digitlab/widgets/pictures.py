"""Small pictures and bars for the widgets: ink amounts as images in the pad's colours, probabilities as bars.

For: the drawing pad, the pipeline view and the collector, which show 28x28 images, stages of
the conversion and ten probabilities. Pictures are PNG bytes made with Pillow (no matplotlib:
they are redrawn after every stroke). Not for: figures (digitlab.plots).
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from ..plumbing.text import percent
from .theme import ACCENT, PLAIN_BAR, QUIET, TRACK

PAPER = (17, 17, 17)  # background of the pad and of every image shown: MNIST's black...
INK = (255, 255, 255)  # ...and its white ink
MARK = "#f28e2b"  # bounding box and centre of mass drawn on the pictures (orange on MNIST's black)


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


def bars_html(probabilities=None) -> str:
    """Ten horizontal bars, one per digit, as HTML; all empty when probabilities is None.

    Each bar is an outlined track, filled as far as its probability; the top guess in the
    accent colour. Sizes are in em, so the bars grow with JupyterLab's font size.
    """
    p = np.zeros(10) if probabilities is None else np.asarray(probabilities, dtype=float)
    top = int(p.argmax()) if probabilities is not None else -1
    rows = []
    for digit, value in enumerate(p):
        colour = ACCENT if digit == top else PLAIN_BAR
        rows.append(
            f'<div class="dl-bar" data-digit="{digit}" style="display:flex;align-items:center;'
            f'gap:0.45em;height:1.45em">'
            f'<span style="flex:none;width:1em;text-align:right;font-weight:600">{digit}</span>'
            f'<span class="dl-bar-track" style="flex:none;width:10em;height:1em;border-radius:3px;'
            f'box-shadow:inset 0 0 0 1px {TRACK}">'
            f'<span style="display:block;height:100%;width:{100 * value:.1f}%;background:{colour};'
            f'border-radius:3px"></span></span>'
            f'<span style="flex:none;width:3.2em;font-variant-numeric:tabular-nums;color:{QUIET}">'
            f'{percent(value)}</span></div>')
    return '<div class="dl-pad-bars-inner">' + "".join(rows) + "</div>"
