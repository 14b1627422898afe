# PAPS Occitanie: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install run test migrate referentiels bench bench-charge clean

# Re-install only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 est requis ($(PYTHON) introuvable)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# Browser-test tooling (axe-core) from package-lock.json; re-installed only when the lock file changes. Without npm
# the accessibility checks are skipped with their reason (and fail in CI, which installs npm).
node_modules/.installed: package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund && touch $@; \
	else echo "npm absent (apt-get install nodejs npm) : contrôles d'accessibilité ignorés"; fi

migrate: install
	$(BIN)/python manage.py migrate --noinput

referentiels: migrate
	$(BIN)/python manage.py charger_referentiels

run: referentiels
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install node_modules/.installed
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install
	$(BIN)/python bench/charger_france.py
	$(BIN)/python bench/recherche_communes.py

# Load test: gunicorn (3 workers) driven by locust, on a throwaway database (see bench/README.md).
bench-charge: install
	$(BIN)/python bench/load/run.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
