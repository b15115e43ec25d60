"""What every workbook the tool hands out shares: the input colour, A4 print setup, sheet protection."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

INPUT_FILL = "#FFF2CC"  # the yellow of every cell a person fills
A4 = 9


def print_setup(
    sheet: Worksheet, left: str, right: str, repeat: int | None, side_margin: float = 0.4
) -> None:
    """A4 landscape, one page wide; `left`/`right` in the page header, page numbers in the footer."""
    sheet.set_landscape()
    sheet.set_paper(A4)
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=side_margin, right=side_margin, top=0.6, bottom=0.6)
    sheet.set_header(f"&L&8{left.replace('&', '&&')}&R&8{right.replace('&', '&&')}")
    sheet.set_footer("&C&8Halaman &P dari &N")
    if repeat is not None:
        sheet.repeat_rows(repeat)


def protect_sheet(sheet: Worksheet, allowed: Mapping[str, bool] | None = None) -> None:
    """Lock the sheet without a password; people may still resize and select (and `allowed`)."""
    options = {
        "format_columns": True,
        "format_rows": True,
        "select_locked_cells": True,
        "select_unlocked_cells": True,
        **(allowed or {}),
    }
    sheet.protect("", options)


# The formats every handed-out workbook has; each kind adds its own (`specs` in add_formats).
SHARED_SPECS: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": 14, "text_wrap": False},
    "subtitle": {"italic": True, "text_wrap": False},
    "header": {
        "bold": True,
        "bg_color": "#1F4E78",
        "font_color": "#FFFFFF",
        "border": 1,
        "align": "center",
        "valign": "vcenter",
    },
    "cell": {"border": 1},
    "label": {"bold": True, "border": 1},
    "input": {"border": 1, "locked": False, "bg_color": INPUT_FILL},
    "text": {},
    "bold": {"bold": True},
}


def add_formats(
    workbook: Workbook, specs: Mapping[str, Mapping[str, Any]], font_size: int = 10
) -> dict[str, Any]:
    """The shared formats plus `specs`, all in Calibri `font_size`, top-aligned and wrapped."""
    base = {"font_name": "Calibri", "font_size": font_size, "valign": "top", "text_wrap": True}
    merged = {**SHARED_SPECS, **specs}
    return {name: workbook.add_format({**base, **spec}) for name, spec in merged.items()}
