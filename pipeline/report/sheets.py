"""The consolidated workbook's table sheets: one per cluster, Kelengkapan, Rekomendasi, Validasi, Data."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import pandas as pd
from xlsxwriter.worksheet import Worksheet

from pipeline import config, tables
from pipeline.instrument import Cluster
from pipeline.messages import sort_issues
from pipeline.region import Region
from pipeline.report.style import (
    Column,
    add_fraction_colours,
    fitted_widths,
    set_widths,
    write_legend,
    write_value,
)
from pipeline.report.table import (
    FIRST_ROW,
    LEGEND_ROW,
    SUBTITLE_ROW,
    VARIANT,
    read_rows,
    write_rows,
    write_table_sheet,
)
from pipeline.words import points

LEGEND_LABEL = "Warna nilai (bagian dari nilai maks):"

CLUSTER_COLUMNS = (
    Column(config.COL_CODE, "kode", width=12),
    Column(config.COL_QUESTION, "pertanyaan", width=60),
    Column("OPD", "opd", width=28),
    Column(config.COL_ANSWER, "jawaban", "number", width=18),
    Column(config.COL_EVIDENCE, "data_dukung", "path", width=40),
    Column("Nilai maks", "nilai_maks", "points", width=11),
    Column("Nilai mandiri", "nilai_mandiri", "points", width=11),
    Column("Nilai terverifikasi", "nilai_terverifikasi", "points", width=13),
    Column("Status", "status", width=14),
    Column("Catatan", "catatan", width=45),
    # LibreOffice never wraps a hyperlink cell: the link text above is plain (it wraps and
    # prints whole) and the click is here.
    Column("Tautan data dukung", "tautan", "open", width=10),
)
COMPLETENESS_COLUMNS = (
    Column(config.ID_ROLE, "opd", width=14),
    Column(config.ID_OFFICE, "nama_opd", width=45),
    Column("Status", "status_kirim", width=16),
    Column(config.COL_QUESTION, "pertanyaan", "int", width=11),
    Column("Dijawab", "dijawab", "int", width=10),
    Column("Ditolak", "ditolak", "int", width=10),
    Column("Belum dijawab", "belum_dijawab", "int", width=10),
    Column("Dengan data dukung", "dengan_data_dukung", "int", width=11),
    Column("Narahubung", "narahubung_nama", width=28),
    Column("Telepon", "narahubung_telepon", width=18),
    Column("Berkas dipakai", "file", "path", width=45),
    Column("Waktu berkas", "disimpan", width=20),
)
RECOMMENDATION_COLUMNS = (
    Column("Peringkat", "peringkat", "int", width=10),
    Column("Dasar", "dasar", width=14),
    Column(config.COL_CODE, "kode", width=12),
    Column(config.COL_QUESTION, "pertanyaan", width=55),
    Column("OPD", "nama_opd", width=28),
    Column("Tindakan", "jenis_tindakan", width=20),
    Column("Status", "status", width=14),
    Column("Jawaban saat ini", "jawaban", width=18),
    Column("Tambahan nilai", "tambahan", "points", width=11),
    Column("Nilai kumulatif", "kumulatif", "points", width=11),
    Column("Kategori tercapai", "tercapai", width=30),
)
ISSUE_COLUMNS = (
    Column("Tingkat", "severity", width=12),
    Column("Jenis masalah", "code", width=24),
    Column("Berkas", "file", "path", width=40),
    Column("Sel", "lokasi", width=14),
    Column(config.COL_QUESTION, "kode", width=12),
    Column("Nilai", "value", width=30),
    Column("Pesan", "message", width=70),
)
DATA_KINDS = {
    "urutan": "int",
    "nilai_maks": "points",
    "nilai_angka": "number",
    "fraksi": "percent",
    "ada_data_dukung": "bool",
    "nilai_mandiri": "points",
    "nilai_terverifikasi": "points",
}


# Data sheet: columns for tracing a value rather than reading it are grouped and folded (the [+]
# above the sheet shows them); they stay in the table, its filters and the CSV. Text columns are
# at most DATA_WIDTH wide and the sheet prints DATA_PAGES_WIDE pages across, kode repeated, so
# the printout stays readable (one page across was 20% scale).
DATA_FOLDED = (
    "jenis",
    "arah",
    "nama_opd",
    "nilai_angka",
    "data_dukung_jenis",
    "sumber_lembar",
    "sumber_sha256",
    "disimpan",
    "fraksi",
    "ada_data_dukung",
)
DATA_WIDTH = 40
DATA_PAGES_WIDE = 2
# The scored and indicator fields a cluster sheet's rows are made of.
QUESTION_FIELDS = (
    "kode",
    "indikator",
    "pertanyaan",
    "nama_opd",
    "jenis",
    "jawaban",
    "nilai_angka",
    "data_dukung",
    "nilai_maks",
    "nilai_mandiri",
    "nilai_terverifikasi",
    "status",
    "masalah",
    "keterangan",
)
INDICATOR_FIELDS = (
    "indikator",
    "indikator_nama",
    "nilai_maks",
    "nilai_mandiri",
    "nilai_terverifikasi",
)


def short_office(name: str, region: Region) -> str:
    """An office name without the region's name ("Dinas Kesehatan Kabupaten X" -> "Dinas Kesehatan")."""
    return _short_office(str(name), region.nama_singkat)


@lru_cache(maxsize=4096)  # every row of the cluster and recommendation sheets names an office
def _short_office(name: str, region_name: str) -> str:
    pattern = rf"\s*\b(Kabupaten|Kota)?\s*{re.escape(region_name)}\b"
    return re.sub(pattern, "", name).strip() or name


def cluster_rows(
    scored: pd.DataFrame, indicators: pd.DataFrame, klaster: str, region: Region
) -> list[dict[str, Any]]:
    """One cluster's rows: each indicator row (with its subtotal) followed by its questions."""
    by_indicator: dict[Any, list[dict[str, Any]]] = {}
    for question in cluster_records(scored, QUESTION_FIELDS, klaster):
        by_indicator.setdefault(question["indikator"], []).append(question)
    rows: list[dict[str, Any]] = []
    for indicator in cluster_records(indicators, INDICATOR_FIELDS, klaster):
        rows.append(
            {
                "kode": indicator["indikator"],
                "pertanyaan": indicator["indikator_nama"],
                "nilai_maks": indicator["nilai_maks"],
                "nilai_mandiri": indicator["nilai_mandiri"],
                "nilai_terverifikasi": indicator["nilai_terverifikasi"],
                VARIANT: "group",
            }
        )
        for question in by_indicator.get(indicator["indikator"], []):
            rows.append(
                {
                    "kode": question["kode"],
                    "pertanyaan": question["pertanyaan"],
                    "opd": short_office(question["nama_opd"], region),
                    "jawaban": _answer(question),
                    "data_dukung": question["data_dukung"],
                    "nilai_maks": question["nilai_maks"],
                    "nilai_mandiri": question["nilai_mandiri"],
                    "nilai_terverifikasi": question["nilai_terverifikasi"],
                    "status": question["status"],
                    "catatan": _note(question),
                    "tautan": question["data_dukung"],
                    VARIANT: "",
                }
            )
    return rows


def cluster_records(
    frame: pd.DataFrame, fields: Sequence[str], klaster: str
) -> list[dict[str, Any]]:
    """The rows of one cluster as dicts of `fields` (Python scalars, as itertuples gives them)."""
    own = [index for index, code in enumerate(frame["klaster"].tolist()) if code == klaster]
    columns = [frame[field].tolist() for field in fields]
    return [
        {field: values[index] for field, values in zip(fields, columns, strict=True)}
        for index in own
    ]


def _answer(question: dict[str, Any]) -> Any:
    """The number for numeric answers (so it is a number in Excel), else the answer text."""
    if question["jenis"] in ("persen", "jumlah") and pd.notna(question["nilai_angka"]):
        return float(question["nilai_angka"])
    return question["jawaban"]


def _note(question: dict[str, Any]) -> str:
    parts = [str(question["masalah"] or "").strip(), str(question["keterangan"] or "").strip()]
    return "\n".join(p for p in parts if p and p != "nan")


def completeness_rows(completeness: pd.DataFrame) -> pd.DataFrame:
    """Offices that sent nothing first, then partial, then complete; by role code within."""
    order = completeness["status_kirim"].map(tables.SENT_ORDER).fillna(len(tables.SENT_ORDER))
    keyed = completeness.assign(_order=order)
    ranked = keyed.sort_values(["_order", "opd"], kind="stable")
    return ranked.drop(columns="_order").assign(**{VARIANT: ""}).reset_index(drop=True)


def recommendation_rows(recommendations: pd.DataFrame) -> pd.DataFrame:
    """Recommendations as given, with the row reaching a category marked and explained."""
    reached = recommendations["mencapai"].fillna("").astype(str)
    text = [
        f"Kategori {name} tercapai (nilai {base})" if name else ""
        for name, base in zip(reached, recommendations["dasar"].astype(str), strict=True)
    ]
    return recommendations.assign(
        tercapai=text, **{VARIANT: ["mark" if name else "" for name in reached]}
    ).reset_index(drop=True)


def issue_rows(issues: pd.DataFrame) -> pd.DataFrame:
    """Errors first (stable), each with its location as Excel shows it (`Isian!F14`)."""
    ranked = sort_issues(issues)
    sheet = ranked["sheet"].fillna("").astype(str)
    cell = ranked["cell"].fillna("").astype(str)
    location = [f"{s}!{c}" if s and c else s or c for s, c in zip(sheet, cell, strict=True)]
    return ranked.assign(lokasi=location, **{VARIANT: ""}).reset_index(drop=True)


def write_cluster_sheet(
    sheet: Worksheet, cluster: Cluster, results: tables.Results, formats: dict[str, Any]
) -> int:
    """One cluster: totals line, colour legend, indicator rows with subtotals over question rows;
    the table's last row."""
    rows = cluster_rows(results.scored, results.indicators, cluster.kode, results.region)
    title = cluster.nama if cluster.nama == cluster.lembar else f"{cluster.lembar}: {cluster.nama}"
    last = write_table_sheet(sheet, title, "", CLUSTER_COLUMNS, rows, formats, outline=True)
    totals = results.clusters[results.clusters["klaster"] == cluster.kode]
    sheet.write_string(SUBTITLE_ROW, 1, "Total klaster", formats["text+group"])
    for col in (5, 6, 7):
        field = CLUSTER_COLUMNS[col].field
        value = totals[field].iloc[0] if len(totals) else None
        write_value(sheet, SUBTITLE_ROW, col, value, "points", formats, "group")
    write_legend(sheet, LEGEND_ROW, 1, LEGEND_LABEL, formats)
    add_fraction_colours(sheet, SUBTITLE_ROW, SUBTITLE_ROW, (6, 7), 5, formats)
    add_fraction_colours(sheet, FIRST_ROW, last, (6, 7), 5, formats)
    sheet.outline_settings(True, False, True, False)  # group symbols above: indicator rows
    sheet.freeze_panes(FIRST_ROW, 2)
    return last


def write_completeness_sheet(
    sheet: Worksheet, results: tables.Results, formats: dict[str, Any]
) -> None:
    completeness = results.completeness
    subtitle = f"{results.offices_sent} dari {len(completeness)} OPD mengirim isian. OPD yang belum mengirim di atas."
    write_table_sheet(
        sheet,
        "Kelengkapan Pengiriman per OPD",
        subtitle,
        COMPLETENESS_COLUMNS,
        completeness_rows(completeness).assign(
            disimpan=lambda rows: rows["disimpan"].map(results.region.local_time)
        ),
        formats,
        "Tidak ada OPD yang diharapkan mengirim.",
    )


def write_recommendations_sheet(
    sheet: Worksheet, results: tables.Results, formats: dict[str, Any]
) -> None:
    parts = [
        f"nilai {name}: kurang {points(total.kurang)} poin menuju {total.kategori_berikut}"
        for name, total in (
            (tables.BASE_VERIFIED, results.terverifikasi),
            (tables.BASE_SELF, results.mandiri),
        )
        if total.kategori_berikut
    ]
    subtitle = (
        "Urutan: yang termurah dulu (lengkapi data dukung, lalu jawab, lalu tingkatkan capaian), di dalamnya tambahan nilai terbesar dulu; "
        + "; ".join(parts)
        + "."
        if parts
        else "Sudah berada pada kategori tertinggi."
    )
    write_table_sheet(
        sheet,
        "Rekomendasi Tindakan",
        subtitle,
        RECOMMENDATION_COLUMNS,
        recommendation_rows(results.recommendations).assign(
            nama_opd=lambda rows: rows["nama_opd"].map(
                lambda name: short_office(name, results.region)
            )
        ),
        formats,
        "Tidak ada rekomendasi.",
    )
    sheet.write_string(
        LEGEND_ROW, 0, "Baris hijau tebal: kategori berikut tercapai.", formats["bold"]
    )


def write_issues_sheet(sheet: Worksheet, results: tables.Results, formats: dict[str, Any]) -> None:
    issues = results.issues
    errors = int((issues["severity"] == tables.SEVERITY_ERROR).sum())
    subtitle = f"{errors} galat, {len(issues) - errors} peringatan. Galat di atas."
    write_table_sheet(
        sheet,
        "Hasil Validasi",
        subtitle,
        ISSUE_COLUMNS,
        issue_rows(issues),
        formats,
        "Tidak ada masalah ditemukan.",
    )


def write_data_sheet(
    sheet: Worksheet, results: tables.Results, formats: dict[str, Any], name: str
) -> None:
    """The full scored table with provenance as an Excel table (filterable) for analysts."""
    columns = tuple(
        Column(field, field, DATA_KINDS.get(field, "text"), width=DATA_WIDTH)
        for field in tables.SCORED
    )
    fields = list(tables.SCORED)
    rows = read_rows(results.scored, columns)
    widths = set_widths(sheet, fitted_widths(columns, rows.texts))
    last = write_rows(sheet, 1, columns, rows, formats, widths)
    sheet.add_table(
        0,
        0,
        max(last, 1),
        len(columns) - 1,
        {
            "name": name,
            "style": "Table Style Light 9",
            "columns": [{"header": c.header, "header_format": formats["header"]} for c in columns],
        },
    )
    sheet.freeze_panes(1, 2)
    _fold_columns(sheet, fields, widths)


def _fold_columns(sheet: Worksheet, fields: list[str], widths: list[float]) -> None:
    for col, field in enumerate(fields):
        if field in DATA_FOLDED:
            sheet.set_column(col, col, widths[col], None, {"level": 1, "hidden": True})
        elif col and fields[col - 1] in DATA_FOLDED:
            sheet.set_column(col, col, widths[col], None, {"collapsed": True})
    sheet.outline_settings(True, False, True, False)


def set_data_print(sheet: Worksheet) -> None:
    """After set_print: the Data sheet prints DATA_PAGES_WIDE pages across, kode on every page."""
    sheet.fit_to_pages(DATA_PAGES_WIDE, 0)
    sheet.repeat_columns(0, 1)
    sheet.print_across()  # both halves of the same rows on consecutive pages
