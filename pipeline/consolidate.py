"""run(): the order of the stages, from the inputs folder to every output. The only orchestrator."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline import tables
from pipeline.audit import append_history, run_record, start_outputs, write_manifest
from pipeline.export import write_exports
from pipeline.feedback import write_feedback
from pipeline.ingest.files import read_inputs
from pipeline.instrument import Instrument
from pipeline.merge import merge_answers
from pipeline.messages import sort_issues
from pipeline.region import Region
from pipeline.report.workbook import report_filename, write_report
from pipeline.score.rollup import roll_up, with_roll_up
from pipeline.score.rules import (
    cluster_scores,
    completeness,
    indicator_scores,
    recommendations,
    score_questions,
    totals,
)
from pipeline.validate import validate_answers

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
    ingested = read_inputs(inputs_dir, instrument, region, jobs=jobs, progress=progress)
    answers, answer_issues = validate_answers(ingested.cells, instrument)
    issues = sort_issues(pd.concat([ingested.issues, answer_issues], ignore_index=True))
    results = score(
        instrument, region, answers, ingested.files, issues, generated, example, ingested.units
    )
    outputs_dir = Path(outputs_dir)
    outputs_dir.mkdir(parents=True, exist_ok=True)
    start_outputs(outputs_dir)
    exports = write_exports(results, outputs_dir)
    feedback = write_feedback_fresh(answers, results, outputs_dir / FEEDBACK_DIR)
    report = write_report(results, outputs_dir / report_filename(results))
    remove_other_reports(outputs_dir, report)
    append_history(outputs_dir, run_record(results))
    write_manifest(outputs_dir, [*exports, *feedback, report], generated)
    return RunOutput(results, report, feedback, exports)


def score(
    instrument: Instrument,
    region: Region,
    answers: pd.DataFrame,
    files: pd.DataFrame,
    issues: pd.DataFrame,
    generated: str,
    example: bool,
    unit_answers: pd.DataFrame | None = None,
) -> tables.Results:
    """Merge and score: every table the writers need, as one Results."""
    regional = merge_answers(instrument, region, answers, files, issues)
    return results_from(
        instrument, region, regional, files, issues, generated, example, unit_answers
    )


def results_from(
    instrument: Instrument,
    region: Region,
    regional: pd.DataFrame,
    files: pd.DataFrame,
    issues: pd.DataFrame,
    generated: str,
    example: bool,
    unit_answers: pd.DataFrame | None = None,
) -> tables.Results:
    """Score a regional frame and derive every summary table from it.

    With `unit_answers` (kecamatan workbooks) and a master list, the KD questions are computed.
    """
    scored = score_questions(regional, instrument)
    kd = roll_up(instrument, region, unit_answers, files) if unit_answers is not None else None
    scored, by_office, kd_extra = with_roll_up(scored, instrument, kd)
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
        completeness=completeness(by_office, files, instrument, region),
        recommendations=recommendations(scored, instrument, kd_extra),
        mandiri=totals(scored, instrument, "nilai_mandiri"),
        terverifikasi=totals(scored, instrument, "nilai_terverifikasi"),
        kd=kd,
    )


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
