"""An Isian table whose structure the office changed: find what can be read, report the rest.

- the optional `Keterangan` column deleted: the other columns are read, a warning says so;
- a contract header twice (an inserted or copied column): the one column holding answers is read;
  when several hold answers, the first is read and an error names the others;
- a copy of the Isian sheet (`Isian (2)`, `Salinan Isian`): only Isian is read; an error when the
  copy holds answers that differ from Isian's, a warning otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pipeline import config
from pipeline.answers import clean_text
from pipeline.messages import issue

Rows = list[list[Any]]
HEADER_SCAN_ROWS = 100
REQUIRED_HEADERS = (config.COL_CODE, config.COL_ANSWER, config.COL_EVIDENCE)
OPTIONAL_HEADERS = (config.COL_NOTE,)
HEADER_NAMES = {name.lower(): name for name in (*REQUIRED_HEADERS, *OPTIONAL_HEADERS)}
UNREADABLE = -1  # a copy that could not be read or compared


def find_table(
    rows: Rows, rel: str, sheet: str
) -> tuple[dict[str, int] | None, list[dict[str, str]]]:
    """The header row (key "") and one 0-based column per contract header found, and the issues."""
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        columns = _header_columns(row)
        if all(name in columns for name in REQUIRED_HEADERS):
            return _choose_columns(rows, index, columns, rel, sheet)
    return None, []


def _header_columns(row: list[Any]) -> dict[str, list[int]]:
    wanted = HEADER_NAMES
    columns: dict[str, list[int]] = {}
    for col, value in enumerate(row):
        name = wanted.get(clean_text(value).lower()) if isinstance(value, str) else None
        if name:
            columns.setdefault(name, []).append(col)
    return columns


def _choose_columns(
    rows: Rows, index: int, columns: dict[str, list[int]], rel: str, sheet: str
) -> tuple[dict[str, int], list[dict[str, str]]]:
    header: dict[str, int] = {"": index}
    issues = []
    body = rows[index + 1 :]
    for name in (*REQUIRED_HEADERS, *OPTIONAL_HEADERS):
        found = columns.get(name, [])
        if not found:
            issues.append(issue("kolom-hilang", file=rel, sheet=sheet, value=name))
            continue
        # which of several columns holds answers; one column is read whether filled or not
        filled = (
            [col for col in found if any(_filled(row, col) for row in body)]
            if len(found) > 1
            else found
        )
        header[name] = (filled or found)[0]
        if len(found) > 1:
            issues.append(_double_column(name, found, filled, index, rel, sheet))
    return header, issues


def _double_column(
    name: str, found: list[int], filled: list[int], index: int, rel: str, sheet: str
) -> dict[str, str]:
    read = (filled or found)[0]
    cell = f"{_letter(read)}{index + 1}"
    others = ", ".join(_letter(col) for col in found if col != read)
    slug = "kolom-ganda-berisi" if len(filled) > 1 else "kolom-ganda"
    return issue(
        slug, file=rel, sheet=sheet, cell=cell, value=name, others=others, read=_letter(read)
    )


def _filled(row: list[Any], col: int) -> bool:
    return col < len(row) and clean_text(row[col]) != ""


def _letter(index: int) -> str:
    letters, index = "", index + 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def copy_sheets(names: list[str]) -> list[str]:
    """Sheets other than Isian whose name contains it (`Isian (2)`, `Salinan Isian`)."""
    key = config.SHEET_ANSWERS.lower()
    return [n for n in names if n != config.SHEET_ANSWERS and key in n.lower()]


def copy_issues(
    copies: list[str],
    read_rows: Callable[[str], Rows | None],
    answers: dict[str, str],
    rel: str,
) -> list[dict[str, str]]:
    """Per copy of Isian: an error when it holds answers that differ from Isian's, else a warning.

    `read_rows` gives a sheet's rows, or None when the sheet is too large to read; `answers` maps
    question code -> Isian's answer as text.
    """
    found = []
    for name in copies:
        rows = read_rows(name)
        differ = _differing(rows, answers, rel, name) if rows is not None else UNREADABLE
        slug = "lembar-isian-salinan" if differ else "lembar-isian-salinan-sama"
        shown = str(differ) if differ >= 0 else "tidak dapat dibandingkan"
        found.append(issue(slug, file=rel, sheet=name, value=name, count=shown))
    return found


def _differing(rows: Rows, answers: dict[str, str], rel: str, sheet: str) -> int:
    header, _ = find_table(rows, rel, sheet)
    if header is None:  # no table to compare: anything typed there may be lost
        return UNREADABLE if any(clean_text(v) for row in rows for v in row) else 0
    code_col, answer_col = header[config.COL_CODE], header[config.COL_ANSWER]
    count = 0
    for row in rows[header[""] + 1 :]:
        code = clean_text(row[code_col]) if code_col < len(row) else ""
        typed = clean_text(row[answer_col]) if answer_col < len(row) else ""
        if code and typed and typed != answers.get(code, ""):
            count += 1
    return count
