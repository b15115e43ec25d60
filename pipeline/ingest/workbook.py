"""One returned workbook -> its FILES row, raw CELLS rows and issues (python-calamine; no pandas)."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from pipeline import config, tables
from pipeline.answers import checked_text, clean_text, formula_problem
from pipeline.ingest.claims import claim_issues
from pipeline.ingest.contact import restored_phone
from pipeline.ingest.formulas import read_failed_formulas
from pipeline.ingest.numfmt import read_percent_cells, with_percents_shown
from pipeline.ingest.parts import (
    Package,
    read_external_links,
    read_formulas_without_value,
    read_merged_ranges,
    read_sheet_extent,
    split_cell,
)
from pipeline.ingest.savedtime import read_saved_time, trusted_saved_time
from pipeline.ingest.sniff import (
    MAX_SHEET_CELLS,
    MAX_SHEET_ROWS,
    ZIP_SUFFIXES,
    content_suffix,
    extent_issues,
    format_issues,
)
from pipeline.ingest.structure import copy_issues, copy_sheets, find_table
from pipeline.ingest.verification import is_verification_book, read_verification_book
from pipeline.instrument import Instrument
from pipeline.messages import issue
from pipeline.metadata import meta_hash
from pipeline.region import TIME_ZONES, Region
from pipeline.unit_questions import computed_codes

LOCK_PREFIX = "~$"
IDENTITY_FIELDS = {
    config.ID_CONTACT_NAME: "narahubung_nama",
    config.ID_CONTACT_TITLE: "narahubung_jabatan",
    config.ID_CONTACT_PHONE: "narahubung_telepon",
    config.ID_CONTACT_EMAIL: "narahubung_email",
    config.ID_FILLED_DATE: "tanggal_pengisian",
}
REQUIRED_CONTACT = {
    config.ID_CONTACT_NAME: "Nama",
    config.ID_CONTACT_PHONE: config.ID_CONTACT_PHONE,
}

Rows = list[list[Any]]
# The sheets each other kind of workbook reads (its reader in files.READERS), measured first.
KIND_SHEETS = {
    config.KIND_KECAMATAN: (
        config.SHEET_IDENTITY,
        config.SHEET_KECAMATAN,
        config.SHEET_DESA,
    ),
}


@dataclass(frozen=True)
class Submission:
    """What one input file gave: its FILES row, its CELLS rows (if used) and its issues."""

    file: dict[str, Any]
    cells: list[dict[str, Any]] = field(default_factory=list)
    issues: list[dict[str, str]] = field(default_factory=list)
    decisions: list[dict[str, Any]] = field(default_factory=list)  # DECISION_CELLS (verification)
    units: list[dict[str, Any]] = field(default_factory=list)  # tables.UNIT_ANSWERS rows
    # True when read with answers=False and its answers were not read: it can only be superseded.
    unanswered: bool = False


# Reads a workbook of another kind (by its _meta `jenis_berkas`): the book, its package, the real
# suffix, the FILES row so far, notes found so far, the instrument and the region.
KindReader = Callable[
    [CalamineWorkbook, Package, str, dict[str, Any], list[dict[str, str]], Instrument, Region],
    Submission,
]


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


def finish(
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
    data: bytes,
    suffix: str,
    base: dict[str, Any],
    instrument: Instrument,
    region: Region,
    parts: Mapping[str, bytes] | None = None,
    names: list[str] | None = None,
    readers: Mapping[str, KindReader] | None = None,
    *,
    answers: bool = True,
) -> Submission:
    """Identify a workbook by its _meta sheet, then read its Identitas and Isian sheets.

    `suffix` is the file name's; the bytes are read by their real format (content_suffix).
    `parts` are zip members sniff.py already inflated (never inflated again), `names` all of them.
    With `answers=False`, an OPD workbook is only identified (_read_template): one whose identity
    would let it be used comes back `unanswered`; every other kind of file is read completely.
    """
    rel = base["file"]
    package = Package(data, parts, names)
    real = content_suffix(package)
    notes = format_issues(suffix, real, rel)
    if real in (".ods", ".xls"):  # python-calamine parses every sheet on opening: measure first
        too_big = extent_issues(package, real, [], rel)
        if too_big:
            return finish(base, tables.FILE_REJECTED, [*notes, *too_big])
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    names = book.sheet_names
    too_big = _too_big(package, real, names, (config.SHEET_META,), rel)
    if too_big:
        return finish(base, tables.FILE_REJECTED, [*notes, *too_big])
    meta_rows = _rows(book, config.SHEET_META) if config.SHEET_META in names else []
    kind = meta_kind(meta_rows) if readers else ""
    if readers and kind in readers:
        too_big = _too_big(package, real, names, KIND_SHEETS.get(kind, ()), rel)
        if too_big:
            return finish(base, tables.FILE_REJECTED, [*notes, *too_big])
        return readers[kind](book, package, real, base, notes, instrument, region)
    verification = is_verification_book(names)
    table = config.SHEET_VERIFICATION if verification else config.SHEET_ANSWERS
    missing = [s for s in (config.SHEET_META, table) if s not in names]
    if missing:
        return finish(
            base,
            tables.FILE_REJECTED,
            [*notes, issue("bukan-template", file=rel, missing=", ".join(missing))],
        )
    if not (answers or verification):  # identified only: Isian and Identitas are not parsed
        return _read_template(
            book, package, real, base, notes, instrument, region, meta_rows, answers=False
        )
    if real in ZIP_SUFFIXES:
        too_big = _too_big(package, real, names, (table, config.SHEET_IDENTITY), rel)
        if too_big:
            return finish(base, tables.FILE_REJECTED, [*notes, *too_big])
        notes += _zip_notes(package, rel)
    if verification:
        return _read_verification(book, package, real, base, notes, instrument, region)
    return _read_template(
        book, package, real, base, notes, instrument, region, meta_rows, answers=answers
    )


def _too_big(
    package: Package, real: str, names: list[str], sheets: tuple[str, ...], rel: str
) -> list[dict[str, str]]:
    """lembar-terlalu-besar for those of `sheets` an xlsx/xlsm holds, measured before parsing.

    ODS and xls were measured whole before opening (python-calamine parses them all then).
    """
    if real not in ZIP_SUFFIXES:
        return []
    return extent_issues(package, real, [name for name in sheets if name in names], rel)


def _read_verification(
    book: CalamineWorkbook,
    package: Package,
    real: str,
    base: dict[str, Any],
    notes: list[dict[str, str]],
    instrument: Instrument,
    region: Region,
) -> Submission:
    """A verification workbook: used with no office role; its rows go to `decisions`."""
    read = read_verification_book(book, base["file"], base["sha256"], instrument, region)
    cluster = read.meta.get("klaster", "")
    base |= {
        "nama_opd": f"Tim verifikasi {cluster}".strip(),
        "format_template": f"{config.VERIFICATION_KIND}-{read.meta.get('format_verifikasi', '')}",
        "disimpan": read_saved_time(package, real, TIME_ZONES[region.zona_waktu]),
    }
    if not read.usable:
        return finish(base, tables.FILE_REJECTED, [*notes, *read.issues])
    used = finish(base, tables.FILE_USED, [*notes, *read.issues])
    return Submission(used.file, [], used.issues, read.rows)


def workbook_kind(book: CalamineWorkbook) -> str:
    """The _meta `jenis_berkas` value ("" for an OPD template or a workbook without _meta)."""
    if config.SHEET_META not in book.sheet_names:
        return ""
    return meta_kind(_rows(book, config.SHEET_META))


def meta_kind(rows: Rows) -> str:
    """The `jenis_berkas` value of _meta rows ("" when absent)."""
    for row in rows:
        if len(row) >= 2 and clean_text(row[0]) == config.META_KIND:
            return clean_text(row[1])
    return ""


def _zip_notes(package: Package, rel: str) -> list[dict[str, str]]:
    links = read_external_links(package)
    if not links:
        return []
    return [issue("tautan-eksternal", file=rel, value=", ".join(links[:3]))]


def _read_template(
    book: CalamineWorkbook,
    package: Package,
    real: str,
    base: dict[str, Any],
    notes: list[dict[str, str]],
    instrument: Instrument,
    region: Region,
    meta_rows: Rows,
    *,
    answers: bool = True,
) -> Submission:
    """An OPD workbook: identity, structure and version decide its status; then its answers.

    With `answers=False` the workbook is only identified: _meta (office, year, region, template)
    and the saved time, which decide which version of an office's workbook is the newest. The
    Isian and Identitas sheets are neither measured nor parsed: files.read_inputs reads completely
    every version that may be used or compared, and a version left identified only is superseded
    (its structure, contact and answers would not be used).
    """
    rel, names = base["file"], book.sheet_names
    meta = read_meta(meta_rows)
    saved = read_saved_time(package, real, TIME_ZONES[region.zona_waktu])
    saved, clock = trusted_saved_time(saved, base.get("diubah", ""), rel)
    base |= {
        "peran": meta.get("peran", ""),
        "nama_opd": meta.get("nama_opd", ""),
        "format_template": meta.get("format_template", ""),
        "disimpan": saved,
    }
    issues = notes + clock + identity_issues(meta, rel, instrument, region)
    if any(i["severity"] == tables.SEVERITY_ERROR for i in issues):
        return finish(base, tables.FILE_REJECTED, issues)
    if not answers:
        return replace(finish(base, tables.FILE_USED, issues), unanswered=True)
    rows = _rows(book, config.SHEET_ANSWERS)
    header, structure = find_table(rows, rel, config.SHEET_ANSWERS)
    issues += structure
    if header is None:
        expected = ", ".join(config.CONTRACT_HEADERS)
        found = issue(
            "header-tidak-ditemukan", file=rel, sheet=config.SHEET_ANSWERS, expected=expected
        )
        return finish(base, tables.FILE_REJECTED, [*issues, found])
    codes_in_book = _codes(rows, header)
    version = version_issues(meta, codes_in_book, rel, instrument)
    version += claim_issues(
        meta, codes_in_book, expected_codes(instrument, region, base["peran"]), rel
    )
    issues += version
    if any(i["severity"] == tables.SEVERITY_ERROR for i in version):
        return finish(base, tables.FILE_REJECTED, issues)
    if config.SHEET_IDENTITY in names:
        contact, contact_issues = read_identity(_rows(book, config.SHEET_IDENTITY), rel)
        base |= contact
        issues += contact_issues
    formulas, merged = {}, []
    if real in ZIP_SUFFIXES:
        formulas = read_formulas_without_value(package, config.SHEET_ANSWERS)
        formulas |= read_failed_formulas(package, config.SHEET_ANSWERS)
        merged = merged_issues(read_merged_ranges(package, config.SHEET_ANSWERS), header, rows, rel)
    if real in (*ZIP_SUFFIXES, ".ods"):
        rows = with_percents_shown(rows, read_percent_cells(package, real, config.SHEET_ANSWERS))
    cells, row_issues = question_cells(rows, header, base, instrument, region, formulas)
    typed = {c["kode"]: clean_text(c["jawaban_mentah"]) for c in cells}
    copies = copy_issues(copy_sheets(names), _copy_reader(book, package, real), typed, rel)
    return finish(base, tables.FILE_USED, issues + merged + row_issues + copies, cells)


def _copy_reader(
    book: CalamineWorkbook, package: Package, real: str
) -> Callable[[str], Rows | None]:
    """Rows of a copied Isian sheet, or None when an xlsx sheet is too large to parse."""

    def read(name: str) -> Rows | None:
        if real in ZIP_SUFFIXES:  # ODS and xls sheets were all measured before opening
            rows, cols = read_sheet_extent(package, name)
            if rows > MAX_SHEET_ROWS or rows * cols > MAX_SHEET_CELLS:
                return None
        return _rows(book, name)

    return read


def merged_issues(
    ranges: list[tuple[str, str]], header: dict[str, int], rows: Rows, rel: str
) -> list[dict[str, str]]:
    """A warning per merged range touching the answer columns below the header row."""
    columns = {
        header[name] + 1
        for name in config.CONTRACT_HEADERS
        if name != config.COL_CODE and name in header
    }
    first_row = header[""] + 2
    found = []
    for start, end in ranges:
        (_, left), (bottom, right) = split_cell(start), split_cell(end)
        if bottom >= first_row and any(left <= c <= right for c in columns):
            place = f"{start}:{end}"
            found.append(
                issue("sel-digabung", file=rel, sheet=config.SHEET_ANSWERS, cell=start, value=place)
            )
    return found


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


def _codes(rows: Rows, header: dict[str, int]) -> list[str]:
    col = header[config.COL_CODE]
    return [code for row in rows[header[""] + 1 :] if (code := _cell_text(row, col))]


def _cell_text(row: list[Any], col: int) -> str:
    return clean_text(row[col]) if col < len(row) else ""


def _cell_value(row: list[Any], col: int) -> Any:
    return row[col] if col < len(row) else ""


def _raw(
    row: list[Any], header: dict[str, int], name: str, letters: dict[str, str], number: int
) -> tuple[Any, str]:
    if name not in header:  # an optional column the office deleted (structure.py reports it)
        return "", ""
    return _cell_value(row, header[name]), f"{letters[name]}{number}"


def expected_codes(instrument: Instrument, region: Region, peran: str) -> list[str]:
    """The question codes an office role answers, in instrument order.

    Worked out for every role at once and kept for the last instrument and region seen (the same
    objects for a whole run): per file it was a scan of the whole instrument, three times.
    """
    cached = _ROLE_CODES[0] if _ROLE_CODES else None
    if cached is None or cached[0] is not instrument or cached[1] is not region:
        by_role: dict[str, list[str]] = {}
        for question in instrument.questions:
            by_role.setdefault(region.office_role(question.opd_utama), []).append(question.kode)
        cached = (instrument, region, by_role)
        _ROLE_CODES[:] = [cached]
    return list(cached[2].get(peran, ()))


_ROLE_CODES: list[tuple[Instrument, Region, dict[str, list[str]]]] = []


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
    computed = computed_codes(instrument, region)  # older templates may still hold them
    codes = expected_codes(instrument, region, peran)
    wanted = set(codes)
    expected = [c for c in codes if c not in computed]
    letters = {
        name: column_letter(header[name]) for name in config.CONTRACT_HEADERS if name in header
    }
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
            raw = {
                "jawaban": (answer, answer_cell),
                "data_dukung": _raw(row, header, config.COL_EVIDENCE, letters, number),
                "keterangan": _raw(row, header, config.COL_NOTE, letters, number),
            }
            values = {}
            for name, (value, cell) in raw.items():
                values[name], found = checked_text(value)
                at = {"file": rel, "sheet": sheet, "cell": cell, "kode": code}
                issues += [issue(slug, **at, **fields) for slug, fields in found]
                if name != "jawaban" and values[name] == "" and cell in formulas:
                    # a formula with no saved value: read as empty, and say so
                    slug = formula_problem(formulas[cell])
                    issues.append(issue(slug, **at, value=formulas[cell]))
            cells[code] = {
                "file": rel,
                "sheet": sheet,
                "row": number,
                "kode": code,
                "peran": peran,
                "jawaban_mentah": values["jawaban"],
                "data_dukung_mentah": values["data_dukung"],
                "keterangan_mentah": values["keterangan"],
                "jawaban_sel": answer_cell,
                "data_dukung_sel": raw["data_dukung"][1],
                "keterangan_sel": raw["keterangan"][1],
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
    restored: list[dict[str, str]] = []
    for index, row in enumerate(rows):
        label = _cell_text(row, 0)
        if label in IDENTITY_FIELDS and label not in where:
            contact[IDENTITY_FIELDS[label]] = _cell_text(row, 1)
            where[label] = f"B{index + 1}"
            phone = (
                restored_phone(_cell_value(row, 1)) if label == config.ID_CONTACT_PHONE else None
            )
            if phone:
                at = {"file": rel, "sheet": config.SHEET_IDENTITY, "cell": where[label]}
                shown = contact[IDENTITY_FIELDS[label]]
                restored.append(issue("telepon-tanpa-nol", **at, value=shown, normalised=phone))
                contact[IDENTITY_FIELDS[label]] = phone
    issues = restored + [
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
