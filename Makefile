# Everything a fresh machine needs: `make demo` (the main job on data/sample) and `make test`.
PYTHON ?= python3.11
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
RA     := $(VENV)/bin/reportanalysis
DEV    := ../shared/eval/dev
SCORE  := $(PY) ../shared/eval/score.py
EVAL_OUT ?= build/eval

.PHONY: install demo test test-fast eval lint typecheck bench browser clean

$(VENV)/.installed: pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON)"; exit 2; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip wheel setuptools
	$(PIP) install -q -c constraints.txt torch==2.13.0
	$(PIP) install -q -c constraints.txt -e '.[dev]'
	touch $@

install: $(VENV)/.installed

## The main job on data/sample: ingest → pseudonymise → split → themes → practices → report.
demo: install
	$(RA) run data/sample --out build/demo
	@echo "Het rapport staat in build/demo/ (report.html, report.docx, report.xlsx, report.md, report.json)"

## Headless Chromium for the test that renders the HTML report (Debian package).
browser:
	@command -v chromium >/dev/null || { \
	  (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || \
	  echo "chromium not installed: the browser test will be skipped"; }

## All tests, slow ones included.
test: install browser
	$(PY) -m pytest -q

test-fast: install
	$(PY) -m pytest -q -m "not slow"

## The scorer's figures on the dev set, through the command-line contract.
eval: install
	@mkdir -p $(EVAL_OUT)
	@$(RA) split $(DEV)/reports --format jsonl -o $(EVAL_OUT)/split.jsonl
	@printf 'split     '; $(SCORE) split --gold $(DEV)/gold.jsonl --pred $(EVAL_OUT)/split.jsonl --reports $(DEV)/reports

lint:
	$(VENV)/bin/ruff check src tests benchmarks scripts
	$(VENV)/bin/ruff format --check src tests benchmarks scripts

typecheck:
	$(VENV)/bin/mypy src

bench: install
	$(PY) benchmarks/run_all.py

clean:
	rm -rf build .pytest_cache
