# The study's commands. `make report` runs the whole study, `make test` the tests;
# both create the virtual environment from requirements.txt when it is missing, then
# install the package `analysis` from this checkout in editable mode (pyproject.toml),
# built with the setuptools that requirements.txt pins, so nothing else is fetched.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: report test lab validate clean-venv

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

report: $(STAMP)
	$(PY) -m analysis report

test: $(STAMP)
	$(PY) -m pytest

validate: $(STAMP)
	$(PY) -m analysis validate

# JupyterLab serves the repository (so that it reads jupytext.toml) and opens notebooks/.
lab: $(STAMP)
	$(VENV)/bin/jupyter lab --ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=/lab/tree/notebooks \
		$(if $(filter 0,$(shell id -u)),--allow-root)

clean-venv:
	rm -rf $(VENV)
