"""Formulas whose saved result is no value (an error code, NaN, empty text) in an xlsx/xlsm sheet.

python-calamine reads such a cell as empty, which would make the answer "belum dijawab" in silence.
"""

from __future__ import annotations

import html
import re

from pipeline.answers import FORMULA_RESULT
from pipeline.ingest.parts import CELL_REF, CELL_XML, FORMULA_START, FORMULA_XML, Package

ERROR_TYPE = re.compile(rb'\bt="e"')
STRING_TYPE = re.compile(rb'\bt="str"')
VALUE_ANY = re.compile(rb"<v>([^<]*)</v>|<v\s*/>")
NOT_A_NUMBER = {b"nan", b"inf", b"-inf", b"+inf", b"infinity", b"-infinity"}
EMPTY_RESULT = "teks kosong"


def read_failed_formulas(package: Package, sheet_name: str) -> dict[str, str]:
    """Cells whose saved result is no value: ref -> "=formula -> result" (or the error alone).

    An error cell without a formula (`t="e"`, as a converted .xls holds) is reported as its error."""
    xml = package.sheet_xml(sheet_name)
    if xml is None or not (FORMULA_START.search(xml) or ERROR_TYPE.search(xml)):
        return {}
    found = {}
    for match in CELL_XML.finditer(xml):
        attrs, body = match.group(1), match.group(2)
        formula, value, ref = (
            FORMULA_XML.search(body),
            VALUE_ANY.search(body),
            CELL_REF.search(attrs),
        )
        error = ERROR_TYPE.search(attrs)
        if not ((formula or error) and value and ref):
            continue
        result = value.group(1) or b""
        empty_text = STRING_TYPE.search(attrs) and not result.strip()  # not openpyxl's bare <v/>
        if error or empty_text or result.strip().lower() in NOT_A_NUMBER:
            shown = html.unescape(result.decode("utf-8", "replace")).strip() or EMPTY_RESULT
            found[ref.group(1).decode()] = _formula_text(formula) + shown
    return found


def _formula_text(formula: re.Match[bytes] | None) -> str:
    if formula is None:
        return ""
    text = html.unescape((formula.group(1) or b"").decode("utf-8", "replace")) or "(rumus)"
    return f"={text}{FORMULA_RESULT}"
