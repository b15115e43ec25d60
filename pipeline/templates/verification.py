"""Scored questions -> one verification workbook per cluster (Petunjuk, Verifikasi, very hidden _meta).

The workbook carries every decision still in force, so the next round continues the last one.
Contract: docs/verifikasi.md.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipeline import config, tables
from pipeline.instrument import Cluster, Instrument
from pipeline.metadata import build_verification_meta
from pipeline.outfiles import atomic_path
from pipeline.region import Region
from pipeline.templates.common import INPUT_FILL, add_formats, print_setup, protect_sheet
from pipeline.templates.opd import add_answer_validation, scale_hint
from pipeline.templates.protection import LockedWorkbook
from pipeline.verification_rules import VerificationRules

HEADER_ROW = 3  # zero-based: row 4 in Excel
COLUMNS = (
    (config.COL_NO, 4),
    (config.COL_CODE, 9),
    (config.COL_INDICATOR, 7),
    (config.COL_QUESTION, 36),
    (config.VCOL_OFFICE, 10),
    (config.COL_TYPE, 11),
    (config.COL_ANSWER, 11),
    (config.COL_MAX, 7),
    (config.VCOL_SELF, 8),
    (config.COL_EVIDENCE, 30),
    (config.COL_NOTE, 16),
    (config.VCOL_SOURCE, 18),
    (config.VCOL_STATUS, 12),
    (config.VCOL_DECISION, 18),
    (config.VCOL_CORRECTION, 11),
    (config.VCOL_REASON, 20),
    (config.VCOL_NOTE, 26),
    (config.VCOL_VERIFIER, 14),
    (config.VCOL_DATE, 11),
)
LINE_POINTS = 12.0  # one line of 9-point text
CHARS_PER_WIDTH = 1.2  # 9-point characters per unit of column width
MAX_ROW_POINTS = 409.0
HEADERS = tuple(name for name, _ in COLUMNS)
LINE_CHARS = {name: max(int(width * CHARS_PER_WIDTH) - 1, 1) for name, width in COLUMNS}
COL = {name: index for index, name in enumerate(HEADERS)}
HTTP_LINK = re.compile(r"^https?://\S+$", re.IGNORECASE)
MAX_LINK_CHARS = 2000  # Excel refuses longer links
FIRST_DATE = dt.date(2000, 1, 1)
LAST_DATE = dt.date(2100, 12, 31)
DECIDED = (
    tables.VERIFY_ACCEPTED,
    tables.VERIFY_CORRECTED,
    tables.VERIFY_REJECTED,
    tables.VERIFY_QUERIED,
)


@dataclass(frozen=True)
class VerificationPlan:
    """What one verification workbook is about: its cluster, round, region and time."""

    cluster: Cluster
    round: int
    generated: dt.datetime


def verification_filename(region: Region, cluster: str) -> str:
    """`Verifikasi_KLA_<wilayah>_<tahun>_<klaster>.xlsx`."""
    short = re.sub(r"[^0-9A-Za-z]+", "_", region.nama_singkat).strip("_")[:60] or "wilayah"
    return f"Verifikasi_KLA_{short}_{region.tahun}_{cluster}.xlsx"


def write_verification_workbooks(
    scored: pd.DataFrame,
    instrument: Instrument,
    region: Region,
    rules: VerificationRules,
    out_dir: Path,
    round_number: int,
    generated: dt.datetime,
) -> list[Path]:
    """One workbook per cluster into out_dir, every question of the cluster; the paths written."""
    written = []
    every = _records(scored)
    for cluster in instrument.clusters:
        rows = [record for record in every if str(record["klaster"]) == cluster.kode]
        path = Path(out_dir) / verification_filename(region, cluster.kode)
        plan = VerificationPlan(cluster, round_number, generated)
        write_verification_workbook(path, plan, rows, instrument, region, rules)
        written.append(path)
    return written


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The frame's rows as dicts (Python scalars); column lists, not a pandas call per row."""
    fields = [str(name) for name in frame.columns]
    columns = [frame[name].tolist() for name in frame.columns]
    return [dict(zip(fields, values, strict=True)) for values in zip(*columns, strict=True)]


def write_verification_workbook(
    path: Path,
    plan: VerificationPlan,
    rows: list[dict[str, Any]],
    instrument: Instrument,
    region: Region,
    rules: VerificationRules,
) -> None:
    """Write one cluster's verification workbook atomically."""
    with atomic_path(path) as tmp:
        workbook = LockedWorkbook(str(tmp), config.XLSXWRITER_OPTIONS)
        workbook.set_properties(
            {
                "title": f"Verifikasi KLA {region.tahun} - {plan.cluster.nama}",
                "author": "KLA Konsolidasi",
                "company": region.nama,
                "created": plan.generated,
            }
        )
        formats = _formats(workbook)
        guide = workbook.add_worksheet(config.SHEET_GUIDE)
        _write_guide(guide, plan, instrument, region, rules, formats)
        sheet = workbook.add_worksheet(config.SHEET_VERIFICATION)
        _write_rows(sheet, plan, rows, instrument, region, rules, formats)
        _write_meta(workbook.add_worksheet(config.SHEET_META), plan, rows, instrument, region)
        sheet.activate()
        workbook.close()


def _formats(workbook: Workbook) -> dict[str, Any]:
    specs: dict[str, dict[str, Any]] = {
        "number": {"border": 1, "num_format": "0.00"},
        "link": {"border": 1, "font_color": "#0563C1", "underline": 1},
        "lapsed": {"border": 1, "bg_color": "#F8CBAD", "bold": True},
        "input_date": {
            "border": 1,
            "locked": False,
            "bg_color": INPUT_FILL,
            "num_format": "dd/mm/yyyy",
        },
    }
    return add_formats(workbook, specs, font_size=9)


def guide_lines(
    plan: VerificationPlan, instrument: Instrument, region: Region, rules: VerificationRules
) -> list[tuple[str, str]]:
    """(style, text) lines of the verifiers' Petunjuk sheet."""
    contact = region.koordinator
    lines = [
        ("title", f"Petunjuk Verifikasi KLA {region.tahun}: {plan.cluster.nama}"),
        ("subtitle", f"{region.nama} - klaster {plan.cluster.kode}, putaran {plan.round}"),
        ("text", ""),
        ("bold", "1. Apa yang diperiksa"),
        (
            "text",
            "Lembar 'Verifikasi' memuat setiap pertanyaan klaster ini, dengan jawaban OPD seperti "
            "dibaca alat, nilainya dan Data Dukung. Periksa untuk setiap jawaban: data dukung ada dan "
            "dapat dibuka, dari periode penilaian, ditandatangani, dan mendukung jawaban.",
        ),
        ("bold", "2. Apa yang diisi (sel kuning)"),
        ("text", f"{config.VCOL_DECISION}: pilih salah satu dari daftar:"),
        ("text", f"- {tables.DECISION_ACCEPTED}: jawaban dan data dukung sesuai; nilai tetap."),
        (
            "text",
            f"- {tables.DECISION_CORRECTED}: data dukung ada tetapi jawaban yang benar lain; isi "
            f"{config.VCOL_CORRECTION} dengan jawaban yang benar (nilai dihitung dari koreksi).",
        ),
        ("text", f"- {tables.DECISION_REJECTED}: jawaban tidak dapat diterima; nilai 0."),
        (
            "text",
            f"- {tables.DECISION_QUERIED}: OPD harus menjelaskan atau melengkapi; nilai 0 "
            "sampai diputuskan lagi.",
        ),
        (
            "text",
            f"{config.VCOL_REASON}: WAJIB untuk {tables.DECISION_REJECTED} dan "
            f"{tables.DECISION_QUERIED}. Pilih dari daftar: "
            + " / ".join(rules.reason_texts)
            + ".",
        ),
        (
            "text",
            f"{config.VCOL_NOTE}: apa yang kurang, dengan kalimat yang dapat dibaca OPD (dikirim "
            f"ke OPD di umpan balik). {config.VCOL_VERIFIER}: nama Anda. {config.VCOL_DATE}: "
            "tanggal keputusan (dd/mm/yyyy).",
        ),
        (
            "text",
            "Baris tanpa Keputusan berarti belum diverifikasi; nilainya mengikuti data dukung.",
        ),
        ("bold", "3. Jawaban Koreksi sesuai jenis jawaban"),
    ]
    lines += [("text", f"- {s.nama}: {scale_hint(s)}") for s in instrument.scales.values()]
    lines += [
        ("bold", "4. Putaran berikutnya"),
        (
            "text",
            "Keputusan yang sudah dibuat tetap tercantum di berkas putaran berikutnya. Bila OPD "
            "mengirim jawaban atau data dukung baru, Status Verifikasi berbunyi "
            f"'{tables.VERIFY_LAPSED}' dan keputusan lama tidak berlaku: putuskan lagi.",
        ),
        ("bold", "5. Pengiriman"),
        (
            "text",
            "Simpan sebagai .xlsx atau .ods tanpa kata sandi dan kirim ke koordinator. Nama berkas "
            "boleh diganti. Jangan menghapus, memindah atau menambah baris, kolom atau lembar.",
        ),
        ("text", f"Koordinator: {contact.nama}, {contact.telepon}, {contact.email}."),
    ]
    return lines


def _write_guide(
    sheet: Worksheet,
    plan: VerificationPlan,
    instrument: Instrument,
    region: Region,
    rules: VerificationRules,
    formats: dict[str, Any],
) -> None:
    width = 100
    sheet.set_column(0, 0, width)
    for row, (style, text) in enumerate(guide_lines(plan, instrument, region, rules)):
        lines = max(1, -(-len(text) // int(width * CHARS_PER_WIDTH)))
        if lines > 1:
            sheet.set_row(row, LINE_POINTS * lines + 2)
        sheet.write_string(row, 0, text, formats[style])
    _print_setup(sheet, plan, region, None)
    _protect_with_filter(sheet)


def _write_rows(
    sheet: Worksheet,
    plan: VerificationPlan,
    rows: list[dict[str, Any]],
    instrument: Instrument,
    region: Region,
    rules: VerificationRules,
    formats: dict[str, Any],
) -> None:
    for index, (_, width) in enumerate(COLUMNS):
        sheet.set_column(index, index, width)
    sheet.write_string(
        0, 0, f"Verifikasi KLA {region.tahun} - {plan.cluster.nama}", formats["title"]
    )
    sheet.write_string(
        1,
        0,
        f"{region.nama}, klaster {plan.cluster.kode}, putaran {plan.round}. Isi sel kuning; "
        "lihat lembar Petunjuk.",
        formats["subtitle"],
    )
    sheet.set_row(HEADER_ROW, 2 * LINE_POINTS + 4)  # two-word headers wrap in narrow columns
    for index, name in enumerate(HEADERS):
        sheet.write_string(HEADER_ROW, index, name, formats["header"])
    row = HEADER_ROW
    for number, record in enumerate(rows, start=1):
        row = HEADER_ROW + number
        _write_row(sheet, row, number, record, instrument, formats)
        add_answer_validation(
            sheet, row, COL[config.VCOL_CORRECTION], instrument.scales[record["jenis"]]
        )
    last = max(row, HEADER_ROW + 1)
    _add_input_validations(sheet, HEADER_ROW + 1, last, rules)
    sheet.freeze_panes(HEADER_ROW + 1, COL[config.COL_QUESTION] + 1)
    sheet.autofilter(HEADER_ROW, 0, last, len(HEADERS) - 1)
    _print_setup(sheet, plan, region, HEADER_ROW)
    _protect_with_filter(sheet)


def _write_row(
    sheet: Worksheet,
    row: int,
    number: int,
    record: dict[str, Any],
    instrument: Instrument,
    formats: dict[str, Any],
) -> None:
    text = {
        config.COL_CODE: record["kode"],
        config.COL_INDICATOR: record["indikator"],
        config.COL_QUESTION: record["pertanyaan"],
        config.VCOL_OFFICE: record["opd"],
        config.COL_TYPE: instrument.scales[record["jenis"]].nama,
        config.COL_ANSWER: record["jawaban"],
        config.COL_NOTE: record["keterangan"],
        config.VCOL_SOURCE: _source(record),
    }
    sheet.set_row(row, row_height(record, text))
    sheet.write_number(row, COL[config.COL_NO], number, formats["cell"])
    for name, value in text.items():
        sheet.write_string(row, COL[name], _text(value), formats["cell"])
    sheet.write_number(row, COL[config.COL_MAX], float(record["nilai_maks"]), formats["number"])
    sheet.write_number(
        row, COL[config.VCOL_SELF], float(record["nilai_mandiri"]), formats["number"]
    )
    _write_evidence(sheet, row, _text(record["data_dukung"]), formats)
    status = _text(record["status_verifikasi"])
    fmt = formats["lapsed"] if status == tables.VERIFY_LAPSED else formats["cell"]
    sheet.write_string(row, COL[config.VCOL_STATUS], status, fmt)
    _write_inputs(sheet, row, record, status in DECIDED, formats)


def row_height(record: dict[str, Any], text: dict[str, Any]) -> float:
    """Points for every wrapped line (LibreOffice does not grow rows written by xlsxwriter)."""
    shown = {
        **text,
        config.COL_EVIDENCE: record["data_dukung"],
        config.VCOL_NOTE: record["catatan_verifikasi"],
    }
    lines = 1
    for name, value in shown.items():
        lines = max(lines, -(-len(_text(value)) // LINE_CHARS[name]))
    return min(LINE_POINTS * lines + 2, MAX_ROW_POINTS)


def _write_inputs(
    sheet: Worksheet, row: int, record: dict[str, Any], carried: bool, formats: dict[str, Any]
) -> None:
    """The input cells, carrying the decision in force (blank for no or lapsed decisions)."""
    values = {
        config.VCOL_DECISION: record["keputusan"],
        config.VCOL_CORRECTION: record["jawaban_koreksi"],
        config.VCOL_REASON: record["alasan"],
        config.VCOL_NOTE: record["catatan_verifikasi"],
        config.VCOL_VERIFIER: record["verifikator"],
    }
    for name in config.VERIFICATION_INPUTS:
        text = _text(values.get(name, "")) if carried else ""
        if name == config.VCOL_DATE:
            _write_date(sheet, row, _text(record["tanggal_verifikasi"]) if carried else "", formats)
        elif text:
            sheet.write_string(row, COL[name], text, formats["input"])
        else:
            sheet.write_blank(row, COL[name], None, formats["input"])


def _write_date(sheet: Worksheet, row: int, text: str, formats: dict[str, Any]) -> None:
    col = COL[config.VCOL_DATE]
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        day = None
    if day is not None:
        sheet.write_datetime(row, col, dt.datetime.combine(day, dt.time()), formats["input_date"])
    elif text:
        sheet.write_string(row, col, text, formats["input_date"])
    else:
        sheet.write_blank(row, col, None, formats["input_date"])


def _write_evidence(sheet: Worksheet, row: int, text: str, formats: dict[str, Any]) -> None:
    """Data Dukung: a clickable link only for a single http(s) address, else plain text."""
    col = COL[config.COL_EVIDENCE]
    if HTTP_LINK.match(text) and len(text) <= MAX_LINK_CHARS:
        sheet.write_url(row, col, text, formats["link"], string=text)
    else:
        sheet.write_string(row, col, text, formats["cell"])


def _add_input_validations(
    sheet: Worksheet, first: int, last: int, rules: VerificationRules
) -> None:
    col = COL[config.VCOL_DECISION]
    sheet.data_validation(
        first,
        col,
        last,
        col,
        {
            "validate": "list",
            "source": list(tables.DECISIONS),
            "input_title": config.VCOL_DECISION,
            "input_message": "Pilih keputusan dari daftar.",
            "error_title": "Keputusan tidak dikenal",
            "error_message": "Pilih salah satu: " + ", ".join(tables.DECISIONS),
        },
    )
    col = COL[config.VCOL_REASON]
    sheet.data_validation(
        first,
        col,
        last,
        col,
        {
            "validate": "list",
            "source": list(rules.reason_texts),
            "input_title": config.VCOL_REASON,
            "input_message": "Wajib untuk Ditolak dan Perlu klarifikasi.",
            "error_title": "Alasan tidak dikenal",
            "error_message": "Pilih alasan dari daftar.",
        },
    )
    col = COL[config.VCOL_DATE]
    sheet.data_validation(
        first,
        col,
        last,
        col,
        {
            "validate": "date",
            "criteria": "between",
            "minimum": FIRST_DATE,
            "maximum": LAST_DATE,
            "input_title": config.VCOL_DATE,
            "input_message": "Tanggal keputusan, misalnya 15/04/2024.",
            "error_title": "Bukan tanggal",
            "error_message": "Isi tanggal, misalnya 15/04/2024.",
        },
    )


def _source(record: dict[str, Any]) -> str:
    file, sheet, cell = (_text(record[k]) for k in ("sumber_file", "sumber_lembar", "sumber_sel"))
    if not file:
        return _text(record["status"])
    return f"{file}, {sheet}!{cell}" if cell else file


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def _write_meta(
    sheet: Worksheet,
    plan: VerificationPlan,
    rows: list[dict[str, Any]],
    instrument: Instrument,
    region: Region,
) -> None:
    fingerprints = {str(row["kode"]): str(row["sidik_jawaban"]) for row in rows}
    meta = build_verification_meta(
        instrument_id=instrument.id,
        instrument_hash=instrument.content_hash,
        tahun=region.tahun,
        kode_wilayah=region.kode,
        nama_wilayah=region.nama,
        klaster=plan.cluster.kode,
        putaran=plan.round,
        dibuat=plan.generated.isoformat(),
        fingerprints=fingerprints,
    )
    for row, key in enumerate(config.VERIFICATION_META_KEYS):
        sheet.write_string(row, 0, key)
        sheet.write_string(row, 1, meta[key])
    top = len(config.VERIFICATION_META_KEYS) + 1
    sheet.write_string(top, 0, config.FINGERPRINT_HEADER[0])
    sheet.write_string(top, 1, config.FINGERPRINT_HEADER[1])
    for offset, (kode, fingerprint) in enumerate(fingerprints.items(), start=1):
        sheet.write_string(top + offset, 0, kode)
        sheet.write_string(top + offset, 1, fingerprint)
    sheet.very_hidden()
    sheet.protect("")


def _print_setup(
    sheet: Worksheet, plan: VerificationPlan, region: Region, repeat: int | None
) -> None:
    title = f"Verifikasi {plan.cluster.kode} putaran {plan.round}"
    print_setup(sheet, title, f"KLA {region.tahun} - {region.nama}", repeat, side_margin=0.3)


def _protect_with_filter(sheet: Worksheet) -> None:
    """Verifiers may filter the rows but not sort them (rows keep their codes in place)."""
    protect_sheet(sheet, {"autofilter": True, "sort": False})
