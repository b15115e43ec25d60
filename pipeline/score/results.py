"""A regional frame -> the Results of a run: scores per question, indicator, cluster, totals, and the rest."""

from __future__ import annotations

import pandas as pd

from pipeline import tables
from pipeline.instrument import Instrument
from pipeline.region import Region
from pipeline.score.completeness import completeness
from pipeline.score.recommend import recommendations
from pipeline.score.rules import cluster_scores, indicator_scores, score_questions, totals


def score_results(
    instrument: Instrument,
    region: Region,
    regional: pd.DataFrame,
    files: pd.DataFrame,
    issues: pd.DataFrame,
    generated: str,
    example: bool,
) -> tables.Results:
    """Score a regional frame and derive every summary table from it."""
    scored = score_questions(regional, instrument)
    return tables.Results(
        instrument=instrument,
        region=region,
        generated_at=generated,
        example=example,
        files=files,
        issues=issues,
        scored=scored,
        indicators=indicator_scores(scored, instrument),
        clusters=cluster_scores(scored, instrument),
        completeness=completeness(scored, files, instrument, region),
        recommendations=recommendations(scored, instrument),
        mandiri=totals(scored, instrument, "nilai_mandiri"),
        terverifikasi=totals(scored, instrument, "nilai_terverifikasi"),
    )
