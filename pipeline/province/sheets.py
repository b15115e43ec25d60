"""The province workbook's table sheets: Klaster, Indikator, Verifikasi, Riwayat, Daftar Berkas and
Data, and the helpers every sheet shares (heading, table, print setup)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipeline import config, tables
from pipeline.province.rank import ProvinceView
from pipeline.report.style import (
    Column,
    add_percent_colours,
    cell_text,
    fit_columns,
    row_height,
    set_print,
    write_header,
    write_legend,
    write_value,
)

INDICATOR_COLUMNS = (
    Column(config.COL_CODE, "indikator", "text", 8),
    Column(config.COL_INDICATOR, "indikator_nama", "text", 48),
    Column(config.COL_CLUSTER, "klaster", "text", 8),
    Column("Nilai maks", "nilai_maks", "points", 10),
    Column("Rata-rata % mandiri", "rata_mandiri", "percent", 12),
    Column("Rata-rata % terverifikasi", "rata_terverifikasi", "percent", 13),
    Column("% terendah", "terendah", "percent", 10),
    Column("Kab/kota di bawah 50%", "jumlah_tertinggal", "int", 11),
    Column("Kab/kota tertinggal (terendah dahulu)", "tertinggal", "text", 50),
)
VERIFICATION_COLUMNS = (
    Column(config.COL_CODE, "kode_wilayah", "text", 8),
    Column("Kabupaten/kota", "nama", "text", 40),
    Column("Nilai mandiri", "nilai_mandiri", "points", 12),
    Column("Nilai terverifikasi", "nilai_terverifikasi", "points", 13),
    Column("Selisih (poin)", "selisih", "points", 11),
    Column("Selisih (% mandiri)", "selisih_persen", "percent", 11),
    Column("Kategori mandiri", "kategori_mandiri", "text", 16),
    Column("Kategori terverifikasi", "kategori_terverifikasi", "text", 16),
    Column("Kategori turun", "kategori_turun", "bool", 10),
)
FILE_COLUMNS = (
    Column("Berkas", "file", "text", 50),
    Column(config.COL_UNIT_KIND, "jenis", "text", 10),
    Column(config.COL_CODE, "kode_wilayah", "text", 8),
    Column("Kabupaten/kota", "nama", "text", 32),
    Column("Tahun", "tahun", "text", 7),
    Column("Dibuat", "dibuat", "text", 20),
    Column("Status", "status", "text", 12),
    Column("Pesan", "pesan", "text", 70),
)
TITLE_ROW_HEIGHT = 24
HEADER_ROW_HEIGHT = 30  # two lines of header text
DATA_TABLE = "DataProvinsi"
DATA_WIDTH = 10  # points columns
DATA_WIDTHS = {
    "kode_wilayah": 8,
    "nama": 34,
    "kategori_mandiri": 15,
    "kategori_terverifikasi": 15,
    "status": 14,
    "sumber": 40,
}


def print_setup(
    sheet: Worksheet, view: ProvinceView, title: str, repeat: int | None, one_page: bool = False
) -> None:
    set_print(
        sheet,
        region=view.province.nama,
        year=view.province.tahun,
        title=title,
        repeat_row=repeat,
        one_page=one_page,
    )


def write_table(
    sheet: Worksheet,
    first: int,
    columns: Sequence[Column],
    frame: pd.DataFrame,
    formats: dict[str, Any],
    fit: bool = True,
) -> int:
    """Header at `first`, one row per record; return the last row written."""
    write_header(sheet, first, columns, formats)
    sheet.set_row(first, HEADER_ROW_HEIGHT)
    rows = [[record[c.field] for c in columns] for record in frame.to_dict("records")]
    widths = fit_columns(sheet, columns, rows) if fit else [float(c.width) for c in columns]
    for offset, values in enumerate(rows, start=1):
        sheet.set_row(first + offset, row_height(values, widths))
        for col, (column, value) in enumerate(zip(columns, values, strict=True)):
            write_value(sheet, first + offset, col, value, column.kind, formats, "")
    return first + len(rows)


def heading(sheet: Worksheet, view: ProvinceView, title: str, formats: dict[str, Any]) -> None:
    sheet.set_row(0, TITLE_ROW_HEIGHT)
    sheet.write_string(0, 0, f"{title} KLA {view.province.tahun}", formats["title"])
    sheet.write_string(1, 0, cell_text(view.province.nama), formats["subtitle"])


def write_clusters(
    workbook: Workbook, sheet: Worksheet, view: ProvinceView, formats: dict[str, Any]
) -> None:
    heading(sheet, view, "Nilai per Klaster", formats)
    sheet.write_string(
        2,
        0,
        "Persentase nilai terhadap nilai maksimum klaster; merah di bawah 50%.",
        formats["plain"],
    )
    clusters = view.instrument.clusters
    row = 4
    for score, label in (
        (tables.BASE_VERIFIED, "Nilai terverifikasi"),
        (tables.BASE_SELF, "Nilai mandiri"),
    ):
        sheet.write_string(row, 0, f"{label} (% dari maksimum)", formats["bold"])
        columns = (
            Column(config.COL_CODE, "kode_wilayah", "text", 8),
            Column("Kabupaten/kota", "nama", "text", 36),
            *(
                Column(f"{c.lembar} (maks {c.nilai_maks:g})", f"{c.kode}_{score}", "percent", 13)
                for c in clusters
            ),
        )
        last = write_table(sheet, row + 1, columns, view.clusters, formats)
        for col in range(2, 2 + len(clusters)):
            add_percent_colours(sheet, row + 2, max(last, row + 2), col, formats)
        row = last + 2
    write_legend(sheet, row, 1, "Warna persentase:", formats)
    print_setup(sheet, view, config.SHEET_PROVINCE_CLUSTERS, 5)


def write_indicators(
    workbook: Workbook, sheet: Worksheet, view: ProvinceView, formats: dict[str, Any]
) -> None:
    heading(sheet, view, "Indikator Terlemah", formats)
    sheet.write_string(
        2,
        0,
        "Indikator diurutkan dari rata-rata persentase nilai terverifikasi terendah di provinsi; "
        "kabupaten/kota tertinggal: di bawah 50% nilai maksimum indikator.",
        formats["plain"],
    )
    last = write_table(sheet, 4, INDICATOR_COLUMNS, view.indicators, formats)
    for col in (4, 5, 6):
        add_percent_colours(sheet, 5, max(last, 5), col, formats)
    print_setup(sheet, view, config.SHEET_PROVINCE_INDICATORS, 4)


def write_verification(
    workbook: Workbook, sheet: Worksheet, view: ProvinceView, formats: dict[str, Any]
) -> None:
    heading(sheet, view, "Nilai Mandiri dan Terverifikasi", formats)
    sheet.write_string(
        2,
        0,
        "Selisih nilai mandiri dan terverifikasi per kabupaten/kota, terbesar dahulu: prioritas "
        "verifikasi administrasi dan pendampingan data dukung.",
        formats["plain"],
    )
    write_table(sheet, 4, VERIFICATION_COLUMNS, view.verification, formats)
    print_setup(sheet, view, config.SHEET_PROVINCE_VERIFICATION, 4)


def write_history(
    workbook: Workbook, sheet: Worksheet, view: ProvinceView, formats: dict[str, Any]
) -> None:
    heading(sheet, view, "Riwayat Kategori", formats)
    sheet.write_string(
        2,
        0,
        f"Predikat per tahun dari {config.PROVINCE_HISTORY_INPUT}; tahun {view.province.tahun}: "
        "kategori nilai terverifikasi rekap ini.",
        formats["plain"],
    )
    years = [c for c in view.history.columns if c not in ("kode_wilayah", "nama")]
    columns = (
        Column(config.COL_CODE, "kode_wilayah", "text", 8),
        Column("Kabupaten/kota", "nama", "text", 36),
        *(Column(year, year, "text", 16) for year in years),
    )
    last = write_table(sheet, 4, columns, view.history, formats)
    row = last + 1
    sheet.write_string(row, 1, "Berpredikat (Pratama ke atas)", formats["text+group"])
    for col, year in enumerate(years, start=2):
        awarded = view.history[year].isin([c.nama for c in view.instrument.categories])
        sheet.write_number(row, col, int(awarded.sum()), formats["int+group"])
    print_setup(sheet, view, config.SHEET_PROVINCE_HISTORY, 4)


def write_files(
    workbook: Workbook, sheet: Worksheet, view: ProvinceView, formats: dict[str, Any]
) -> None:
    heading(sheet, view, "Berkas yang Dibaca", formats)
    sheet.write_string(
        2,
        0,
        "Setiap berkas di folder masukan: dipakai, disisihkan (ada hasil lebih baru), ditolak, atau "
        "bukan hasil kabupaten/kota; pesan menyebut letak masalah dan cara memperbaikinya.",
        formats["plain"],
    )
    write_table(sheet, 4, FILE_COLUMNS, view.files, formats)
    print_setup(sheet, view, config.SHEET_PROVINCE_FILES, 4)


def write_data(
    workbook: Workbook, sheet: Worksheet, view: ProvinceView, formats: dict[str, Any]
) -> None:
    """The ranking and every cluster score as one Excel table, for filters and pivot tables."""
    frame = data_frame(view)
    columns = [{"header": str(name)} for name in frame.columns]
    sheet.add_table(
        0,
        0,
        max(len(frame), 1),
        len(frame.columns) - 1,
        {"name": DATA_TABLE, "columns": columns, "style": "Table Style Light 9"},
    )
    points = {"nilai_mandiri", "nilai_terverifikasi", *frame.columns[len(tables.PROVINCE) : -1]}
    kinds = {name: "points" if name in points else "text" for name in frame.columns}
    kinds["peringkat"] = "int"
    for col, name in enumerate(frame.columns):
        sheet.set_column(col, col, DATA_WIDTHS.get(name, DATA_WIDTH))
    for row, record in enumerate(frame.to_dict("records"), start=1):
        for col, name in enumerate(frame.columns):
            write_value(sheet, row, col, record[name], kinds[name], formats, "")
    print_setup(sheet, view, config.SHEET_PROVINCE_DATA, 0)


def data_frame(view: ProvinceView) -> pd.DataFrame:
    """The ranking plus each cluster's points (mandiri and terverifikasi) per kab/kota."""
    frame = view.ranking.copy()
    for cluster in view.instrument.clusters:
        for score in (tables.BASE_SELF, tables.BASE_VERIFIED):
            frame[f"{cluster.kode}_{score}"] = [
                _cluster_points(view.used.get(kode), cluster.kode, score)
                for kode in frame["kode_wilayah"]
            ]
    frame["sumber"] = [view.sources.get(kode, "") for kode in frame["kode_wilayah"]]
    return frame


def _cluster_points(summary: dict[str, Any] | None, cluster: str, score: str) -> float | None:
    if summary is None:
        return None
    scores = summary["klaster"].get(cluster)
    return float(scores[score]) if isinstance(scores, dict) else None
