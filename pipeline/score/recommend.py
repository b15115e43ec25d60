"""Scored questions -> the ranked actions towards the next category (tables.RECOMMENDATIONS)."""

from __future__ import annotations

import math

import pandas as pd

from pipeline import tables
from pipeline.instrument import Instrument
from pipeline.score.categories import categories_of
from pipeline.score.verification_status import verification_status

# Cheapest first: attaching evidence costs less than answering, answering less than doing better.
# Following up a rejection or query is the same kind of work as attaching evidence: ranked together.
ACTION_ORDER = {
    tables.ACTION_EVIDENCE: 0,
    tables.ACTION_FOLLOW_UP: 0,
    tables.ACTION_ANSWER: 1,
    tables.ACTION_IMPROVE: 2,
}
DECIDED = (
    tables.VERIFY_ACCEPTED,
    tables.VERIFY_CORRECTED,
    tables.VERIFY_REJECTED,
    tables.VERIFY_QUERIED,
)
NOT_COUNTED = (tables.VERIFY_REJECTED, tables.VERIFY_QUERIED)
BASES = {tables.BASE_VERIFIED: "nilai_terverifikasi", tables.BASE_SELF: "nilai_mandiri"}
CARRIED = ("kode", "klaster", "indikator", "pertanyaan", "opd", "nama_opd", "status", "jawaban")


def recommendations(
    scored: pd.DataFrame, instrument: Instrument, extra: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Every action that would raise a total, ranked per base ("terverifikasi" then "mandiri").

    A partial answer without evidence gives two rows on the terverifikasi base: first attach the
    evidence (gain nilai_mandiri), then improve the answer (gain nilai_maks - nilai_mandiri), so
    that the gains of all rows add up to nilai_maks - total.

    Args:
        extra: actions for computed questions (score/rollup.py kd_actions, with `dasar` and
            `urutan`); the computed rows themselves give no generic action.
    """
    frames = [_ranked(scored, instrument, base, extra) for base in BASES]
    return pd.concat(frames, ignore_index=True).loc[:, list(tables.RECOMMENDATIONS)]


def recommendations_for_office(recommendations: pd.DataFrame, opd: str) -> pd.DataFrame:
    """One office's rows of the regional list, keeping the regional rank and running total."""
    return recommendations[recommendations["opd"] == opd].reset_index(drop=True)


def actions(scored: pd.DataFrame, base: str) -> pd.DataFrame:
    """Candidate actions of one base, unranked: CARRIED columns plus jenis_tindakan and tambahan."""
    answered = scored["status"].astype(str) == tables.STATUS_ANSWERED
    maks = scored["nilai_maks"].astype(float)
    self_assessed = scored["nilai_mandiri"].astype(float)
    start = self_assessed  # what a better answer improves on
    candidates = [(tables.ACTION_ANSWER, ~answered, maks)]
    if base == tables.BASE_VERIFIED:
        status = verification_status(scored)
        undecided = ~status.isin(DECIDED)
        evidence = scored["ada_data_dukung"].astype(bool)
        missing = answered & (self_assessed > 0) & ~evidence & undecided
        follow_up = answered & (self_assessed > 0) & status.isin(NOT_COUNTED)
        candidates[:0] = [
            (tables.ACTION_EVIDENCE, missing, self_assessed),
            (tables.ACTION_FOLLOW_UP, follow_up, self_assessed),
        ]
        corrected = status == tables.VERIFY_CORRECTED
        start = self_assessed.where(~corrected, scored["nilai_terverifikasi"].astype(float))
    candidates.append((tables.ACTION_IMPROVE, answered & (start < maks), maks - start))
    frames = [
        scored.loc[mask, ["urutan", *CARRIED]].assign(jenis_tindakan=kind, tambahan=gain[mask])
        for kind, mask, gain in candidates
    ]
    found = pd.concat(frames, ignore_index=True)
    return found[found["tambahan"] > 0].reset_index(drop=True)


def _ranked(
    scored: pd.DataFrame, instrument: Instrument, base: str, extra: pd.DataFrame | None = None
) -> pd.DataFrame:
    found = actions(scored[scored["status"].astype(str) != tables.STATUS_COMPUTED], base)
    if extra is not None and len(extra):
        own = extra[extra["dasar"] == base].drop(columns="dasar")
        found = pd.concat([found, own], ignore_index=True) if len(found) else own
    order = found.assign(_kind=found["jenis_tindakan"].map(ACTION_ORDER)).sort_values(
        ["_kind", "tambahan", "urutan"], ascending=[True, False, True], kind="stable"
    )
    ranked = order.drop(columns=["_kind", "urutan"]).reset_index(drop=True)
    current = math.fsum(scored[BASES[base]].astype(float))
    running = current + ranked["tambahan"].astype(float).cumsum()
    reached = categories_of(running, instrument.categories)
    before = reached.shift(1, fill_value=_category(current, instrument))
    return ranked.assign(
        peringkat=range(1, len(ranked) + 1),
        dasar=base,
        kumulatif=running.astype(float),
        mencapai=reached.where(reached != before, ""),
    )


def _category(total: float, instrument: Instrument) -> str:
    return str(categories_of(pd.Series([total]), instrument.categories).iloc[0])
