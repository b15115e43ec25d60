"""The Ringkasan sheet: totals and categories, a table per group, completeness, two native charts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipeline import config, tables
from pipeline.report.comparison import write_previous_line
from pipeline.report.style import (
    add_percent_colours,
    cell_text,
    write_legend,
    write_value,
)
from pipeline.report.verification import progress_line
from pipeline.words import format_date

TOTALS_ROW = 5  # zero-based header row of the totals block (row 6 in Excel)
GROUPS_ROW = 12  # zero-based header row of the table per group (below three status lines)
GROUP_HEADERS = (
    config.COL_CODE,
    config.COL_CLUSTER,
    "Nilai maks",
    "Nilai mandiri",
    "Nilai terverifikasi",
    "% mandiri",
    "% terverifikasi",
)
TOTALS_HEADERS = ("", "Nilai", "Kategori", "Kategori berikutnya", "Kurang (poin)")
WIDTHS = (8, 46, 13, 24, 20, 14, 14, 2)
CHART_COL = 8  # charts start in column I
CHART_SIZE = {"x_scale": 1.3, "y_scale": 1.45}
SECOND_CHART_ROW = 21
PRINT_LAST_COL = 18  # the charts end in column R
PRINT_LAST_ROW = 42  # the second chart ends near row 42
CHART_COLOURS = ("#A6A6A6", "#2E75B6", "#70AD47")
THRESHOLD_COLOURS = ("#375623", "#548235", "#BF8F00", "#C55A11", "#C00000")  # KLA .. Pratama


def made_at(generated_at: str) -> str:
    """The run time the Indonesian way ("2 April 2024 pukul 10.15"), or as given if not ISO."""
    try:
        moment = dt.datetime.fromisoformat(generated_at)
    except ValueError:
        return cell_text(generated_at)
    return f"{format_date(moment.date())} pukul {moment:%H.%M}"


def completeness_line(results: tables.Results) -> str:
    completeness = results.completeness
    return (
        f"Kelengkapan: {results.offices_sent} dari {len(completeness)} OPD mengirim; "
        f"{results.questions_answered} dari {len(results.scored)} pertanyaan dijawab."
    )


def write_summary(
    workbook: Workbook, sheet: Worksheet, results: tables.Results, formats: dict[str, Any]
) -> int:
    """Write the Ringkasan sheet; return the last row of its print area."""
    for col, width in enumerate(WIDTHS):
        sheet.set_column(col, col, width)
    _write_heading(sheet, results, formats)
    _write_totals(sheet, results, formats)
    sheet.write_string(TOTALS_ROW + 4, 0, completeness_line(results), formats["line"])
    write_previous_line(sheet, TOTALS_ROW + 6, results, formats)  # progress is on TOTALS_ROW + 5
    last_group = _write_groups(sheet, results, formats)
    write_legend(sheet, last_group + 1, 1, "Warna persentase:", formats)
    thresholds_row = last_group + 3
    last = _write_thresholds(sheet, thresholds_row, results, formats)
    _add_group_chart(workbook, sheet, last_group)
    _add_total_chart(workbook, sheet, results, thresholds_row, last)
    return max(last, PRINT_LAST_ROW)


def _write_heading(sheet: Worksheet, results: tables.Results, formats: dict[str, Any]) -> None:
    region = results.region
    files = results.files
    verification = files["format_template"].astype(str).str.startswith(config.VERIFICATION_KIND)
    offices = (files["status"] == tables.FILE_USED) & ~verification
    used = int(offices.sum()) if len(files) else 0  # verification workbooks are not OPD workbooks
    kecamatan = results.kd.kecamatan_mengirim if results.kd is not None else 0
    used -= kecamatan  # kecamatan workbooks are named on their own
    sheet.set_row(0, 24)
    sheet.write_string(0, 0, f"Hasil Evaluasi Mandiri KLA {region.tahun}", formats["title"])
    sheet.write_string(1, 0, cell_text(region.nama), formats["subtitle"])
    sheet.write_string(
        2,
        0,
        f"Dibuat {made_at(results.generated_at)} dari {used} berkas isian OPD"
        + (f" dan {kecamatan} berkas kecamatan" if kecamatan else "")
        + f"; {cell_text(results.instrument.nama)}.",
        formats["plain"],
    )
    if results.example:
        sheet.write_string(
            3, 0, "CONTOH: data fiktif, bukan hasil wilayah sebenarnya.", formats["warning"]
        )


def _write_totals(sheet: Worksheet, results: tables.Results, formats: dict[str, Any]) -> None:
    for col, header in enumerate(TOTALS_HEADERS, start=1):
        sheet.write_string(TOTALS_ROW, col, header, formats["header"])
    rows = (
        ("Nilai mandiri", results.mandiri),
        ("Nilai terverifikasi", results.terverifikasi),
    )
    for offset, (label, totals) in enumerate(rows, start=1):
        row = TOTALS_ROW + offset
        sheet.set_row(row, 32)
        sheet.write_string(row, 1, label, formats["big_label"])
        sheet.write_number(row, 2, totals.nilai, formats["big_points"])
        sheet.write_string(row, 3, totals.kategori or "Belum berpredikat", formats["big_text"])
        sheet.write_string(row, 4, totals.kategori_berikut or "-", formats["mid_text"])
        sheet.write_number(row, 5, totals.kurang, formats["mid_points"])
    sheet.write_string(
        TOTALS_ROW + 3,
        1,
        "Nilai terverifikasi: keputusan verifikator bila ada; tanpa keputusan hanya jawaban "
        "dengan data dukung yang jelas.",
        formats["plain"],
    )
    sheet.write_string(TOTALS_ROW + 5, 0, progress_line(results), formats["line"])


def _write_groups(sheet: Worksheet, results: tables.Results, formats: dict[str, Any]) -> int:
    """The table per group plus a total row; return the total row."""
    for col, header in enumerate(GROUP_HEADERS):
        sheet.write_string(GROUPS_ROW, col, header, formats["header"])
    scores = {
        str(kode): (float(mandiri), float(verified))
        for kode, mandiri, verified in results.clusters[
            ["klaster", "nilai_mandiri", "nilai_terverifikasi"]
        ].itertuples(index=False)
    }
    row = GROUPS_ROW
    for cluster in results.instrument.clusters:
        row += 1
        mandiri, verified = scores.get(cluster.kode, (0.0, 0.0))
        _write_group_row(
            sheet,
            row,
            (cluster.kode, cluster.lembar),
            cluster.nilai_maks,
            mandiri,
            verified,
            formats,
            "",
        )
    total_max = sum(c.nilai_maks for c in results.instrument.clusters)
    _write_group_row(
        sheet,
        row + 1,
        ("", "Total"),
        total_max,
        results.mandiri.nilai,
        results.terverifikasi.nilai,
        formats,
        "group",
    )
    add_percent_colours(sheet, GROUPS_ROW + 1, row + 1, 5, formats)
    add_percent_colours(sheet, GROUPS_ROW + 1, row + 1, 6, formats)
    return row + 1


def _write_group_row(
    sheet: Worksheet,
    row: int,
    names: tuple[str, str],
    maximum: float,
    mandiri: float,
    verified: float,
    formats: dict[str, Any],
    variant: str,
) -> None:
    values = (
        (names[0], "text"),
        (names[1], "text"),
        (maximum, "points"),
        (mandiri, "points"),
        (verified, "points"),
        (mandiri / maximum if maximum else None, "percent"),
        (verified / maximum if maximum else None, "percent"),
    )
    for col, (value, kind) in enumerate(values):
        write_value(sheet, row, col, value, kind, formats, variant)


def _write_thresholds(
    sheet: Worksheet, first: int, results: tables.Results, formats: dict[str, Any]
) -> int:
    """Totals and every category's minimum side by side (the data of the threshold chart)."""
    headers = ("", "Total terhadap ambang kategori", "Mandiri", "Terverifikasi")
    for col, header in enumerate(headers[1:], start=1):
        sheet.write_string(first, col, header, formats["header"])
    sheet.write_string(first + 1, 1, "Nilai total", formats["text+group"])
    sheet.write_number(first + 1, 2, results.mandiri.nilai, formats["points+group"])
    sheet.write_number(first + 1, 3, results.terverifikasi.nilai, formats["points+group"])
    row = first + 1
    for category in results.instrument.categories:
        row += 1
        sheet.write_string(
            row, 1, f"Ambang {category.nama} (min. {category.minimum:g})", formats["text"]
        )
        sheet.write_number(row, 2, category.minimum, formats["points"])
        sheet.write_number(row, 3, category.minimum, formats["points"])
    return row


def _add_group_chart(workbook: Workbook, sheet: Worksheet, total_row: int) -> None:
    """Column chart: points per group, mandiri and terverifikasi beside the maximum."""
    name = sheet.get_name()
    chart = workbook.add_chart({"type": "column"})
    first, last = GROUPS_ROW + 1, total_row - 1
    for col, colour in zip((2, 3, 4), CHART_COLOURS, strict=True):
        chart.add_series(
            {
                "name": [name, GROUPS_ROW, col],
                "categories": [name, first, 1, last, 1],
                "values": [name, first, col, last, col],
                "fill": {"color": colour},
                "gap": 80,
            }
        )
    chart.set_title({"name": "Nilai per klaster", "name_font": {"size": 11}})
    chart.set_y_axis({"min": 0, "num_format": "0", "major_gridlines": {"visible": True}})
    chart.set_legend({"position": "bottom"})
    sheet.insert_chart(0, CHART_COL, chart, {**CHART_SIZE, "x_offset": 5, "y_offset": 5})


def _add_total_chart(
    workbook: Workbook, sheet: Worksheet, results: tables.Results, first: int, last: int
) -> None:
    """Columns for the two totals with one horizontal line per category threshold."""
    name = sheet.get_name()
    chart = workbook.add_chart({"type": "column"})
    chart.add_series(
        {
            "name": "Nilai total",
            "categories": [name, first, 2, first, 3],
            "values": [name, first + 1, 2, first + 1, 3],
            "fill": {"color": CHART_COLOURS[1]},
            "data_labels": {"value": True, "num_format": "0.00"},
            "gap": 120,
        }
    )
    lines = workbook.add_chart({"type": "line"})
    for index, row in enumerate(range(first + 2, last + 1)):
        colour = THRESHOLD_COLOURS[index % len(THRESHOLD_COLOURS)]
        lines.add_series(
            {
                "name": [name, row, 1],
                "categories": [name, first, 2, first, 3],
                "values": [name, row, 2, row, 3],
                "line": {"width": 2, "dash_type": "dash", "color": colour},
                "marker": {"type": "none"},
            }
        )
    chart.combine(lines)
    maximum = results.instrument.nilai_total or 1000
    chart.set_title({"name": "Total terhadap ambang kategori", "name_font": {"size": 11}})
    chart.set_y_axis({"min": 0, "max": maximum, "num_format": "0"})
    chart.set_legend({"position": "right"})
    sheet.insert_chart(
        SECOND_CHART_ROW, CHART_COL, chart, {**CHART_SIZE, "x_offset": 5, "y_offset": 10}
    )
