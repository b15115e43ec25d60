"""Scores + issues + completeness -> the consolidated workbook officials read and print (xlsxwriter)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.workbook import Workbook

from pipeline import config, tables
from pipeline.instrument import Instrument
from pipeline.outfiles import atomic_path
from pipeline.report.comparison import with_comparison_sheet, write_comparison_sheet
from pipeline.report.kd import write_kd_sections
from pipeline.report.machine import write_machine_sheet
from pipeline.report.sheets import (
    set_data_print,
    write_cluster_sheet,
    write_completeness_sheet,
    write_data_sheet,
    write_issues_sheet,
    write_recommendations_sheet,
)
from pipeline.report.style import add_formats, cell_text, set_print
from pipeline.report.summary import PRINT_LAST_COL, write_summary
from pipeline.report.table import HEADER_ROW
from pipeline.report.verification import write_verification_sheet

DATA_TABLE = "DataKLA"
# Used for the document's creation time when the run time is not ISO 8601.
FALLBACK_CREATED = dt.datetime(2000, 1, 1)


def sheet_names(instrument: Instrument, comparison: bool = False) -> list[str]:
    """The report's sheets in order; cluster sheets are named by the instrument (`lembar`)."""
    clusters = [c.lembar for c in instrument.clusters]
    names = [
        config.REPORT_SUMMARY,
        *clusters,
        config.REPORT_COMPLETENESS,
        config.REPORT_RECOMMENDATIONS,
        config.SHEET_VERIFICATION,
        config.REPORT_ISSUES,
        config.REPORT_DATA,
    ]
    return with_comparison_sheet(names) if comparison else names


def report_filename(results: tables.Results) -> str:
    """`Konsolidasi_KLA_<wilayah>_<tahun>.xlsx`, wilayah being a file-safe short region name."""
    short = re.sub(r"[^0-9A-Za-z]+", "_", results.region.nama_singkat).strip("_")[:60]
    return f"{config.OUT_REPORT_PREFIX}{short or 'wilayah'}_{results.region.tahun}.xlsx"


def write_report(
    results: tables.Results,
    path: Path,
    *,
    sheets: Collection[str] | None = None,
    summary: dict[str, Any] | None = None,
) -> Path:
    """Write the consolidated workbook atomically; return its path.

    Args:
        sheets: write only these sheets (for previews and tests); all when None.
        summary: export.machine_summary(results), kept in the very hidden `_ringkasan` sheet.
    """
    path = Path(path)
    with atomic_path(path) as tmp:
        workbook = xlsxwriter.Workbook(str(tmp), config.XLSXWRITER_OPTIONS)
        _set_properties(workbook, results)
        formats = add_formats(workbook)
        for name in sheet_names(results.instrument, results.comparison is not None):
            if sheets is None or name in sheets:
                _write_sheet(workbook, name, results, formats)
        if sheets is None and summary is not None:
            write_machine_sheet(workbook, summary)
        workbook.close()
    return path


def _set_properties(workbook: Workbook, results: tables.Results) -> None:
    """Fixed document properties: `created` is the newest saved time of the workbooks used, so the
    same inputs give the same properties (the run time is shown on Ringkasan, not here)."""
    region = results.region
    created = data_time(results.files)
    workbook.set_properties(
        {
            "title": cell_text(f"Konsolidasi KLA {region.nama} {region.tahun}"),
            "subject": cell_text(results.instrument.nama),
            "author": "KLA Konsolidasi",
            "company": cell_text(region.nama),
            "created": created,
        }
    )


def data_time(files: pd.DataFrame) -> dt.datetime:
    """The newest saved time of the used workbooks (naive UTC), or a fixed date when there is none."""
    used = files.loc[files["status"] == tables.FILE_USED, "disimpan"].astype(str)
    moments = []
    for text in used:
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            continue
        if moment.tzinfo is not None:
            moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
        moments.append(moment)
    return max(moments, default=FALLBACK_CREATED)


def _write_sheet(
    workbook: Workbook, name: str, results: tables.Results, formats: dict[str, Any]
) -> None:
    sheet = workbook.add_worksheet(name)
    region, year = results.region.nama, results.region.tahun
    clusters = {c.lembar: c for c in results.instrument.clusters}
    repeat: int | None = HEADER_ROW
    if name == config.REPORT_SUMMARY:
        last = write_summary(workbook, sheet, results, formats)
        sheet.print_area(0, 0, last, PRINT_LAST_COL)
        sheet.activate()
        set_print(sheet, region=region, year=year, title=name, repeat_row=None, one_page=True)
        return
    if name in clusters:
        last = write_cluster_sheet(sheet, clusters[name], results, formats)
        write_kd_sections(workbook, sheet, clusters[name], results, formats, last)
    elif name == config.REPORT_COMPLETENESS:
        write_completeness_sheet(sheet, results, formats)
    elif name == config.REPORT_RECOMMENDATIONS:
        write_recommendations_sheet(sheet, results, formats)
    elif name == config.SHEET_VERIFICATION:
        write_verification_sheet(sheet, results, formats)
    elif name == config.REPORT_ISSUES:
        write_issues_sheet(sheet, results, formats)
    elif name == config.SHEET_COMPARISON:
        write_comparison_sheet(sheet, results, formats)
    else:
        write_data_sheet(sheet, results, formats, DATA_TABLE)
        repeat = 0
    set_print(sheet, region=region, year=year, title=name, repeat_row=repeat)
    if repeat == 0:  # the Data sheet
        set_data_print(sheet)
