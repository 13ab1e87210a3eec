# dangbo — the two commands a new machine needs: `make demo` and `make test` (both run `make setup`).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_PORT ?= 54329
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup demo test test-sqlite test-postgres test-sqlite-1 test-sqlite-2 test-deps lint bench clean

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

# Every test: lint, then three jobs side by side, each printing its output whole when it ends and
# each with its own var/ folder so their files never meet: the PostgreSQL pass (the tests that touch
# the database, again, on a throwaway server that scripts/pg-test-server starts and stops) and the
# SQLite pass (the whole suite, browser tests included) in two parts. The first part holds the tests
# that wait on something with a time limit (the browser, servers and workers in other processes, lock
# waits), and the pages' tests for balance; the second, every other test (so a new folder is never left
# out), only computes and runs at a lower priority (nice), so it takes the cores the other two leave:
# the PostgreSQL pass is ~90,000 round trips to its server, each one waiting for a core when all are
# busy (docs/PERFORMANCE.md «The test run's time, third round»).
SQLITE_1 := tests/browser tests/ops tests/jobs tests/demo tests/web tests/test_cli.py tests/test_boundaries.py \
  tests/test_domain_ids.py
SQLITE_2 := tests $(addprefix --ignore=,$(SQLITE_1))

test: setup test-deps lint
	$(MAKE) --no-print-directory -j3 --output-sync=target test-postgres test-sqlite-1 test-sqlite-2

test-sqlite-1: setup
	env -u DATABASE_URL DANGBO_VAR=$(CURDIR)/var/test-sqlite-1 $(BIN)/pytest -q --durations=15 \
	  --hypothesis-profile=gate $(SQLITE_1)

test-sqlite-2: setup
	env -u DATABASE_URL DANGBO_VAR=$(CURDIR)/var/test-sqlite-2 nice -n 10 $(BIN)/pytest -q --durations=15 \
	  --hypothesis-profile=gate $(SQLITE_2)

test-deps:
	scripts/install-test-deps

lint: setup
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/lint-imports

# The whole SQLite pass in one process (what `make test` runs in two parts).
test-sqlite: setup
	env -u DATABASE_URL DANGBO_VAR=$(CURDIR)/var/test-sqlite $(BIN)/pytest -q --durations=20 --hypothesis-profile=gate

test-postgres: setup
	scripts/pg-test-server run $(PG_PORT) -- env DATABASE_URL=postgres://postgres@127.0.0.1:$(PG_PORT)/dangbo DANGBO_VAR=$(CURDIR)/var/test-postgres $(BIN)/pytest -q -m "not browser" --durations=20 --hypothesis-profile=gate

bench: setup
	$(BIN)/python bench/search_bench.py --help

clean:
	rm -rf $(VENV) var build src/*.egg-info
