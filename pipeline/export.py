"""Results -> the machine-readable outputs: ringkasan.json and CSV files, written atomically."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline import config, tables
from pipeline.messages import sort_issues
from pipeline.outfiles import write_csv_atomic, write_text_atomic
from pipeline.score.comparison import comparison_summary
from pipeline.score.rollup import kd_completeness, kd_tables
from pipeline.score.verification_status import verification_status, with_verification
from pipeline.words import round_half_up

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
    "status_verifikasi",
    "keputusan_file",
    "keputusan_sel",
)
JSON_DECIMALS = 2
# Question points are multiples of 0.25 of values like 1.25: four decimals keep them exact.
CSV_DECIMALS = 4
# A spreadsheet treats a cell starting with one of these as a formula (CSV injection).
# Text a spreadsheet would run as a formula: = @ tab CR at the start, or + - followed by anything
# (a lone "-" or "+" is shown as text, so placeholders like "-" stay readable).
FORMULA_START = re.compile(r"^(?:[=@\t\r]|[-+].)", re.DOTALL)
FORMULA_FIRST = frozenset("=@\t\r-+")  # the first characters FORMULA_START can match


def write_exports(results: tables.Results, out_dir: Path) -> list[Path]:
    """Write ringkasan.json and the four CSV files into out_dir; return their paths in that order."""
    out_dir = Path(out_dir)
    summary = json.dumps(summary_dict(results), ensure_ascii=False, indent=2) + "\n"
    written = [
        write_text_atomic(out_dir / config.OUT_SUMMARY, summary),
        write_csv_atomic(out_dir / config.OUT_QUESTIONS, question_table(results.scored)),
        write_csv_atomic(out_dir / config.OUT_INDICATORS, csv_safe(results.indicators)),
        write_csv_atomic(out_dir / config.OUT_COMPLETENESS, csv_safe(results.completeness)),
        write_csv_atomic(out_dir / config.OUT_ISSUES, issue_table(results.issues)),
        *[
            write_csv_atomic(out_dir / config.KD_UNITS_FILE, csv_safe(t))
            for t in kd_tables(results)
        ],
    ]
    if results.comparison is not None:
        table = csv_safe(results.comparison.questions)
        written.append(write_csv_atomic(out_dir / config.COMPARISON_FILE, table))
    else:
        (out_dir / config.COMPARISON_FILE).unlink(missing_ok=True)  # no stale comparison
    return written


def summary_dict(results: tables.Results) -> dict[str, Any]:
    """The ringkasan.json content: region, year, totals, categories, clusters, indicators, counts."""
    completeness = results.completeness
    scored = results.scored
    summary = {
        "wilayah": {"kode": results.region.kode, "nama": results.region.nama},
        "tahun": int(results.region.tahun),
        "total": {
            tables.BASE_SELF: _points(results.mandiri.nilai),
            tables.BASE_VERIFIED: _points(results.terverifikasi.nilai),
            "maks": _points(results.instrument.nilai_total),
        },
        "kategori": {
            tables.BASE_SELF: results.mandiri.kategori,
            tables.BASE_VERIFIED: results.terverifikasi.kategori,
        },
        "klaster": _score_map(results.clusters, "klaster"),
        "indikator": _score_map(results.indicators, "indikator"),
        "kelengkapan": {
            "opd_diharapkan": len(completeness),
            "opd_mengirim": results.offices_sent,
            "pertanyaan_total": len(scored),
            "pertanyaan_dijawab": results.questions_answered,
            **kd_completeness(results.kd),
        },
        "verifikasi": verification_counts(results),
    }
    if results.comparison is not None:
        summary["perbandingan"] = comparison_summary(results.comparison, JSON_DECIMALS)
    return summary


def verification_counts(results: tables.Results) -> dict[str, Any]:
    """The round of the next verification workbooks and the number of questions per status."""
    status = verification_status(results.scored).value_counts()
    return {
        "putaran_berikut": int(results.verification_round),
        "status": {name: int(status.get(name, 0)) for name in tables.VERIFICATION_STATUSES},
    }


def question_table(scored: pd.DataFrame) -> pd.DataFrame:
    """nilai_pertanyaan.csv: one row per question; sumber_sel as the sheet-qualified cell."""
    cell = scored["sumber_sel"].astype(str)
    located = (scored["sumber_lembar"].astype(str) + "!" + cell).where(cell != "", "")
    table = with_verification(scored).assign(sumber_sel=located).loc[:, list(QUESTION_COLUMNS)]
    return csv_safe(table)


def issue_table(issues: pd.DataFrame) -> pd.DataFrame:
    """masalah.csv: errors first, then by file, sheet and row; Indonesian column names."""
    return csv_safe(sort_issues(issues)).rename(columns=tables.ISSUES_CSV_HEADERS)


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with floats rounded and text cells that a spreadsheet would run as formulas quoted."""
    columns = {}
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_float_dtype(column):
            columns[name] = column.map(lambda v: round_half_up(v, CSV_DECIMALS))
        elif pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column):
            columns[name] = guard_formulas(column)
        else:
            columns[name] = column
    return pd.DataFrame(columns, index=frame.index)


def guard_formulas(column: pd.Series) -> pd.Series:
    """guard_formula for a whole text column, vectorised; non-text values unchanged."""
    if FORMULA_FIRST.isdisjoint({v[:1] for v in column.tolist() if isinstance(v, str)}):
        return column  # the usual case: no text starts like a formula
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
    columns = (key, "nilai_mandiri", "nilai_terverifikasi", "nilai_maks")
    return {
        str(name): {
            tables.BASE_SELF: _points(self_points),
            tables.BASE_VERIFIED: _points(verified),
            "maks": _points(maximum),
        }
        for name, self_points, verified, maximum in zip(
            *(frame[column].tolist() for column in columns), strict=True
        )
    }


def _points(value: float) -> float:
    return round_half_up(float(value), JSON_DECIMALS)


def machine_summary(results: tables.Results) -> dict[str, Any]:
    """ringkasan.json's content with the format version, the run time, the instrument and the
    publisher of open data (the coordinating office and the coordinator's position), for the
    consolidated workbook's hidden `_ringkasan` sheet (report/machine.py)."""
    region = results.region
    return {
        "format_ringkasan": config.SUMMARY_FORMAT,
        "dibuat": results.generated_at,
        "instrumen": {"id": results.instrument.id, "berkas": region.instrumen.name},
        "penerbit": {
            "nama_skpd": region.offices.get(config.COORDINATOR_ROLE, ""),
            "penanggung_jawab_bidang": region.koordinator.jabatan,
        },
        **summary_dict(results),
    }
