"""Master list + unit questions -> one workbook per kecamatan (Petunjuk, Identitas, Kecamatan, Desa)."""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path
from typing import Any

from xlsxwriter.worksheet import Worksheet

from pipeline import config
from pipeline.instrument import Instrument
from pipeline.metadata import build_kecamatan_meta
from pipeline.outfiles import atomic_path
from pipeline.region import Region
from pipeline.templates.common import add_formats, print_setup, protect_sheet
from pipeline.templates.protection import LockedWorkbook
from pipeline.unit_questions import UnitQuestion
from pipeline.units import Unit
from pipeline.words import format_date

HEADER_ROW = 3  # zero-based: row 4 in Excel, on both answer sheets
YES_NO = ("Ya", "Tidak")
KECAMATAN_COLUMNS = (
    (config.COL_NO, 5),
    (config.COL_CODE, 10),
    (config.COL_QUESTION, 60),
    (config.COL_ANSWER, 12),
    (config.COL_EVIDENCE, 40),
    (config.COL_NOTE, 30),
)
DESA_FIXED = (
    (config.COL_NO, 5),
    (config.COL_UNIT_CODE, 15),
    (config.COL_UNIT_NAME, 24),
    (config.COL_UNIT_KIND, 10),
)
DESA_QUESTION_WIDTH = 14
GUIDE_WIDTH = 110
LINE_POINTS = 13.5  # one line of 10-point text
TITLE_POINTS = 20.0
CHARS_PER_WIDTH = 1.1  # characters of 10-point text per unit of column width


def text_height(text: str, width: float) -> float:
    """A row tall enough for `text` wrapped in a column of `width` (xlsxwriter does not autofit)."""
    per_line = max(1, int(width * CHARS_PER_WIDTH))
    return LINE_POINTS * max(1, math.ceil(len(text) / per_line))


DESA_TAIL = ((config.COL_EVIDENCE, 30), (config.COL_NOTE, 20))


def unit_header(question: UnitQuestion) -> str:
    """A Desa sheet column header: the question code first, then its short title."""
    return f"{question.kode} {question.judul}"


def kecamatan_filename(kecamatan: Unit, region: Region) -> str:
    short = re.sub(r"[^0-9A-Za-z]+", "_", kecamatan.nama).strip("_")[:40]
    return f"KLA{region.tahun}_KEC_{kecamatan.kode.replace('.', '')}_{short}.xlsx"


def write_kecamatan_templates(
    instrument: Instrument, region: Region, out_dir: Path, now: dt.datetime | None = None
) -> list[Path]:
    """One workbook per kecamatan into out_dir/<tahun>/kecamatan/; [] without a master list."""
    if region.units is None or not instrument.unit_questions:
        return []
    generated = (now or dt.datetime.now()).replace(microsecond=0)
    target = Path(out_dir) / str(region.tahun) / config.KECAMATAN_DIR
    written = []
    for kecamatan in region.units.kecamatan:
        path = target / kecamatan_filename(kecamatan, region)
        write_kecamatan_template(path, kecamatan, instrument, region, generated)
        written.append(path)
    return written


def write_kecamatan_template(
    path: Path, kecamatan: Unit, instrument: Instrument, region: Region, generated: dt.datetime
) -> None:
    """Write one kecamatan's workbook atomically."""
    assert region.units is not None
    desa = region.units.desa_of(kecamatan.kode)
    by_level = {
        level: [u for u in instrument.unit_questions if u.tingkat == level]
        for level in ("kecamatan", "desa")
    }
    with atomic_path(path) as tmp:
        book = LockedWorkbook(str(tmp), config.XLSXWRITER_OPTIONS)
        title = f"Kecamatan {kecamatan.nama}"
        book.set_properties(
            {
                "title": f"Isian KLA {region.tahun} - {title}",
                "author": "KLA Konsolidasi",
                "company": region.nama,
                "created": generated,
            }
        )
        formats = add_formats(book, {})
        lines = guide_lines(kecamatan, desa, by_level, region)
        _write_guide(book.add_worksheet(config.SHEET_GUIDE), lines, title, region, formats)
        _write_identity(book.add_worksheet(config.SHEET_IDENTITY), kecamatan, region, formats)
        answers = book.add_worksheet(config.SHEET_KECAMATAN)
        _write_kecamatan(answers, by_level["kecamatan"], title, region, formats)
        _write_desa(
            book.add_worksheet(config.SHEET_DESA), desa, by_level["desa"], title, region, formats
        )
        meta = build_kecamatan_meta(
            instrument_id=instrument.id,
            instrument_hash=instrument.content_hash,
            tahun=region.tahun,
            kode_wilayah=region.kode,
            nama_wilayah=region.nama,
            kode_kecamatan=kecamatan.kode,
            nama_kecamatan=kecamatan.nama,
            desa=[(d.kode, d.nama, d.jenis) for d in desa],
            codes=[u.kode for u in instrument.unit_questions],
            dibuat=generated.isoformat(),
        )
        _write_meta(book.add_worksheet(config.SHEET_META), meta)
        answers.activate()
        book.close()


def guide_lines(
    kecamatan: Unit,
    desa: tuple[Unit, ...],
    by_level: dict[str, list[UnitQuestion]],
    region: Region,
) -> list[tuple[str, str]]:
    """(style, text) lines of the Petunjuk sheet, in plain Indonesian for the camat's staff."""
    contact = region.koordinator
    lines = [
        ("title", f"Petunjuk Pengisian KLA {region.tahun}: Kecamatan {kecamatan.nama}"),
        (
            "subtitle",
            f"{region.nama}. Kecamatan Layak Anak (Kelana) dan Desa/Kelurahan Layak Anak (Dekela).",
        ),
        ("text", ""),
        ("bold", "1. Apa yang diisi"),
        (
            "text",
            f"Lembar '{config.SHEET_KECAMATAN}': {len(by_level['kecamatan'])} pertanyaan tentang kecamatan.",
        ),
        (
            "text",
            f"Lembar '{config.SHEET_DESA}': satu baris untuk setiap desa/kelurahan ({len(desa)} baris); "
            f"satu kolom Ya/Tidak untuk setiap pertanyaan ({len(by_level['desa'])} kolom).",
        ),
        ("text", "Isi hanya sel kuning: pilih Ya atau Tidak dari daftar (klik panah di sel)."),
        (
            "text",
            "Data Dukung: tautan (https://...) atau nama dokumen dan tempatnya, misalnya 'SK Camat "
            "No. 5/2024'. Jawaban Ya tanpa data dukung tidak dihitung saat verifikasi.",
        ),
        (
            "text",
            "Jangan menambah, menghapus atau memindah baris desa/kelurahan. Bila daftar desa salah, "
            "hubungi koordinator; desa yang ditambah sendiri tidak dihitung.",
        ),
        ("text", "Sel yang dibiarkan kosong dihitung sebagai belum memenuhi."),
        ("text", ""),
        ("bold", "2. Pertanyaan"),
    ]
    for level, name in (("kecamatan", config.ID_KECAMATAN), ("desa", "Desa/kelurahan")):
        for question in by_level[level]:
            help_text = f" {question.bantuan}" if question.bantuan else ""
            lines.append(("text", f"{question.kode} ({name}): {question.pertanyaan}{help_text}"))
    lines += [
        ("text", ""),
        ("bold", "3. Batas waktu dan narahubung"),
        ("text", f"Kirim berkas ini paling lambat {format_date(region.batas_pengumpulan)}."),
        ("text", f"{contact.nama}, {contact.jabatan}"),
        ("text", f"Telepon/WA: {contact.telepon} - Email: {contact.email}"),
        (
            "text",
            "Nama berkas boleh diganti. Simpan tetap sebagai .xlsx atau .ods, tanpa kata sandi. "
            "Isi juga lembar Identitas.",
        ),
    ]
    return lines


def _write_guide(
    sheet: Worksheet,
    lines: list[tuple[str, str]],
    title: str,
    region: Region,
    formats: dict[str, Any],
) -> None:
    sheet.set_column(0, 0, GUIDE_WIDTH)
    for row, (style, text) in enumerate(lines):
        sheet.set_row(row, TITLE_POINTS if style == "title" else text_height(text, GUIDE_WIDTH))
        sheet.write_string(row, 0, text, formats[style])
    print_setup(sheet, title, f"KLA {region.tahun}", None)
    protect_sheet(sheet)


def _write_identity(
    sheet: Worksheet, kecamatan: Unit, region: Region, formats: dict[str, Any]
) -> None:
    sheet.set_column(0, 0, 26)
    sheet.set_column(1, 1, 70)
    sheet.write_string(0, 0, "Identitas Kecamatan dan Narahubung", formats["title"])
    fixed = (
        (config.ID_KECAMATAN, kecamatan.nama),
        (config.ID_KECAMATAN_CODE, kecamatan.kode),
        (config.ID_REGION, region.nama),
        (config.ID_YEAR, str(region.tahun)),
    )
    row = 2
    for label, value in fixed:
        sheet.write_string(row, 0, label, formats["label"])
        sheet.write_string(row, 1, value, formats["cell"])
        row += 1
    for label in config.IDENTITY_INPUTS:
        sheet.write_string(row, 0, label, formats["label"])
        sheet.write_blank(row, 1, None, formats["input"])
        row += 1
    print_setup(sheet, f"Kecamatan {kecamatan.nama}", f"KLA {region.tahun}", None)
    protect_sheet(sheet)


def _yes_no(sheet: Worksheet, first: int, last: int, col: int, question: UnitQuestion) -> None:
    sheet.data_validation(
        first,
        col,
        last,
        col,
        {
            "validate": "list",
            "source": list(YES_NO),
            "input_title": question.kode,
            "input_message": question.pertanyaan[:255],
            "error_title": "Jawaban tidak sesuai",
            "error_message": "Pilih Ya atau Tidak.",
            "error_type": "stop",
        },
    )


def _headers(sheet: Worksheet, columns: list[tuple[str, int]], formats: dict[str, Any]) -> None:
    for col, (name, width) in enumerate(columns):
        sheet.set_column(col, col, width)
        sheet.write_string(HEADER_ROW, col, name, formats["header"])


def _write_kecamatan(
    sheet: Worksheet,
    questions: list[UnitQuestion],
    title: str,
    region: Region,
    formats: dict[str, Any],
) -> None:
    sheet.write_string(0, 0, f"Isian KLA {region.tahun} - {title}", formats["title"])
    sheet.write_string(1, 0, "Pertanyaan tentang kecamatan. Isi sel kuning.", formats["subtitle"])
    _headers(sheet, list(KECAMATAN_COLUMNS), formats)
    for number, question in enumerate(questions, start=1):
        row = HEADER_ROW + number
        sheet.write_number(row, 0, number, formats["cell"])
        sheet.write_string(row, 1, question.kode, formats["cell"])
        sheet.set_row(row, text_height(question.pertanyaan, KECAMATAN_COLUMNS[2][1]))
        sheet.write_string(row, 2, question.pertanyaan, formats["cell"])
        for col in (3, 4, 5):
            sheet.write_blank(row, col, None, formats["input"])
        _yes_no(sheet, row, row, 3, question)
    sheet.freeze_panes(HEADER_ROW + 1, 3)
    print_setup(sheet, title, f"KLA {region.tahun}", HEADER_ROW)
    protect_sheet(sheet)


def _write_desa(
    sheet: Worksheet,
    desa: tuple[Unit, ...],
    questions: list[UnitQuestion],
    title: str,
    region: Region,
    formats: dict[str, Any],
) -> None:
    sheet.write_string(
        0, 0, f"Isian KLA {region.tahun} - {title}: desa/kelurahan", formats["title"]
    )
    sheet.write_string(
        1,
        0,
        "Satu baris per desa/kelurahan. Pilih Ya/Tidak di setiap sel kuning.",
        formats["subtitle"],
    )
    columns = [
        *DESA_FIXED,
        *((unit_header(q), DESA_QUESTION_WIDTH) for q in questions),
        *DESA_TAIL,
    ]
    _headers(sheet, columns, formats)
    sheet.set_row(HEADER_ROW, 60)
    first_answer = len(DESA_FIXED)
    for number, unit in enumerate(desa, start=1):
        row = HEADER_ROW + number
        sheet.write_number(row, 0, number, formats["cell"])
        for col, value in enumerate((unit.kode, unit.nama, unit.jenis), start=1):
            sheet.write_string(row, col, value, formats["cell"])
        for col in range(first_answer, len(columns)):
            sheet.write_blank(row, col, None, formats["input"])
    last = HEADER_ROW + max(len(desa), 1)
    for offset, question in enumerate(questions):
        _yes_no(sheet, HEADER_ROW + 1, last, first_answer + offset, question)
    sheet.freeze_panes(HEADER_ROW + 1, first_answer)
    print_setup(sheet, title, f"KLA {region.tahun}", HEADER_ROW)
    protect_sheet(sheet)


def _write_meta(sheet: Worksheet, meta: dict[str, str]) -> None:
    for row, key in enumerate(config.KECAMATAN_META_KEYS):
        sheet.write_string(row, 0, key)
        sheet.write_string(row, 1, meta[key])
    sheet.very_hidden()
    sheet.protect("")


def kecamatan_template_lines(instrument: Instrument, region: Region, out_dir: Path) -> list[str]:
    """Write the kecamatan workbooks; the lines `make templates` prints about them."""
    if not instrument.unit_questions:
        return []
    if region.units is None:
        return [
            "Tanpa daftar_wilayah di pengaturan wilayah: tidak ada workbook kecamatan; pertanyaan "
            "persen KD tetap di template OPD (docs/kecamatan.md)."
        ]
    paths = write_kecamatan_templates(instrument, region, out_dir)
    folder = Path(out_dir) / str(region.tahun) / config.KECAMATAN_DIR
    lines = [
        f"{len(paths)} workbook kecamatan ditulis ke {folder} ({len(region.units.desa)} "
        f"desa/kelurahan; {len(instrument.unit_questions)} pertanyaan KD dihitung dari sini, "
        "tidak ada lagi di template OPD)."
    ]
    return lines + [f"  {path.name}" for path in paths]
