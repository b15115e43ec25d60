"""Results -> the machine-readable outputs: ringkasan.json and CSV files, written atomically."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline import config, tables
from pipeline.merge import STATUS_ANSWERED
from pipeline.messages import sort_issues
from pipeline.outfiles import write_csv_atomic, write_text_atomic
from pipeline.score.completeness import SENT_NONE
from pipeline.score.rollup import kd_completeness, kd_tables

SUMMARY_FILE = "ringkasan.json"
QUESTIONS_FILE = "nilai_pertanyaan.csv"
INDICATORS_FILE = "nilai_indikator.csv"
COMPLETENESS_FILE = "kelengkapan.csv"
ISSUES_FILE = "masalah.csv"
QUESTION_COLUMNS = (
    "kode",
    "klaster",
    "indikator",
    "opd",
    "jawaban",
    "data_dukung",
    "nilai_maks",
    "nilai_mandiri",
    "nilai_terverifikasi",
    "status",
    "sumber_file",
    "sumber_sel",
)
JSON_DECIMALS = 2
# Question points are multiples of 0.25 of values like 1.25: four decimals keep them exact.
CSV_DECIMALS = 4
# A spreadsheet treats a cell starting with one of these as a formula (CSV injection).
# Text a spreadsheet would run as a formula: = @ tab CR at the start, or + - followed by anything
# (a lone "-" or "+" is shown as text, so placeholders like "-" stay readable).
FORMULA_START = re.compile(r"^(?:[=@\t\r]|[-+].)", re.DOTALL)


def write_exports(results: tables.Results, out_dir: Path) -> list[Path]:
    """Write ringkasan.json and the four CSV files into out_dir; return their paths in that order."""
    out_dir = Path(out_dir)
    summary = json.dumps(summary_dict(results), ensure_ascii=False, indent=2) + "\n"
    return [
        write_text_atomic(out_dir / SUMMARY_FILE, summary),
        write_csv_atomic(out_dir / QUESTIONS_FILE, question_table(results.scored)),
        write_csv_atomic(out_dir / INDICATORS_FILE, csv_safe(results.indicators)),
        write_csv_atomic(out_dir / COMPLETENESS_FILE, csv_safe(results.completeness)),
        write_csv_atomic(out_dir / ISSUES_FILE, issue_table(results.issues)),
        *[
            write_csv_atomic(out_dir / config.KD_UNITS_FILE, csv_safe(t))
            for t in kd_tables(results)
        ],
    ]


def summary_dict(results: tables.Results) -> dict[str, Any]:
    """The ringkasan.json content: region, year, totals, categories, clusters, indicators, counts."""
    completeness = results.completeness
    scored = results.scored
    return {
        "wilayah": {"kode": results.region.kode, "nama": results.region.nama},
        "tahun": int(results.region.tahun),
        "total": {
            "mandiri": _points(results.mandiri.nilai),
            "terverifikasi": _points(results.terverifikasi.nilai),
            "maks": _points(results.instrument.nilai_total),
        },
        "kategori": {
            "mandiri": results.mandiri.kategori,
            "terverifikasi": results.terverifikasi.kategori,
        },
        "klaster": _score_map(results.clusters, "klaster"),
        "indikator": _score_map(results.indicators, "indikator"),
        "kelengkapan": {
            "opd_diharapkan": len(completeness),
            "opd_mengirim": int((completeness["status_kirim"] != SENT_NONE).sum()),
            "pertanyaan_total": len(scored),
            "pertanyaan_dijawab": int((scored["status"] == STATUS_ANSWERED).sum()),
            **kd_completeness(results.kd),
        },
    }


def question_table(scored: pd.DataFrame) -> pd.DataFrame:
    """nilai_pertanyaan.csv: one row per question; sumber_sel as the sheet-qualified cell."""
    cell = scored["sumber_sel"].astype(str)
    located = (scored["sumber_sheet"].astype(str) + "!" + cell).where(cell != "", "")
    table = scored.assign(sumber_sel=located).loc[:, list(QUESTION_COLUMNS)]
    return csv_safe(table)


def issue_table(issues: pd.DataFrame) -> pd.DataFrame:
    """masalah.csv: errors first, then by file, sheet and row as the office reads its workbook."""
    return csv_safe(sort_issues(issues))


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with floats rounded and text cells that a spreadsheet would run as formulas quoted."""
    columns = {}
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_float_dtype(column):
            columns[name] = column.round(CSV_DECIMALS)
        elif pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column):
            columns[name] = guard_formulas(column)
        else:
            columns[name] = column
    return pd.DataFrame(columns, index=frame.index)


def guard_formulas(column: pd.Series) -> pd.Series:
    """guard_formula for a whole text column, vectorised; non-text values unchanged."""
    try:
        starts = column.str.match(FORMULA_START, na=False).astype(bool)
    except AttributeError:  # no text at all in the column
        return column
    return column.mask(starts, "'" + column.astype(str))


def guard_formula(value: Any) -> Any:
    """Prefix an apostrophe to text a spreadsheet would run as a formula; other values unchanged."""
    if isinstance(value, str) and FORMULA_START.match(value):
        return "'" + value
    return value


def _score_map(frame: pd.DataFrame, key: str) -> dict[str, dict[str, float]]:
    return {
        str(row[key]): {
            "mandiri": _points(row["nilai_mandiri"]),
            "terverifikasi": _points(row["nilai_terverifikasi"]),
            "maks": _points(row["nilai_maks"]),
        }
        for _, row in frame.iterrows()
    }


def _points(value: float) -> float:
    rounded = round(float(value), JSON_DECIMALS)
    return rounded + 0.0  # turns -0.0 into 0.0
