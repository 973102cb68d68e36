# StockDesk. On a fresh Linux machine with Python 3.11+ and make:
#   make run    start the dashboard          make test   run the whole suite
# Both install uv (with pip) if it is missing and the locked dependencies (uv.lock).

SHELL := /bin/bash
PYTHON ?= python3
ARGS ?=
# pytest-xdist processes for `make test`: the suite waits on servers and browsers more than
# it computes, so two share our 2 cores well; TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= 2

# uv from PATH, else where `pip install --user` puts it. Recursive (=), so it is looked up
# again after the `uv` target has installed it.
USER_BIN := $(shell $(PYTHON) -m site --user-base 2>/dev/null)/bin
UV = $(firstword $(shell command -v uv 2>/dev/null) $(wildcard $(HOME)/.local/bin/uv $(USER_BIN)/uv))

.DEFAULT_GOAL := help
.PHONY: help uv sync run test lint bench sandbox worker

help: ## Show this list
	@awk 'BEGIN {FS = ":.*## "} /^[a-z]+:.*## / {printf "  make %-8s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo '  Extra arguments go in ARGS, e.g. make test ARGS="-k client"'

uv: ## Install uv with pip if it is not installed
	@if [ -z "$(UV)" ]; then \
	  echo "uv not found; installing it with pip"; \
	  $(PYTHON) -m pip install --user uv \
	    || $(PYTHON) -m pip install uv \
	    || $(PYTHON) -m pip install --user --break-system-packages uv; \
	fi

sync: uv ## Install the locked dependencies (dev group included) into .venv
	@test -n "$(UV)" || { echo "uv is still not found on PATH or in $(USER_BIN)" >&2; exit 1; }
	$(UV) sync --locked

run: sync ## Start the dashboard (streamlit run app.py)
	$(UV) run --locked streamlit run app.py $(ARGS)

worker: sync ## Run a standalone job worker (for app replicas with STOCKDESK_EMBEDDED_WORKER=false)
	$(UV) run --locked python -m lib.jobs.worker $(ARGS)

test: sync ## Run the whole test suite (pytest, TEST_WORKERS processes side by side)
	$(UV) run --locked pytest -n $(TEST_WORKERS) $(ARGS)

lint: sync ## ruff check and ruff format --check
	$(UV) run --locked ruff check . $(ARGS)
	$(UV) run --locked ruff format --check .

bench: sync ## Run the benchmarks
	$(UV) run --locked python -m benchmarks $(ARGS)

sandbox: sync ## Serve the fake PleasureStock API on port 8765
	$(UV) run --locked python -m lib.sandbox --port 8765 --api-key pk_test_sandbox $(ARGS)
