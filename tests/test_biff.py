""".xls sheets are measured from their cell records before python-calamine parses them."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from pipeline import tables
from pipeline.ingest.biff import read_xls_extents
from pipeline.ingest.files import read_inputs
from pipeline.ingest.sniff import MAX_SHEET_ROWS
from pipeline.instrument import Instrument
from pipeline.region import Region
from tests.builders import found, returned, soffice_convert, status

EXTRA_ROWS = MAX_SHEET_ROWS + 5_000


def saved_as_xls(source: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    done = soffice_convert(source, "xls", folder)
    assert done.returncode == 0, done.stderr
    shutil.rmtree(folder / "_lo_profile", ignore_errors=True)
    return folder / f"{source.stem}.xls"


@pytest.mark.libreoffice
def test_xls_with_a_huge_sheet_is_refused_before_parsing(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    source = returned(template_paths["DINKES"], tmp_path / "kerja" / "dinkes.xlsx")
    book = openpyxl.load_workbook(source)
    extra = book.create_sheet("Lampiran")
    for row in range(1, EXTRA_ROWS + 1):
        extra.cell(row, 1).value = row
        extra.cell(row, 3).value = "data"
    book.save(source)
    path = saved_as_xls(source, tmp_path / "inputs")
    assert read_xls_extents(path.read_bytes())["Lampiran"] == (EXTRA_ROWS, 3)
    result = read_inputs(tmp_path / "inputs", instrument, region, jobs=1)
    assert status(result) == {"dinkes.xls": tables.FILE_REJECTED}
    assert found(result) == [("Lampiran", "", "lembar-terlalu-besar")]


@pytest.mark.libreoffice
def test_xls_extents_match_what_calamine_reads(
    tmp_path: Path, template_paths: dict[str, Path]
) -> None:
    from python_calamine import CalamineWorkbook

    source = returned(template_paths["DINKES"], tmp_path / "kerja" / "dinkes.xlsx")
    path = saved_as_xls(source, tmp_path / "inputs")
    book = CalamineWorkbook.from_path(str(path))
    measured = read_xls_extents(path.read_bytes())
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        assert measured[name] == (len(rows), max(len(row) for row in rows)), name
