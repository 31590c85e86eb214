# Kyodo: a fresh machine needs only Python 3.11+ and make. uv is bootstrapped into .tools/.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
RUN := $(UV) run --frozen --no-sync
PYTEST := $(RUN) pytest -p no:cacheprovider

.PHONY: run test test-unit test-integration test-e2e test-browser lint bench chaos soak fairness sync clean contracts

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: $(UV) uv.lock pyproject.toml $(wildcard libs/*/pyproject.toml services/*/pyproject.toml)
	$(UV) sync --frozen --all-packages --quiet
	touch $@

sync: $(VENV)/.synced

run: sync  ## the whole platform on this machine; Ctrl-C stops it
	$(RUN) kyodo up

COVERAGE := --cov --cov-report=
COVERAGE_DIR := test-artifacts/coverage

test: sync  ## every tier, and a coverage report of what the unit and integration tiers never reach
	@mkdir -p $(COVERAGE_DIR)
	$(PYTEST) libs services tests/contract tests/security -m "not integration and not e2e" -q $(COVERAGE)
	$(PYTEST) libs services tests/integration tests/security -m integration -q --durations=10 $(COVERAGE) --cov-append
	@$(RUN) coverage report > $(COVERAGE_DIR)/report.txt; $(RUN) coverage html -q; \
	  echo "Least covered modules (the whole report: $(COVERAGE_DIR)/html/index.html):"; \
	  head -n 22 $(COVERAGE_DIR)/report.txt; grep "^TOTAL" $(COVERAGE_DIR)/report.txt
	$(PYTEST) tests/e2e tests/security -m e2e -q --durations=15
	$(PYTEST) tests/browser -m browser -q --durations=5

test-unit: sync
	$(PYTEST) libs services tests/contract tests/security -m "not integration and not e2e" -q

test-integration: sync
	$(PYTEST) libs services tests/integration tests/security -m integration -q

test-e2e: sync
	$(PYTEST) tests/e2e tests/security -m e2e -q --durations=15

test-browser: sync  ## the counter app in Debian's chromium (apt-get install chromium)
	$(PYTEST) tests/browser -m browser -q --durations=5

lint: sync
	$(RUN) ruff check libs services tests bench
	$(RUN) mypy $(wildcard libs/*/src) $(wildcard services/*/src)

contracts: sync  ## rewrite contracts/ from the code (refuses breaking changes; see docs/contracts.md)
	$(RUN) kyodo contracts export $(if $(ACCEPT_BREAKING),--accept-breaking)
	$(RUN) kyodo contracts client

bench: sync
	$(RUN) python -m bench

chaos: sync  ## the fault suite under load (issue #21): minutes; QUICK=1 for the short subset
	$(RUN) python -m bench $(if $(QUICK),--quick) chaos

fairness: sync  ## one town's bulk work beside other towns' counters (issue #22): about half an hour; QUICK=1 (20,000 / 5,000) about 4 minutes
	$(RUN) python -m bench $(if $(QUICK),--quick) fairness

soak: sync  ## 30 minutes at half the measured capacity (issue #21); MINUTES=5 for a trial
	$(RUN) python -m bench $(if $(MINUTES),--minutes $(MINUTES)) soak

clean:
	rm -rf $(VENV) $(TOOLS) var
