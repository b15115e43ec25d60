"""This year's scores beside last year's carried values: per question, indicator, cluster; flags.

Pure: DataFrames in, a new Comparison out. Points are the verified points (nilai_terverifikasi).
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from pipeline import tables
from pipeline.answers import label_key
from pipeline.instrument import Instrument
from pipeline.mapping import DROPPED, NEW, ComparisonSettings, Mapping
from pipeline.messages import records

ANSWERED = "dijawab"
NOT_MAPPED = "tanpa peta"


def compare(
    scored: pd.DataFrame,
    carried: pd.DataFrame,
    previous: tables.PreviousResults,
    mapping: Mapping,
    instrument: Instrument,
    settings: ComparisonSettings,
) -> tables.Comparison:
    """The Comparison of this year's SCORED with last year's CARRIED values."""
    questions = question_rows(scored, carried, instrument, settings)
    mapped = questions[questions["nilai_lalu"].notna()]
    unmatched = unmatched_rows(previous, mapping)
    return tables.Comparison(
        tahun_lalu=previous.tahun,
        source=previous.source,
        questions=questions,
        indicators=group_rows(questions, instrument, "indikator"),
        clusters=group_rows(questions, instrument, "klaster"),
        unmatched=unmatched,
        changed=not mapping.is_identity() or len(unmatched) > 0,
        total_lalu=previous.terverifikasi,
        total_kini=float(scored["nilai_terverifikasi"].sum()),
        sebanding_lalu=float(mapped["nilai_lalu"].sum()),
        sebanding_kini=float(mapped["nilai_kini"].sum()),
    )


def question_rows(
    scored: pd.DataFrame,
    carried: pd.DataFrame,
    instrument: Instrument,
    settings: ComparisonSettings,
) -> pd.DataFrame:
    """COMPARISON: one row per question of this year's instrument, in instrument order."""
    before = {str(row["kode"]): row for row in records(carried)}
    rows = []
    for now in records(scored):
        last = before[str(now["kode"])]
        answered = now["status"] == ANSWERED
        lalu = float(last["nilai_lalu"])
        kini = float(now["nilai_terverifikasi"])
        rows.append(
            {
                "kode": now["kode"],
                "kode_lalu": last["kode_lalu"],
                "perubahan": last["perubahan"],
                "klaster": now["klaster"],
                "indikator": now["indikator"],
                "pertanyaan": now["pertanyaan"],
                "jawaban_lalu": last["jawaban_lalu"],
                "jawaban_kini": str(now["jawaban"]) if answered else "",
                "data_dukung_lalu": last["data_dukung_lalu"],
                "data_dukung_kini": str(now["data_dukung"]),
                "status_verifikasi_lalu": last["status_verifikasi_lalu"],
                "nilai_lalu": lalu,
                "nilai_kini": kini,
                "selisih": kini - lalu,
                "tanda": "; ".join(flags(now, last, instrument, settings)),
            }
        )
    return pd.DataFrame(rows, columns=list(tables.COMPARISON))


def flags(
    now: dict[str, Any], last: dict[str, Any], instrument: Instrument, settings: ComparisonSettings
) -> list[str]:
    """The flags of one question: what a coordinator should look at before the verification."""
    if not last["kode_lalu"] or math.isnan(float(last["nilai_lalu"])):
        return []
    answered = now["status"] == ANSWERED
    answer_now = str(now["jawaban"]) if answered else ""
    answer_then = str(last["jawaban_lalu"])
    found = []
    if now["jenis"] == "regulasi":
        found += regulation_flags(answer_then, answer_now, instrument)
    if now["jenis"] == "persen" and percent_moved(answer_then, now["nilai_angka"], settings):
        found.append(tables.FLAG_PERCENT_MOVED)
    evidence_now = bool(now["ada_data_dukung"])
    accepted = str(last["status_verifikasi_lalu"]).strip().lower() in settings.status_diterima
    if accepted and not evidence_now:
        found.append(tables.FLAG_EVIDENCE_LOST)
    same = answer_now != "" and label_key(answer_now) == label_key(answer_then)
    if same and str(last["data_dukung_lalu"]).strip() and not evidence_now:
        found.append(tables.FLAG_SAME_ANSWER_NO_EVIDENCE)
    return found


def regulation_flags(answer_then: str, answer_now: str, instrument: Instrument) -> list[str]:
    """regulasi-hilang: a regulation last year, none (or no answer) now; regulasi-turun: weaker."""
    labels = [label_key(label) for label in instrument.scales["regulasi"].labels]
    fractions = instrument.scoring.label_fractions["regulasi"]
    worth = {label_key(k): v for k, v in fractions.items()}
    then = label_key(answer_then)
    if then not in labels or worth[then] <= 0:
        return []
    now = label_key(answer_now)
    if now not in labels or worth[now] <= 0:
        return [tables.FLAG_REGULATION_LOST]
    return [tables.FLAG_REGULATION_DOWN] if labels.index(now) > labels.index(then) else []


def percent_moved(answer_then: str, value_now: Any, settings: ComparisonSettings) -> bool:
    """True when both years hold a number and it moved by more than the threshold (points)."""
    try:
        then = float(answer_then.replace(",", "."))
        now = float(value_now)
    except (TypeError, ValueError):
        return False
    if not (math.isfinite(then) and math.isfinite(now)):
        return False
    return abs(now - then) > settings.ambang_persen


def group_rows(questions: pd.DataFrame, instrument: Instrument, level: str) -> pd.DataFrame:
    """COMPARISON_GROUPS per indicator or cluster, over the questions with a counterpart."""
    groups = instrument.indicators if level == "indikator" else instrument.clusters
    maxima = {q.kode: q.nilai_maks for q in instrument.questions}
    rows = []
    for group in groups:
        inside = questions[questions[level] == group.kode]
        mapped = inside[inside["nilai_lalu"].notna()]
        lalu = float(mapped["nilai_lalu"].sum())
        kini = float(mapped["nilai_kini"].sum())
        rows.append(
            {
                "kode": group.kode,
                "nama": group.nama,
                "nilai_maks": float(sum(maxima[k] for k in mapped["kode"])),
                "nilai_lalu": lalu,
                "nilai_kini": kini,
                "selisih": kini - lalu,
                "tanda": int((inside["tanda"] != "").sum()),
            }
        )
    return pd.DataFrame(rows, columns=list(tables.COMPARISON_GROUPS))


def unmatched_rows(previous: tables.PreviousResults, mapping: Mapping) -> pd.DataFrame:
    """Questions without a counterpart: dropped, new, and last year's codes the mapping lacks."""
    rows = [
        {"kode_lama": link.kode_lama, "kode_baru": link.kode_baru, "perubahan": link.perubahan}
        for link in mapping.links
        if link.perubahan in (DROPPED, NEW)
    ]
    known = mapping.old_codes()
    rows += [
        {"kode_lama": kode, "kode_baru": "", "perubahan": NOT_MAPPED}
        for kode in sorted(set(previous.answers["kode"]) - known)
    ]
    return pd.DataFrame(rows, columns=["kode_lama", "kode_baru", "perubahan"])


def comparison_summary(comparison: tables.Comparison, decimals: int = 2) -> dict[str, Any]:
    """ringkasan.json `perbandingan`: both years' totals, the comparable totals, groups, counts."""

    def group_map(frame: pd.DataFrame) -> dict[str, dict[str, float | int]]:
        return {
            str(row["kode"]): {
                "lalu": _rounded(row["nilai_lalu"], decimals),
                "kini": _rounded(row["nilai_kini"], decimals),
                "selisih": _rounded(row["selisih"], decimals),
                "maks_sebanding": _rounded(row["nilai_maks"], decimals),
                "pertanyaan_bertanda": int(row["tanda"]),
            }
            for row in records(frame)
        }

    flagged = comparison.questions["tanda"].str.split("; ").explode()
    return {
        "tahun_lalu": comparison.tahun_lalu,
        "sumber": comparison.source,
        "instrumen_berubah": comparison.changed,
        "total": {
            "lalu": _rounded(comparison.total_lalu, decimals),
            "kini": _rounded(comparison.total_kini, decimals),
        },
        "sebanding": {
            "lalu": _rounded(comparison.sebanding_lalu, decimals),
            "kini": _rounded(comparison.sebanding_kini, decimals),
            "selisih": _rounded(comparison.sebanding_kini - comparison.sebanding_lalu, decimals),
            "pertanyaan": int(comparison.questions["nilai_lalu"].notna().sum()),
        },
        "tanda": {flag: int((flagged == flag).sum()) for flag in tables.FLAGS},
        "klaster": group_map(comparison.clusters),
        "indikator": group_map(comparison.indicators),
        "tanpa_padanan": [
            {str(k): str(v) for k, v in row.items()} for row in records(comparison.unmatched)
        ],
    }


def _rounded(value: Any, decimals: int) -> float:
    return round(float(value), decimals) + 0.0
