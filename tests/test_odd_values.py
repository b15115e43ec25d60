"""Values that must not pass in silence: failed formula results, absurd numbers, a letter O for 0."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from pipeline import tables
from pipeline.ingest.files import read_inputs
from pipeline.instrument import Instrument
from pipeline.region import Region
from pipeline.validate import validate_answers
from tests.builders import DINKES_ANSWERS, returned, soffice_convert
from tools.fill import Filled

EVIDENCE = "https://drive.example.go.id/a"


def validated(inputs: Path, instrument: Instrument, region: Region) -> list[tuple[str, str, str]]:
    """Every issue of ingest and validation as (cell, question code, issue code), sorted."""
    ingested = read_inputs(inputs, instrument, region, jobs=1)
    _, issues = validate_answers(ingested.cells, instrument)
    every = [*ingested.issues.itertuples(), *issues.itertuples()]
    return sorted((f"{r.sheet}!{r.cell}", str(r.kode), str(r.code)) for r in every)


@pytest.mark.libreoffice
@pytest.mark.parametrize("target", ["xlsx"])
def test_failed_formula_results_saved_by_libreoffice(
    tmp_path: Path,
    template_paths: dict[str, Path],
    instrument: Instrument,
    region: Region,
    target: str,
) -> None:
    """#DIV/0!, #N/A and an empty-text result, computed and saved by LibreOffice itself."""
    answers = {
        **DINKES_ANSWERS,
        "I12-P1": Filled("=1/0", EVIDENCE),
        "I12-P4": Filled('=IF(1,"","")', EVIDENCE),
        "I12-P6": Filled("=NA()", "SK Kepala Dinas No. 4/2023"),
    }
    source = returned(template_paths["DINKES"], tmp_path / "kerja" / "dinkes.xlsx", answers)
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    done = soffice_convert(source, target, inputs)
    assert done.returncode == 0, done.stderr
    shutil.rmtree(inputs / "_lo_profile", ignore_errors=True)
    assert validated(inputs, instrument, region) == [
        ("Isian!F10", "I12-P1", "rumus-menghasilkan-galat"),
        ("Isian!F13", "I12-P4", "rumus-menghasilkan-galat"),
        ("Isian!F15", "I12-P6", "rumus-menghasilkan-galat"),
    ]
    ingested = read_inputs(inputs, instrument, region, jobs=1)
    _, issues = validate_answers(ingested.cells, instrument)
    assert "=1/0 -> #DIV/0!" in issues.set_index("kode").loc["I12-P1", "message"]


@pytest.mark.parametrize(
    ("code", "typed", "expected"),
    [
        ("I12-P4", 1e308, "angka-tidak-wajar"),
        ("I12-P4", "9" * 309, "angka-tidak-wajar"),
        ("I12-P4", "1" + "0" * 20, "angka-tidak-wajar"),
        ("I12-P1", "9O", "huruf-seperti-angka"),
        ("I12-P4", "1OO", "huruf-seperti-angka"),
        ("I12-P4", "2l", "huruf-seperti-angka"),
        ("I12-P1", "#DIV/0!", "rumus-menghasilkan-galat"),  # an error cell (t="e"), no formula
        ("I12-P6", "#N/A", "rumus-menghasilkan-galat"),
    ],
)
def test_absurd_or_misread_values_are_rejected(
    tmp_path: Path,
    template_paths: dict[str, Path],
    instrument: Instrument,
    region: Region,
    code: str,
    typed: Any,
    expected: str,
) -> None:
    answers = {**DINKES_ANSWERS, code: Filled(typed, EVIDENCE)}
    returned(template_paths["DINKES"], tmp_path / "dinkes.xlsx", answers)
    found = [(kode, slug) for _, kode, slug in validated(tmp_path, instrument, region)]
    assert found == [(code, expected)]


def test_ordinary_units_still_read(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    answers = {**DINKES_ANSWERS, "I12-P4": Filled("14 orang", EVIDENCE)}
    returned(template_paths["DINKES"], tmp_path / "dinkes.xlsx", answers)
    ingested = read_inputs(tmp_path, instrument, region, jobs=1)
    answers_frame, _ = validate_answers(ingested.cells, instrument)
    row = answers_frame.set_index("kode").loc["I12-P4"]
    assert (row["nilai_angka"], row["status_jawaban"]) == (14.0, tables.STATUS_ANSWERED)
