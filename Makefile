# The commands of the README: `make run`, `make app` and `make test`. Each sets up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run app test lint bench bench-optimize bench-sweep bench-months bench-network bench-year clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m sim $(ARGS)

app: $(STAMP)
	$(BIN)/python -m webapp $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check sim optimize webapp tests benchmarks
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

bench-network: $(STAMP)
	$(BIN)/python benchmarks/bench_network.py

bench-year: $(STAMP)
	$(BIN)/python benchmarks/bench_year.py

clean:
	rm -rf $(VENV) outputs multirun .pytest_cache .mypy_cache .ruff_cache
