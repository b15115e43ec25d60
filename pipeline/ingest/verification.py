"""One returned verification workbook -> its decision rows and issues (python-calamine; no pandas).

Recognised by its very hidden _meta sheet (`jenis = verifikasi`), whatever its name or folder.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from python_calamine import CalamineWorkbook

from pipeline import config
from pipeline.answers import clean_text
from pipeline.instrument import Instrument
from pipeline.messages import issue
from pipeline.metadata import fingerprints_hash, meta_hash
from pipeline.region import Region

HEADER_SCAN_ROWS = 50
Rows = list[list[Any]]


@dataclass(frozen=True)
class VerificationRead:
    """What one verification workbook gave: metadata, decision rows (DECISION_CELLS), issues."""

    meta: dict[str, str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    issues: list[dict[str, str]] = field(default_factory=list)
    usable: bool = True


def is_verification_book(sheet_names: list[str]) -> bool:
    """A workbook with a Verifikasi sheet and a _meta sheet (the metadata decides the rest)."""
    return config.SHEET_VERIFICATION in sheet_names and config.SHEET_META in sheet_names


def read_verification_book(
    book: CalamineWorkbook, rel: str, sha256: str, instrument: Instrument, region: Region
) -> VerificationRead:
    """Check the metadata, find the header by its texts, and read every filled decision row."""
    meta, fingerprints = read_verification_meta(_rows(book, config.SHEET_META))
    problems = meta_issues(meta, fingerprints, rel, instrument, region)
    if problems:
        return VerificationRead(meta, [], problems, usable=False)
    rows = _rows(book, config.SHEET_VERIFICATION)
    header = find_verification_header(rows)
    if header is None:
        expected = ", ".join(config.VERIFICATION_CONTRACT_HEADERS)
        found = issue(
            "header-tidak-ditemukan", file=rel, sheet=config.SHEET_VERIFICATION, expected=expected
        )
        return VerificationRead(meta, [], [found], usable=False)
    known = {q.kode for q in instrument.questions}
    fingerprints = {code: mark for code, mark in fingerprints.items() if code in known}
    decisions, found_issues = decision_rows(rows, header, meta, fingerprints, rel, sha256)
    return VerificationRead(meta, decisions, found_issues)


def _rows(book: CalamineWorkbook, name: str) -> Rows:
    return book.get_sheet_by_name(name).to_python(skip_empty_area=False)


def read_verification_meta(rows: Rows) -> tuple[dict[str, str], dict[str, str]]:
    """(key/value metadata, fingerprint per question code) from the _meta sheet rows."""
    meta: dict[str, str] = {}
    fingerprints: dict[str, str] = {}
    in_table = False
    for row in rows:
        key = clean_text(row[0]) if row else ""
        value = clean_text(row[1]) if len(row) >= 2 else ""
        if in_table and key:
            fingerprints[key] = value
        elif (key, value) == config.FINGERPRINT_HEADER:
            in_table = True
        elif key in config.VERIFICATION_META_KEYS:
            meta[key] = value
    return meta, fingerprints


def meta_issues(
    meta: dict[str, str],
    fingerprints: dict[str, str],
    rel: str,
    instrument: Instrument,
    region: Region,
) -> list[dict[str, str]]:
    """Errors for edited metadata or a workbook of another instrument, year or region."""
    sheet = config.SHEET_META
    signed = meta.get("hash_meta", "") == meta_hash(meta, config.VERIFICATION_META_KEYS)
    intact = meta.get("hash_sidik", "") == fingerprints_hash(fingerprints)
    known = meta.get("klaster", "") in {c.kode for c in instrument.clusters}
    if not (signed and intact and known and meta.get("putaran", "").isdigit()):
        return [issue("verifikasi-diubah", file=rel, sheet=sheet)]
    checks = (
        ("instrumen-berbeda", meta.get("instrumen_id", ""), instrument.id),
        ("tahun-berbeda", meta.get("tahun", ""), str(region.tahun)),
        ("wilayah-berbeda", meta.get("kode_wilayah", ""), region.kode),
    )
    return [
        issue(code, file=rel, sheet=sheet, value=found, expected=wanted)
        for code, found, wanted in checks
        if found != wanted
    ]


def find_verification_header(rows: Rows) -> dict[str, int] | None:
    """The header: its 0-based row under key "" and each contract header's 0-based column."""
    wanted = {name.lower(): name for name in config.VERIFICATION_CONTRACT_HEADERS}
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        columns: dict[str, int] = {}
        for col, value in enumerate(row):
            name = wanted.get(clean_text(value).lower()) if isinstance(value, str) else None
            if name and name not in columns:
                columns[name] = col
        if len(columns) == len(wanted):
            return {"": index, **columns}
    return None


def decision_rows(
    rows: Rows,
    header: dict[str, int],
    meta: dict[str, str],
    fingerprints: dict[str, str],
    rel: str,
    sha256: str,
) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """DECISION_CELLS rows for every question row with any input; unknown and repeated codes."""
    sheet = config.SHEET_VERIFICATION
    letters = {name: column_letter(col) for name, col in header.items() if name}
    found: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    problems = []
    for index in range(header[""] + 1, len(rows)):
        row, number = rows[index], index + 1
        code = _text(row, header[config.COL_CODE])
        if not code:
            continue
        code_cell = f"{letters[config.COL_CODE]}{number}"
        if code not in fingerprints:
            problems.append(
                issue(
                    "kode-verifikasi-tidak-dikenal",
                    file=rel,
                    sheet=sheet,
                    cell=code_cell,
                    value=code,
                )
            )
            continue
        if code in seen:
            first = f"{sheet}!{letters[config.COL_CODE]}{seen[code]}"
            problems.append(
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
            continue
        seen[code] = number
        inputs = {name: _value(row, header[name]) for name in config.VERIFICATION_INPUTS}
        if all(_blank(value) for value in inputs.values()):
            continue
        found.append(
            {
                "file": rel,
                "sheet": sheet,
                "row": number,
                "kode": code,
                "klaster": meta["klaster"],
                "putaran": int(meta["putaran"]),
                "sidik": fingerprints[code],
                "jawaban_dinilai": _text(row, header[config.COL_ANSWER]),
                "keputusan": clean_text(inputs[config.VCOL_DECISION]),
                "jawaban_koreksi": inputs[config.VCOL_CORRECTION],
                "alasan": clean_text(inputs[config.VCOL_REASON]),
                "catatan": clean_text(inputs[config.VCOL_NOTE]),
                "verifikator": clean_text(inputs[config.VCOL_VERIFIER]),
                "tanggal": date_text(inputs[config.VCOL_DATE]),
                "keputusan_sel": f"{letters[config.VCOL_DECISION]}{number}",
                "koreksi_sel": f"{letters[config.VCOL_CORRECTION]}{number}",
                "alasan_sel": f"{letters[config.VCOL_REASON]}{number}",
                "file_sha256": sha256,
            }
        )
    return found, problems


def date_text(value: Any) -> str:
    """A decision date as ISO text (2024-04-15) when the cell holds a date, else its text."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return clean_text(value)


def column_letter(index: int) -> str:
    """Excel column letters of a 0-based column index: 0 -> A, 27 -> AB."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _value(row: list[Any], col: int) -> Any:
    return row[col] if col < len(row) else ""


def _text(row: list[Any], col: int) -> str:
    return clean_text(_value(row, col))


def _blank(value: Any) -> bool:
    return clean_text(value) == ""
