"""Workbook structure protection for written templates (xlsxwriter has sheet protection only).

`<workbookProtection lockStructure="1"/>` in xl/workbook.xml: Excel and LibreOffice then refuse to
add, copy, delete, rename or unhide sheets, so an office cannot fill a copy like `Isian (2)`. No
password: the protection guards against accidents, not against a determined user.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

WORKBOOK_PART = "xl/workbook.xml"
LOCK = b'<workbookProtection lockStructure="1"/>'
BEFORE = b"<bookViews>"  # CT_Workbook order: ... workbookPr, workbookProtection, bookViews ...


def protect_structure(path: Path) -> None:
    """Rewrite the xlsx at `path` in place with its sheet structure locked (members kept in order)."""
    with zipfile.ZipFile(path) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w") as archive:
        for info, data in members:
            if info.filename == WORKBOOK_PART and LOCK not in data:
                data = data.replace(BEFORE, LOCK + BEFORE, 1)
            archive.writestr(info, data)
