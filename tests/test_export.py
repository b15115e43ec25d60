"""write_exports: ringkasan.json and the CSV files, read back and compared with the frames."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from pipeline import tables
from pipeline.export import QUESTION_COLUMNS, guard_formula, write_exports
from pipeline.instrument import Instrument
from pipeline.region import Region
from pipeline.score.results import score_results
from tests.builders import URL, file_row, frame, issue_row, regional_with, soffice_convert

BOM = b"\xef\xbb\xbf"
INJECTION = '=HYPERLINK("http://evil.example","klik")'


def build_results(instrument: Instrument, region: Region) -> tables.Results:
    answers = {
        "I01-P1": ("Perbup/Perwal", INJECTION, "dijawab"),
        "I01-P4": ("Ya", "-", "dijawab"),
        "I02-P3": ("Sebagian", URL, "dijawab"),
        "I04-P1": ("80", "@SUM(A1)", "dijawab"),
        "I01-P3a": ("", "", "ditolak"),
    }
    file_rows = [
        file_row("hukum.xlsx", "HUKUM", narahubung="+62 812 Sari"),
        file_row("bappeda.xlsx", "BAPPEDA"),
        file_row("dp3a.xlsx", "DP3A"),
        file_row("dukcapil.xlsx", "DUKCAPIL"),
    ]
    files = frame(file_rows, tables.FILES)
    issues = frame(
        [
            issue_row("hukum.xlsx", "I01-P1", "G10", "peringatan", severity="peringatan"),
            issue_row("dp3a.xlsx", "I02-P3", "F10", "galat dp3a"),
            issue_row("bappeda.xlsx", "I01-P3a", "F9", "-5 bukan pilihan"),
            issue_row("bappeda.xlsx", "I01-P3a", "F10", "galat baris 10"),
        ],
        tables.ISSUES,
    )
    regional = regional_with(instrument, region, answers, file_rows)
    return score_results(instrument, region, regional, files, issues, "2024-04-01T09:00:00", False)


@pytest.fixture(scope="module")
def written(
    tmp_path_factory: pytest.TempPathFactory, instrument: Instrument, region: Region
) -> tuple[tables.Results, Path, list[Path]]:
    results = build_results(instrument, region)
    out = tmp_path_factory.mktemp("outputs")
    return results, out, write_exports(results, out)


def read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def test_files_written_and_nothing_else(written: tuple) -> None:
    _, out, paths = written
    names = ["ringkasan.json", "nilai_pertanyaan.csv", "nilai_indikator.csv", "kelengkapan.csv"]
    assert [p.name for p in paths] == [*names, "masalah.csv"]
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in paths)


def test_summary_json(written: tuple, instrument: Instrument, region: Region) -> None:
    results, out, _ = written
    summary = json.loads((out / "ringkasan.json").read_text(encoding="utf-8"))
    assert list(summary) == [
        "wilayah",
        "tahun",
        "total",
        "kategori",
        "klaster",
        "indikator",
        "kelengkapan",
    ]
    assert summary["wilayah"] == {"kode": "99.01", "nama": region.nama}
    assert summary["tahun"] == 2024
    # Hand-worked: 12 x 0.75 + 5 + 5 x 0.5 + 1 x 0.75 and, with evidence only, 9 + 2.5 + 0.75.
    assert summary["total"] == {"mandiri": 17.25, "terverifikasi": 12.25, "maks": 1000}
    assert summary["kategori"] == {
        "mandiri": "Belum berpredikat",
        "terverifikasi": "Belum berpredikat",
    }
    assert list(summary["klaster"]) == [c.kode for c in instrument.clusters]
    assert summary["klaster"]["KL"] == {"mandiri": 16.5, "terverifikasi": 11.5, "maks": 164}
    assert list(summary["indikator"]) == [i.kode for i in instrument.indicators]
    assert summary["indikator"]["I01"] == {"mandiri": 14, "terverifikasi": 9, "maks": 96}
    offices = len({region.office_role(q.opd_utama) for q in instrument.questions})
    assert summary["kelengkapan"] == {
        "opd_diharapkan": offices,
        "opd_mengirim": 4,
        "pertanyaan_total": len(instrument.questions),
        "pertanyaan_dijawab": 4,
    }
    assert isinstance(summary["total"]["mandiri"], float)
    assert summary["total"]["mandiri"] == round(results.mandiri.nilai, 2)


def test_summary_keeps_non_ascii_and_rounds(written: tuple) -> None:
    _, out, _ = written
    text = (out / "ringkasan.json").read_text(encoding="utf-8")
    assert text.startswith('{\n  "wilayah"')
    assert "\\u" not in text


def test_question_csv_matches_the_frame(written: tuple) -> None:
    results, out, _ = written
    raw = (out / "nilai_pertanyaan.csv").read_bytes()
    assert raw.startswith(BOM)
    table = read_csv(out / "nilai_pertanyaan.csv")
    assert tuple(table.columns) == QUESTION_COLUMNS
    scored = results.scored
    assert list(table["kode"]) == list(scored["kode"])
    for column in ("nilai_maks", "nilai_mandiri", "nilai_terverifikasi"):
        assert table[column].astype(float).tolist() == pytest.approx(scored[column].tolist())
    rows = table.set_index("kode")
    assert tuple(rows.loc["I02-P3", ["jawaban", "status", "sumber_file", "sumber_sel"]]) == (
        "Sebagian",
        "dijawab",
        "dp3a.xlsx",
        "Isian!F12",
    )
    assert tuple(rows.loc["I05-P3", ["status", "sumber_file", "sumber_sel"]]) == (
        "tidak dikirim",
        "",
        "",
    )


def test_injection_guard(written: tuple) -> None:
    _, out, _ = written
    rows = read_csv(out / "nilai_pertanyaan.csv").set_index("kode")
    assert rows.loc["I01-P1", "data_dukung"] == "'" + INJECTION
    assert rows.loc["I04-P1", "data_dukung"] == "'@SUM(A1)"
    assert rows.loc["I01-P4", "data_dukung"] == "-"  # a lone dash is shown as text
    assert rows.loc["I02-P3", "data_dukung"] == URL
    contacts = read_csv(out / "kelengkapan.csv").set_index("opd")
    assert contacts.loc["HUKUM", "narahubung_nama"] == "'+62 812 Sari"
    issues = read_csv(out / "masalah.csv")
    assert "'-5 bukan pilihan" in set(issues["pesan"])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+62", "'+62"),
        ("-", "-"),
        ("-2+3", "'-2+3"),
        ("+", "+"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=b", "a=b"),
        ("", ""),
        (3.5, 3.5),
    ],
)
def test_guard_formula(value: object, expected: object) -> None:
    assert guard_formula(value) == expected


def test_indicator_and_completeness_csv(written: tuple) -> None:
    results, out, _ = written
    indicators = read_csv(out / "nilai_indikator.csv")
    assert tuple(indicators.columns) == tables.INDICATOR_SCORES
    assert list(indicators["indikator"]) == list(results.indicators["indikator"])
    assert indicators["nilai_mandiri"].astype(float).sum() == pytest.approx(17.25)
    kelengkapan = read_csv(out / "kelengkapan.csv")
    assert tuple(kelengkapan.columns) == tables.COMPLETENESS
    assert list(kelengkapan["opd"]) == list(results.completeness["opd"])
    assert kelengkapan["pertanyaan"].astype(int).tolist() == list(
        results.completeness["pertanyaan"]
    )
    assert (out / "kelengkapan.csv").read_bytes().startswith(BOM)


def test_issues_csv_errors_first_then_file_sheet_row(written: tuple) -> None:
    _, out, _ = written
    issues = read_csv(out / "masalah.csv")
    assert tuple(issues.columns) == (
        "tingkat",
        "kode_masalah",
        "berkas",
        "lembar",
        "sel",
        "kode_pertanyaan",
        "nilai",
        "pesan",
    )
    assert list(zip(issues["tingkat"], issues["berkas"], issues["sel"], strict=True)) == [
        ("galat", "bappeda.xlsx", "F9"),
        ("galat", "bappeda.xlsx", "F10"),
        ("galat", "dp3a.xlsx", "F10"),
        ("peringatan", "hukum.xlsx", "G10"),
    ]


def test_same_results_same_bytes(written: tuple, tmp_path: Path) -> None:
    results, _, paths = written
    again = write_exports(results, tmp_path)
    for first, second in zip(paths, again, strict=True):
        assert first.read_bytes() == second.read_bytes()


@pytest.mark.libreoffice
def test_spreadsheet_opens_guarded_csv_as_text(written: tuple, tmp_path: Path) -> None:
    """LibreOffice reads the CSV: the guarded cells are text, never formulas."""
    import openpyxl

    _, out, _ = written
    result = soffice_convert(out / "nilai_pertanyaan.csv", "xlsx", tmp_path)
    assert result.returncode == 0, result.stderr
    workbook = openpyxl.load_workbook(tmp_path / "nilai_pertanyaan.xlsx")
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    # Without an import filter option LibreOffice headless reads the BOM as Latin-1 characters.
    assert str(header[0]).endswith("kode")
    assert header[1:] == list(QUESTION_COLUMNS[1:])
    column = header.index("data_dukung")
    values = [row[column] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert all(not str(v).startswith("=") for v in values if v is not None)
    assert any(str(v).endswith(INJECTION) for v in values if v is not None)
