"""The consolidated workbook's machine-readable summary (export.machine_summary: ringkasan.json plus
format and run time) in a very hidden sheet, so the workbook alone is enough for the province view."""

from __future__ import annotations

import json
from typing import Any

from xlsxwriter.workbook import Workbook

from pipeline import config

KEY_FORMAT = "format_ringkasan"
KEY_GENERATED = "dibuat"
KEY_JSON = "json"


def summary_rows(summary: dict[str, Any]) -> list[tuple[str, str]]:
    """(key, value) rows: format, run time, then the JSON in chunks a cell can hold."""
    text = json.dumps(summary, ensure_ascii=False, sort_keys=False)
    size = config.SUMMARY_CHUNK
    chunks = [text[start : start + size] for start in range(0, len(text), size)] or [""]
    return [
        (KEY_FORMAT, str(summary.get(KEY_FORMAT, ""))),
        (KEY_GENERATED, str(summary.get(KEY_GENERATED, ""))),
        *((KEY_JSON, chunk) for chunk in chunks),
    ]


def write_machine_sheet(workbook: Workbook, summary: dict[str, Any]) -> None:
    """Add the very hidden summary sheet (text cells only) as the workbook's last sheet."""
    sheet = workbook.add_worksheet(config.SHEET_MACHINE_SUMMARY)
    for row, (key, value) in enumerate(summary_rows(summary)):
        sheet.write_string(row, 0, key)
        sheet.write_string(row, 1, value)
    sheet.very_hidden()
