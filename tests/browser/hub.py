"""A throw-away class server: `make classroom`'s JupyterHub, started on 127.0.0.1 for tests and benchmarks.

``ClassHub().start()`` runs jupyterhub with classroom/jupyterhub_config.py in a temporary class
folder, with a random class password and free ports; ``login(context, name)`` logs a student in
through the login page of a Playwright browser context; ``student_server(name)`` gives what
harness.LabPage needs to open a notebook in that student's JupyterLab; ``stop()`` ends the hub,
the students' servers and kernels, and removes the students' system users it made.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .harness import REPO, command_line, descendants, free_port

CONFIG = REPO / "classroom" / "jupyterhub_config.py"
BIN = Path(sys.executable).parent


@dataclass
class StudentServer:
    """The part of harness.JupyterServer that LabPage uses, for one student's server behind the hub."""

    url: str
    token: str = ""


def user_id(pid: int) -> int:
    """The user id a process runs as."""
    status = (Path("/proc") / str(pid) / "status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("Uid:")).split()[1])


class ClassHub:
    """`make classroom`'s hub on 127.0.0.1 in a temporary class folder, with a random class password."""

    def __init__(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="digitlab-hub-"))
        self.tmp.chmod(0o755)  # students' own system users must reach their homes inside
        self.classroom = self.tmp / "classroom"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.password = secrets.token_urlsafe(12)
        self.user_prefix = f"dlt{secrets.token_hex(2)}-"  # system users made for this hub alone
        self.log_path = self.tmp / "hub.log"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 60.0) -> "ClassHub":
        env = dict(os.environ, DIGITLAB_CLASSROOM=str(self.classroom), DIGITLAB_CLASS_PASSWORD=self.password,
                   DIGITLAB_CLASS_USER_PREFIX=self.user_prefix)
        cmd = [str(BIN / "jupyterhub"), "-f", str(CONFIG), "--ip=127.0.0.1", f"--port={self.port}",
               f"--JupyterHub.hub_port={free_port()}",
               f"--ConfigurableHTTPProxy.api_url=http://127.0.0.1:{free_port()}"]
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(cmd, env=env, cwd=self.tmp, stdout=self._log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyterhub exited early:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/hub/api", timeout=5):
                    return self
            except (OSError, urllib.error.URLError):
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"jupyterhub did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def login(self, context, name: str):
        """Log a student in on the hub's login page; returns the page, on its way to the student's lab."""
        page = context.new_page()
        page.goto(f"{self.url}/hub/login")
        page.fill("#username_input", name)
        page.fill("#password_input", self.password)
        page.click("#login_submit", no_wait_after=True)
        return page

    def student_server(self, name: str) -> StudentServer:
        return StudentServer(f"{self.url}/user/{name}")

    def home(self, name: str) -> Path:
        return self.classroom / "students" / name

    @property
    def shared(self) -> Path:
        return self.classroom / "shared"

    def servers(self) -> dict[str, int]:
        """{student: process id} of the students' running JupyterLab servers."""
        found = {}
        for pid in descendants(self.proc.pid):
            cmd = command_line(pid)
            if "jupyterhub.singleuser" in cmd:
                env = (Path("/proc") / str(pid) / "environ").read_bytes().split(b"\0")
                user = next(v.split(b"=", 1)[1].decode() for v in env if v.startswith(b"JUPYTERHUB_USER="))
                found[user] = pid
        return found

    def log_tail(self, n: int = 60) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])

    def stop(self) -> None:
        if self.proc is None:
            return
        everything = descendants(self.proc.pid)  # servers and kernels run in sessions of their own
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        for pid in [self.proc.pid, *everything]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait()
        self.proc = None
        self._log.close()
        if os.geteuid() == 0:
            for line in Path("/etc/passwd").read_text().splitlines():
                if line.startswith(self.user_prefix):
                    subprocess.run(["userdel", line.split(":")[0]], capture_output=True)
        shutil.rmtree(self.tmp, ignore_errors=True)
