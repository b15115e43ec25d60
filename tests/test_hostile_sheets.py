"""Every sheet python-calamine parses is measured first, whatever the kind of workbook.

A cell far down a sheet makes python-calamine build a dense grid up to it; the sheets of the
kecamatan and verification workbooks, and _meta (read to tell the kinds apart), are measured too.
A cell at row 30,000 is over MAX_SHEET_ROWS yet cheap to parse, should a check be missing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from pipeline import config, tables
from pipeline.ingest.files import read_inputs
from pipeline.ingest.sniff import MAX_SHEET_ROWS
from pipeline.instrument import Instrument
from pipeline.region import Region
from tests.builders import found, returned, status

FAR_ROW = MAX_SHEET_ROWS + 10_000
EXAMPLE = config.EXAMPLE_INPUTS_DIR
KECAMATAN = EXAMPLE / "kecamatan" / "KLA2024_KEC_990101_Sukamaju.xlsx"
VERIFICATION = EXAMPLE / "email" / "Verifikasi Klaster III - hasil tim verifikator.xlsx"


def far_cell(source: Path, target: Path, sheet: str) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    book = openpyxl.load_workbook(target)
    book[sheet][f"A{FAR_ROW}"] = "ujung"
    book.save(target)
    return target


@pytest.mark.parametrize(
    ("source", "sheet"),
    [
        (KECAMATAN, config.SHEET_DESA),
        (KECAMATAN, config.SHEET_KECAMATAN),
        (KECAMATAN, config.SHEET_IDENTITY),
        (KECAMATAN, config.SHEET_META),
        (VERIFICATION, config.SHEET_VERIFICATION),
        (VERIFICATION, config.SHEET_META),
    ],
)
def test_sheets_of_other_kinds_are_measured_before_parsing(
    tmp_path: Path, instrument: Instrument, region: Region, source: Path, sheet: str
) -> None:
    far_cell(source, tmp_path / "berkas.xlsx", sheet)
    result = read_inputs(tmp_path, instrument, region, jobs=1)
    assert status(result) == {"berkas.xlsx": tables.FILE_REJECTED}
    assert found(result) == [(sheet, "", "lembar-terlalu-besar")]


def test_meta_of_an_opd_workbook_is_measured_before_parsing(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    source = returned(template_paths["DINKES"], tmp_path / "asli" / "dinkes.xlsx")
    far_cell(source, tmp_path / "masuk" / "dinkes.xlsx", config.SHEET_META)
    result = read_inputs(tmp_path / "masuk", instrument, region, jobs=1)
    assert status(result) == {"dinkes.xlsx": tables.FILE_REJECTED}
    assert found(result) == [(config.SHEET_META, "", "lembar-terlalu-besar")]
