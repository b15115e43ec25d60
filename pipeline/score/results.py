"""A regional frame -> the Results of a run: scores per question, indicator, cluster, totals, and the rest."""

from __future__ import annotations

import pandas as pd

from pipeline import tables
from pipeline.instrument import Instrument
from pipeline.messages import sort_issues
from pipeline.region import Region
from pipeline.score.completeness import completeness
from pipeline.score.decisions import apply_decisions
from pipeline.score.recommend import recommendations
from pipeline.score.rollup import apply_roll_up, kd_actions, roll_up
from pipeline.score.rules import cluster_scores, indicator_scores, score_questions, totals
from pipeline.verification_rules import VerificationRules, read_verification_rules


def score_results(
    instrument: Instrument,
    region: Region,
    regional: pd.DataFrame,
    files: pd.DataFrame,
    issues: pd.DataFrame,
    generated: str,
    example: bool,
    in_force: pd.DataFrame | None = None,
    decided: pd.DataFrame | None = None,
    rules: VerificationRules | None = None,
    unit_answers: pd.DataFrame | None = None,
) -> tables.Results:
    """Score a regional frame, apply the verifiers' decisions in force, derive every summary table.

    With `unit_answers` (kecamatan workbooks) and a master list, the KD questions are computed.
    The summaries (indicators, clusters, completeness, recommendations) are derived once, from
    the verified frame; the self-assessed total is the same before and after the decisions.
    """
    scored = score_questions(regional, instrument)
    kd = roll_up(instrument, region, unit_answers, files) if unit_answers is not None else None
    if kd is not None:
        scored = apply_roll_up(scored, kd)
    rules = rules or read_verification_rules()
    verified, found = apply_decisions(scored, in_force, instrument, rules)
    by_office = verified[verified["status"] != tables.STATUS_COMPUTED].reset_index(drop=True)
    kd_extra = kd_actions(verified, instrument, kd) if kd is not None else None
    rounds = decided["putaran"].astype(int) if decided is not None and len(decided) else None
    return tables.Results(
        instrument=instrument,
        region=region,
        generated_at=generated,
        example=example,
        files=files,
        issues=sort_issues(pd.concat([issues, found], ignore_index=True)),
        scored=verified,
        indicators=indicator_scores(verified, instrument),
        clusters=cluster_scores(verified, instrument),
        completeness=completeness(by_office, files, instrument, region),
        recommendations=recommendations(verified, instrument, kd_extra),
        mandiri=totals(scored, instrument, "nilai_mandiri"),
        terverifikasi=totals(verified, instrument, "nilai_terverifikasi"),
        kd=kd,
        decisions=decided,
        verification_round=int(rounds.max()) + 1 if rounds is not None else 1,
    )
