"""Writing a file so that it is either whole or not there at all, and tidying up after a crash.

What this is for: every file DigitLab writes for a reader (a model, a drawing, its strokes)
goes through ``write_atomically``. The bytes go to a hidden temporary file in the same folder,
are flushed to the disk, and only then is the temporary file renamed over the target
(``os.replace``, atomic within one file system): a crash, a full disk or a second notebook
saving at the same moment never leaves half a file, and never loses the old one.
A process killed while writing (kill -9, a kernel that runs out of memory) leaves its hidden
temporary file behind; ``folder_lock`` tells the next run whether any writer is still at work
in a folder, so that it can delete such leftovers without touching a write in progress.
What it is not: a lock on a file's content (of two writers of the same name, the later file
wins) or a downloader (digitlab.data verifies each MNIST file before moving it into place).
"""

from __future__ import annotations

import os
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; leftovers are judged by their age instead
    fcntl = None

STALE_SECONDS = 3600  # without locks, a temporary file untouched this long belongs to no live writer


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


@contextmanager
def folder_lock(folder, exclusive: bool, wait: bool = True):
    """Hold an advisory lock on a folder while the block runs; yields True if it is held.

    Writers take it shared, a tidy-up takes it exclusive: holding it exclusive means no other
    process is writing there, so any temporary file left is a leftover. With ``wait=False`` an
    exclusive lock that is busy yields False at once. The lock dies with its process (kill -9
    included). Where the system or the file system has no such locks (Windows) it yields None.
    """
    try:
        fd = os.open(folder, os.O_RDONLY) if fcntl is not None else None
    except OSError:  # a folder that cannot be opened cannot be locked either
        fd = None
    if fd is None:
        yield None
        return
    try:
        mode = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | (0 if wait else fcntl.LOCK_NB)
        try:
            fcntl.flock(fd, mode)
            held = True
        except BlockingIOError:
            held = False
        except OSError:  # a file system without locks (some network shares): as on Windows
            held = None
        yield held
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def remove_leftovers(paths, locked: bool | None) -> list:
    """Delete these temporary files if no writer can own them (see folder_lock); return those deleted."""
    removed = []
    if locked is False:
        return removed
    for path in paths:
        try:
            if locked or time.time() - path.stat().st_mtime > STALE_SECONDS:
                path.unlink()
                removed.append(path)
        except OSError:
            pass  # another tidy-up got there first, or the folder is read-only: leave it
    return removed


def cannot_write_in(folder) -> str | None:
    """Why files cannot be written in ``folder`` (made as needed), in plain words; None if they can.

    Tries for real, with a nameless temporary file in the folder or its nearest existing parent:
    nothing is created that outlives the check.
    """
    folder = Path(folder)
    existing = next(p for p in [folder, *folder.parents] if p.exists() or p.is_symlink())
    if not existing.is_dir():
        return f"{existing} is a file, not a folder"
    try:
        with tempfile.TemporaryFile(dir=existing):
            pass
    except OSError as e:
        return f"cannot write in {existing} ({e.strerror or e})"
    return None
