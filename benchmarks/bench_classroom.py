"""How much memory and CPU does one student take on `make classroom`'s hub? Run by hand.

Starts the class hub on 127.0.0.1 (classroom/jupyterhub_config.py, as tests/browser/test_classroom.py
does), logs STUDENTS students in at once through the login page in Chromium, and for each:
opens the drawing notebook, runs it all, and draws DRAWINGS digits with the mouse, waiting for
each reading. It prints, per student, the memory of their JupyterLab server and kernel
(PSS: shared pages divided among the processes that share them, so the figures add up) and the
CPU seconds they used from logging in to the end of Run All, and per drawing; then students per
GiB and per core. Other work on the machine slows the CPU figures down: note `uptime` with them.

    .venv/bin/python benchmarks/bench_classroom.py [students] [drawings]
"""

import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.browser.harness import LabPage, descendants  # noqa: E402
from tests.browser.hub import ClassHub  # noqa: E402

STUDENTS = int(sys.argv[1]) if len(sys.argv) > 1 else 4
DRAWINGS = int(sys.argv[2]) if len(sys.argv) > 2 else 10
NOTEBOOK = sorted(p.name for p in (REPO / "notebooks").glob("[0-9][0-9]_*draw*.ipynb"))[0]
SEVEN = [(0.27, 0.2), (0.73, 0.2), (0.42, 0.85)]
ACTIVE_DRAWINGS_PER_MINUTE = 12  # a student busy drawing: one digit every five seconds
TICK = 100  # clock ticks per second of /proc/<pid>/stat (Linux's USER_HZ)


def pss_mib(pid):
    """Proportional set size of a process, MiB (its share of every page it uses)."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid):
    """CPU seconds a process and its waited-for children used so far (user + system)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(v) for v in fields[11:15]) / TICK


def student_processes(hub):
    """{student: [server pid, its kernels' pids...]}."""
    return {name: [pid, *descendants(pid)] for name, pid in hub.servers().items()}


def usage(hub):
    """{student: (PSS MiB, CPU seconds)} over each student's server and kernels."""
    out = {}
    for name, pids in student_processes(hub).items():
        out[name] = (sum(pss_mib(p) for p in pids), sum(cpu_seconds(p) for p in pids))
    return out


def main():
    names = [f"s{i:02d}" for i in range(STUDENTS)]
    hub = ClassHub().start()
    hub_pids = [hub.proc.pid, *descendants(hub.proc.pid)]  # before any student logs in: the hub's own
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            contexts = {n: browser.new_context(viewport={"width": 1280, "height": 1000}) for n in names}
            for context in contexts.values():
                context.set_default_timeout(120_000)
            started = time.monotonic()
            pages = {n: hub.login(contexts[n], n) for n in names}
            for n, page in pages.items():
                page.wait_for_url(f"**/user/{n}/lab**", timeout=180_000)
            logged_in = time.monotonic() - started
            servers_only = usage(hub)
            labs = {n: LabPage(hub.student_server(n), pages[n]) for n in names}
            for n, lab in labs.items():
                lab.open(NOTEBOOK, timeout=120)
                lab.run_all(timeout=240)
            after_run = usage(hub)
            for _ in range(DRAWINGS):
                for lab in labs.values():
                    lab.page.get_by_role("button", name="Clear").first.click()
                    lab.page.locator(".dl-pad-guess .dl-guess-empty").first.wait_for()
                    lab.draw_stroke(lab.page.locator("canvas.dl-pad").first, SEVEN)
                    lab.page.locator(".dl-pad-guess .dl-guess[data-label]").first.wait_for()
            after_drawing = usage(hub)
            browser.close()
        hub_mib = sum(pss_mib(p) for p in hub_pids if Path(f"/proc/{p}").exists())
    finally:
        hub.stop()

    print(f"{STUDENTS} students logged in at once: all servers ready in {logged_in:.1f} s")
    print(f"{'student':8s} {'server MiB':>10s} {'+ kernel MiB':>12s} {'log in + Run All CPU s':>22s} "
          f"{'per drawing CPU ms':>18s}")
    mems, starts, draws = [], [], []
    for n in names:
        m0, _ = servers_only[n]
        _, c1 = after_run[n]
        m2, c2 = after_drawing[n]
        mems.append(m2)
        starts.append(c1)
        draws.append(1000 * (c2 - c1) / DRAWINGS)
        print(f"{n:8s} {m0:10.0f} {m2:12.0f} {c1:22.1f} {draws[-1]:18.0f}")
    per_student = statistics.median(mems)
    per_drawing = statistics.median(draws) / 1000
    busy = per_drawing * ACTIVE_DRAWINGS_PER_MINUTE / 60  # share of a core while drawing
    print(f"hub, proxy and idle culler: {hub_mib:.0f} MiB in all")
    print(f"per student (median): {per_student:.0f} MiB with the drawing notebook running -> "
          f"{1024 / per_student:.1f} students per GiB")
    print(f"per student (median): {statistics.median(starts):.1f} CPU s to log in and Run All, "
          f"{1000 * per_drawing:.0f} CPU ms per drawing -> "
          f"drawing a digit every {60 / ACTIVE_DRAWINGS_PER_MINUTE:.0f} s, {1 / busy:.0f} students per core")


if __name__ == "__main__":
    main()
