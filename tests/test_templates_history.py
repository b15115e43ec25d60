"""Templates with last year's answers beside each input (SEBELUMNYA); without it, exactly today's."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from pipeline import config, tables
from pipeline.cli import main
from pipeline.consolidate import read_template_history
from pipeline.ingest.files import read_inputs
from pipeline.instrument import Instrument, read_instrument
from pipeline.region import Region, read_region
from pipeline.templates.history import NO_COUNTERPART, TemplateHistory
from pipeline.templates.opd import HEADER_ROW, ISIAN_COLUMNS, plan_templates, write_templates
from pipeline.validate import validate_answers
from tests.builders import SOFFICE
from tools.fill import Filled, fill_template

NOW = dt.datetime(2024, 3, 1, 8, 0, 0)
ROLE = "HUKUM"  # answers the regulations


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.xlsx"))
    }


def _header(sheet) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.value for c in sheet[HEADER_ROW + 1] if c.value is not None]


def _path(folder: Path, role: str) -> Path:
    return next(p for p in folder.glob("*.xlsx") if p.name.split("_")[1] == role)


@pytest.fixture(scope="module")
def history(instrument: Instrument, region: Region) -> TemplateHistory:
    found, notes = read_template_history(config.EXAMPLE_PREVIOUS_DIR, None, instrument, region)
    assert notes.empty
    return found


@pytest.fixture(scope="module")
def with_history(
    tmp_path_factory: pytest.TempPathFactory,
    instrument: Instrument,
    region: Region,
    history: TemplateHistory,
) -> Path:
    out = tmp_path_factory.mktemp("with_history")
    write_templates(instrument, region, out, now=NOW, history=history)
    return out / str(region.tahun)


@pytest.fixture(scope="module")
def without_history(
    tmp_path_factory: pytest.TempPathFactory, instrument: Instrument, region: Region
) -> Path:
    out = tmp_path_factory.mktemp("without_history")
    write_templates(instrument, region, out, now=NOW)
    return out / str(region.tahun)


def test_without_history_the_template_is_unchanged(
    tmp_path: Path, instrument: Instrument, region: Region, without_history: Path
) -> None:
    write_templates(instrument, region, tmp_path, now=NOW, history=None)
    assert _digests(tmp_path / str(region.tahun)) == _digests(without_history)  # byte-equal
    sheet = openpyxl.load_workbook(_path(without_history, ROLE))[config.SHEET_ANSWERS]
    assert _header(sheet) == [name for name, _ in ISIAN_COLUMNS]


def test_contract_columns_do_not_move(with_history: Path, without_history: Path) -> None:
    for path in sorted(without_history.glob("*.xlsx")):
        plain = _header(openpyxl.load_workbook(path)[config.SHEET_ANSWERS])
        shown = _header(openpyxl.load_workbook(with_history / path.name)[config.SHEET_ANSWERS])
        for name in config.CONTRACT_HEADERS:
            assert shown.index(name) == plain.index(name)
        after_note = shown[plain.index(config.COL_NOTE) + 1 :][:4]
        assert after_note == [
            "Jawaban 2023",
            "Data Dukung 2023",
            "Status Verifikasi 2023",
            "Catatan Verifikator 2023",
        ]
        assert [h for h in shown if h not in after_note] == plain


def test_history_cells_show_last_year_read_only(
    with_history: Path, history: TemplateHistory
) -> None:
    book = openpyxl.load_workbook(_path(with_history, ROLE))
    sheet = book[config.SHEET_ANSWERS]
    header = _header(sheet)
    col = {name: header.index(name) + 1 for name in header}
    carried = history.carried.set_index("kode")
    rows = 0
    for row in range(HEADER_ROW + 2, sheet.max_row + 1):
        kode = sheet.cell(row, col[config.COL_CODE]).value
        if kode not in carried.index:
            continue
        rows += 1
        shown = sheet.cell(row, col["Jawaban 2023"])
        assert shown.value == carried.loc[kode, "jawaban_lalu"]
        assert shown.data_type == "s"
        assert shown.protection.locked
        assert (
            sheet.cell(row, col["Data Dukung 2023"]).value == carried.loc[kode, "data_dukung_lalu"]
        )
        assert sheet.cell(row, col[config.COL_ANSWER]).value is None  # input stays empty
        assert not sheet.cell(row, col[config.COL_ANSWER]).protection.locked
    assert rows > 20
    assert sheet.protection.sheet


def test_verifier_note_only_where_not_accepted(history: TemplateHistory) -> None:
    carried = history.carried.copy()
    carried.loc[0, ["status_verifikasi_lalu", "catatan_verifikasi_lalu"]] = [
        "ditolak",
        "SK kedaluwarsa",
    ]
    carried.loc[1, ["status_verifikasi_lalu", "catatan_verifikasi_lalu"]] = [
        tables.PREVIOUS_VERIFIED,
        "lengkap",
    ]
    changed = TemplateHistory(2023, carried)
    assert changed.values(carried.loc[0, "kode"])[2:] == ["ditolak", "SK kedaluwarsa"]
    assert changed.values(carried.loc[1, "kode"])[2:] == [tables.PREVIOUS_VERIFIED, ""]
    missing = carried.assign(kode_lalu="")
    assert TemplateHistory(2023, missing).values(carried.loc[0, "kode"]) == [
        NO_COUNTERPART,
        "",
        "",
        "",
    ]


def test_guide_explains_the_history_columns(with_history: Path, without_history: Path) -> None:
    def guide(folder: Path) -> list[str]:
        sheet = openpyxl.load_workbook(_path(folder, ROLE))[config.SHEET_GUIDE]
        return [c.value for c in sheet["A"] if c.value]

    assert "Jawaban tahun 2023 (kolom abu-abu, hanya dibaca)" in guide(with_history)
    assert not any("2023 (kolom" in line for line in guide(without_history))


def test_filled_history_template_is_read_from_the_input_columns(
    tmp_path: Path, with_history: Path, instrument: Instrument, region: Region
) -> None:
    template = _path(with_history, ROLE)
    questions = [q for q in instrument.questions if region.office_role(q.opd_utama) == ROLE]
    answers = {
        q.kode: Filled("Perda", "https://jdih.example.go.id/perda-1-2024.pdf")
        for q in questions[:3]
    }
    inputs = tmp_path / "inputs"
    fill_template(template, inputs / template.name, answers)
    ingested = read_inputs(inputs, instrument, region, jobs=1)
    assert list(ingested.files["status"]) == [tables.FILE_USED]
    cells = ingested.cells.set_index("kode")
    for kode in answers:
        assert cells.loc[kode, "jawaban_mentah"] == "Perda"
        assert cells.loc[kode, "jawaban_sel"].startswith("F")
    unanswered = cells.drop(index=list(answers))
    assert set(unanswered["jawaban_mentah"].astype(str).str.strip()) <= {"", "None", "nan"}


UNO_PYTHON = Path("/usr/bin/python3")
UNO_SCRIPT = Path(__file__).with_name("uno_type.py")


def test_history_template_typed_in_libreoffice(
    tmp_path: Path, with_history: Path, instrument: Instrument, region: Region
) -> None:
    """An office types answers in LibreOffice and saves .xlsx and .ods: the inputs are read."""
    if SOFFICE is None or not UNO_PYTHON.exists():
        pytest.skip("LibreOffice atau python3-uno tidak terpasang")
    template = _path(with_history, ROLE)
    rows = _question_rows(openpyxl.load_workbook(template)[config.SHEET_ANSWERS])
    codes = [q.kode for q in instrument.questions if region.office_role(q.opd_utama) == ROLE][:3]
    typed = {"Perda": codes[0], "perbup/perwal": codes[1], "Belum ada": codes[2]}
    cells = {f"F{rows[kode]}": answer for answer, kode in typed.items()}
    cells |= {f"G{rows[kode]}": f"https://jdih.example.go.id/{kode}.pdf" for kode in codes}
    saved = {
        "xlsx": tmp_path / "xlsx" / template.name,
        "ods": tmp_path / "ods" / f"{template.stem}.ods",
    }
    job = {
        "sheet": config.SHEET_ANSWERS,
        "cells": cells,
        "save": [[str(saved["xlsx"]), "Calc MS Excel 2007 XML"], [str(saved["ods"]), "calc8"]],
    }
    for path in saved.values():
        path.parent.mkdir()
    done = subprocess.run(
        [
            str(UNO_PYTHON),
            str(UNO_SCRIPT),
            SOFFICE,
            str(tmp_path / "profile"),
            str(template),
            json.dumps(job),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for path in saved.values():
        ingested = read_inputs(path.parent, instrument, region, jobs=1)
        assert list(ingested.files["status"]) == [tables.FILE_USED], ingested.issues
        read = ingested.cells.set_index("kode")
        assert {read.loc[k, "jawaban_mentah"]: k for k in codes} == typed
        assert (
            read.loc[codes[0], "data_dukung_mentah"] == f"https://jdih.example.go.id/{codes[0]}.pdf"
        )
        history = openpyxl.load_workbook(saved["xlsx"])[config.SHEET_ANSWERS]
        header = _header(history)
        assert header.index("Jawaban 2023") == header.index(config.COL_NOTE) + 1


def _question_rows(sheet) -> dict[str, int]:  # type: ignore[no-untyped-def]
    header = _header(sheet)
    code_col = header.index(config.COL_CODE) + 1
    return {
        sheet.cell(row, code_col).value: row
        for row in range(HEADER_ROW + 2, sheet.max_row + 1)
        if sheet.cell(row, code_col).value
    }


def test_cli_templates_with_previous(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["templates", "--wilayah", str(config.EXAMPLE_REGION_FILE), "--out", str(tmp_path)]
    assert main([*args, "--sebelumnya", str(config.EXAMPLE_PREVIOUS_DIR)]) == 0
    screen = capsys.readouterr().out
    assert "Jawaban tahun 2023 dari" in screen
    assert " template ditulis ke " in screen
    assert len(list((tmp_path / "2024").glob("*.xlsx"))) == len(
        plan_templates(
            read_instrument(config.SCHEMAS_DIR / "kla-2024.toml"),
            read_region(config.EXAMPLE_REGION_FILE),
        )
    )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--sebelumnya", "tidak/ada"], "GALAT: Hasil tahun lalu tidak ditemukan: tidak/ada."),
        (
            ["--sebelumnya", "contoh/2023/outputs", "--peta", "peta.csv"],
            "GALAT: Berkas peta pertanyaan tidak ditemukan",
        ),
    ],
)
def test_cli_bad_previous_is_a_message_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    args = ["consolidate", "--inputs", str(inputs), "--outputs", str(tmp_path / "out")]
    args += ["--wilayah", str(config.EXAMPLE_REGION_FILE), "--no-progress", *extra]
    assert main(args) == 1
    error = capsys.readouterr().err
    assert error.startswith(message)
    assert "Traceback" not in error


def test_copied_regulations_are_orange_with_a_note_and_read_with_a_warning(
    tmp_path: Path, instrument: Instrument, region: Region, history: TemplateHistory
) -> None:
    """--salin-regulasi: last year's regulation in Jawaban, marked; evidence must be given again."""
    copied = dataclasses.replace(history, prefill=config.PREFILL_TYPES)
    write_templates(instrument, region, tmp_path, now=NOW, history=copied)
    template = _path(tmp_path / str(region.tahun), "DINKES")  # one regulation among many others
    book = openpyxl.load_workbook(template)
    sheet = book[config.SHEET_ANSWERS]
    rows = _question_rows(sheet)
    carried = history.carried.set_index("kode")
    regulations = [q for q in instrument.questions if q.kode in rows and q.jenis == "regulasi"]
    others = [q for q in instrument.questions if q.kode in rows and q.jenis != "regulasi"]
    assert regulations and others
    for question in regulations:
        cell = sheet.cell(rows[question.kode], 6)
        assert cell.value == carried.loc[question.kode, "jawaban_lalu"]
        assert cell.fill.fgColor.rgb.endswith("F8CBAD")
        assert not cell.protection.locked
        assert cell.comment is not None and "Disalin dari jawaban 2023" in cell.comment.text
        assert sheet.cell(rows[question.kode], 7).value is None  # Data Dukung stays empty
    assert all(sheet.cell(rows[q.kode], 6).value is None for q in others)
    guide = [c.value for c in book[config.SHEET_GUIDE]["A"] if c.value]
    assert any(str(line).startswith("Sel jingga di kolom Jawaban") for line in guide)
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(template, inputs / template.name)
    ingested = read_inputs(inputs, instrument, region, jobs=1)
    answers, issues = validate_answers(ingested.cells, instrument)
    read = answers.set_index("kode")
    assert (
        read.loc[regulations[0].kode, "jawaban"] == carried.loc[regulations[0].kode, "jawaban_lalu"]
    )
    flagged = set(issues.loc[issues["code"] == "tanpa-data-dukung", "kode"])
    assert {q.kode for q in regulations} <= flagged


def test_cli_copy_needs_previous(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["templates", "--wilayah", str(config.EXAMPLE_REGION_FILE), "--out", str(tmp_path)]
    assert main([*args, "--salin-regulasi"]) == 1
    assert "GALAT: --salin-regulasi perlu hasil tahun lalu" in capsys.readouterr().err
    assert main([*args, "--salin-regulasi", "--sebelumnya", str(config.EXAMPLE_PREVIOUS_DIR)]) == 0
    assert "Jawaban regulasi tahun lalu disalin" in capsys.readouterr().out
