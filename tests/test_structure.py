"""Workbooks whose structure the office changed: no answer is dropped without a word."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from pipeline import config, tables
from pipeline.ingest.files import read_inputs
from pipeline.instrument import Instrument
from pipeline.region import Region
from tests.builders import DINKES_ANSWERS, answered, edit_isian, found, returned, status
from tools.fill import find_header, question_rows

READ_AS_TYPED = {code: filled.jawaban for code, filled in DINKES_ANSWERS.items()}


def column(sheet: Worksheet, name: str) -> int:
    return find_header(sheet)[1][name]


def test_deleted_note_column_still_read(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    path = returned(template_paths["DINKES"], tmp_path / "dinkes.xlsx")
    edit_isian(path, lambda sheet: sheet.delete_cols(column(sheet, config.COL_NOTE)))
    result = read_inputs(tmp_path, instrument, region, jobs=1)
    assert status(result) == {"dinkes.xlsx": tables.FILE_USED}
    assert found(result) == [("Isian", "", "kolom-hilang")]
    assert {code: raw for code, (raw, _) in answered(result).items()} == READ_AS_TYPED


def move_answers_to_inserted_column(sheet: Worksheet, keep_first: bool) -> None:
    """Insert a second `Jawaban` column right of the first and move (or copy) the answers there."""
    header_row, _ = find_header(sheet)
    first = column(sheet, config.COL_ANSWER)
    sheet.insert_cols(first + 1)
    sheet.cell(header_row, first + 1).value = config.COL_ANSWER
    for row in question_rows(sheet).values():
        sheet.cell(row, first + 1).value = sheet.cell(row, first).value
        if not keep_first:
            sheet.cell(row, first).value = None


def test_answers_in_an_inserted_second_answer_column_are_read(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    path = returned(template_paths["DINKES"], tmp_path / "dinkes.xlsx")
    edit_isian(path, lambda sheet: move_answers_to_inserted_column(sheet, keep_first=False))
    result = read_inputs(tmp_path, instrument, region, jobs=1)
    assert found(result) == [("Isian!G4", "", "kolom-ganda")]
    assert {code: (raw, cell[0]) for code, (raw, cell) in answered(result).items()} == {
        code: (value, "G") for code, value in READ_AS_TYPED.items()
    }


def test_two_filled_answer_columns_are_an_error(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    path = returned(template_paths["DINKES"], tmp_path / "dinkes.xlsx")
    edit_isian(path, lambda sheet: move_answers_to_inserted_column(sheet, keep_first=True))
    result = read_inputs(tmp_path, instrument, region, jobs=1)
    assert found(result) == [("Isian!F4", "", "kolom-ganda-berisi")]
    assert "kolom G juga berisi" in result.issues.iloc[0]["message"]


def copy_isian(path: Path, changes: dict[str, str]) -> None:
    """Copy the Isian sheet as `Isian (2)` (what right-click > Copy does) and change answers there."""
    book = openpyxl.load_workbook(path)
    copy = book.copy_worksheet(book[config.SHEET_ANSWERS])
    copy.title = "Isian (2)"
    answer = column(copy, config.COL_ANSWER)
    rows = question_rows(copy)
    for code, value in changes.items():
        copy.cell(rows[code], answer).value = value
    book.save(path)


def test_filled_copy_of_isian_is_an_error(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    path = returned(template_paths["DINKES"], tmp_path / "dinkes.xlsx")
    copy_isian(path, {"I12-P6": "Tidak", "I12-P2": "Ya"})
    result = read_inputs(tmp_path, instrument, region, jobs=1)
    assert status(result) == {"dinkes.xlsx": tables.FILE_USED}
    assert found(result) == [("Isian (2)", "", "lembar-isian-salinan")]
    assert "(2 jawaban)" in result.issues.iloc[0]["message"]


def test_unchanged_copy_of_isian_is_a_warning(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    path = returned(template_paths["DINKES"], tmp_path / "dinkes.xlsx")
    copy_isian(path, {})
    result = read_inputs(tmp_path, instrument, region, jobs=1)
    assert found(result) == [("Isian (2)", "", "lembar-isian-salinan-sama")]


def test_templates_lock_the_sheet_structure(template_paths: dict[str, Path]) -> None:
    for path in template_paths.values():
        assert openpyxl.load_workbook(path).security.lockStructure
