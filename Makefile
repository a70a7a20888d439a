# Spil: `make demo` runs Spil with demo data, `make test` runs the tests. Both need only Python 3.11.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_SIZE ?= demo

.PHONY: install lock demo test bench assets clean

# Every dependency, with the test tools, installs from requirements.lock: exact versions, each checked against its
# hashes. Spil itself goes in editable, without dependencies and with the locked setuptools as its build backend.
$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

install: $(VENV)/.installed

# Regenerate requirements.lock after changing a pin in pyproject.toml (tests/test_lock_file.py fails until then).
# Pins already in the lock stay unless the change needs another version; `make lock LOCK_ARGS=--upgrade` updates
# every transitive dependency. Resolved for Python 3.11 on Linux; the hashes cover every file of each release.
LOCK_TOOLS := var/lock-tools
lock:
	test -x $(LOCK_TOOLS)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_TOOLS) && $(LOCK_TOOLS)/bin/python -m pip install --quiet pip-tools==7.6.2; }
	$(LOCK_TOOLS)/bin/pip-compile --quiet --extra test --build-deps-for editable --generate-hashes --allow-unsafe --strip-extras \
		--no-emit-index-url --no-emit-find-links $(LOCK_ARGS) --output-file requirements.lock pyproject.toml

# The web server and, beside it, a worker of the task queue (signals, notifications); the worker stops with the server.
demo: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py demo_data --size $(DEMO_SIZE)
	$(PY) manage.py procrastinate worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(PY) -m pytest

# Refresh the vendored NL Design System CSS and htmx (committed, so installs never need npm).
assets:
	npm ci --no-audit --no-fund
	cp node_modules/@utrecht/component-library-css/dist/index.css src/spil/web/static/vendor/utrecht-component-library.css
	cp node_modules/htmx.org/dist/htmx.min.js src/spil/web/static/vendor/htmx.min.js

clean:
	rm -rf $(VENV) var/static .pytest_cache
