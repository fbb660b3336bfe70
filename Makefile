# Företagsenkät: `make run` serves the app on http://127.0.0.1:5000, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SURVEY := $(BIN)/survey
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install install-test translations run test lint format bench clean migration-initial

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

translations:
	$(BIN)/python -m survey.i18n

install: $(VENV)/.installed translations

install-test: $(VENV)/.installed-test translations

run: install
	$(SURVEY) db upgrade
	$(SURVEY) questionnaires load
	$(SURVEY) demo --if-empty
	$(SURVEY) setup admin
	@echo "Serving on http://$(HOST):$(PORT)  (stop with Ctrl-C)"
	$(SURVEY) run --host $(HOST) --port $(PORT)

# Bytecode is written even where the environment asks not to (PYTHONDONTWRITEBYTECODE): the
# test workers and the CLI, gunicorn and server processes the tests start then compile each
# module (and pytest rewrites each test's asserts) once, not once per process; collecting
# took 10 s per worker without the cache and 4 s with it.
test: install-test
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest -n 2 --dist loadgroup --durations=15

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install-test
	$(BIN)/python -m benchmarks

# Regenerate the initial schema revision from the models (only until the first release).
migration-initial: install
	mkdir -p /tmp/survey-migration && mv migrations/versions/0002_seed_service_areas.py /tmp/survey-migration/
	rm -f migrations/versions/0001_initial_schema.py /tmp/survey-migration/survey.db
	SURVEY_INSTANCE_DIR=/tmp/survey-migration $(SURVEY) db revision --autogenerate \
	  -m "initial schema" --rev-id 0001; \
	  status=$$?; mv /tmp/survey-migration/0002_seed_service_areas.py migrations/versions/; exit $$status

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
