# The two commands of the README. Each creates the virtual environment .venv from
# requirements.txt on first use (Python 3.11 as `python3`), then:
#   make book  — builds the book into _build/html, executing every notebook;
#   make test  — runs the whole test suite: unit tests and every notebook under nbval.
# GANCOURSE_FAST=1 shrinks the budgets; GANCOURSE_DATA points at the data folder.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: book test clean

$(BIN)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -r requirements.txt
	touch $@

book: $(BIN)/.installed
	$(BIN)/jupyter-book build . -W --keep-going 2>&1 | tee _build.log
	@echo "Book written to _build/html/index.html"

test: $(BIN)/.installed
	$(BIN)/python -m pytest

clean:
	rm -rf _build _build.log
