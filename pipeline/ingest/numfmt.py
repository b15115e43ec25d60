"""Which cells of a sheet show a percent: xlsx number formats (styles.xml) and ODS value types.

A person who types `85%` in Excel or LibreOffice gets 0.85 stored with a percent format; the
format, not the stored number, is what they saw and meant (85).
"""

from __future__ import annotations

import math
import re
import zipfile
from typing import Any

from defusedxml import ElementTree

from pipeline.answers import format_number
from pipeline.ingest.parts import (
    MAIN_NS,
    ODS_CONTENT,
    ODS_REPEAT,
    ODS_TAG,
    Package,
    split_cell,
)

STYLES = "xl/styles.xml"
BUILTIN_PERCENT = frozenset({9, 10})  # 0% and 0.00%
QUOTED = re.compile(
    r'"[^"]*"|\\.|\[[^\]]*\]'
)  # literal text, escaped characters, [colour]/[locale]
CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\b([^>]*)>")
CELL_ATTR = re.compile(rb'\b(r|s)\s*=\s*"([^"]*)"')
ODS_NAME = re.compile(rb'\bname\s*=\s*"([^"]*)"')
ODS_PERCENT = re.compile(rb'value-type\s*=\s*["\']percentage["\']')
MAX_REPEAT = 1000  # repeated percent cells counted per tag; real sheets repeat a few


def is_percent_format(code: str) -> bool:
    """True when an Excel number format code shows a percent (`0%`, `0.0%`, not `0"%"`)."""
    return "%" in QUOTED.sub("", code)


def read_percent_cells(package: Package, suffix: str, sheet_name: str) -> frozenset[str]:
    """Cell names (`F14`) of a sheet whose number format is a percent; empty when unreadable."""
    try:
        if suffix == ".ods":
            return _ods_percent_cells(package, sheet_name)
        return _xlsx_percent_cells(package, sheet_name)
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return frozenset()


def percent_styles(styles_xml: bytes) -> frozenset[int]:
    """Indexes of the xlsx cell formats (cellXfs) whose number format is a percent."""
    root = ElementTree.fromstring(styles_xml)
    codes = {
        int(fmt.get("numFmtId", "-1")): fmt.get("formatCode", "")
        for fmt in root.iter(f"{MAIN_NS}numFmt")
        if fmt.get("numFmtId", "").isdigit()
    }
    percent_ids = {i for i, code in codes.items() if is_percent_format(code)}
    percent_ids |= BUILTIN_PERCENT - codes.keys()
    cell_xfs = root.find(f"{MAIN_NS}cellXfs")
    if cell_xfs is None:
        return frozenset()
    return frozenset(
        index
        for index, xf in enumerate(cell_xfs.iter(f"{MAIN_NS}xf"))
        if xf.get("numFmtId", "0").isdigit() and int(xf.get("numFmtId", "0")) in percent_ids
    )


def _xlsx_percent_cells(package: Package, sheet_name: str) -> frozenset[str]:
    xml = package.sheet_xml(sheet_name)
    if xml is None or STYLES not in package.names():
        return frozenset()
    styles = percent_styles(package.read(STYLES))
    if not styles:
        return frozenset()
    found = set()
    for match in CELL_TAG.finditer(xml):
        attrs = dict(CELL_ATTR.findall(match.group(1)))
        style = attrs.get(b"s", b"0")
        if style.isdigit() and int(style) in styles and b"r" in attrs:
            found.add(attrs[b"r"].decode("ascii", "replace"))
    return frozenset(found)


def _ods_percent_cells(package: Package, sheet_name: str) -> frozenset[str]:
    """Cells of one ODS table stored with `office:value-type="percentage"`."""
    wanted = sheet_name.encode("utf-8")
    found: set[str] = set()
    inside = False
    last_row = col = 0
    rows = range(0)
    for chunk in package.chunks(ODS_CONTENT):
        for match in ODS_TAG.finditer(chunk):
            closing, tag, attrs, _ = match.groups()
            if tag == b"table":
                name = ODS_NAME.search(attrs)
                inside = not closing and name is not None and name.group(1) == wanted
                last_row = 0
            elif not inside or closing:
                continue
            elif tag == b"table-row":
                count = _repeat(attrs)
                rows = range(last_row + 1, last_row + min(count, MAX_REPEAT) + 1)
                last_row, col = last_row + count, 0
            else:
                count = _repeat(attrs)
                if ODS_PERCENT.search(attrs):
                    columns = range(col + 1, col + min(count, MAX_REPEAT) + 1)
                    found |= {f"{_letters(c)}{r}" for r in rows for c in columns}
                col += count
    return frozenset(found)


def _repeat(attrs: bytes) -> int:
    found = ODS_REPEAT.search(attrs)
    return min(int(found.group(1)), 10**7) if found else 1


def _letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def with_percents_shown(rows: list[list[Any]], percents: frozenset[str]) -> list[list[Any]]:
    """Rows with each number in a percent cell replaced by the text it shows (0.125 -> `12,5%`).

    Rows are copied only where a cell changes; the input rows are not modified.
    """
    if not percents:
        return rows
    shown = list(rows)
    for name in percents:
        row, col = split_cell(name)
        if row > len(shown) or col > len(shown[row - 1]):
            continue
        value = shown[row - 1][col - 1]
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
            shown[row - 1] = list(shown[row - 1])
            shown[row - 1][col - 1] = format_number(round(value * 100, 9)).replace(".", ",") + "%"
    return shown
