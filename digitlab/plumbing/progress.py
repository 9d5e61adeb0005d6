"""Progress bars for long work (training, redrawing thousands of digits), or none when not wanted.

What this is for: one place that decides how progress is shown (tqdm, which draws a bar in a
notebook and a line in a terminal), so the code doing the work says only ``bar.update(1)``.
"""

from __future__ import annotations


class NoBar:
    """Stands in for a progress bar when none is wanted: every call does nothing."""

    def update(self, n=1):
        pass

    def set_postfix(self, *args, **kwargs):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def progress_bar(total: int, show: bool = True, **options):
    """A tqdm bar counting to ``total`` (used as a context manager), or a NoBar when show is False."""
    if not show:
        return NoBar()
    from tqdm.auto import tqdm

    return tqdm(total=total, mininterval=0.25, **options)


def with_progress(iterable, show: bool, description: str):
    """Iterate with a progress bar when show is true."""
    if not show:
        return iterable
    from tqdm.auto import tqdm

    return tqdm(iterable, desc=description)
