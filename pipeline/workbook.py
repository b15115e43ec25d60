"""One returned workbook -> its FILES row, raw CELLS rows and issues (python-calamine; no pandas)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from pipeline import config, tables
from pipeline.answers import clean_text
from pipeline.ingest_xml import iso_utc, read_formulas_without_value, read_saved_time
from pipeline.instrument import Instrument
from pipeline.messages import issue
from pipeline.metadata import meta_hash
from pipeline.region import Region
from pipeline.sniff import sniff_bytes

LOCK_PREFIX = "~$"
HEADER_SCAN_ROWS = 100
ZIP_SUFFIXES = (".xlsx", ".xlsm")
IDENTITY_FIELDS = {
    config.ID_CONTACT_NAME: "narahubung_nama",
    config.ID_CONTACT_TITLE: "narahubung_jabatan",
    config.ID_CONTACT_PHONE: "narahubung_telepon",
    config.ID_CONTACT_EMAIL: "narahubung_email",
    config.ID_FILLED_DATE: "tanggal_pengisian",
}
REQUIRED_CONTACT = {config.ID_CONTACT_NAME: "Nama", config.ID_CONTACT_PHONE: "Nomor HP/WA"}

Rows = list[list[Any]]


@dataclass(frozen=True)
class Submission:
    """What one input file gave: its FILES row, its CELLS rows (if used) and its issues."""

    file: dict[str, Any]
    cells: list[dict[str, Any]] = field(default_factory=list)
    issues: list[dict[str, str]] = field(default_factory=list)


def column_letter(index: int) -> str:
    """Excel column letters of a 0-based column index: 0 -> A, 27 -> AB."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def is_workbook_name(path: Path) -> bool:
    """A workbook by its name: a known suffix and not an Office lock file (~$...)."""
    return path.suffix.lower() in config.WORKBOOK_SUFFIXES and not path.name.startswith(LOCK_PREFIX)


def read_submission(path: Path, root: Path, instrument: Instrument, region: Region) -> Submission:
    """Read one input file; never raises for a bad file: problems become issues."""
    rel = path.relative_to(root).as_posix()
    base: dict[str, Any] = {name: "" for name in tables.FILES} | {
        "file": rel,
        "status": tables.FILE_REJECTED,
    }
    try:
        stat = path.stat()
        base["diubah"] = iso_utc(dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC))
        data = path.read_bytes()
        base |= {"sha256": hashlib.sha256(data).hexdigest(), "ukuran": len(data)}
        if not is_workbook_name(path):
            kind = "berkas kunci sementara" if path.name.startswith(LOCK_PREFIX) else path.suffix
            found = issue("bukan-workbook", file=rel, value=kind or "tanpa akhiran")
            return _finish(base, tables.FILE_NOT_WORKBOOK, [found])
        sniffed = sniff_bytes(path, data)
        if sniffed.problem:
            return _finish(
                base, tables.FILE_REJECTED, [issue(sniffed.problem, file=rel, value=sniffed.detail)]
            )
        return read_workbook_bytes(data, path.suffix.lower(), base, instrument, region)
    except Exception as exc:  # one unreadable file must never stop the run
        detail = f"{type(exc).__name__}: {exc}"[:200]
        return _finish(
            base, tables.FILE_REJECTED, [issue("berkas-tidak-terbaca", file=rel, value=detail)]
        )


def _finish(
    base: dict[str, Any],
    status: str,
    issues: list[dict[str, str]],
    cells: list[dict[str, Any]] | None = None,
) -> Submission:
    errors = [i["message"] for i in issues if i["severity"] == tables.SEVERITY_ERROR]
    shown = errors if status == tables.FILE_REJECTED else []
    if status == tables.FILE_NOT_WORKBOOK:
        shown = [i["message"] for i in issues]
    return Submission(base | {"status": status, "pesan": "; ".join(shown)}, cells or [], issues)


def read_workbook_bytes(
    data: bytes, suffix: str, base: dict[str, Any], instrument: Instrument, region: Region
) -> Submission:
    """Identify a workbook by its _meta sheet, then read its Identitas and Isian sheets."""
    rel = base["file"]
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    names = book.sheet_names
    missing = [s for s in (config.SHEET_META, config.SHEET_ANSWERS) if s not in names]
    if missing:
        return _finish(
            base,
            tables.FILE_REJECTED,
            [issue("bukan-template", file=rel, missing=", ".join(missing))],
        )
    meta = read_meta(_rows(book, config.SHEET_META))
    base |= {
        "peran": meta.get("peran", ""),
        "nama_opd": meta.get("nama_opd", ""),
        "format_template": meta.get("format_template", ""),
        "disimpan": read_saved_time(data, suffix),
    }
    issues = identity_issues(meta, rel, instrument, region)
    if any(i["severity"] == tables.SEVERITY_ERROR for i in issues):
        return _finish(base, tables.FILE_REJECTED, issues)
    rows = _rows(book, config.SHEET_ANSWERS)
    header = find_header(rows)
    if header is None:
        expected = ", ".join(config.CONTRACT_HEADERS)
        found = issue(
            "header-tidak-ditemukan", file=rel, sheet=config.SHEET_ANSWERS, expected=expected
        )
        return _finish(base, tables.FILE_REJECTED, [*issues, found])
    codes_in_book = _codes(rows, header)
    version = version_issues(meta, codes_in_book, rel, instrument)
    issues += version
    if any(i["severity"] == tables.SEVERITY_ERROR for i in version):
        return _finish(base, tables.FILE_REJECTED, issues)
    if config.SHEET_IDENTITY in names:
        contact, contact_issues = read_identity(_rows(book, config.SHEET_IDENTITY), rel)
        base |= contact
        issues += contact_issues
    formulas = (
        read_formulas_without_value(data, config.SHEET_ANSWERS) if suffix in ZIP_SUFFIXES else {}
    )
    cells, row_issues = question_cells(rows, header, base, instrument, region, formulas)
    return _finish(base, tables.FILE_USED, issues + row_issues, cells)


def _rows(book: CalamineWorkbook, name: str) -> Rows:
    return book.get_sheet_by_name(name).to_python(skip_empty_area=False)


def read_meta(rows: Rows) -> dict[str, str]:
    """_meta sheet rows (key in column A, value in column B) as text."""
    meta = {}
    for row in rows:
        if len(row) >= 2 and clean_text(row[0]) in config.META_KEYS:
            meta[clean_text(row[0])] = clean_text(row[1])
    return meta


def identity_issues(
    meta: dict[str, str], rel: str, instrument: Instrument, region: Region
) -> list[dict[str, str]]:
    """Errors when the metadata is edited or names another instrument, year, region or office."""
    sheet = config.SHEET_META
    found = []
    if meta.get("hash_meta", "") != meta_hash(meta):
        found.append(issue("template-diubah", file=rel, sheet=sheet))
    if meta.get("instrumen_id", "") != instrument.id:
        found.append(
            issue(
                "instrumen-berbeda",
                file=rel,
                sheet=sheet,
                value=meta.get("instrumen_id", ""),
                expected=instrument.id,
            )
        )
    if meta.get("tahun", "") != str(region.tahun):
        found.append(
            issue(
                "tahun-berbeda",
                file=rel,
                sheet=sheet,
                value=meta.get("tahun", ""),
                expected=region.tahun,
            )
        )
    if meta.get("kode_wilayah", "") != region.kode:
        shown = f"{meta.get('nama_wilayah', '')} ({meta.get('kode_wilayah', '')})"
        found.append(
            issue(
                "wilayah-berbeda",
                file=rel,
                sheet=sheet,
                value=shown,
                expected=f"{region.nama} ({region.kode})",
            )
        )
    if meta.get("format_template", "") not in config.SUPPORTED_TEMPLATE_FORMATS:
        supported = ", ".join(config.SUPPORTED_TEMPLATE_FORMATS)
        found.append(
            issue(
                "format-template-tidak-didukung",
                file=rel,
                sheet=sheet,
                value=meta.get("format_template", ""),
                expected=supported,
            )
        )
    if meta.get("peran", "") not in region.offices:
        found.append(
            issue("peran-tidak-dikenal", file=rel, sheet=sheet, value=meta.get("peran", ""))
        )
    return found


def version_issues(
    meta: dict[str, str], codes: list[str], rel: str, instrument: Instrument
) -> list[dict[str, str]]:
    """An older template of the same instrument: a warning if its codes still exist, else an error."""
    current = (
        meta.get("instrumen_hash") == instrument.content_hash
        and meta.get("format_template") == config.TEMPLATE_FORMAT
    )
    if current:
        return []
    known = {q.kode for q in instrument.questions}
    unknown = sorted(set(codes) - known)
    if unknown:
        shown = ", ".join(unknown[:5]) + (" ..." if len(unknown) > 5 else "")
        return [issue("template-tidak-cocok", file=rel, sheet=config.SHEET_META, value=shown)]
    return [issue("versi-template-lama", file=rel, sheet=config.SHEET_META)]


def find_header(rows: Rows) -> dict[str, int] | None:
    """The Isian header: its 0-based row under key "" and each contract header's 0-based column."""
    wanted = {name.lower(): name for name in config.CONTRACT_HEADERS}
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        columns: dict[str, int] = {}
        for col, value in enumerate(row):
            name = wanted.get(clean_text(value).lower()) if isinstance(value, str) else None
            if name and name not in columns:
                columns[name] = col
        if len(columns) == len(wanted):
            return {"": index, **columns}
    return None


def _codes(rows: Rows, header: dict[str, int]) -> list[str]:
    col = header[config.COL_CODE]
    return [code for row in rows[header[""] + 1 :] if (code := _cell_text(row, col))]


def _cell_text(row: list[Any], col: int) -> str:
    return clean_text(row[col]) if col < len(row) else ""


def _cell_value(row: list[Any], col: int) -> Any:
    return row[col] if col < len(row) else ""


def question_cells(
    rows: Rows,
    header: dict[str, int],
    base: dict[str, Any],
    instrument: Instrument,
    region: Region,
    formulas: dict[str, str],
) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """CELLS rows for the office's questions, found by code; unknown, repeated and missing codes."""
    rel, peran, sheet = base["file"], base["peran"], config.SHEET_ANSWERS
    expected = [q.kode for q in instrument.questions if region.office_role(q.opd_utama) == peran]
    wanted = set(expected)
    letters = {name: column_letter(header[name]) for name in config.CONTRACT_HEADERS}
    cells: dict[str, dict[str, Any]] = {}
    issues = []
    for index in range(header[""] + 1, len(rows)):
        row, number = rows[index], index + 1
        code = _cell_text(row, header[config.COL_CODE])
        code_cell = f"{letters[config.COL_CODE]}{number}"
        if not code:
            continue
        if code not in wanted:
            issues.append(
                issue("kode-tidak-dikenal", file=rel, sheet=sheet, cell=code_cell, value=code)
            )
        elif code in cells:
            first = f"{sheet}!{letters[config.COL_CODE]}{cells[code]['row']}"
            issues.append(
                issue(
                    "kode-ganda",
                    file=rel,
                    sheet=sheet,
                    cell=code_cell,
                    kode=code,
                    value=code,
                    first=first,
                )
            )
        else:
            answer_cell = f"{letters[config.COL_ANSWER]}{number}"
            answer = _cell_value(row, header[config.COL_ANSWER])
            if answer == "" and answer_cell in formulas:
                answer = formulas[answer_cell]
            cells[code] = {
                "file": rel,
                "sheet": sheet,
                "row": number,
                "kode": code,
                "peran": peran,
                "jawaban_mentah": answer,
                "data_dukung_mentah": _cell_value(row, header[config.COL_EVIDENCE]),
                "keterangan_mentah": _cell_value(row, header[config.COL_NOTE]),
                "jawaban_sel": answer_cell,
                "data_dukung_sel": f"{letters[config.COL_EVIDENCE]}{number}",
                "keterangan_sel": f"{letters[config.COL_NOTE]}{number}",
                "file_sha256": base["sha256"],
                "disimpan": base["disimpan"],
            }
    issues += [
        issue("tidak-ada-di-berkas", file=rel, sheet=sheet, kode=code)
        for code in expected
        if code not in cells
    ]
    return list(cells.values()), issues


def read_identity(rows: Rows, rel: str) -> tuple[dict[str, str], list[dict[str, str]]]:
    """Contact fields from the Identitas label/value rows; a warning for an empty name or phone."""
    contact = dict.fromkeys(IDENTITY_FIELDS.values(), "")
    where: dict[str, str] = {}
    for index, row in enumerate(rows):
        label = _cell_text(row, 0)
        if label in IDENTITY_FIELDS and label not in where:
            contact[IDENTITY_FIELDS[label]] = _cell_text(row, 1)
            where[label] = f"B{index + 1}"
    issues = [
        issue(
            "narahubung-kosong",
            file=rel,
            sheet=config.SHEET_IDENTITY,
            cell=where.get(label, ""),
            field=name,
        )
        for label, name in REQUIRED_CONTACT.items()
        if not contact[IDENTITY_FIELDS[label]]
    ]
    return contact, issues
