"""Raw cells -> validated answers: normalise, check with a pandera schema built from the instrument."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from pipeline import tables
from pipeline.answers import Normalised, classify_evidence, clean_text, normalise_answer
from pipeline.instrument import Instrument, Scale
from pipeline.messages import issue, issues_frame, records
from pipeline.pandera_lib import pa

UNKNOWN_SCALE = Scale(jenis="", nama="")


def build_schema(instrument: Instrument) -> pa.DataFrameSchema:
    """One nullable column per answer type (jenis), its checks named by issue code."""
    columns = {
        jenis: pa.Column(None, _scale_checks(scale), nullable=True, required=False)
        for jenis, scale in instrument.scales.items()
    }
    return pa.DataFrameSchema(columns, name="jawaban")


def _scale_checks(scale: Scale) -> list[pa.Check]:
    if scale.is_label:
        labels = list(scale.labels)
        return [pa.Check(lambda s: s.isin(labels), name="label-tidak-dikenal")]
    low = -np.inf if scale.minimum is None else scale.minimum
    high = np.inf if scale.maximum is None else scale.maximum
    checks = [pa.Check(lambda s: s.astype(float).between(low, high), name="nilai-di-luar-rentang")]
    if scale.whole:
        checks.append(pa.Check(lambda s: s.astype(float) % 1 == 0, name="bukan-bilangan-bulat"))
    return checks


def expected_range(scale: Scale) -> str:
    """The allowed numbers in words: `0 sampai 100`, `0 atau lebih`."""
    if scale.minimum is not None and scale.maximum is not None:
        return f"{scale.minimum:g} sampai {scale.maximum:g}"
    if scale.minimum is not None:
        return f"{scale.minimum:g} atau lebih"
    return f"paling besar {scale.maximum:g}" if scale.maximum is not None else "angka"


def schema_failures(
    normalised: list[Normalised], jenis: list[str], instrument: Instrument
) -> dict[int, list[str]]:
    """Issue codes by row position, from ONE lazy pandera validation of the whole frame."""
    frame = pd.DataFrame(
        {
            name: pd.Series(
                [
                    _check_value(n, scale) if j == name else None
                    for n, j in zip(normalised, jenis, strict=True)
                ],
                dtype=object,
            )
            for name, scale in instrument.scales.items()
        }
    )
    failures: dict[int, list[str]] = {}
    try:
        build_schema(instrument).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases.dropna(subset=["index"])
        for position, code in zip(cases["index"], cases["check"], strict=True):
            failures.setdefault(int(position), []).append(str(code))
    return failures


def _check_value(item: Normalised, scale: Scale) -> Any:
    if item.problem or item.jawaban == "":
        return None
    return item.jawaban if scale.is_label else item.nilai


def validate_answers(
    cells: pd.DataFrame, instrument: Instrument, vague: Callable[[str], bool] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(ANSWERS, ISSUES) for the CELLS of every used workbook. Pure: `cells` is not changed.

    Args:
        vague: tells Data Dukung a verifier would not accept (verification_rules.is_vague).
    """
    cells = cells.reset_index(drop=True)
    by_code = {q.kode: q.jenis for q in instrument.questions}
    jenis = [by_code.get(str(kode), "") for kode in cells["kode"]]
    normalised = [
        normalise_answer(value, instrument.scales[j]) if j else Normalised(clean_text(value))
        for value, j in zip(cells["jawaban_mentah"], jenis, strict=True)
    ]
    failures = schema_failures(normalised, jenis, instrument)
    evidence = [
        classify_evidence(value, instrument.scoring.no_evidence)
        for value in cells["data_dukung_mentah"]
    ]
    rows: list[dict[str, Any]] = []
    issues: list[dict[str, str]] = []
    for position, record in enumerate(records(cells)):
        scale = instrument.scales.get(jenis[position], UNKNOWN_SCALE)
        codes = _error_codes(normalised[position], failures.get(position, []))
        if scale is UNKNOWN_SCALE:
            codes = ["kode-tidak-dikenal"]
        issues += _answer_issues(record, normalised[position], codes, scale)
        row = _answer_row(record, normalised[position], evidence[position], codes)
        issues += _evidence_issues(record, row, evidence[position][2], vague)
        rows.append(row)
    answers = pd.DataFrame(rows, columns=list(tables.ANSWERS))
    answers["nilai_angka"] = answers["nilai_angka"].astype(float)
    answers["diterima"] = answers["diterima"].astype(bool)
    return answers, issues_frame(issues)


def _error_codes(item: Normalised, failed: list[str]) -> list[str]:
    return [item.problem] if item.problem else failed


def _answer_row(
    record: dict[str, Any], item: Normalised, evidence: tuple[str, str, bool], codes: list[str]
) -> dict[str, Any]:
    rejected = bool(codes)
    status = (
        tables.STATUS_REJECTED
        if rejected
        else tables.STATUS_ANSWERED
        if item.jawaban
        else tables.STATUS_UNANSWERED
    )
    text, kind, _ = evidence
    return {
        **{name: record[name] for name in tables.CELLS},
        "jawaban": "" if rejected else item.jawaban,
        "nilai_angka": np.nan if rejected or item.nilai is None else item.nilai,
        "data_dukung": text,
        "data_dukung_jenis": kind,
        "keterangan": clean_text(record["keterangan_mentah"]),
        "diterima": not rejected,
        "status_jawaban": status,
    }


def _answer_issues(
    record: dict[str, Any], item: Normalised, codes: list[str], scale: Scale
) -> list[dict[str, str]]:
    at = _place(record, "jawaban_sel")
    found = clean_text(record["jawaban_mentah"])
    fields = {"expected": expected_range(scale), "allowed": ", ".join(scale.labels)}
    found_issues = [
        issue(
            code,
            value=str(record["kode"]) if code == "kode-tidak-dikenal" else found,
            **at,
            **fields,
        )
        for code in codes
    ]
    if codes:
        return found_issues
    if item.changed:
        found_issues.append(
            issue("jawaban-dinormalisasi", value=found, normalised=item.jawaban, **at)
        )
    if item.ambiguous and item.nilai is not None:
        percent = clean_text(round(item.nilai * 100, 6))
        found_issues.append(issue("persen-ambigu", value=item.jawaban, percent=percent, **at))
    return found_issues


def _evidence_issues(
    record: dict[str, Any],
    row: dict[str, Any],
    clear: bool,
    vague: Callable[[str], bool] | None = None,
) -> list[dict[str, str]]:
    at = _place(record, "data_dukung_sel")
    found = clean_text(record["data_dukung_mentah"])
    if (
        row["status_jawaban"] == tables.STATUS_ANSWERED
        and row["data_dukung_jenis"] == tables.EVIDENCE_NONE
    ):
        return [issue("tanpa-data-dukung", value=found, **at)]
    if vague is not None and row["data_dukung"] and vague(str(row["data_dukung"])):
        return [issue("data-dukung-samar", value=found, **at)]
    if not clear:
        return [issue("data-dukung-tidak-jelas", value=found, **at)]
    return []


def _place(record: dict[str, Any], cell_column: str) -> dict[str, str]:
    return {
        "file": str(record["file"]),
        "sheet": str(record["sheet"]),
        "cell": str(record[cell_column]),
        "kode": str(record["kode"]),
    }
