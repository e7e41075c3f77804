# Gitpod Self-Hosted external components: an executable guide.
# Every target shares one idempotent set-up: .venv from requirements.lock.
SHELL := /bin/bash
export NO_MKDOCS_2_WARNING := 1
# Some shells set PYTHONDONTWRITEBYTECODE: then every run recompiles the package and pytest rewrites
# every test module again, in each xdist worker. Bytecode caches land in gitignored __pycache__/.
unexport PYTHONDONTWRITEBYTECODE
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: help setup serve build zensical test lint typecheck lock lock-upgrade clean bench-checker

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | \
	  awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-14s %s\n", $$1, $$2}'

# Re-runs only when the lock or the project metadata changed: no network otherwise.
$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@# The site's own modules (macros/: its Markdown extensions, which MkDocs and Zensical load by
	@# name) are importable in this environment only; the package never installs them.
	$(BIN)/python -c 'import site, sys; open(site.getsitepackages()[0] + "/gitpod-docs-site.pth", "w").write(sys.argv[1] + "\n")' "$(CURDIR)"
	@touch $@

setup: $(STAMP) ## Create .venv and install the pinned dependencies (idempotent)

serve: $(STAMP) ## Serve the site on http://$(HOST):$(PORT) with live reload
	$(BIN)/mkdocs serve --strict --dev-addr $(HOST):$(PORT)

build: $(STAMP) ## Build the static site into site/ (fails on any warning)
	$(BIN)/mkdocs build --strict --clean --site-dir site

zensical: $(STAMP) ## Build the site with Zensical, Material's successor, into site-zensical/
	$(BIN)/zensical build -f zensical.yml --strict --clean

lint: $(STAMP) ## ruff over the package, macros/, tests/ and scripts/
	$(BIN)/ruff check gitpod_resources macros tests scripts
	$(BIN)/ruff format --check gitpod_resources macros tests scripts

typecheck: $(STAMP) ## mypy --strict over the package and macros/
	$(BIN)/mypy --strict gitpod_resources macros

# One xdist worker per core; worksteal keeps the browser suite's long tests from queueing behind
# each other. PYTEST_WORKERS=-n0 runs serially (for a debugger or -x).
PYTEST_WORKERS ?= -n auto --dist worksteal

test: $(STAMP) ## Run the whole suite (lint, types, rules, built site) on every core
	$(BIN)/python -m pytest $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Lighthouse (package-lock.json pins it exactly): `npm ci` only when the lock changed.
.PHONY: node audit bench
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

node: $(NODE_STAMP) ## Install the pinned Lighthouse into node_modules/ (idempotent)

audit: $(STAMP) $(NODE_STAMP) ## Lighthouse: accessibility, best practices, SEO = 100 on every page
	$(BIN)/python -m pytest -m audit $(PYTEST_ARGS)

bench: $(STAMP) $(NODE_STAMP) ## Speed and size against their targets; writes and prints bench/report.md
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

lock: $(STAMP) ## Re-pin requirements.lock after editing pyproject.toml (keeps existing pins)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes $(LOCK_ARGS) \
	  --custom-compile-command "make lock" -o requirements.lock

lock-upgrade: ## Re-pin every dependency to its newest release
	$(MAKE) lock LOCK_ARGS=--upgrade

.PHONY: refresh-data
refresh-data: $(STAMP) ## Regenerate gitpod_resources/data/aws_s3_regions.json from the pinned botocore
	$(BIN)/python scripts/refresh_aws_data.py

bench-checker: $(STAMP) ## Time and memory of `gitpod-resources check` on hostile input (budgets)
	$(BIN)/python scripts/bench_checker.py

clean: ## Remove the built site and caches (keeps .venv)
	rm -rf site site-zensical .pytest_cache .mypy_cache .ruff_cache

.PHONY: registry-check
registry-check: $(STAMP) ## Live proof: the in-cluster registry on S3 keeps every image in the bucket
	$(BIN)/python -m pytest tests/live/test_registry_on_s3.py -s -v
