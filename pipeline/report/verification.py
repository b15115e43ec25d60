"""The consolidated workbook's Verifikasi sheet: progress per cluster and every rejected answer."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import pandas as pd
from xlsxwriter.worksheet import Worksheet

from pipeline import config, tables
from pipeline.report.sheets import short_office
from pipeline.report.style import Column, write_header
from pipeline.report.table import HEADER_ROW, SUBTITLE_ROW, TITLE_ROW, VARIANT, write_rows
from pipeline.score.verification_status import verification_status, with_verification
from pipeline.words import points

NOT_COUNTED = (tables.VERIFY_REJECTED, tables.VERIFY_QUERIED)
DECIDED = (tables.VERIFY_ACCEPTED, tables.VERIFY_CORRECTED, *NOT_COUNTED)
PROGRESS_COLUMNS = (
    Column(config.COL_CODE, "klaster", width=10),
    Column(config.COL_CLUSTER, "klaster_nama", width=44),
    Column(config.COL_QUESTION, "pertanyaan", "int"),
    Column("Diputuskan", "diputuskan", "int"),
    Column("Belum", tables.VERIFY_NONE, "int"),
    Column("Perlu verifikasi ulang", tables.VERIFY_LAPSED, "int"),
    Column("Diterima", tables.VERIFY_ACCEPTED, "int"),
    Column("Dikoreksi", tables.VERIFY_CORRECTED, "int"),
    Column("Ditolak", tables.VERIFY_REJECTED, "int"),
    Column("Klarifikasi", tables.VERIFY_QUERIED, "int"),
    Column("Poin hilang (ditolak/klarifikasi)", "hilang", "points"),
    Column("Nilai terverifikasi", "nilai_terverifikasi", "points"),
)
REJECTED_COLUMNS = (
    Column(config.COL_CODE, "kode"),
    Column(config.COL_QUESTION, "pertanyaan"),
    Column("OPD", "opd_singkat"),
    Column(config.COL_ANSWER, "jawaban"),
    Column("Keputusan", "keputusan"),
    Column("Alasan", "alasan"),
    Column("Catatan verifikator", "catatan_verifikasi"),
    Column("Verifikator", "verifikator"),
    Column("Tanggal", "tanggal_verifikasi"),
    Column("Poin hilang", "nilai_mandiri", "points"),
    Column("Sumber keputusan", "sumber_keputusan"),
)
# One width per column, for both tables (the progress table has one column more).
WIDTHS = (12, 46, 28, 14, 20, 24, 40, 16, 12, 11, 36, 13)


def progress_rows(results: tables.Results) -> list[dict[str, Any]]:
    """One row per cluster, then a total row: counts per status and points lost to rejections."""
    scored = with_verification(results.scored)
    clusters = scored["klaster"].astype(str).tolist()
    status = scored["status_verifikasi"].astype(str).tolist()
    # Sums as pandas takes them (numpy, NaN as 0), so the totals match to the last digit.
    self_points = scored["nilai_mandiri"].astype(float).fillna(0.0).to_numpy()
    verified = scored["nilai_terverifikasi"].astype(float).fillna(0.0).to_numpy()
    rows = []
    for cluster in results.instrument.clusters:
        own = [i for i, code in enumerate(clusters) if code == cluster.kode]
        rows.append(_progress(own, status, self_points, verified, cluster.kode, cluster.nama, ""))
    every = list(range(len(status)))
    rows.append(_progress(every, status, self_points, verified, "Total", "Semua klaster", "group"))
    return rows


def _progress(
    own: list[int],
    status: list[str],
    self_points: np.ndarray,
    verified: np.ndarray,
    kode: str,
    nama: str,
    variant: str,
) -> dict[str, Any]:
    seen = Counter(status[i] for i in own)
    lost = [i for i in own if status[i] in NOT_COUNTED]
    return {
        "klaster": kode,
        "klaster_nama": nama,
        "pertanyaan": len(own),
        "diputuskan": sum(seen[name] for name in DECIDED),
        **{name: seen[name] for name in tables.VERIFICATION_STATUSES},
        "hilang": float(self_points[lost].sum()),
        "nilai_terverifikasi": float(verified[own].sum()),
        VARIANT: variant,
    }


def rejected_rows(results: tables.Results) -> pd.DataFrame:
    """Rejected and queried answers, most points lost first."""
    scored = with_verification(results.scored)
    found = scored[scored["status_verifikasi"].astype(str).isin(NOT_COUNTED)]
    found = found.sort_values(["nilai_mandiri", "urutan"], ascending=[False, True], kind="stable")
    source = found["keputusan_file"].astype(str) + ", " + found["keputusan_sel"].astype(str)
    return found.assign(
        opd_singkat=found["nama_opd"].map(lambda name: short_office(str(name), results.region)),
        sumber_keputusan=source,
        **{VARIANT: ""},
    ).reset_index(drop=True)


def progress_line(results: tables.Results) -> str:
    """How far verification has got, in one sentence (Ringkasan and the screen)."""
    status = verification_status(results.scored)
    decided = int(status.isin(DECIDED).sum())
    counts = {name: int((status == name).sum()) for name in tables.VERIFICATION_STATUSES}
    lost = results.scored.loc[status.isin(NOT_COUNTED), "nilai_mandiri"].astype(float).sum()
    return (
        f"Verifikasi: {decided} dari {len(status)} pertanyaan diputuskan "
        f"({counts[tables.VERIFY_ACCEPTED]} diterima, {counts[tables.VERIFY_CORRECTED]} dikoreksi, "
        f"{counts[tables.VERIFY_REJECTED]} ditolak, {counts[tables.VERIFY_QUERIED]} klarifikasi; "
        f"{points(float(lost))} poin hilang); {counts[tables.VERIFY_LAPSED]} perlu verifikasi ulang."
    )


def write_verification_sheet(
    sheet: Worksheet, results: tables.Results, formats: dict[str, Any]
) -> None:
    """Progress per cluster on top, then every rejected or queried answer with reason and note."""
    for col, width in enumerate(WIDTHS):
        sheet.set_column(col, col, width)
    sheet.set_row(TITLE_ROW, 24)
    sheet.write_string(TITLE_ROW, 0, "Verifikasi Jawaban", formats["title"])
    sheet.write_string(SUBTITLE_ROW, 0, progress_line(results), formats["subtitle"])
    sheet.write_string(
        SUBTITLE_ROW + 1,
        0,
        f"Workbook verifikasi putaran {results.verification_round} ada di outputs/verifikasi/.",
        formats["plain"],
    )
    sheet.set_row(HEADER_ROW, 30)
    write_header(sheet, HEADER_ROW, PROGRESS_COLUMNS, formats)
    last = write_rows(
        sheet, HEADER_ROW + 1, PROGRESS_COLUMNS, progress_rows(results), formats, WIDTHS
    )
    top = last + 2
    sheet.write_string(top, 0, "Jawaban yang ditolak atau perlu klarifikasi", formats["bold"])
    rows = rejected_rows(results)
    sheet.set_row(top + 1, 30)
    write_header(sheet, top + 1, REJECTED_COLUMNS, formats)
    end = write_rows(sheet, top + 2, REJECTED_COLUMNS, rows, formats, WIDTHS)
    if rows.empty:
        sheet.write_string(top + 2, 0, "Belum ada jawaban yang ditolak.", formats["plain"])
    else:
        sheet.autofilter(top + 1, 0, end, len(REJECTED_COLUMNS) - 1)
    sheet.freeze_panes(HEADER_ROW + 1, 0)
