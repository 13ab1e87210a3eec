# dangbo — the two commands a new machine needs: `make demo` and `make test` (both run `make setup`).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_PORT ?= 54329
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup demo test test-sqlite test-postgres test-sqlite-1 test-sqlite-2 test-sqlite-3 test-sqlite-4 test-sqlite-5 test-deps lint bench clean

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

# Every test: lint, then the PostgreSQL pass (the tests that touch the database, again, on a
# throwaway server that scripts/pg-test-server starts and stops) and the SQLite pass (the whole suite,
# browser tests included) cut into five parts, two jobs at a time in the order written: the first part
# beside the PostgreSQL pass, then each next part as a core frees up. Each job prints its output whole
# when it ends and has its own var/ folder, so their files never meet. The SQLite parts run at a lower
# priority (nice): the PostgreSQL pass is ~90,000 round trips to its server, and each one that waited
# behind a busy SQLite process for a core made the demo build 3.4x slower in CI than on a quiet
# machine (docs/PERFORMANCE.md «The test run's time, third round»). The first part only computes (no
# browser, no server, no short timeout), so nothing timed waits behind the PostgreSQL pass; the last
# part is every test the first four do not name, so a new folder is never left out.
SQLITE_1 := tests/registry tests/members tests/text tests/elections tests/votes
SQLITE_2 := tests/web
SQLITE_3 := tests/ops tests/jobs tests/demo tests/test_cli.py tests/test_boundaries.py tests/test_domain_ids.py
SQLITE_4 := tests/browser
SQLITE_5 := tests $(addprefix --ignore=,$(SQLITE_1) $(SQLITE_2) $(SQLITE_3) $(SQLITE_4))
SQLITE_PARTS := test-sqlite-1 test-sqlite-2 test-sqlite-3 test-sqlite-4 test-sqlite-5

test: setup test-deps lint
	$(MAKE) --no-print-directory -j2 --output-sync=target test-postgres $(SQLITE_PARTS)

$(SQLITE_PARTS): test-sqlite-%: setup
	env -u DATABASE_URL DANGBO_VAR=$(CURDIR)/var/test-sqlite-$* nice -n 10 $(BIN)/pytest -q --durations=10 \
	  --hypothesis-profile=gate $(SQLITE_$*)

test-deps:
	scripts/install-test-deps

lint: setup
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/lint-imports

# The whole SQLite pass in one process (what `make test` runs in five parts).
test-sqlite: setup
	env -u DATABASE_URL DANGBO_VAR=$(CURDIR)/var/test-sqlite $(BIN)/pytest -q --durations=20 --hypothesis-profile=gate

test-postgres: setup
	scripts/pg-test-server run $(PG_PORT) -- env DATABASE_URL=postgres://postgres@127.0.0.1:$(PG_PORT)/dangbo DANGBO_VAR=$(CURDIR)/var/test-postgres $(BIN)/pytest -q -m "not browser" --durations=20 --hypothesis-profile=gate

bench: setup
	$(BIN)/python bench/search_bench.py --help

clean:
	rm -rf $(VENV) var build src/*.egg-info
