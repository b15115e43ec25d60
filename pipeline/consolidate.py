"""run(): the order of the stages, from the inputs folder to every output. The only orchestrator."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
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
from pipeline.beside import run_beside
from pipeline.decision_history import append_decision_history
from pipeline.decisions import check_decisions
from pipeline.export import machine_summary, write_exports
from pipeline.feedback import write_feedback
from pipeline.folders import check_separate, outputs_lock, speaking_write_errors
from pipeline.ingest.files import Progress, Reading, read_inputs
from pipeline.ingest.previous import read_previous
from pipeline.instrument import Instrument
from pipeline.mapping import (
    Mapping,
    carry_previous,
    default_mapping_file,
    read_comparison_settings,
    read_mapping,
)
from pipeline.merge import merge_answers
from pipeline.messages import issues_frame, sort_issues
from pipeline.owned import finish_owned, remove_stale
from pipeline.province.export import write_province_exports
from pipeline.province.rank import ProvinceView, build_view
from pipeline.province.read import read_province_inputs
from pipeline.province.report import province_filename, write_province_report
from pipeline.province.settings import Province
from pipeline.region import Region
from pipeline.report.workbook import data_time, report_filename, write_report
from pipeline.score.comparison import compare
from pipeline.score.results import score_results
from pipeline.sendlist import write_send_list
from pipeline.templates.history import TemplateHistory
from pipeline.templates.verification import write_verification_workbooks
from pipeline.validate import validate_answers
from pipeline.verification_rules import VerificationRules, read_verification_rules


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
    previous: Path | None = None,
    mapping_file: Path | None = None,
    reading: Reading | None = None,
) -> RunOutput:
    """Ingest -> validate -> merge -> score -> write every output; return what was produced.

    Refused before anything is written when the folders overlap, or another run holds the outputs
    (before anything is read, unless `reading` was started: the command line starts reading first,
    files.start_reading, so that the files are read while pandas loads).
    """
    check_separate(inputs_dir, outputs_dir)
    with speaking_write_errors(Path(outputs_dir), config.OUT_MANIFEST):
        Path(outputs_dir).mkdir(parents=True, exist_ok=True)
        with outputs_lock(Path(outputs_dir)):
            return _run(
                inputs_dir,
                Path(outputs_dir),
                instrument,
                region,
                jobs,
                on_read,
                example,
                now,
                previous,
                mapping_file,
                reading,
            )


def _run(
    inputs_dir: Path,
    outputs_dir: Path,
    instrument: Instrument,
    region: Region,
    jobs: int,
    on_read: Progress | None,
    example: bool,
    now: dt.datetime | None,
    previous: Path | None,
    mapping_file: Path | None,
    reading: Reading | None = None,
) -> RunOutput:
    generated = (now or dt.datetime.now()).replace(microsecond=0).isoformat()
    rules = read_verification_rules()
    ingested = read_inputs(
        inputs_dir, instrument, region, jobs=jobs, on_read=on_read, started=reading
    )
    answers, answer_issues = validate_answers(ingested.cells, instrument, rules.is_vague)
    in_force, decided, decision_issues = check_decisions(ingested.decisions, instrument, rules)
    found = [ingested.issues, answer_issues, decision_issues]
    issues = sort_issues(pd.concat(found, ignore_index=True))
    regional = merge_answers(instrument, region, answers, ingested.files, issues)
    results = score_results(
        instrument,
        region,
        regional,
        ingested.files,
        issues,
        generated,
        example,
        in_force,
        decided,
        rules,
        ingested.units,
    )
    if previous is not None:
        results = with_comparison(results, previous, mapping_file)
    owned = start_outputs(outputs_dir)
    others = functools.partial(_write_other_outputs, answers, results, rules, outputs_dir)
    workbook = functools.partial(_write_report, results, outputs_dir)
    (exports, feedback, office_files), report = run_beside(others, workbook, parallel=jobs != 1)
    append_decision_history(outputs_dir, results.decisions, generated)
    written = [*exports, *feedback, report, *office_files]
    remove_stale(outputs_dir, owned, written)
    append_history(outputs_dir, run_record(results))
    write_manifest(outputs_dir, written, generated)
    finish_owned(outputs_dir)
    return RunOutput(results, report, feedback, exports)


def _write_report(results: tables.Results, outputs_dir: Path) -> Path:
    """The consolidated workbook: the largest output, written while the others are written beside."""
    return write_report(
        results, outputs_dir / report_filename(results), summary=machine_summary(results)
    )


def _write_other_outputs(
    answers: pd.DataFrame,
    results: tables.Results,
    rules: VerificationRules,
    outputs_dir: Path,
) -> tuple[list[Path], list[Path], list[Path]]:
    """CSV/JSON exports, feedback per office, the send list and the verification workbooks:
    (exports, feedback, the others)."""
    exports = write_exports(results, outputs_dir)
    feedback = write_feedback(
        answers,
        results.issues,
        results.files,
        results.instrument,
        outputs_dir / config.OUT_FEEDBACK_DIR,
        results.region,
    )
    send = write_send_list(results, feedback, outputs_dir)
    verification = write_verification_workbooks(
        results.scored,
        results.instrument,
        results.region,
        rules,
        outputs_dir / config.VERIFICATION_DIR,
        results.verification_round,
        data_time(results.files),
    )
    return exports, feedback, [*send, *verification]


def with_comparison(
    results: tables.Results, previous: Path, mapping_file: Path | None
) -> tables.Results:
    """Read last year's results, carry them through the mapping, compare; notes join the issues."""
    instrument = results.instrument
    last, mapping, carried, notes = read_carried(previous, mapping_file, instrument, results.region)
    settings = read_comparison_settings()
    comparison = compare(results.scored, carried, last, mapping, instrument, settings)
    found = [frame for frame in (results.issues, notes) if len(frame)]
    issues = sort_issues(pd.concat(found, ignore_index=True)) if found else results.issues
    return dataclasses.replace(results, issues=issues, comparison=comparison)


def read_template_history(
    previous: Path, mapping_file: Path | None, instrument: Instrument, region: Region
) -> tuple[TemplateHistory, pd.DataFrame]:
    """Last year's values for `make templates SEBELUMNYA=...`, and the notes found reading them."""
    last, _, carried, notes = read_carried(previous, mapping_file, instrument, region)
    return TemplateHistory(last.tahun, carried), notes


def read_carried(
    previous: Path, mapping_file: Path | None, instrument: Instrument, region: Region
) -> tuple[tables.PreviousResults, Mapping, pd.DataFrame, pd.DataFrame]:
    """Last year's results, the mapping, their values on this instrument (CARRIED), the notes."""
    last = read_previous(previous, instrument, region)
    mapping = read_mapping(mapping_file or default_mapping_file(instrument), instrument)
    carried, found = carry_previous(last.answers, mapping, instrument, Path(last.source).name)
    notes = pd.concat([last.issues, issues_frame(found)], ignore_index=True)
    return last, mapping, carried, sort_issues(notes)


def run_province(
    inputs_dir: Path,
    outputs_dir: Path,
    province: Province,
    instrument: Instrument,
    *,
    example: bool = False,
    now: dt.datetime | None = None,
) -> ProvinceOutput:
    """The province view: read kab/kota results -> rank -> workbook, CSV, JSON; guarded like run()."""
    check_separate(inputs_dir, outputs_dir)
    outputs_dir = Path(outputs_dir)
    with speaking_write_errors(outputs_dir, config.OUT_MANIFEST):
        outputs_dir.mkdir(parents=True, exist_ok=True)
        with outputs_lock(outputs_dir):
            return _run_province(inputs_dir, outputs_dir, province, instrument, example, now)


def _run_province(
    inputs_dir: Path,
    outputs_dir: Path,
    province: Province,
    instrument: Instrument,
    example: bool,
    now: dt.datetime | None,
) -> ProvinceOutput:
    generated = (now or dt.datetime.now()).replace(microsecond=0).isoformat()
    gathered = read_province_inputs(inputs_dir, province, instrument)
    view = build_view(province, instrument, gathered, generated, example)
    owned = start_outputs(outputs_dir)
    exports = write_province_exports(view, outputs_dir)
    report = write_province_report(view, outputs_dir / province_filename(view))
    remove_stale(outputs_dir, owned, [*exports, report])
    append_history(outputs_dir, province_record(view))
    write_manifest(outputs_dir, [*exports, report], generated)
    finish_owned(outputs_dir)
    return ProvinceOutput(view, report, exports)
