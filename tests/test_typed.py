"""What a person types is what counts (issue 13), with workbooks written by openpyxl: percent
formats, phone numbers, untouched templates, row heights, the screen summary and feedback."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from pipeline import config, tables
from pipeline.consolidate import run
from pipeline.ingest.contact import restored_phone
from pipeline.ingest.files import read_inputs
from pipeline.ingest.numfmt import is_percent_format, percent_styles
from pipeline.instrument import Instrument
from pipeline.region import Region
from pipeline.rowfit import LINE_POINTS, fitted_height, wrapped_lines
from pipeline.screen import summary_lines
from tests.builders import CONTACT, edit_isian, found, returned
from tools.fill import Filled

LINK = "https://drive.example.go.id/x"


@pytest.mark.parametrize(
    ("code", "percent"),
    [
        ("0%", True),
        ("0.00%", True),
        ("#,##0.0 %", True),
        ('0"%"', False),  # a literal sign: the number is shown as is
        ("0\\%", False),
        ("[Red]0.0%", True),
        ("General", False),
        ("0.00", False),
    ],
)
def test_percent_format_codes(code: str, percent: bool) -> None:
    assert is_percent_format(code) is percent


def test_builtin_percent_ids_count_unless_redefined() -> None:
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    styles = (
        f'<styleSheet xmlns="{main}"><numFmts><numFmt numFmtId="164" formatCode="0.0%"/>'
        '</numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="9"/><xf numFmtId="10"/>'
        '<xf numFmtId="164"/><xf numFmtId="2"/></cellXfs></styleSheet>'
    ).encode()
    assert percent_styles(styles) == {1, 2, 3}


def _percent_cells(path: Path, formats: dict[str, str]) -> None:
    def edit(sheet: openpyxl.worksheet.worksheet.Worksheet) -> None:
        for cell, number_format in formats.items():
            sheet[cell].number_format = number_format

    edit_isian(path, edit)


def test_a_number_in_a_percent_cell_counts_as_the_percent_shown(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    answers = {
        "I12-P1": Filled(0.85, LINK),  # typed 85% in Excel: 0.85 in a 0% cell
        "I12-P2": Filled(0.125, LINK),  # 12,5 %
        "I12-P3": Filled(0.85, LINK),  # a General cell: ambiguous, kept, warned
        "I13-P1": Filled(0.24, LINK),  # lower is better: 24 %, not 0.24 %
    }
    path = returned(template_paths["DINKES"], tmp_path / "in" / "dinkes.xlsx", answers)
    _percent_cells(path, {"F10": "0%", "F11": "0.0%", "F12": "General", "F18": "0.00%"})
    before = path.read_bytes()
    output = run(tmp_path / "in", tmp_path / "out", instrument, region, jobs=1)
    assert path.read_bytes() == before  # inputs are never modified
    scored = output.results.scored.set_index("kode")
    assert scored.loc[list(answers), "jawaban"].to_dict() == {
        "I12-P1": "85",
        "I12-P2": "12.5",
        "I12-P3": "0.85",
        "I13-P1": "24",
    }
    issues = output.results.issues
    flagged = issues[issues["kode"].isin(list(answers))]
    assert list(zip(flagged["cell"], flagged["code"], strict=True)) == [("F12", "persen-ambigu")]
    lines = "\n".join(summary_lines(output, tmp_path / "out"))
    assert "Persen ambigu, periksa (1; 0,85 bisa berarti 85%): dinkes.xlsx Isian!F12." in lines


@pytest.mark.parametrize(
    ("value", "restored"),
    [
        (812345678, "0812345678"),
        (81234567890.0, "081234567890"),
        (6281234567890, None),  # with the country code: nothing lost
        (221234567, None),  # a landline area code: not a mobile number
        ("0812345678", None),
        (8.5, None),
        (True, None),
    ],
)
def test_restored_phone(value: object, restored: str | None) -> None:
    assert restored_phone(value) == restored


def test_a_phone_number_that_lost_its_zero_is_restored_with_a_note(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    identity = {**CONTACT, config.ID_CONTACT_PHONE: 812345678}
    returned(template_paths["DINKES"], tmp_path / "dinkes.xlsx", identity=identity)
    ingested = read_inputs(tmp_path, instrument, region, jobs=1)
    assert ingested.files.loc[0, "narahubung_telepon"] == "0812345678"
    assert ("Identitas!B9", "", "telepon-tanpa-nol") in found(ingested)
    note = ingested.issues.set_index("code").loc["telepon-tanpa-nol", "message"]
    assert "812345678" in note and "0812345678" in note


def test_template_phone_cell_is_text(template_paths: dict[str, Path]) -> None:
    sheet = openpyxl.load_workbook(template_paths["DINKES"])[config.SHEET_IDENTITY]
    row = next(r for r in range(1, 20) if sheet.cell(r, 1).value == config.ID_CONTACT_PHONE)
    assert sheet.cell(row, 2).number_format == "@"


def test_an_untouched_template_is_sent_empty_and_named_on_screen(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    returned(template_paths["DINKES"], tmp_path / "in" / "dinkes.xlsx", answers={})
    returned(template_paths["DINSOS"], tmp_path / "in" / "dinsos.xlsx", answers={})
    output = run(tmp_path / "in", tmp_path / "out", instrument, region, jobs=1)
    completeness = output.results.completeness.set_index("opd")
    assert (
        completeness.loc[["DINKES", "DINSOS"], "status_kirim"].tolist() == [tables.SENT_EMPTY] * 2
    )
    lines = summary_lines(output, tmp_path / "out")
    empty = [line for line in lines if "template kosong" in line]
    assert empty == [
        "  OPD mengirim template kosong, perlu diisi (2): "
        f"{region.offices['DINKES']}, {region.offices['DINSOS']}."
    ]


def test_case_only_differences_are_not_warnings(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    answers = {"I12-P6": Filled(" ya ", LINK), "I12-P7": Filled("TIDAK", LINK)}
    returned(template_paths["DINKES"], tmp_path / "in" / "dinkes.xlsx", answers)
    output = run(tmp_path / "in", tmp_path / "out", instrument, region, jobs=1)
    scored = output.results.scored.set_index("kode")
    assert scored.loc[["I12-P6", "I12-P7"], "jawaban"].tolist() == ["Ya", "Tidak"]
    issues = output.results.issues
    assert issues[issues["kode"].isin(["I12-P6", "I12-P7"])].empty


def test_feedback_shows_decimals_as_the_message_does(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    answers = {"I12-P1": Filled(0.85, LINK)}
    returned(template_paths["DINKES"], tmp_path / "in" / "dinkes.xlsx", answers)
    output = run(tmp_path / "in", tmp_path / "out", instrument, region, jobs=1)
    (feedback,) = output.feedback
    values = [
        str(cell.value)
        for sheet in openpyxl.load_workbook(feedback).worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]
    assert "0,85" in values and "0.85" not in values
    assert any("0,85" in v and "85%" in v for v in values)  # the message itself


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("", 10, 0),
        ("pendek", 50, 1),
        ("satu dua tiga empat", 10, 2),  # 10 characters a line: words are not cut
        ("a" * 25, 10, 3),  # a word longer than a line is cut
        ("baris\nbaru", 50, 2),
    ],
)
def test_wrapped_lines(text: str, width: int, lines: int) -> None:
    assert wrapped_lines(text, width) == lines


def test_template_rows_are_as_tall_as_their_wrapped_text(template_paths: dict[str, Path]) -> None:
    sheet = openpyxl.load_workbook(template_paths["DINKES"])[config.SHEET_ANSWERS]
    header = sheet.row_dimensions[4].height
    assert header == pytest.approx(fitted_height(["Tingkat Wilayah"], [12], bold=True), abs=1)
    assert header >= 2 * LINE_POINTS
    heights = [sheet.row_dimensions[r].height for r in range(5, sheet.max_row + 1)]
    assert all(h is not None and h >= LINE_POINTS for h in heights)
