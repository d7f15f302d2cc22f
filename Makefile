# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run seed superuser test test-browser check check-api benchmark clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

## Serve the site on 127.0.0.1:8000 with the seed data loaded (SQLite unless DATABASE_URL is set),
## and the worker that runs large imports in the background; Ctrl-C stops both.
run: seed
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py export --verbosity 0
	@echo "Admin: create an account with 'make superuser', then open http://127.0.0.1:8000/admin/"
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

## Migrate and load the curated seed data; running it twice changes nothing.
seed: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed

## Create an admin account interactively.
superuser: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createsuperuser

## Run the whole test suite (browser tests run when Chromium is installed).
test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

## Lint and format check (ruff), and models and migrations agree.
check: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check

## Fuzz the read API against its OpenAPI schema (schemathesis) and validate the export
## package (frictionless), on a seeded database of their own.
check-api: $(STAMP)
	scripts/check_api.sh

## Time the public pages on a large generated dataset.
benchmark: $(STAMP)
	$(PY) scripts/benchmark.py

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles test-artifacts
