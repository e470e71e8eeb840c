# Réplique — the two commands that matter are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint typecheck unit unit-fast bench models lock audit clean

install: $(STAMP)

# Re-install when the project's dependencies change; offline-safe once installed.
$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: install
	$(BIN)/replique run

lint: install
	$(BIN)/ruff check bot tests benchmarks
	$(BIN)/ruff format --check bot tests benchmarks

typecheck: install
	$(BIN)/mypy

unit: install
	$(BIN)/pytest -q

# The quick lane while working: unit and integration tests on SQLite, no PostgreSQL, no browser
# (under a minute). `make test` runs everything.
unit-fast: install
	$(BIN)/pytest -q -m "not browser and not postgres" tests/unit tests/integration

test: lint typecheck unit

bench: install
	$(BIN)/python -m benchmarks.run

# Retrain the shipped default models from bot/training/data (deterministic, seeded).
models: install
	$(BIN)/python -m bot.training.build_default

# The hashed lock files: requirements.lock (what the service runs on) and requirements-dev.lock
# (plus the development tools), for CPython 3.11 on Linux — the image and CI. Regenerate after a
# change to the dependencies in pyproject.toml; the image installs with
# `pip install --require-hashes -r requirements.lock` (docs/security.md).
LOCK_FLAGS := --python-version 3.11 --python-platform x86_64-manylinux_2_28 --generate-hashes --no-header
lock: install
	$(BIN)/python -m uv pip compile pyproject.toml $(LOCK_FLAGS) -o requirements.lock
	$(BIN)/python -m uv pip compile pyproject.toml --extra dev $(LOCK_FLAGS) -o requirements-dev.lock

# Known vulnerabilities in the locked versions; needs the vulnerability service (osv.dev /
# PyPI) to be reachable.
audit: install
	$(BIN)/pip-audit --strict --require-hashes --disable-pip -r requirements.lock
	$(BIN)/pip-audit --strict --require-hashes --disable-pip -r requirements-dev.lock

clean:
	rm -rf $(VENV) var .mypy_cache .pytest_cache .ruff_cache
