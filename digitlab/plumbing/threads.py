"""How many CPU cores the matrix products use while training: measured, not guessed.

What this is for: a practical detail of speed, not part of the maths. numpy hands matrix
products to a BLAS library (OpenBLAS), which can split each product over several threads. For
the 784-128-64-10 network at batch 128 on an idle two-core machine, two threads train about
1.4× faster than one. But OpenBLAS threads wait for each other by spinning, so when the machine
is busy (a second training, a browser drawing, anything else) they get in each other's way:
measured here, two trainings side by side took 24 s per epoch each with two threads, against
0.4 s with one. So ``fit`` does not fix the number. ``BlasThreads`` starts with one thread,
times a few batches, then a few with all cores, and keeps all cores only if they are clearly
faster. Batches much slower than expected send it back to one thread at once; it measures
again later, less and less often while all cores keep losing.
What it is not: a general tuner; it only chooses between "one core" and "all cores".
"""

from __future__ import annotations

import os
import statistics

from threadpoolctl import threadpool_info, threadpool_limits

PROBE_BATCHES = 6     # batches timed per choice, after WARM_UP batches that are not counted
WARM_UP = 2
RECHECK_EVERY = 1000  # batches before measuring again; doubles each time all cores lose
CLEARLY_FASTER = 0.8  # all cores are kept only if a batch takes less than 0.8× as long as on one
SLOW_FACTOR = 3       # two batches in a row this many times slower than expected: the machine got busy


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
        self.all_cores = blas_max_threads()
        self.current = threads or 1
        self.log: list[tuple[int, float, float]] = []  # (chosen, s/batch on one, s/batch on all)
        self._limits = None
        self._times: list[float] = []
        self._one = None              # median seconds per batch on one thread, from the last measurement
        self._expected = None         # median seconds per batch with the current choice
        self._wait = 0                # batches until the next measurement
        self._interval = RECHECK_EVERY
        self._last_slow = False

    @property
    def _tuning(self) -> bool:
        return self.fixed is None and self.all_cores > 1

    def __enter__(self):
        self._limits = threadpool_limits(limits=self.current, user_api="blas")
        return self

    def __exit__(self, *exc):
        self._limits.restore_original_limits()
        return False

    def _use(self, n: int) -> None:
        if n != self.current:
            threadpool_limits(limits=n, user_api="blas")
            self.current = n
        self._times = []

    def _decide(self, all_cores_time: float) -> None:
        if all_cores_time < CLEARLY_FASTER * self._one:
            self._use(self.all_cores)
            self._expected, self._interval = all_cores_time, RECHECK_EVERY
        else:
            self._use(1)
            self._expected, self._interval = self._one, min(2 * self._interval, 64 * RECHECK_EVERY)
        self.log.append((self.current, self._one, all_cores_time))
        self._wait = self._interval

    def batch_done(self, seconds: float) -> None:
        """Record how long the last batch took; change the thread count when measurements say so."""
        if not self._tuning:
            return
        self._times.append(seconds)
        timed = self._times[WARM_UP:]                # the first batches after a change warm up
        if self._expected is None:                   # measuring: first on one thread, then on all
            if self.current == 1 and len(timed) == PROBE_BATCHES:
                self._one = statistics.median(timed)
                self._use(self.all_cores)
            elif self.current > 1 and seconds > SLOW_FACTOR * self._one:
                self._decide(seconds)                # all cores are crawling: stop measuring now
            elif self.current > 1 and len(timed) == PROBE_BATCHES:
                self._decide(statistics.median(timed))
            return
        self._wait -= 1
        slow = self.current > 1 and seconds > SLOW_FACTOR * self._expected
        if slow and self._last_slow:
            self._use(1)                             # the machine got busy: back to one thread now
            self._expected, self._wait = self._one, self._interval
        elif self._wait <= 0:
            self._expected = None                    # time to measure again
            self._use(1)
        self._last_slow = slow
