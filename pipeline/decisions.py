"""Raw verification rows -> checked decisions, the one in force per question, and issues (pure).

A decision is used only when it is complete (a known Keputusan, a valid Jawaban Koreksi when
corrected, an Alasan when rejected or queried). Per question the highest round wins; two different
decisions in that round are a conflict: reported, and neither is used.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from pipeline import tables
from pipeline.answers import Normalised, clean_text, normalise_answer
from pipeline.instrument import Instrument
from pipeline.messages import issue, issues_frame, records
from pipeline.validate import expected_range, schema_failures
from pipeline.verification_rules import VerificationRules

NEEDS_REASON = (tables.DECISION_REJECTED, tables.DECISION_QUERIED)


def check_decisions(
    raw: pd.DataFrame | None, instrument: Instrument, rules: VerificationRules
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(decisions in force, every complete decision read, issues); frames are DECISION_ROWS."""
    if raw is None or raw.empty:
        empty = pd.DataFrame(columns=list(tables.DECISION_ROWS))
        return empty, empty.copy(), issues_frame([])
    rows = records(raw.reset_index(drop=True))
    corrections = _corrections(rows, instrument)
    complete, found = [], []
    for row, correction in zip(rows, corrections, strict=True):
        checked, problems = _check_row(row, correction, instrument)
        found += problems
        if checked is not None:
            complete.append(checked)
    valid = pd.DataFrame(complete, columns=list(tables.DECISION_ROWS))
    in_force, conflicts = resolve_rounds(valid)
    return in_force, valid, issues_frame([*found, *conflicts])


def _corrections(
    rows: list[dict[str, Any]], instrument: Instrument
) -> list[tuple[Normalised, str]]:
    """Each row's Jawaban Koreksi normalised, and the issue code if it is not a valid answer."""
    by_code = {q.kode: q.jenis for q in instrument.questions}
    jenis = [by_code.get(str(row["kode"]), "") for row in rows]
    normalised = [
        normalise_answer(row["jawaban_koreksi"], instrument.scales[j])
        if j and clean_text(row["jawaban_koreksi"])
        else Normalised("")
        for row, j in zip(rows, jenis, strict=True)
    ]
    failures = schema_failures(normalised, jenis, instrument)
    return [
        (item, item.problem or next(iter(failures.get(position, [])), ""))
        for position, item in enumerate(normalised)
    ]


def _check_row(
    row: dict[str, Any], correction: tuple[Normalised, str], instrument: Instrument
) -> tuple[dict[str, Any] | None, list[dict[str, str]]]:
    """The checked row (or None when it cannot be used) and its issues."""
    at = {"file": str(row["file"]), "sheet": str(row["sheet"]), "kode": str(row["kode"])}
    decision = _known_decision(str(row["keputusan"]))
    typed = clean_text(row["jawaban_koreksi"])
    if not row["keputusan"]:
        filled = ", ".join(
            f for f in ("jawaban_koreksi", "alasan", "catatan") if clean_text(row[f])
        )
        return None, [
            issue("keputusan-kosong", cell=row["keputusan_sel"], value=filled or "isian", **at)
        ]
    if decision is None:
        allowed = ", ".join(tables.DECISIONS)
        return None, [
            issue(
                "keputusan-tidak-dikenal",
                cell=row["keputusan_sel"],
                value=row["keputusan"],
                allowed=allowed,
                **at,
            )
        ]
    item, problem = correction
    found = []
    if decision == tables.DECISION_CORRECTED and (problem or not typed):
        scale = instrument.scales[instrument.question(str(row["kode"])).jenis]
        expected = " / ".join(scale.labels) if scale.is_label else expected_range(scale)
        return None, [
            issue(
                "koreksi-tidak-valid", cell=row["koreksi_sel"], value=typed, expected=expected, **at
            )
        ]
    if decision in NEEDS_REASON and not row["alasan"]:
        return None, [issue("alasan-kosong", cell=row["alasan_sel"], value=decision, **at)]
    if decision != tables.DECISION_CORRECTED and typed:
        found.append(
            issue(
                "koreksi-diabaikan", cell=row["koreksi_sel"], value=typed, decision=decision, **at
            )
        )
    corrected = decision == tables.DECISION_CORRECTED
    checked = {
        **row,
        "keputusan": decision,
        "jawaban_koreksi": item.jawaban if corrected else "",
        "nilai_koreksi": item.nilai if corrected and item.nilai is not None else np.nan,
    }
    return checked, found


def _known_decision(text: str) -> str | None:
    folded = " ".join(text.split()).casefold()
    return next((d for d in tables.DECISIONS if d.casefold() == folded), None)


def signature(row: dict[str, Any]) -> tuple[str, str]:
    """What makes two decisions the same: the decision and the corrected answer."""
    return (str(row["keputusan"]), str(row["jawaban_koreksi"]))


def resolve_rounds(valid: pd.DataFrame) -> tuple[pd.DataFrame, list[dict[str, str]]]:
    """Per question the decision of the highest round; a conflict within that round is reported."""
    if valid.empty:
        return valid.copy(), []
    chosen, conflicts = [], []
    latest = valid.groupby("kode", sort=True)["putaran"].transform("max")
    for _, group in valid[valid["putaran"] == latest].groupby("kode", sort=True):
        rows = records(group.sort_values(["file", "row"], kind="stable"))
        kinds = {signature(row) for row in rows}
        if len(kinds) == 1:
            chosen.append(rows[0])
            continue
        for row in rows:
            other = next(r for r in rows if signature(r) != signature(row))
            shown = _shown(row)
            conflicts.append(
                issue(
                    "keputusan-bertentangan",
                    file=str(row["file"]),
                    sheet=str(row["sheet"]),
                    cell=str(row["keputusan_sel"]),
                    kode=str(row["kode"]),
                    value=shown,
                    other=f"'{_shown(other)}' di {other['file']}, {other['sheet']}!{other['keputusan_sel']}",
                    round=str(row["putaran"]),
                )
            )
    in_force = pd.DataFrame(chosen, columns=list(tables.DECISION_ROWS)).reset_index(drop=True)
    return in_force, conflicts


def _shown(row: dict[str, Any]) -> str:
    if row["keputusan"] == tables.DECISION_CORRECTED:
        return f"{row['keputusan']}: {row['jawaban_koreksi']}"
    return str(row["keputusan"])
