"""Fill a template as an office would (openpyxl): answers by question code, Identitas contact.

Used by the bundled example and the benchmark to make returned workbooks from the real templates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from pipeline import config


@dataclass(frozen=True)
class Filled:
    """What an office typed for one question; None leaves the cell empty."""

    jawaban: Any = None
    data_dukung: Any = None
    keterangan: Any = None


def find_header(sheet: Worksheet, max_rows: int = 30) -> tuple[int, dict[str, int]]:
    """The 1-based header row of the Isian table and its columns (1-based) by header text."""
    for row in sheet.iter_rows(min_row=1, max_row=max_rows):
        texts = {str(c.value).strip(): c.column for c in row if isinstance(c.value, str)}
        if all(name in texts for name in config.CONTRACT_HEADERS):
            return int(row[0].row or 0), texts
    raise ValueError("header Isian tidak ditemukan")


def question_rows(sheet: Worksheet) -> dict[str, int]:
    """Row number of each question code in the Isian sheet."""
    header_row, columns = find_header(sheet)
    code_col = columns[config.COL_CODE]
    rows = {}
    for row in range(header_row + 1, sheet.max_row + 1):
        value = sheet.cell(row, code_col).value
        if isinstance(value, str) and value.strip():
            rows[value.strip()] = row
    return rows


def fill_template(
    template: Path,
    target: Path,
    answers: Mapping[str, Filled],
    identity: Mapping[str, Any] | None = None,
) -> None:
    """Copy `template` to `target` with the given answers and Identitas values filled in."""
    book = openpyxl.load_workbook(template)
    sheet = book[config.SHEET_ANSWERS]
    _, columns = find_header(sheet)
    rows = question_rows(sheet)
    for code, filled in answers.items():
        row = rows[code]
        for header, value in (
            (config.COL_ANSWER, filled.jawaban),
            (config.COL_EVIDENCE, filled.data_dukung),
            (config.COL_NOTE, filled.keterangan),
        ):
            if value is not None:
                sheet.cell(row, columns[header]).value = value
    if identity:
        fill_identity(book[config.SHEET_IDENTITY], identity)
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)


def fill_identity(sheet: Worksheet, values: Mapping[str, Any]) -> None:
    """Write Identitas values next to their labels (column A label, column B value)."""
    rows = {
        str(sheet.cell(r, 1).value).strip(): r
        for r in range(1, sheet.max_row + 1)
        if sheet.cell(r, 1).value is not None
    }
    for label, value in values.items():
        sheet.cell(rows[label], 2).value = value
