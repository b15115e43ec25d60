"""The verification workbook contract (docs/verifikasi.md) and the rules kept in schemas/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pipeline import config, tables
from pipeline.errors import KlaError
from pipeline.instrument import Instrument
from pipeline.merge import merge_answers
from pipeline.messages import issues_frame
from pipeline.region import Region
from pipeline.score.results import score_results
from pipeline.templates.verification import (
    verification_filename,
    write_verification_workbooks,
)
from pipeline.verification_rules import build_verification_rules, read_verification_rules

RULES = read_verification_rules()


@pytest.mark.parametrize(
    ("text", "vague"),
    [
        ("ada", True),
        ("Ya.", True),
        ("Terlampir", True),
        ("LENGKAP", True),
        ("di dinas", True),
        (r"C:\Users\dinkes\Documents\SK.pdf", True),
        ("file:///home/opd/sk.pdf", True),
        (r"\\server\arsip\sk.pdf", True),
        ("https://drive.example.go.id/sk.pdf", False),
        ("SK Bupati No. 12 Tahun 2023", False),
        ("Laporan Forum Anak 2023, arsip DP3A", False),
        ("", False),
    ],
)
def test_vague_evidence_classes(text: str, vague: bool) -> None:
    assert RULES.is_vague(text) is vague


def test_rules_file_problems_are_reported() -> None:
    problems: list[str] = []
    build_verification_rules(
        {"alasan": [{"teks": "a, b", "kirim": "x"}], "data_dukung_samar": {"pola": ["("]}},
        problems,
    )
    assert len(problems) == 2 and "koma" in problems[0] and "pola" in problems[1]
    with pytest.raises(KlaError):
        read_verification_rules.__wrapped__(Path("/nonexistent/verifikasi.toml"))


@pytest.fixture(scope="module")
def written(
    tmp_path_factory: pytest.TempPathFactory, instrument: Instrument, region: Region
) -> dict[str, Path]:
    """Workbooks from a frame where one question has a hostile answer and a local-path link."""
    questions = instrument.questions
    first = next(q for q in questions if q.klaster == "K1")
    answers = pd.DataFrame(columns=list(tables.ANSWERS))
    files = pd.DataFrame(columns=list(tables.FILES))
    regional = merge_answers(instrument, region, answers, files, issues_frame([]))
    regional.loc[regional["kode"] == first.kode, ["jawaban", "data_dukung", "status"]] = [
        '=HYPERLINK("http://x")',
        "javascript:alert(1)",
        "dijawab",
    ]
    second = [q for q in questions if q.klaster == "K1"][1]
    regional.loc[regional["kode"] == second.kode, ["data_dukung"]] = "https://drive.example.go.id/a"
    results = score_results(
        instrument, region, regional, files, issues_frame([]), "2024-04-02T10:00:00", True
    )
    out = tmp_path_factory.mktemp("verif")
    paths = write_verification_workbooks(
        results.scored, instrument, region, RULES, out, 1, dt.datetime(2024, 4, 2)
    )
    return {p.name: p for p in paths}


def test_one_workbook_per_cluster(
    written: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    assert sorted(written) == sorted(
        verification_filename(region, c.kode) for c in instrument.clusters
    )
    assert "Verifikasi_KLA_Sukamaju_Raya_2024_K3.xlsx" in written


def test_sheets_headers_rows_and_metadata(
    written: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    book = openpyxl.load_workbook(written[verification_filename(region, "K1")])
    assert book.sheetnames == [config.SHEET_GUIDE, config.SHEET_VERIFICATION, config.SHEET_META]
    assert book[config.SHEET_META].sheet_state == "veryHidden"
    sheet = book[config.SHEET_VERIFICATION]
    headers = [c.value for c in sheet[4]]
    for name in (
        "Kode",
        "Keputusan",
        "Jawaban Koreksi",
        "Alasan",
        "Catatan",
        "Verifikator",
        "Tanggal",
    ):
        assert name in headers
    codes = [sheet.cell(r, 2).value for r in range(5, sheet.max_row + 1)]
    assert codes == [q.kode for q in instrument.questions if q.klaster == "K1"]
    meta = {r[0]: r[1] for r in book[config.SHEET_META].iter_rows(values_only=True) if r[0]}
    assert (meta["jenis"], meta["klaster"], meta["putaran"]) == ("verifikasi", "K1", "1")
    assert (meta["tahun"], meta["kode_wilayah"]) == (str(region.tahun), region.kode)
    assert all(len(meta[code]) == 16 for code in codes)  # a fingerprint per row


def test_dropdowns_and_answer_type_validation(written: dict[str, Path], region: Region) -> None:
    book = openpyxl.load_workbook(written[verification_filename(region, "K3")])
    sheet = book[config.SHEET_VERIFICATION]
    headers = {c.value: c.column_letter for c in sheet[4]}
    rules = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    decision = next(v for ref, v in rules.items() if ref.startswith(headers["Keputusan"]))
    assert decision.formula1 == '"' + ",".join(tables.DECISIONS) + '"'
    reason = next(v for ref, v in rules.items() if ref.startswith(headers["Alasan"]))
    assert reason.formula1 == '"' + ",".join(RULES.reason_texts) + '"'
    kinds = {
        sheet.cell(row, 6).value: rules[f"{headers['Jawaban Koreksi']}{row}"].type
        for row in range(5, sheet.max_row + 1)
    }
    # Persen takes text (85, 85%, 12,5 in every locale), as the OPD template does; ingest parses it
    assert kinds["Persen (0-100)"] == "textLength" and kinds["Ya/Tidak"] == "list"


def test_locked_structure_unlocked_inputs_print_ready(
    written: dict[str, Path], region: Region
) -> None:
    book = openpyxl.load_workbook(written[verification_filename(region, "K1")])
    sheet = book[config.SHEET_VERIFICATION]
    assert sheet.protection.sheet and book[config.SHEET_GUIDE].protection.sheet
    headers = {c.value: c.column for c in sheet[4]}
    for name, locked in (
        ("Keputusan", False),
        ("Tanggal", False),
        ("Jawaban", True),
        ("Kode", True),
    ):
        assert sheet.cell(5, headers[name]).protection.locked is locked, name
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.print_title_rows == "$4:$4"


def test_text_stays_text_and_only_http_links(written: dict[str, Path], region: Region) -> None:
    book = openpyxl.load_workbook(written[verification_filename(region, "K1")])
    sheet = book[config.SHEET_VERIFICATION]
    headers = {c.value: c.column for c in sheet[4]}
    hostile = sheet.cell(5, headers["Jawaban"])
    assert hostile.data_type == "s" and hostile.value.startswith("=HYPERLINK")
    assert sheet.cell(5, headers["Data Dukung"]).hyperlink is None
    link = sheet.cell(6, headers["Data Dukung"])
    assert link.hyperlink is not None and link.hyperlink.target == "https://drive.example.go.id/a"
