"""Printed through LibreOffice: long links and file names appear whole, the Data sheet is readable."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from pathlib import Path
from typing import NamedTuple

import openpyxl
import pytest

from pipeline import config
from pipeline.consolidate import RunOutput, run
from pipeline.instrument import Instrument
from pipeline.region import Region
from pipeline.report.sheets import DATA_FOLDED, DATA_PAGES_WIDE
from pipeline.wrap import wrapped_lines
from tests.builders import soffice_convert

LINE = re.compile(
    r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>', re.S
)
WORD = re.compile(r">([^<]*)</word>")
SLACK = 1.0  # points: lines that only touch do not count


class Line(NamedTuple):
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


@pytest.mark.parametrize(
    ("text", "chars", "lines"),
    [
        ("aaa bbb ccc", 7, 2),
        ("a" * 20, 7, 3),
        ("x\nyy zz", 4, 3),
        ("", 5, 1),
        # at the width and one past it (the one-line shortcut and the word wrap must agree):
        ("aaaa bbb", 8, 1),
        ("aaaa bbbb", 8, 2),
        ("aaaaaaaaa", 8, 2),
        ("a  b\tc", 7, 1),
        ("ab\n", 2, 2),
        # as LibreOffice prints them in a 15-wide column (checked by rendering):
        ("https://drive.example.go.id/kla2024/bappeda/dokumen-anggaran.pdf", 16, 5),
        ("whatsapp/KLA2024_DUKCAPIL_Dinas_Kependudukan_dan_Pencatatan_Sipil.xlsx", 16, 5),
    ],
)
def test_wrapped_lines(text: str, chars: int, lines: int) -> None:
    assert wrapped_lines(text, chars) == lines


@pytest.fixture(scope="module")
def example(
    tmp_path_factory: pytest.TempPathFactory, instrument: Instrument, region: Region
) -> RunOutput:
    out = tmp_path_factory.mktemp("cetak")
    return run(config.EXAMPLE_INPUTS_DIR, out, instrument, region, jobs=1)


def _printed_lines(workbook: Path, out: Path) -> list[list[Line]]:
    """Every printed text line of the workbook, per page, as LibreOffice lays it out."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) tidak terpasang")
    result = soffice_convert(workbook, "pdf", out)
    assert result.returncode == 0, result.stderr
    pdf = out / f"{workbook.stem}.pdf"
    xml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [
        [
            Line(*map(float, found.groups()[:4]), " ".join(WORD.findall(found.group(5))))
            for found in LINE.finditer(page)
        ]
        for page in xml.split("<page ")[1:]
    ]


def _overlaps(pages: list[list[Line]]) -> list[tuple[int, str, str]]:
    """Text lines printed over each other: a cell's text running past its column or its row.

    LibreOffice clips such text at the cell edge, but its position in the PDF still overlaps the
    neighbouring cell's text: a cut link, or a row too short for its wrapped lines.
    """
    return [
        (number, a.text[:50], b.text[:50])
        for number, lines in enumerate(pages, start=1)
        for a, b in itertools.combinations(lines, 2)
        if a.x0 + SLACK < b.x1
        and b.x0 + SLACK < a.x1
        and a.y0 + SLACK < b.y1
        and b.y0 + SLACK < a.y1
    ]


@pytest.mark.libreoffice
def test_report_prints_no_text_over_other_text(example: RunOutput, tmp_path: Path) -> None:
    """Links and file names wrap instead of running into the next column; rows fit their text."""
    pages = _printed_lines(example.report, tmp_path)
    printed = " ".join(line.text for page in pages for line in page)
    assert "https://drive.sukamajuraya.example.go.id/" in printed
    assert _overlaps(pages) == []


@pytest.mark.libreoffice
def test_feedback_and_send_list_print_no_text_over_other_text(
    example: RunOutput, tmp_path: Path
) -> None:
    for workbook in [*example.feedback[:2], example.report.parent / config.SEND_LIST_XLSX]:
        assert _overlaps(_printed_lines(workbook, tmp_path)) == [], workbook.name


def test_data_sheet_folds_tracing_columns_and_prints_two_pages_across(
    example: RunOutput,
) -> None:
    sheet = openpyxl.load_workbook(example.report)["Data"]
    headers = [cell.value for cell in sheet[1]]
    hidden = {
        headers[col - 1]
        for col in range(1, len(headers) + 1)
        if sheet.column_dimensions[openpyxl.utils.get_column_letter(col)].hidden
    }
    assert hidden == set(DATA_FOLDED)
    assert int(sheet.page_setup.fitToWidth) == DATA_PAGES_WIDE
    assert sheet.print_title_cols == "$A:$B"
