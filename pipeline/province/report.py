"""The province workbook Provinsi_KLA_<provinsi>_<tahun>.xlsx (xlsxwriter): Ringkasan with ranking,
category counts and a chart; Klaster; Indikator; Verifikasi; Riwayat; Berkas; Data. Print-ready."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipeline import config, tables
from pipeline.outfiles import atomic_path
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
from pipeline.report.style import add_formats as add_report_formats
from pipeline.report.summary import made_at

RANKING_COLUMNS = (
    Column("Peringkat", "peringkat", "int", 10),
    Column(config.COL_CODE, "kode_wilayah", "text", 8),
    Column("Kabupaten/kota", "nama", "text", 40),
    Column("Nilai mandiri", "nilai_mandiri", "points", 12),
    Column("Kategori mandiri", "kategori_mandiri", "text", 18),
    Column("Nilai terverifikasi", "nilai_terverifikasi", "points", 13),
    Column("Kategori terverifikasi", "kategori_terverifikasi", "text", 18),
    Column("Status", "status", "text", 15),
)
CATEGORY_COLUMNS = (
    Column("Kategori", "kategori", "text", 40),
    Column("Jumlah (mandiri)", tables.BASE_SELF, "int", 12),
    Column("Jumlah (terverifikasi)", tables.BASE_VERIFIED, "int", 14),
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
    Column("Jenis", "jenis", "text", 10),
    Column(config.COL_CODE, "kode_wilayah", "text", 8),
    Column("Kabupaten/kota", "nama", "text", 32),
    Column("Tahun", "tahun", "text", 7),
    Column("Dibuat", "dibuat", "text", 20),
    Column("Status", "status", "text", 12),
    Column("Pesan", "pesan", "text", 70),
)
TITLE_ROW_HEIGHT = 24
HEADER_ROW_HEIGHT = 30  # two lines of header text
FIRST_TABLE_ROW = 9  # zero-based header row of the ranking table (row 10 in Excel)
CHART_COL = 9  # charts start in column J
CHART_MAX_BARS = 40  # above this many kab/kota the totals chart is left out (unreadable)
ONE_PAGE_ROWS = 40
CHART_COLOURS = ("#2E75B6", "#70AD47")
DATA_TABLE = "DataProvinsi"


def province_filename(view: ProvinceView) -> str:
    """`Provinsi_KLA_<provinsi>_<tahun>.xlsx`, provinsi being a file-safe short province name."""
    short = re.sub(r"[^0-9A-Za-z]+", "_", view.province.nama_singkat).strip("_")[:60]
    return f"{config.OUT_PROVINCE_REPORT_PREFIX}_{short or 'provinsi'}_{view.province.tahun}.xlsx"


def province_sheet_names(view: ProvinceView) -> list[str]:
    """The sheets in order; Riwayat only when a history was given."""
    names = [
        config.SHEET_PROVINCE_SUMMARY,
        config.SHEET_PROVINCE_CLUSTERS,
        config.SHEET_PROVINCE_INDICATORS,
        config.SHEET_PROVINCE_VERIFICATION,
        config.SHEET_PROVINCE_HISTORY,
        config.SHEET_PROVINCE_FILES,
        config.SHEET_PROVINCE_DATA,
    ]
    return [n for n in names if n != config.SHEET_PROVINCE_HISTORY or len(view.history)]


def write_province_report(view: ProvinceView, path: Path) -> Path:
    """Write the province workbook atomically; return its path."""
    path = Path(path)
    with atomic_path(path) as tmp:
        workbook = xlsxwriter.Workbook(str(tmp), config.XLSXWRITER_OPTIONS)
        workbook.set_properties(
            {
                "title": cell_text(f"Rekap KLA {view.province.nama} {view.province.tahun}"),
                "subject": cell_text(view.instrument.nama),
                "author": "KLA Konsolidasi",
                "company": cell_text(view.province.nama),
                "created": _created(view),
            }
        )
        formats = add_report_formats(workbook)
        writers = {
            config.SHEET_PROVINCE_SUMMARY: _write_summary,
            config.SHEET_PROVINCE_CLUSTERS: _write_clusters,
            config.SHEET_PROVINCE_INDICATORS: _write_indicators,
            config.SHEET_PROVINCE_VERIFICATION: _write_verification,
            config.SHEET_PROVINCE_HISTORY: _write_history,
            config.SHEET_PROVINCE_FILES: _write_files,
            config.SHEET_PROVINCE_DATA: _write_data,
        }
        for name in province_sheet_names(view):
            sheet = workbook.add_worksheet(name)
            writers[name](workbook, sheet, view, formats)
        workbook.close()
    return path


def _created(view: ProvinceView) -> Any:
    """The newest run time of the used results, so the same inputs give the same properties."""
    import datetime as dt

    moments = []
    for summary in view.used.values():
        try:
            moments.append(dt.datetime.fromisoformat(str(summary.get("dibuat", ""))))
        except ValueError:
            continue
    moments = [m.replace(tzinfo=None) for m in moments]
    return max(moments, default=dt.datetime(2000, 1, 1))


def _print(
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


def _write_table(
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


def _heading(sheet: Worksheet, view: ProvinceView, title: str, formats: dict[str, Any]) -> None:
    sheet.set_row(0, TITLE_ROW_HEIGHT)
    sheet.write_string(0, 0, f"{title} KLA {view.province.tahun}", formats["title"])
    sheet.write_string(1, 0, cell_text(view.province.nama), formats["subtitle"])


def summary_lines(view: ProvinceView) -> list[str]:
    """The key figures of the Ringkasan sheet (and the screen), in Indonesian."""
    ranking = view.ranking
    sent = view.sent
    listed = len(ranking)
    lines = [f"Kabupaten/kota dengan hasil: {len(sent)} dari {listed}."]
    lowest = min(view.instrument.categories, key=lambda c: c.minimum).nama
    reach_self = int((sent["nilai_mandiri"] >= view.threshold).sum())
    reach_verified = int((sent["nilai_terverifikasi"] >= view.threshold).sum())
    lines.append(
        f"Mencapai {view.threshold:g} poin ({lowest} ke atas): {reach_self} menurut nilai "
        f"mandiri, {reach_verified} menurut nilai terverifikasi."
    )
    for status, label in (
        (tables.KABKOTA_NOT_SENT, "Belum mengirim"),
        (tables.KABKOTA_REJECTED, f"Hasil ditolak (lihat lembar {config.SHEET_PROVINCE_FILES})"),
    ):
        names = ranking.loc[ranking["status"] == status, "nama"].tolist()
        if names:
            lines.append(f"{label} ({len(names)}): {', '.join(names)}.")
    aside = view.files.loc[view.files["status"] == tables.RESULT_SET_ASIDE, "file"].tolist()
    if aside:
        lines.append(
            f"Berkas disisihkan (ada hasil yang sama atau lebih baru) ({len(aside)}): "
            f"{', '.join(aside)}."
        )
    return [cell_text(line) for line in lines]


def _write_summary(
    workbook: Workbook, sheet: Worksheet, view: ProvinceView, formats: dict[str, Any]
) -> None:
    _heading(sheet, view, "Rekap Evaluasi", formats)
    count = len(view.sources)
    sheet.write_string(
        2,
        0,
        f"Dibuat {made_at(view.generated_at)} dari {count} hasil kabupaten/kota; "
        f"{cell_text(view.instrument.nama)}.",
        formats["plain"],
    )
    if view.example:
        sheet.write_string(
            3, 0, "CONTOH: data fiktif, bukan hasil provinsi sebenarnya.", formats["warning"]
        )
    for offset, line in enumerate(summary_lines(view)[:5]):
        sheet.write_string(4 + offset, 0, line, formats["bold"] if offset < 2 else formats["plain"])
    last = _write_table(sheet, FIRST_TABLE_ROW, RANKING_COLUMNS, view.ranking, formats)
    sheet.set_column(0, 0, 10)
    categories_row = last + 2
    sheet.write_string(categories_row, 0, "Sebaran kategori", formats["bold"])
    category_last = _write_category_table(sheet, categories_row + 1, view, formats)
    _add_category_chart(workbook, sheet, categories_row + 1, category_last)
    if len(view.sent) <= CHART_MAX_BARS:
        _add_totals_chart(workbook, sheet, view)
    sheet.activate()
    sheet.print_area(0, 0, max(category_last, FIRST_TABLE_ROW + 30), CHART_COL + 8)
    _print(
        sheet,
        view,
        config.SHEET_PROVINCE_SUMMARY,
        None,
        one_page=len(view.ranking) <= ONE_PAGE_ROWS,
    )


def _write_category_table(
    sheet: Worksheet, first: int, view: ProvinceView, formats: dict[str, Any]
) -> int:
    """Category counts below the ranking (columns C..E, under the ranking's name and score columns)."""
    offset = 2
    sheet.set_row(first, HEADER_ROW_HEIGHT)
    for col, column in enumerate(CATEGORY_COLUMNS):
        sheet.write_string(first, offset + col, column.header, formats["header"])
    for row, record in enumerate(view.categories.to_dict("records"), start=first + 1):
        for col, column in enumerate(CATEGORY_COLUMNS):
            write_value(sheet, row, offset + col, record[column.field], column.kind, formats, "")
    return first + len(view.categories)


def _add_category_chart(workbook: Workbook, sheet: Worksheet, header: int, last: int) -> None:
    name = sheet.get_name()
    chart = workbook.add_chart({"type": "column"})
    for col, colour in zip((3, 4), CHART_COLOURS, strict=True):
        chart.add_series(
            {
                "name": [name, header, col],
                "categories": [name, header + 1, 2, last, 2],
                "values": [name, header + 1, col, last, col],
                "fill": {"color": colour},
                "data_labels": {"value": True},
                "gap": 80,
            }
        )
    chart.set_title({"name": "Jumlah kabupaten/kota per kategori", "name_font": {"size": 11}})
    chart.set_y_axis({"min": 0, "num_format": "0", "major_unit": 1})
    chart.set_legend({"position": "bottom"})
    sheet.insert_chart(22, CHART_COL, chart, {"x_scale": 1.2, "y_scale": 1.2, "x_offset": 5})


def _add_totals_chart(workbook: Workbook, sheet: Worksheet, view: ProvinceView) -> None:
    """Bars of both totals per kab/kota with results, in ranking order."""
    name = sheet.get_name()
    first, last = FIRST_TABLE_ROW + 1, FIRST_TABLE_ROW + len(view.sent)
    chart = workbook.add_chart({"type": "bar"})
    for col, colour in zip((3, 5), ("#A6A6A6", CHART_COLOURS[0]), strict=True):
        chart.add_series(
            {
                "name": [name, FIRST_TABLE_ROW, col],
                "categories": [name, first, 2, last, 2],
                "values": [name, first, col, last, col],
                "fill": {"color": colour},
                "gap": 60,
            }
        )
    chart.set_title({"name": "Nilai total per kabupaten/kota", "name_font": {"size": 11}})
    chart.set_x_axis({"min": 0, "max": view.instrument.nilai_total or 1000, "num_format": "0"})
    chart.set_y_axis({"reverse": True, "num_font": {"size": 8}})
    chart.set_legend({"position": "bottom"})
    sheet.insert_chart(0, CHART_COL, chart, {"x_scale": 1.2, "y_scale": 1.45, "x_offset": 5})


def _write_clusters(
    workbook: Workbook, sheet: Worksheet, view: ProvinceView, formats: dict[str, Any]
) -> None:
    _heading(sheet, view, "Nilai per Klaster", formats)
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
        last = _write_table(sheet, row + 1, columns, view.clusters, formats)
        for col in range(2, 2 + len(clusters)):
            add_percent_colours(sheet, row + 2, max(last, row + 2), col, formats)
        row = last + 2
    write_legend(sheet, row, 1, "Warna persentase:", formats)
    _print(sheet, view, config.SHEET_PROVINCE_CLUSTERS, 5)


def _write_indicators(
    workbook: Workbook, sheet: Worksheet, view: ProvinceView, formats: dict[str, Any]
) -> None:
    _heading(sheet, view, "Indikator Terlemah", formats)
    sheet.write_string(
        2,
        0,
        "Indikator diurutkan dari rata-rata persentase nilai terverifikasi terendah di provinsi; "
        "kabupaten/kota tertinggal: di bawah 50% nilai maksimum indikator.",
        formats["plain"],
    )
    last = _write_table(sheet, 4, INDICATOR_COLUMNS, view.indicators, formats)
    for col in (4, 5, 6):
        add_percent_colours(sheet, 5, max(last, 5), col, formats)
    _print(sheet, view, config.SHEET_PROVINCE_INDICATORS, 4)


def _write_verification(
    workbook: Workbook, sheet: Worksheet, view: ProvinceView, formats: dict[str, Any]
) -> None:
    _heading(sheet, view, "Nilai Mandiri dan Terverifikasi", formats)
    sheet.write_string(
        2,
        0,
        "Selisih nilai mandiri dan terverifikasi per kabupaten/kota, terbesar dahulu: prioritas "
        "verifikasi administrasi dan pendampingan data dukung.",
        formats["plain"],
    )
    _write_table(sheet, 4, VERIFICATION_COLUMNS, view.verification, formats)
    _print(sheet, view, config.SHEET_PROVINCE_VERIFICATION, 4)


def _write_history(
    workbook: Workbook, sheet: Worksheet, view: ProvinceView, formats: dict[str, Any]
) -> None:
    _heading(sheet, view, "Riwayat Kategori", formats)
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
    last = _write_table(sheet, 4, columns, view.history, formats)
    row = last + 1
    sheet.write_string(row, 1, "Berpredikat (Pratama ke atas)", formats["text+group"])
    for col, year in enumerate(years, start=2):
        awarded = view.history[year].isin([c.nama for c in view.instrument.categories])
        sheet.write_number(row, col, int(awarded.sum()), formats["int+group"])
    _print(sheet, view, config.SHEET_PROVINCE_HISTORY, 4)


def _write_files(
    workbook: Workbook, sheet: Worksheet, view: ProvinceView, formats: dict[str, Any]
) -> None:
    _heading(sheet, view, "Berkas yang Dibaca", formats)
    sheet.write_string(
        2,
        0,
        "Setiap berkas di folder masukan: dipakai, disisihkan (ada hasil lebih baru), ditolak, atau "
        "bukan hasil kabupaten/kota; pesan menyebut letak masalah dan cara memperbaikinya.",
        formats["plain"],
    )
    _write_table(sheet, 4, FILE_COLUMNS, view.files, formats)
    _print(sheet, view, config.SHEET_PROVINCE_FILES, 4)


def _write_data(
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
    kinds = {
        name: ("points" if name.startswith(("nilai", "K")) and name != "kode_wilayah" else "text")
        for name in frame.columns
    }
    kinds["peringkat"] = "int"
    for row, record in enumerate(frame.to_dict("records"), start=1):
        for col, name in enumerate(frame.columns):
            write_value(sheet, row, col, record[name], kinds[name], formats, "")
    sheet.set_column(0, len(frame.columns) - 1, 14)
    _print(sheet, view, config.SHEET_PROVINCE_DATA, 0)


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
