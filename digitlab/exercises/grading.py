"""Grading a learner's answer: run it safely, compare it with a reference, say plainly what is wrong.

What this is for: the machinery under every check of the notebooks' exercises. A check calls the
learner's function on small random inputs, compares each answer with a reference implementation
from the library, and ends in one ``Verdict``: right, or what is still wrong, on which example,
with a hint. Whatever the learner wrote (a typo, a missing ``return``, an endless loop, an answer
of the wrong shape) the check prints its verdict and never raises.

- ``exercise``: turns a check into what a notebook calls: it prints the verdict and returns
  nothing; ``check.grade(...)`` returns the Verdict instead (for tests);
- ``call``: runs the learner's function on a copy of the inputs, within a time limit, turning any
  error into a plain sentence;
- ``judge``: call and compare in one, with a hint for each typical mistake the answer matches;
- ``expect_close``, ``expect_equal``, ``as_answer``: compare an answer with the reference;
- ``show``: a small array as a few readable lines.

What it is not: a test framework (DigitLab's own tests are in tests/), or a sandbox: the learner's
code runs in the notebook's own Python, as it would anyway.
"""

from __future__ import annotations

import copy
import functools
import signal
import textwrap
import threading
import traceback
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

RIGHT = "✔ Right"
NOT_YET = "✘ Not yet"
TIME_LIMIT = 10.0          # seconds one call of the learner's function may take
WIDTH = 88                 # verdicts are wrapped to this many characters: no line wraps mid-word
SHOW_WHOLE = 60            # answers with more numbers than this are described, not printed whole
LIBRARY = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Verdict:
    """The outcome of a check: passed or not, and the message in plain words."""

    passed: bool
    message: str

    def __str__(self):
        lines = []
        for line in f"{RIGHT if self.passed else NOT_YET}: {self.message}".splitlines():
            if line.startswith(" ") or len(line) <= WIDTH:   # indented lines hold arrays: keep them
                lines.append(line)
            else:
                lines.extend(textwrap.wrap(line, WIDTH, break_long_words=False, break_on_hyphens=False))
        return "\n".join(lines)


class NotYet(Exception):
    """Ends a check with a 'not yet' verdict; the message says what is wrong."""


def exercise(check):
    """Make ``check`` (which returns a message, or raises NotYet) print its verdict and return None.

    ``check.grade(...)`` gives the Verdict itself. A check that fails for a reason of its own
    still prints a verdict rather than raising in the learner's notebook.
    """

    @functools.wraps(check)
    def grade(*args, **kwargs) -> Verdict:
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return Verdict(True, check(*args, **kwargs))
        except NotYet as wrong:
            return Verdict(False, str(wrong))
        except Exception as e:  # e.g. the learner passed something the check cannot even look at
            return Verdict(False, f"the check could not look at your answer ({type(e).__name__}: {e}). "
                                  "Run the cell that defines your function, then this one again.")

    @functools.wraps(check)
    def run(*args, **kwargs) -> None:
        print(grade(*args, **kwargs))

    run.grade = grade
    return run


# ---- running the learner's code ---------------------------------------------------------------

class TookTooLong(Exception):
    """Raised inside the learner's function when it runs past the time limit."""


def _alarm(signum, frame):
    raise TookTooLong()


def where_it_failed(error: BaseException) -> str:
    """' (at the line `...`)': the last line of the learner's own code in the error's traceback."""
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if LIBRARY not in Path(f.filename).resolve().parents and "numpy" not in f.filename]
    return f" (at the line `{frames[-1].line.strip()}`)" if frames and frames[-1].line else ""


def call(function, *args, name: str = "your function", example: str = "", hint: str = ""):
    """``function(*args)`` on copies of args, within TIME_LIMIT seconds; NotYet in plain words if it fails.

    example: how to name the inputs in a message, e.g. "on the scores [[1, 2]]"; hint: a sentence
    added when the function stops with an error.
    """
    if not callable(function):
        raise NotYet(f"{name} should be a function, but it is {type(function).__name__} {function!r:.60}. "
                     "Run the cell that defines it with `def`, then pass its name without brackets.")
    args = copy.deepcopy(args)     # the learner's function may change its inputs; the reference must not see that
    timed = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    if timed:
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT)
    try:
        return function(*args)
    except TookTooLong:
        raise NotYet(f"{subject(name, example)}\nwas still running after {TIME_LIMIT:.0f} seconds, on a tiny "
                     "example. Is there a loop that never ends?") from None
    except NotYet:
        raise
    except Exception as e:
        raise NotYet(f"{subject(name, example)}\nstopped with an error{where_it_failed(e)}: "
                     f"{type(e).__name__}: {e}" + (f"\nHint: {hint}" if hint else "")) from None
    finally:
        if timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


# ---- comparing answers ---------------------------------------------------------------------------

def show(array, decimals: int = 3) -> str:
    """A small array as indented lines, rounded, the way a learner would write it down."""
    text = np.array2string(np.asarray(array), precision=decimals, suppress_small=True, max_line_width=WIDTH - 4,
                           threshold=200, edgeitems=3, floatmode="maxprec")
    return "\n".join("    " + line for line in text.splitlines())


def subject(what: str, example: str) -> str:
    """'your answer for x = (1, 2)': what is judged, and on which example (which may span lines)."""
    return f"{what} {example.strip()}".strip()


def as_answer(answer, shape=None, what: str = "your answer", example: str = "") -> np.ndarray:
    """The learner's answer as a float array of the given shape, or NotYet saying why it is not one."""
    about = subject(what, example)
    if answer is None:
        raise NotYet(f"{about}\nis None: the function returned nothing. Did you forget the `return` line?")
    try:
        got = np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError):
        raise NotYet(f"{about}\nshould be numbers, but it is {type(answer).__name__} {answer!r:.80}.") from None
    if shape is not None and got.shape != tuple(shape):
        raise NotYet(f"{about}\nhas shape {got.shape}, but it should have shape {tuple(shape)}.")
    if not np.isfinite(got).all():
        raise NotYet(f"{about}\nholds NaN or infinite values:\n{show(got)}")
    return got


def expect_close(answer, expected, what: str = "your answer", example: str = "", hint: str = "",
                 rtol: float = 1e-5, atol: float = 1e-7) -> np.ndarray:
    """NotYet unless the answer equals ``expected`` up to rounding; returns the answer as an array."""
    expected = np.asarray(expected, dtype=np.float64)
    got = as_answer(answer, None, what, example)
    if got.shape != expected.shape:
        raise NotYet(f"{subject(what, example)}\nhas shape {got.shape}, but it should have shape {expected.shape}."
                     + (f"\nHint: {hint}" if hint else ""))
    close = np.isclose(got, expected, rtol=rtol, atol=atol)
    if not close.all():
        if got.size <= SHOW_WHOLE:
            seen = f"came out as\n{show(got)}\nbut it should be\n{show(expected)}"
        else:                                   # a big array: say where it goes wrong, not all of it
            first = tuple(int(i) for i in np.argwhere(~close)[0])
            seen = (f"differs in {np.count_nonzero(~close):,} of its {got.size:,} numbers; the first is at "
                    f"{list(first)}: yours is {got[first]:.4g}, it should be {expected[first]:.4g}.")
        raise NotYet(f"{subject(what, example)}\n{seen}" + (f"\nHint: {hint}" if hint else ""))
    return got


def expect_equal(answer, expected, what: str = "your answer", example: str = "", hint: str = "") -> np.ndarray:
    """NotYet unless the answer equals ``expected`` exactly (whole numbers: labels, counts, indices)."""
    return expect_close(answer, expected, what, example, hint, rtol=0, atol=0)


def first_match(got, candidates, default=""):
    """The hint of the first (wrong answer, hint) pair the learner's answer equals, else default."""
    got = np.asarray(got, dtype=np.float64)
    for wrong, hint in candidates:
        wrong = np.asarray(wrong, dtype=np.float64)
        if wrong.shape == got.shape and np.allclose(got, wrong, rtol=1e-5, atol=1e-7):
            return hint
    return default


def as_answer_or_nan(got):
    """The answer as floats, with NaN standing in for anything that is not numbers (judged later)."""
    try:
        return np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return np.nan


def pair(got, names, example, things=None):
    """The two or three parts of an answer like (dW, db), or NotYet saying how to return them.

    things: how the message names the parts, e.g. "two things, the new weights and the new bias";
    "2 things" when not given.
    """
    if things is None:
        things = f"{len(names)} things"
    if not isinstance(got, (tuple, list)) or len(got) != len(names):
        raise NotYet(f"your function returned {got!r:.60} {example}; it should return {things}: "
                     f"`return {', '.join(names)}`.")
    return got


def judge(function, args, expected, what: str, example: str, mistakes=(), hint: str = "",
          name: str = "your function", exact: bool = False, rtol: float = 1e-5, atol: float = 1e-7) -> np.ndarray:
    """Run the learner's function on args and compare with expected; NotYet with the hint of a known mistake.

    mistakes: (wrong answer, hint) pairs; when the answer equals one of them, that hint is given,
    else ``hint``. exact: whole numbers (labels, counts) must match exactly.
    """
    got = as_answer(call(function, *args, name=name, example=example), None, what, example)
    hint = first_match(got, mistakes, hint)
    if exact:
        return expect_equal(got, expected, what, example, hint)
    return expect_close(got, expected, what, example, hint, rtol=rtol, atol=atol)


def random_generator(seed: int = 0) -> np.random.Generator:
    """The random inputs of a check: the same every time, so a verdict can be repeated."""
    return np.random.default_rng(seed)
