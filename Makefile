# DigitLab: two commands do all the set-up.
#   make lab        create .venv, install DigitLab, fetch MNIST, open JupyterLab on the notebooks
#   make test       the same set-up, then every test (browser tests included)
# For teachers and visitors:
#   make classroom  JupyterHub for a class on this machine (README, "A class on one server")
#   make demo       the drawing pad as a web app with Voilà (README, "The demo web app")
# Other targets: make setup, make data, make benchmark, make model, make clean.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.digitlab-installed
CLASSROOM_STAMP := $(VENV)/.digitlab-classroom
DEMO_STAMP := $(VENV)/.digitlab-demo
# configurable-http-proxy, JupyterHub's proxy, comes from npm into the virtual environment.
CHP_VERSION := 4.6.3
CHP := $(VENV)/node/node_modules/.bin/configurable-http-proxy
# JupyterLab refuses to run as root unless told to (containers, CI machines).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
DEMO_PORT ?= 8866

.PHONY: lab test setup data classroom classroom-setup demo demo-setup benchmark model clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

classroom-setup: $(CLASSROOM_STAMP)

$(CLASSROOM_STAMP): $(STAMP)
	@command -v npm >/dev/null || { echo "make classroom needs npm (Debian/Ubuntu: sudo apt install npm)"; exit 1; }
	$(PY) -m pip install --quiet -e ".[test,classroom]"
	npm install --silent --no-audit --no-fund --prefix $(VENV)/node configurable-http-proxy@$(CHP_VERSION)
	@touch $(CLASSROOM_STAMP)

demo-setup: $(DEMO_STAMP)

$(DEMO_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e ".[test,demo]"
	@touch $(DEMO_STAMP)

data: setup
	$(PY) -m digitlab fetch

lab: data
	$(VENV)/bin/jupyter lab $(ROOT_FLAG) --notebook-dir=notebooks

test: data classroom-setup demo-setup
	$(PY) -m pytest

# JupyterHub on port 8000 for a class; the teacher sets the class password first:
#   DIGITLAB_CLASS_PASSWORD='...' make classroom
classroom: data classroom-setup
	cd classroom && ../$(VENV)/bin/jupyterhub -f jupyterhub_config.py

# The drawing pad as a web app on http://localhost:$(DEMO_PORT)/ (Voilà reads demo/voila.json).
demo: data demo-setup
	cd demo && ../$(VENV)/bin/voila DigitLab.ipynb --port=$(DEMO_PORT)

benchmark: data
	$(PY) benchmarks/bench_training.py
	$(PY) benchmarks/bench_canvas.py
	$(PY) benchmarks/bench_drawing_pad.py
	$(PY) benchmarks/bench_widgets.py
	$(PY) benchmarks/bench_notebook_memory.py
	$(PY) benchmarks/bench_styles.py
	$(PY) -m digitlab evaluate --canvas --styles

# Make the shipped default model again (about five minutes on two idle cores), then score it.
model: data
	$(PY) -m digitlab train --out data/models/default.npz
	$(PY) -m digitlab evaluate --canvas --styles

clean:
	rm -rf $(VENV) .pytest_cache tests/browser/artifacts tests/browser/node_modules
