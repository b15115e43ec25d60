"""Facts read from a workbook's zip parts: its own saved time, and formulas without a cached value."""

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
