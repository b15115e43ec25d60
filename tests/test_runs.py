"""Runs: inputs are never touched, a killed run never leaves outputs that look complete, runs repeat.

The kill test runs `python -m pipeline consolidate` as a child process and sends SIGKILL after delays
drawn from a seeded random generator.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import openpyxl

from pipeline import audit, config
from pipeline.consolidate import run
from pipeline.instrument import Instrument
from pipeline.region import Region
from pipeline.report.summary import made_at
from tests.builders import (
    DUKCAPIL_ANSWERS,
    make_inputs,
    returned,
    snapshot,
)

FIRST = dt.datetime(2024, 5, 1, 9, 0)
SECOND = dt.datetime(2024, 5, 2, 14, 30)
KILLS = 8
# Compared by content, with these run-time fields ignored (they hold when the run happened):
# - riwayat.jsonl and selesai.json (run records: time, and the hashes of the files written);
# - report and feedback workbooks: document properties (`created`) and any cell holding the
#   "Dibuat <tanggal> pukul <jam>" run time (report_summary.made_at).
RUN_RECORDS = {config.OUT_HISTORY, config.OUT_MANIFEST, config.DECISION_HISTORY_FILE}


def test_inputs_are_never_touched(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    inputs = make_inputs(tmp_path / "inputs", template_paths)
    before = snapshot(inputs)
    run(inputs, tmp_path / "outputs", instrument, region, jobs=2, now=FIRST)
    run(inputs, tmp_path / "outputs", instrument, region, jobs=1, now=SECOND)
    assert snapshot(inputs) == before


def output_files(outputs: Path) -> set[str]:
    return {
        p.relative_to(outputs).as_posix()
        for p in outputs.rglob("*")
        if p.is_file() and not p.name.startswith(".")
    }


def consolidate_command(inputs: Path, outputs: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pipeline",
        "consolidate",
        "--inputs",
        str(inputs),
        "--outputs",
        str(outputs),
        "--wilayah",
        str(config.EXAMPLE_REGION_FILE),
        "--jobs",
        "1",
        "--no-progress",
    ]


def history_lines(outputs: Path) -> list[bytes]:
    path = outputs / config.OUT_HISTORY
    return path.read_bytes().splitlines(keepends=True) if path.exists() else []


def assert_never_a_lying_manifest(outputs: Path, complete_set: set[str]) -> None:
    manifest = outputs / config.OUT_MANIFEST
    if manifest.exists():
        assert audit.outputs_complete(outputs)
        listed = set(json.loads(manifest.read_text(encoding="utf-8"))["berkas"])
        assert listed | RUN_RECORDS == complete_set


def test_sigkill_at_random_points(tmp_path: Path, template_paths: dict[str, Path]) -> None:
    inputs = make_inputs(tmp_path / "inputs", template_paths)
    outputs = tmp_path / "outputs"
    command = consolidate_command(inputs, outputs)
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=config.PROJECT_DIR)
    duration = time.perf_counter() - start
    complete_set = output_files(outputs)
    assert audit.outputs_complete(outputs)
    rng = random.Random(8)
    completed = 1
    for _ in range(KILLS):
        earlier = b"".join(history_lines(outputs))
        child = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=config.PROJECT_DIR
        )
        time.sleep(rng.uniform(0.3, 1.1) * duration)
        child.send_signal(signal.SIGKILL)
        completed += child.wait() == 0
        assert_never_a_lying_manifest(outputs, complete_set)
        history = (outputs / config.OUT_HISTORY).read_bytes()
        assert history.startswith(earlier)  # earlier lines never rewritten
        lines = history.splitlines(keepends=True)
        for line in lines[:-1]:
            json.loads(line)
        if child.returncode == 0:
            assert lines[-1].endswith(b"\n")
    subprocess.run(command, check=True, capture_output=True, cwd=config.PROJECT_DIR)
    assert audit.outputs_complete(outputs)
    assert output_files(outputs) == complete_set
    assert len(audit.read_history(outputs)) >= completed + 1
    print(f"\n{KILLS} kali dibunuh (lama satu proses {duration:.1f} s), {completed} selesai")


def workbook_values(path: Path, *ignored: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every sheet's values; text holding one of `ignored` (the run time) is left out."""
    book = openpyxl.load_workbook(path)
    return {
        sheet.title: [
            tuple(None if isinstance(v, str) and any(i in v for i in ignored) else v for v in row)
            for row in sheet.iter_rows(values_only=True)
        ]
        for sheet in book.worksheets
    }


def test_two_runs_give_the_same_results(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    inputs = make_inputs(tmp_path / "inputs", template_paths)
    first = run(inputs, tmp_path / "a", instrument, region, jobs=1, now=FIRST)
    second = run(inputs, tmp_path / "b", instrument, region, jobs=2, now=SECOND)
    names = output_files(tmp_path / "a")
    assert names == output_files(tmp_path / "b")
    for name in sorted(names - RUN_RECORDS):
        a, b = tmp_path / "a" / name, tmp_path / "b" / name
        if name.endswith(".xlsx"):
            # ignored: the run time, as shown on Ringkasan and as ISO in the hidden _ringkasan
            first_time, second_time = first.results.generated_at, second.results.generated_at
            assert workbook_values(a, made_at(first_time), first_time) == workbook_values(
                b, made_at(second_time), second_time
            ), name
        else:
            assert a.read_bytes() == b.read_bytes(), name


def question_rows(outputs: Path) -> dict[str, dict[str, str]]:
    with (outputs / config.OUT_QUESTIONS).open(encoding="utf-8-sig", newline="") as handle:
        return {row["kode"]: row for row in csv.DictReader(handle)}


def test_one_more_workbook_changes_only_what_it_brings(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    inputs = make_inputs(tmp_path / "inputs", template_paths, with_dukcapil=False)
    run(inputs, tmp_path / "a", instrument, region, jobs=1, now=FIRST)
    returned(template_paths["DUKCAPIL"], inputs / "dukcapil" / "isian.xlsx", DUKCAPIL_ANSWERS)
    run(inputs, tmp_path / "b", instrument, region, jobs=1, now=FIRST)
    before, after = question_rows(tmp_path / "a"), question_rows(tmp_path / "b")
    assert before.keys() == after.keys()
    changed = {code for code in before if before[code] != after[code]}
    assert changed
    assert {after[code]["opd"] for code in changed} == {"DUKCAPIL"}
    assert {"I04-P1", "I04-P4"} <= changed
    assert after["I04-P4"]["sumber_file"] == "dukcapil/isian.xlsx"
