"""Drive a real JupyterLab from tests: start a private server, open notebooks, run cells, draw.

For the browser tests in this folder only; not a general Jupyter client.
The fixtures in conftest.py build on the two classes here:
``JupyterServer`` (a throw-away ``jupyter lab`` process) and ``LabPage`` (a Playwright page
showing one notebook, with helpers to wait for the kernel, run all cells, execute code in the
kernel, draw strokes with the mouse and reload).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

# Pages opened through LabPage, so a failing test can screenshot them (see conftest.py).
OPEN_PAGES: list = []

LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false"},
    # windowingMode "none" keeps every cell in the DOM, so widgets below the fold render too.
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {
        "autoStartDefaultKernel": True,
        "windowingMode": "none",
    },
}


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class JupyterServer:
    """A private ``jupyter lab`` on 127.0.0.1 serving a temporary copy of notebooks/."""

    def __init__(self, notebooks: Path = REPO / "notebooks"):
        self.tmp = Path(tempfile.mkdtemp(prefix="digitlab-lab-"))
        self.root_dir = self.tmp / "notebooks"
        if notebooks.is_dir():
            shutil.copytree(notebooks, self.root_dir,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        else:
            self.root_dir.mkdir()
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.tmp / "server.log"
        self.proc: subprocess.Popen | None = None

    @property
    def data_dir(self) -> Path:
        """The kernels' data folder: MNIST and the models linked in from the real one, no drawings."""
        from digitlab.data import data_root

        folder = self.tmp / "data"
        if not folder.exists():
            folder.mkdir()
            for name in ("mnist", "models"):
                (folder / name).symlink_to(data_root() / name)
        return folder

    # -- lifecycle -------------------------------------------------------------------------
    def start(self, timeout: float = 60.0) -> "JupyterServer":
        env = dict(os.environ)
        for name in ("config", "runtime", "settings", "workspaces", "ipython"):
            (self.tmp / name).mkdir()
        env.update(
            JUPYTER_CONFIG_DIR=str(self.tmp / "config"),
            JUPYTER_RUNTIME_DIR=str(self.tmp / "runtime"),
            JUPYTERLAB_SETTINGS_DIR=str(self.tmp / "settings"),
            JUPYTERLAB_WORKSPACES_DIR=str(self.tmp / "workspaces"),
            IPYTHONDIR=str(self.tmp / "ipython"),
            # The kernel imports digitlab from this checkout even if it is not installed.
            PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])),
            # ...and reads MNIST and the models from a private data folder, so that nothing a
            # test draws or saves lands in the reader's own data/custom.
            DIGITLAB_DATA=str(self.data_dir),
        )
        for rel, value in LAB_SETTINGS.items():
            path = self.tmp / "settings" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(value))
        cmd = [
            sys.executable, "-m", "jupyterlab", "--no-browser",
            f"--port={self.port}", "--ServerApp.ip=127.0.0.1", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}", "--allow-root",
            "--LabApp.expose_app_in_browser=True", f"--ServerApp.root_dir={self.root_dir}",
            "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(cmd, env=env, cwd=self.root_dir, stdout=self._log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyter lab exited early:\n{self.log_tail()}")
            try:
                self.api("GET", "/api/status")
                return self
            except (OSError, urllib.error.URLError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"jupyter lab did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                self.api("POST", "/api/shutdown")
                self.proc.wait(timeout=10)
            except (OSError, urllib.error.URLError, subprocess.TimeoutExpired):
                pass
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.proc.pid, sig)  # kernels too: they share the process group
            except ProcessLookupError:
                break
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                continue
        self.proc = None
        self._log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def log_tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    # -- REST ------------------------------------------------------------------------------
    def api(self, method: str, path: str, body=None, timeout: float = 10.0):
        """Call the server's REST API and return the decoded JSON answer (or None)."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header("Authorization", f"token {self.token}")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read()
        return json.loads(raw) if raw else None

    def delete_sessions(self) -> None:
        """Shut down every kernel session, so the next page starts a fresh kernel."""
        for session in self.api("GET", "/api/sessions") or []:
            try:
                self.api("DELETE", f"/api/sessions/{session['id']}")
            except urllib.error.HTTPError:
                pass

    def write_notebook(self, name: str, cells: list[str]) -> str:
        """Write a notebook of code cells (markdown if a cell starts with '# md') into root_dir."""
        import nbformat

        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                     "language": "python"}
        for src in cells:
            if src.startswith("# md\n"):
                nb.cells.append(nbformat.v4.new_markdown_cell(src[5:]))
            else:
                nb.cells.append(nbformat.v4.new_code_cell(src))
        path = self.root_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, path)
        return name


# JavaScript run in the page. `jupyterapp` exists because of --LabApp.expose_app_in_browser.
# Every snippet takes the notebook's path and finds its panel among the open documents.
_JS_PANEL = """const panelOf = (path) => {
  const app = window.jupyterapp;
  if (!app || !app.shell) return null;
  for (const w of app.shell.widgets('main')) {
    if (w.context && w.context.path === path && w.content && w.content.widgets) return w;
  }
  return null;
};
"""

_JS_KERNEL_STATE = _JS_PANEL + """(path) => {
  const w = panelOf(path);
  const ctx = w && w.sessionContext;
  const k = ctx && ctx.session && ctx.session.kernel;
  if (!ctx || !k) return 'no kernel';
  return [ctx.isReady, k.connectionStatus, k.status].join(' ');
}"""

_JS_RUN_STATE = _JS_PANEL + """(path) => {
  const panel = panelOf(path), nb = panel.content;
  const out = {pending: 0, errors: []};
  nb.widgets.forEach((cell, i) => {
    if (cell.model.type !== 'code') return;
    // The model's count is set when the cell's reply arrives; a cell whose source is hidden
    // (a collapsed solution) shows no prompt to read it from.
    const count = cell.model.executionCount;
    if (count === null || count === undefined) out.pending += 1;
    for (const o of cell.model.outputs.toJSON()) {
      if (o.output_type === 'error') {
        out.errors.push({cell: i, source: cell.model.sharedModel.getSource(),
                         ename: o.ename, evalue: o.evalue, traceback: (o.traceback || []).join('\\n')});
      }
    }
  });
  const k = panel.sessionContext.session.kernel;
  out.status = k ? k.status : 'none';
  return out;
}"""

_JS_EXECUTE = _JS_PANEL + """async ([path, code]) => {
  const k = panelOf(path).sessionContext.session.kernel;
  const future = k.requestExecute({code, silent: false, store_history: false,
                                   stop_on_error: true});
  const out = {text: '', error: null};
  future.onIOPub = (msg) => {
    const t = msg.header.msg_type, c = msg.content;
    if (t === 'stream') out.text += c.text;
    else if ((t === 'execute_result' || t === 'display_data') && c.data['text/plain'])
      out.text += c.data['text/plain'] + '\\n';
    else if (t === 'error') out.error = c.ename + ': ' + c.evalue + '\\n' + c.traceback.join('\\n');
  };
  await future.done;
  return out;
}"""


def _strip_ansi(text: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", text)


class LabPage:
    """A Playwright page showing one notebook in the private JupyterLab."""

    def __init__(self, server: JupyterServer, page):
        self.server = server
        self.page = page
        self.notebook: str | None = None
        self.workspace = "t" + secrets.token_hex(4)
        OPEN_PAGES.append(page)

    def open(self, notebook: str, timeout: float = 60.0) -> "LabPage":
        """Open ``notebook`` (path relative to root_dir) and wait for its kernel to be idle."""
        self.notebook = notebook
        # A workspace of its own per page: a reload restores this page's tabs, not another's.
        self.page.goto(f"{self.server.url}/lab/workspaces/{self.workspace}/tree/{notebook}"
                       f"?reset&token={self.server.token}")
        self.wait_for_kernel(timeout)
        return self

    def wait_for_kernel(self, timeout: float = 60.0) -> None:
        """Wait for a connected, idle kernel on the current notebook (not just the toolbar)."""
        self.page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell",
                                    timeout=timeout * 1000)
        deadline = time.monotonic() + timeout
        state = ""
        while time.monotonic() < deadline:
            state = self.page.evaluate(_JS_KERNEL_STATE, self.notebook)
            if state == "true connected idle":
                return
            time.sleep(0.1)
        raise AssertionError(f"kernel not ready after {timeout:.0f} s (state: {state})")

    def run_all(self, timeout: float = 120.0) -> None:
        """Run every cell and wait until all have run; fail with the cell's error if one raised."""
        # The command's promise settles when the last cell has run (or one failed).
        self.page.evaluate(_JS_PANEL + """([path, ms]) => {
            const panel = panelOf(path);
            window.jupyterapp.shell.activateById(panel.id);
            return Promise.race([
                 window.jupyterapp.commands.execute('notebook:run-all-cells'),
                 new Promise((resolve) => setTimeout(resolve, ms))]);
            }""", [self.notebook, timeout * 1000])
        self.wait_until_all_cells_ran(timeout)

    def wait_until_all_cells_ran(self, timeout: float = 120.0) -> None:
        """Wait until every code cell has run (has an execution count) and the kernel is idle; fail with a cell's error."""
        deadline = time.monotonic() + timeout
        state = {}
        while time.monotonic() < deadline:
            state = self.page.evaluate(_JS_RUN_STATE, self.notebook)
            if state["errors"]:
                e = state["errors"][0]
                raise AssertionError(
                    f"cell {e['cell']} of {self.notebook} raised {e['ename']}: {e['evalue']}\n"
                    f"--- source ---\n{e['source']}\n--- traceback ---\n{_strip_ansi(e['traceback'])}")
            if state["pending"] == 0 and state["status"] == "idle":
                return
            time.sleep(0.1)
        raise AssertionError(f"run all of {self.notebook} not done after {timeout:.0f} s: {state}")

    def execute(self, code: str, timeout: float = 30.0) -> str:
        """Run ``code`` in the notebook's kernel; return its printed text, raise on error."""
        out = self.page.evaluate(_JS_EXECUTE, [self.notebook, code])
        if out["error"]:
            raise AssertionError(f"kernel code raised:\n{_strip_ansi(out['error'])}")
        return out["text"]

    def evaluate_json(self, expr: str):
        """Evaluate a Python expression in the kernel and return it decoded from JSON."""
        text = self.execute(f"import json as _json; print(_json.dumps({expr}))")
        return json.loads(text)

    def draw_stroke(self, target, points, steps: int = 8) -> None:
        """Drag the mouse over ``target`` through ``points``, given as (x, y) fractions of its box.

        ``target`` is a Playwright locator (e.g. page.locator("canvas.dl-pad")). Scrolls it
        into view first: a canvas that moves mid-stroke misses the stroke.
        """
        target.scroll_into_view_if_needed()
        box = self.settled_box(target)
        xy = [(box["x"] + fx * box["width"], box["y"] + fy * box["height"]) for fx, fy in points]
        mouse = self.page.mouse
        mouse.move(*xy[0])
        mouse.down()
        for x, y in xy[1:]:
            mouse.move(x, y, steps=steps)
        mouse.up()

    def wait_for_value(self, expr: str, value, timeout: float = 15.0, what: str = "") -> None:
        """Poll a Python expression in the kernel until it equals ``value``; fail with ``what`` after ``timeout``."""
        deadline = time.monotonic() + timeout
        while self.evaluate_json(expr) != value:
            assert time.monotonic() < deadline, what or f"{expr} never became {value!r}"
            time.sleep(0.1)

    @staticmethod
    def settled_box(target, timeout: float = 10.0) -> dict:
        """The target's bounding box once it stops moving.

        JupyterLab lays out cells only as they scroll into view (its default windowing), so after a
        jump back up a long notebook the cells above can still grow for a moment and push the target
        down: a stroke aimed at the first box would land beside it.
        """
        box, deadline = target.bounding_box(), time.monotonic() + timeout
        while time.monotonic() < deadline:
            time.sleep(0.15)
            target.scroll_into_view_if_needed()
            again = target.bounding_box()
            if again == box:
                break
            box = again
        assert box is not None, "drawing target is not visible"
        return box

    def save(self) -> None:
        """Save the notebook (outputs and widget state), as JupyterLab's autosave would."""
        self.page.evaluate(_JS_PANEL + "(path) => panelOf(path).context.save()", self.notebook)

    def reload(self, save: bool = True, timeout: float = 60.0) -> None:
        """Reload the browser page (the kernel keeps running) and wait for it to reconnect.

        Saves first by default, like a learner whose notebook was autosaved; widget outputs
        then come back from the running kernel.
        """
        if save:
            self.save()
        self.page.reload()
        self.wait_for_kernel(timeout)

    def close(self) -> None:
        if self.page in OPEN_PAGES:
            OPEN_PAGES.remove(self.page)
        self.page.context.close()


def descendants(pid: int) -> list[int]:
    """Every process started by pid, and by those, and so on (read from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def command_line(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def kernel_pids(pid: int) -> list[int]:
    """Process ids of the Python kernels a server process started (its descendants running ipykernel)."""
    return [p for p in descendants(pid) if "ipykernel" in command_line(p)]


class VoilaServer:
    """The demo web app as ``make demo`` serves it (Voilà, demo/voila.json), on 127.0.0.1."""

    def __init__(self, notebook: Path = REPO / "demo" / "DigitLab.ipynb"):
        self.notebook = notebook
        self.tmp = Path(tempfile.mkdtemp(prefix="digitlab-voila-"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log_path = self.tmp / "voila.log"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 60.0) -> "VoilaServer":
        env = dict(os.environ)
        for name in ("config", "runtime", "ipython", "data"):
            (self.tmp / name).mkdir()
        env.update(JUPYTER_CONFIG_DIR=str(self.tmp / "config"), JUPYTER_RUNTIME_DIR=str(self.tmp / "runtime"),
                   IPYTHONDIR=str(self.tmp / "ipython"), DIGITLAB_DATA=str(self.tmp / "data"),
                   PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])))
        cmd = [str(Path(sys.executable).parent / "voila"), self.notebook.name, "--no-browser",
               f"--port={self.port}", "--Voila.ip=127.0.0.1"]
        self._log = open(self.log_path, "wb")
        # cwd: Voilà reads demo/voila.json from the folder it starts in, as under `make demo`.
        self.proc = subprocess.Popen(cmd, env=env, cwd=self.notebook.parent, stdout=self._log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"voila exited early:\n{self.log_tail()}")
            with socket.socket() as s:  # every GET starts a kernel: wait for the port instead
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"voila did not listen within {timeout:.0f} s:\n{self.log_tail()}")

    def kernels(self) -> list[int]:
        """Process ids of the kernels running for this server's pages."""
        return kernel_pids(self.proc.pid)

    def log_tail(self, n: int = 40) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])

    def stop(self) -> None:
        if self.proc is None:
            return
        kernels = self.kernels()  # they run in sessions of their own: find them while Voilà is their parent
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.proc.wait(timeout=10)
                break
            except subprocess.TimeoutExpired:
                continue
        for pid in kernels:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc = None
        self._log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)
