# Liangxin: make run | make test | make bench | make lint | make messages
# Everything runs from the project's own .venv, which these targets create; the front-end
# packages (package-lock.json) come from npm into node_modules/ and are copied into static files.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
VENDOR := src/liangxin/static/vendor
NPM_STAMP := node_modules/.package-lock.json
VENDORED := $(VENDOR)/echarts/echarts.min.js $(VENDOR)/leaflet/leaflet.js

# Development defaults; a value already in the environment wins.
export LIANGXIN_HOME ?= $(CURDIR)

.PHONY: help run test bench lint messages system venv static

help:
	@echo "make run       start the development server with the demo data on http://127.0.0.1:8000/"
	@echo "make test      install what is missing, then the whole suite on SQLite and on PostgreSQL"
	@echo "make bench     write bench/results/latest.json"
	@echo "make lint      ruff format --check and ruff check"
	@echo "make messages  update and compile the translations (zh_Hans, en)"
	@echo "make static    install the pinned front-end packages (npm ci) and copy them into $(VENDOR)/"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
		echo "Could not create $(VENV); on Debian: apt-get install python3-venv" >&2; exit 1; }

# Reinstall only when pyproject.toml is newer than the last install.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

venv: $(STAMP)

system:
	@scripts/setup-system.sh

# npm ci installs exactly package-lock.json; it runs again only when the lock file changes.
# Without npm, the set-up installs Debian's nodejs and npm (and nothing else).
$(NPM_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || scripts/setup-system.sh npm
	npm ci --no-audit --no-fund

# The copies are built, not committed ($(VENDOR)/ is gitignored).
$(VENDOR)/echarts/echarts.min.js: $(NPM_STAMP)
	mkdir -p $(VENDOR)/echarts
	cp node_modules/echarts/dist/echarts.min.js node_modules/echarts/LICENSE $(VENDOR)/echarts/

# Leaflet for the public map: the script, its stylesheet, the marker images and the licence.
$(VENDOR)/leaflet/leaflet.js: $(NPM_STAMP)
	mkdir -p $(VENDOR)/leaflet/images
	cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css node_modules/leaflet/LICENSE $(VENDOR)/leaflet/
	cp node_modules/leaflet/dist/images/* $(VENDOR)/leaflet/images/

static: $(VENDORED)

run: export LIANGXIN_DEBUG ?= 1
run: $(STAMP) static
	$(BIN)/liangxin migrate --noinput
	$(BIN)/liangxin demo --with-reports
	@echo
	@echo "Liangxin is at http://127.0.0.1:8000/"
	@echo "Log in as admin, beichen, wuqing, beichen_shangwu … (see above); password: liangxin-demo"
	@echo
	$(BIN)/liangxin runserver 127.0.0.1:8000

test: system $(STAMP) static
	PATH="$(BIN):$$PATH" scripts/run-tests.sh $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python bench/run.py

lint: $(STAMP)
	$(BIN)/ruff format --check src tests bench
	$(BIN)/ruff check src tests bench

# The apps of the later bounded contexts keep their own catalogs (<app>/locale/): makemessages
# writes a file's strings to the nearest locale/ above it, so these directories must exist.
OWN_CATALOG_APPS := registry tradein recycling portal

messages: export LIANGXIN_DEBUG ?= 1
messages: system $(STAMP)
	cd src/liangxin && mkdir -p locale $(addsuffix /locale,$(OWN_CATALOG_APPS)) \
		&& $(BIN)/liangxin makemessages -l zh_Hans -l en --ignore .venv \
		&& $(BIN)/liangxin compilemessages
