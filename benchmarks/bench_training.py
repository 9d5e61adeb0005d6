"""How fast does DigitLab train, next to PyTorch on the same CPU? Run by hand: `make benchmark`.

Prints, from one run on this machine:
  - seconds per training epoch (60,000 MNIST images, batch 128, Adam) for ``digitlab.fit`` called as
    a learner calls it (progress bar and bookkeeping included), and for a plain PyTorch loop over the
    same 784-128-64-10 network when PyTorch is installed (``pip install torch==2.13.0``), with the
    ratio digitlab / PyTorch (goal: <= 0.75);
  - the fraction of the machine's float32 matrix-multiply throughput the training loop reaches;
  - the latency of predicting one image.
Each side gets one warm-up epoch, then EPOCHS timed epochs. Numbers vary with the machine and
with whatever else it is doing; compare within one run.
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


def bench_digitlab(X, y, epochs):
    model = MLP(seed=0)
    fit(model, X, y, epochs=1, progress=False)                     # warm-up
    seconds = _timed(lambda: fit(model, X, y, epochs=epochs, progress=True)) / epochs
    return seconds, model


def bench_torch(X, y, epochs):
    import torch
    from torch import nn

    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    X_t = torch.from_numpy(X.reshape(len(X), -1).astype(np.float32) / 255)
    y_t = torch.from_numpy(y.astype(np.int64))

    def epoch():
        for idx in torch.randperm(len(X_t)).split(128):
            opt.zero_grad()
            loss = loss_fn(net(X_t[idx]), y_t[idx])
            loss.backward()
            opt.step()

    epoch()                                                         # warm-up
    seconds = _timed(lambda: [epoch() for _ in range(epochs)]) / epochs
    return seconds, torch.__version__, torch.get_num_threads()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3, help="timed epochs per side (default 3)")
    args = parser.parse_args()
    X, y = load_mnist("train")   # uint8, as a learner passes it to fit; PyTorch gets floats once
    print(f"DigitLab {digitlab.__version__}, numpy {np.__version__}, {os.cpu_count()} CPUs, "
          f"{len(X):,} images, batch 128, Adam, {args.epochs} timed epochs each\n", flush=True)

    dl_seconds, model = bench_digitlab(X, y, args.epochs)
    print(f"digitlab.fit : {dl_seconds:.3f} s/epoch", flush=True)
    try:
        torch_seconds, version, threads = bench_torch(X, y, args.epochs)
        print(f"PyTorch loop : {torch_seconds:.3f} s/epoch (torch {version}, {threads} threads)")
        print(f"ratio digitlab / PyTorch = {dl_seconds / torch_seconds:.2f}   (goal <= 0.75)")
    except ImportError:
        print("PyTorch loop : not measured (PyTorch not installed: pip install torch==2.13.0)")

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
