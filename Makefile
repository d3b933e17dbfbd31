# The two commands: `make run` and `make test`. Each builds .venv/ by itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEV_STAMP := $(VENV)/.dev-installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup dev-setup lint typecheck pytest audit sysdeps bench clean

# Runtime only (requirements.lock): what `make run` and production need.
$(STAMP): requirements.lock pyproject.toml setup.py
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

# The development tools (requirements-dev.lock) on top, for lint, typecheck, tests and audit.
$(DEV_STAMP): $(STAMP) requirements-dev.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock -r requirements-dev.lock
	@touch $@

# Byte-compiled as pip compiles an installed wheel: the editable install leaves it to the first
# import, which PYTHONDONTWRITEBYTECODE forbids (then every `ssmark` command compiles anew).
setup: $(STAMP)
	@$(BIN)/ssmark i18n_compile
	@$(BIN)/python -m compileall -q src/ssmark >/dev/null

dev-setup: setup $(DEV_STAMP)

run: setup
	$(BIN)/ssmark demo
	$(BIN)/ssmark serve --host $(HOST) --port $(PORT)

# System packages the browser and PDF tests need (Debian's chromium, a Japanese font, poppler).
sysdeps:
	@bash scripts/sysdeps.sh

lint: dev-setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports --no-cache

typecheck: dev-setup
	$(BIN)/mypy

pytest: dev-setup sysdeps
	$(BIN)/pytest $(PYTEST_ARGS)

test: lint typecheck pytest

# Known vulnerabilities in the runtime lock (warns, does not fail, when the service is offline).
audit: dev-setup
	$(BIN)/python scripts/audit_runtime.py requirements.lock

bench: dev-setup
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
