"""The class hub's configuration (classroom/jupyterhub_config.py) turns the teacher's settings into JupyterHub's."""

import os
import runpy
from pathlib import Path

import yaml
from traitlets.config import Config

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "classroom" / "jupyterhub_config.py"



def load(tmp_path, monkeypatch, **settings):
    """The Config JupyterHub would read, with these DIGITLAB_* environment variables set."""
    for name in ("DIGITLAB_CLASS_PASSWORD", "DIGITLAB_TEACHERS", "DIGITLAB_TEACHER_PASSWORD", "DIGITLAB_STUDENTS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DIGITLAB_CLASSROOM", str(tmp_path / "classroom"))
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    c = Config()
    namespace = runpy.run_path(str(CONFIG), init_globals={"get_config": lambda: c})
    return c, namespace


def test_without_a_class_password_each_student_picks_one_at_first_login(tmp_path, monkeypatch):
    c, _ = load(tmp_path, monkeypatch)
    assert c.JupyterHub.authenticator_class == "firstuseauthenticator.FirstUseAuthenticator"
    assert Path(c.FirstUseAuthenticator.dbm_path).parent == tmp_path / "classroom" / "hub"
    assert c.Authenticator.allow_all is True


def test_a_class_password_teachers_and_a_list_of_students(tmp_path, monkeypatch):
    c, _ = load(tmp_path, monkeypatch, DIGITLAB_CLASS_PASSWORD="class-pass", DIGITLAB_TEACHERS="mrs-t",
                DIGITLAB_TEACHER_PASSWORD="t" * 32, DIGITLAB_STUDENTS="ana, bo")
    assert c.JupyterHub.authenticator_class == "shared-password"
    assert c.SharedPasswordAuthenticator.user_password == "class-pass"
    assert c.Authenticator.admin_users == {"mrs-t"}
    assert c.Authenticator.allowed_users == {"ana", "bo", "mrs-t"}


def test_folders_kernels_and_news_are_set_for_a_class(tmp_path, monkeypatch):
    c, namespace = load(tmp_path, monkeypatch)
    classroom = tmp_path / "classroom"
    assert (classroom / "hub").stat().st_mode & 0o777 == 0o700
    shared_mode = (classroom / "shared").stat().st_mode & 0o7777
    assert shared_mode == (0o1777 if namespace["OWN_USERS"] else 0o755)
    args = " ".join(c.Spawner.args)
    assert "--MappingKernelManager.cull_idle_timeout=1200" in args and "--LabApp.news_url=None" in args
    assert any("jupyterhub_idle_culler" in " ".join(s["command"]) for s in c.JupyterHub.services)
    assert namespace["OWN_USERS"] == (os.geteuid() == 0 and namespace["STUDENT_PYTHON"] is not None)


def test_the_kubernetes_sample_gives_each_student_a_memory_guarantee_and_limit():
    values = yaml.safe_load((ROOT / "classroom" / "zero-to-jupyterhub.yaml").read_text())
    memory = values["singleuser"]["memory"]
    assert memory["guarantee"] and memory["limit"]
    assert values["cull"]["enabled"] is True
    assert values["singleuser"]["extraEnv"]["DIGITLAB_CLASS"]


def test_students_read_mnist_from_the_data_folder_digitlab_uses(tmp_path, monkeypatch):
    monkeypatch.setenv("DIGITLAB_DATA", str(tmp_path / "teacher-data"))
    _, namespace = load(tmp_path, monkeypatch)
    home = tmp_path / "classroom" / "students" / "ana"
    namespace["prepare_home"]("ana", home, None, False)
    assert (home / "data" / "mnist").readlink() == tmp_path / "teacher-data" / "mnist"
    assert (home / "data" / "models").readlink() == ROOT / "data" / "models"
