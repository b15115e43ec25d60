"""The province workbook Provinsi_KLA_<provinsi>_<tahun>.xlsx (xlsxwriter): the Ringkasan sheet
(ranking, category counts, two charts) here, the table sheets in sheets.py. Print-ready."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipeline import config, tables
from pipeline.outfiles import atomic_path
from pipeline.province.rank import ProvinceView
from pipeline.province.sheets import (
    HEADER_ROW_HEIGHT,
    heading,
    print_setup,
    write_clusters,
    write_data,
    write_files,
    write_history,
    write_indicators,
    write_table,
    write_verification,
)
from pipeline.report.style import (
    Column,
    cell_text,
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
FIRST_TABLE_ROW = 9  # zero-based header row of the ranking table (row 10 in Excel)
CHART_COL = 9  # charts start in column J
CHART_MAX_BARS = 40  # above this many kab/kota the totals chart is left out (unreadable)
ONE_PAGE_ROWS = 40
CHART_COLOURS = ("#2E75B6", "#70AD47")


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
            config.SHEET_PROVINCE_CLUSTERS: write_clusters,
            config.SHEET_PROVINCE_INDICATORS: write_indicators,
            config.SHEET_PROVINCE_VERIFICATION: write_verification,
            config.SHEET_PROVINCE_HISTORY: write_history,
            config.SHEET_PROVINCE_FILES: write_files,
            config.SHEET_PROVINCE_DATA: write_data,
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
    heading(sheet, view, "Rekap Evaluasi", formats)
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
    last = write_table(sheet, FIRST_TABLE_ROW, RANKING_COLUMNS, view.ranking, formats)
    sheet.set_column(0, 0, 10)
    categories_row = last + 2
    sheet.write_string(categories_row, 0, "Sebaran kategori", formats["bold"])
    category_last = _write_category_table(sheet, categories_row + 1, view, formats)
    _add_category_chart(workbook, sheet, categories_row + 1, category_last)
    if len(view.sent) <= CHART_MAX_BARS:
        _add_totals_chart(workbook, sheet, view)
    sheet.activate()
    sheet.print_area(0, 0, max(category_last, FIRST_TABLE_ROW + 30), CHART_COL + 8)
    print_setup(
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
    # the headers sit in the narrower ranking columns: "Jumlah (terverifikasi)" needs three lines
    sheet.set_row(first, HEADER_ROW_HEIGHT * 1.5)
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
