"""Scored questions + decisions in force -> nilai_terverifikasi by the verifiers' decisions (pure).

Per question: Diterima keeps the self-assessed points, Diterima dengan koreksi earns the points of
the corrected answer, Ditolak and Perlu klarifikasi earn 0, and without a decision the evidence
rule applies (vague Data Dukung counts as none). A decision judging another answer than the one
now read has lapsed: the evidence rule applies and the question needs verifying again.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from pipeline import tables
from pipeline.instrument import Instrument
from pipeline.messages import issue, issues_frame, records
from pipeline.metadata import answer_fingerprint
from pipeline.score.rules import question_fractions
from pipeline.verification_rules import VerificationRules

CARRIED = {
    "keputusan": "keputusan",
    "jawaban_koreksi": "jawaban_koreksi",
    "nilai_koreksi": "nilai_koreksi",
    "alasan": "alasan",
    "catatan": "catatan_verifikasi",
    "verifikator": "verifikator",
    "tanggal": "tanggal",
    "file": "keputusan_file",
    "sheet": "_sheet",
    "keputusan_sel": "_cell",
    "sidik": "_sidik",
}
FEEDBACK_CODES = {
    tables.VERIFY_REJECTED: "ditolak-verifikator",
    tables.VERIFY_QUERIED: "klarifikasi-verifikator",
}


def fingerprints(scored: pd.DataFrame) -> pd.Series:
    """The fingerprint of each question's answer as read now (metadata.answer_fingerprint)."""
    texts = scored[["kode", "jawaban", "data_dukung"]].fillna("").astype(str)
    return pd.Series(
        [answer_fingerprint(*row) for row in texts.itertuples(index=False, name=None)],
        index=scored.index,
        dtype=object,
    )


def apply_decisions(
    scored: pd.DataFrame,
    decisions: pd.DataFrame | None,
    instrument: Instrument,
    rules: VerificationRules,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(tables.VERIFIED frame, issues): lapsed decisions, and rejections the offices must see."""
    scored = scored.reset_index(drop=True)
    evidence = scored["ada_data_dukung"].astype(bool) & ~scored["data_dukung"].fillna("").astype(
        str
    ).map(rules.is_vague).astype(bool)
    by_evidence = scored["nilai_mandiri"].astype(float).where(evidence, 0.0)
    # A KD answer computed from the units keeps the roll-up's own verified figure (units with data
    # dukung) unless a verifier decided on it.
    computed = scored["status"] == tables.STATUS_COMPUTED
    by_evidence = by_evidence.where(~computed, scored["nilai_terverifikasi"].astype(float))
    joined = _join(scored, decisions)
    current = fingerprints(scored)
    has = joined["keputusan"] != ""
    lapsed = has & (joined["_sidik"] != current)
    applied = has & ~lapsed
    status = joined["keputusan"].map(tables.DECISION_STATUS).where(applied, tables.VERIFY_NONE)
    status = status.mask(lapsed, tables.VERIFY_LAPSED)
    verified = _verified_points(scored, joined, status, by_evidence, instrument)
    cell = (joined["_sheet"] + "!" + joined["_cell"]).where(has, "")
    frame = scored.assign(
        ada_data_dukung=evidence,
        nilai_terverifikasi=verified,
        status_verifikasi=status.astype(str),
        keputusan=joined["keputusan"],
        jawaban_koreksi=joined["jawaban_koreksi"],
        alasan=joined["alasan"],
        catatan_verifikasi=joined["catatan_verifikasi"],
        verifikator=joined["verifikator"],
        keputusan_file=joined["keputusan_file"],
        keputusan_sel=cell,
        sidik_jawaban=current,
        tanggal_verifikasi=joined["tanggal"],
    )
    found = [*_lapsed_issues(frame[lapsed]), *_feedback_issues(frame, rules)]
    return frame.loc[:, list(tables.VERIFIED)], issues_frame(found)


def _join(scored: pd.DataFrame, decisions: pd.DataFrame | None) -> pd.DataFrame:
    """The decision columns aligned to scored's rows ("" / NaN where a question has none)."""
    columns = list(CARRIED)
    chosen = pd.DataFrame(columns=["kode", *columns]) if decisions is None else decisions
    chosen = chosen.loc[:, ["kode", *columns]].drop_duplicates("kode")
    joined = scored[["kode"]].merge(chosen, on="kode", how="left", validate="one_to_one")
    joined = joined.rename(columns=CARRIED).set_index(scored.index)
    text = [c for c in joined.columns if c not in ("kode", "nilai_koreksi")]
    joined[text] = joined[text].fillna("").astype(str)
    joined["nilai_koreksi"] = pd.to_numeric(joined["nilai_koreksi"], errors="coerce")
    return joined


def _verified_points(
    scored: pd.DataFrame,
    joined: pd.DataFrame,
    status: pd.Series,
    by_evidence: pd.Series,
    instrument: Instrument,
) -> pd.Series:
    corrected_answers = scored.assign(
        jawaban=joined["jawaban_koreksi"], nilai_angka=joined["nilai_koreksi"]
    )
    corrected = scored["nilai_maks"].astype(float) * question_fractions(
        corrected_answers, instrument.scoring
    )
    choices = [
        (status == tables.VERIFY_ACCEPTED, scored["nilai_mandiri"].astype(float)),
        (status == tables.VERIFY_CORRECTED, corrected),
        (status.isin([tables.VERIFY_REJECTED, tables.VERIFY_QUERIED]), 0.0 * by_evidence),
    ]
    values = np.select(
        [c.to_numpy() for c, _ in choices],
        [v.to_numpy(dtype=float) for _, v in choices],
        default=by_evidence.to_numpy(dtype=float),
    )
    return pd.Series(values, index=scored.index, dtype=float)


def _lapsed_issues(rows: pd.DataFrame) -> list[dict[str, str]]:
    return [
        issue(
            "keputusan-kedaluwarsa",
            file=str(row["keputusan_file"]),
            sheet=str(row["keputusan_sel"]).split("!")[0],
            cell=str(row["keputusan_sel"]).split("!")[-1],
            kode=str(row["kode"]),
            value=str(row["keputusan"]),
        )
        for row in records(rows)
    ]


def _feedback_issues(frame: pd.DataFrame, rules: VerificationRules) -> list[dict[str, str]]:
    """A warning at the office's own answer cell for each answer rejected or queried."""
    found = []
    for row in records(frame[frame["status_verifikasi"].isin(list(FEEDBACK_CODES))]):
        if not row["sumber_file"]:
            continue
        found.append(
            issue(
                FEEDBACK_CODES[row["status_verifikasi"]],
                file=str(row["sumber_file"]),
                sheet=str(row["sumber_lembar"]),
                cell=str(row["sumber_sel"]),
                kode=str(row["kode"]),
                value=str(row["jawaban"]),
                reason=str(row["alasan"]),
                note=_note(row),
                send=rules.what_to_send(str(row["alasan"])),
            )
        )
    return found


def _note(row: dict[str, Any]) -> str:
    return str(row["catatan_verifikasi"]) or "-"
