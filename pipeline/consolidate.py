"""run(): the order of the stages, from the inputs folder to every output. The only orchestrator."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline import tables
from pipeline.audit import (
    MANIFEST_FILE,
    append_history,
    run_record,
    start_outputs,
    write_manifest,
)
from pipeline.export import write_exports
from pipeline.feedback import write_feedback
from pipeline.folders import check_separate, outputs_lock, speaking_write_errors
from pipeline.ingest.files import read_inputs
from pipeline.instrument import Instrument
from pipeline.merge import merge_answers
from pipeline.messages import sort_issues
from pipeline.owned import finish_owned, remove_stale
from pipeline.region import Region
from pipeline.report.workbook import report_filename, write_report
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
    """Ingest -> validate -> merge -> score -> write every output; return what was produced.

    Refused before anything is read when the folders overlap, or another run holds the outputs.
    """
    check_separate(inputs_dir, outputs_dir)
    with speaking_write_errors(Path(outputs_dir), MANIFEST_FILE):
        Path(outputs_dir).mkdir(parents=True, exist_ok=True)
        with outputs_lock(Path(outputs_dir)):
            return _run(
                inputs_dir, Path(outputs_dir), instrument, region, jobs, progress, example, now
            )


def _run(
    inputs_dir: Path,
    outputs_dir: Path,
    instrument: Instrument,
    region: Region,
    jobs: int,
    progress: bool,
    example: bool,
    now: dt.datetime | None,
) -> RunOutput:
    generated = (now or dt.datetime.now()).replace(microsecond=0).isoformat()
    ingested = read_inputs(inputs_dir, instrument, region, jobs=jobs, progress=progress)
    answers, answer_issues = validate_answers(ingested.cells, instrument)
    issues = sort_issues(pd.concat([ingested.issues, answer_issues], ignore_index=True))
    results = score(instrument, region, answers, ingested.files, issues, generated, example)
    owned = start_outputs(outputs_dir)
    exports = write_exports(results, outputs_dir)
    feedback = write_feedback(
        answers, results.issues, results.files, instrument, outputs_dir / FEEDBACK_DIR, region
    )
    report = write_report(results, outputs_dir / report_filename(results))
    remove_stale(outputs_dir, owned, [*exports, *feedback, report])
    append_history(outputs_dir, run_record(results))
    write_manifest(outputs_dir, [*exports, *feedback, report], generated)
    finish_owned(outputs_dir)
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
