"""Regional frame + instrument -> question, indicator, cluster and total scores; pure functions."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from pipeline import tables
from pipeline.answers import is_placeholder
from pipeline.instrument import Instrument, ScoringRules
from pipeline.score.categories import category_of, next_category

__all__ = [
    "cluster_scores",
    "has_evidence",
    "indicator_scores",
    "question_fractions",
    "score_questions",
    "totals",
]

SCORE_COLUMNS = ("nilai_mandiri", "nilai_terverifikasi")


def score_questions(regional: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    """Add fraksi, ada_data_dukung, nilai_mandiri and nilai_terverifikasi (tables.SCORED)."""
    rules = instrument.scoring
    answered = regional["status"].astype(str) == tables.STATUS_ANSWERED
    fraction = question_fractions(regional, rules).where(answered, 0.0)
    evidence = has_evidence(regional["data_dukung"], rules.no_evidence)
    self_assessed = regional["nilai_maks"].astype(float) * fraction
    scored = regional.assign(
        fraksi=fraction,
        ada_data_dukung=evidence,
        nilai_mandiri=self_assessed,
        nilai_terverifikasi=self_assessed.where(evidence, 0.0),
    )
    return scored.loc[:, list(tables.SCORED)].reset_index(drop=True)


def question_fractions(regional: pd.DataFrame, rules: ScoringRules) -> pd.Series:
    """The fraction (0..1) of each question's points its answer earns, whatever its status."""
    jenis = regional["jenis"].astype(str)
    arah = regional["arah"].astype(str)
    fraction = pd.Series(0.0, index=regional.index)
    labels = regional["jawaban"].fillna("").astype(str).str.strip().str.casefold()
    for kind, fractions in rules.label_fractions.items():
        folded = {label.casefold(): value for label, value in fractions.items()}
        mask = jenis == kind
        fraction = fraction.mask(mask, labels.map(folded).fillna(0.0).astype(float))
    numbers = _numbers(regional)
    for (kind, direction), rule in rules.number_rules.items():
        mask = (jenis == kind) & (arah == direction)
        values = numbers.to_numpy()
        with np.errstate(invalid="ignore"):
            conditions = [
                values >= limit if rule.comparison == ">=" else values <= limit
                for limit, _ in rule.steps
            ]
        stepped = np.select(conditions, [f for _, f in rule.steps], default=0.0)
        fraction = fraction.mask(mask, pd.Series(stepped, index=regional.index, dtype=float))
    return fraction.astype(float)


def has_evidence(data_dukung: pd.Series, no_evidence: tuple[str, ...]) -> pd.Series:
    """True where the Data Dukung text is neither empty nor a placeholder such as "-" or "nihil"."""
    text = data_dukung.fillna("").astype(str)
    return ~text.map(lambda value: is_placeholder(value, no_evidence)).astype(bool)


def indicator_scores(scored: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    """Sums per indicator, in instrument order (tables.INDICATOR_SCORES)."""
    sums = _sums(scored, "indikator", [i.kode for i in instrument.indicators])
    frame = pd.DataFrame(
        {
            "klaster": [i.klaster for i in instrument.indicators],
            "indikator": [i.kode for i in instrument.indicators],
            "indikator_nama": [i.nama for i in instrument.indicators],
            "nilai_maks": [i.nilai_maks for i in instrument.indicators],
        }
    )
    return frame.assign(**{c: sums[c].to_numpy() for c in SCORE_COLUMNS}).loc[
        :, list(tables.INDICATOR_SCORES)
    ]


def cluster_scores(scored: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    """Sums per cluster, in instrument order (tables.CLUSTER_SCORES)."""
    sums = _sums(scored, "klaster", [c.kode for c in instrument.clusters])
    frame = pd.DataFrame(
        {
            "klaster": [c.kode for c in instrument.clusters],
            "klaster_nama": [c.nama for c in instrument.clusters],
            "nilai_maks": [c.nilai_maks for c in instrument.clusters],
        }
    )
    return frame.assign(**{c: sums[c].to_numpy() for c in SCORE_COLUMNS}).loc[
        :, list(tables.CLUSTER_SCORES)
    ]


def totals(scored: pd.DataFrame, instrument: Instrument, column: str) -> tables.Totals:
    """The total of `column` ("nilai_mandiri" or "nilai_terverifikasi"), its category and the gap."""
    if column not in SCORE_COLUMNS:
        raise ValueError(f"column must be one of {SCORE_COLUMNS}, not {column!r}")
    total = math.fsum(scored[column].astype(float))
    following = next_category(total, instrument.categories)
    return tables.Totals(
        nilai=total,
        kategori=category_of(total, instrument.categories),
        kategori_berikut=following.nama if following else "",
        kurang=following.minimum - total if following else 0.0,
    )


def _numbers(regional: pd.DataFrame) -> pd.Series:
    """nilai_angka, or the number parsed from jawaban where nilai_angka is missing."""
    parsed = pd.to_numeric(
        regional["jawaban"].fillna("").astype(str).str.replace(",", ".", regex=False),
        errors="coerce",
    )
    return pd.to_numeric(regional["nilai_angka"], errors="coerce").fillna(parsed).astype(float)


def _sums(scored: pd.DataFrame, key: str, order: list[str]) -> pd.DataFrame:
    grouped = scored.groupby(key, sort=False)[list(SCORE_COLUMNS)].sum()
    return grouped.reindex(order, fill_value=0.0).astype(float)
