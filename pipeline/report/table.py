"""A table of rows in a report sheet: values read once, widths fitted, rows as tall as their text."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from xlsxwriter.worksheet import Worksheet

from pipeline.report.style import (
    OPEN_LINK_TEXT,
    Column,
    display_text,
    fitted_widths,
    set_widths,
    write_cell,
    write_header,
)
from pipeline.rowfit import chars_height, fitted_height, line_chars

TITLE_ROW = 0
SUBTITLE_ROW = 1
LEGEND_ROW = 2
HEADER_ROW = 3  # zero-based: row 4 in Excel
FIRST_ROW = HEADER_ROW + 1
VARIANT = "_variant"  # the style variant column of a rows frame ("", "group", "mark")
# Rows to write: a frame, or dicts by field (a missing field is a blank cell).
Rows = pd.DataFrame | Sequence[Mapping[str, Any]]


@dataclass(frozen=True)
class TableRows:
    """Rows read for a table's columns: each row's values with its variant last, and the text
    each cell shows (display_text), used for the widths, the heights and the strings written."""

    values: list[tuple[Any, ...]]
    texts: list[list[str]]


def read_rows(rows: Rows, columns: Sequence[Column]) -> TableRows:
    """The rows' values for `columns` (and VARIANT), read once as Python values."""
    values = row_values(rows, [*(c.field for c in columns), VARIANT])
    return TableRows(values, [[display_text(value) for value in row[:-1]] for row in values])


def row_values(rows: Rows, fields: Sequence[str]) -> list[tuple[Any, ...]]:
    """Each row's values of `fields` in order (None where the rows have no such field)."""
    if isinstance(rows, pd.DataFrame):
        count = len(rows)
        columns = [rows[f].tolist() if f in rows.columns else [None] * count for f in fields]
        return list(zip(*columns, strict=True))
    return [tuple(row.get(field) for field in fields) for row in rows]


def write_rows(
    sheet: Worksheet,
    first_row: int,
    columns: Sequence[Column],
    rows: Rows | TableRows,
    formats: dict[str, Any],
    widths: Sequence[float],
    outline: bool = False,
) -> int:
    """Write rows, each tall enough for its wrapped text; return the last row (first_row - 1 if none).

    Args:
        outline: put plain rows one outline level under the group rows before them.
    """
    table = rows if isinstance(rows, TableRows) else read_rows(rows, columns)
    kinds = [c.kind for c in columns]
    opens = [col for col, c in enumerate(columns) if c.kind == "open"]
    chars = {bold: [line_chars(width, bold) for width in widths] for bold in (False, True)}
    by_variant: dict[str, list[tuple[Any, Any]]] = {}
    last = first_row - 1
    for offset, (row, shown) in enumerate(zip(table.values, table.texts, strict=True)):
        last = first_row + offset
        variant = row[-1] if isinstance(row[-1], str) else ""
        options = {"level": 1} if outline and not variant else {}
        fitted = list(shown)
        for col in opens:
            fitted[col] = OPEN_LINK_TEXT
        sheet.set_row(last, chars_height(fitted, chars[bool(variant)]), None, options)
        if variant not in by_variant:
            by_variant[variant] = [_cell_formats(kind, variant, formats) for kind in kinds]
        for col, (fmt, plain) in enumerate(by_variant[variant]):
            value = row[col]
            text = shown[col] if isinstance(value, str) else None
            write_cell(sheet, last, col, value, kinds[col], fmt, plain, text)
    return last


def _cell_formats(kind: str, variant: str, formats: dict[str, Any]) -> tuple[Any, Any]:
    """A column's format and the plain text format, as write_value picks them."""
    return (
        formats[f"{kind}+{variant}" if variant else kind],
        formats[f"text+{variant}" if variant else "text"],
    )


def write_table_sheet(
    sheet: Worksheet,
    title: str,
    subtitle: str,
    columns: Sequence[Column],
    rows: Rows,
    formats: dict[str, Any],
    empty_text: str = "",
    outline: bool = False,
) -> int:
    """Title, subtitle, header, rows, fitted widths, frozen header and autofilter; the last row."""
    sheet.set_row(TITLE_ROW, 24)
    sheet.write_string(TITLE_ROW, 0, title, formats["title"])
    if subtitle:
        sheet.write_string(SUBTITLE_ROW, 0, subtitle, formats["subtitle"])
    table = read_rows(rows, columns)
    widths = set_widths(sheet, fitted_widths(columns, table.texts))
    sheet.set_row(HEADER_ROW, fitted_height([c.header for c in columns], widths, bold=True))
    write_header(sheet, HEADER_ROW, columns, formats)
    last = write_rows(sheet, FIRST_ROW, columns, table, formats, widths, outline)
    if last < FIRST_ROW and empty_text:
        sheet.write_string(FIRST_ROW, 0, empty_text, formats["plain"])
    sheet.freeze_panes(FIRST_ROW, 0)
    sheet.autofilter(HEADER_ROW, 0, max(last, FIRST_ROW), len(columns) - 1)
    return last
