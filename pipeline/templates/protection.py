"""Workbook structure protection for written templates (xlsxwriter has sheet protection only).

`<workbookProtection lockStructure="1"/>` in xl/workbook.xml: Excel and LibreOffice then refuse to
add, copy, delete, rename or unhide sheets, so an office cannot fill a copy like `Isian (2)`. No
password: the protection guards against accidents, not against a determined user.
"""

from __future__ import annotations

from xlsxwriter.workbook import Workbook


class LockedWorkbook(Workbook):
    """An xlsxwriter Workbook written with its sheet structure locked.

    The element goes where CT_Workbook orders it (... workbookPr, workbookProtection, bookViews
    ...), written while the workbook is saved rather than by rewriting the saved zip.
    """

    def _write_book_views(self) -> None:
        self._xml_empty_tag("workbookProtection", [("lockStructure", "1")])
        super()._write_book_views()
