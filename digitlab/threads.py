"""How many CPU cores the matrix products use while training: measured, not guessed.

What this is for: a practical detail of speed, not part of the maths. numpy hands matrix
products to a BLAS library (OpenBLAS), which can split each product over several threads. For
the 784-128-64-10 network at batch 128 on an idle two-core machine, two threads train about
1.5× faster than one. But OpenBLAS threads wait for each other by spinning, so on a busy
machine (a second training, a browser drawing, anything else) they get in each other's way:
measured here, two trainings side by side took 24 s per epoch each with two threads and 0.4 s
with one. So ``fit`` doesn't fix the number: ``BlasThreads`` times a few batches with all
cores and a few with one, keeps the faster, and measures again every few hundred batches or
as soon as a batch is much slower than it should be.
What it is not: a general tuner; it only chooses between "all cores" and "one".
"""

from __future__ import annotations

import os
import statistics

from threadpoolctl import threadpool_info, threadpool_limits

PROBE_BATCHES = 6      # batches timed per candidate (the first of each is a warm-up and not counted)
RECHECK_EVERY = 300    # batches between two measurements
SLOW_FACTOR = 4        # a batch this many times slower than expected triggers a new measurement


def blas_max_threads() -> int:
    """The number of threads numpy's BLAS would use on its own."""
    counts = [lib["num_threads"] for lib in threadpool_info() if lib.get("user_api") == "blas"]
    return max(counts, default=os.cpu_count() or 1)


class BlasThreads:
    """Context manager for a training loop: call ``batch_done(seconds)`` after every batch.

    ``threads=None`` chooses by measuring; a number fixes it (1 = one core).
    """

    def __init__(self, threads: int | None = None):
        self.fixed = threads
        self.candidates = [n for n in dict.fromkeys([blas_max_threads(), 1])]
        self.current = threads or self.candidates[0]
        self.log: list[tuple[int, float]] = []   # (threads, median seconds per batch) of each measurement
        self._limits = None
        self._probe: list[int] = []               # candidates still to time
        self._times: list[float] = []
        self._results: dict[int, float] = {}
        self._since_check = 0
        self._expected = None

    def __enter__(self):
        self._limits = threadpool_limits(limits=self.current, user_api="blas")
        if self.fixed is None and len(self.candidates) > 1:
            self._start_probe()
        return self

    def __exit__(self, *exc):
        self._limits.restore_original_limits()
        return False

    def _use(self, n: int) -> None:
        if n != self.current:
            threadpool_limits(limits=n, user_api="blas")
            self.current = n

    def _start_probe(self) -> None:
        self._probe, self._results = list(self.candidates), {}
        self._times = []
        self._use(self._probe[0])

    def batch_done(self, seconds: float) -> None:
        """Record how long the last batch took; switch thread count when measurements say so."""
        if self.fixed is not None or len(self.candidates) == 1:
            return
        if self._probe:
            self._times.append(seconds)
            if len(self._times) > PROBE_BATCHES:
                self._results[self.current] = statistics.median(self._times[1:])
                self._probe.pop(0)
                self._times = []
                if self._probe:
                    self._use(self._probe[0])
                else:
                    best = min(self._results, key=self._results.get)
                    self._expected = self._results[best]
                    self.log.append((best, self._expected))
                    self._use(best)
                    self._since_check = 0
            return
        self._since_check += 1
        if self._since_check >= RECHECK_EVERY or seconds > SLOW_FACTOR * self._expected:
            self._start_probe()
