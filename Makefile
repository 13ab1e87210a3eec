# dangbo — the two commands a new machine needs: `make demo` and `make test` (both run `make setup`).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_PORT ?= 54329
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup demo test test-sqlite test-postgres test-deps lint bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# The server and, beside it, the background worker that imports rolls uploaded on the web; when the
# server stops (Ctrl+C, or it dies) the worker is stopped too (SIGTERM: it gives back a job it was doing).
demo: setup
	$(BIN)/dangbo migrate --noinput
	$(BIN)/dangbo demo
	$(BIN)/dangbo worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; trap 'exit 130' INT TERM; \
	$(BIN)/dangbo serve --host $(HOST) --port $(PORT)

# Every test: lint, then two passes side by side (one per core; each pass's output is printed
# whole when it ends): the whole suite on SQLite (browser tests included), and the tests that touch
# the database again on a throwaway PostgreSQL server that scripts/pg-test-server starts and stops.
# Each pass has its own var/ folder so their files never meet.
test: setup test-deps lint
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

test-deps:
	scripts/install-test-deps

lint: setup
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/lint-imports

test-sqlite: setup
	env -u DATABASE_URL DANGBO_VAR=$(CURDIR)/var/test-sqlite $(BIN)/pytest -q --durations=20 --hypothesis-profile=gate

test-postgres: setup
	scripts/pg-test-server run $(PG_PORT) -- env DATABASE_URL=postgres://postgres@127.0.0.1:$(PG_PORT)/dangbo DANGBO_VAR=$(CURDIR)/var/test-postgres $(BIN)/pytest -q -m "not browser" --durations=20 --hypothesis-profile=gate

bench: setup
	$(BIN)/python bench/search_bench.py --help

clean:
	rm -rf $(VENV) var build src/*.egg-info
