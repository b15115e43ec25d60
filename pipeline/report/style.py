"""The consolidated workbook's look and safe cell writing: every format, colour and print setting."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipeline.rowfit import fitted_height

EXCEL_MAX_CHARS = 32767  # the most characters an Excel cell holds
EXCEL_MAX_URL = 2079  # the longest hyperlink Excel accepts
HEADER_MAX_CHARS = 60  # room for one part of a print header
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f]")  # keeps tab (\x09) and newline (\x0a)
URL_FORBIDDEN = re.compile(r"[\s\"'<>\\^`{|}\x00-\x1f\x7f]")
LINK_SCHEMES = ("http", "https")

FONT = {"font_name": "Calibri", "font_size": 10, "valign": "top"}
HEADER_FILL = "#1F4E78"
GROUP_FILL = "#DDEBF7"
MARK_FILL = "#E2EFDA"
RED = {"bg_color": "#FFC7CE", "font_color": "#9C0006"}
AMBER = {"bg_color": "#FFEB9C", "font_color": "#9C5700"}
GREEN = {"bg_color": "#C6EFCE", "font_color": "#006100"}
# Fraction of the maximum points: red below AMBER_FROM, amber up to 1, green at 1.
AMBER_FROM = 0.5
FRACTION_COLOURS = (("red", RED), ("amber", AMBER), ("green", GREEN))
LEGEND = (("red", "< 50%"), ("amber", "50% s.d. < 100%"), ("green", "100%"))

# Thousands separator: an Indonesian PC shows 1.000,00. Excel and LibreOffice round the shown
# value half up, the rule of words.round_half_up used on screen, in JSON and CSV.
OPEN_LINK_TEXT = "buka"
NUM_POINTS = "#,##0.00"
NUM_PERCENT = "0.0%"
NUM_INT = "#,##0"
NUM_GENERAL = "General"
NUMBER_KINDS = ("points", "percent", "int", "number")

# Cell formats by kind; each also exists as "<kind>+group" (indicator rows) and "<kind>+mark"
# (the recommendation reaching the next category).
CELL_SPECS: dict[str, dict[str, Any]] = {
    "text": {"border": 1, "text_wrap": True},
    "link": {"border": 1, "text_wrap": True, "font_color": "#0563C1", "underline": 1},
    "path": {"border": 1, "text_wrap": True},  # links and file names shown as wrapping text
    "open": {"border": 1, "font_color": "#0563C1", "underline": 1, "align": "center"},
    "points": {"border": 1, "num_format": NUM_POINTS},
    "percent": {"border": 1, "num_format": NUM_PERCENT},
    "int": {"border": 1, "num_format": NUM_INT},
    "number": {"border": 1, "num_format": NUM_GENERAL},
    "bool": {"border": 1, "align": "center"},
}
VARIANTS: dict[str, dict[str, Any]] = {
    "": {},
    "group": {"bold": True, "bg_color": GROUP_FILL},
    "mark": {"bold": True, "bg_color": MARK_FILL},
}
# Formats used outside the tables.
OTHER_SPECS: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": 16},
    "subtitle": {"italic": True, "font_size": 11},
    "warning": {"bold": True, "font_color": "#C00000", "font_size": 11},
    "plain": {},
    "line": {"bold": True, "font_size": 12},
    "bold": {"bold": True},
    "header": {
        "bold": True,
        "bg_color": HEADER_FILL,
        "font_color": "#FFFFFF",
        "border": 1,
        "align": "center",
        "valign": "vcenter",
        "text_wrap": True,
    },
    "big_label": {"bold": True, "font_size": 13, "border": 1, "valign": "vcenter"},
    "big_points": {
        "bold": True,
        "font_size": 22,
        "border": 1,
        "num_format": NUM_POINTS,
        "valign": "vcenter",
    },
    "big_text": {"bold": True, "font_size": 16, "border": 1, "valign": "vcenter"},
    "mid_points": {"font_size": 13, "border": 1, "num_format": NUM_POINTS, "valign": "vcenter"},
    "mid_text": {"font_size": 13, "border": 1, "valign": "vcenter", "text_wrap": True},
    **{
        f"legend_{name}": {"border": 1, "align": "center", **colour}
        for name, colour in FRACTION_COLOURS
    },
    **{f"cf_{name}": colour for name, colour in FRACTION_COLOURS},
}


@dataclass(frozen=True)
class Column:
    """One column of a table sheet: header, source field, kind of cell, maximum width."""

    header: str
    field: str
    kind: str = "text"
    width: int = 40


def add_formats(workbook: Workbook) -> dict[str, Any]:
    """Every format of the report, by name ("text", "points+group", "header", "cf_red", ...)."""
    formats: dict[str, Any] = {}
    for kind, spec in CELL_SPECS.items():
        for variant, extra in VARIANTS.items():
            name = f"{kind}+{variant}" if variant else kind
            formats[name] = workbook.add_format({**FONT, **spec, **extra})
    for name, spec in OTHER_SPECS.items():
        base = {} if name.startswith("cf_") else FONT
        formats[name] = workbook.add_format({**base, **spec})
    return formats


def cell_text(value: Any) -> str:
    """Text safe to write into a cell: control characters removed, at most Excel's 32,767 characters."""
    if isinstance(value, str):
        text = value
    elif is_blank(value):
        return ""
    else:
        text = str(value)
    if text.isascii() and text.isprintable():  # no control character, no CR: nothing to remove
        return text[:EXCEL_MAX_CHARS]
    return CONTROL_CHARS.sub("", text.replace("\r\n", "\n"))[:EXCEL_MAX_CHARS]


def is_blank(value: Any) -> bool:
    """True for None and NaN/NaT-like scalars."""
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN is the only value unequal to itself
    except (TypeError, ValueError):
        return False


def safe_url(value: Any) -> str | None:
    """The value as a hyperlink target if it is a plain http(s) URL Excel accepts, else None."""
    text = "" if is_blank(value) else str(value).strip()
    if not text or len(text) > EXCEL_MAX_URL or URL_FORBIDDEN.search(text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in LINK_SCHEMES or not parts.netloc:
        return None
    return text


def write_value(
    sheet: Worksheet,
    row: int,
    col: int,
    value: Any,
    kind: str,
    formats: dict[str, Any],
    variant: str,
) -> None:
    """Write one cell by kind: numbers as numbers, links only for http(s), all else as a string."""
    fmt = formats[f"{kind}+{variant}" if variant else kind]
    plain = formats[f"text+{variant}" if variant else "text"]
    write_cell(sheet, row, col, value, kind, fmt, plain)


def write_cell(
    sheet: Worksheet,
    row: int,
    col: int,
    value: Any,
    kind: str,
    fmt: Any,
    plain: Any,
    text: str | None = None,
) -> None:
    """write_value with the cell's formats given (`plain` for text in a number column).

    Args:
        text: cell_text(value) when the caller already has it (a string value only).
    """
    if isinstance(value, str):
        text = cell_text(value) if text is None else text
        if not text:
            sheet.write_blank(row, col, None, fmt)
            return
    elif is_blank(value):
        sheet.write_blank(row, col, None, fmt)
        return
    if kind == "bool":
        sheet.write_string(row, col, "ya" if bool(value) else "tidak", fmt)
    elif kind in NUMBER_KINDS:
        number = _as_number(value)
        if number is None:
            sheet.write_string(row, col, cell_text(value) if text is None else text, plain)
        else:
            sheet.write_number(row, col, number, fmt)
    elif kind == "link" and (url := safe_url(value)) is not None:
        shown = cell_text(value) if text is None else text
        if sheet.write_url(row, col, url, fmt, shown) != 0:
            sheet.write_string(row, col, shown, plain)
    elif kind == "open":
        url = safe_url(value)
        if url is None or sheet.write_url(row, col, url, fmt, OPEN_LINK_TEXT) != 0:
            sheet.write_blank(row, col, None, fmt)
    else:
        sheet.write_string(row, col, cell_text(value) if text is None else text, plain)


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return float(value)
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def write_header(
    sheet: Worksheet, row: int, columns: Sequence[Column], formats: dict[str, Any]
) -> None:
    for col, column in enumerate(columns):
        sheet.write_string(row, col, column.header, formats["header"])


def fit_columns(
    sheet: Worksheet, columns: Sequence[Column], rows: Sequence[Sequence[Any]]
) -> list[float]:
    """Set widths fitted to the longest line per column (header words included); return them."""
    texts = [[display_text(row[col]) for col in range(len(columns))] for row in rows]
    return set_widths(sheet, fitted_widths(columns, texts))


def set_widths(sheet: Worksheet, widths: list[float]) -> list[float]:
    """Set each column's width; return the widths."""
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    return widths


def fitted_widths(columns: Sequence[Column], texts: Sequence[Sequence[str]]) -> list[float]:
    """Column widths for rows of display texts: the longest line, at most the column's width."""
    widths = []
    for col, column in enumerate(columns):
        longest = max((len(word) for word in column.header.split()), default=4)
        for row in texts:
            text = row[col]
            if "\n" in text:
                longest = max(longest, *(len(line) for line in text.split("\n")))
            elif len(text) > longest:
                longest = len(text)
        widths.append(float(min(max(longest + 2, 6), column.width)))
    return widths


def display_text(value: Any) -> str:
    """Roughly what a cell shows, to size columns and rows."""
    if isinstance(value, str):
        return cell_text(value)
    if is_blank(value):
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return cell_text(value)


def row_height(values: Sequence[Any], widths: Sequence[float], bold: bool = False) -> float:
    """A row height (points) that shows every wrapped line; Excel's maximum is 409."""
    return fitted_height([display_text(v) for v in values], widths, bold=bold)


def add_fraction_colours(
    sheet: Worksheet,
    first_row: int,
    last_row: int,
    cols: Sequence[int],
    max_col: int,
    formats: dict[str, Any],
) -> None:
    """Red/amber/green conditional formats on point cells by their fraction of the row's maximum."""
    if last_row < first_row:
        return
    for col in cols:
        cell = xl_rowcol_to_cell(first_row, col)
        maximum = xl_rowcol_to_cell(first_row, max_col, col_abs=True)
        guard = f"ISNUMBER({cell}),ISNUMBER({maximum}),{maximum}>0"
        _add_colour_rules(sheet, first_row, last_row, col, f"{cell}/{maximum}", guard, formats)


def add_percent_colours(
    sheet: Worksheet, first_row: int, last_row: int, col: int, formats: dict[str, Any]
) -> None:
    """Red/amber/green conditional formats on cells that already hold a fraction (0..1)."""
    cell = xl_rowcol_to_cell(first_row, col)
    _add_colour_rules(sheet, first_row, last_row, col, cell, f"ISNUMBER({cell})", formats)


def _add_colour_rules(
    sheet: Worksheet,
    first_row: int,
    last_row: int,
    col: int,
    value: str,
    guard: str,
    formats: dict[str, Any],
) -> None:
    """One column's red (< AMBER_FROM), amber (< 1) and green (>= 1) rules on a fraction formula."""
    fraction = f"ROUND({value},4)"
    rules = {
        "red": f"=AND({guard},{fraction}<{AMBER_FROM})",
        "amber": f"=AND({guard},{fraction}>={AMBER_FROM},{fraction}<1)",
        "green": f"=AND({guard},{fraction}>=1)",
    }
    for name, formula in rules.items():
        sheet.conditional_format(
            first_row,
            col,
            last_row,
            col,
            {"type": "formula", "criteria": formula, "format": formats[f"cf_{name}"]},
        )


def write_legend(sheet: Worksheet, row: int, col: int, label: str, formats: dict[str, Any]) -> None:
    """The colour legend: a label, then one coloured cell per colour."""
    sheet.write_string(row, col, label, formats["bold"])
    for offset, (name, text) in enumerate(LEGEND, start=1):
        sheet.write_string(row, col + offset, text, formats[f"legend_{name}"])


def header_text(text: str) -> str:
    """Text for a print header/footer: clean, short, with '&' escaped."""
    return cell_text(text).replace("\n", " ")[:HEADER_MAX_CHARS].replace("&", "&&")


def set_print(
    sheet: Worksheet,
    *,
    region: str,
    year: int,
    title: str,
    repeat_row: int | None,
    one_page: bool = False,
) -> None:
    """A4 landscape, fit to page width (or one page), header/footer with region, year, page x of y."""
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 1 if one_page else 0)
    sheet.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.7)
    sheet.set_header(f"&L&8{header_text(region)}&C&8{header_text(title)}&R&8Evaluasi KLA {year}")
    sheet.set_footer("&L&8KLA Konsolidasi&R&8Halaman &P dari &N")
    if repeat_row is not None:
        sheet.repeat_rows(repeat_row)
