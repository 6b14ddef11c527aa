# PlanGraph — targets named for what people want. `make help` lists them.
REPO := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
PY ?= python3.11
VENV := $(REPO)/.venv
BIN := $(VENV)/bin
PLAN ?= data/plans/informatization-14fyp

.PHONY: help install system-deps run parse load docs test test-slow lint bench clean

help:
	@echo "make install     create .venv and install PlanGraph with its pinned dev tools; build the explorer (npm ci)"
	@echo "make system-deps install the Debian packages the tests need (Chromium, CJK fonts, poppler)"
	@echo "make run         serve the API on 127.0.0.1:8000 from the embedded store with the bundled plan"
	@echo "make test        run the test suite (starts nothing; Neo4j tests need make neo4j-start)"
	@echo "make test-slow   the long property-based runs (10,000 mutated plans)"
	@echo "make lint        ruff check + ruff format --check + mypy"
	@echo "make bench       print parse/build/load figures"
	@echo "make neo4j-start / neo4j-stop   a local Neo4j 5 Community server (Bolt 127.0.0.1:7687)"

$(BIN)/plangraph: pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@

install: $(BIN)/plangraph api/static/index.html

# the web explorer (explorer/): npm ci from the lock file, then esbuild into api/static/ (package data)
explorer/node_modules/.package-lock.json: explorer/package-lock.json
	@command -v npm >/dev/null || { echo "error: npm (Node 18+) builds the explorer: install it (Debian: apt-get install npm)"; exit 2; }
	cd explorer && npm ci --no-audit --no-fund

api/static/index.html: explorer/node_modules/.package-lock.json explorer/build.mjs $(shell find explorer/src -type f)
	cd explorer && npm run build

system-deps:  ## Debian packages the tests need (root): Chromium, CJK fonts, poppler
	tools/system-deps.sh

parse: install
	$(BIN)/plangraph parse $(PLAN) --summary

run: install
	$(BIN)/plangraph parse $(PLAN) --summary
	$(BIN)/plangraph add $(PLAN) --db data/stores/plangraph.lbug
	$(BIN)/plangraph serve --db data/stores/plangraph.lbug

load: install
	$(BIN)/plangraph load $(PLAN)

docs: install
	$(BIN)/python -m plangraph.queries.generate
	$(BIN)/python -m plangraph.queries.cookbook > docs/queries.md

test: install
	$(BIN)/python -m pytest

test-slow: install
	$(BIN)/python -m pytest -m slow

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: install
	$(BIN)/python bench/parse.py
	@test ! -f bench/build.py || $(BIN)/python bench/build.py
	@test ! -f bench/load.py || $(BIN)/python bench/load.py

clean:
	rm -rf .pytest_cache .mypy_cache .ruff_cache .hypothesis data/stores

include tools/neo4j.mk
