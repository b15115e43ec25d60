"""The consolidated workbook: written with xlsxwriter, read back with openpyxl and LibreOffice."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.worksheet.worksheet import Worksheet

from pipeline import tables
from pipeline.instrument import Instrument
from pipeline.region import Region
from pipeline.report.sheets import DATA_PAGES_WIDE
from pipeline.report.style import EXCEL_MAX_CHARS, NUM_POINTS, cell_text, safe_url
from pipeline.report.workbook import report_filename, sheet_names, write_report
from tests.builders import EVIDENCE, HOSTILE_TEXTS, build_results, soffice_convert
from tools.preview import count_pdf_pages, render_summary_png

FIRST = 5  # first data row (Excel numbering) of the table sheets
CONTROL_CLEAN = "barissatu dua\ttab\nbaris\ntiga"


@pytest.fixture(scope="module")
def results(instrument: Instrument, region: Region) -> tables.Results:
    return build_results(instrument, region)


@pytest.fixture(scope="module")
def report(results: tables.Results, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    return write_report(results, folder / report_filename(results))


@pytest.fixture(scope="module")
def book(report: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(report)


def _table(sheet: Worksheet, first: int = FIRST) -> list[tuple[Any, ...]]:
    return [
        tuple(cell.value for cell in row)
        for row in sheet.iter_rows(min_row=first)
        if any(cell.value is not None for cell in row)
    ]


def _find(sheet: Worksheet, column: str, value: str) -> int:
    """The first row whose cell in `column` equals `value`."""
    for cell in sheet[column]:
        if cell.value == value:
            return int(cell.row)
    raise AssertionError(f"{value!r} not in {sheet.title}!{column}")


def test_sheet_names_in_order(book: openpyxl.Workbook, instrument: Instrument) -> None:
    clusters = [c.lembar for c in instrument.clusters]
    assert book.sheetnames == [
        "Ringkasan",
        *clusters,
        "Kelengkapan",
        "Rekomendasi",
        "Validasi",
        "Data",
    ]
    assert clusters[0] == "Kelembagaan" and clusters[-1] == "Kecamatan-Desa"
    assert sheet_names(instrument) == book.sheetnames


@pytest.mark.parametrize(
    ("short", "expected"),
    [
        ("Sukamaju Raya", "Konsolidasi_KLA_Sukamaju_Raya_2024.xlsx"),
        ("Kota Tua/Baru (fiktif)", "Konsolidasi_KLA_Kota_Tua_Baru_fiktif_2024.xlsx"),
        ("../..", "Konsolidasi_KLA_wilayah_2024.xlsx"),
    ],
)
def test_report_filename(results: tables.Results, short: str, expected: str) -> None:
    region = results.region.__class__(**{**results.region.__dict__, "nama_singkat": short})
    other = tables.Results(**{**results.__dict__, "region": region})
    assert report_filename(other) == expected


def test_summary_totals_and_groups(book: openpyxl.Workbook, results: tables.Results) -> None:
    sheet = book["Ringkasan"]
    for label, totals in (
        ("Nilai mandiri", results.mandiri),
        ("Nilai terverifikasi", results.terverifikasi),
    ):
        row = _find(sheet, "B", label)
        assert sheet[f"C{row}"].value == pytest.approx(totals.nilai)
        assert sheet[f"D{row}"].value == (totals.kategori or "Belum berpredikat")
        assert sheet[f"E{row}"].value == (totals.kategori_berikut or "-")
        assert sheet[f"F{row}"].value == pytest.approx(totals.kurang)
        assert sheet[f"C{row}"].number_format == NUM_POINTS
    for cluster in results.clusters.itertuples(index=False):
        row = _find(sheet, "A", cluster.klaster)
        assert sheet[f"D{row}"].value == pytest.approx(cluster.nilai_mandiri)
        assert sheet[f"E{row}"].value == pytest.approx(cluster.nilai_terverifikasi)
        assert sheet[f"G{row}"].value == pytest.approx(
            cluster.nilai_terverifikasi / cluster.nilai_maks
        )
        assert sheet[f"G{row}"].number_format == "0.0%"
    total = _find(sheet, "B", "Total")
    assert sheet[f"C{total}"].value == pytest.approx(1000)
    texts = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    answered = int((results.scored["status"] == "dijawab").sum())
    assert f"3 dari 5 OPD mengirim; {answered} dari 274 pertanyaan dijawab" in texts
    assert "2 April 2024 pukul 10.15 dari 2 berkas isian OPD" in texts
    assert "CONTOH" in texts


def test_cluster_sheets_match_scores(book: openpyxl.Workbook, results: tables.Results) -> None:
    scored = results.scored.set_index("kode")
    indicators = results.indicators.set_index("indikator")
    for cluster in results.instrument.clusters:
        sheet = book[cluster.lembar]
        rows = _table(sheet)
        codes = [row[0] for row in rows]
        expected_indicators = [
            i.kode for i in results.instrument.indicators if i.klaster == cluster.kode
        ]
        assert [c for c in codes if c in indicators.index] == expected_indicators
        questions = [c for c in codes if c not in indicators.index]
        assert questions == list(
            results.scored.loc[results.scored["klaster"] == cluster.kode, "kode"]
        )
        for row in rows:
            source = indicators if row[0] in indicators.index else scored
            assert row[5:8] == pytest.approx(
                tuple(source.loc[row[0], ["nilai_maks", "nilai_mandiri", "nilai_terverifikasi"]])
            )
        cluster_total = results.clusters.set_index("klaster").loc[cluster.kode]
        assert sheet["G2"].value == pytest.approx(cluster_total["nilai_mandiri"])
        assert sheet["H2"].value == pytest.approx(cluster_total["nilai_terverifikasi"])


def test_number_formats(book: openpyxl.Workbook) -> None:
    sheet = book["Klaster III"]
    for row in sheet.iter_rows(min_row=FIRST, min_col=6, max_col=8):
        for cell in row:
            assert cell.data_type == "n"
            assert cell.number_format == NUM_POINTS
    data = book["Data"]
    headers = [c.value for c in data[1]]
    fraction = headers.index("fraksi") + 1
    assert data.cell(2, fraction).number_format == "0.0%"
    assert data.cell(2, headers.index("nilai_maks") + 1).data_type == "n"


def test_numeric_answers_are_numbers(book: openpyxl.Workbook, results: tables.Results) -> None:
    numeric = results.scored[results.scored["nilai_angka"].notna()].iloc[0]
    sheet = book[results.instrument.cluster(numeric["klaster"]).lembar]
    row = _find(sheet, "A", numeric["kode"])
    assert sheet[f"D{row}"].value == pytest.approx(85.0)
    assert sheet[f"D{row}"].data_type == "n"


def test_conditional_formats_on_cluster_sheets(
    book: openpyxl.Workbook, instrument: Instrument
) -> None:
    for cluster in instrument.clusters:
        sheet = book[cluster.lembar]
        rules = {
            str(cf.sqref): [r.formula[0] for r in cf.rules] for cf in sheet.conditional_formatting
        }
        last = sheet.max_row
        for column in ("G", "H"):
            formulas = rules[f"{column}{FIRST}:{column}{last}"]
            assert len(formulas) == 3
            assert any("<0.5" in f for f in formulas) and any(">=1" in f for f in formulas)
            assert all(f"$F{FIRST}" in f for f in formulas)
        legend = [c.value for c in sheet[3]]
        assert "< 50%" in legend and "100%" in legend


def test_charts_on_summary(report: Path) -> None:
    with zipfile.ZipFile(report) as archive:
        names = set(archive.namelist())
        charts = sorted(n for n in names if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
        assert len(charts) == 2
        sheet_rels = archive.read("xl/worksheets/_rels/sheet1.xml.rels").decode()
        drawing = re.search(r'Target="\.\./drawings/(drawing\d+\.xml)"', sheet_rels)
        assert drawing is not None
        drawing_rels = archive.read(f"xl/drawings/_rels/{drawing.group(1)}.rels").decode()
        referenced = re.findall(r'Target="\.\./charts/(chart\d+\.xml)"', drawing_rels)
        assert sorted(f"xl/charts/{n}" for n in referenced) == charts
        xml = " ".join(archive.read(n).decode() for n in charts)
        assert "<c:barChart>" in xml and "<c:lineChart>" in xml
        assert xml.count("<c:ser>") >= 3 + 1 + 5  # groups x3, totals, five thresholds


def test_print_settings(book: openpyxl.Workbook, results: tables.Results) -> None:
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert setup.orientation == "landscape", sheet.title
        assert int(setup.paperSize) == 9
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        wide = DATA_PAGES_WIDE if sheet.title == "Data" else 1  # Data: readable over 2 pages
        assert int(setup.fitToWidth if setup.fitToWidth is not None else 1) == wide
        assert "Halaman &P dari &N" in sheet.oddFooter.right.text
        assert results.region.nama[:40] in sheet.oddHeader.left.text
        assert str(results.region.tahun) in sheet.oddHeader.right.text
        if sheet.title == "Ringkasan":
            assert setup.fitToHeight in (None, 1, "1")  # 1 is the default, left out
        else:
            assert int(setup.fitToHeight) == 0
            assert sheet.print_title_rows in ("$4:$4", "4:4", "$1:$1", "1:1")


@pytest.mark.parametrize(
    ("name", "frozen", "filtered"),
    [
        ("Kelembagaan", "C5", True),
        ("Klaster V", "C5", True),
        ("Kelengkapan", "A5", True),
        ("Rekomendasi", "A5", True),
        ("Validasi", "A5", True),
        ("Data", "C2", False),
    ],
)
def test_frozen_header_and_filter(
    book: openpyxl.Workbook, name: str, frozen: str, filtered: bool
) -> None:
    sheet = book[name]
    assert sheet.freeze_panes == frozen
    assert bool(sheet.auto_filter.ref) == filtered


def test_hostile_text_stays_text(book: openpyxl.Workbook, report: Path) -> None:
    found = []
    for sheet in book.worksheets[1:8]:
        for row in sheet.iter_rows(min_row=FIRST, max_col=10):
            for cell in row:
                if cell.value in HOSTILE_TEXTS:
                    assert cell.data_type == "s", cell.coordinate
                    found.append(cell.value)
    assert set(found) == set(HOSTILE_TEXTS)
    people = book["Kelengkapan"]
    row = _find(people, "I", '=HYPERLINK("http://x","y")')
    assert people[f"I{row}"].data_type == "s"
    assert people[f"J{row}"].value == "+62 812 0000 1111"
    issues = book["Validasi"]
    assert issues[f"F{_find(issues, 'E', 'I12-P4')}"].value == "=1+1"
    with zipfile.ZipFile(report) as archive:
        xml = "".join(archive.read(n).decode() for n in archive.namelist() if "worksheets/" in n)
    assert "<f>" not in xml  # no formula anywhere in the sheets


def test_links_only_for_http(book: openpyxl.Workbook) -> None:
    """Evidence is shown as wrapping text in E; the click is "buka" in the last column (K)."""
    seen = {}
    for sheet in book.worksheets[1:8]:
        for cell in sheet["E"]:
            if cell.value in EVIDENCE:
                assert cell.hyperlink is None and cell.data_type == "s"
                opener = sheet[f"K{cell.row}"]
                seen[cell.value] = opener.hyperlink.target if opener.hyperlink else None
                assert opener.value == ("buka" if opener.hyperlink else None)
    assert set(seen) == set(EVIDENCE)
    for text, linked in EVIDENCE.items():
        assert (seen[text] == text) if linked else seen[text] is None, text


def test_control_characters_and_long_text(book: openpyxl.Workbook) -> None:
    values = [
        cell.value
        for sheet in book.worksheets[1:8]
        for row in sheet.iter_rows(min_row=FIRST, min_col=10, max_col=10)
        for cell in row
    ]
    assert CONTROL_CLEAN in values
    assert "x" * EXCEL_MAX_CHARS in values
    assert not any(isinstance(v, str) and re.search(r"[\x00-\x08\x0b-\x1f]", v) for v in values)


def test_completeness_missing_offices_first(book: openpyxl.Workbook) -> None:
    statuses = [row[2] for row in _table(book["Kelengkapan"])]
    assert statuses == ["belum mengirim", "belum mengirim", "sebagian", "lengkap", "lengkap"]


def test_issues_errors_first(book: openpyxl.Workbook) -> None:
    rows = _table(book["Validasi"])
    assert [(r[0], r[3]) for r in rows] == [
        ("galat", "Isian!F14"),
        ("galat", None),
        ("peringatan", "Isian!G9"),
    ]


def test_recommendation_reaching_category_marked(
    book: openpyxl.Workbook, results: tables.Results
) -> None:
    sheet = book["Rekomendasi"]
    rows = _table(sheet)
    assert [r[0] for r in rows] == list(results.recommendations["peringkat"])
    assert [r[9] for r in rows] == pytest.approx(list(results.recommendations["kumulatif"]))
    marked = [r[10] for r in rows]
    assert marked == [None, None, None, "Kategori Madya tercapai (nilai terverifikasi)", None, None]
    assert sheet[f"A{FIRST + 3}"].font.b and not sheet[f"A{FIRST}"].font.b
    assert sheet[f"A{FIRST + 3}"].fill.fgColor.rgb.endswith("E2EFDA")


def test_data_sheet_is_an_excel_table(book: openpyxl.Workbook, results: tables.Results) -> None:
    sheet = book["Data"]
    assert [c.value for c in sheet[1]] == list(tables.SCORED)
    (table,) = sheet.tables.values()
    assert table.ref == f"A1:{sheet.cell(1, len(tables.SCORED)).column_letter}275"
    assert [r[1] for r in _table(sheet, 2)] == list(results.scored["kode"])


def test_same_results_same_workbook(results: tables.Results, tmp_path: Path) -> None:
    first = write_report(results, tmp_path / "a" / "laporan.xlsx")
    second = write_report(results, tmp_path / "b" / "laporan.xlsx")
    with zipfile.ZipFile(first) as one, zipfile.ZipFile(second) as two:
        assert one.namelist() == two.namelist()
        for name in one.namelist():
            if name != "docProps/core.xml":
                assert one.read(name) == two.read(name), name
    assert first.read_bytes() == second.read_bytes()  # created is the run time, also equal


def test_a_later_run_changes_only_the_made_at_line(results: tables.Results, tmp_path: Path) -> None:
    """Ignored between runs: the "Dibuat ..." text on Ringkasan (in the shared strings). Nothing else."""
    later = tables.Results(**{**results.__dict__, "generated_at": "2031-07-01T10:00:00"})
    first = write_report(results, tmp_path / "a" / "laporan.xlsx")
    second = write_report(later, tmp_path / "b" / "laporan.xlsx")
    with zipfile.ZipFile(first) as one, zipfile.ZipFile(second) as two:
        differing = [n for n in one.namelist() if one.read(n) != two.read(n)]
    assert differing == ["xl/sharedStrings.xml"]  # document properties are fixed by the data


def test_failed_write_keeps_previous_workbook(results: tables.Results, tmp_path: Path) -> None:
    target = write_report(results, tmp_path / "laporan.xlsx")
    before = target.read_bytes()
    broken = tables.Results(
        **{**results.__dict__, "clusters": results.clusters.drop(columns="nilai_mandiri")}
    )
    with pytest.raises(KeyError):
        write_report(broken, target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["laporan.xlsx"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://drive.example.go.id/a.pdf", "https://drive.example.go.id/a.pdf"),
        ("  http://a.example/x?y=1  ", "http://a.example/x?y=1"),
        ("HTTPS://A.EXAMPLE/", "HTTPS://A.EXAMPLE/"),
        ("javascript:alert(1)", None),
        ("file:///etc/passwd", None),
        ("data:text/html,<b>x</b>", None),
        ("ftp://a.example/x", None),
        ("https://", None),
        ("https://a.example/with space", None),
        ('https://a.example/"q', None),
        ("https://a.example/\x07", None),
        ("https://a.example/" + "a" * 2100, None),
        ("SK Bupati No. 12", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_safe_url(value: Any, expected: str | None) -> None:
    assert safe_url(value) == expected


@given(st.text())
def test_clean_text_is_safe(text: str) -> None:
    cleaned = cell_text(text)
    assert len(cleaned) <= EXCEL_MAX_CHARS
    assert not re.search(r"[\x00-\x08\x0b-\x1f]", cleaned)
    assert cleaned == cell_text(cleaned)


@given(st.text())
def test_safe_url_only_http(text: str) -> None:
    url = safe_url(text)
    assert url is None or url.lower().startswith(("http://", "https://"))


@pytest.mark.libreoffice
def test_libreoffice_opens_and_summary_is_one_page(
    results: tables.Results, report: Path, tmp_path: Path
) -> None:
    converted = soffice_convert(report, "pdf", tmp_path)
    assert converted.returncode == 0, converted.stderr
    assert "error" not in (converted.stdout + converted.stderr).lower()
    pdf = tmp_path / f"{report.stem}.pdf"
    assert count_pdf_pages(pdf) > len(results.instrument.clusters)
    summary = write_report(results, tmp_path / "ringkasan.xlsx", sheets=("Ringkasan",))
    converted = soffice_convert(summary, "pdf", tmp_path)
    assert converted.returncode == 0, converted.stderr
    assert count_pdf_pages(tmp_path / "ringkasan.pdf") == 1


@pytest.mark.libreoffice
def test_render_summary_png(report: Path, tmp_path: Path) -> None:
    if shutil.which("soffice") is None or shutil.which("pdftoppm") is None:
        pytest.skip("LibreOffice atau pdftoppm (poppler-utils) tidak terpasang")
    png = tmp_path / "ringkasan.png"
    assert render_summary_png(report, png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
