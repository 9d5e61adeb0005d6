# DigitLab: two commands do all the set-up.
#   make lab    create .venv, install DigitLab, fetch MNIST, open JupyterLab on the notebooks
#   make test   the same set-up, then every test (browser tests included)
# Other targets: make setup, make data, make benchmark, make model, make clean.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.digitlab-installed
# JupyterLab refuses to run as root unless told to (containers, CI machines).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab test setup data benchmark model clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

data: setup
	$(PY) -m digitlab fetch

lab: data
	$(VENV)/bin/jupyter lab $(ROOT_FLAG) --notebook-dir=notebooks

test: data
	$(PY) -m pytest

benchmark: data
	$(PY) benchmarks/bench_training.py
	$(PY) benchmarks/bench_canvas.py
	$(PY) benchmarks/bench_drawing_pad.py
	$(PY) -m digitlab evaluate --canvas

# Make the shipped default model again (a few minutes).
model: data
	$(PY) -m digitlab train --out data/models/default.npz
	$(PY) -m digitlab evaluate

clean:
	rm -rf $(VENV) .pytest_cache tests/browser/artifacts
