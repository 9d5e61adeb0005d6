"""Keep memory that numpy frees for the next step, instead of handing it back to the system.

What this is for: speed, not the maths. The textbook lines of a training step (``Z = A @ W + b``,
``m_hat = m / (1 - beta1 ** t)``, ...) each make a new array of a few hundred kilobytes and drop
it a moment later. By default the C library (glibc) takes arrays that large straight from the
operating system and gives them straight back, so every step pays for fresh, zero-filled pages:
measured here, that made an Adam step on the 109,386 parameters about four times slower. Raising
glibc's thresholds lets freed arrays be reused within the process. ``fit`` calls
``reuse_freed_memory()`` once; elsewhere (macOS, Windows, musl) it does nothing.
What it is not: a memory limit or a leak. The thresholds, once raised, stay for the life of the
process (a notebook's kernel, until it restarts), so at most ``KEEP`` bytes of free memory stay
with the process, during training and after it; ``give_back_freed_memory()`` (which ``fit`` calls
when it ends) hands back what training left, so that the kernel does not hold it between trainings.
"""

from __future__ import annotations

import ctypes
import ctypes.util

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3   # mallopt's parameter numbers, from glibc's malloc.h
FROM_SYSTEM = 16 << 20   # arrays up to 16 MiB come from the process's own heap...
KEEP = 64 << 20          # ...and up to 64 MiB of freed heap stays with the process

_done = False


def _libc():
    """The C library, or None where there is none to load."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None


def reuse_freed_memory() -> bool:
    """Ask glibc to reuse freed arrays (once per process); True if it agreed."""
    global _done
    if _done:
        return True
    mallopt = getattr(_libc(), "mallopt", None)
    if mallopt is None:
        return False
    _done = bool(mallopt(M_MMAP_THRESHOLD, FROM_SYSTEM)) and bool(mallopt(M_TRIM_THRESHOLD, KEEP))
    return _done


def give_back_freed_memory() -> bool:
    """Hand the freed memory the process still keeps back to the system (glibc's malloc_trim); True if any was."""
    trim = getattr(_libc(), "malloc_trim", None)
    return bool(trim(0)) if trim is not None else False
