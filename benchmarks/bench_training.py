"""How fast does DigitLab train, next to PyTorch on the same CPU? Run by hand: `make benchmark`.

Prints, from one run on this machine:
  - seconds per training epoch (60,000 MNIST images, batch 128, Adam) for ``digitlab.fit`` called as
    a learner calls it (progress bar and bookkeeping included), and for a plain PyTorch loop over the
    same 784-128-64-10 network when PyTorch is installed (``pip install torch==2.13.0``), with the
    ratio digitlab / PyTorch (goal: <= 0.85; DigitLab's code is textbook first, speed second);
  - the fraction of the machine's float32 matrix-multiply throughput the training loop reaches;
  - the latency of predicting one image.
The two sides take turns, ROUNDS times: a digitlab.fit of two epochs (the second is timed: the
first settles the thread choice), then one PyTorch epoch. Medians of the rounds are compared, so
that a busy moment of the machine hits both sides alike. Compare within one run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

import numpy as np

import digitlab
from digitlab import MLP, fit, load_mnist


def flops_per_epoch(sizes, n, batch_size):
    """Multiply-adds ×2 of one epoch: forward, weight gradients, and input gradients below layer 1."""
    per_image = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    first = sizes[0] * sizes[1]
    return 2 * n * (3 * per_image - first)


def matmul_peak(threads):
    """Best float32 GFLOP/s of a 1024² matrix product with this many BLAS threads."""
    from threadpoolctl import threadpool_limits

    a = np.random.default_rng(0).random((1024, 1024), np.float32)
    b = a.copy()
    with threadpool_limits(threads, user_api="blas"):
        a @ b
        best = min(_timed(lambda: a @ b) for _ in range(10))
    return 2 * 1024 ** 3 / best / 1e9


def _timed(fn):
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def digitlab_epoch(X, y):
    """Seconds of the second epoch of a fresh two-epoch fit, called as a learner calls it."""
    model = MLP(seed=0)
    history = fit(model, X, y, epochs=2, progress=True)
    return history.seconds[-1], model


def torch_epochs(X, y):
    """A function that trains a PyTorch copy of the network for one epoch and returns its seconds."""
    import torch
    from torch import nn

    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    X_t = torch.from_numpy(X.reshape(len(X), -1).astype(np.float32) / 255)
    y_t = torch.from_numpy(y.astype(np.int64))

    def epoch():
        started = time.perf_counter()
        for idx in torch.randperm(len(X_t)).split(128):
            opt.zero_grad()
            loss = loss_fn(net(X_t[idx]), y_t[idx])
            loss.backward()
            opt.step()
        return time.perf_counter() - started

    epoch()                                                         # warm-up
    return epoch, f"torch {torch.__version__}, {torch.get_num_threads()} threads"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="turns each side takes (default 5)")
    args = parser.parse_args()
    X, y = load_mnist("train")   # uint8, as a learner passes it to fit; PyTorch gets floats once
    print(f"DigitLab {digitlab.__version__}, numpy {np.__version__}, {os.cpu_count()} CPUs, "
          f"{len(X):,} images, batch 128, Adam, {args.rounds} rounds\n", flush=True)
    try:
        torch_epoch, torch_name = torch_epochs(X, y)
    except ImportError:
        torch_epoch, torch_name = None, "not installed: pip install torch==2.13.0"
    dl_times, torch_times = [], []
    for _ in range(args.rounds):
        seconds, model = digitlab_epoch(X, y)
        dl_times.append(seconds)
        if torch_epoch is not None:
            torch_times.append(torch_epoch())
    dl_seconds = statistics.median(dl_times)
    print(f"digitlab.fit : {dl_seconds:.3f} s/epoch (median; rounds: {', '.join(f'{t:.2f}' for t in dl_times)})")
    if torch_times:
        torch_seconds = statistics.median(torch_times)
        print(f"PyTorch loop : {torch_seconds:.3f} s/epoch (median; rounds: "
              f"{', '.join(f'{t:.2f}' for t in torch_times)}; {torch_name})")
        print(f"ratio digitlab / PyTorch = {dl_seconds / torch_seconds:.2f}   (goal <= 0.85)")
    else:
        print(f"PyTorch loop : not measured ({torch_name})")

    flops = flops_per_epoch(model.sizes, len(X), 128)
    achieved = flops / dl_seconds / 1e9
    for threads in (1, os.cpu_count()):
        peak = matmul_peak(threads)
        print(f"matmul peak ({threads} BLAS thread{'s' if threads > 1 else ''}): {peak:.1f} GFLOP/s; "
              f"training reaches {achieved:.1f} GFLOP/s = {achieved / peak:.0%} of it")

    one = X[:1] / 255
    model.predict_proba(one)
    times = [_timed(lambda: model.predict_proba(one)) for _ in range(2000)]
    print(f"predict one image: median {statistics.median(times) * 1e6:.0f} µs, "
          f"95th percentile {np.percentile(times, 95) * 1e6:.0f} µs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
