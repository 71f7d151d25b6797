# racebot: `make run` and `make test` each set up the virtual environment on first use.
# Dependencies come from uv.lock (exact versions and hashes); `make lock` updates it.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
UV_VERSION := 0.13.9
UV := $(BIN)/uv
# uv installs into this venv, whatever venv the shell has active
UV_ENV := UV_PROJECT_ENVIRONMENT=$(VENV) VIRTUAL_ENV=

.PHONY: run test lint typecheck unit bench lock clean

UV_STAMP := $(VENV)/.uv-$(UV_VERSION)

# The venv and uv in it (pinned; from PyPI like any package).
$(UV_STAMP):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "racebot needs Python 3.11 or newer (set PYTHON=...)"; exit 2; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "uv==$(UV_VERSION)"
	@touch $(UV_STAMP)

# Exactly what uv.lock says; it refuses a lock that no longer matches pyproject.toml (make lock).
$(STAMP): pyproject.toml uv.lock $(UV_STAMP)
	$(UV_ENV) $(UV) sync --locked --inexact --extra dev --python $(BIN)/python --quiet
	@touch $(STAMP)

## run: the bot when DISCORD_TOKEN is set (environment or .env), else the offline console
run: $(STAMP)
	$(BIN)/racebot start

## test: lint, format check, strict typing and the whole test suite
test: lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -q

## bench: parse, load, query and end-to-end benchmarks (BENCH_JSON=path writes the figures)
bench: $(STAMP)
	$(BIN)/python -m bench

## lock: re-resolve uv.lock after changing dependencies in pyproject.toml (UPGRADE=1: newest
## versions within pyproject's ranges); commit uv.lock with the change
lock: $(UV_STAMP)
	$(UV_ENV) $(UV) lock $(if $(UPGRADE),--upgrade)

clean:
	rm -rf $(VENV) .venv-* build *.egg-info .mypy_cache .ruff_cache .hypothesis
