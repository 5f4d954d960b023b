# The two commands of the README. Each creates the virtual environment .venv from
# requirements.txt on first use (Python 3.11 as `python3`), then:
#   make book  — builds the book into _build/html (self-contained: MathJax and the widget scripts are fetched
#                from the npm registry into _build/web_assets by scripts/web_assets.py, and served by the site);
#   make test  — runs the whole test suite: every notebook under nbval, then the unit tests (with the browser
#                test of the built site, tests/test_site.py, which needs `make book` first).
# Both execute the notebooks through one step, `make notebooks`: nbval runs each notebook once and
# its outputs go into the book's execution cache (see conftest.py), so the book shows exactly what
# was tested and nothing is executed twice. The step is skipped when the notebooks, the package and
# the budget are unchanged since it last passed. The kernels run without MPLBACKEND, so that figures
# are rendered inline into the outputs the book shows, and with GANCOURSE_PROGRESS=0: a progress bar
# saved into a page would be a widget without a kernel, an empty box.
# GANCOURSE_BUDGET=large enlarges the budgets (for a GPU); GANCOURSE_DATA points at the data folder.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
NB_KEY := budget=$(or $(GANCOURSE_BUDGET),book) seed=$(or $(GANCOURSE_SEED),0) device=$(or $(GANCOURSE_DEVICE),auto)
NB_STAMP := _build/.notebooks-tested
NB_INPUTS := notebooks gancourse conftest.py requirements.txt pyproject.toml
SEEDS ?= 0 1 2 3 4

.PHONY: book test notebooks web-assets assignments seeds clean

$(BIN)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -r requirements.txt
	touch $@

notebooks: $(BIN)/.installed
	@if [ -f $(NB_STAMP) ] && [ "$$(cat $(NB_STAMP))" = "$(NB_KEY)" ] \
	    && [ -z "$$(find $(NB_INPUTS) -newer $(NB_STAMP) -not -path '*/__pycache__*' | head -1)" ]; then \
	  echo "notebooks: unchanged since nbval executed and passed them ($(NB_KEY)); not executed again"; \
	else \
	  rm -f $(NB_STAMP); \
	  env -u MPLBACKEND GANCOURSE_PROGRESS=0 $(BIN)/python -m pytest notebooks; \
	  echo "$(NB_KEY)" > $(NB_STAMP); \
	fi

web-assets: $(BIN)/.installed
	$(BIN)/python scripts/web_assets.py

book: web-assets notebooks          # web assets first: a missing npm stops the build at once
	$(BIN)/jupyter-book build . -W --keep-going 2>&1 | tee _build.log
	@! grep -q "Executing notebook using" _build.log || { echo "the book executed a notebook that nbval had not cached"; exit 1; }
	@$(BIN)/python scripts/notebook_times.py
	@echo "Book written to _build/html/index.html"

test: notebooks
	$(BIN)/python -m pytest tests
	@$(BIN)/python -m pytest tests -q -m timing || echo "make test: a wall-clock test failed (a busy machine?); tolerated — see scripts/benchmark.py"

# The graded assignments: regenerate the student versions from assignments/source (otter assign), then check that
# every solution scores full marks, every student version zero and every listed wrong answer fails (book/instructors.md).
assignments: $(BIN)/.installed
	$(BIN)/python scripts/assignments.py build
	$(BIN)/python scripts/assignments.py check

# The seed sweep: every notebook at GANCOURSE_SEED = $(SEEDS), each stochastic claim's spread and margin.
seeds: $(BIN)/.installed
	$(BIN)/python scripts/seed_sweep.py --seeds $(SEEDS)

clean:
	rm -rf _build _build.log
