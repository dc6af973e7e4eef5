# Cadre: two commands set everything up on a fresh Debian machine with Python 3.11.
#   make run   install, migrate, load demo data if the database is empty, serve on :8000
#   make test  install dev tools, then lint, type-check and run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
STAMP  := $(VENV)/.installed

.PHONY: install sandbox-tools run test lint typecheck pytest bench-web clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the project's dependencies change.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The coding-task sandbox (screening/sandbox.py) runs candidate code under Debian's bubblewrap.
# Installed once when missing and we are root; otherwise a one-line hint (its tests fail without it).
sandbox-tools:
	@if ! command -v bwrap >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap >/dev/null; \
		else \
			echo "note: install Debian's bubblewrap (apt-get install bubblewrap) for the coding-task sandbox" >&2; \
		fi; \
	fi

install: $(STAMP) sandbox-tools

run: install
	$(BIN)/cadre migrate --noinput
	$(BIN)/cadre demo --if-empty
	$(BIN)/cadre serve --port $(PORT)

lint: install
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: install
	$(BIN)/mypy src

pytest: install
	CADRE_DB_CONN_MAX_AGE=0 $(BIN)/pytest

test: lint typecheck pytest

bench-web: install
	$(BIN)/cadre bench web --people 100000 --json

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
