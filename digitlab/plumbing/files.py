"""Writing a file so that it is either whole or not there at all.

What this is for: every file DigitLab writes for a reader (a model, a drawing, its strokes)
goes through ``write_atomically``. The bytes go to a hidden temporary file in the same folder,
are flushed to the disk, and only then is the temporary file renamed over the target
(``os.replace``, atomic within one file system): a crash, a full disk or a second notebook
saving at the same moment never leaves half a file, and never loses the old one.
What it is not: a lock (of two writers of the same name, the later file wins) or a downloader
(digitlab.data verifies each MNIST file before moving it into place).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path, write) -> Path:
    """Call ``write(f)`` on a hidden temporary file (opened "wb") next to path, then rename it to path."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes private files; models and drawings are meant to be shared
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    return path
