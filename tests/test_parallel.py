"""Sharing chunks of work among processes (digitlab.plumbing.parallel) changes nothing but the time."""

import numpy as np

from digitlab.plumbing.parallel import cores, map_chunks
from digitlab.pretrained import drawn_digits


class Bar:
    """Counts what a progress bar would show."""

    def __init__(self):
        self.n = 0

    def update(self, n=1):
        self.n += n


def test_chunks_drawn_in_two_processes_equal_the_chunks_drawn_here_in_order():
    seeds = np.random.SeedSequence(7).spawn(3)
    chunks = [("styles", 4, seeds[0]), ("styles", 3, seeds[1]), ("styles", 5, seeds[2])]
    bar = Bar()
    shared = map_chunks(drawn_digits, chunks, workers=2, bar=bar, sizes=[4, 3, 5])
    here = [drawn_digits(*chunk) for chunk in chunks]
    assert bar.n == 12 and cores() >= 1
    for (X1, y1), (X2, y2) in zip(shared, here):
        assert X1.dtype == np.uint8 and len(X1) == len(y1)
        np.testing.assert_array_equal(X1, X2)
        np.testing.assert_array_equal(y1, y2)
