"""Command line: ``python -m digitlab fetch | train | evaluate``.

    python -m digitlab fetch                 # put the four MNIST files in data/mnist/
    python -m digitlab train --out m.npz     # train a network with the default recipe
    python -m digitlab evaluate [--model m.npz] [--canvas] [--styles]   # accuracy on the test digits

For set-up and for re-making the shipped model outside a notebook (``make data``, ``make model``).
Every option and every folder a command writes to is checked before any work starts; an error,
or Ctrl-C, ends the command with one plain line and a non-zero exit status.
Not for: the lessons themselves; the notebooks call the same functions directly.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from . import pretrained
from .data import FILES, FetchError, fetch_mnist, load_mnist, mnist_dir
from .network import MLP
from .plumbing.files import cannot_write_in
from .training import evaluate

MAX_SHIFT = 27          # an image is 28 pixels wide
MAX_CANVAS_COPIES = 8   # each copy holds 60,000 more uint8 images in memory (47 MB) and takes about a minute
MAX_STYLE_DIGITS = 600_000  # as many as ten copies of MNIST

# What every option must be, checked before any work: option -> (rule, the rule in words).
# A new option gets its line here.
OPTION_RULES = {
    "epochs": (lambda v: v >= 1, "a whole number of at least 1"),
    "lr": (lambda v: math.isfinite(v) and v > 0, "a positive number, e.g. 0.003"),
    "max_shift": (lambda v: 0 <= v <= MAX_SHIFT, f"a whole number of pixels from 0 to {MAX_SHIFT}"),
    "canvas_copies": (lambda v: 0 <= v <= MAX_CANVAS_COPIES, f"a whole number from 0 to {MAX_CANVAS_COPIES}"),
    "warped_copies": (lambda v: 0 <= v <= MAX_CANVAS_COPIES, f"a whole number from 0 to {MAX_CANVAS_COPIES}"),
    "style_digits": (lambda v: 0 <= v <= MAX_STYLE_DIGITS, f"a whole number from 0 to {MAX_STYLE_DIGITS:,}"),
    "per_style": (lambda v: 1 <= v <= 10_000, "a whole number from 1 to 10,000"),
    "seed": (lambda v: v >= 0, "a whole number of at least 0"),
}


class OptionError(ValueError):
    """An option or a folder that would make a command fail, found before the command starts."""


def check_options(args) -> None:
    """Check every option the command was given against OPTION_RULES, and the places it writes to."""
    for name, (rule, words) in OPTION_RULES.items():
        value = getattr(args, name, None)
        if value is not None and not rule(value):
            raise OptionError(f"--{name.replace('_', '-')} must be {words}, not {value:g}")
    model = getattr(args, "model", None)
    if model is not None and model.is_dir():
        raise OptionError(f"--model {model} is a folder; give a model file, e.g. --model {model / 'my-model.npz'}")
    out = getattr(args, "out", None)
    if out is not None:
        if out.is_dir():
            raise OptionError(f"--out {out} is a folder; give a file name, e.g. --out {out / 'my-model.npz'}")
        problem = cannot_write_in(out.parent)
        if problem:
            raise OptionError(f"cannot save the model as {out}: {problem}")
    if args.command in ("train", "evaluate"):
        check_data_folder(mnist_dir())
    if args.command == "fetch":
        check_data_folder(args.data_dir or mnist_dir())


def check_data_folder(folder: Path) -> None:
    """MNIST must be in ``folder`` already, or the folder must take it."""
    if all((folder / spec.name).is_file() for spec in FILES.values()):
        return
    problem = cannot_write_in(folder)
    if problem:
        raise OptionError(f"MNIST is not in {folder} and cannot be put there: {problem}. Point "
                          "DIGITLAB_DATA (or --data-dir) at a folder you can write to.")


def _fetch(args) -> int:
    folder = fetch_mnist(args.data_dir)
    print(f"MNIST is ready in {folder}")
    return 0


def _train(args) -> int:
    r = pretrained.RECIPE
    print(f"Training {'-'.join(map(str, MLP().sizes))} for {args.epochs} epochs "
          f"(Adam, lr {args.lr:g} with a cosine schedule, shifts up to {args.max_shift} px, "
          f"{args.warped_copies} warped and {args.canvas_copies} canvas-style "
          f"cop{'y' if args.canvas_copies == 1 else 'ies'} of MNIST, "
          f"{args.style_digits:,} digits in other handwriting styles, seed {args.seed})")
    started = time.perf_counter()
    model = pretrained.train_default_model(epochs=args.epochs, lr=args.lr, seed=args.seed,
                                           max_shift=args.max_shift, warped_copies=args.warped_copies,
                                           canvas_copies=args.canvas_copies,
                                           style_digits=args.style_digits, batch_size=r["batch_size"])
    try:
        path = model.save(args.out)
    except OSError as e:  # the folder was writable at the start; keep the model somewhere anyway
        fallback = model.save(Path(tempfile.gettempdir()) / f"digitlab-model-{time.strftime('%Y%m%d-%H%M%S')}.npz")
        raise OSError(f"could not save the model as {args.out} ({e.strerror or e}); "
                      f"it was saved as {fallback} instead") from None
    meta = model.metadata
    print(f"Done in {time.perf_counter() - started:.0f} s ({meta['train_seconds']:.0f} s of it training); "
          f"MNIST test accuracy {meta['test_accuracy']:.2%}. Saved to {path}")
    return 0


def _evaluate(args) -> int:
    model = pretrained.load_pretrained(args.model)
    X, y = load_mnist("test")
    started = time.perf_counter()
    with np.errstate(over="ignore", invalid="ignore"):
        loss, accuracy = evaluate(model, X, y)
    seconds = time.perf_counter() - started
    if not math.isfinite(loss):
        raise ValueError(f"{args.model or pretrained.DEFAULT_MODEL} gives probabilities that are not numbers: "
                         "its weights are too large to compute with (a damaged file?)")
    print(f"Model: {args.model or pretrained.DEFAULT_MODEL}")
    print(f"MNIST test set: {len(y):,} images, accuracy {accuracy:.2%} "
          f"({round(accuracy * len(y)):,} right), mean loss {loss:.4f}, {seconds * 1000:.0f} ms")
    if args.canvas:
        X_c, y_c = pretrained.canvas_style_test_set(progress=False)
        _, canvas_accuracy = evaluate(model, X_c, y_c)
        print(f"Canvas-style test set (the same digits redrawn as pad drawings, seed 0): accuracy "
              f"{canvas_accuracy:.2%}, {100 * (accuracy - canvas_accuracy):+.2f} points below MNIST")
    if args.styles:
        from .drawing.styles import STYLES, make_style_set, score_by_style

        X_s, y_s, style = make_style_set(per_style=args.per_style, progress=False)
        table = score_by_style({"accuracy": model}, X_s, y_s, style)
        style_names = {s.name for s in STYLES}
        style_rows = [row for row in table.rows if row["style"] in style_names]  # not the summary rows
        worst = min(style_rows, key=lambda row: row["accuracy"])
        print(f"Style test set (held-out templates, {args.per_style} digits per style): accuracy "
              f"{table.row('all styles')['accuracy']:.2%}; lowest style {worst['style']!r} {worst['accuracy']:.2%}")
        print(table)
    return 0


def parser() -> argparse.ArgumentParser:
    """The commands and their options."""
    r = pretrained.RECIPE
    parser = argparse.ArgumentParser(prog="python -m digitlab", description="DigitLab command line.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("fetch", help="download and verify the MNIST files")
    p.add_argument("--data-dir", type=Path, default=None, help="folder for the four files (default data/mnist)")
    p.set_defaults(run=_fetch)
    p = sub.add_parser("train", help="train a network with the default recipe and save it")
    p.add_argument("--out", type=Path, default=pretrained.DEFAULT_MODEL.with_name("my-model.npz"),
                   help="where to save the model (default: data/models/my-model.npz)")
    p.add_argument("--epochs", type=int, default=r["epochs"])
    p.add_argument("--lr", type=float, default=r["lr"])
    p.add_argument("--max-shift", type=int, default=r["max_shift"])
    p.add_argument("--warped-copies", type=int, default=r["warped_copies"],
                   help="copies of the training set gently moved, turned and bent (a few seconds each)")
    p.add_argument("--canvas-copies", type=int, default=r["canvas_copies"],
                   help="canvas-style redrawings of the training set to add (each takes about a minute)")
    p.add_argument("--style-digits", type=int, default=r["style_digits"],
                   help="digits to draw in handwriting styles MNIST lacks (about a minute per 25,000)")
    p.add_argument("--seed", type=int, default=r["seed"])
    p.set_defaults(run=_train)
    p = sub.add_parser("evaluate", help="accuracy of a model on the MNIST test set")
    p.add_argument("--model", type=Path, default=None, help="model file (default: the shipped default model)")
    p.add_argument("--canvas", action="store_true",
                   help="also score the test digits redrawn canvas-style (about 20 s)")
    p.add_argument("--styles", action="store_true",
                   help="also score the style test set, style by style (about 30 s)")
    p.add_argument("--per-style", type=int, default=200, help="digits per style in the style test set")
    p.set_defaults(run=_evaluate)
    return parser


def plain(e: Exception) -> str:
    """An error in words: "m.npz: Permission denied" rather than "[Errno 13] Permission denied: 'm.npz'"."""
    if isinstance(e, OSError) and e.strerror and e.filename:
        return f"{e.filename}: {e.strerror}"
    return str(e)


def main(argv=None) -> int:
    """Parse the command line, check it, and run one command; return the exit status."""
    args = parser().parse_args(argv)
    try:
        check_options(args)
        return args.run(args)
    except KeyboardInterrupt:
        print(f"stopped (Ctrl-C){'; nothing was saved' if args.command == 'train' else ''}", file=sys.stderr)
        return 130
    except (FetchError, OSError, ValueError) as e:
        print(f"error: {plain(e)}", file=sys.stderr)
        return 1
    except MemoryError:
        print("error: not enough memory for this; close other programs or notebooks, or ask for less "
              "(fewer --canvas-copies, --warped-copies or --style-digits)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
