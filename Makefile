# The two commands of the README: `make run` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench bench-optimize bench-sweep bench-months clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m sim $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check sim optimize tests benchmarks
	$(BIN)/mypy

test: $(STAMP) lint
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_sim.py

bench-optimize: $(STAMP)
	$(BIN)/python benchmarks/bench_optimize.py --seeds 1 2 3 4

bench-sweep: $(STAMP)
	$(BIN)/python benchmarks/bench_sweep.py

bench-months: $(STAMP)
	$(BIN)/python benchmarks/bench_months.py

clean:
	rm -rf $(VENV) outputs multirun .pytest_cache .mypy_cache .ruff_cache
