# KLA Konsolidasi. `make` or `make help` lists the targets.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
INPUTS ?= inputs
OUTPUTS ?= outputs
WILAYAH ?=
ARGS ?=
WILAYAH_ARG := $(if $(WILAYAH),--wilayah $(WILAYAH),)

.DEFAULT_GOAL := help
.PHONY: help templates consolidate test lint bench docs clean

help: ## Tampilkan daftar perintah
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	@echo "Menyiapkan lingkungan Python di $(VENV) (sekali saja)..."
	@$(PY) -m pip install --quiet --upgrade pip
	@$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

templates: $(STAMP) ## Buat template Excel per OPD ke templates_xlsx/<tahun>/
	@$(PY) -m pipeline templates $(WILAYAH_ARG) $(ARGS)

consolidate: $(STAMP) ## Baca isian di inputs/, validasi, skor, tulis hasil ke outputs/
	@$(PY) -m pipeline consolidate --inputs $(INPUTS) --outputs $(OUTPUTS) $(WILAYAH_ARG) $(ARGS)

test: $(STAMP) ## Jalankan seluruh pengujian
	@$(PY) -m pytest

lint: $(STAMP) ## Periksa gaya dan tipe kode (ruff, mypy)
	@$(PY) -m ruff check pipeline tests
	@$(PY) -m ruff format --check pipeline tests
	@$(PY) -m mypy pipeline

bench: $(STAMP) ## Ukur kecepatan (N=30, 300, 3000) dan tulis docs/performance.md
	@$(PY) -m bench.run $(ARGS)

clean: ## Hapus lingkungan Python dan hasil
	rm -rf $(VENV) $(OUTPUTS)/* .pytest_cache .mypy_cache .ruff_cache
