"""`make classroom` for three students: they log in at once, each draws and saves in a lab of their own.

One hub (classroom/jupyterhub_config.py) on 127.0.0.1; three students log in through its login
page, run the drawing notebook, draw a digit with the mouse and save it. No student can see
another's drawings; a student ticks "Share my drawings with the class" in the collector and
their drawings go to the class folder, where nobody else can change them.
"""

import json
import time

import pytest

from digitlab.data import fetch_mnist

from .harness import REPO, LabPage
from .hub import ClassHub, command_line, descendants, user_id

pytestmark = pytest.mark.browser

STUDENTS = ["ana", "bo", "chen"]
DRAWING_NOTEBOOK = sorted(p.name for p in (REPO / "notebooks").glob("[0-9][0-9]_*draw*.ipynb"))[0]
ONE = [(0.5, 0.15), (0.5, 0.85)]


@pytest.fixture(scope="module")
def hub():
    fetch_mnist(progress=False)
    hub = ClassHub().start()
    yield hub
    hub.stop()


@pytest.fixture(scope="module")
def labs(hub, browser):
    """Each student logged in (all at once) with the drawing notebook run: {name: LabPage}."""
    contexts = {name: browser.new_context(viewport={"width": 1280, "height": 1000}) for name in STUDENTS}
    for context in contexts.values():
        context.set_default_timeout(60_000)
    started = time.monotonic()
    pages = {name: hub.login(contexts[name], name) for name in STUDENTS}  # the three spawns overlap
    for name, page in pages.items():
        page.wait_for_url(f"**/user/{name}/lab**", timeout=90_000)
    labs = {}
    for name, page in pages.items():
        lab = LabPage(hub.student_server(name), page)
        lab.open(DRAWING_NOTEBOOK)
        labs[name] = lab
    print(f"\nthree students logged in and their kernels ready in {time.monotonic() - started:.1f} s")
    for lab in labs.values():
        lab.run_all()
    yield labs
    for lab in labs.values():
        lab.close()


@pytest.fixture(scope="module")
def own_users(hub, labs):
    """True if every student's server runs as a system user of their own (a hub run as root does that)."""
    mine = user_id(hub.proc.pid) == 0 and all(user_id(pid) != 0 for pid in hub.servers().values())
    repo = (REPO / "pyproject.toml").resolve()
    open_to_all = all(p.stat().st_mode & 0o001 for p in repo.parents) and repo.stat().st_mode & 0o004
    if user_id(hub.proc.pid) == 0 and open_to_all:
        assert mine, "a hub run as root, with DigitLab readable by everyone, must give each student a user of their own"
    print("students run as system users of their own" if mine else "students run as the hub's own user")
    return mine


def test_students_log_in_at_once_and_each_gets_a_copy_of_the_notebooks(hub, labs, own_users):
    log = hub.log_path.read_text().splitlines()
    started = [i for i, line in enumerate(log) if "Spawning " in line and "jupyterhub.singleuser" in line]
    ready = {line.split("User ")[1].split(" took")[0]: i for i, line in enumerate(log) if "seconds to start" in line}
    assert sorted(ready) == STUDENTS and len(started) == 3
    assert max(started) < min(ready.values())  # all three were starting before the first was ready
    for name in STUDENTS:
        home = hub.home(name)
        assert (home / DRAWING_NOTEBOOK).read_bytes() == (REPO / "notebooks" / DRAWING_NOTEBOOK).read_bytes()
        assert not (home / "class_digits.ipynb").exists()  # the teacher's notebook is for teachers
        if own_users:
            assert home.stat().st_mode & 0o777 == 0o700 and home.owner() == f"{hub.user_prefix}{name}"


def test_each_student_draws_and_saves_a_drawing_no_other_student_can_see(hub, labs, own_users):
    for name, lab in labs.items():
        lab.draw_stroke(lab.page.locator("canvas.dl-pad").first, ONE)
        lab.page.locator(".dl-pad-guess .dl-guess[data-label]").first.wait_for()
        saved = lab.evaluate_json("(lambda s: [s.add(pad.reading.image, pad.reading.guess), len(s)])"
                                  "(__import__('digitlab').DrawingStore())")
        assert saved[1] == 1  # their own drawing only, none of the others'
        (png,) = (hub.home(name) / "data" / "custom").glob("*/*.png")
        assert png.stem == saved[0]

    ana, bo = labs["ana"], labs["bo"]
    bo_drawings = hub.home("bo") / "data" / "custom"
    # Through JupyterLab: ana's files are her folder; bo's server refuses her.
    listing = ana.page.request.get(f"{hub.url}/user/ana/api/contents/data/custom")
    assert listing.ok
    assert ana.page.request.get(f"{hub.url}/user/ana/api/contents/../bo").status in (403, 404)
    assert ana.page.request.get(f"{hub.url}/user/bo/api/contents/data/custom").status in (403, 404)
    # From her kernel: bo's folder cannot be read, MNIST cannot be changed.
    if own_users:
        ana.execute(REACH)
        tried = ana.evaluate_json(f"_reach({str(bo_drawings)!r}, {str(hub.home('ana') / 'data' / 'mnist')!r})")
        assert tried == ["PermissionError", "PermissionError"]
        assert bo.evaluate_json("__import__('os').getuid()") != 0


REACH = '''
def _reach(other, mnist):
    """What this kernel gets trying to list another student's drawings and to write into MNIST."""
    import os
    out = []
    for attempt in (lambda: os.listdir(other), lambda: open(os.path.join(mnist, "mine"), "w")):
        try:
            attempt()
            out.append("allowed")
        except OSError as err:
            out.append(type(err).__name__)
    return out
'''


def test_a_shared_drawing_goes_to_the_class_folder_where_nobody_else_can_change_it(hub, labs, own_users):
    labs["bo"].execute("from digitlab.drawing.class_store import ClassStore\n"
                       "from digitlab import DrawingStore\n"
                       "ClassStore().share('bo', DrawingStore())")
    (shared,) = (hub.shared / "bo").glob("*/*.png")
    assert json.loads(labs["ana"].execute(
        "from digitlab.drawing.class_store import ClassStore\nimport json\n"
        "print(json.dumps(ClassStore().students()))")) == ["bo"]
    if own_users:
        assert shared.owner() == f"{hub.user_prefix}bo"
        result = labs["ana"].execute(f"import os\ntry:\n    os.unlink({str(shared)!r}); print('deleted')\n"
                                     f"except OSError as err:\n    print(type(err).__name__)")
        assert result.strip() == "PermissionError" and shared.exists()


def test_a_student_ticks_share_in_the_collector_and_the_class_folder_gets_the_drawing(hub, labs):
    chen = labs["chen"]
    chen.execute("import nbformat\n"
                 "nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("
                 "'from digitlab.widgets import Collector\\ncollector = Collector()\\ncollector')])\n"
                 "nb.metadata['kernelspec'] = {'name': 'python3', 'display_name': 'Python 3', 'language': 'python'}\n"
                 "nbformat.write(nb, 'share.ipynb')")
    chen.open("share.ipynb")
    chen.run_all()
    page = chen.page
    share = page.locator(".dl-collector-share input[type=checkbox]")
    assert page.locator(".dl-collector-share").inner_text().strip() == "Share my drawings with the class"
    chen.draw_stroke(page.locator(".dl-collector canvas.dl-pad"), ONE)
    chen.wait_for_value("len(collector.canvas.strokes)", 1, what="the stroke never reached the kernel")
    page.locator(".dl-collector-save").click()
    page.locator('.dl-collector-message[data-saved="1"]').wait_for()
    share.check()
    page.locator(".dl-collector-status", has_text="shared with the class").wait_for()
    mine = sorted(p.name for p in (hub.home("chen") / "data" / "custom").glob("*/*.png"))
    assert sorted(p.name for p in (hub.shared / "chen").glob("*/*.png")) == mine and len(mine) == 2
    share.uncheck()
    page.locator(".dl-collector-status", has_text="no longer shared").wait_for()
    assert not (hub.shared / "chen").exists()


def test_idle_kernels_and_servers_are_culled_and_there_is_no_news_pop_up(hub, labs):
    servers = hub.servers()
    assert sorted(servers) == STUDENTS
    for pid in servers.values():
        cmd = command_line(pid)
        assert "--MappingKernelManager.cull_idle_timeout=1200" in cmd and "--LabApp.news_url=None" in cmd
    assert any("jupyterhub_idle_culler" in command_line(p) for p in descendants(hub.proc.pid))
    for lab in labs.values():
        assert "Jupyter news" not in lab.page.locator("body").inner_text()
