"""Row heights from wrapped text, for every workbook the tool writes (LibreOffice does not fit them).

A conservative word wrap: a column of width w holds about w x CHARS_PER_WIDTH characters of
10-point Calibri per line, and a line needs LINE_POINTS points.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from pipeline import wrap

LINE_POINTS = 13.0  # height of one line of 10-point text
CHARS_PER_WIDTH = 1.15  # 10-point characters per unit of column width (set for 11-point)
MAX_ROW_POINTS = 409.0  # Excel's tallest row
ROW_PADDING = 3.0  # points above and below the text
BOLD_WIDTH = 0.85  # bold letters are wider: fewer of them fit on a line


def line_chars(width: float, bold: bool = False) -> int:
    """Characters of 10-point text that fit on one line of a column `width` units wide."""
    return max(int(width * CHARS_PER_WIDTH * (BOLD_WIDTH if bold else 1.0)) - 1, 1)


def wrapped_lines(text: str, width: float, bold: bool = False) -> int:
    """Lines a text needs in a column `width` units wide, wrapped as wrap.py counts; 0 for ""."""
    return wrap.wrapped_lines(text, line_chars(width, bold)) if text else 0


def char_lines(text: str, width: float) -> int:
    """Lines a text needs when cut every line_chars(width) characters (no word wrap); 0 for ""."""
    chars = line_chars(width)
    return sum(math.ceil(len(part) / chars) or 1 for part in text.split("\n")) if text else 0


def height_for_lines(lines: int, line_points: float = LINE_POINTS) -> float:
    """Row height (points) showing `lines` lines; Excel's maximum is 409."""
    return min(line_points * max(lines, 1) + ROW_PADDING, MAX_ROW_POINTS)


def fitted_height(
    texts: Sequence[str], widths: Sequence[float], word_wrap: bool = True, bold: bool = False
) -> float:
    """Row height (points) that shows every text of a row in its column's width.

    `word_wrap` False counts lines by characters only (the report's rule); `bold` for bold text.
    """
    if not word_wrap:
        pairs = zip(texts, widths, strict=False)
        return height_for_lines(max((char_lines(t, w) for t, w in pairs), default=1))
    return chars_height(texts, [line_chars(width, bold) for width in widths])


def chars_height(texts: Sequence[str], chars: Sequence[int]) -> float:
    """fitted_height (word wrap) with each column's line_chars given: for tables that write many
    rows in the same widths."""
    lines = 1
    for text, line in zip(texts, chars, strict=False):
        if len(text) > line or "\n" in text:  # else one line at most
            lines = max(lines, wrap.wrapped_lines(text, line))
    return height_for_lines(lines)
