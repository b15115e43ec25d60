"""run(): the order of the stages, from the inputs folder to every output. The only orchestrator."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline import config, tables
from pipeline.audit import (
    append_history,
    province_record,
    run_record,
    start_outputs,
    write_manifest,
)
from pipeline.export import machine_summary, write_exports
from pipeline.feedback import write_feedback
from pipeline.ingest.files import Progress, read_inputs
from pipeline.instrument import Instrument
from pipeline.merge import merge_answers
from pipeline.messages import sort_issues
from pipeline.province.export import write_province_exports
from pipeline.province.rank import ProvinceView, build_view
from pipeline.province.read import read_province_inputs
from pipeline.province.report import province_filename, write_province_report
from pipeline.province.settings import Province
from pipeline.region import Region
from pipeline.report.workbook import report_filename, write_report
from pipeline.score.results import score_results
from pipeline.sendlist import write_send_list
from pipeline.validate import validate_answers


@dataclass(frozen=True)
class RunOutput:
    """What a run produced and where it wrote it."""

    results: tables.Results
    report: Path
    feedback: list[Path]
    exports: list[Path]


@dataclass(frozen=True)
class ProvinceOutput:
    """What a province run produced and where it wrote it."""

    view: ProvinceView
    report: Path
    exports: list[Path]


def run(
    inputs_dir: Path,
    outputs_dir: Path,
    instrument: Instrument,
    region: Region,
    *,
    jobs: int = 0,
    on_read: Progress | None = None,
    example: bool = False,
    now: dt.datetime | None = None,
) -> RunOutput:
    """Ingest -> validate -> merge -> score -> write every output; return what was produced."""
    generated = (now or dt.datetime.now()).replace(microsecond=0).isoformat()
    ingested = read_inputs(inputs_dir, instrument, region, jobs=jobs, on_read=on_read)
    answers, answer_issues = validate_answers(ingested.cells, instrument)
    issues = sort_issues(pd.concat([ingested.issues, answer_issues], ignore_index=True))
    results = score(instrument, region, answers, ingested.files, issues, generated, example)
    outputs_dir = Path(outputs_dir)
    outputs_dir.mkdir(parents=True, exist_ok=True)
    start_outputs(outputs_dir)
    exports = write_exports(results, outputs_dir)
    feedback = write_feedback_fresh(answers, results, outputs_dir / config.OUT_FEEDBACK_DIR)
    report = write_report(
        results, outputs_dir / report_filename(results), summary=machine_summary(results)
    )
    remove_other_reports(outputs_dir, report)
    send = write_send_list(results, feedback, outputs_dir)
    append_history(outputs_dir, run_record(results))
    write_manifest(outputs_dir, [*exports, *feedback, report, *send], generated)
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
    return score_results(instrument, region, regional, files, issues, generated, example)


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
    for other in outputs_dir.glob(config.OUT_REPORT_PATTERN):
        if other.resolve() != report.resolve():
            other.unlink()


def run_province(
    inputs_dir: Path,
    outputs_dir: Path,
    province: Province,
    instrument: Instrument,
    *,
    example: bool = False,
    now: dt.datetime | None = None,
) -> ProvinceOutput:
    """The province view: read kab/kota results -> rank -> workbook, CSV, JSON; audited like run()."""
    generated = (now or dt.datetime.now()).replace(microsecond=0).isoformat()
    gathered = read_province_inputs(inputs_dir, province, instrument)
    view = build_view(province, instrument, gathered, generated, example)
    outputs_dir = Path(outputs_dir)
    outputs_dir.mkdir(parents=True, exist_ok=True)
    start_outputs(outputs_dir)
    exports = write_province_exports(view, outputs_dir)
    report = write_province_report(view, outputs_dir / province_filename(view))
    append_history(outputs_dir, province_record(view))
    write_manifest(outputs_dir, [*exports, report], generated)
    return ProvinceOutput(view, report, exports)
