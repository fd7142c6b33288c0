# The documented commands. `make run` and `make test` do all set-up on a fresh machine.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-tanggal mutants lint fmt install system-deps screenshots clean bench backup restore

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

# On every core (pytest-xdist): each worker seeds the demo once, tests roll back over it;
# each has its own database and Redis database (config/settings_test.py).
test: install system-deps
	$(BIN)/python -m pytest -n $${PYTEST_WORKERS:-auto} $(PYTEST_ARGS)

# The date-sensitive modules again with the clock at each of these moments:
# New Year's morning in WIB (still 31 December in UTC), the last evening of a
# short month, and the 2nd of July: the second day of a school year (nothing
# of it has happened yet) and of a month (the demo's monthly history then
# lies mostly in the months before).
TANGGAL_UJI_LIST ?= 2027-01-01T06:00+07:00 2027-02-28T23:30+07:00 2027-07-02T09:00+07:00
TANGGAL_MODULES ?= tests/test_tanggal_uji.py tests/pmo tests/komunitas tests/pendampingan tests/reports tests/test_conflicts.py
test-tanggal: install system-deps
	@set -e; for t in $(TANGGAL_UJI_LIST); do \
	  echo "== TANGGAL_UJI=$$t"; \
	  TANGGAL_UJI=$$t $(BIN)/python -m pytest -n $${PYTEST_WORKERS:-auto} -q \
	    $(TANGGAL_MODULES) $(PYTEST_ARGS); \
	done

# Mutation testing with mutmut (not in CI): each target of scripts/mutants/run.py
# (versioning, uploads, access, access-domains, jobs, imports, exports) with its
# own tests; MODULE=program/versioning.py (or a target's name) for one.
# Results in var/mutants/, recorded in docs/TESTING.md. Niced, one mutant at a
# time unless MUTANTS_CHILDREN says otherwise.
mutants: install
	nice -n 10 $(BIN)/python scripts/mutants/run.py --max-children $${MUTANTS_CHILDREN:-1} $(MODULE)

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

# Style, and the layers contract in pyproject.toml (the platform imports no domain app).
lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

fmt: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf var/ .pytest_cache .ruff_cache
