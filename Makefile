# KLA Konsolidasi. `make` or `make help` lists the targets.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
INSTALL_LOG := $(VENV)/install.log
INPUTS ?= inputs
OUTPUTS ?= outputs
WILAYAH ?=
ARGS ?=
WILAYAH_ARG := $(if $(WILAYAH),--wilayah "$(WILAYAH)",)
SEBELUMNYA ?=
PETA ?=
SEBELUMNYA_ARG := $(if $(SEBELUMNYA),--sebelumnya "$(SEBELUMNYA)",)$(if $(PETA), --peta "$(PETA)",)

.DEFAULT_GOAL := help
.PHONY: help templates consolidate test lint bench contoh docs clean lock golden provinsi opendata
PROVINSI ?=
PROVINSI_ARG := $(if $(PROVINSI),--provinsi "$(PROVINSI)",)

help: ## Tampilkan daftar perintah
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements.lock
	@test -n "$(PYTHON)" || { echo "GALAT: Python 3.11 tidak ditemukan. Pasang Python 3.11 lalu ulangi."; exit 1; }
	@echo "Menyiapkan lingkungan Python di $(VENV) (sekali saja, 1-2 menit): paket diunduh dari internet (PyPI)..."
	@test -x "$(PY)" || $(PYTHON) -m venv "$(VENV)" > /dev/null 2>&1 || { rm -rf "$(VENV)"; \
		echo "GALAT: lingkungan Python tidak dapat dibuat. Di Ubuntu/WSL pasang dulu: sudo apt install python3-venv"; exit 1; }
	@{ "$(PY)" -m pip install --upgrade pip && "$(PY)" -m pip install --require-hashes -r requirements.lock && "$(PY)" -m pip install --no-deps -e . && "$(PY)" -m compileall -q pipeline; } > "$(INSTALL_LOG)" 2>&1 \
		|| { echo "GALAT: pemasangan paket gagal. Periksa sambungan internet (atau proxy kantor: HTTPS_PROXY) lalu ulangi; rincian: $(INSTALL_LOG)"; exit 1; }
	@touch "$(STAMP)"

templates: $(STAMP) ## Buat template Excel per OPD ke templates_xlsx/<tahun>/
	@$(PY) -m pipeline templates $(WILAYAH_ARG) $(SEBELUMNYA_ARG) $(ARGS)

consolidate: $(STAMP) ## Baca isian di inputs/, validasi, skor, tulis hasil ke outputs/
	@$(PY) -m pipeline consolidate --inputs "$(INPUTS)" --outputs "$(OUTPUTS)" $(WILAYAH_ARG) $(SEBELUMNYA_ARG) $(ARGS)

test: $(STAMP) ## Jalankan seluruh pengujian
	@$(PY) -m pytest

lint: $(STAMP) ## Periksa gaya, tipe dan lapisan kode (ruff, mypy, import-linter)
	@$(PY) -m ruff check pipeline tests tools
	@$(PY) -m ruff format --check pipeline tests tools
	@$(PY) -m mypy pipeline tools
	@$(VENV)/bin/lint-imports --no-cache

bench: $(STAMP) ## Ukur kecepatan (N=30, 300, 3000) dan tulis docs/performance.md
	@$(PY) -m tools.bench.run $(ARGS)

contoh: $(STAMP) ## Buat ulang contoh bawaan di contoh/inputs/ dari template terbaru
	@$(PY) -m tools.example.build
	@$(PY) -m tools.example.previous

golden: $(STAMP) ## Perbarui tests/golden/ (isi laporan contoh) setelah perubahan laporan yang disengaja
	@$(PY) -m tools.golden

docs: $(STAMP) ## Jalankan contoh dan contoh provinsi, gambar halaman pertamanya ke docs/ringkasan.png, docs/provinsi.png
	@$(PY) -m pipeline consolidate --inputs contoh/inputs --outputs "$(OUTPUTS)" --wilayah schemas/wilayah-contoh.toml --sebelumnya contoh/2023/outputs --no-progress > /dev/null
	@$(PY) -m tools.preview "$(OUTPUTS)"/Konsolidasi_KLA_Sukamaju_Raya_2024.xlsx docs/ringkasan.png && echo "Ditulis: docs/ringkasan.png"
	@$(PY) -m pipeline provinsi --inputs contoh/provinsi --outputs "$(OUTPUTS)/provinsi" --provinsi schemas/provinsi-contoh.toml > /dev/null
	@$(PY) -m tools.preview "$(OUTPUTS)"/provinsi/Provinsi_KLA_Nusa_Harapan_2024.xlsx docs/provinsi.png && echo "Ditulis: docs/provinsi.png"

provinsi: $(STAMP) ## Rekap provinsi dari hasil kab/kota di INPUTS (contoh provinsi bila kosong)
	@$(PY) -m pipeline provinsi --inputs "$(INPUTS)" --outputs "$(OUTPUTS)" $(PROVINSI_ARG) $(ARGS)

opendata: $(STAMP) ## Tulis data terbuka (CSV, badan CKAN, metadata) ke OUTPUTS/opendata/
	@$(PY) -m pipeline opendata --outputs "$(OUTPUTS)"

clean: ## Hapus lingkungan Python dan hasil (riwayat.jsonl tetap disimpan)
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
	find "$(OUTPUTS)" -mindepth 1 -maxdepth 1 ! -name riwayat.jsonl ! -name .gitkeep -exec rm -rf {} +

lock: $(STAMP) ## Perbarui requirements.lock (versi paket dengan hash) dari pyproject.toml
	@$(PY) -m pip install -q uv
	@"$(VENV)/bin/uv" pip compile pyproject.toml --extra dev --generate-hashes --universal --python-version 3.11 -q -o requirements.lock
	@echo "Ditulis: requirements.lock"
