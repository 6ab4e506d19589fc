# Liangxin: make run | make test | make bench | make lint | make messages
# Everything runs from the project's own .venv, which these targets create.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

# Development defaults; a value already in the environment wins.
export LIANGXIN_HOME ?= $(CURDIR)

.PHONY: help run test bench lint messages system venv

help:
	@echo "make run       start the development server with the demo data on http://127.0.0.1:8000/"
	@echo "make test      install what is missing, then the whole suite on SQLite and on PostgreSQL"
	@echo "make bench     write bench/results/latest.json"
	@echo "make lint      ruff format --check and ruff check"
	@echo "make messages  update and compile the translations (zh_Hans, en)"

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

run: export LIANGXIN_DEBUG ?= 1
run: $(STAMP)
	$(BIN)/liangxin migrate --noinput
	$(BIN)/liangxin demo
	@echo
	@echo "Liangxin is at http://127.0.0.1:8000/"
	@echo "Log in as admin, beichen, wuqing, beichen_shangwu … (see above); password: liangxin-demo"
	@echo
	$(BIN)/liangxin runserver 127.0.0.1:8000

test: system $(STAMP)
	PATH="$(BIN):$$PATH" scripts/run-tests.sh $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python bench/run.py

lint: $(STAMP)
	$(BIN)/ruff format --check src tests bench
	$(BIN)/ruff check src tests bench

messages: export LIANGXIN_DEBUG ?= 1
messages: system $(STAMP)
	cd src/liangxin && mkdir -p locale \
		&& $(BIN)/liangxin makemessages -l zh_Hans -l en --ignore .venv \
		&& $(BIN)/liangxin compilemessages
