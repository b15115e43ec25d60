"""A regional frame -> the Results of a run: scores per question, indicator, cluster, totals, and the rest."""

from __future__ import annotations

import dataclasses

import pandas as pd

from pipeline import tables
from pipeline.instrument import Instrument
from pipeline.messages import sort_issues
from pipeline.region import Region
from pipeline.score.completeness import completeness
from pipeline.score.decisions import apply_decisions
from pipeline.score.recommend import recommendations
from pipeline.score.rollup import kd_actions, roll_up, with_roll_up
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
    """
    scored = score_questions(regional, instrument)
    kd = roll_up(instrument, region, unit_answers, files) if unit_answers is not None else None
    scored, by_office, kd_extra = with_roll_up(scored, instrument, kd)
    results = tables.Results(
        instrument=instrument,
        region=region,
        generated_at=generated,
        example=example,
        files=files,
        issues=issues,
        scored=scored,
        indicators=indicator_scores(scored, instrument),
        clusters=cluster_scores(scored, instrument),
        completeness=completeness(by_office, files, instrument, region),
        recommendations=recommendations(scored, instrument, kd_extra),
        mandiri=totals(scored, instrument, "nilai_mandiri"),
        terverifikasi=totals(scored, instrument, "nilai_terverifikasi"),
        kd=kd,
    )
    return apply_verification(results, in_force, decided, rules)


def apply_verification(
    results: tables.Results,
    in_force: pd.DataFrame | None,
    decided: pd.DataFrame | None = None,
    rules: VerificationRules | None = None,
) -> tables.Results:
    """Apply the verifiers' decisions in force (and the vague-evidence rule) to scored Results."""
    rules = rules or read_verification_rules()
    verified, found = apply_decisions(results.scored, in_force, results.instrument, rules)
    instrument = results.instrument
    by_office = verified[verified["status"] != tables.STATUS_COMPUTED].reset_index(drop=True)
    kd_extra = kd_actions(verified, instrument, results.kd) if results.kd is not None else None
    rounds = decided["putaran"].astype(int) if decided is not None and len(decided) else None
    return dataclasses.replace(
        results,
        scored=verified,
        issues=sort_issues(pd.concat([results.issues, found], ignore_index=True)),
        indicators=indicator_scores(verified, instrument),
        clusters=cluster_scores(verified, instrument),
        completeness=completeness(by_office, results.files, instrument, results.region),
        recommendations=recommendations(verified, instrument, kd_extra),
        terverifikasi=totals(verified, instrument, "nilai_terverifikasi"),
        decisions=decided,
        verification_round=int(rounds.max()) + 1 if rounds is not None else 1,
    )
