"""`make golden`: the consolidated workbook of the bundled example, flattened to reviewable JSON.

The golden file (tests/golden/konsolidasi_contoh.json) holds, per sheet: its state, every cell value
and non-General number format, merged ranges, data validations, conditional-format ranges, freeze
panes and print settings. tests/test_golden.py rebuilds the workbook with a fixed run time and compares
it with this file. Ignored, on purpose: document properties (xlsxwriter writes the creation time) and
styles other than number formats (fonts and fills are checked by the report's own tests).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import openpyxl

from pipeline import config
from pipeline.consolidate import run
from pipeline.instrument import read_instrument
from pipeline.region import read_region

GOLDEN_FILE = config.PROJECT_DIR / "tests" / "golden" / "konsolidasi_contoh.json"
RUN_TIME = dt.datetime(2024, 6, 3, 9, 30)


def build_example_report(outputs: Path) -> Path:
    """Consolidate the bundled example at the fixed run time; return the report's path."""
    instrument = read_instrument(config.SCHEMAS_DIR / "kla-2024.toml")
    region = read_region(config.EXAMPLE_REGION_FILE)
    output = run(config.EXAMPLE_INPUTS_DIR, outputs, instrument, region, example=True, now=RUN_TIME)
    return output.report


def _value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 9)
    return value


def _sheet(sheet: Any) -> dict[str, Any]:
    cells: dict[str, Any] = {}
    formats: dict[str, str] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is not None:
                cells[cell.coordinate] = _value(cell.value)
            if cell.value is not None and cell.number_format != "General":
                formats[cell.coordinate] = cell.number_format
    setup = sheet.page_setup
    return {
        "state": sheet.sheet_state,
        "cells": cells,
        "number_formats": formats,
        "merged": sorted(str(r) for r in sheet.merged_cells.ranges),
        "validations": sorted(
            f"{v.sqref} {v.type} {v.formula1 or ''}" for v in sheet.data_validations.dataValidation
        ),
        "conditional_formats": sorted(str(r.sqref) for r in sheet.conditional_formatting),
        "freeze_panes": sheet.freeze_panes,
        "print": {
            "orientation": setup.orientation,
            "paper_size": setup.paperSize,
            "fit_to_width": setup.fitToWidth,
            "fit_to_height": setup.fitToHeight,
            "print_title_rows": sheet.print_title_rows,
            "print_area": sheet.print_area,
        },
    }


def flatten(path: Path) -> dict[str, Any]:
    """The workbook's content as plain data (see the module docstring for what is ignored)."""
    book = openpyxl.load_workbook(path)
    return {
        "sheets": list(book.sheetnames),
        **{name: _sheet(book[name]) for name in book.sheetnames},
    }


def main() -> int:
    with tempfile.TemporaryDirectory() as work:
        content = flatten(build_example_report(Path(work)))
    GOLDEN_FILE.parent.mkdir(parents=True, exist_ok=True)
    GOLDEN_FILE.write_text(
        json.dumps(content, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"Ditulis: {GOLDEN_FILE.relative_to(config.PROJECT_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
