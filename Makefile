# CBT Station: every command creates .venv and installs pinned versions by itself.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PIP_INSTALL := $(BIN)/python -m pip install --quiet --disable-pip-version-check

.PHONY: test lint typecheck contracts unit bench demo install clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) --upgrade "pip>=24"
	$(PIP_INSTALL) -c constraints.txt -e ".[bank,client,server,dev]"
	@touch $(STAMP)

install: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

contracts: $(STAMP)
	$(BIN)/lint-imports

unit: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

# Every gate; the first red one stops the run.
test: lint typecheck contracts unit

# A whole site on this machine, sat by headless candidates: make demo ARGS="--candidates 200 --minutes 5"
demo: $(STAMP)
	$(BIN)/python packaging/demo.py $(ARGS)

bench: $(STAMP)
	$(BIN)/python -m benchmarks.scoring_bench
	$(BIN)/python -m benchmarks.bank_bench

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .hypothesis
