"""JupyterHub for a class on one machine: DigitLab's own configuration, started by `make classroom`.

What a class gets: students log in at http://<this machine>:8000 with the class password (or,
without one, a password each student picks at first login); each gets their own JupyterLab in
their own folder, with their own copy of the notebooks and their own drawings; MNIST and the
shipped model are shared, read-only; the drawings students choose to share go to one class
folder (one sub-folder per student) for the teacher's class_digits notebook. Idle kernels and
idle servers are stopped so their memory goes back to the class; JupyterLab's news pop-up is off.

When the hub runs as root (a class server), every student's JupyterLab runs as a system user of
their own (``dl-<name>``, made at first login, no password, no shell): students cannot read each
other's folders, change the shared data or the machine. Their Python is the virtual environment's
if everyone may run it, else the system's python3 of the same version with the environment's
packages. Run as an ordinary user (a laptop), all students run as that user, each in their own
folder: fine for trying it out, not private.

Settings, from environment variables (defaults in brackets):
  DIGITLAB_CLASS_PASSWORD    the password every student logs in with, at least 8 characters
                             [unset: first-use passwords, each student picks theirs]
  DIGITLAB_TEACHERS          teachers' login names, comma-separated: they are hub admins [none]
  DIGITLAB_TEACHER_PASSWORD  the teachers' password with DIGITLAB_CLASS_PASSWORD, 32+ characters
  DIGITLAB_STUDENTS          only these login names may log in, comma-separated [anyone]
  DIGITLAB_CLASSROOM         the class's folder: homes, shared drawings, the hub's state
                             [<repository>/data/classroom]
  DIGITLAB_DATA              the data folder whose mnist/ every student reads [<repository>/data]
  DIGITLAB_CLASS_USER_PREFIX prefix of the students' system users [dl-]
Where it listens: --ip and --port on the command line [all addresses, port 8000].
"""

import asyncio
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid

from digitlab.data import mnist_dir
from digitlab.pretrained import DEFAULT_MODEL

c = get_config()  # noqa: F821 (given by JupyterHub when it reads this file)

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent                     # .venv/bin, where jupyterhub runs from
PROXY = BIN.parent / "node" / "node_modules" / ".bin" / "configurable-http-proxy"  # installed by make
CLASSROOM = Path(os.environ.get("DIGITLAB_CLASSROOM") or REPO / "data" / "classroom").resolve()
HOMES = CLASSROOM / "students"   # one folder per student: notebooks, data/custom (private drawings)
SHARED = CLASSROOM / "shared"    # drawings shared with the class, one folder per student
STATE = CLASSROOM / "hub"        # the hub's database, cookie secret and proxy pid
AS_ROOT = os.geteuid() == 0
PYTHON_VERSION = f"{sys.version_info[0]}.{sys.version_info[1]}"
USER_PREFIX = os.environ.get("DIGITLAB_CLASS_USER_PREFIX", "dl-")

KERNEL_IDLE_MINUTES = 20   # a kernel that ran nothing this long is stopped (the notebook stays open)
SERVER_IDLE_MINUTES = 60   # a student's whole JupyterLab with no activity this long is stopped
LAB_SETTINGS = {"@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false"}}


def everyone_can(path, mode=0o004) -> bool:
    """True if any user may read (mode 0o004) or run (0o005) path: every folder on its way is open to all."""
    path = Path(os.path.realpath(path))
    folders_open = all(p.stat().st_mode & 0o001 for p in path.parents)
    return path.exists() and folders_open and path.stat().st_mode & mode == mode


def student_python():
    """(command, environment) to run Python as a student's own system user, or None if none will do."""
    if not everyone_can(REPO / "pyproject.toml"):
        return None
    if everyone_can(BIN / "python", 0o005):
        return [str(BIN / "python")], {}
    system = Path("/usr/bin/python3")
    if not everyone_can(system, 0o005):
        return None
    version = subprocess.run([str(system), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                             capture_output=True, text=True).stdout.strip()
    if version != PYTHON_VERSION:
        return None
    venv = BIN.parent  # its packages, and Jupyter's configuration, extensions and JupyterLab's files
    return [str(system)], {"PYTHONPATH": os.pathsep.join([str(REPO), str(venv / "lib" / f"python{PYTHON_VERSION}"
                                                                          / "site-packages")]),
                           "JUPYTER_CONFIG_PATH": str(venv / "etc" / "jupyter"),
                           "JUPYTER_PATH": str(venv / "share" / "jupyter"),
                           "JUPYTERLAB_DIR": str(venv / "share" / "jupyter" / "lab")}


STUDENT_PYTHON = student_python() if AS_ROOT else None
OWN_USERS = STUDENT_PYTHON is not None  # else every student runs as the hub's own user
if AS_ROOT and not OWN_USERS:
    print(f"WARNING: students' JupyterLab will run as root, not walled off from each other or the machine: "
          f"no Python {PYTHON_VERSION} that every user may run was found. Put DigitLab in a folder everyone "
          f"can read (e.g. /opt/digitlab) and make its .venv with the system's python3.", file=sys.stderr)
if not PROXY.exists():
    sys.exit(f"JupyterHub's proxy is missing ({PROXY}): run `make classroom`, which installs it with npm.")

for folder, mode in ((HOMES, 0o755), (SHARED, 0o1777 if OWN_USERS else 0o755), (STATE, 0o700)):
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(mode)  # shared: everyone may add their own folder, nobody may touch another's

# ---- who may log in ---------------------------------------------------------------------------
teachers = {n.strip() for n in os.environ.get("DIGITLAB_TEACHERS", "").split(",") if n.strip()}
students = {n.strip() for n in os.environ.get("DIGITLAB_STUDENTS", "").split(",") if n.strip()}
if os.environ.get("DIGITLAB_CLASS_PASSWORD"):
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = os.environ["DIGITLAB_CLASS_PASSWORD"]
    c.SharedPasswordAuthenticator.admin_password = os.environ.get("DIGITLAB_TEACHER_PASSWORD") or None
else:
    c.JupyterHub.authenticator_class = "firstuseauthenticator.FirstUseAuthenticator"
    c.FirstUseAuthenticator.dbm_path = str(STATE / "passwords.dbm")
    c.FirstUseAuthenticator.create_users = True
    c.FirstUseAuthenticator.min_password_length = 8
c.Authenticator.admin_users = teachers
if students:
    c.Authenticator.allowed_users = students | teachers
else:
    c.Authenticator.allow_all = True
# Login names become folder and system-user names: lower-case letters, digits, '-' and '_'.
c.Authenticator.username_pattern = r"^[a-z][a-z0-9_-]{0,23}$"

# ---- the hub itself -----------------------------------------------------------------------------
c.JupyterHub.port = 8000
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")
c.ConfigurableHTTPProxy.command = [str(PROXY)]
c.JupyterHub.concurrent_spawn_limit = 0  # a whole class logs in at once: no queue
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={SERVER_IDLE_MINUTES * 60}",
                "--cull-every=120"],
}]
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]


# ---- each student's JupyterLab ------------------------------------------------------------------
_accounts = threading.Lock()


def system_user(name):
    """The system user a student's JupyterLab runs as (None: the hub's own user)."""
    return f"{USER_PREFIX}{name}" if OWN_USERS else None


def prepare_home(name, home, account, teacher):
    """Make a student's folder: their copy of the notebooks, their data folder, JupyterLab's settings."""
    if account:
        with _accounts:
            if subprocess.run(["id", "-u", account], capture_output=True).returncode != 0:
                subprocess.run(["useradd", "--system", "--user-group", "--no-create-home", "--home-dir",
                                str(home), "--shell", "/usr/sbin/nologin", account], check=True)
    home.mkdir(parents=True, exist_ok=True)
    wanted = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if teacher:
        wanted.append(REPO / "notebooks" / "class_digits.ipynb")
    for notebook in wanted:
        if not (home / notebook.name).exists():  # a student's own changes are never overwritten
            shutil.copy2(notebook, home / notebook.name)
    data = home / "data"
    data.mkdir(exist_ok=True)
    # MNIST and the shipped model, where digitlab finds them: read-only for students (root's or the teacher's)
    for shared, folder in (("mnist", mnist_dir()), ("models", DEFAULT_MODEL.parent)):
        if not (data / shared).exists():
            (data / shared).symlink_to(folder)
    for rel, value in LAB_SETTINGS.items():
        path = home / ".jupyter" / "lab" / "user-settings" / rel
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(value))
    if account:
        for path in [home, *home.rglob("*")]:
            os.chown(path, *_ids(account), follow_symlinks=False)
        home.chmod(0o700)


def _ids(account):
    import pwd

    entry = pwd.getpwnam(account)
    return entry.pw_uid, entry.pw_gid


class ClassroomSpawner(LocalProcessSpawner):
    """A student's JupyterLab in their own folder, as their own system user when the hub is root."""

    @property
    def home(self) -> Path:
        return HOMES / self.user.name

    def make_preexec_fn(self, name):
        account = system_user(name)
        if account:
            return set_user_setuid(account)  # also moves into the home folder
        home = str(self.home)
        return lambda: os.chdir(home)

    def user_env(self, env):
        env.update(USER=system_user(self.user.name) or self.user.name, HOME=str(self.home), SHELL="/bin/bash")
        return env

    def get_env(self):
        env = super().get_env()
        env.update(DIGITLAB_DATA=str(self.home / "data"), DIGITLAB_CLASS=str(SHARED),
                   PATH=os.pathsep.join([str(BIN), env.get("PATH", os.defpath)]))
        env.update(STUDENT_PYTHON[1] if OWN_USERS else {})
        return env

    async def start(self):
        # In a thread: the hub keeps serving the rest of the class while one folder is made.
        await asyncio.to_thread(prepare_home, self.user.name, self.home, system_user(self.user.name),
                                self.user.admin)
        return await super().start()


c.JupyterHub.spawner_class = ClassroomSpawner
c.Spawner.cmd = [*(STUDENT_PYTHON[0] if OWN_USERS else [sys.executable]), "-m", "jupyterhub.singleuser"]
c.Spawner.notebook_dir = "~"
c.Spawner.default_url = "/lab"
c.Spawner.args = [
    f"--MappingKernelManager.cull_idle_timeout={KERNEL_IDLE_MINUTES * 60}",
    "--MappingKernelManager.cull_interval=60",
    "--MappingKernelManager.cull_connected=True",   # an open tab does not keep an idle kernel
    "--LabApp.news_url=None",                        # no news pop-up, no fetching news
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    "--LabApp.expose_app_in_browser=True",           # window.jupyterapp: the browser tests drive it
    *(["--allow-root"] if AS_ROOT and not OWN_USERS else []),
]
