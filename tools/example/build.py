"""The bundled example: returned workbooks of the fictional region, made from the real templates.

`python -m tools.example.build` regenerates the committed files in contoh/inputs/ (only files whose
content changed are rewritten). Answers: example_answers.py; files and trouble: example_trouble.py.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from pipeline import config
from pipeline.instrument import Instrument, read_instrument
from pipeline.outfiles import write_bytes_atomic
from pipeline.region import Region, read_region
from pipeline.templates.kecamatan import write_kecamatan_templates
from pipeline.templates.opd import (
    OfficeTemplate,
    plan_templates,
    template_filename,
    write_templates,
)
from pipeline.unit_questions import computed_codes
from tools.example.answers import expected_example_answers, read_example_scores
from tools.example.files import (
    convert_to_ods,
    docx_bytes,
    pdf_bytes,
    read_example_content,
    set_ods_dates,
    soffice_path,
    stable_zip,
)
from tools.example.kecamatan import kecamatan_books
from tools.example.trouble import (
    DOCX_FILE,
    NOT_SENT,
    PDF_FILE,
    TROUBLES,
    Sending,
    contact,
    counted_answers,
    sendings,
    sent_answers,
)
from tools.example.verification import SAVED as VERIFICATION_SAVED
from tools.example.verification import VERIFICATION_FILE, filled_verification_book
from tools.fill import Filled, fill_template, find_header, question_rows

# The example's templates are generated at this fixed time, so regeneration is stable.
EXAMPLE_NOW = dt.datetime(2024, 3, 1, 8, 0, 0)
INSERTED_NOTE = "Tambahan: rekap Musrenbang Anak per kecamatan (lampiran terpisah)"
PDF_LINES = [
    "PEMERINTAH KABUPATEN SUKAMAJU RAYA (FIKTIF)",
    "DINAS PEKERJAAN UMUM DAN PENATAAN RUANG",
    "",
    "Nomor: 050/214/PUPR/2024",
    "Perihal: Penyampaian Isian Evaluasi KLA 2024",
    "",
    "Bersama ini kami sampaikan isian evaluasi KLA 2024 melalui WhatsApp.",
]
DOCX_PARAGRAPHS = [
    "Rekap Data Dukung KLA 2024 - DP3A Kabupaten Sukamaju Raya (fiktif)",
    "1. SK Gugus Tugas KLA No. 463/45/2024",
    "2. Laporan Forum Anak Daerah 2023",
]


def expected_counted_answers(
    instrument: Instrument, region: Region, scores: dict[str, float]
) -> dict[str, Filled]:
    """The answers a correct consolidation of the example scores (pure).

    Clean answers minus the office that never sent and the rejected answers; answers sent without
    data dukung have none. Use example_answers.expected_totals() to get the two totals.
    """
    clean = expected_example_answers(instrument, scores)
    missing = {q.kode for q in instrument.questions if region.office_role(q.opd_utama) == NOT_SENT}
    computed = computed_codes(instrument, region)  # computed from the kecamatan workbooks
    return {k: v for k, v in counted_answers(clean, missing).items() if k not in computed}


def write_example_inputs(
    instrument: Instrument,
    region: Region,
    template_dir: Path,
    out_dir: Path,
    *,
    ods: bool = True,
) -> list[Path]:
    """Write the example's returned files (workbooks with trouble, a PDF, a .docx) into out_dir.

    `template_dir` holds the templates written by write_templates (its <tahun> folder). With
    ods=False the LibreOffice-saved .ods is left out (LibreOffice is needed to make it).
    """
    plans = plan_templates(instrument, region)
    roles = [plan.role for plan in plans]
    by_role = {plan.role: plan for plan in plans}
    names = {plan.role: template_filename(plan, region) for plan in plans}
    clean = expected_example_answers(instrument, read_example_scores())
    written = []
    with tempfile.TemporaryDirectory(prefix="kla-contoh-") as work:
        for sending in sendings(roles, names):
            if sending.ods and not ods:
                continue
            plan = by_role[sending.role]
            own = {q.kode: clean[q.kode] for q in plan.questions if q.kode in clean}
            target = Path(out_dir) / sending.file
            template = Path(template_dir) / names[sending.role]
            write_sent_workbook(template, target, plan, sending, own, roles, Path(work))
            written.append(target)
    for rel, book, saved in kecamatan_books(instrument, region, Path(template_dir)):
        written.append(_write_file(Path(out_dir) / rel, workbook_bytes(book, saved), saved))
    written.append(_write_file(Path(out_dir) / PDF_FILE, pdf_bytes(PDF_LINES), EXAMPLE_NOW))
    written.append(_write_file(Path(out_dir) / DOCX_FILE, docx_bytes(DOCX_PARAGRAPHS), EXAMPLE_NOW))
    verified = filled_verification_book(instrument, region, Path(out_dir))
    target = Path(out_dir) / VERIFICATION_FILE
    written.append(
        _write_file(target, workbook_bytes(verified, VERIFICATION_SAVED), VERIFICATION_SAVED)
    )
    return sorted(written)


def write_sent_workbook(
    template: Path,
    target: Path,
    plan: OfficeTemplate,
    sending: Sending,
    clean: dict[str, Filled],
    roles: list[str],
    work: Path,
) -> None:
    """Fill one office's template as it was sent (answers, contact, edits, saved time)."""
    filled = work / f"{target.stem}.xlsx"
    identity = contact(plan.role, roles, sending.saved)
    fill_template(template, filled, sent_answers(sending, clean), identity)
    book = openpyxl.load_workbook(filled)
    for trouble in TROUBLES:
        if trouble.kind == "baris-disisipkan" and trouble.file == sending.file:
            insert_row_before(book[config.SHEET_ANSWERS], trouble.kode)
    book.properties.lastModifiedBy = str(identity.get(config.ID_CONTACT_NAME, ""))
    data = workbook_bytes(book, sending.saved)
    if sending.ods:
        filled.write_bytes(data)
        data = set_ods_dates(convert_to_ods(filled, work), sending.saved)
    _write_file(target, data, sending.saved)


def insert_row_before(sheet: Worksheet, kode: str) -> None:
    """Unprotect the sheet and insert a note row above a question, as an office would in Excel.

    openpyxl shifts cells but not data validations; they are shifted here as Excel would.
    """
    row = question_rows(sheet)[kode]
    _, columns = find_header(sheet)
    sheet.protection.sheet = False
    sheet.insert_rows(row)
    for validation in sheet.data_validations.dataValidation:
        ranges = []
        for cell_range in validation.sqref.ranges:
            if cell_range.min_row >= row:
                cell_range.shift(row_shift=1)
            ranges.append(cell_range.coord)
        validation.sqref = MultiCellRange(" ".join(ranges))
    sheet.cell(row, columns[config.COL_NOTE]).value = INSERTED_NOTE


def workbook_bytes(book: Workbook, saved: dt.datetime) -> bytes:
    """The workbook as .xlsx bytes with its own saved time set to `saved` (UTC), byte-stable."""
    buffer = io.BytesIO()
    archive = zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    # openpyxl's save() stamps the current time; the writer keeps the time set here.
    book.properties.modified = saved.replace(tzinfo=None)
    ExcelWriter(book, archive).save()
    return stable_zip(buffer.getvalue())


def _write_file(target: Path, data: bytes, saved: dt.datetime) -> Path:
    write_bytes_atomic(target, data)
    stamp = saved.replace(tzinfo=dt.UTC).timestamp()
    os.utime(target, (stamp, stamp))
    return target


def update_example_inputs(
    instrument: Instrument, region: Region, target: Path = config.EXAMPLE_INPUTS_DIR
) -> list[str]:
    """Regenerate the example into `target`; rewrite only files whose content changed.

    Returns the changed paths (relative, POSIX), each prefixed "+" (new or changed) or "-"
    (removed). Without LibreOffice the committed .ods is kept as it is.
    """
    ods = soffice_path() is not None
    changes = []
    with tempfile.TemporaryDirectory(prefix="kla-contoh-") as work:
        templates = write_example_templates(instrument, region, Path(work) / "templates")
        fresh = Path(work) / "inputs"
        write_example_inputs(instrument, region, templates, fresh, ods=ods)
        new = {p.relative_to(fresh).as_posix() for p in fresh.rglob("*") if p.is_file()}
        old = {p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()}
        for rel in sorted(new):
            current = target / rel
            if not current.exists() or read_example_content(current) != read_example_content(
                fresh / rel
            ):
                current.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(fresh / rel, current)
                changes.append(f"+{rel}")
        for rel in sorted(old - new):
            if rel.endswith(".ods") and not ods:
                continue
            (target / rel).unlink()
            changes.append(f"-{rel}")
    return changes


def write_example_templates(instrument: Instrument, region: Region, out_dir: Path) -> Path:
    """The example region's templates at EXAMPLE_NOW; returns their <tahun> folder."""
    write_templates(instrument, region, out_dir, now=EXAMPLE_NOW)
    write_kecamatan_templates(instrument, region, out_dir, now=EXAMPLE_NOW)
    return out_dir / str(region.tahun)


def main() -> list[str]:
    """Regenerate contoh/inputs/ from the example region and its instrument."""
    region = read_region(config.EXAMPLE_REGION_FILE)
    instrument = read_instrument(region.instrumen)
    return update_example_inputs(instrument, region)


if __name__ == "__main__":
    changed = main()
    print(
        "\n".join(changed) if changed else "Contoh sudah mutakhir; tidak ada berkas yang berubah."
    )
