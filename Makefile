PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint run format bench bench-cli eval-reuters clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/dealwatch demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy watchlists db

test: lint
	$(BIN)/python -m pytest

run: $(STAMP)
	$(BIN)/dealwatch run

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_matching.py

bench-cli: $(STAMP)
	$(BIN)/python benchmarks/bench_cli.py

# Reuters-21578 TRAIN, the untouched slice; skips with a reason when the derived data is absent.
eval-reuters: $(STAMP)
	$(BIN)/python benchmarks/reuters/evaluate.py --slice eval

clean:
	rm -rf $(VENV) dealwatch.db demo-output
