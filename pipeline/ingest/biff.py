"""Sheet extents of an Excel 97-2003 (.xls, BIFF8) workbook, from its cell records, before parsing.

python-calamine builds a dense grid per sheet it reads; a 65 536-row .xls sheet costs hundreds of
MB. The cell records are scanned (row and column only; no value is decoded) so a sheet that is too
large is refused first. The DIMENSIONS record is not trusted: it may be absent or wrong.
"""

from __future__ import annotations

import io
import struct

import olefile

BOF, EOF, BOUNDSHEET = 0x0809, 0x000A, 0x0085
# Records that start with (row, column) of one cell, and the two that span columns to a last one.
CELL_RECORDS = frozenset({0x0006, 0x00FD, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E, 0x0406})
SPAN_RECORDS = frozenset({0x00BD, 0x00BE})  # MULRK, MULBLANK: row, first column, ..., last column
STREAMS = ("Workbook", "Book")


def read_xls_extents(data: bytes) -> dict[str, tuple[int, int]]:
    """Sheet name -> (last row, last column), 1-based, as the cells of each sheet reach."""
    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        stream = next((name for name in STREAMS if ole.exists(name)), None)
        if stream is None:
            return {}
        book = ole.openstream(stream).read()
    return {name: _extent(book, offset) for name, offset in _sheets(book)}


def _records(book: bytes, start: int) -> list[tuple[int, int, int]]:
    """(type, data start, data length) of each record from `start` to its substream's EOF."""
    found, pos = [], start
    while pos + 4 <= len(book):
        kind, length = struct.unpack_from("<HH", book, pos)
        found.append((kind, pos + 4, length))
        pos += 4 + length
        if kind == EOF:
            break
    return found


def _sheets(book: bytes) -> list[tuple[str, int]]:
    """(name, offset of its BOF) per sheet, from the globals substream's BOUNDSHEET records."""
    sheets = []
    for kind, start, length in _records(book, 0):
        if kind != BOUNDSHEET or length < 8:
            continue
        (offset,) = struct.unpack_from("<I", book, start)
        count, high = book[start + 6], book[start + 7] & 1
        raw = book[start + 8 : start + 8 + count * (2 if high else 1)]
        sheets.append((raw.decode("utf-16-le" if high else "latin-1", "replace"), offset))
    return sheets


def _extent(book: bytes, offset: int) -> tuple[int, int]:
    rows = cols = 0
    for kind, start, length in _records(book, offset):
        if kind in CELL_RECORDS and length >= 4:
            row, col = struct.unpack_from("<HH", book, start)
        elif kind in SPAN_RECORDS and length >= 6:
            (row,) = struct.unpack_from("<H", book, start)
            (col,) = struct.unpack_from("<H", book, start + length - 2)
        else:
            continue
        rows, cols = max(rows, row + 1), max(cols, col + 1)
    return rows, cols
