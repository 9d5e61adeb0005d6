"""Your own labelled drawings, kept as small picture files so they outlive the notebook.

Where: <data>/custom/, where <data> is the folder named by the DIGITLAB_DATA environment
variable, or else the data/ folder of this repository.

Format (one drawing = one file, so you can look at them, copy them or delete them by hand):

    data/custom/<digit>/<id>.png     the 28x28 MNIST-style picture: 8-bit grayscale PNG,
                                     white ink on black, 0 = no ink, 255 = full ink
    data/custom/<digit>/<id>.json    optional: the raw pen strokes, as drawn

<digit> is the label (0..9); moving a PNG to another digit's folder relabels it.
<id> looks like 20250131-142501-123456-3fa85f64 (date, time, microseconds, random part), so
ids sort by time and two drawings never share one.
Every file is written to a hidden temporary file in the same folder and then renamed into
place: two notebooks saving at once never lose each other's drawings, and a crash leaves
either the whole drawing or nothing. A file that cannot be read is skipped with a warning
naming it, and is left where it is; counts and len() count only the drawings that can be read.
A picture is checked for its size before it is decoded. What a killed process left (hidden
temporary files, strokes whose picture was never written) is deleted by the next store opened
on the folder, once no other process is adding drawings to it.

Not for: MNIST itself (see digitlab.data), or turning a canvas into a 28x28 picture
(see digitlab.drawing.canvas).
"""
import json
import uuid
import warnings
from datetime import datetime
from pathlib import Path

import numpy as np
from PIL import Image

from ..data import data_root
from ..plumbing.checks import as_images, as_label
from ..plumbing.files import folder_lock, remove_leftovers, write_atomically

DIGITS = range(10)
MAX_PICTURE_BYTES = 1 << 20   # a 28x28 PNG takes under 1 KB: a larger file is not a drawing
MAX_STROKES_BYTES = 8 << 20   # strokes of one drawing take a few KB


def default_root():
    """The folder drawings live in: $DIGITLAB_DATA/custom, else <repository>/data/custom."""
    return data_root() / "custom"


def read_picture(path) -> np.ndarray:
    """A saved drawing's picture as uint8 (28, 28); ValueError or OSError saying why it cannot be read.

    The file's size and the picture's size are checked before any pixel is decoded, so a huge
    picture (a "decompression bomb") costs nothing.
    """
    size = Path(path).stat().st_size
    if size == 0:
        raise ValueError("the file is empty")
    if size > MAX_PICTURE_BYTES:
        raise ValueError(f"it is {size:,} bytes, far more than a 28x28 drawing")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # refused just below
            picture = Image.open(path)  # reads the header only
    except Image.DecompressionBombError:
        raise ValueError(f"it claims to be a picture of more than {2 * Image.MAX_IMAGE_PIXELS:,} pixels, "
                         "not a 28x28 drawing") from None
    with picture:
        if picture.size != (28, 28):
            raise ValueError(f"it is {picture.size[0]}x{picture.size[1]}, not 28x28")
        return np.asarray(picture.convert("L"))


class DrawingStore:
    """A folder of labelled 28x28 drawings: add, delete, count and load them."""

    def __init__(self, root=None):
        self.root = Path(root) if root is not None else default_root()
        self.tidy()

    def add(self, image28, label, strokes=None):
        """Save one drawing (28x28, values in [0, 1]) with its label; return its id."""
        if np.shape(image28) != (28, 28):
            raise ValueError(f"the drawing must be one 28x28 image, got shape {np.shape(image28)}")
        pixels = np.round(as_images(image28, "the drawing")[0] * 255).astype(np.uint8)  # one 28x28 image
        label = as_label(label)
        if strokes is not None:
            try:
                strokes_json = json.dumps(strokes).encode()
            except (TypeError, ValueError) as err:
                raise ValueError(f"strokes must be plain lists of numbers (JSON), {err}") from None
        id_ = f"{datetime.now():%Y%m%d-%H%M%S-%f}-{uuid.uuid4().hex[:8]}"
        folder = self.root / str(label)
        folder.mkdir(parents=True, exist_ok=True)
        with folder_lock(self.root, exclusive=False):  # tidy() leaves a folder alone while anyone writes
            if strokes is not None:
                write_atomically(folder / f"{id_}.json", lambda f: f.write(strokes_json))
            # The PNG goes last: a drawing exists once its PNG does.
            write_atomically(folder / f"{id_}.png",
                             lambda f: Image.fromarray(pixels).save(f, format="PNG"))
        return id_

    def items(self):
        """List of (id, label, path) for every drawing file, oldest first (readable or not)."""
        found = []
        for label in DIGITS:
            for path in (self.root / str(label)).glob("*.png"):
                if not path.name.startswith("."):
                    found.append((path.stem, label, path))
        return sorted(found)

    def readable_items(self):
        """List of (id, label, path) for every drawing whose picture can be read, oldest first."""
        return [item for item, _ in self._read(warn=False)]

    def delete(self, id_):
        """Remove the drawing with this id (and its strokes); raise KeyError if there is none."""
        matches = [path for i, _, path in self.items() if i == id_]
        if not matches:
            raise KeyError(f"no drawing with id {id_!r} in {self.root}")
        for path in matches:
            try:
                path.unlink()
            except FileNotFoundError:  # deleted a moment ago by another notebook
                raise KeyError(f"no drawing with id {id_!r} in {self.root}: it was just deleted elsewhere") from None
            path.with_suffix(".json").unlink(missing_ok=True)

    def strokes(self, id_):
        """The raw strokes saved with a drawing, or None if none were saved (or they cannot be read)."""
        for i, _, path in self.items():
            if i == id_:
                json_path = path.with_suffix(".json")
                try:
                    if json_path.stat().st_size > MAX_STROKES_BYTES:
                        raise ValueError(f"it is over {MAX_STROKES_BYTES:,} bytes")
                    strokes = json.loads(json_path.read_text(encoding="utf-8"))
                    if not isinstance(strokes, list):
                        raise ValueError("it does not hold a list of strokes")
                    return strokes
                except FileNotFoundError:
                    return None
                except (OSError, ValueError, RecursionError) as err:  # UnicodeDecodeError is a ValueError
                    warnings.warn(f"ignoring the strokes file {json_path}: cannot read it ({err})", stacklevel=2)
                    return None
        raise KeyError(f"no drawing with id {id_!r} in {self.root}")

    def load(self):
        """All readable drawings as X float32 (N, 28, 28) in [0, 1] and y int64 (N,)."""
        X, y = self.load_pixels()
        return X.astype(np.float32) / 255, y

    def load_pixels(self):
        """All readable drawings as X uint8 (N, 28, 28), 0..255 as the files hold them, and y int64 (N,)."""
        images, labels = [], []
        for (_, label, _), pixels in self._read(warn=True):
            images.append(pixels)
            labels.append(label)
        X = np.array(images, dtype=np.uint8).reshape(-1, 28, 28)  # (N, 28, 28)
        y = np.array(labels, dtype=np.int64)  # (N,)
        return X, y

    def counts(self):
        """Number of readable drawings per digit, e.g. {0: 3, 1: 0, ..., 9: 5}."""
        return count_digits(self.readable_items())

    def tidy(self):
        """Delete what a killed add or delete left: hidden temporary files, strokes without a picture.

        Done only while no other process is adding (see plumbing.files.folder_lock); returns the
        files deleted.
        """
        if not self.root.is_dir():
            return []
        with folder_lock(self.root, exclusive=True, wait=False) as locked:
            leftovers = []
            for label in DIGITS:
                folder = self.root / str(label)
                leftovers += folder.glob(".*.tmp")
                leftovers += [p for p in folder.glob("*.json") if not p.with_suffix(".png").exists()]
            return remove_leftovers(leftovers, locked)

    def _read(self, warn):
        """((id, label, path), pixels (28, 28) uint8) for every readable drawing; warns of the others."""
        for item in self.items():
            try:
                yield item, read_picture(item[2])
            except Exception as err:  # anything a broken file makes Pillow raise: skip it
                if warn:
                    # stacklevel 4 skips this, load_pixels and load: it names the line that called load
                    warnings.warn(f"skipping drawing file {item[2]}: cannot read it ({err})", stacklevel=4)

    def __len__(self):
        return sum(self.counts().values())

    def __repr__(self):
        return f"DrawingStore({str(self.root)!r}, {len(self)} drawings)"


def count_digits(items):
    """How many of the (id, label, path) items have each label: {0: 3, 1: 0, ..., 9: 5}."""
    counts = dict.fromkeys(DIGITS, 0)
    for _, label, _ in items:
        counts[label] += 1
    return counts


def rarest_digit(counts, skip=None, rng=None) -> int:
    """The digit with the fewest drawings so far (ties: at random with rng, else the smallest).

    counts: {digit: number of drawings}, as DrawingStore.counts() gives; skip: a digit not to
    ask for now (the one just skipped), unless it is the only one. The collector asks for this
    digit next, so that a collection stays balanced.
    """
    counts = {d: int(counts.get(d, 0)) for d in DIGITS}
    candidates = [d for d in DIGITS if d != skip]
    fewest = min(counts[d] for d in candidates)
    tied = [d for d in candidates if counts[d] == fewest]
    return int(rng.choice(tied)) if rng is not None else tied[0]
