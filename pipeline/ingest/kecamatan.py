"""One returned kecamatan workbook -> its FILES row, UNIT_ANSWERS rows and located issues."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from python_calamine import CalamineWorkbook

from pipeline import config, tables
from pipeline.answers import checked_text, clean_text, match_label
from pipeline.ingest.parts import Package
from pipeline.ingest.savedtime import read_saved_time
from pipeline.ingest.structure import find_table
from pipeline.ingest.workbook import (
    Submission,
    column_letter,
    finish,
    read_identity,
)
from pipeline.instrument import Instrument, Scale
from pipeline.messages import issue
from pipeline.metadata import meta_hash, units_hash
from pipeline.region import TIME_ZONES, Region
from pipeline.unit_questions import UnitQuestion
from pipeline.units import MasterList, Unit

HEADER_SCAN_ROWS = 50
Rows = list[list[Any]]
Found = list[dict[str, str]]


def read_kecamatan_book(
    book: CalamineWorkbook,
    package: Package,
    real: str,
    base: dict[str, Any],
    notes: Found,
    instrument: Instrument,
    region: Region,
) -> Submission:
    """Check the metadata, then read Identitas, Kecamatan and Desa into unit answers."""
    rel = base["file"]
    meta = read_kecamatan_meta(_rows(book, config.SHEET_META))
    code = meta.get("kode_kecamatan", "")
    base = base | {
        "peran": config.KECAMATAN_ROLE_PREFIX + code if code else "",
        "nama_opd": f"Kecamatan {meta.get('nama_kecamatan', '')}".strip(),
        "format_template": meta.get("format_template", ""),
        "disimpan": read_saved_time(package, real, TIME_ZONES[region.zona_waktu]),
    }
    issues = notes + meta_issues(meta, rel, instrument, region)
    if any(i["severity"] == tables.SEVERITY_ERROR for i in issues):
        return finish(base, tables.FILE_REJECTED, issues)
    assert region.units is not None
    names = book.sheet_names
    if config.SHEET_IDENTITY in names:
        contact, contact_issues = read_identity(_rows(book, config.SHEET_IDENTITY), rel)
        base |= contact
        issues += contact_issues
    scale = instrument.scales["ya_tidak"]
    questions = instrument.unit_questions
    where = {"file": rel, "sha256": base["sha256"], "kecamatan": code}
    units: list[dict[str, Any]] = []
    for sheet, reader in (
        (config.SHEET_KECAMATAN, _kecamatan_units),
        (config.SHEET_DESA, _desa_units),
    ):
        if sheet not in names:
            issues.append(issue("bukan-template", file=rel, missing=sheet))
            continue
        found, found_issues = reader(_rows(book, sheet), where, questions, scale, region.units)
        units += found
        issues += found_issues
    submission = finish(base, tables.FILE_USED, issues)
    return replace(submission, units=units)


def read_kecamatan_meta(rows: Rows) -> dict[str, str]:
    meta = {}
    for row in rows:
        if len(row) >= 2 and clean_text(row[0]) in config.KECAMATAN_META_KEYS:
            meta[clean_text(row[0])] = clean_text(row[1])
    return meta


def meta_issues(meta: dict[str, str], rel: str, instrument: Instrument, region: Region) -> Found:
    """Errors for an edited signature, another instrument/year/region, an unknown kecamatan."""
    at = {"file": rel, "sheet": config.SHEET_META}
    found = []
    if meta.get("hash_meta", "") != meta_hash(meta, config.KECAMATAN_META_KEYS):
        found.append(issue("template-diubah", **at))
    if meta.get("instrumen_id", "") != instrument.id:
        found.append(
            issue(
                "instrumen-berbeda",
                **at,
                value=meta.get("instrumen_id", ""),
                expected=instrument.id,
            )
        )
    if meta.get("tahun", "") != str(region.tahun):
        found.append(
            issue("tahun-berbeda", **at, value=meta.get("tahun", ""), expected=region.tahun)
        )
    if meta.get("kode_wilayah", "") != region.kode:
        shown = f"{meta.get('nama_wilayah', '')} ({meta.get('kode_wilayah', '')})"
        found.append(
            issue("wilayah-berbeda", **at, value=shown, expected=f"{region.nama} ({region.kode})")
        )
    if meta.get("format_template", "") != config.KECAMATAN_TEMPLATE_FORMAT:
        found.append(
            issue(
                "format-template-tidak-didukung",
                **at,
                value=meta.get("format_template", ""),
                expected=config.KECAMATAN_TEMPLATE_FORMAT,
            )
        )
    if found:
        return found
    if region.units is None:
        return [issue("tanpa-daftar-wilayah", **at)]
    code = meta.get("kode_kecamatan", "")
    if code not in {k.kode for k in region.units.kecamatan}:
        return [issue("kecamatan-tidak-dikenal", **at, value=code)]
    desa = region.units.desa_of(code)
    if meta.get("hash_desa", "") != units_hash((d.kode, d.nama, d.jenis) for d in desa):
        found.append(issue("daftar-desa-berubah", **at))
    return found


def _rows(book: CalamineWorkbook, name: str) -> Rows:
    return book.get_sheet_by_name(name).to_python(skip_empty_area=False)


def _cell(row: list[Any], col: int | None) -> Any:
    return row[col] if col is not None and col < len(row) else ""


def _answer(value: Any, scale: Scale, at: dict[str, str]) -> tuple[str, Found]:
    """ "Ya", "Tidak" or "" (blank or not Ya/Tidak), and the issues found."""
    text, found = checked_text(value)
    issues = [issue(slug, **at, **fields) for slug, fields in found]
    if clean_text(text) == "":
        return "", issues
    matched = match_label(text, scale)
    if matched.problem or matched.jawaban not in scale.labels:
        return "", [*issues, issue("jawaban-bukan-ya-tidak", **at, value=clean_text(text))]
    if matched.changed:
        issues.append(issue("jawaban-dinormalisasi", **at, value=text, normalised=matched.jawaban))
    return matched.jawaban, issues


def _text(value: Any, at: dict[str, str]) -> tuple[str, Found]:
    text, found = checked_text(value)
    return clean_text(text), [issue(slug, **at, **fields) for slug, fields in found]


def _unit_row(
    where: dict[str, str], sheet: str, row: int, tingkat: str, kode_wilayah: str, kode: str
) -> dict[str, Any]:
    return {
        "file": where["file"],
        "sheet": sheet,
        "row": row,
        "tingkat": tingkat,
        "kode_wilayah": kode_wilayah,
        "kode_kecamatan": where["kecamatan"],
        "kode": kode,
        "file_sha256": where["sha256"],
    }


def _kecamatan_units(
    rows: Rows,
    where: dict[str, str],
    questions: tuple[UnitQuestion, ...],
    scale: Scale,
    units: MasterList,
) -> tuple[list[dict[str, Any]], Found]:
    """The Kecamatan sheet: one row per kecamatan-level question, found by its Kode."""
    sheet, rel = config.SHEET_KECAMATAN, where["file"]
    header, _ = find_table(rows, rel, sheet)
    if header is None or any(name not in header for name in config.CONTRACT_HEADERS):
        expected = ", ".join(config.CONTRACT_HEADERS)
        return [], [issue("header-tidak-ditemukan", file=rel, sheet=sheet, expected=expected)]
    wanted = {q.kode for q in questions if q.tingkat == "kecamatan"}
    letters = {name: column_letter(header[name]) for name in config.CONTRACT_HEADERS}
    found: dict[str, dict[str, Any]] = {}
    issues: Found = []
    for index in range(header[""] + 1, len(rows)):
        row, number = rows[index], index + 1
        code = clean_text(_cell(row, header[config.COL_CODE]))
        code_cell = f"{letters[config.COL_CODE]}{number}"
        if not code:
            continue
        if code not in wanted:
            issues.append(
                issue("kode-tidak-dikenal", file=rel, sheet=sheet, cell=code_cell, value=code)
            )
            continue
        if code in found:
            first = f"{sheet}!{letters[config.COL_CODE]}{found[code]['row']}"
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
            continue
        cell = {name: f"{letters[name]}{number}" for name in letters}
        at = {"file": rel, "sheet": sheet, "kode": code}
        answer, answer_issues = _answer(
            _cell(row, header[config.COL_ANSWER]), scale, at | {"cell": cell[config.COL_ANSWER]}
        )
        evidence, evidence_issues = _text(
            _cell(row, header[config.COL_EVIDENCE]), at | {"cell": cell[config.COL_EVIDENCE]}
        )
        note, note_issues = _text(
            _cell(row, header[config.COL_NOTE]), at | {"cell": cell[config.COL_NOTE]}
        )
        issues += answer_issues + evidence_issues + note_issues
        found[code] = _unit_row(where, sheet, number, "kecamatan", where["kecamatan"], code) | {
            "jawaban": answer,
            "data_dukung": evidence,
            "keterangan": note,
            "jawaban_sel": cell[config.COL_ANSWER],
        }
    issues += [
        issue("tidak-ada-di-berkas", file=rel, sheet=sheet, kode=code)
        for code in sorted(wanted - set(found))
    ]
    return list(found.values()), issues


def find_desa_header(
    rows: Rows, questions: list[UnitQuestion]
) -> tuple[int, dict[str, int]] | None:
    """The Desa header row and the column of each contract header and question code found."""
    codes = {q.kode for q in questions}
    fixed = (config.COL_UNIT_CODE, config.COL_UNIT_NAME, config.COL_EVIDENCE, config.COL_NOTE)
    wanted = {name.lower(): name for name in fixed}
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        columns: dict[str, int] = {}
        for col, value in enumerate(row):
            text = clean_text(value) if isinstance(value, str) else ""
            name = wanted.get(text.lower())
            first_word = text.split(" ", 1)[0] if text else ""
            if name is None and first_word in codes:
                name = first_word
            if name and name not in columns:
                columns[name] = col
        if config.COL_UNIT_CODE in columns and config.COL_UNIT_NAME in columns:
            return index, columns
    return None


def _desa_units(
    rows: Rows,
    where: dict[str, str],
    questions: tuple[UnitQuestion, ...],
    scale: Scale,
    units: MasterList,
) -> tuple[list[dict[str, Any]], Found]:
    """The Desa sheet: one row per desa/kelurahan of the kecamatan, one column per question."""
    sheet, rel = config.SHEET_DESA, where["file"]
    desa_questions = [q for q in questions if q.tingkat == "desa"]
    found_header = find_desa_header(rows, desa_questions)
    if found_header is None:
        expected = f"{config.COL_UNIT_CODE}, {config.COL_UNIT_NAME}"
        return [], [issue("header-tidak-ditemukan", file=rel, sheet=sheet, expected=expected)]
    header_index, columns = found_header
    issues: Found = [
        issue("kolom-pertanyaan-hilang", file=rel, sheet=sheet, value=q.kode)
        for q in desa_questions
        if q.kode not in columns
    ]
    present = [q for q in desa_questions if q.kode in columns]
    own = {d.kode: d for d in units.desa_of(where["kecamatan"])}
    seen: dict[str, int] = {}
    result: list[dict[str, Any]] = []
    for index in range(header_index + 1, len(rows)):
        row, number = rows[index], index + 1
        rows_found, row_issues = _desa_row(row, number, columns, present, where, scale, own, seen)
        result += rows_found
        issues += row_issues
    issues += [
        issue(
            "desa-tidak-ada-di-berkas",
            file=rel,
            sheet=sheet,
            value=d.kode,
            name=d.nama,
        )
        for code, d in own.items()
        if code not in seen
    ]
    return result, issues


def _desa_row(
    row: list[Any],
    number: int,
    columns: dict[str, int],
    questions: list[UnitQuestion],
    where: dict[str, str],
    scale: Scale,
    own: dict[str, Unit],
    seen: dict[str, int],
) -> tuple[list[dict[str, Any]], Found]:
    """Unit rows for one Desa sheet row; nothing counted for a row added by hand or repeated."""
    sheet, rel = config.SHEET_DESA, where["file"]
    code = clean_text(_cell(row, columns[config.COL_UNIT_CODE]))
    code_cell = f"{column_letter(columns[config.COL_UNIT_CODE])}{number}"
    raw = {q.kode: _cell(row, columns[q.kode]) for q in questions}
    filled = any(clean_text(v) for v in raw.values())
    if not code:
        if filled:
            return [], [issue("desa-tanpa-kode", file=rel, sheet=sheet, cell=code_cell)]
        return [], []
    if code not in own:
        name = clean_text(_cell(row, columns[config.COL_UNIT_NAME]))
        shown = f"{code} {name}".strip()
        kecamatan = where["kecamatan"]
        return [], [
            issue(
                "desa-tidak-di-daftar",
                file=rel,
                sheet=sheet,
                cell=code_cell,
                value=shown,
                expected=kecamatan,
            )
        ]
    if code in seen:
        first = f"{sheet}!{column_letter(columns[config.COL_UNIT_CODE])}{seen[code]}"
        return [], [
            issue("desa-ganda", file=rel, sheet=sheet, cell=code_cell, value=code, first=first)
        ]
    seen[code] = number
    at = {"file": rel, "sheet": sheet}
    evidence_col, note_col = columns.get(config.COL_EVIDENCE), columns.get(config.COL_NOTE)
    evidence, issues = _text(_cell(row, evidence_col), at | {"cell": _ref(evidence_col, number)})
    note, note_issues = _text(_cell(row, note_col), at | {"cell": _ref(note_col, number)})
    issues += note_issues
    result, blank = [], []
    for question in questions:
        cell = f"{column_letter(columns[question.kode])}{number}"
        answer, found = _answer(
            raw[question.kode], scale, at | {"cell": cell, "kode": question.kode}
        )
        issues += found
        if answer == "" and not found:
            blank.append(question.kode)
        result.append(
            _unit_row(where, sheet, number, "desa", code, question.kode)
            | {"jawaban": answer, "data_dukung": evidence, "keterangan": note, "jawaban_sel": cell}
        )
    if blank:
        shown = "semua kriteria" if len(blank) == len(questions) else ", ".join(blank)
        issues.append(
            issue(
                "desa-belum-lengkap",
                file=rel,
                sheet=sheet,
                cell=code_cell,
                value=shown,
                name=own[code].nama,
            )
        )
    return result, issues


def _ref(col: int | None, number: int) -> str:
    return f"{column_letter(col)}{number}" if col is not None else ""
