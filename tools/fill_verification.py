"""Fill a verification workbook as verifiers do (openpyxl): input cells by question code and header."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.workbook.workbook import Workbook

from pipeline import config

HEADER_SCAN_ROWS = 20


def verification_columns(book: Workbook) -> tuple[dict[str, int], dict[str, int]]:
    """(1-based column by header text, row by question code) of the Verifikasi sheet."""
    sheet = book[config.SHEET_VERIFICATION]
    for row in sheet.iter_rows(min_row=1, max_row=HEADER_SCAN_ROWS):
        columns = {str(c.value): c.column for c in row if isinstance(c.value, str)}
        if config.VCOL_DECISION in columns and config.COL_CODE in columns:
            header = int(row[0].row or 0)
            break
    else:
        raise ValueError("header Verifikasi tidak ditemukan")
    code = columns[config.COL_CODE]
    rows = {
        str(sheet.cell(r, code).value): r
        for r in range(header + 1, sheet.max_row + 1)
        if sheet.cell(r, code).value
    }
    return columns, rows


def fill_verification_book(source: Path, values: Mapping[str, Mapping[str, Any]]) -> Workbook:
    """The workbook at `source` with the given input values typed in (None leaves a cell empty)."""
    book = openpyxl.load_workbook(source)
    sheet = book[config.SHEET_VERIFICATION]
    columns, rows = verification_columns(book)
    for code, cells in values.items():
        for header, value in cells.items():
            if value is not None:
                sheet.cell(rows[code], columns[header]).value = value
    return book
