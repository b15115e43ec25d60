"""The consolidated workbook carries ringkasan.json, its format and run time in a very hidden sheet,
and it still reads after LibreOffice re-saves the workbook (very hidden becomes hidden)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from pipeline import config
from pipeline.ingest.summary import read_summary_file, summary_from_rows
from pipeline.report.machine import summary_rows
from tests.builders import soffice_convert

EXAMPLE = config.EXAMPLE_PROVINCE_DIR / "Konsolidasi_KLA_Tanjung_Padi_2024.xlsx"
JSON_ONLY = config.EXAMPLE_PROVINCE_DIR / "kota_cahaya_baru" / "ringkasan.json"


def test_hidden_summary_is_ringkasan_json_plus_format_and_run_time() -> None:
    read = read_summary_file(EXAMPLE, EXAMPLE.parent)
    assert read.issues == [] and read.summary is not None
    extra = {k: read.summary[k] for k in ("format_ringkasan", "dibuat", "instrumen", "penerbit")}
    assert extra == {
        "format_ringkasan": "1",
        "dibuat": "2024-04-02T09:15:00",
        "instrumen": {"id": "kla-2024", "berkas": "kla-2024.toml"},
        "penerbit": {
            "nama_skpd": "Dinas Pemberdayaan Perempuan dan Perlindungan Anak Kabupaten Tanjung Padi",
            "penanggung_jawab_bidang": "Kepala Bidang Pemenuhan Hak Anak, DP3A",
        },
    }
    assert set(read.summary) >= {"wilayah", "tahun", "total", "kategori", "klaster", "indikator"}


def test_ringkasan_json_equals_the_hidden_summary(tmp_path: Path, instrument, region) -> None:
    from pipeline.consolidate import run

    output = run(config.EXAMPLE_INPUTS_DIR, tmp_path, instrument, region, jobs=1)
    hidden = read_summary_file(output.report, tmp_path).summary
    assert hidden is not None
    plain = json.loads((tmp_path / config.OUT_SUMMARY).read_text(encoding="utf-8"))
    assert {k: v for k, v in hidden.items() if k in plain} == plain
    book = openpyxl.load_workbook(output.report)
    sheet = book[config.SHEET_MACHINE_SUMMARY]
    assert sheet.sheet_state == "veryHidden"
    assert [sheet["A1"].value, sheet["A2"].value, sheet["A3"].value] == [
        "format_ringkasan",
        "dibuat",
        "json",
    ]


def test_long_summary_is_split_over_cells_and_joined_back() -> None:
    body = {
        "format_ringkasan": "1",
        "dibuat": "2024-01-01T00:00:00",
        "wilayah": {"kode": "99.01", "nama": "x" * 70000},
        "tahun": 2024,
        "total": {"mandiri": 1.0, "terverifikasi": 1.0, "maks": 1000.0},
        "kategori": {},
        "klaster": {},
        "indikator": {},
    }
    rows = summary_rows(body)
    assert [key for key, _ in rows] == ["format_ringkasan", "dibuat", "json", "json", "json"]
    assert all(len(value) <= config.SUMMARY_CHUNK for _, value in rows)
    assert summary_from_rows("a.xlsx", [list(row) for row in rows]).summary == body


@pytest.mark.libreoffice
@pytest.mark.parametrize("target", ["xlsx:Calc MS Excel 2007 XML", "ods"])
def test_libreoffice_resaved_workbook_still_reads(tmp_path: Path, target: str) -> None:
    source = tmp_path / "asli" / EXAMPLE.name
    source.parent.mkdir()
    shutil.copyfile(EXAMPLE, source)
    out = tmp_path / "disimpan_ulang"
    out.mkdir()
    converted = soffice_convert(source, target, out)
    resaved = out / f"{EXAMPLE.stem}.{target.split(':')[0]}"
    assert converted.returncode == 0 and resaved.exists(), converted.stderr
    if resaved.suffix == ".xlsx":
        state = openpyxl.load_workbook(resaved)[config.SHEET_MACHINE_SUMMARY].sheet_state
        assert state == "hidden"  # LibreOffice keeps it hidden, not very hidden
    again = read_summary_file(resaved, out)
    assert again.issues == []
    assert again.summary == read_summary_file(source, source.parent).summary


def test_ringkasan_json_alone_reads() -> None:
    read = read_summary_file(JSON_ONLY, config.EXAMPLE_PROVINCE_DIR)
    assert read.kind == "json" and read.issues == [] and read.generated == ""
    assert read.summary is not None and read.summary["wilayah"]["kode"] == "99.72"
