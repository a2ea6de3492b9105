# The two commands a user needs: `make run` and `make test`. Everything else is what they depend on.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
BUILD := portal/static/build
PORT ?= 5000

CATALOGUES := $(wildcard portal/translations/*/LC_MESSAGES/messages.po)

.PHONY: run test setup assets translations messages lint security clean bench

## run: set everything up, load the demo data and start the portal, outbox worker and mail catcher
run: setup
	@mkdir -p instance
	PORTAL_ENV=development $(FLASK) db upgrade
	PORTAL_ENV=development $(FLASK) seed-demo
	@PORT=$(PORT) scripts/run-dev

## test: set everything up and run every test (TEST_DATABASE_URL selects PostgreSQL)
test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## lint: ruff over the code
lint: setup
	$(BIN)/ruff check .

## security: ruff's bandit rules (S) over the code, and pip-audit over the pinned requirements (pip-audit needs
## the network; without it, scripts/audit-dependencies warns that nothing was checked)
security: setup
	$(BIN)/ruff check --select S --ignore S101 .
	scripts/audit-dependencies $(BIN)

setup: $(VENV)/.installed assets translations

## bench: set everything up, then the load and scale benchmarks (bench/run.py; not part of `make test`): the portal
## and a bare Flask baseline under gunicorn, SQLite and PostgreSQL, 10,000 to 1,000,000 referrals, about 20 minutes.
## The table goes to bench/results/. BENCH_ARGS="--quick" for a smoke run of a few minutes.
bench: setup $(VENV)/.bench-installed
	$(BIN)/python bench/run.py $(BENCH_ARGS)

$(VENV)/.bench-installed: requirements.txt requirements-dev.txt requirements-bench.txt $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
	  -r requirements.txt -r requirements-dev.txt -r requirements-bench.txt
	$(BIN)/python -m pip check
	@touch $@

## translations: compile the catalogues (.po, committed) into the .mo files the app reads. Every translation is
## used, including those marked fuzzy: those are drafts waiting for a native speaker's review (see README).
translations: $(CATALOGUES:.po=.mo)

portal/translations/%/LC_MESSAGES/messages.mo: portal/translations/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@ -l $* >/dev/null

## messages: after changing what residents see, extract the strings again and update every catalogue
messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k ngettext:1,2 --sort-output \
	  --project "Community safety referral portal" -o portal/translations/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching -i portal/translations/messages.pot -d portal/translations

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-dev.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

assets: $(BUILD)/portal.css $(BUILD)/govuk-frontend.min.js

$(BUILD)/portal.css: node_modules/.installed portal/static/scss/portal.scss
	@mkdir -p $(BUILD)
	node_modules/.bin/sass --no-source-map --style=compressed --quiet-deps \
	  --load-path=node_modules/govuk-frontend/dist portal/static/scss/portal.scss $@

$(BUILD)/govuk-frontend.min.js: node_modules/.installed
	@mkdir -p $(BUILD)
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js $@

clean:
	rm -rf $(VENV) node_modules $(BUILD) .pytest_cache
