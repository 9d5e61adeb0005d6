"""Canvas-style digits: MNIST handwriting redrawn as if with a mouse on a drawing pad.

For: testing whether a model reads digits drawn on the canvas as well as MNIST digits,
and augmenting training data so that it does. A pen on paper leaves strokes that
swell and fade; a mouse on a canvas leaves strokes of one width with round ends, at
whatever size and place the person chose. So each MNIST digit is redrawn like that:

1. thin it to its centre line (digitlab.drawing.skeleton): enlarge 2x, threshold, and
   apply Zhang-Suen thinning to get a 1-pixel skeleton;
2. join 8-neighbouring skeleton pixels into short line segments, and smooth the
   staircase a little (each pixel inside a line moves halfway to its neighbours' mean);
3. place the line on a 280x280 canvas at a random size (longer side of the centre line
   SIZE_RANGE px), position, slant (ROTATION_DEG) and squash (ASPECT_RANGE), and draw
   it with the pad's round brush (digitlab.drawing.strokes) of random width (BRUSH_RANGE px).
   Where the pen left a blob more than BLOB_FACTOR times wider than the brush (a loop
   inked solid), the blob is filled in too, as a person would scribble it;
4. hand the ink over in a random one of the four canvas conventions (transparent
   background with ink of any colour, dark ink on white, light ink on black, grayscale);
5. convert it with digitlab.drawing.canvas.canvas_to_mnist, exactly as a drawing from the pad.

The ranges of step 3 make up a ``Style``: ``ANY_HAND`` (the default) covers many people's
drawings; a narrower Style is one person's habits (digitlab.drawing.handwriting makes those).

`make_canvas_style_set` does all of this at full size, for evaluation. `canvas_style_batch`
makes the same digits for training on a smaller canvas (CANVAS_FAST px, grayscale only:
the four conventions convert to the same image), two to three times faster.
Both are deterministic for a given seed or random generator. benchmarks/bench_canvas.py --canvas-style times them.

Not for: drawing in a widget (see digitlab.widgets.drawing_pad) or general image
augmentation (see digitlab.augment).
"""

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from ..plumbing.progress import with_progress
from .canvas import canvas_to_mnist
from .skeleton import skeleton_graph, skeletonize
from .strokes import PAD_SIZE, draw_round_brush

CANVAS = PAD_SIZE  # side of the drawing pad, pixels
CANVAS_FAST = 112  # side of the smaller canvas used for training data
BRUSH_RANGE = (14.0, 26.0)  # brush diameter on the pad, pixels
SIZE_RANGE = (90.0, 220.0)  # longer side of the digit's centre line on the pad, pixels
ROTATION_DEG = 8.0  # slant, uniform in [-ROTATION_DEG, ROTATION_DEG] degrees
ASPECT_RANGE = (0.9, 1.1)  # width stretched by this factor relative to height
CONVENTIONS = ("alpha", "dark-on-light", "light-on-dark", "grayscale")
BLOB_FACTOR = 1.5  # pen ink this many times wider than the brush is filled in, not thinned away



@dataclass(frozen=True)
class Style:
    """A hand on the pad: the ranges each drawing's slant, squash, size and brush are drawn from."""

    rotation_deg: tuple = (-ROTATION_DEG, ROTATION_DEG)
    aspect: tuple = ASPECT_RANGE
    size: tuple = SIZE_RANGE
    brush: tuple = BRUSH_RANGE


ANY_HAND = Style()  # the ranges above: many people's drawings


def random_pose(nodes, rng, canvas=CANVAS, style=ANY_HAND, brush=None):
    """Return (points (K, 2) as (x, y) on a canvas, brush width, canvas pixels per node unit).

    brush: the brush diameter on the 280-px pad, or None for a random one in the style's range.
    """
    rows, cols = nodes[:, 0], nodes[:, 1]
    angle = np.deg2rad(rng.uniform(*style.rotation_deg))
    aspect = rng.uniform(*style.aspect)
    size = rng.uniform(*style.size)
    random_brush = rng.uniform(*style.brush)  # drawn either way: the same seed gives the same digits
    brush = random_brush if brush is None else float(brush)
    x = (cols - cols.mean()) * aspect
    y = rows - rows.mean()
    x, y = x * np.cos(angle) - y * np.sin(angle), x * np.sin(angle) + y * np.cos(angle)
    extent = max(np.ptp(x), np.ptp(y), 1.0)
    scale = size / extent  # longer side of the centre line becomes `size` pad pixels
    x, y = x * scale, y * scale
    # Anywhere on the pad that keeps the whole stroke, brush included, inside it.
    margin = brush / 2 + 2
    dx = rng.uniform(margin - x.min(), max(CANVAS - margin - x.max(), margin - x.min()))
    dy = rng.uniform(margin - y.min(), max(CANVAS - margin - y.max(), margin - y.min()))
    factor = canvas / CANVAS
    return np.stack([(x + dx) * factor, (y + dy) * factor], axis=1), brush * factor, scale * factor


def draw_segments(points, links, brush, canvas=CANVAS, supersample=1, radii=None):
    """Return a (canvas, canvas) uint8 ink image of line segments drawn with the pad's round brush.

    radii, if given, is a (K,) array of disc radii at the points, used where larger than brush / 2.
    """
    big = canvas * supersample
    im = Image.new("L", (big, big), 0)
    draw_round_brush(ImageDraw.Draw(im), points * supersample, links, brush * supersample,
                     None if radii is None else np.asarray(radii) * supersample)
    if supersample > 1:
        im = im.resize((canvas, canvas), Image.Resampling.BOX)
    return np.asarray(im)


def as_convention(ink, convention, rng):
    """Return the uint8 ink image as a canvas would hand it over, in one of CONVENTIONS."""
    if convention == "grayscale":
        return ink.copy()
    a = ink.astype(np.float32)[..., None] / 255.0  # (H, W, 1) coverage
    out = np.empty(ink.shape + (4,), dtype=np.uint8)
    if convention == "alpha":  # transparent background, ink of any colour
        out[..., :3] = rng.integers(0, 256, size=3)
        out[..., 3] = ink
        return out
    if convention == "dark-on-light":
        paper, pen = 255.0, rng.integers(0, 80, size=3)
    elif convention == "light-on-dark":
        paper, pen = 0.0, rng.integers(190, 256, size=3)
    else:
        raise ValueError(f"convention must be one of {CONVENTIONS}; got {convention!r}.")
    out[..., :3] = np.round(paper * (1 - a) + pen * a)
    out[..., 3] = 255
    return out


def redraw(image, rng, canvas=CANVAS, convention=None, supersample=2):
    """Redraw one (28, 28) MNIST digit as a canvas drawing; return (drawing, convention).

    convention None picks one of CONVENTIONS at random.
    """
    skeletons, depths = skeletonize(image, return_depth=True)
    if not skeletons[0].any():
        raise ValueError("The image has no ink to redraw.")
    return _redraw(skeletons[0], depths[0], rng, canvas, convention, supersample)


def _redraw(skeleton, depth, rng, canvas, convention, supersample, style=ANY_HAND, brush=None):
    """Redraw one skeleton as a canvas drawing; return (drawing, convention)."""
    nodes, links = skeleton_graph(skeleton)
    points, brush, unit = random_pose(nodes, rng, canvas, style, brush)
    # Where the pen left a blob much wider than the brush (a filled loop), fill it in too.
    half_width = (depth[skeleton] + 0.5) * unit  # (K,) in the same order as the nodes
    radii = np.where(half_width > BLOB_FACTOR * brush / 2, half_width, 0.0)
    ink = draw_segments(points, links, brush, canvas, supersample, radii)
    if convention is None:
        convention = CONVENTIONS[rng.integers(len(CONVENTIONS))]
    return as_convention(ink, convention, rng), convention


def _redraw_all(images, rng, canvas, convention, supersample, progress, style=ANY_HAND, brush=None):
    """Redraw and convert every image; images without ink stay blank. Returns float32 (N, 28, 28)."""
    skeletons, depths = skeletonize(images, return_depth=True)
    X = np.zeros((len(skeletons), 28, 28), dtype=np.float32)
    for i in with_progress(range(len(skeletons)), progress, "canvas-style digits"):
        if skeletons[i].any():
            drawing, _ = _redraw(skeletons[i], depths[i], rng, canvas, convention, supersample, style, brush)
            X[i] = canvas_to_mnist(drawing)
    return X


def make_canvas_style_set(images, labels, seed=0, progress=True, style=ANY_HAND, brush=None):
    """Return (X float32 (N, 28, 28), y): each digit redrawn on a 280x280 canvas, then converted.

    brush (pixels) redraws the same digits with one brush instead of random ones.
    """
    labels = np.asarray(labels)
    if len(labels) != len(np.asarray(images)):
        raise ValueError(f"Got {len(np.asarray(images))} images but {len(labels)} labels.")
    rng = np.random.default_rng(seed)
    X = _redraw_all(images, rng, CANVAS, None, supersample=2, progress=progress, style=style, brush=brush)
    return X, labels.copy()


def canvas_style_batch(images, rng, progress=False):
    """Return float32 (N, 28, 28): the images redrawn canvas-style on a small canvas, for training."""
    return _redraw_all(images, rng, CANVAS_FAST, "grayscale", supersample=1, progress=progress)
