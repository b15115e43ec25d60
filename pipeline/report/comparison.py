"""The Perbandingan sheet and the Ringkasan line: last year beside this year (verified points)."""

from __future__ import annotations

from typing import Any

import pandas as pd
from xlsxwriter.worksheet import Worksheet

from pipeline import config, tables
from pipeline.report.style import Column, cell_text, write_header
from pipeline.report.table import FIRST_ROW, LEGEND_ROW, VARIANT, write_rows, write_table_sheet
from pipeline.words import points

FLAG_TEXTS = {
    tables.FLAG_REGULATION_LOST: "regulasi tahun lalu tidak ada lagi",
    tables.FLAG_REGULATION_DOWN: "regulasi turun tingkat",
    tables.FLAG_PERCENT_MOVED: "persen berubah lebih dari ambang",
    tables.FLAG_EVIDENCE_LOST: "data dukung diterima tahun lalu, kini tidak ada",
    tables.FLAG_SAME_ANSWER_NO_EVIDENCE: "jawaban sama, data dukung hilang",
}
UNMATCHED_COLUMNS = (
    Column("Kode lama", "kode_lama", width=14),
    Column("Kode baru", "kode_baru", width=14),
    Column("Perubahan", "perubahan", width=14),
)
NEGATIVE = {"type": "cell", "criteria": "<", "value": -0.005}


def columns(lalu: int, kini: int) -> tuple[Column, ...]:
    return (
        Column(config.COL_CODE, "kode", width=12),
        Column("Kode lalu", "kode_lalu", width=12),
        Column("Perubahan", "perubahan", width=11),
        Column(config.COL_QUESTION, "pertanyaan", width=50),
        Column(f"Jawaban {lalu}", "jawaban_lalu", width=16),
        Column(f"Jawaban {kini}", "jawaban_kini", width=16),
        Column(f"Verifikasi {lalu}", "status_verifikasi_lalu", width=16),
        Column(f"Nilai {lalu}", "nilai_lalu", "points", width=10),
        Column(f"Nilai {kini}", "nilai_kini", "points", width=10),
        Column("Selisih", "selisih", "points", width=10),
        Column("Tanda", "tanda", width=34),
    )


def comparison_rows(comparison: tables.Comparison) -> pd.DataFrame:
    """Cluster row, then each indicator row followed by its questions (sums over mapped ones)."""
    questions = comparison.questions
    blocks = []
    for cluster in comparison.clusters.itertuples(index=False):
        blocks.append(_group_frame(cluster))
        for indicator in comparison.indicators.itertuples(index=False):
            own = questions[
                (questions["indikator"] == indicator.kode) & (questions["klaster"] == cluster.kode)
            ]
            if len(own):
                blocks.append(_group_frame(indicator))
                blocks.append(own.assign(tanda=own["tanda"].map(_flag_text), **{VARIANT: ""}))
    return pd.concat(blocks, ignore_index=True) if blocks else pd.DataFrame()


def _group_frame(group: Any) -> pd.DataFrame:
    flagged = f"{group.tanda} pertanyaan bertanda" if group.tanda else ""
    return pd.DataFrame(
        [
            {
                "kode": group.kode,
                "pertanyaan": group.nama,
                "nilai_lalu": group.nilai_lalu,
                "nilai_kini": group.nilai_kini,
                "selisih": group.selisih,
                "tanda": flagged,
                VARIANT: "group",
            }
        ]
    )


def _flag_text(tanda: str) -> str:
    return "; ".join(FLAG_TEXTS.get(f, f) for f in tanda.split("; ") if f)


def totals_line(comparison: tables.Comparison, kini: int) -> str:
    """Both years' verified totals; over mapped questions only when the instrument changed."""
    lalu = comparison.tahun_lalu
    line = (
        f"Nilai terverifikasi {lalu}: {points(comparison.total_lalu)}; "
        f"{kini}: {points(comparison.total_kini)}"
    )
    if comparison.changed:
        count = int(comparison.questions["nilai_lalu"].notna().sum())
        line += (
            f". Instrumen berubah; sebanding ({count} pertanyaan berpadanan): "
            f"{points(comparison.sebanding_lalu)} -> {points(comparison.sebanding_kini)}"
        )
    change = comparison.sebanding_kini - comparison.sebanding_lalu
    return f"{line} (selisih {'+' if change >= 0 else ''}{points(change)})."


def write_comparison_sheet(
    sheet: Worksheet, results: tables.Results, formats: dict[str, Any]
) -> None:
    """The Perbandingan sheet: totals line, flag legend, grouped rows, then the unmatched list."""
    comparison = results.comparison
    if comparison is None:
        return
    kini = results.region.tahun
    cols = columns(comparison.tahun_lalu, kini)
    flagged = int((comparison.questions["tanda"] != "").sum())
    subtitle = f"{totals_line(comparison, kini)} {flagged} pertanyaan bertanda. Sumber: {cell_text(comparison.source)}."
    rows = comparison_rows(comparison)
    last = write_table_sheet(
        sheet,
        f"Perbandingan dengan Tahun {comparison.tahun_lalu}",
        subtitle,
        cols,
        rows,
        formats,
        outline=True,
    )
    legend = "Tanda: " + "; ".join(FLAG_TEXTS.values()) + ". Nilai = nilai terverifikasi."
    sheet.write_string(LEGEND_ROW, 0, legend, formats["plain"])
    selisih = [c.field for c in cols].index("selisih")
    sheet.conditional_format(
        FIRST_ROW, selisih, last, selisih, {**NEGATIVE, "format": formats["cf_red"]}
    )
    _write_unmatched(sheet, last + 2, comparison.unmatched, formats)
    sheet.outline_settings(True, False, True, False)  # group symbols above: indicator rows


def _write_unmatched(
    sheet: Worksheet, row: int, unmatched: pd.DataFrame, formats: dict[str, Any]
) -> None:
    title = "Pertanyaan tanpa padanan (tidak dibandingkan, tidak ditebak)"
    sheet.write_string(row, 0, title, formats["bold"])
    if not len(unmatched):
        sheet.write_string(row + 1, 0, "Tidak ada: setiap pertanyaan berpadanan.", formats["plain"])
        return
    widths = [float(c.width) for c in UNMATCHED_COLUMNS]
    write_header(sheet, row + 1, UNMATCHED_COLUMNS, formats)
    write_rows(
        sheet, row + 2, UNMATCHED_COLUMNS, unmatched.assign(**{VARIANT: ""}), formats, widths
    )


def with_comparison_sheet(names: list[str]) -> list[str]:
    """Sheet names with Perbandingan after Verifikasi when there is one, else after Rekomendasi."""
    present = [name for name in config.SHEET_COMPARISON_AFTER if name in names]
    position = names.index(present[0]) + 1 if present else len(names)
    return [*names[:position], config.SHEET_COMPARISON, *names[position:]]


def write_previous_line(
    sheet: Worksheet, row: int, results: tables.Results, formats: dict[str, Any]
) -> None:
    """Ringkasan: both years' totals on one line (nothing without SEBELUMNYA)."""
    if results.comparison is not None:
        line = totals_line(results.comparison, results.region.tahun)
        sheet.write_string(row, 0, f"Dibanding tahun lalu: {line}", formats["bold"])


def comparison_line(comparison: tables.Comparison, kini: int) -> str:
    """The screen's line: both totals and how many questions are flagged."""
    flagged = int((comparison.questions["tanda"] != "").sum())
    return (
        f"Dibanding tahun {comparison.tahun_lalu}: {totals_line(comparison, kini)} "
        f"{flagged} pertanyaan bertanda (lihat lembar {config.SHEET_COMPARISON} dan "
        f"{config.COMPARISON_FILE})."
    )
