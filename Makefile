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
	@$(RA) themes --input $(DEV)/gold.jsonl --format jsonl -o $(EVAL_OUT)/themes.jsonl
	@printf 'themes    '; $(SCORE) themes --gold $(DEV)/gold.jsonl --pred $(EVAL_OUT)/themes.jsonl
	@$(RA) practices --input $(DEV)/gold.jsonl --format jsonl -o $(EVAL_OUT)/practices.jsonl
	@printf 'practice  '; $(SCORE) practice --gold $(DEV)/gold.jsonl --pred $(EVAL_OUT)/practices.jsonl
	@$(RA) kinds --input $(DEV)/gold.jsonl --format jsonl -o $(EVAL_OUT)/kinds.jsonl
	@printf 'kind      '; $(SCORE) kind --gold $(DEV)/gold.jsonl --pred $(EVAL_OUT)/kinds.jsonl
	@$(PY) scripts/eval_practices.py $(DEV)/gold.jsonl --out $(EVAL_OUT)/cross --score ../shared/eval/score.py
	@grep '"report": "anker' $(DEV)/gold.jsonl > $(EVAL_OUT)/gold_anker.jsonl
	@grep '"report": "groen' $(DEV)/gold.jsonl > $(EVAL_OUT)/gold_groen.jsonl
	@$(RA) suggest --input $(DEV)/gold.jsonl --field theme --codebook $(DEV)/themes.json --format jsonl -o $(EVAL_OUT)/suggest_zero.jsonl
	@$(RA) suggest --input $(DEV)/gold.jsonl --field theme --codebook $(DEV)/themes.json --train $(EVAL_OUT)/gold_anker.jsonl --format jsonl -o $(EVAL_OUT)/suggest_anker.jsonl
	@$(RA) suggest --input $(DEV)/gold.jsonl --field theme --codebook $(DEV)/themes.json --train $(EVAL_OUT)/gold_groen.jsonl --format jsonl -o $(EVAL_OUT)/suggest_groen.jsonl
	@printf 'suggest   '; $(PY) scripts/learning_curve.py accuracy --gold $(DEV)/gold.jsonl --pred $(EVAL_OUT)/suggest_zero.jsonl --name "(codebook only)"
	@printf 'suggest   '; $(PY) scripts/learning_curve.py accuracy --gold $(DEV)/gold.jsonl --pred $(EVAL_OUT)/suggest_anker.jsonl --reports groen --name "(trained on anker)"
	@printf 'suggest   '; $(PY) scripts/learning_curve.py accuracy --gold $(DEV)/gold.jsonl --pred $(EVAL_OUT)/suggest_groen.jsonl --reports anker --name "(trained on groen)"

lint:
	$(VENV)/bin/ruff check src tests benchmarks scripts notebooks
	$(VENV)/bin/ruff format --check src tests benchmarks scripts notebooks

typecheck:
	$(VENV)/bin/mypy src

bench: install
	$(PY) benchmarks/bench_pipeline.py --anecdotes 3000
	@echo "per step: benchmarks/bench_{ingest,split,privacy,suggest,themes,project,interop}.py"

clean:
	rm -rf build .pytest_cache
