"""Command line: ``python -m digitlab fetch | train | evaluate``.

    python -m digitlab fetch                 # put the four MNIST files in data/mnist/
    python -m digitlab train --out m.npz     # train a network with the default recipe
    python -m digitlab evaluate [--model m.npz] [--canvas]   # accuracy on the 10,000 test digits

For set-up and for re-making the shipped model outside a notebook (``make data``, ``make model``).
Not for: the lessons themselves; the notebooks call the same functions directly.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import pretrained
from .data import FetchError, fetch_mnist, load_mnist
from .network import MLP
from .training import evaluate


def _fetch(args) -> int:
    folder = fetch_mnist(args.data_dir)
    print(f"MNIST is ready in {folder}")
    return 0


def _train(args) -> int:
    r = pretrained.RECIPE
    print(f"Training {'-'.join(map(str, MLP().sizes))} for {args.epochs} epochs "
          f"(Adam, lr {args.lr:g} with a cosine schedule, shifts up to {args.max_shift} px, "
          f"{args.canvas_copies} canvas-style cop{'y' if args.canvas_copies == 1 else 'ies'}, seed {args.seed})")
    started = time.perf_counter()
    model = pretrained.train_default_model(epochs=args.epochs, lr=args.lr, seed=args.seed,
                                           max_shift=args.max_shift, canvas_copies=args.canvas_copies,
                                           batch_size=r["batch_size"])
    path = model.save(args.out)
    meta = model.metadata
    print(f"Done in {time.perf_counter() - started:.0f} s ({meta['train_seconds']:.0f} s of it training); "
          f"MNIST test accuracy {meta['test_accuracy']:.2%}. Saved to {path}")
    return 0


def _evaluate(args) -> int:
    model = pretrained.load_pretrained(args.model)
    X, y = load_mnist("test")
    started = time.perf_counter()
    loss, accuracy = evaluate(model, X, y)
    seconds = time.perf_counter() - started
    print(f"Model: {args.model or pretrained.DEFAULT_MODEL}")
    print(f"MNIST test set: {len(y):,} images, accuracy {accuracy:.2%} "
          f"({round(accuracy * len(y)):,} right), mean loss {loss:.4f}, {seconds * 1000:.0f} ms")
    if args.canvas:
        X_c, y_c = pretrained.canvas_style_test_set(progress=False)
        _, canvas_accuracy = evaluate(model, X_c, y_c)
        print(f"Canvas-style test set (the same digits redrawn as pad drawings, seed 0): accuracy "
              f"{canvas_accuracy:.2%}, {100 * (accuracy - canvas_accuracy):+.2f} points below MNIST")
    return 0


def main(argv=None) -> int:
    """Parse the command line and run one command; return the exit status."""
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
    p.add_argument("--canvas-copies", type=int, default=r["canvas_copies"],
                   help="canvas-style redrawings of the training set to add (each takes about a minute)")
    p.add_argument("--seed", type=int, default=r["seed"])
    p.set_defaults(run=_train)
    p = sub.add_parser("evaluate", help="accuracy of a model on the MNIST test set")
    p.add_argument("--model", type=Path, default=None, help="model file (default: the shipped default model)")
    p.add_argument("--canvas", action="store_true",
                   help="also score the test digits redrawn canvas-style (about 20 s)")
    p.set_defaults(run=_evaluate)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except (FetchError, FileNotFoundError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
