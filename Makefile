# Spil: `make demo` runs Spil with demo data, `make test` runs the tests. Both need only Python 3.11.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_SIZE ?= demo

.PHONY: install demo test bench assets clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

# The web server and, beside it, a worker of the task queue (signals, notifications); the worker stops with the server.
demo: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py demo_data --size $(DEMO_SIZE)
	$(PY) manage.py procrastinate worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(VENV)/bin/ruff check src tests
	$(PY) -m pytest

# Refresh the vendored NL Design System CSS and htmx (committed, so installs never need npm).
assets:
	npm ci --no-audit --no-fund
	cp node_modules/@utrecht/component-library-css/dist/index.css src/spil/web/static/vendor/utrecht-component-library.css
	cp node_modules/htmx.org/dist/htmx.min.js src/spil/web/static/vendor/htmx.min.js

clean:
	rm -rf $(VENV) var/static .pytest_cache
