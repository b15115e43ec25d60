"""The KD roll-up in the report: sections under the Kecamatan-Desa sheet and the desa matrix sheet."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipeline import config, tables
from pipeline.instrument import Cluster
from pipeline.report.style import Column, is_blank, set_print, write_header
from pipeline.report.table import VARIANT, write_rows
from pipeline.rowfit import fitted_height
from pipeline.words import points

GAP_ROWS = 2
HEADER_POINTS = 28.0  # two lines of wrapped header text
# Under the cluster table: same ten columns, so the widths fit both.
QUESTION_COLUMNS = (
    Column(config.COL_CODE, "kode", width=12),
    Column("Kriteria (unit menjawab Ya)", "kriteria", width=60),
    Column("Memenuhi", "memenuhi", width=28),
    Column("Persen", "persen", "number", width=18),
    Column("Kecamatan dengan unit belum memenuhi", "kecamatan_kandidat", width=40),
    Column("Nilai maks", "nilai_maks", "points", width=11),
    Column("Nilai mandiri", "nilai_mandiri", "points", width=11),
    Column("Nilai terverifikasi", "nilai_terverifikasi", "points", width=13),
    Column("Unit lagi ke band berikut", "kurang_unit", "int", width=14),
    Column("Band berikut", "berikut", width=45),
)
KECAMATAN_COLUMNS = (
    Column(config.COL_CODE, "kode_kecamatan", width=12),
    Column(config.ID_KECAMATAN, "nama", width=60),
    Column("Status", "status_kirim", width=28),
    Column("Desa/kel. terisi", "terisi", width=18),
    Column("Narahubung", "narahubung", width=40),
    Column("Desa/kel.", "desa_total", "int", width=11),
    Column("Terisi", "desa_terisi", "int", width=11),
    Column("Lengkap", "desa_lengkap", "int", width=13),
    Column("", "sel_kosong", width=14),
    Column("Berkas dipakai", "file", width=45),
)
MATRIX_FIXED = (
    Column(config.COL_UNIT_CODE, "kode_wilayah", width=15),
    Column(config.COL_UNIT_NAME, "nama", width=22),
    Column(config.COL_UNIT_KIND, "jenis", width=10),
)
MATRIX_WIDTH = 9
MATRIX_HEADER_ROW = 3


def is_kd_cluster(cluster: Cluster, results: tables.Results) -> bool:
    """The cluster holding the computed questions, when the roll-up ran."""
    if results.kd is None:
        return False
    codes = set(results.kd.questions["kode"].tolist())
    scored = results.scored
    pairs = zip(scored["klaster"].tolist(), scored["kode"].tolist(), strict=True)
    return any(code in codes for klaster, code in pairs if klaster == cluster.kode)


def write_kd_sections(
    workbook: Workbook,
    sheet: Worksheet,
    cluster: Cluster,
    results: tables.Results,
    formats: dict[str, Any],
    last_row: int,
) -> None:
    """Append the roll-up under the KD cluster table (its last row `last_row`), then add the desa
    matrix sheet after it."""
    if results.kd is None or not is_kd_cluster(cluster, results):
        return
    kd = results.kd
    start = last_row + GAP_ROWS + 1
    widths = [c.width for c in QUESTION_COLUMNS]
    sheet.write_string(start, 0, "Dihitung dari workbook kecamatan", formats["line"])
    sheet.write_string(
        start + 1,
        0,
        f"Kecamatan mengirim: {kd.kecamatan_mengirim} dari {kd.kecamatan_diharapkan}; "
        f"desa/kelurahan terisi: {kd.desa_terisi} dari {kd.desa_total}. Unit tanpa jawaban "
        "(workbook tidak dikirim, sel kosong) dihitung belum memenuhi. Rincian per unit: "
        f"{config.KD_UNITS_FILE} dan lembar {config.SHEET_KD_MATRIX}.",
        formats["plain"],
    )
    sheet.set_row(start + 2, _header_height(QUESTION_COLUMNS, widths))
    write_header(sheet, start + 2, QUESTION_COLUMNS, formats)
    last = write_rows(sheet, start + 3, QUESTION_COLUMNS, question_rows(kd), formats, widths)
    top = last + GAP_ROWS + 1
    sheet.write_string(top, 0, "Kelengkapan per kecamatan", formats["line"])
    sheet.set_row(top + 1, _header_height(KECAMATAN_COLUMNS, widths))
    write_header(sheet, top + 1, KECAMATAN_COLUMNS, formats)
    write_rows(sheet, top + 2, KECAMATAN_COLUMNS, kecamatan_rows(kd), formats, widths)
    matrix = workbook.add_worksheet(config.SHEET_KD_MATRIX)
    write_matrix(matrix, results, formats)


def _header_height(columns: Sequence[Column], widths: Sequence[float]) -> float:
    """A header row tall enough for its wrapped bold text in the sheet's column widths."""
    return max(HEADER_POINTS, fitted_height([c.header for c in columns], widths, bold=True))


def question_rows(kd: tables.KdResults) -> pd.DataFrame:
    """One row per computed question: 'Ya / total', %, points and the way to the next band."""
    questions = kd.questions
    word = questions["tingkat"].map({"kecamatan": "kecamatan", "desa": "desa/kelurahan"})
    next_text = [
        f"{limit:g}% (+{points(gain)} poin)" if count else "nilai penuh"
        for limit, count, gain in zip(
            questions["persen_berikut"],
            questions["kurang_unit"],
            questions["tambahan"],
            strict=True,
        )
    ]
    return pd.DataFrame(
        {
            "kode": questions["kode"],
            "kriteria": questions["judul"] + " (" + word + ")",
            "memenuhi": [
                f"{ya} dari {total} ({verified} dengan data dukung)"
                for ya, total, verified in zip(
                    questions["unit_ya"],
                    questions["unit_total"],
                    questions["unit_terverifikasi"],
                    strict=True,
                )
            ],
            "persen": questions["persen"].round(2),
            "kecamatan_kandidat": questions["kecamatan_kandidat"],
            "nilai_maks": questions["nilai_maks"],
            "nilai_mandiri": questions["nilai_mandiri"],
            "nilai_terverifikasi": questions["nilai_terverifikasi"],
            "kurang_unit": questions["kurang_unit"],
            "berikut": next_text,
            VARIANT: "",
        }
    )


def kecamatan_rows(kd: tables.KdResults) -> pd.DataFrame:
    """Per kecamatan, those that did not send first; the narahubung as 'name, phone'."""
    frame = kd.kecamatan
    order = frame["status_kirim"].map(tables.SENT_ORDER).fillna(len(tables.SENT_ORDER))
    ranked = frame.assign(_order=order).sort_values(["_order", "kode_kecamatan"], kind="stable")
    contact = [
        ", ".join(part for part in (name, phone) if part)
        for name, phone in zip(ranked["narahubung_nama"], ranked["narahubung_telepon"], strict=True)
    ]
    return ranked.drop(columns="_order").assign(
        terisi=[
            f"{filled} dari {total}"
            for filled, total in zip(ranked["desa_terisi"], ranked["desa_total"], strict=True)
        ],
        narahubung=contact,
        sel_kosong="",
        **{VARIANT: ""},
    )


def matrix_rows(results: tables.Results) -> tuple[list[str], list[dict[str, Any]]]:
    """The desa x criterion matrix: question codes, and one row per desa under its kecamatan row."""
    assert results.kd is not None and results.region.units is not None
    units = results.kd.units
    desa = units[units["jenis"] != "kecamatan"]
    codes = list(dict.fromkeys(desa["kode"].tolist()))
    answers = {
        (unit, code): answer
        for unit, code, answer in zip(
            desa["kode_wilayah"].tolist(),
            desa["kode"].tolist(),
            desa["jawaban"].tolist(),
            strict=True,
        )
    }
    kecamatan = results.kd.kecamatan
    status = dict(
        zip(kecamatan["kode_kecamatan"].tolist(), kecamatan["status_kirim"].tolist(), strict=True)
    )
    by_kecamatan: dict[str, list[Any]] = {}
    for unit in results.region.units.desa:
        by_kecamatan.setdefault(unit.kode_kecamatan, []).append(unit)
    rows: list[dict[str, Any]] = []
    for area in results.region.units.kecamatan:
        rows.append(
            {
                "kode_wilayah": area.kode,
                "nama": f"Kecamatan {area.nama}",
                "jenis": str(status.get(area.kode, "")),
                VARIANT: "group",
            }
        )
        for unit in by_kecamatan.get(area.kode, []):
            row = {"kode_wilayah": unit.kode, "nama": unit.nama, "jenis": unit.jenis}
            for code in codes:
                answer = answers.get((unit.kode, code))
                row[code] = "" if is_blank(answer) else answer
            rows.append({**row, VARIANT: ""})
    return codes, rows


def write_matrix(sheet: Worksheet, results: tables.Results, formats: dict[str, Any]) -> None:
    """Printable: A4 landscape one page wide, header repeated, Ya green and empty cells amber."""
    assert results.kd is not None
    codes, rows = matrix_rows(results)
    titles = dict(zip(results.kd.questions["kode"], results.kd.questions["judul"], strict=True))
    columns = [
        *MATRIX_FIXED,
        *(Column(f"{code}\n{titles.get(code, '')}", code, width=MATRIX_WIDTH) for code in codes),
    ]
    sheet.set_row(0, 24)  # the 14-point title needs more than the default row height
    sheet.write_string(0, 0, "Matriks desa/kelurahan x kriteria Dekela", formats["title"])
    sheet.write_string(
        1,
        0,
        "Ya = memenuhi; Tidak = belum; kosong = belum diisi atau workbook kecamatan belum dikirim "
        "(dihitung belum memenuhi). Baris biru: kecamatan dan status pengirimannya.",
        formats["subtitle"],
    )
    for col, column in enumerate(columns):
        sheet.set_column(col, col, column.width)
    sheet.set_row(MATRIX_HEADER_ROW, 80)
    write_header(sheet, MATRIX_HEADER_ROW, columns, formats)
    widths = [c.width for c in columns]
    last = write_rows(sheet, MATRIX_HEADER_ROW + 1, columns, rows, formats, widths)
    first_answer, last_col = len(MATRIX_FIXED), len(columns) - 1
    sheet.conditional_format(
        MATRIX_HEADER_ROW + 1,
        first_answer,
        last,
        last_col,
        {"type": "cell", "criteria": "==", "value": '"Ya"', "format": formats["cf_green"]},
    )
    sheet.freeze_panes(MATRIX_HEADER_ROW + 1, len(MATRIX_FIXED))
    region = results.region
    set_print(
        sheet,
        region=region.nama,
        year=region.tahun,
        title=config.SHEET_KD_MATRIX,
        repeat_row=MATRIX_HEADER_ROW,
    )
