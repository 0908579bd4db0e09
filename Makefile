# Two commands do all of the setup on a fresh machine:
#   make book   create .venv, install the project, execute the chapters, build the HTML book
#   make test   create .venv if missing, run the whole test suite (package, notebooks, book build)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

# The paper's text and the mirrored public data sit beside the project on the
# team's machines and in CI; a reader sets these to their own copies.
SHARED := $(abspath ../shared)
ifneq ($(wildcard $(SHARED)/paper/migrations-in-the-cis-region.txt),)
export CIS_COMPENDIUM_PAPER ?= $(SHARED)/paper/migrations-in-the-cis-region.txt
endif
ifneq ($(wildcard $(SHARED)/data/external/SOURCES.csv),)
export CIS_COMPENDIUM_DATA ?= $(SHARED)/data/external
endif

.PHONY: env book test lint notebooks pdf release bench clean

env: $(INSTALLED)

$(INSTALLED): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[book,test]"
	touch $@

book: env
	$(BIN)/python -m compendium.build

# The browser and PDF tests need Debian's Chromium; the script installs it when run as root.
test: env lint
	bash scripts/ensure-chromium.sh
	$(BIN)/python -m pytest

lint: env
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

# PDF of the whole book: single-page HTML printed by headless Chromium (offline, no TeX).
pdf: env
	bash scripts/ensure-chromium.sh
	$(BIN)/python -m compendium.pdf

# A citable release of the current commit (refuses a dirty tree): book and PDF built from
# scratch, archived in dist/cis-migration-compendium-<version>.tar.gz with its .sha256 and the
# deposit metadata. See "Release" in README.md.
release: env
	bash scripts/ensure-chromium.sh
	$(BIN)/compendium release

# Build and run timings against a floor measured in the same run; JSON in benchmarks/results/.
bench: env
	$(BIN)/python benchmarks/run.py

# Refresh the executed outputs committed in the notebooks (nbval compares against them).
notebooks: env
	$(BIN)/python -m compendium.notebooks

clean:
	rm -rf _build results
