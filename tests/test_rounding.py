"""One rounding rule: the screen, ringkasan.json, the CSV files and the printed report agree."""

from __future__ import annotations

import csv
import dataclasses
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline import tables
from pipeline.export import summary_dict, write_exports
from pipeline.instrument import Instrument
from pipeline.region import Region
from pipeline.report.workbook import write_report
from pipeline.words import points, round_half_up
from tests.builders import build_results, soffice_convert

# LibreOffice's CSV filter: comma, double quote, UTF-8, from line 1, ..., cell contents as shown.
AS_SHOWN_CSV = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true"
TIE = 43.625  # exactly representable: Python's round() and format() give 43.62, Excel 43.63


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (TIE, "43,63"),
        (1.005, "1,01"),
        (2.675, "2,68"),
        (0.125, "0,13"),
        (-0.001, "0,00"),
        (668.25, "668,25"),
        (1234.5, "1.234,50"),
        (1_000_000.0, "1.000.000,00"),
    ],
)
def test_points_round_half_up_with_thousands(value: float, shown: str) -> None:
    assert points(value) == shown


@given(st.integers(min_value=0, max_value=10**7))
def test_exact_ties_go_up(eighths: int) -> None:
    value = eighths / 8  # every third decimal 0, 125, 25, ..., 875: exact in binary
    expected = (Decimal(eighths) / 8).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    assert round_half_up(value) == float(expected)
    assert points(value).replace(".", "").replace(",", ".") == f"{expected:.2f}"


@pytest.fixture(scope="module")
def tied(instrument: Instrument, region: Region) -> tables.Results:
    results = build_results(instrument, region)
    total = dataclasses.replace(results.mandiri, nilai=TIE)
    return dataclasses.replace(results, mandiri=total)


def test_json_and_history_use_the_same_rule(tied: tables.Results, tmp_path: Path) -> None:
    assert summary_dict(tied)["total"]["mandiri"] == 43.63
    write_exports(tied, tmp_path)
    saved = json.loads((tmp_path / "ringkasan.json").read_text(encoding="utf-8"))
    assert saved["total"]["mandiri"] == 43.63


@pytest.mark.libreoffice
def test_printed_report_shows_what_the_screen_says(tied: tables.Results, tmp_path: Path) -> None:
    """LibreOffice shows the Ringkasan cells as printed; the screen's 43,63 is among them."""
    report = write_report(tied, tmp_path / "laporan.xlsx")
    result = soffice_convert(report, AS_SHOWN_CSV, tmp_path)
    assert result.returncode == 0, result.stderr
    with (tmp_path / "laporan.csv").open(encoding="utf-8", newline="") as handle:
        shown = {cell for row in csv.reader(handle) for cell in row}
    english = points(TIE).replace(",", ".")  # LibreOffice here runs in an English locale
    assert english == "43.63" and english in shown
    assert "43.62" not in shown
