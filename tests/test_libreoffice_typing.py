"""What a person types in LibreOffice is what counts: templates filled through LibreOffice's own input
path (tools/lo_fill.py, python3-uno) in an English and an Indonesian locale, saved as .xlsx and .ods,
then consolidated."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from pipeline import config
from pipeline.consolidate import run
from pipeline.ingest.parts import Package, read_ods_extents
from pipeline.instrument import Instrument
from pipeline.region import Region
from tests.builders import soffice_convert
from tools.fill import find_header, question_rows

pytestmark = pytest.mark.libreoffice

SYSTEM_PYTHON = "/usr/bin/python3"
LO_FILL = config.PROJECT_DIR / "tools" / "lo_fill.py"
LOCALES = ("en-US", "id-ID")
LINK = "https://drive.example.go.id/dok"
PHONE = "0812345678"
# Question code -> (typed text, the answer it must count as). Every persen example the Petunjuk
# gives (85, 85%, 12,5, 12.5) is here, plus what people also type.
TYPED = {
    "I12-P1": ("85%", "85"),
    "I12-P2": ("12,5", "12.5"),
    "I12-P3": ("97.5", "97.5"),
    "I13-P1": ("24 %", "24"),  # lower is better: 24 %, not 0.24 %
    "I13-P2": ("85", "85"),
    "I13-P3": ("12.5", "12.5"),
    "I12-P4": ("3", "3"),
    "I12-P6": (" ya ", "Ya"),
    "I12-P7": ("Tidak", "Tidak"),
    "I03-P1d": ("Sebagian besar", "Sebagian besar"),
}
# Typed into cells made General or percent beforehand (an older template, a pasted format).
TYPED_GENERAL = {"I14-P1": ("85%", "85"), "I14-P2": ("7,5 %", "7.5")}
# In a percent cell LibreOffice keeps 0,85 (en-US: 0.85) as 85% but a plain 40 as 4000%: what
# the cell shows counts, so 40 there is out of range, located, for the office to see and fix.
TYPED_PERCENT = {"I14-P3": ("0,85", "85"), "I14-P4": ("55%", "55"), "I14-P5": ("40", "")}
EN_DECIMAL = {"0,85": "0.85"}


def _uno_available() -> bool:
    if shutil.which("soffice") is None or not Path(SYSTEM_PYTHON).exists():
        return False
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, check=False)
    return probe.returncode == 0


def lo_fill(job: dict[str, Any], work: Path) -> dict[str, Any]:
    """Run tools/lo_fill.py with the system Python (python3-uno); its JSON report."""
    if not _uno_available():
        pytest.skip("LibreOffice dan python3-uno diperlukan; .ci/run memasangnya di CI")
    job_file = work / "job.json"
    job_file.write_text(json.dumps(job), encoding="utf-8")
    done = subprocess.run(
        [SYSTEM_PYTHON, str(LO_FILL), str(job_file)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return dict(json.loads(done.stdout))


def _prepared_template(template: Path, target: Path, locale: str) -> dict[str, dict[str, str]]:
    """The template with a few Persen cells made General or percent; the cells to type."""
    book = openpyxl.load_workbook(template)
    sheet = book[config.SHEET_ANSWERS]
    _, columns = find_header(sheet)
    rows = question_rows(sheet)
    answer, evidence = columns[config.COL_ANSWER], columns[config.COL_EVIDENCE]
    for codes, number_format in ((TYPED_GENERAL, "General"), (TYPED_PERCENT, "0%")):
        for code in codes:
            sheet.cell(rows[code], answer).number_format = number_format
    book.save(target)
    letter = openpyxl.utils.get_column_letter
    isian: dict[str, str] = {}
    for code, (typed, _) in {**TYPED, **TYPED_GENERAL, **TYPED_PERCENT}.items():
        if locale == "en-US":
            typed = EN_DECIMAL.get(typed, typed)
        isian[f"{letter(answer)}{rows[code]}"] = typed
        isian[f"{letter(evidence)}{rows[code]}"] = LINK
    identity = book[config.SHEET_IDENTITY]
    labels = {identity.cell(r, 1).value: r for r in range(1, identity.max_row + 1)}
    return {
        config.SHEET_ANSWERS: isian,
        config.SHEET_IDENTITY: {
            f"B{labels[config.ID_CONTACT_NAME]}": "Siti Aminah",
            f"B{labels[config.ID_CONTACT_PHONE]}": PHONE,
        },
    }


@pytest.fixture(scope="module", params=LOCALES)
def typed_files(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    template_paths: dict[str, Path],
) -> tuple[str, dict[str, Any], list[Path]]:
    work = tmp_path_factory.mktemp(f"lo_{request.param}")
    source = work / "template.xlsx"
    cells = _prepared_template(template_paths["DINKES"], source, request.param)
    outputs = [work / "xlsx" / "dinkes.xlsx", work / "ods" / "dinkes.ods"]
    for output in outputs:
        output.parent.mkdir()
    job = {"source": str(source), "locale": request.param, "cells": cells}
    report = lo_fill({**job, "outputs": [str(p) for p in outputs]}, work)
    return request.param, report, outputs


def test_libreoffice_stores_what_was_typed_as_people_see_it(
    typed_files: tuple[str, dict[str, Any], list[Path]],
) -> None:
    locale, report, _ = typed_files
    cells = report["cells"]
    phone = next(c for c in cells.values() if c["typed"] == PHONE)
    assert (phone["type"], phone["shown"]) == ("TEXT", PHONE)  # the zero is kept
    percent = [c for c in cells.values() if c["typed"] in ("85%", "7,5 %", "55%")]
    general = [c for c in percent if c["percent"]]
    assert general, locale  # the older cells really hold 0.85 with a percent format


def test_petunjuk_examples_pass_the_cells_own_check(
    typed_files: tuple[str, dict[str, Any], list[Path]],
) -> None:
    """Only ` ya ` (not a list entry: ingest reads it) fails LibreOffice's own validation."""
    _, report, _ = typed_files
    ya_cell = next(name for name, c in report["cells"].items() if c["typed"] == " ya ")
    assert report["invalid"] == [ya_cell]


@pytest.mark.parametrize("kind", [".xlsx", ".ods"])
def test_every_typed_answer_scores_as_meant(
    typed_files: tuple[str, dict[str, Any], list[Path]],
    kind: str,
    tmp_path: Path,
    instrument: Instrument,
    region: Region,
) -> None:
    locale, _, outputs = typed_files
    inputs = next(p for p in outputs if p.suffix == kind).parent
    output = run(inputs, tmp_path / "out", instrument, region, jobs=1)
    scored = output.results.scored.set_index("kode")
    typed = {**TYPED, **TYPED_GENERAL, **TYPED_PERCENT}
    expected = {code: meant for code, (_, meant) in typed.items()}
    assert scored.loc[list(expected), "jawaban"].to_dict() == expected, locale
    statuses = scored.loc[list(expected), "status"].to_dict()
    assert statuses == {code: "dijawab" if meant else "ditolak" for code, meant in expected.items()}
    issues = output.results.issues
    found = {
        (kode, code, value)
        for kode, code, value in zip(issues["kode"], issues["code"], issues["value"], strict=True)
        if kode in expected
    }
    assert found == {("I14-P5", "nilai-di-luar-rentang", "4000%")}  # no warning for the rest
    completeness = output.results.completeness.set_index("opd")
    assert completeness.loc["DINKES", "narahubung_telepon"] == PHONE


def test_no_row_is_shorter_than_its_wrapped_text(
    template_paths: dict[str, Path], tmp_path: Path
) -> None:
    """Every row of every visible sheet is at least as tall as LibreOffice needs for its text.

    LibreOffice's optimal height is its own count of wrapped lines x line height, measured in
    the fonts it renders with; 1 point of slack for rounding.
    """
    report = lo_fill({"source": str(template_paths["DINKES"]), "row_heights": True}, tmp_path)
    heights = report["row_heights"]
    assert set(heights) == {config.SHEET_GUIDE, config.SHEET_IDENTITY, config.SHEET_ANSWERS}
    short = [
        (sheet, row, set_height, needed)
        for sheet, rows in heights.items()
        for row, set_height, needed in rows
        if set_height < needed - 1
    ]
    assert short == []


def test_petunjuk_prints_on_one_page(template_paths: dict[str, Path], tmp_path: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) diperlukan")
    done = soffice_convert(template_paths["DINKES"], "pdf", tmp_path)
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / template_paths["DINKES"].with_suffix(".pdf").name
    pages = [
        subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for page in (1, 2)
    ]
    assert "Petunjuk Pengisian" in pages[0] and "6. OPD pendukung" in pages[0]
    assert "verifikasi." in pages[0]  # the end of the Data Dukung line is printed
    assert pages[1].split("\n", 3)[-1].lstrip().startswith("Identitas OPD")


def test_consolidate_command_scores_the_typed_ods(
    typed_files: tuple[str, dict[str, Any], list[Path]], tmp_path: Path
) -> None:
    """The command `make consolidate` runs, on the .ods LibreOffice saved: exit 0, answers as meant."""
    locale, _, outputs = typed_files
    inputs = next(p for p in outputs if p.suffix == ".ods").parent
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline",
            "consolidate",
            "--inputs",
            str(inputs),
            "--outputs",
            str(tmp_path / "hasil"),
            "--wilayah",
            str(config.EXAMPLE_REGION_FILE),
            "--jobs",
            "1",
            "--no-progress",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=config.PROJECT_DIR,
    )
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-2000:]
    with (tmp_path / "hasil" / "nilai_pertanyaan.csv").open(encoding="utf-8-sig") as handle:
        answers = {row["kode"]: row["jawaban"] for row in csv.DictReader(handle)}
    typed = {**TYPED, **TYPED_GENERAL, **TYPED_PERCENT}
    assert {code: answers[code] for code in typed} == {c: m for c, (_, m) in typed.items()}, locale


def test_ods_size_check_sees_every_table_libreoffice_wrote(
    typed_files: tuple[str, dict[str, Any], list[Path]],
) -> None:
    """`<table:table-column>` is not a table: each table is measured under its own name."""
    _, _, outputs = typed_files
    ods = next(p for p in outputs if p.suffix == ".ods")
    extents = read_ods_extents(Package(ods.read_bytes()))
    assert set(extents) == {
        config.SHEET_GUIDE,
        config.SHEET_IDENTITY,
        config.SHEET_ANSWERS,
        config.SHEET_META,
    }
    assert extents[config.SHEET_ANSWERS][1] == 11  # No .. Tingkat Wilayah
