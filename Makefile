# Pilotage: the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PGBIN ?= /usr/lib/postgresql/15/bin

.PHONY: help demo report-demo test lint bench clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	touch $(STAMP)

demo: $(STAMP)  ## Run the web application with the demo organizations on http://127.0.0.1:8000
	$(BIN)/pilotage serve --demo

report-demo: $(STAMP)  ## Build the monthly report on the bundled example year (out/)
	$(BIN)/pilotage demo --out out

test: $(STAMP)  ## Run the linters, the type checker and the whole test suite
	$(BIN)/ruff check pilotage tests benchmarks
	$(BIN)/ruff format --check pilotage tests benchmarks
	$(BIN)/mypy
	DJANGO_SETTINGS_MODULE=pilotage.web.settings_test $(BIN)/python -m pilotage.web makemigrations --check --dry-run
	$(BIN)/pytest -n 2 -q
	@if [ -x $(PGBIN)/initdb ]; then \
		echo "scripts/with-postgres $(BIN)/pytest -n 2 -q tests/web"; \
		scripts/with-postgres $(BIN)/pytest -n 2 -q -p no:cacheprovider tests/web; \
	else \
		echo "PostgreSQL binaries absent ($(PGBIN)): the web tests ran on SQLite only"; \
	fi

bench: $(STAMP)  ## Run the benchmarks (prints throughput and ratios)
	$(BIN)/python -m benchmarks

clean:  ## Remove the virtual environment and generated files
	rm -rf $(VENV) out var .pytest_cache .mypy_cache .ruff_cache
