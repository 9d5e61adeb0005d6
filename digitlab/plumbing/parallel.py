"""Share independent chunks of work among the machine's cores, in worker processes.

What this is for: the default model's training data (well over a hundred thousand digits, each
drawn and converted in Python) takes minutes on one core. The chunks do not depend on each
other, so every core can take some. Each chunk brings its own random generator, so the result
is the same however many cores there are. What it is not: part of the maths; with one core (or
``workers=1``) the chunks simply run one after another in this process.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from threadpoolctl import threadpool_limits


def cores() -> int:
    """How many cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _one_thread(fn, args):
    """fn(*args) with numpy's BLAS on one thread: the cores are shared out by chunks instead."""
    with threadpool_limits(limits=1, user_api="blas"):
        return fn(*args)


def map_chunks(fn, chunks, workers=None, bar=None, sizes=None) -> list:
    """[fn(*args) for args in chunks], in order, on up to ``workers`` processes (default: every core).

    fn must be a module-level function (worker processes import it by name). ``bar``, if given,
    is advanced as each result comes back: by the chunk's entry in ``sizes``, or by 1.
    """
    chunks = list(chunks)
    sizes = list(sizes) if sizes is not None else [1] * len(chunks)
    workers = min(workers or cores(), len(chunks))
    results = []
    if workers <= 1:
        for args, size in zip(chunks, sizes):
            results.append(fn(*args))
            if bar is not None:
                bar.update(size)
        return results
    # "spawn" starts clean interpreters: safe whatever threads this process (a notebook kernel) runs.
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        for result, size in zip(pool.map(_one_thread, [fn] * len(chunks), chunks), sizes):
            results.append(result)
            if bar is not None:
                bar.update(size)
    return results
