"""Canvas-style digits: MNIST handwriting redrawn as if with a mouse on a drawing pad.

For: testing whether a model reads digits drawn on the canvas as well as MNIST digits,
and augmenting training data so that it does. A pen on paper leaves strokes that
swell and fade; a mouse on a canvas leaves strokes of one width with round ends, at
whatever size and place the person chose. So each MNIST digit is redrawn like that:

1. thin it to its centre line: enlarge 2x (bilinear), threshold at THRESHOLD of its
   peak, and apply Zhang-Suen thinning (vectorised numpy) to get a 1-pixel skeleton;
2. join 8-neighbouring skeleton pixels into short line segments, and smooth the
   staircase a little (each pixel inside a line moves halfway to its neighbours' mean);
3. place the line on a 280x280 canvas at a random size (longer side of the centre line
   SIZE_RANGE px), position, slant (ROTATION_DEG) and squash (ASPECT_RANGE), and draw
   it with Pillow using a round brush of random width (BRUSH_RANGE px, as on the pad).
   Where the pen left a blob more than BLOB_FACTOR times wider than the brush (a loop
   inked solid), the blob is filled in too, as a person would scribble it;
4. hand the ink over in a random one of the four canvas conventions (transparent
   background with ink of any colour, dark ink on white, light ink on black, grayscale);
5. convert it with digitlab.canvas.canvas_to_mnist, exactly as a drawing from the pad.

`make_canvas_style_set` does all of this at full size, for evaluation. `canvas_style_batch`
makes the same digits for training on a smaller canvas (CANVAS_FAST px, grayscale only:
the four conventions convert to the same image), two to three times faster;
`canvas_style_augmenter` wraps it for fit(augment=...). Both are deterministic for a
given seed or random generator. benchmarks/bench_canvas.py --canvas-style times them.

Not for: drawing in a widget (see digitlab.strokes) or general image augmentation
(see digitlab.augment).
"""

import numpy as np
from PIL import Image, ImageDraw

from .canvas import canvas_to_mnist
from .images import as_images

CANVAS = 280  # side of the drawing pad, pixels
CANVAS_FAST = 112  # side of the smaller canvas used for training data
BRUSH_RANGE = (14.0, 26.0)  # brush diameter on the pad, pixels
SIZE_RANGE = (90.0, 220.0)  # longer side of the digit's centre line on the pad, pixels
ROTATION_DEG = 8.0  # slant, uniform in [-ROTATION_DEG, ROTATION_DEG] degrees
ASPECT_RANGE = (0.9, 1.1)  # width stretched by this factor relative to height
CONVENTIONS = ("alpha", "dark-on-light", "light-on-dark", "grayscale")
THRESHOLD = 0.4  # MNIST ink above this (after 2x enlargement) belongs to the stroke
BLOB_FACTOR = 1.5  # pen ink this many times wider than the brush is filled in, not thinned away

# Neighbour offsets (row, col) linking a skeleton pixel forward: right, down, down-right, down-left.
_LINKS = ((0, 1), (1, 0), (1, 1), (1, -1))


def zhang_suen(binary):
    """Thin a batch of (N, H, W) bool images to 1-pixel skeletons (Zhang & Suen, 1984)."""
    img = np.pad(np.asarray(binary, dtype=np.uint8), ((0, 0), (1, 1), (1, 1)))
    core = img[:, 1:-1, 1:-1]  # a view: deleting here deletes in img
    while True:
        changed = False
        for step in (0, 1):
            # Neighbours clockwise from north: P2 N, P3 NE, P4 E, P5 SE, P6 S, P7 SW, P8 W, P9 NW.
            P2, P3, P4 = img[:, :-2, 1:-1], img[:, :-2, 2:], img[:, 1:-1, 2:]
            P5, P6, P7 = img[:, 2:, 2:], img[:, 2:, 1:-1], img[:, 2:, :-2]
            P8, P9 = img[:, 1:-1, :-2], img[:, :-2, :-2]
            ring = (P2, P3, P4, P5, P6, P7, P8, P9, P2)
            B = sum(p.astype(np.uint8) for p in ring[:8])  # how many neighbours are ink
            A = sum((ring[i] < ring[i + 1]).astype(np.uint8) for i in range(8))  # 0 -> 1 steps
            if step == 0:
                side = ((P2 & P4 & P6) == 0) & ((P4 & P6 & P8) == 0)
            else:
                side = ((P2 & P4 & P8) == 0) & ((P2 & P6 & P8) == 0)
            delete = (core == 1) & (B >= 2) & (B <= 6) & (A == 1) & side
            if delete.any():
                core[delete] = 0
                changed = True
        if not changed:
            return core.astype(bool)


def _binarize(images, threshold=THRESHOLD):
    """Return (N, 2H, 2W) bool: the digits enlarged 2x (bilinear) and thresholded at `threshold` x peak."""
    X = as_images(images)
    n, h, w = X.shape
    big = np.empty((n, 2 * h, 2 * w), dtype=np.float32)
    for i, x in enumerate(X):
        big[i] = np.asarray(Image.fromarray(x).resize((2 * w, 2 * h), Image.Resampling.BILINEAR))
    peak = big.reshape(n, -1).max(axis=1)[:, None, None]
    return big > threshold * np.maximum(peak, 1e-6)


def erosion_depth(binary):
    """Return (N, H, W) uint8: how many 4-neighbour erosions each ink pixel survives (its half-width)."""
    depth = np.zeros(binary.shape, dtype=np.uint8)
    current = np.asarray(binary, dtype=bool)
    while current.any():
        padded = np.pad(current, ((0, 0), (1, 1), (1, 1)))
        current = (current & padded[:, :-2, 1:-1] & padded[:, 2:, 1:-1]
                   & padded[:, 1:-1, :-2] & padded[:, 1:-1, 2:])
        depth += current
    return depth


def skeletonize(images, threshold=THRESHOLD, return_depth=False):
    """Return (N, 2H, 2W) bool centre lines of (N, H, W) digits, thinned at twice the resolution.

    return_depth=True also returns erosion_depth of the thresholded digits (same shape, uint8).
    """
    binary = _binarize(images, threshold)
    out = np.empty_like(binary)
    for start in range(0, len(binary), 1024):  # chunks keep the temporaries small
        out[start : start + 1024] = zhang_suen(binary[start : start + 1024])
    if return_depth:
        return out, erosion_depth(binary)
    return out


def skeleton_graph(skeleton, smooth=3):
    """Return (nodes (K, 2) float (row, col), links (M, 2) int) joining 8-neighbour skeleton pixels."""
    skeleton = np.asarray(skeleton, dtype=bool)
    h, w = skeleton.shape
    nodes = np.argwhere(skeleton)  # (K, 2)
    index = np.full((h + 2, w + 2), -1, dtype=np.int64)  # padded so neighbours never wrap
    index[nodes[:, 0] + 1, nodes[:, 1] + 1] = np.arange(len(nodes))
    on = index >= 0
    r, c = nodes[:, 0] + 1, nodes[:, 1] + 1
    links = []
    for dr, dc in _LINKS:
        keep = on[r + dr, c + dc]
        if dr and dc:  # a diagonal is redundant when an orthogonal pair already joins the two
            keep &= ~on[r + dr, c] & ~on[r, c + dc]
        links.append(np.stack([index[r, c][keep], index[r + dr, c + dc][keep]], axis=1))
    links = np.concatenate(links)  # (M, 2)
    nodes = nodes.astype(np.float64)
    degree = np.bincount(links.ravel(), minlength=len(nodes))
    inside = degree == 2  # ends and junctions stay put
    for _ in range(smooth):
        total = np.zeros_like(nodes)
        np.add.at(total, links[:, 0], nodes[links[:, 1]])
        np.add.at(total, links[:, 1], nodes[links[:, 0]])
        mean = total[inside] / 2
        nodes[inside] = (nodes[inside] + mean) / 2
    return nodes, links


def random_pose(nodes, rng, canvas=CANVAS):
    """Return (points (K, 2) as (x, y) on a canvas, brush width, canvas pixels per node unit)."""
    rows, cols = nodes[:, 0], nodes[:, 1]
    angle = np.deg2rad(rng.uniform(-ROTATION_DEG, ROTATION_DEG))
    aspect = rng.uniform(*ASPECT_RANGE)
    size = rng.uniform(*SIZE_RANGE)
    brush = rng.uniform(*BRUSH_RANGE)
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
    """Return a (canvas, canvas) uint8 ink image of line segments drawn with a round brush.

    radii, if given, is a (K,) array of disc radii at the points, used where larger than brush / 2.
    """
    big = canvas * supersample
    im = Image.new("L", (big, big), 0)
    draw = ImageDraw.Draw(im)
    p = points * supersample  # (x, y); pixel centres at +0.5, Pillow's at whole numbers
    width = max(1, round(brush * supersample))
    r = np.full(len(p), brush * supersample / 2)
    if radii is not None:
        r = np.maximum(r, np.asarray(radii) * supersample)
    for a, b in links:
        draw.line(((p[a, 0] - 0.5, p[a, 1] - 0.5), (p[b, 0] - 0.5, p[b, 1] - 0.5)), fill=255, width=width)
    for (x, y), radius in zip(p.tolist(), r.tolist()):  # round caps and joins
        # Pillow's ellipse box includes its far edge, hence the - 1.
        draw.ellipse((x - radius, y - radius, x + radius - 1, y + radius - 1), fill=255)
    if supersample > 1:
        im = im.resize((canvas, canvas), Image.Resampling.BOX)
    return np.asarray(im)


def dress(ink, convention, rng):
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


def _redraw(skeleton, depth, rng, canvas, convention, supersample):
    """Redraw one skeleton as a canvas drawing; return (drawing, convention)."""
    nodes, links = skeleton_graph(skeleton)
    points, brush, unit = random_pose(nodes, rng, canvas)
    # Where the pen left a blob much wider than the brush (a filled loop), fill it in too.
    half_width = (depth[skeleton] + 0.5) * unit  # (K,) in the same order as the nodes
    radii = np.where(half_width > BLOB_FACTOR * brush / 2, half_width, 0.0)
    ink = draw_segments(points, links, brush, canvas, supersample, radii)
    if convention is None:
        convention = CONVENTIONS[rng.integers(len(CONVENTIONS))]
    return dress(ink, convention, rng), convention


def _progress(iterable, show):
    """Wrap iterable in a tqdm progress bar when show is true."""
    if not show:
        return iterable
    from tqdm.auto import tqdm

    return tqdm(iterable, desc="canvas-style digits")


def _redraw_all(images, rng, canvas, convention, supersample, progress):
    """Redraw and convert every image; images without ink stay blank. Returns float32 (N, 28, 28)."""
    skeletons, depths = skeletonize(images, return_depth=True)
    X = np.zeros((len(skeletons), 28, 28), dtype=np.float32)
    for i in _progress(range(len(skeletons)), progress):
        if skeletons[i].any():
            drawing, _ = _redraw(skeletons[i], depths[i], rng, canvas, convention, supersample)
            X[i] = canvas_to_mnist(drawing)
    return X


def make_canvas_style_set(images, labels, seed=0, progress=True):
    """Return (X float32 (N, 28, 28), y): each digit redrawn on a 280x280 canvas, then converted."""
    labels = np.asarray(labels)
    if len(labels) != len(np.asarray(images)):
        raise ValueError(f"Got {len(np.asarray(images))} images but {len(labels)} labels.")
    rng = np.random.default_rng(seed)
    X = _redraw_all(images, rng, CANVAS, None, supersample=2, progress=progress)
    return X, labels.copy()


def canvas_style_batch(images, rng, progress=False):
    """Return float32 (N, 28, 28): the images redrawn canvas-style on a small canvas, for training."""
    return _redraw_all(images, rng, CANVAS_FAST, "grayscale", supersample=1, progress=progress)


def canvas_style_augmenter(fraction=0.5):
    """Return aug(X, rng) for fit(augment=...): redraws a random `fraction` of each batch canvas-style."""
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"fraction must be between 0 and 1; got {fraction!r}.")

    def augment(X, rng):
        X = np.array(X, dtype=np.float32)  # a copy: the caller's batch stays as it was
        pick = np.flatnonzero(rng.random(len(X)) < fraction)
        if pick.size:
            X[pick] = canvas_style_batch(X[pick], rng)
        return X

    return augment
