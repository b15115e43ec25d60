"""Facts read from a workbook's zip parts: saved time, formulas without a value, extent, merges, links.

A `Package` holds one workbook's bytes and serves its parts, each inflated at most once: the parts
sniff.py already inflated (to check their real size) are handed over and never inflated again.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import PurePosixPath

from pipeline.ingest.xmlread import elements

CORE_MODIFIED = "{http://purl.org/dc/terms/}modified"
ODS_DATE = "{http://purl.org/dc/elements/1.1/}date"
MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CELL_XML = re.compile(rb"<c\b([^>]*?)(?<!/)>(.*?)</c>", re.DOTALL)  # not a self-closing <c/>
CELL_REF = re.compile(rb'\br="([A-Z]+\d+)"')
FORMULA_XML = re.compile(rb"<f\b[^>]*?(?:/>|>(.*?)</f>)", re.DOTALL)
VALUE_XML = re.compile(rb"<v>[^<]+</v>")
FORMULA_START = re.compile(rb"<f\b")  # not <formula1> of a data validation
FRACTION = re.compile(r"(\.\d{6})\d+")
# A row or cell start tag (any namespace prefix) and the first `r` reference in it, as python-calamine
# reads them: a tag without `r` takes the next row/column. Letters and digits are unbounded in
# hostile files. One match per tag: (tag, letters, digits), empty letters and digits without `r`.
TAG_XML = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)\b"
    rb"""(?:[^>]*?\br\s*=\s*["']([A-Za-z]*)(\d*))?[^>]*>"""
)
HUGE = 10**12  # stands for any reference too long to be real
# ODS content.xml: tables, rows and cells with their repeat counts (any namespace prefix).
ODS_TAG = re.compile(
    rb"<(/?)(?:[A-Za-z_][\w.-]*:)?(table-row|table-cell|covered-table-cell|table)(?=[\s/>])([^>]*?)(/?)>"
)
ODS_REPEAT = re.compile(rb'number-(?:rows|columns)-repeated\s*=\s*["\'](\d+)')
ODS_NAME = re.compile(rb'\bname\s*=\s*"([^"]*)"')
ODS_VALUE = re.compile(rb"value-type\s*=")
MERGE_XML = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]*?\bref="([A-Z]+\d+):([A-Z]+\d+)"')
CELL_NAME = re.compile(r"^([A-Z]+)(\d+)$")
SCAN_CHUNK = 2**20
EXTERNAL_LINKS = "xl/externalLinks/"
ODS_CONTENT = "content.xml"

Tag = tuple[bytes, bytes, bytes]


class Package:
    """One xlsx/xlsm/ods file's zip parts, each inflated at most once and kept for the next reader.

    `parts` are members already inflated (and checked) by sniff.py, `names` every member's name as
    sniff.py read them; any other member is read from the zip on demand. Large members (over `keep` bytes) are not kept: they are streamed.
    """

    def __init__(
        self, data: bytes, parts: Mapping[str, bytes] | None = None, names: list[str] | None = None
    ) -> None:
        self.data = data
        self._parts = dict(parts or {})
        self._names = names
        self._archive: zipfile.ZipFile | None = None
        self._sheets: dict[str, str] | None = None

    def archive(self) -> zipfile.ZipFile:
        """The zip directory, read once."""
        if self._archive is None:
            self._archive = zipfile.ZipFile(io.BytesIO(self.data))
        return self._archive

    def names(self) -> list[str]:
        """Every member name, in zip order."""
        if self._names is None:
            self._names = self.archive().namelist()
        return self._names

    def kept(self, name: str) -> bytes | None:
        """A member's bytes if already inflated, else None."""
        return self._parts.get(name)

    def read(self, name: str) -> bytes:
        """A member's inflated bytes (KeyError when absent)."""
        if name not in self._parts:
            self._parts[name] = self.archive().read(name)
        return self._parts[name]

    def chunks(self, name: str) -> Iterator[bytes]:
        """A member's bytes in pieces cut before a `<`, so no tag is split (unless it is huge)."""
        if name in self._parts:
            yield self._parts[name]
            return
        with self.archive().open(name) as handle:
            tail = b""
            while chunk := handle.read(SCAN_CHUNK):
                text = tail + chunk
                cut = text.rfind(b"<")
                cut = len(text) if cut < 0 else cut
                yield text[:cut]
                tail = text[cut:]
            yield tail

    def sheet_part(self, sheet_name: str) -> str | None:
        """The member holding an xlsx sheet, from workbook.xml and its relationships (read once)."""
        if self._sheets is None:
            self._sheets = _sheet_parts(self.read("xl/workbook.xml"), self.read(WORKBOOK_RELS))
        return self._sheets.get(sheet_name) or None

    def sheet_xml(self, sheet_name: str) -> bytes | None:
        part = self.sheet_part(sheet_name)
        return None if part is None else self.read(part)


WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"


def _sheet_parts(workbook_xml: bytes, rels_xml: bytes) -> dict[str, str]:
    sheets = elements(workbook_xml, {f"{MAIN_NS}sheet"})
    rels = elements(rels_xml, {f"{PKG_REL_NS}Relationship"})
    targets = {r.get("Id"): r.get("Target") for r in rels}
    parts: dict[str, str] = {}
    for sheet in sheets:
        target = targets.get(sheet.get(f"{REL_NS}id"), "")
        if target.startswith("/"):
            target = target.lstrip("/")
        elif target:
            target = str(PurePosixPath("xl") / target)
        parts.setdefault(sheet.get("name", ""), target)  # the first sheet of a name wins
    return parts


def iso_utc(moment: dt.datetime) -> str:
    """A moment as ISO 8601 in UTC, to the second."""
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat()


def read_formulas_without_value(package: Package, sheet_name: str) -> dict[str, str]:
    """Cells of an xlsx/xlsm sheet holding a formula without a cached value: ref -> "=formula".

    Scans the raw sheet XML only when it contains a formula at all (`<f`).
    """
    xml = package.sheet_xml(sheet_name)
    if xml is None or not FORMULA_START.search(xml):
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


def read_sheet_extent(package: Package, sheet_name: str) -> tuple[int, int]:
    """(last row, last column), 1-based, that python-calamine would give an xlsx/xlsm sheet.

    Follows explicit `r` references and counts rows and cells without one: python-calamine builds a
    dense grid (rows x columns cells), so a lone cell at XFD1048576 (or a row of a million `<c/>`)
    must be refused before it parses. One regex pass per chunk; when every tag carries its own
    reference (as every writer does), the extent is simply the largest reference.
    """
    part = package.sheet_part(sheet_name)
    if part is None:
        raise KeyError(f"bagian lembar {sheet_name} tidak ditemukan")
    kept = package.kept(part)
    if kept is not None:
        tags = TAG_XML.findall(kept)
        if all(letters if tag == b"c" else digits for tag, letters, digits in tags):
            return _referenced_extent(tags)
        chunks: Iterable[bytes] = (kept,)
    else:
        chunks = package.chunks(part)
    scan = _ExtentScan()
    for chunk in chunks:
        scan.feed(TAG_XML.findall(chunk))
    return scan.rows, scan.cols


def _referenced_extent(tags: list[Tag]) -> tuple[int, int]:
    """Every row has its number and every cell its column: the extent is the largest of each."""
    rows = max((_number(digits) for digits in {d for _, _, d in tags if d}), default=0)
    columns = {letters for tag, letters, _ in tags if tag == b"c"}
    return rows, max((_letters(letters) for letters in columns), default=0)


class _ExtentScan:
    """Row and column positions as a reader of row/c tags sees them, in order; the largest seen."""

    def __init__(self) -> None:
        self.row = self.col = self.rows = self.cols = 0

    def feed(self, tags: list[Tag]) -> None:
        for tag, letters, digits in tags:
            if tag == b"row":
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


def read_merged_ranges(package: Package, sheet_name: str) -> list[tuple[str, str]]:
    """The merged ranges of an xlsx/xlsm sheet as (first cell, last cell), in file order."""
    xml = package.sheet_xml(sheet_name)
    if xml is None:
        return []
    return [(m.group(1).decode(), m.group(2).decode()) for m in MERGE_XML.finditer(xml)]


def read_external_links(package: Package) -> list[str]:
    """The external-link parts of an xlsx/xlsm (formulas pointing into other files), sorted."""
    return sorted(n for n in package.names() if n.startswith(EXTERNAL_LINKS) and n.endswith(".xml"))


def read_ods_extents(package: Package) -> dict[str, tuple[int, int]]:
    """(rows, columns) up to the last non-empty cell of every table of an ODS, by table name.

    python-calamine expands `number-rows-repeated` x `number-columns-repeated` into a dense grid for
    every table when it opens the file, so a 1 KB ODS can ask for gigabytes: measured here first.
    """
    scan = _OdsScan()
    for chunk in package.chunks(ODS_CONTENT):
        scan.feed(chunk)
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
