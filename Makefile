# Hyperlesson: `make run` to serve, `make test` to test. Everything installs into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
HOST ?= 127.0.0.1

.PHONY: run serve test test-postgres test-fast bench load flood lint lock wheel check-lessons highlight-css screenshot clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Stamps: reinstall only when a lock changes. Every install is --require-hashes: the
# locks pin each package, direct or not, to files with known hashes (`make lock`).
$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install -q --require-hashes -r requirements.txt
	touch $@

# httpbin comes --no-deps (requirements-httpbin.txt says why); the tests compare the
# sandbox with it (test_httpbin_parity). The wheelhouse holds the runtime lock's files, so
# tests/deploy/test_package.py installs the built wheel into a new venv offline.
$(VENV)/.dev: requirements.txt requirements-dev.txt requirements-httpbin.txt | $(BIN)/python
	$(BIN)/python -m pip install -q --require-hashes -r requirements-dev.txt
	$(BIN)/python -m pip install -q --require-hashes --no-deps -r requirements-httpbin.txt
	$(BIN)/python -m pip download -q --require-hashes --no-deps -r requirements.txt \
	  -d $(VENV)/wheelhouse
	touch $@ $(VENV)/.runtime

$(VENV)/.bench: $(VENV)/.dev requirements-bench.txt
	$(BIN)/python -m pip install -q --require-hashes -r requirements-bench.txt
	touch $@

## Regenerate the locks from pyproject.toml (UPGRADE=--upgrade moves every pin to the newest
## release its range allows; without it only what pyproject.toml changed moves).
LOCK := $(BIN)/uv pip compile -q --universal --generate-hashes --python-version 3.11 \
	--custom-compile-command "make lock" $(UPGRADE)
lock: $(VENV)/.dev
	$(LOCK) pyproject.toml --extra postgresql -o requirements.txt
	$(LOCK) pyproject.toml --extra postgresql --group dev -c requirements.txt \
	  -o requirements-dev.txt
	$(LOCK) pyproject.toml --extra postgresql --group bench -c requirements-dev.txt \
	  -o requirements-bench.txt
	$(LOCK) --no-deps requirements-httpbin.in -o requirements-httpbin.txt

instance:
	mkdir -p instance

## Serve the app with the demo track on http://$(HOST):$(PORT); lesson edits reload it.
run: $(VENV)/.runtime | instance
	$(BIN)/flask --app app db upgrade
	HOST=$(HOST) PORT=$(PORT) $(BIN)/python app.py

## Serve with gunicorn, for a classroom or a school server (WORKERS=4 HOST=0.0.0.0 make serve);
## threads per worker: THREADS (hyperlesson/gunicorn_conf.py, which also says why threads).
## SANDBOX_PORT=5001 also listens there, for HYPERLESSON_SANDBOX_ORIGIN (README, Safety).
WORKERS ?= 4
serve: $(VENV)/.runtime | instance
	$(BIN)/flask --app app db upgrade
	HOST=$(HOST) PORT=$(PORT) WORKERS=$(WORKERS) SANDBOX_PORT=$(SANDBOX_PORT) \
	  $(BIN)/gunicorn -c python:hyperlesson.gunicorn_conf 'app:create_app()'

## The whole suite: unit, web and browser tests (browser tests need /usr/bin/chromium).
test: $(VENV)/.dev
	$(BIN)/python -m pytest

## The web and deployment tests on PostgreSQL: TEST_DATABASE_URL=postgresql+psycopg://user:pw@host/db
## (a role that may create databases), or `scripts/with-postgres make test-postgres` for a throwaway cluster.
test-postgres: $(VENV)/.dev
	@test -n "$(TEST_DATABASE_URL)" || { echo "Set TEST_DATABASE_URL, or run scripts/with-postgres make test-postgres" >&2; exit 2; }
	$(BIN)/python -m pytest tests/web tests/deploy

test-fast: $(VENV)/.dev
	$(BIN)/python -m pytest tests/unit tests/web

## Requests/second, p50/p99 and the ratio to a bare route, on gunicorn (needs Debian's wrk).
bench: $(VENV)/.bench
	$(BIN)/python -m bench

## A class at a human pace on gunicorn (LEARNERS=60 LOAD_SECONDS=120 LOAD_WORKERS=4), then
## every acknowledged answer is looked for in the database.
load: $(VENV)/.bench
	$(BIN)/python -m bench.classroom

## Budgets under attack: fresh cookies and sandbox keys in a loop; rows and bytes added.
flood: $(VENV)/.dev
	$(BIN)/python -m bench.flood

## The wheel a teacher installs (pipx install dist/hyperlesson-*.whl): README, Quick start.
wheel: $(VENV)/.dev
	rm -rf build dist/hyperlesson-*.whl
	$(BIN)/python -m pip wheel -q --no-build-isolation --no-deps --wheel-dir dist .
	rm -rf build hyperlesson.egg-info
	@ls dist/hyperlesson-*.whl

lint: $(VENV)/.dev
	$(BIN)/ruff check .

check-lessons: $(VENV)/.runtime
	$(BIN)/flask --app app lessons check

## The README's screenshot (docs/screenshot-lesson.png), in Debian's Chromium.
screenshot: $(VENV)/.dev
	$(BIN)/python scripts/screenshot.py

highlight-css: $(VENV)/.runtime
	$(BIN)/python scripts/build_highlight_css.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
