# Two commands matter: `make demo` and `make test`. Everything installs into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= blended_xblocks.demo.settings

.PHONY: demo test lint-imports install migrate serve migrations messages compilemessages check-browser benchmark clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# DJANGO="<5" (for example) installs another Django over the pinned one: CI also runs the suite
# with Django 4.2, the LMS of Open edX releases before Ulmo, in its own VENV.
$(VENV)/.installed: $(BIN)/python requirements/test.txt setup.py
	$(BIN)/pip install -q -r requirements/test.txt
	$(if $(DJANGO),$(BIN)/pip install -q "Django$(DJANGO)")
	$(BIN)/pip install -q --no-deps -e .
	touch $@

install: $(VENV)/.installed

migrate: install
	$(BIN)/django-admin migrate --run-syncdb --noinput

serve: migrate
	@echo "Demo programme: http://127.0.0.1:$(PORT)/  (?student=amina, ?student=instructor)"
	$(BIN)/django-admin runserver --noreload 127.0.0.1:$(PORT)

demo: serve

check-browser: install
	@$(BIN)/python -m tests.browser.chromium

# The layers' contracts (pyproject.toml [tool.importlinter]); a broken one fails the build.
lint-imports: install
	$(BIN)/lint-imports --no-cache

test: install check-browser lint-imports
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Rewrites the one initial migration from the models (nothing is released yet).
migrations: install
	rm -f blended_xblocks/migrations/0001_initial.py
	$(BIN)/django-admin makemigrations blended_xblocks --name initial
	$(BIN)/django-admin makemigrations blended_xblocks_demo

messages: install
	$(BIN)/python scripts/i18n.py extract

compilemessages: install
	$(BIN)/python scripts/i18n.py compile

benchmark: install
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) var build dist *.egg-info
