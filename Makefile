# Réplique — the two commands that matter are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint typecheck unit unit-fast bench models clean

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

clean:
	rm -rf $(VENV) var .mypy_cache .pytest_cache .ruff_cache
