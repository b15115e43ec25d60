"""Hostile text in answers, evidence and notes stays inert text in every output, and never fools a label.

A DUKCAPIL workbook carries formula-injection text, `javascript:`/`file:`/`data:` links, look-alike,
zero-width, bidi and control characters and over-long strings; the whole run consolidates it beside a
good DINKES workbook. The report and feedback workbooks are read back with openpyxl, the CSVs with csv.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import config
from pipeline.answers import (
    HIDDEN,
    MAX_TEXT_CHARS,
    checked_text,
    clean_text,
    lookalike_letters,
    match_label,
)
from pipeline.consolidate import RunOutput
from pipeline.instrument import Instrument
from pipeline.region import Region
from tests.builders import (
    HOSTILE,
    assert_good_consolidated,
    consolidate_beside_good,
    dukcapil,
)

CMD = "=cmd|' /C calc'!A0"
HYPERLINK = '=HYPERLINK("http://evil.example/","klik")'
LONG = "panjang " * 2000
# Isian cell -> text typed as TEXT (never a formula). DUKCAPIL rows: I04-P1..P7 at rows 7..13.
TYPED = {
    "F8": "=1+1",
    "F9": LONG,
    "F10": "Y\u0430",  # Cyrillic a
    "F11": "Y\u200ba",  # zero-width space
    "F12": "\u202eTidak",  # right-to-left override
    "F13": "Ya\x9b",  # C1 control (CSI): XML allows it, openpyxl too
    "G10": "javascript:alert(1)//https://drive.example.go.id/x",
    "G11": "file:///etc/passwd",
    "G12": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "G13": HYPERLINK,
    "H7": CMD,
    "H10": "+62 812 1111 2222",
    "H11": "-3+4",
    "H12": "@SUM(A1:A9)",
    "H13": LONG,
}
FORMULAS = {"F7": CMD}  # a real formula without a cached value
HOSTILE_MARKERS = ("cmd|", "javascript:", "file:", "data:", "HYPERLINK", "@SUM", "-3+4", "+62")


def write_hostile_text(target: Path, templates: dict[str, Path]) -> None:
    book = openpyxl.load_workbook(dukcapil(target, templates))
    sheet = book[config.SHEET_ANSWERS]
    for ref, text in TYPED.items():
        sheet[ref].value = text
        sheet[ref].data_type = "s"  # what Excel stores for '=... typed with an apostrophe
    for ref, formula in FORMULAS.items():
        sheet[ref].value = formula
    book.save(target)


@pytest.fixture(scope="module")
def hostile_run(
    tmp_path_factory: pytest.TempPathFactory,
    template_paths: dict[str, Path],
    instrument: Instrument,
    region: Region,
) -> tuple[RunOutput, Path]:
    work = tmp_path_factory.mktemp("teks")
    output = consolidate_beside_good(work, template_paths, instrument, region, write_hostile_text)
    return output, work / "outputs"


def test_text_issues_are_located(hostile_run: tuple[RunOutput, Path]) -> None:
    output, outputs = hostile_run
    issues = output.results.issues
    found = {
        (str(r.cell), str(r.code))
        for r in issues[issues["file"] == HOSTILE].itertuples()
        if r.code != "tanpa-data-dukung"
    }
    assert found >= {
        ("F7", "rumus-tanpa-nilai"),
        ("F8", "rumus-tanpa-nilai"),
        ("F9", "teks-terlalu-panjang"),
        ("F9", "bukan-angka"),
        ("F10", "huruf-mirip"),
        ("F10", "label-tidak-dikenal"),
        ("F11", "karakter-tersembunyi"),
        ("F12", "karakter-tersembunyi"),
        ("F13", "karakter-tersembunyi"),
        ("H13", "teks-terlalu-panjang"),
    }
    assert_good_consolidated(output, outputs)


def test_lookalike_never_matches_and_hidden_characters_are_dropped(
    hostile_run: tuple[RunOutput, Path],
) -> None:
    scored = hostile_run[0].results.scored.set_index("kode")
    answers = {
        code: (scored.loc[code, "jawaban"], scored.loc[code, "status"]) for code in scored.index
    }
    assert answers["I04-P4"] == ("", "ditolak")  # Yа with a Cyrillic а is not Ya
    assert answers["I04-P5"] == ("Ya", "dijawab")
    assert answers["I04-P6"] == ("Tidak", "dijawab")
    assert answers["I04-P7"] == ("Ya", "dijawab")
    assert answers["I04-P1"] == ("", "ditolak")
    assert len(scored.loc["I04-P7", "keterangan"]) <= MAX_TEXT_CHARS


def _workbook_cells(path: Path) -> list[Any]:
    book = openpyxl.load_workbook(path)
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def test_report_and_feedback_hold_inert_text(hostile_run: tuple[RunOutput, Path]) -> None:
    output = hostile_run[0]
    workbooks = [output.report, *output.feedback]
    assert any("DUKCAPIL" in p.name for p in output.feedback)
    seen = set()
    for path in workbooks:
        for cell in _workbook_cells(path):
            link = cell.hyperlink.target if cell.hyperlink is not None else None
            assert link is None or link.startswith(("http://", "https://")), (path.name, link)
            if isinstance(cell.value, str) and any(m in cell.value for m in HOSTILE_MARKERS):
                seen.update(m for m in HOSTILE_MARKERS if m in cell.value)
                assert cell.data_type == "s", (path.name, cell.coordinate, cell.value)
                assert cell.hyperlink is None, (path.name, cell.coordinate)
    assert seen == set(HOSTILE_MARKERS)


@pytest.mark.parametrize("name", [config.OUT_ISSUES, config.OUT_QUESTIONS])
def test_csv_fields_never_start_a_formula(hostile_run: tuple[RunOutput, Path], name: str) -> None:
    with (hostile_run[1] / name).open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    fields = [field for row in rows[1:] for field in row]
    for field in fields:
        if field[:1] in ("=", "+", "-", "@", "\t", "\r"):
            float(field)  # only a plain number may start like a formula
    assert any(field.startswith("'=") for field in fields)


@pytest.mark.parametrize(
    ("typed", "label"),
    [
        ("Ya", "Ya"),
        ("Y\u0430", None),  # Cyrillic а
        ("\u03a4idak", None),  # Greek capital tau
        ("Y\u200ba", "Ya"),
        ("\u202eYa\u202c", "Ya"),
        ("T\x00idak", "Tidak"),
        ("Ｙａ", "Ya"),  # full width: NFKC folds it to Latin
    ],
)
def test_label_matching(instrument: Instrument, typed: str, label: str | None) -> None:
    scale = instrument.scales["ya_tidak"]
    result = match_label(typed, scale)
    assert (result.jawaban if result.jawaban in scale.labels else None) == label


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=3000))
def test_checked_text_invariants(text: str) -> None:
    value, found = checked_text(text)
    assert len(value) <= MAX_TEXT_CHARS
    assert not set(clean_text(value)) & set(HIDDEN)
    codes = [code for code, _ in found]
    assert ("karakter-tersembunyi" in codes) == bool(set(value) & set(HIDDEN))
    assert ("huruf-mirip" in codes) == bool(lookalike_letters(value))
