# CBT Station: every command creates .venv and installs pinned versions by itself.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PIP_INSTALL := $(BIN)/python -m pip install --quiet --disable-pip-version-check

.PHONY: test lint typecheck contracts unit bench bench-engine bench-server bench-live \
	bench-client bench-load bench-faults demo install clean package-client

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

# The candidate station as one folder, dist/cbt-client/ (PyInstaller). This builds the
# Linux station; the Windows one is built on Windows (docs/deploy.md).
package-client: $(STAMP)
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist \
		--workpath build/pyinstaller packaging/pyinstaller/cbt-client.spec
	@du -sh dist/cbt-client

# Every benchmark (figures in docs/benchmarks.md); each stops by itself, load on 127.0.0.1.
bench: bench-engine bench-server bench-live bench-client bench-load bench-faults

bench-engine: $(STAMP)
	$(BIN)/python -m benchmarks.scoring_bench
	$(BIN)/python -m benchmarks.bank_bench

bench-server: $(STAMP)
	$(BIN)/python -m benchmarks.server_bench $(ARGS)

bench-live: $(STAMP)
	$(BIN)/python -m benchmarks.live_bench $(ARGS)

bench-client: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m benchmarks.client_bench $(ARGS)

# 1,000 headless stations (the real client core) against cbt-server over HTTPS: start
# burst, steady answering, the same-second submit, live displays, then the checks.
# SQLite, then PostgreSQL with 2 workers (about 20 minutes in all on 2 cores).
bench-load: $(STAMP)
	mkdir -p build/bench
	$(BIN)/python -m benchmarks.load_bench --candidates 1000 --json build/bench/load-sqlite.json $(ARGS)
	$(BIN)/python -m benchmarks.load_bench --candidates 1000 --postgres --workers 2 \
		--json build/bench/load-postgres.json $(ARGS)

# kill -9 of the server during a 200-station exam, and a 5-minute network cut.
bench-faults: $(STAMP)
	mkdir -p build/bench
	$(BIN)/python -m benchmarks.fault_bench --json build/bench/faults.json $(ARGS)

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .hypothesis
