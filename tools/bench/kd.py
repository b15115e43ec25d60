"""Bench case for the KD roll-up: 30 kecamatan workbooks holding 400 desa rows, filled (not timed)."""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

import openpyxl

from pipeline import config
from pipeline.instrument import read_instrument
from pipeline.region import read_region
from pipeline.templates.kecamatan import HEADER_ROW, write_kecamatan_templates

KECAMATAN = 30
DESA = 400
FIXED_NOW = dt.datetime(2024, 1, 15, 8, 0, 0)


def write_master_list(path: Path, region_code: str) -> Path:
    """30 kecamatan sharing 400 desa/kelurahan (13 or 14 each)."""
    rows = [("kode", "nama", "jenis")]
    for k in range(1, KECAMATAN + 1):
        kecamatan = f"{region_code}.{k:02d}"
        rows.append((kecamatan, f"Kecamatan Uji {k}", "kecamatan"))
        count = DESA // KECAMATAN + (1 if k <= DESA % KECAMATAN else 0)
        rows += [
            (f"{kecamatan}.{2000 + d}", f"Desa Uji {k}-{d}", "desa") for d in range(1, count + 1)
        ]
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def write_kd_case(work: Path) -> tuple[Path, Path]:
    """(region settings file, inputs folder) of the KD case, under work/kd/."""
    folder = work / "kd"
    folder.mkdir(parents=True, exist_ok=True)
    text = config.EXAMPLE_REGION_FILE.read_text(encoding="utf-8")
    example = read_region(config.EXAMPLE_REGION_FILE)
    master = write_master_list(folder / "desa.csv", example.kode)
    settings = folder / "wilayah.toml"
    settings.write_text(
        text.replace('"wilayah-contoh-desa.csv"', f'"{master.as_posix()}"'), encoding="utf-8"
    )
    region = read_region(settings)
    instrument = read_instrument(region.instrumen)
    inputs = folder / "inputs"
    rng = random.Random(20241203)
    for path in write_kecamatan_templates(instrument, region, folder / "templates", now=FIXED_NOW):
        _fill(path, inputs / path.name, rng)
    return settings, inputs


def _fill(template: Path, target: Path, rng: random.Random) -> None:
    book = openpyxl.load_workbook(template)
    kecamatan = book[config.SHEET_KECAMATAN]
    for row in range(HEADER_ROW + 2, kecamatan.max_row + 1):
        kecamatan.cell(row, 4).value = rng.choice(("Ya", "Tidak"))
        kecamatan.cell(row, 5).value = "SK Camat No. 1/2024"
    desa = book[config.SHEET_DESA]
    headers = [c.value for c in desa[HEADER_ROW + 1]]
    answer_cols = [i + 1 for i, h in enumerate(headers) if h and str(h)[:1] == "I"]
    evidence = headers.index(config.COL_EVIDENCE) + 1
    for row in range(HEADER_ROW + 2, desa.max_row + 1):
        for col in answer_cols:
            desa.cell(row, col).value = rng.choice(("Ya", "Ya", "Tidak"))
        desa.cell(row, evidence).value = "SK Kades No. 3/2024"
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)
