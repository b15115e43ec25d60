"""A forged `_meta` (another office's label on a filled workbook) never replaces the real office's."""

from __future__ import annotations

from pathlib import Path

from pipeline import tables
from pipeline.ingest.files import read_inputs
from pipeline.instrument import Instrument
from pipeline.region import Region
from tests.builders import (
    DUKCAPIL_ANSWERS,
    edit_isian,
    edit_meta,
    found,
    returned,
    set_saved_time,
    status,
)


def test_relabelled_workbook_is_rejected_and_the_real_one_used(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    real = tmp_path / "dukcapil.xlsx"
    returned(template_paths["DUKCAPIL"], real, DUKCAPIL_ANSWERS, saved="2024-03-01T08:00:00Z")
    forged = returned(template_paths["DINKES"], tmp_path / "dukcapil revisi.xlsx")
    edit_meta(forged, {"peran": "DUKCAPIL", "nama_opd": region.offices["DUKCAPIL"]})  # re-signed
    set_saved_time(forged, "2024-03-05T08:00:00Z")  # newer: it would win
    result = read_inputs(tmp_path, instrument, region, jobs=1)
    assert status(result) == {
        "dukcapil revisi.xlsx": tables.FILE_REJECTED,
        "dukcapil.xlsx": tables.FILE_USED,
    }
    assert found(result, "dukcapil revisi.xlsx") == [("_meta", "", "meta-tidak-cocok-isian")]
    assert set(result.cells["file"]) == {"dukcapil.xlsx"}


def test_own_workbook_with_a_deleted_row_is_still_read(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    path = returned(template_paths["DINKES"], tmp_path / "dinkes.xlsx")
    edit_isian(path, lambda sheet: sheet.delete_rows(11))
    result = read_inputs(tmp_path, instrument, region, jobs=1)
    assert status(result) == {"dinkes.xlsx": tables.FILE_USED}
    assert [code for _, _, code in found(result)] == ["tidak-ada-di-berkas"]
