"""Facts read from a workbook's zip parts: saved time, formulas without a value, extent, merges, links."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import zipfile
from pathlib import PurePosixPath

from defusedxml import ElementTree

CORE_MODIFIED = "{http://purl.org/dc/terms/}modified"
ODS_DATE = "{http://purl.org/dc/elements/1.1/}date"
MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CELL_XML = re.compile(rb"<c\b([^>]*)>(.*?)</c>", re.DOTALL)
CELL_REF = re.compile(rb'\br="([A-Z]+\d+)"')
FORMULA_XML = re.compile(rb"<f\b[^>]*?(?:/>|>(.*?)</f>)", re.DOTALL)
VALUE_XML = re.compile(rb"<v>[^<]+</v>")
FRACTION = re.compile(r"(\.\d{6})\d+")
# A row or cell start tag (any namespace prefix) and its `r` reference, as python-calamine reads them:
# a tag without `r` takes the next row/column. Letters and digits are unbounded in hostile files.
TAG_XML = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)\b([^>]*)>")
REF_ATTR = re.compile(rb"""\br\s*=\s*["']([A-Za-z]*)(\d*)""")
HUGE = 10**12  # stands for any reference too long to be real
# ODS content.xml: tables, rows and cells with their repeat counts (any namespace prefix).
ODS_TAG = re.compile(
    rb"<(/?)(?:[A-Za-z_][\w.-]*:)?(table-row|table-cell|covered-table-cell|table)\b([^>]*?)(/?)>"
)
ODS_REPEAT = re.compile(rb'number-(?:rows|columns)-repeated\s*=\s*["\'](\d+)')
ODS_NAME = re.compile(rb'\bname\s*=\s*"([^"]*)"')
ODS_VALUE = re.compile(rb"value-type\s*=")
MERGE_XML = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]*?\bref="([A-Z]+\d+):([A-Z]+\d+)"')
CELL_NAME = re.compile(r"^([A-Z]+)(\d+)$")
SCAN_CHUNK = 2**20
SCAN_OVERLAP = 256
EXTERNAL_LINKS = "xl/externalLinks/"


def read_saved_time(data: bytes, suffix: str) -> str:
    """The workbook's own last-saved time (docProps/core.xml or ODS meta.xml), ISO 8601 UTC, or ""."""
    member, tag = (
        ("meta.xml", ODS_DATE) if suffix == ".ods" else ("docProps/core.xml", CORE_MODIFIED)
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            root = ElementTree.fromstring(archive.read(member))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError):
        return ""
    node = root.find(f".//{tag}")
    return parse_time(node.text or "") if node is not None else ""


def parse_time(text: str) -> str:
    """ISO 8601 text (with Z, an offset or none, any fraction) -> UTC seconds, or "" if invalid."""
    try:
        moment = dt.datetime.fromisoformat(FRACTION.sub(r"\1", text.strip()))
    except ValueError:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return iso_utc(moment)


def iso_utc(moment: dt.datetime) -> str:
    """A moment as ISO 8601 in UTC, to the second."""
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat()


def read_formulas_without_value(data: bytes, sheet_name: str) -> dict[str, str]:
    """Cells of an xlsx/xlsm sheet holding a formula without a cached value: ref -> "=formula".

    Scans the raw sheet XML only when it contains a formula at all (`<f`).
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        part = _sheet_part(archive, sheet_name)
        if part is None:
            return {}
        xml = archive.read(part)
    if b"<f" not in xml:
        return {}
    found = {}
    for match in CELL_XML.finditer(xml):
        body = match.group(2)
        formula = FORMULA_XML.search(body)
        ref = CELL_REF.search(match.group(1))
        if formula and ref and not VALUE_XML.search(body):
            text = html.unescape((formula.group(1) or b"").decode("utf-8", "replace"))
            found[ref.group(1).decode()] = "=" + (text or "(rumus)")
    return found


def _sheet_part(archive: zipfile.ZipFile, sheet_name: str) -> str | None:
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{PKG_REL_NS}Relationship")}
    for sheet in workbook.iter(f"{MAIN_NS}sheet"):
        if sheet.get("name") == sheet_name:
            target = targets.get(sheet.get(f"{REL_NS}id"), "")
            if target.startswith("/"):
                return target.lstrip("/")
            return str(PurePosixPath("xl") / target) if target else None
    return None


def read_sheet_extent(data: bytes, sheet_name: str) -> tuple[int, int]:
    """(last row, last column), 1-based, that python-calamine would give an xlsx/xlsm sheet.

    Streams the sheet XML in chunks, following explicit `r` references and counting rows and cells
    without one: python-calamine builds a dense grid (rows x columns cells), so a lone cell at
    XFD1048576 (or a row of a million `<c/>`) must be refused before it parses.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        part = _sheet_part(archive, sheet_name)
        if part is None:
            raise KeyError(f"bagian lembar {sheet_name} tidak ditemukan")
        with archive.open(part) as handle:
            scan = _ExtentScan()
            tail = b""
            while chunk := handle.read(SCAN_CHUNK):
                text = tail + chunk
                cut = text.rfind(b"<")
                cut = len(text) if cut < 0 else cut
                scan.feed(text[:cut])
                tail = text[cut:]
            scan.feed(tail)
    return scan.rows, scan.cols


class _ExtentScan:
    """Row and column positions as a reader of row/c tags sees them; the largest seen."""

    def __init__(self) -> None:
        self.row = self.col = self.rows = self.cols = 0

    def feed(self, text: bytes) -> None:
        for match in TAG_XML.finditer(text):
            ref = REF_ATTR.search(match.group(2))
            letters, digits = (ref.group(1), ref.group(2)) if ref else (b"", b"")
            if match.group(1) == b"row":
                self.row = _number(digits) if digits else self.row + 1
                self.col = 0
            else:
                self.col = _letters(letters) if letters else self.col + 1
                if digits:
                    self.row = max(self.row, _number(digits))
                self.cols = max(self.cols, self.col)
            self.rows = max(self.rows, self.row)


def _number(digits: bytes) -> int:
    return int(digits) if len(digits) <= 12 else HUGE


def _letters(letters: bytes) -> int:
    return column_number(letters.decode().upper()) if len(letters) <= 6 else HUGE


def column_number(letters: str) -> int:
    """1-based column number of Excel letters: A -> 1, AB -> 28; "" -> 0."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def split_cell(name: str) -> tuple[int, int]:
    """(row, column), 1-based, of a cell name like `F14`."""
    match = CELL_NAME.match(name)
    if match is None:
        raise ValueError(f"bukan nama sel: {name}")
    return int(match.group(2)), column_number(match.group(1))


def read_merged_ranges(data: bytes, sheet_name: str) -> list[tuple[str, str]]:
    """The merged ranges of an xlsx/xlsm sheet as (first cell, last cell), in file order."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        part = _sheet_part(archive, sheet_name)
        if part is None:
            return []
        xml = archive.read(part)
    return [(m.group(1).decode(), m.group(2).decode()) for m in MERGE_XML.finditer(xml)]


def read_external_links(data: bytes) -> list[str]:
    """The external-link parts of an xlsx/xlsm (formulas pointing into other files), sorted."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sorted(
            n for n in archive.namelist() if n.startswith(EXTERNAL_LINKS) and n.endswith(".xml")
        )


def read_ods_extents(data: bytes) -> dict[str, tuple[int, int]]:
    """(rows, columns) up to the last non-empty cell of every table of an ODS, by table name.

    python-calamine expands `number-rows-repeated` x `number-columns-repeated` into a dense grid for
    every table when it opens the file, so a 1 KB ODS can ask for gigabytes: measured here first.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("content.xml") as handle:
        scan = _OdsScan()
        tail = b""
        while chunk := handle.read(SCAN_CHUNK):
            text = tail + chunk
            cut = text.rfind(b"<")
            cut = len(text) if cut < 0 else cut
            scan.feed(text[:cut])
            tail = text[cut:]
        scan.feed(tail)
    return scan.extents


class _OdsScan:
    """Row/column positions through content.xml; the extent of non-empty cells per table."""

    def __init__(self) -> None:
        self.extents: dict[str, tuple[int, int]] = {}
        self.table = ""
        self.row = self.repeat = self.col = 0
        self.filled = False

    def feed(self, text: bytes) -> None:
        for match in ODS_TAG.finditer(text):
            closing, tag, attrs, empty = match.groups()
            if tag == b"table" and not closing:
                name = ODS_NAME.search(attrs)
                self.table = name.group(1).decode("utf-8", "replace") if name else ""
                self.row = 0
            elif tag == b"table-row" and not closing:
                self.repeat, self.col, self.filled = _repeat(attrs), 0, False
                if empty:
                    self._end_row()
            elif tag == b"table-row":
                self._end_row()
            elif not closing and tag != b"table":
                self._cell(_repeat(attrs), not empty or bool(ODS_VALUE.search(attrs)))

    def _cell(self, repeat: int, filled: bool) -> None:
        self.col += repeat
        if filled:
            self.filled = True
            rows, cols = self.extents.get(self.table, (0, 0))
            self.extents[self.table] = (rows, max(cols, self.col))

    def _end_row(self) -> None:
        self.row += self.repeat
        if self.filled:
            _, cols = self.extents[self.table]
            self.extents[self.table] = (self.row, cols)


def _repeat(attrs: bytes) -> int:
    found = ODS_REPEAT.search(attrs)
    return min(_number(found.group(1)), HUGE) if found else 1
