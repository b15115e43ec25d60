"""run(): the order of the stages, from the inputs folder to every output. The only orchestrator."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline import config, tables
from pipeline.audit import append_history, run_record, start_outputs, write_manifest
from pipeline.decision_history import append_decision_history
from pipeline.decisions import check_decisions
from pipeline.export import write_exports
from pipeline.feedback import write_feedback
from pipeline.ingest.files import read_inputs
from pipeline.instrument import Instrument
from pipeline.merge import merge_answers
from pipeline.messages import sort_issues
from pipeline.region import Region
from pipeline.report.workbook import data_time, report_filename, write_report
from pipeline.score.decisions import apply_decisions
from pipeline.score.rules import (
    cluster_scores,
    completeness,
    indicator_scores,
    recommendations,
    score_questions,
    totals,
)
from pipeline.templates.verification import write_verification_workbooks
from pipeline.validate import validate_answers
from pipeline.verification_rules import VerificationRules, read_verification_rules

FEEDBACK_DIR = "umpan_balik"
REPORT_PATTERN = "Konsolidasi_KLA_*.xlsx"


@dataclass(frozen=True)
class RunOutput:
    """What a run produced and where it wrote it."""

    results: tables.Results
    report: Path
    feedback: list[Path]
    exports: list[Path]


def run(
    inputs_dir: Path,
    outputs_dir: Path,
    instrument: Instrument,
    region: Region,
    *,
    jobs: int = 0,
    progress: bool = False,
    example: bool = False,
    now: dt.datetime | None = None,
) -> RunOutput:
    """Ingest -> validate -> merge -> score -> write every output; return what was produced."""
    generated = (now or dt.datetime.now()).replace(microsecond=0).isoformat()
    rules = read_verification_rules()
    ingested = read_inputs(inputs_dir, instrument, region, jobs=jobs, progress=progress)
    answers, answer_issues = validate_answers(ingested.cells, instrument, rules.is_vague)
    in_force, decided, decision_issues = check_decisions(ingested.decisions, instrument, rules)
    found = [ingested.issues, answer_issues, decision_issues]
    issues = sort_issues(pd.concat(found, ignore_index=True))
    results = score(instrument, region, answers, ingested.files, issues, generated, example)
    results = verify(results, in_force, decided, rules)  # decisions on top of the scores
    outputs_dir = Path(outputs_dir)
    outputs_dir.mkdir(parents=True, exist_ok=True)
    start_outputs(outputs_dir)
    exports = write_exports(results, outputs_dir)
    feedback = write_feedback_fresh(answers, results, outputs_dir / FEEDBACK_DIR)
    report = write_report(results, outputs_dir / report_filename(results))
    remove_other_reports(outputs_dir, report)
    verification = write_verification_fresh(results, rules, outputs_dir / config.VERIFICATION_DIR)
    append_decision_history(outputs_dir, results.decisions, generated)
    append_history(outputs_dir, run_record(results))
    write_manifest(outputs_dir, [*exports, *feedback, report, *verification], generated)
    return RunOutput(results, report, feedback, exports)


def score(
    instrument: Instrument,
    region: Region,
    answers: pd.DataFrame,
    files: pd.DataFrame,
    issues: pd.DataFrame,
    generated: str,
    example: bool,
) -> tables.Results:
    """Merge and score: every table the writers need, as one Results."""
    regional = merge_answers(instrument, region, answers, files, issues)
    return results_from(instrument, region, regional, files, issues, generated, example)


def results_from(
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
        completeness=completeness(scored, files, instrument, region),
        recommendations=recommendations(scored, instrument),
        mandiri=totals(scored, instrument, "nilai_mandiri"),
        terverifikasi=totals(scored, instrument, "nilai_terverifikasi"),
    )
    return verify(results, None)


def write_feedback_fresh(
    answers: pd.DataFrame, results: tables.Results, folder: Path
) -> list[Path]:
    """Write this run's feedback workbooks, then remove those left by earlier runs."""
    written = write_feedback(
        answers, results.issues, results.files, results.instrument, folder, results.region
    )
    keep = {path.resolve() for path in written}
    if folder.is_dir():
        for stale in folder.glob("*.xlsx"):
            if stale.resolve() not in keep:
                stale.unlink()
    return written


def remove_other_reports(outputs_dir: Path, report: Path) -> None:
    """Remove consolidated workbooks of another region or year, so outputs/ never mixes regions."""
    for other in outputs_dir.glob(REPORT_PATTERN):
        if other.resolve() != report.resolve():
            other.unlink()


def verify(
    results: tables.Results,
    in_force: pd.DataFrame | None,
    decided: pd.DataFrame | None = None,
    rules: VerificationRules | None = None,
) -> tables.Results:
    """Apply the verifiers' decisions in force (and the vague-evidence rule) to scored Results."""
    rules = rules or read_verification_rules()
    verified, found = apply_decisions(results.scored, in_force, results.instrument, rules)
    instrument = results.instrument
    rounds = decided["putaran"].astype(int) if decided is not None and len(decided) else None
    return dataclasses.replace(
        results,
        scored=verified,
        issues=sort_issues(pd.concat([results.issues, found], ignore_index=True)),
        indicators=indicator_scores(verified, instrument),
        clusters=cluster_scores(verified, instrument),
        completeness=completeness(verified, results.files, instrument, results.region),
        recommendations=recommendations(verified, instrument),
        terverifikasi=totals(verified, instrument, "nilai_terverifikasi"),
        decisions=decided,
        verification_round=int(rounds.max()) + 1 if rounds is not None else 1,
    )


def write_verification_fresh(
    results: tables.Results, rules: VerificationRules, folder: Path
) -> list[Path]:
    """Write this run's verification workbooks, then remove those left by earlier runs."""
    written = write_verification_workbooks(
        results.scored,
        results.instrument,
        results.region,
        rules,
        folder,
        results.verification_round,
        data_time(results.files),
    )
    keep = {path.resolve() for path in written}
    for stale in folder.glob("*.xlsx"):
        if stale.resolve() not in keep:
            stale.unlink()
    return written
