"""Tidy a drawing before it is scaled: drop stray marks, and even out strokes that are too thin or thick.

For: digitlab.drawing.canvas.canvas_to_mnist, which crops a drawing to its ink and scales it to
MNIST's 20x20 box. Two things a person does on a pad spoil that, and MNIST never shows them:

- **a stray mark** (a tap, a dot away from the digit) widens the box around the ink, so the
  digit itself is shrunk. ``stray_marks`` cuts the ink into pieces at empty rows and columns
  (the way a page is cut into blocks of text) and drops every piece that holds less than
  STRAY_SHARE of the ink and lies more than STRAY_GAP of the digit's size away from it;
- **a brush much thicker or thinner than a pen**: scaled to 20x20, a thick stroke fills the
  loops of a 6, 8 or 9, and a thin one almost vanishes. ``even_strokes`` measures the stroke
  width and erodes (or grows) the ink until it lies within MNIST's usual range, WIDTH_RANGE.

Not for: reading colours or conventions (digitlab.drawing.canvas) or changing the digit's shape.
"""

from __future__ import annotations

import numpy as np

from .skeleton import erosion_depth

STRAY_SHARE = 0.15  # a piece with less than this share of the ink may be a stray mark...
STRAY_GAP = 0.08  # ...if an empty band wider than this times the digit's longer side parts it from the digit
WIDTH_RANGE = (1.7, 3.0)  # stroke widths in MNIST's 20x20 box, pixels: the middle 80% of MNIST's digits


# ---- stray marks ---------------------------------------------------------------------------------

def runs(filled):
    """(start, end) of every run of True in a 1-D boolean array; end exclusive."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], filled.astype(np.int8), [0]])))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist()))


def ink_pieces(mask):
    """Boxes (top, left, bottom, right) of the pieces of ink that empty rows or columns set apart.

    Cut the ink's box at every empty row, then every piece at every empty column, and so on
    until no piece can be cut further (an XY cut). Each box is tight around its ink.
    """
    rows = runs(mask.any(axis=1))
    if not rows:
        return []
    todo, pieces = [(rows[0][0], 0, rows[-1][1], mask.shape[1])], []
    while todo:
        top, left, bottom, right = todo.pop()
        part = mask[top:bottom, left:right]
        row_runs, col_runs = runs(part.any(axis=1)), runs(part.any(axis=0))
        if len(row_runs) > 1:
            todo += [(top + a, left, top + b, right) for a, b in row_runs]
        elif len(col_runs) > 1:
            todo += [(top, left + a, bottom, left + b) for a, b in col_runs]
        else:
            (a, b), (c, d) = row_runs[0], col_runs[0]
            pieces.append((top + a, left + c, top + b, left + d))
    return pieces


def box_gap(a, b):
    """Width of the empty band between two boxes (top, left, bottom, right); 0 if they overlap."""
    return max(0, b[0] - a[2], a[0] - b[2], b[1] - a[3], a[1] - b[3])


def stray_marks(ink, share=STRAY_SHARE, gap=STRAY_GAP):
    """Return (kept, dropped): boxes of the pieces of the digit, and of the stray marks away from it.

    The digit starts as the piece with the most ink; a piece joins it if it holds at least
    ``share`` of all ink, or lies closer to it than ``gap`` times its longer side.
    """
    pieces = ink_pieces(ink > 0)
    mass = {p: float(ink[p[0]:p[2], p[1]:p[3]].sum()) for p in pieces}
    total = sum(mass.values())
    pieces.sort(key=lambda p: -mass[p])
    kept, rest = pieces[:1], pieces[1:]
    changed = True
    while changed:
        changed = False
        top, left, bottom, right = (f(k[i] for k in kept) for i, f in enumerate((min, min, max, max)))
        size = max(bottom - top, right - left)  # the digit's longer side so far
        for piece in list(rest):
            if mass[piece] >= share * total or min(box_gap(piece, k) for k in kept) < gap * size:
                kept.append(piece)
                rest.remove(piece)
                changed = True
    return kept, rest


def erase(ink, boxes):
    """A copy of the ink with every box (top, left, bottom, right) wiped clean."""
    ink = ink.copy()
    for top, left, bottom, right in boxes:
        ink[top:bottom, left:right] = 0
    return ink


def drop_stray_marks(ink, share=STRAY_SHARE, gap=STRAY_GAP):
    """Return (ink without the stray marks, boxes of the marks dropped); a box holds its mark's ink alone."""
    if not ink.any():
        return ink, []  # nothing to tidy; canvas_to_mnist says the canvas is empty
    _, dropped = stray_marks(ink, share, gap)
    return (erase(ink, dropped) if dropped else ink), dropped


# ---- stroke width --------------------------------------------------------------------------------

def neighbours(image, fill, square=True):
    """The image moved one pixel in each of the 8 directions (4 if not square), `fill` coming in at the edge."""
    h, w = image.shape
    padded = np.empty((h + 2, w + 2), image.dtype)
    padded[0], padded[-1], padded[:, 0], padded[:, -1] = fill, fill, fill, fill
    padded[1:-1, 1:-1] = image
    moves = [(dr, dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1) if (dr or dc) and (square or not (dr and dc))]
    return [padded[1 + dr:1 + dr + h, 1 + dc:1 + dc + w] for dr, dc in moves]


def spread(image, steps, pick):
    """Each step, every pixel takes what ``pick`` chooses from around it: a cross, then a square, then a cross...

    ``pick`` is np.minimum (erode) or np.maximum (dilate). Alternating the two shapes moves
    every side by about one pixel a step, at any angle.
    """
    for step in range(steps):
        image = pick.reduce([image, *neighbours(image, 0, square=step % 2 == 1)])
    return image


def erode(image, steps=1):
    """Each step, every pixel takes the least ink around it: the ink wears away by about a pixel a side."""
    return spread(image, steps, np.minimum)


def dilate(image, steps=1):
    """Each step, every pixel takes the most ink around it: the ink grows by about a pixel a side."""
    return spread(image, steps, np.maximum)


def stroke_width(digit, samples=48):
    """Typical stroke width of a digit, in its own pixels: twice the distance from a stroke's middle to the paper.

    The middle of every stroke is found by eroding the ink (above half strength) step by step:
    a pixel's depth is how many steps it survives, and the ridge pixels, those no neighbour is
    deeper than, run along the middle of the strokes. For up to ``samples`` of them, spread along
    the ridges, the distance to the nearest paper pixel is measured exactly; the median ignores a
    filled blob's few deep pixels. 0 for an empty digit.
    """
    ink = np.pad(digit > 0.5, 1)  # a frame of paper around the crop
    if not ink.any():
        return 0.0
    depth = erosion_depth(ink[None])[0]  # how many erosions each ink pixel survives
    ridge = np.argwhere(ink & (depth >= np.maximum.reduce(neighbours(depth, 0, square=False))))
    ridge = ridge[np.linspace(0, len(ridge) - 1, min(samples, len(ridge))).astype(int)].astype(np.float32)
    paper = np.argwhere(~ink & np.logical_or.reduce(neighbours(ink, False, square=False))).astype(np.float32)
    # Squared distances from every ridge sample to every paper pixel, |r|^2 + |p|^2 - 2 r.p, as one product.
    squared = (ridge ** 2).sum(1)[:, None] + (paper ** 2).sum(1)[None, :] - 2 * ridge @ paper.T
    distance = np.sort(np.sqrt(np.maximum(squared.min(axis=1), 0)))
    # Pixel centres: across a stroke w pixels wide, the paper lies about w / 2 from the middle,
    # a little more along the grid's axes and a little less at other angles.
    return max(1.0, 2.0 * float(distance[len(distance) // 2]))  # the median (the upper one of two)


def even_strokes(digit, box, width_range=WIDTH_RANGE):
    """Erode or grow a cropped digit so that, once its longer side is ``box``, its strokes lie in width_range.

    Returns (digit, width before, width after), the widths in pixels of the ``box`` scale; the
    digit comes back as it was (the same array) when its strokes are already in range. Eroding
    r pixels from every side also shortens the longer side by 2r: r is chosen with that in mind.
    """
    size = max(digit.shape)
    width = stroke_width(digit)
    before = width * box / size
    target = min(max(before, width_range[0]), width_range[1])
    # (width - 2r) / (size - 2r) * box = target, solved for r, the pixels to take from every side:
    steps = int(round((box * width - target * size) / (2 * box - 2 * target)))
    steps = min(steps, int(width - 1) // 2)  # never erode a stroke away
    if steps == 0:
        return digit, before, before
    digit = erode(digit, steps) if steps > 0 else dilate(digit, -steps)
    rows, cols = np.flatnonzero(digit.any(axis=1)), np.flatnonzero(digit.any(axis=0))
    digit = digit[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    return digit, before, (width - 2 * steps) * box / max(digit.shape)  # each step wears a pixel a side
