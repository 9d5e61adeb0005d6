"""How much memory does each notebook's kernel need, and how long does Run All take? Run by hand.

Runs every numbered notebook headless (nbclient, as tests/test_notebooks.py does) on a private
data folder (MNIST and the models linked in, no drawings), then reads the kernel's own peak
resident memory (``resource.getrusage(RUSAGE_SELF).ru_maxrss``) in one extra cell at the end.
Prints, per notebook, the seconds Run All took and that peak against the goal of 250 MiB.

    .venv/bin/python benchmarks/bench_notebook_memory.py                  # every notebook
    .venv/bin/python benchmarks/bench_notebook_memory.py 04 05            # some of them
    .venv/bin/python benchmarks/bench_notebook_memory.py --without-solutions
    .venv/bin/python benchmarks/bench_notebook_memory.py --twice 06       # Run All twice, one kernel
    .venv/bin/python benchmarks/bench_notebook_memory.py --cells 03       # seconds and peak per cell

Other work on the machine slows the run (check ``uptime``); the peaks do not depend on it.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
GOAL_MIB = 250
PEAK_CELL = ("import resource as _r\n"
             "print('KERNEL_PEAK_KIB', _r.getrusage(_r.RUSAGE_SELF).ru_maxrss)")


def private_data_folder() -> Path:
    """A temporary data folder with MNIST and the models linked in and no drawings."""
    from digitlab.data import data_root, fetch_mnist

    fetch_mnist(progress=False)
    folder = Path(tempfile.mkdtemp(prefix="digitlab-bench-"))
    for name in ("mnist", "models"):
        (folder / name).symlink_to(data_root() / name)
    return folder


def run(path: Path, with_solutions: bool, twice: bool, cells: bool = False) -> tuple[float, float]:
    """(seconds, kernel peak in MiB) of one headless Run All of the notebook at ``path``.

    With ``cells``, also print every code cell's seconds and the kernel's peak after it.
    """
    nb = nbformat.read(path, as_version=4)
    if not with_solutions:
        nb.cells = [c for c in nb.cells if "solution" not in c.metadata.get("tags", [])]
    if twice:
        nb.cells = nb.cells + [nbformat.v4.new_code_cell(c.source) if c.cell_type == "code" else c
                               for c in nb.cells]
    if cells:
        nb.cells = [part for c in nb.cells for part in
                    ([c, nbformat.v4.new_code_cell(PEAK_CELL)] if c.cell_type == "code" else [c])]
    else:
        nb.cells.append(nbformat.v4.new_code_cell(PEAK_CELL))
    with tempfile.TemporaryDirectory() as work:
        started = time.perf_counter()
        NotebookClient(nb, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": work}}).execute()
        seconds = time.perf_counter() - started
    if cells:
        code = [c for c in nb.cells if c.cell_type == "code"]
        for i, (cell, probe) in enumerate(zip(code[::2], code[1::2])):
            timing = cell.metadata.get("execution", {})
            took = (parse_time(timing["shell.execute_reply"]) - parse_time(timing["iopub.execute_input"])
                    if "shell.execute_reply" in timing and "iopub.execute_input" in timing else float("nan"))
            first = cell.source.strip().splitlines()[0][:60] if cell.source.strip() else ""
            print(f"    cell {i:2d} {took:6.1f} s {peak_mib(probe):6.0f} MiB  {first}")
    return seconds, peak_mib([c for c in nb.cells if c.cell_type == "code"][-1])


def parse_time(stamp: str) -> float:
    """Seconds since the epoch of one of nbclient's ISO timestamps."""
    from datetime import datetime

    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def peak_mib(cell) -> float:
    """The kernel peak printed by a PEAK_CELL, in MiB."""
    text = "".join(o.get("text", "") for o in cell.outputs)
    return int(text.split("KERNEL_PEAK_KIB")[1].split()[0]) / 1024


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="numbers or names of notebooks (default: all)")
    parser.add_argument("--without-solutions", action="store_true",
                        help="delete the cells tagged 'solution' first, as a learner who skips them")
    parser.add_argument("--twice", action="store_true", help="Run All twice in the same kernel")
    parser.add_argument("--cells", action="store_true", help="print each code cell's seconds and the peak after it")
    args = parser.parse_args(argv)
    paths = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if args.notebooks:
        paths = [p for p in paths if any(p.name.startswith(n) for n in args.notebooks)]
    os.environ["DIGITLAB_DATA"] = str(private_data_folder())
    os.environ["MPLBACKEND"] = "Agg"
    load = os.getloadavg()[0]
    how = ("without" if args.without_solutions else "with") + " solutions" + (", Run All twice" if args.twice else "")
    print(f"Run All headless, {how}; load average {load:.1f} on {os.cpu_count()} cores at the start")
    print(f"{'notebook':32s} {'seconds':>8s} {'kernel peak':>12s}   goal {GOAL_MIB} MiB")
    over = 0
    for path in paths:
        seconds, mib = run(path, not args.without_solutions, args.twice, args.cells)
        ok = mib <= GOAL_MIB
        over += not ok
        print(f"{path.stem:32s} {seconds:8.1f} {mib:8.0f} MiB   {'ok' if ok else 'OVER'}", flush=True)
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
