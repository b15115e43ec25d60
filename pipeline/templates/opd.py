"""Instrument + region -> one Excel workbook per office (Petunjuk, Identitas, Isian, hidden _meta)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipeline import config
from pipeline.instrument import Instrument, Question, Scale
from pipeline.metadata import build_meta
from pipeline.outfiles import atomic_path
from pipeline.region import Region
from pipeline.rowfit import fitted_height
from pipeline.templates.common import INPUT_FILL, add_formats, print_setup, protect_sheet
from pipeline.templates.history import (
    TemplateHistory,
    add_history_format,
    guide_lines,
    isian_columns,
    write_history_cells,
)
from pipeline.templates.protection import LockedWorkbook
from pipeline.unit_questions import computed_codes
from pipeline.words import format_date

HEADER_ROW = 3  # zero-based row of the Isian header (row 4 in Excel)
ISIAN_COLUMNS = (
    (config.COL_NO, 5),
    (config.COL_CODE, 10),
    (config.COL_INDICATOR, 9),
    (config.COL_QUESTION, 50),
    (config.COL_TYPE, 18),
    (config.COL_ANSWER, 18),
    (config.COL_EVIDENCE, 40),
    (config.COL_NOTE, 30),
    (config.COL_MAX, 9),
    (config.COL_SUPPORT, 22),
    (config.COL_LEVEL, 12),
)
GUIDE_WIDTH = 80  # fits a portrait A4 page without scaling, Calibri or a wider substitute
IDENTITY_WIDTHS = (26, 70)
TITLE_POINTS = 20.0  # one line of the 14-point title
TEXT_FORMAT = "@"  # typed text is kept as typed: `85%`, `12,5`, `0812...` (no locale guessing)
PERCENT_MAX_CHARS = 12  # `100`, `85%`, `12,5 %`: a percent answer is short
TEXT_ANSWER_RANGE = "F1:F2000"
PERCENT_SCALE = "persen"  # the scale whose answers are typed as text  # Excel's "number stored as text" marker is off here


@dataclass(frozen=True)
class OfficeTemplate:
    """What one office's workbook holds: its role, name, the roles it answers for, its questions."""

    role: str
    office: str
    roles: tuple[str, ...]
    questions: tuple[Question, ...]


def plan_templates(instrument: Instrument, region: Region) -> list[OfficeTemplate]:
    """One OfficeTemplate per office responsible for at least one question, in role order."""
    by_office: dict[str, list[Question]] = {}
    covered: dict[str, set[str]] = {}
    computed = computed_codes(instrument, region)  # answered in the kecamatan workbooks instead
    for question in instrument.questions:
        if question.kode in computed:
            continue
        office_role = region.office_role(question.opd_utama)
        by_office.setdefault(office_role, []).append(question)
        covered.setdefault(office_role, set()).add(question.opd_utama)
    return [
        OfficeTemplate(role, region.offices[role], tuple(sorted(covered[role])), tuple(questions))
        for role, questions in sorted(by_office.items())
    ]


def template_filename(plan: OfficeTemplate, region: Region) -> str:
    """A file name an office recognises: year, role code and its office name."""
    office = re.sub(rf"\b(Kabupaten|Kota)?\s*{re.escape(region.nama_singkat)}\b", "", plan.office)
    short = re.sub(r"[^0-9A-Za-z]+", "_", office).strip("_")[:60]
    return f"KLA{region.tahun}_{plan.role}_{short}.xlsx"


def scale_hint(scale: Scale) -> str:
    """How to answer a scale, in a sentence."""
    if scale.is_label:
        return "Pilih salah satu: " + " / ".join(scale.labels)
    if scale.whole:
        return "Isi bilangan bulat 0 atau lebih (tanpa satuan)."
    return (
        f"Isi angka {scale.minimum:g} sampai {scale.maximum:g} (persen), dengan atau tanpa "
        "tanda %: 85, 85% atau 12,5."
    )


def write_templates(
    instrument: Instrument,
    region: Region,
    out_dir: Path,
    now: dt.datetime | None = None,
    history: TemplateHistory | None = None,
) -> list[Path]:
    """Write every office's template into out_dir/<tahun>/; return the paths written.

    Args:
        history: last year's values shown read-only beside each input (SEBELUMNYA).
    """
    generated = (now or dt.datetime.now()).replace(microsecond=0)
    target = Path(out_dir) / str(region.tahun)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for plan in plan_templates(instrument, region):
        path = target / template_filename(plan, region)
        write_template(path, plan, instrument, region, generated, history)
        written.append(path)
    return written


def write_template(
    path: Path,
    plan: OfficeTemplate,
    instrument: Instrument,
    region: Region,
    generated: dt.datetime,
    history: TemplateHistory | None = None,
) -> None:
    """Write one office's workbook atomically (temporary file, then rename)."""
    with atomic_path(path) as tmp:
        workbook = LockedWorkbook(str(tmp), config.XLSXWRITER_OPTIONS)
        workbook.set_properties(
            {
                "title": f"Isian KLA {region.tahun} - {plan.office}",
                "author": "KLA Konsolidasi",
                "company": region.nama,
                "created": generated,
            }
        )
        formats = _formats(workbook)
        if history is not None:
            add_history_format(workbook, formats)
        guide = workbook.add_worksheet(config.SHEET_GUIDE)
        _write_guide(guide, plan, instrument, region, formats, history)
        _write_identity(workbook.add_worksheet(config.SHEET_IDENTITY), plan, region, formats)
        answers = workbook.add_worksheet(config.SHEET_ANSWERS)
        _write_answers(answers, plan, instrument, region, formats, history)
        _write_meta(workbook.add_worksheet(config.SHEET_META), plan, instrument, region, generated)
        answers.activate()
        workbook.close()


def _formats(workbook: Workbook) -> dict[str, Any]:
    specs: dict[str, dict[str, Any]] = {
        "cluster": {"bold": True, "bg_color": "#BDD7EE", "border": 1},
        "indicator": {"bold": True, "bg_color": "#DDEBF7", "border": 1},
        "number": {"border": 1, "num_format": "0.00"},
        "input_text": {
            "border": 1,
            "locked": False,
            "bg_color": INPUT_FILL,
            "num_format": TEXT_FORMAT,
        },
        "legend_input": {"locked": False, "bg_color": INPUT_FILL, "border": 1},
    }
    return add_formats(workbook, specs)


def _guide_lines(
    plan: OfficeTemplate, instrument: Instrument, region: Region
) -> list[tuple[str, str]]:
    """(style, text) lines of the Petunjuk sheet."""
    contact = region.koordinator
    lines = [
        ("title", f"Petunjuk Pengisian Evaluasi KLA {region.tahun}"),
        ("subtitle", f"{plan.office} - {region.nama}"),
        ("text", ""),
        ("bold", "1. Apa yang diisi"),
        (
            "text",
            f"Lembar 'Isian' memuat {len(plan.questions)} pertanyaan yang menjadi tanggung jawab kantor Anda.",
        ),
        (
            "text",
            "Isi hanya sel berwarna kuning (contoh di bawah). Sel lain terkunci dan tidak perlu diubah.",
        ),
        ("legend", "Sel kuning = diisi oleh OPD"),
        (
            "text",
            "Kolom Jawaban: pilih dari daftar (klik panah di sel) atau ketik angka sesuai jenis jawaban.",
        ),
        (
            "text",
            "Kolom Data Dukung: WAJIB untuk setiap jawaban. Tulis tautan (link) dokumen, misalnya "
            "https://drive.example.go.id/..., atau nama dokumen dan tempat penyimpanannya, misalnya "
            "'SK Bupati No. 12/2023, arsip Bagian Hukum'. Jawaban tanpa data dukung dinilai 0 saat verifikasi.",
        ),
        ("text", "Kolom Keterangan: penjelasan tambahan bila perlu (boleh kosong)."),
        (
            "text",
            "Lembar 'Identitas': isi nama, jabatan, nomor HP/WA dan email narahubung, serta tanggal pengisian.",
        ),
        ("text", ""),
        ("bold", "2. Jawaban yang diterima"),
    ]
    for scale in instrument.scales.values():
        lines.append(("text", f"- {scale.nama}: {scale_hint(scale)}"))
    lines += [
        (
            "text",
            "Persen ditulis sebagai angka 0-100, dengan atau tanpa tanda %: 85 dan 85% sama-sama "
            "berarti 85%. Angka desimal boleh memakai koma atau titik (12,5 atau 12.5).",
        ),
        ("text", ""),
        ("bold", "3. Batas waktu dan pengiriman"),
        (
            "text",
            f"Kirim berkas ini paling lambat {format_date(region.batas_pengumpulan)} kepada koordinator.",
        ),
        (
            "text",
            "Nama berkas boleh diganti; yang penting isinya. Simpan tetap sebagai Excel (.xlsx) atau .ods, "
            "tanpa kata sandi.",
        ),
        ("text", ""),
        ("bold", "4. Narahubung Gugus Tugas KLA"),
        ("text", f"{contact.nama}, {contact.jabatan}"),
        ("text", f"Telepon/WA: {contact.telepon} - Email: {contact.email}"),
        ("text", ""),
        ("bold", "5. Jangan mengubah struktur"),
        (
            "text",
            "Jangan menghapus, memindah atau mengganti nama lembar, kolom atau kode pertanyaan. "
            "Jangan menyalin lembar ke berkas lain. Berkas ini dikenali dari isinya, bukan dari namanya.",
        ),
    ]
    support = sorted({r for q in plan.questions for r in q.opd_pendukung})
    if support:
        lines += [("text", ""), ("bold", "6. OPD pendukung (untuk koordinasi data)")]
        lines += [
            ("text", f"{r}: {region.offices.get(region.office_role(r), instrument.roles[r].nama)}")
            for r in support
        ]
    return lines


def _write_guide(
    sheet: Worksheet,
    plan: OfficeTemplate,
    instrument: Instrument,
    region: Region,
    formats: dict[str, Any],
    history: TemplateHistory | None = None,
) -> None:
    sheet.set_column(0, 0, GUIDE_WIDTH)
    lines = _guide_lines(plan, instrument, region) + guide_lines(history)
    for row, (style, text) in enumerate(lines):
        if style == "legend":
            sheet.write_string(row, 0, text, formats["legend_input"])
        else:
            sheet.write_string(row, 0, text, formats[style])
        if style == "title":
            sheet.set_row(row, TITLE_POINTS)
        elif text:
            sheet.set_row(row, fitted_height([text], [GUIDE_WIDTH], bold=style == "bold"))
    print_setup(sheet, plan.office, f"KLA {region.tahun}", None)
    sheet.set_portrait()  # one column of text: a portrait page holds all of it
    protect_sheet(sheet)


def _write_identity(
    sheet: Worksheet, plan: OfficeTemplate, region: Region, formats: dict[str, Any]
) -> None:
    for col, width in enumerate(IDENTITY_WIDTHS):
        sheet.set_column(col, col, width)
    sheet.write_string(0, 0, "Identitas OPD dan Narahubung", formats["title"])
    sheet.set_row(0, TITLE_POINTS)
    fixed = (
        (config.ID_OFFICE, plan.office),
        (config.ID_ROLE, ", ".join(plan.roles)),
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
        text = label == config.ID_CONTACT_PHONE  # keeps the leading zero of 0812...
        sheet.write_blank(row, 1, None, formats["input_text" if text else "input"])
        if text:
            sheet.ignore_errors({"number_stored_as_text": f"B{row + 1}"})
        row += 1
    sheet.write_string(
        row + 1,
        0,
        "Isi sel kuning. Narahubung adalah orang yang dapat dihubungi bila ada "
        "pertanyaan tentang isian ini.",
        formats["subtitle"],
    )
    print_setup(sheet, plan.office, f"KLA {region.tahun}", None)
    protect_sheet(sheet)


def _type_label(question: Question, scale: Scale) -> str:
    if scale.is_label:
        return " / ".join(scale.labels)
    return "Persen 0-100" if not scale.whole else "Jumlah (bulat >= 0)"


def _add_validation(sheet: Worksheet, row: int, col: int, scale: Scale) -> None:
    common = {
        "input_title": config.COL_ANSWER,
        "error_title": "Jawaban tidak sesuai",
        "error_type": "stop",
    }
    if scale.is_label:
        source = list(scale.labels)
        if len(",".join(source)) > 255 or any("," in label for label in source):
            raise ValueError(f"daftar label {scale.jenis} terlalu panjang untuk validasi Excel")
        rule: dict[str, Any] = {
            "validate": "list",
            "source": source,
            "input_message": scale_hint(scale)[:255],
            "error_message": ("Pilih salah satu: " + ", ".join(source))[:255],
        }
    elif scale.whole:
        rule = {
            "validate": "integer",
            "criteria": ">=",
            "value": int(scale.minimum or 0),
            "input_message": "Bilangan bulat 0 atau lebih, tanpa satuan.",
            "error_message": "Isi bilangan bulat 0 atau lebih (misalnya 12), tanpa satuan.",
        }
    else:
        # A text cell with a length check: `12,5` and `92.3` are text in one locale or the
        # other, so a decimal check would refuse what the Petunjuk asks for. Ingest reads the text.
        rule = {
            "validate": "length",
            "criteria": "<=",
            "value": PERCENT_MAX_CHARS,
            "input_message": "Angka 0 sampai 100 (persen): 85, 85% atau 12,5.",
            "error_message": "Isi angka 0 sampai 100, dengan atau tanpa tanda %. "
            "Contoh: 85, 85% atau 12,5.",
        }
    sheet.data_validation(row, col, row, col, {**common, **rule})


def _write_answers(
    sheet: Worksheet,
    plan: OfficeTemplate,
    instrument: Instrument,
    region: Region,
    formats: dict[str, Any],
    history: TemplateHistory | None = None,
) -> None:
    columns = isian_columns(ISIAN_COLUMNS, history)
    headers = [name for name, _ in columns]
    col = {name: index for index, name in enumerate(headers)}
    for index, (_, width) in enumerate(columns):
        sheet.set_column(index, index, width)
    sheet.write_string(0, 0, f"Isian Evaluasi KLA {region.tahun} - {plan.office}", formats["title"])
    sheet.write_string(
        1,
        0,
        f"{region.nama}. Isi sel kuning. Batas pengumpulan: "
        f"{format_date(region.batas_pengumpulan)}.",
        formats["subtitle"],
    )
    widths = [float(width) for _, width in ISIAN_COLUMNS]
    sheet.set_row(0, TITLE_POINTS)
    for index, name in enumerate(headers):
        sheet.write_string(HEADER_ROW, index, name, formats["header"])
    sheet.set_row(HEADER_ROW, fitted_height(headers, widths, bold=True))
    row = HEADER_ROW + 1
    cluster = indicator = ""
    for number, question in enumerate(plan.questions, start=1):
        if question.klaster != cluster:
            cluster = question.klaster
            row = _group_row(
                sheet,
                row,
                len(headers),
                col[config.COL_QUESTION],
                f"{cluster} - {instrument.cluster(cluster).nama}",
                formats["cluster"],
            )
        if question.indikator != indicator:
            indicator = question.indikator
            row = _group_row(
                sheet,
                row,
                len(headers),
                col[config.COL_QUESTION],
                f"{indicator} - {instrument.indicator(indicator).nama}",
                formats["indicator"],
            )
        scale = instrument.scales[question.jenis]
        values: dict[str, str | int] = {
            config.COL_NO: number,
            config.COL_CODE: question.kode,
            config.COL_INDICATOR: question.indikator,
            config.COL_QUESTION: question.pertanyaan,
            config.COL_TYPE: _type_label(question, scale),
            config.COL_SUPPORT: ", ".join(question.opd_pendukung),
            config.COL_LEVEL: question.tingkat_wilayah,
        }
        for name, value in values.items():
            if isinstance(value, int):
                sheet.write_number(row, col[name], value, formats["cell"])
            else:
                sheet.write_string(row, col[name], value, formats["cell"])
        sheet.write_number(row, col[config.COL_MAX], question.nilai_maks, formats["number"])
        for name in (config.COL_ANSWER, config.COL_EVIDENCE, config.COL_NOTE):
            sheet.write_blank(row, col[name], None, formats["input"])
        if scale.jenis == PERCENT_SCALE:
            sheet.write_blank(row, col[config.COL_ANSWER], None, formats["input_text"])
        _add_validation(sheet, row, col[config.COL_ANSWER], scale)
        texts = [str(values.get(name, "")) for name in headers]
        sheet.set_row(row, fitted_height(texts, widths))
        write_history_cells(sheet, row, col, question, scale, history, formats)
        row += 1
    sheet.ignore_errors({"number_stored_as_text": TEXT_ANSWER_RANGE})
    sheet.freeze_panes(HEADER_ROW + 1, col[config.COL_QUESTION])
    print_setup(sheet, plan.office, f"KLA {region.tahun}", HEADER_ROW)
    protect_sheet(sheet)


def _group_row(sheet: Worksheet, row: int, width: int, text_col: int, text: str, fmt: Any) -> int:
    for index in range(width):
        if index == text_col:
            sheet.write_string(row, index, text, fmt)
        else:
            sheet.write_blank(row, index, None, fmt)
    sheet.set_row(row, fitted_height([text], [ISIAN_COLUMNS[text_col][1]], bold=True))
    return row + 1


def _write_meta(
    sheet: Worksheet,
    plan: OfficeTemplate,
    instrument: Instrument,
    region: Region,
    generated: dt.datetime,
) -> None:
    meta = build_meta(
        instrument_id=instrument.id,
        instrument_hash=instrument.content_hash,
        tahun=region.tahun,
        kode_wilayah=region.kode,
        nama_wilayah=region.nama,
        peran=plan.role,
        peran_tercakup=plan.roles,
        nama_opd=plan.office,
        dibuat=generated.isoformat(),
        codes=[q.kode for q in plan.questions],
    )
    for row, key in enumerate(config.META_KEYS):
        sheet.write_string(row, 0, key)
        sheet.write_string(row, 1, meta[key])
    sheet.very_hidden()
    sheet.protect("")


# The answer-type validation, shared with the verification workbook's Jawaban Koreksi column.
add_answer_validation = _add_validation
