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
naming it, and is left where it is.

Not for: MNIST itself (see digitlab.data), or turning a canvas into a 28x28 picture
(see digitlab.canvas).
"""
import json
import uuid
import warnings
from datetime import datetime
from pathlib import Path

import numpy as np
from PIL import Image

from .data import data_root
from .files import write_atomically

DIGITS = range(10)


def default_root():
    """The folder drawings live in: $DIGITLAB_DATA/custom, else <repository>/data/custom."""
    return data_root() / "custom"


def _check_label(label):
    """Return label as an int, or raise ValueError unless it is a whole number 0..9."""
    if isinstance(label, (bool, np.bool_)) or not isinstance(label, (int, np.integer)):
        raise ValueError(f"label must be a whole number from 0 to 9, got {label!r}")
    if not 0 <= label <= 9:
        raise ValueError(f"label must be a digit from 0 to 9, got {label}")
    return int(label)


def _check_image(image):
    """Return image as uint8 (28, 28), or raise ValueError unless it is 28x28 with values in [0, 1]."""
    image = np.asarray(image)
    if image.shape != (28, 28):
        raise ValueError(f"image must be 28x28 pixels, got shape {image.shape}")
    if not (np.issubdtype(image.dtype, np.number) or image.dtype == bool):
        raise ValueError(f"image must hold numbers, got {image.dtype}")
    image = image.astype(np.float64)
    slack = 1e-6  # float rounding dust such as 1.0000001 is fine
    if not np.all(np.isfinite(image)) or image.min() < -slack or image.max() > 1 + slack:
        hint = " (for 0..255 pixels, divide by 255 first)" if image.max() > 1 else ""
        raise ValueError(f"image values must be between 0 and 1 (0 = no ink, 1 = full ink){hint}")
    return np.round(np.clip(image, 0, 1) * 255).astype(np.uint8)


class DrawingStore:
    """A folder of labelled 28x28 drawings: add, delete, count and load them."""

    def __init__(self, root=None):
        self.root = Path(root) if root is not None else default_root()

    def add(self, image28, label, strokes=None):
        """Save one drawing (28x28, values in [0, 1]) with its label; return its id."""
        pixels = _check_image(image28)
        label = _check_label(label)
        if strokes is not None:
            try:
                strokes_json = json.dumps(strokes).encode()
            except (TypeError, ValueError) as err:
                raise ValueError(f"strokes must be plain lists of numbers (JSON), {err}") from None
        id_ = f"{datetime.now():%Y%m%d-%H%M%S-%f}-{uuid.uuid4().hex[:8]}"
        folder = self.root / str(label)
        folder.mkdir(parents=True, exist_ok=True)
        if strokes is not None:
            write_atomically(folder / f"{id_}.json", lambda f: f.write(strokes_json))
        # The PNG goes last: a drawing exists once its PNG does.
        write_atomically(folder / f"{id_}.png",
                         lambda f: Image.fromarray(pixels).save(f, format="PNG"))
        return id_

    def items(self):
        """List of (id, label, path) for every drawing, oldest first."""
        found = []
        for label in DIGITS:
            for path in (self.root / str(label)).glob("*.png"):
                if not path.name.startswith("."):
                    found.append((path.stem, label, path))
        return sorted(found)

    def delete(self, id_):
        """Remove the drawing with this id (and its strokes); raise KeyError if there is none."""
        matches = [path for i, _, path in self.items() if i == id_]
        if not matches:
            raise KeyError(f"no drawing with id {id_!r} in {self.root}")
        for path in matches:
            path.unlink()
            path.with_suffix(".json").unlink(missing_ok=True)

    def strokes(self, id_):
        """The raw strokes saved with a drawing, or None if none were saved."""
        for i, _, path in self.items():
            if i == id_:
                json_path = path.with_suffix(".json")
                return json.loads(json_path.read_text()) if json_path.exists() else None
        raise KeyError(f"no drawing with id {id_!r} in {self.root}")

    def load(self):
        """All readable drawings as X float32 (N, 28, 28) in [0, 1] and y int64 (N,)."""
        images, labels = [], []
        for _, label, path in self.items():
            try:
                with Image.open(path) as picture:
                    pixels = np.asarray(picture.convert("L"))
                if pixels.shape != (28, 28):
                    raise ValueError(f"it is {pixels.shape[1]}x{pixels.shape[0]}, not 28x28")
            except Exception as err:
                warnings.warn(f"skipping drawing file {path}: cannot read it ({err})", stacklevel=2)
                continue
            images.append(pixels)
            labels.append(label)
        X = np.array(images, dtype=np.float32).reshape(-1, 28, 28) / 255  # (N, 28, 28)
        y = np.array(labels, dtype=np.int64)  # (N,)
        return X, y

    def counts(self):
        """Number of drawing files per digit, e.g. {0: 3, 1: 0, ..., 9: 5}."""
        counts = dict.fromkeys(DIGITS, 0)
        for _, label, _ in self.items():
            counts[label] += 1
        return counts

    def __len__(self):
        return len(self.items())

    def __repr__(self):
        return f"DrawingStore({str(self.root)!r}, {len(self)} drawings)"
