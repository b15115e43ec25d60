"""Feedback workbooks: one per office with issues, problems in reading order, cells marked, safe."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd

from pipeline.feedback import INTRO_ROWS, SHEET_ANSWERS, SHEET_PROBLEMS, write_feedback
from pipeline.ingest.files import read_inputs
from pipeline.instrument import Instrument
from pipeline.region import Region
from pipeline.validate import validate_answers
from tests.builders import DINKES_ANSWERS, edit_meta, returned
from tools.fill import Filled

LINK = "https://drive.example.go.id/x"


def _run(inputs: Path, out: Path, instrument: Instrument, region: Region) -> list[Path]:
    ingested = read_inputs(inputs, instrument, region, jobs=1)
    answers, answer_issues = validate_answers(ingested.cells, instrument)
    issues = pd.concat([ingested.issues, answer_issues], ignore_index=True)
    return write_feedback(answers, issues, ingested.files, instrument, out)


def test_feedback_per_office(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    inputs = tmp_path / "inputs"
    bad = {
        "I12-P6": Filled("Yaa", LINK),
        "I12-P1": Filled(120, LINK),
        "I12-P2": Filled("=F10/2", LINK),  # openpyxl writes a formula: no cached value
        "I03-P1d": Filled("Seluruhnya", None),
    }
    returned(template_paths["DINKES"], inputs / "dinkes.xlsx", bad, identity={})
    returned(template_paths["HUKUM"], inputs / "hukum.xlsx", {"I01-P1": Filled("Perda", LINK)})
    edit_meta(returned(template_paths["DUKCAPIL"], inputs / "capil.xlsx", {}), {"tahun": "2023"})
    out = tmp_path / "umpan_balik"
    paths = _run(inputs, out, instrument, region)
    assert [p.name for p in paths] == [
        "DINKES_Dinas_Kesehatan_Kabupaten_Sukamaju_Raya.xlsx",
        "DUKCAPIL_Dinas_Kependudukan_dan_Pencatatan_Sipil_Kabupaten_Sukamaju_Raya.xlsx",
        # no issue, but unanswered questions: the office gets its to-do list
        "HUKUM_Bagian_Hukum_Sekretariat_Daerah_Kabupaten_Sukamaju_Raya.xlsx",
    ]
    intro = [c.value for c in openpyxl.load_workbook(paths[2])[SHEET_PROBLEMS]["A"][:INTRO_ROWS]]
    hukum = [q.kode for q in instrument.questions if q.opd_utama == "HUKUM"]
    assert (
        f"0 galat (jawaban ditolak, nilainya 0) dan 0 peringatan; {len(hukum) - 1} dari" in intro[1]
    )
    assert intro[2] == "Belum dijawab: " + ", ".join(k for k in hukum if k != "I01-P1") + "."
    book = openpyxl.load_workbook(paths[0])
    assert book.sheetnames == [SHEET_PROBLEMS, SHEET_ANSWERS]
    problems = book[SHEET_PROBLEMS]
    listed = [
        (row[2], row[5]) for row in problems.iter_rows(min_row=INTRO_ROWS + 2, values_only=True)
    ]
    assert listed == [
        ("Identitas!B7", "Peringatan"),
        ("Identitas!B9", "Peringatan"),
        ("Isian!G7", "Peringatan"),
        ("Isian!F10", "Galat"),
        ("Isian!F11", "Galat"),
        ("Isian!F15", "Galat"),
    ]
    answers_sheet = book[SHEET_ANSWERS]
    rows = {row[1].value: row for row in answers_sheet.iter_rows(min_row=2)}
    answer_cell, evidence_cell = rows["I12-P6"][3], rows["I12-P6"][4]
    assert answer_cell.value == "Yaa"
    assert answer_cell.fill.fgColor.rgb.endswith("F4B6B6")
    assert answer_cell.comment is not None and "Ya, Tidak" in answer_cell.comment.text
    assert evidence_cell.comment is None
    formula_text = rows["I12-P2"][3]
    assert formula_text.value == "=F10/2" and formula_text.data_type == "s"
    capil = openpyxl.load_workbook(paths[1])
    assert capil.sheetnames == [SHEET_PROBLEMS]
    assert [
        r[6] for r in capil[SHEET_PROBLEMS].iter_rows(min_row=INTRO_ROWS + 2, values_only=True)
    ] == ["2023"]


def test_feedback_is_deterministic(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    inputs = tmp_path / "inputs"
    answers = {**DINKES_ANSWERS, "I12-P6": Filled("Yaa", LINK)}
    returned(template_paths["DINKES"], inputs / "dinkes.xlsx", answers)
    first = _run(inputs, tmp_path / "a", instrument, region)
    second = _run(inputs, tmp_path / "b", instrument, region)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert not list((tmp_path / "a").glob(".*tmp"))
