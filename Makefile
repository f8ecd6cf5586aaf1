# Pilotage: the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: help demo test lint bench clean

help:  ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	touch $(STAMP)

demo: $(STAMP)  ## Build the monthly report on the bundled example year (out/)
	$(BIN)/pilotage demo --out out

test: $(STAMP)  ## Run the linters, the type checker and the whole test suite
	$(BIN)/ruff check pilotage tests benchmarks
	$(BIN)/ruff format --check pilotage tests benchmarks
	$(BIN)/mypy
	$(BIN)/pytest -n 2 -q

bench: $(STAMP)  ## Run the benchmarks (prints throughput and ratios)
	$(BIN)/python -m benchmarks

clean:  ## Remove the virtual environment and generated files
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
