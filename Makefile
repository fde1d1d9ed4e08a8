# Shequ: `make run` serves the Enshi demo; `make test` runs the whole suite.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PYTHON_FOR_VENV = $(shell scripts/find-python)

.PHONY: run test lint format bench lock install install-dev clean-data

$(BIN)/python:
	@py="$(PYTHON_FOR_VENV)"; test -n "$$py" || exit 1; \
	  echo "Creating $(VENV) with $$py"; "$$py" -m venv $(VENV)
	@$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install -q -r requirements.lock
	@touch $@

$(VENV)/.installed-dev: requirements-dev.lock $(VENV)/.installed
	$(BIN)/python -m pip install -q -r requirements-dev.lock
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: $(VENV)/.installed
	@scripts/run

test: $(VENV)/.installed-dev
	@scripts/test

lint: $(VENV)/.installed-dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy shequ bench tests
	$(BIN)/lint-imports

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench

# Re-pin the dependencies from pyproject.toml into the two lock files.
lock:
	rm -rf .lockenv && "$(PYTHON_FOR_VENV)" -m venv .lockenv
	.lockenv/bin/python -m pip install -q --upgrade pip
	.lockenv/bin/python -m pip install -q .
	.lockenv/bin/python -m pip freeze --exclude shequ > requirements.lock
	.lockenv/bin/python -m pip install -q '.[dev]'
	.lockenv/bin/python -m pip freeze --exclude shequ > requirements-dev.lock
	rm -rf .lockenv build shequ.egg-info

clean-data:
	rm -rf var
