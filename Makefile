# The documented commands. `make run` and `make test` do all set-up on a fresh machine.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint fmt install system-deps screenshots clean bench backup restore

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade "pip>=25.1"
	$(BIN)/pip install --quiet --group dev
	touch $(STAMP)

install: $(STAMP)

# Debian packages the suite uses (docker-compose to validate the compose file).
system-deps:
	@scripts/system-deps

run: install
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --no-input
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py seed_demo
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install system-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Refresh the README's screenshots from the browser journeys.
screenshots: install system-deps
	SCREENSHOT_DIR=docs/screenshots $(BIN)/python -m pytest tests/e2e -q

# Benchmarks on PostgreSQL at national scale; writes docs/PERFORMANCE.md.
bench: install system-deps
	scripts/bench/run $(BENCH_ARGS)

# Database and uploaded files to one archive (TO=path), and back (FROM=path).
backup: install
	$(BIN)/python manage.py backup $(if $(TO),--output $(TO))

restore: install
	$(BIN)/python manage.py restore $(FROM) $(if $(YES),--yes)

lint: install
	$(BIN)/ruff check .

fmt: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf var/ .pytest_cache .ruff_cache
