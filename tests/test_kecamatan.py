"""The kecamatan workbook: its contract, read back after filling in LibreOffice and openpyxl,
located issues, and what the run writes from it (wilayah_kd.csv, report, feedback)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pipeline import config, tables
from pipeline.consolidate import run
from pipeline.ingest.files import read_inputs
from pipeline.instrument import Instrument
from pipeline.region import Region
from pipeline.templates.kecamatan import HEADER_ROW, unit_header, write_kecamatan_templates

UNO_SCRIPT = Path(__file__).parent / "uno" / "fill_cells.py"
SYSTEM_PYTHON = Path("/usr/bin/python3")
SUKAMAJU = "99.01.01"


@pytest.fixture(scope="module")
def kecamatan_paths(
    tmp_path_factory: pytest.TempPathFactory, instrument: Instrument, region: Region
) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("kec_templates")
    paths = write_kecamatan_templates(instrument, region, out, now=dt.datetime(2024, 3, 1, 8))
    return {p.name.split("_")[2]: p for p in paths}


def _desa_columns(sheet: openpyxl.worksheet.worksheet.Worksheet) -> dict[str, str]:
    return {
        str(cell.value).split(" ", 1)[0]: cell.column_letter
        for cell in sheet[HEADER_ROW + 1]
        if cell.value
    }


def test_one_workbook_per_kecamatan_with_the_contract(
    kecamatan_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    assert region.units is not None
    assert len(kecamatan_paths) == 12
    book = openpyxl.load_workbook(kecamatan_paths["990101"])
    assert book.sheetnames == ["Petunjuk", "Identitas", "Kecamatan", "Desa", "_meta"]
    assert book["_meta"].sheet_state == "veryHidden"
    header = [c.value for c in book["Kecamatan"][HEADER_ROW + 1]]
    assert [h for h in header if h in config.CONTRACT_HEADERS] == list(config.CONTRACT_HEADERS)
    desa = book["Desa"]
    header = [c.value for c in desa[HEADER_ROW + 1]]
    desa_questions = [u for u in instrument.unit_questions if u.tingkat == "desa"]
    assert header == [
        "No",
        "Kode Wilayah",
        "Desa/Kelurahan",
        "Jenis",
        *(unit_header(u) for u in desa_questions),
        "Data Dukung",
        "Keterangan",
    ]
    assert header[4] == "I26-P2 Perdes/kebijakan anak"  # begins with the question code
    listed = [(d.kode, d.nama, d.jenis) for d in region.units.desa_of(SUKAMAJU)]
    rows = [
        tuple(c.value for c in row[1:4])
        for row in desa.iter_rows(min_row=HEADER_ROW + 2, max_row=desa.max_row)
    ]
    assert rows == listed
    assert desa.protection.sheet and book["Kecamatan"].protection.sheet
    assert desa["B5"].protection.locked and not desa["E5"].protection.locked
    lists = [v for v in desa.data_validations.dataValidation if v.type == "list"]
    assert len(lists) == len(desa_questions) and all(v.formula1 == '"Ya,Tidak"' for v in lists)
    meta = {r[0]: r[1] for r in book["_meta"].iter_rows(values_only=True)}
    assert (meta["jenis_berkas"], meta["kode_kecamatan"], meta["kode_wilayah"]) == (
        "kecamatan",
        SUKAMAJU,
        region.kode,
    )


def _uno_fill(source: Path, target: Path, locale: str, cells: dict[str, str]) -> None:
    if shutil.which("soffice") is None or not SYSTEM_PYTHON.exists():
        pytest.skip("LibreOffice atau python3-uno tidak terpasang; .ci/run memasangnya di CI")
    profile = target.parent.parent / f"_lo_{locale}"  # outside the inputs folder
    result = subprocess.run(
        [
            str(SYSTEM_PYTHON),
            str(UNO_SCRIPT),
            str(source),
            str(target),
            locale,
            str(profile),
            json.dumps(cells),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    if result.returncode != 0 and "No module named 'uno'" in result.stderr:
        pytest.skip("python3-uno tidak terpasang")
    assert result.returncode == 0, result.stderr[-2000:]


@pytest.mark.parametrize(("locale", "suffix"), [("en-US", ".xlsx"), ("id-ID", ".ods")])
def test_filled_in_libreoffice_and_read_back(
    tmp_path: Path,
    kecamatan_paths: dict[str, Path],
    instrument: Instrument,
    region: Region,
    locale: str,
    suffix: str,
) -> None:
    columns = _desa_columns(openpyxl.load_workbook(kecamatan_paths["990101"])["Desa"])
    p4, p2, bukti = columns["I26-P4"], columns["I26-P2"], columns["Data"]
    cells = {
        f"Desa!{p4}5": "Ya",
        f"Desa!{p2}5": "tidak",  # typed in lower case
        f"Desa!{bukti}5": "SK Kades No. 7/2024",
        f"Desa!{p4}6": "Mungkin",  # neither Ya nor Tidak
        "Kecamatan!D5": "Ya",
        "Kecamatan!E5": "https://kec.example.go.id/sk-forum-anak",
        "Identitas!B7": "Dedi Kurniawan",
        "Identitas!B9": "0813-2000-1000",
    }
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    _uno_fill(kecamatan_paths["990101"], inputs / f"kecamatan sukamaju{suffix}", locale, cells)
    ingested = read_inputs(inputs, instrument, region, jobs=1)
    file = ingested.files.iloc[0]
    assert (file["status"], file["peran"], file["narahubung_nama"]) == (
        tables.FILE_USED,
        f"KEC-{SUKAMAJU}",
        "Dedi Kurniawan",
    )
    units = ingested.units
    answered = units[units["jawaban"] != ""]
    assert sorted(
        zip(answered["kode_wilayah"], answered["kode"], answered["jawaban"], strict=True)
    ) == [
        (SUKAMAJU, "I25-P2", "Ya"),
        (f"{SUKAMAJU}.1001", "I26-P2", "Tidak"),
        (f"{SUKAMAJU}.1001", "I26-P4", "Ya"),
    ]
    first = units[(units["kode_wilayah"] == f"{SUKAMAJU}.1001") & (units["kode"] == "I26-P4")]
    assert first[["data_dukung", "jawaban_sel"]].values.tolist() == [
        ["SK Kades No. 7/2024", f"{p4}5"]
    ]
    found = {(i.sheet, i.cell, i.code) for i in ingested.issues.itertuples()}
    # ' tidak ' typed with spaces and lower case is just "Tidak": no warning (case-only changes)
    assert ("Desa", f"{p2}5", "jawaban-dinormalisasi") not in found
    assert ("Desa", f"{p4}6", "jawaban-bukan-ya-tidak") in found


def _edit(path: Path, target: Path, edit: object) -> Path:
    book = openpyxl.load_workbook(path)
    edit(book)  # type: ignore[operator]
    book.save(target)
    return target


def test_added_duplicated_and_blank_desa_rows(
    tmp_path: Path, kecamatan_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    def trouble(book: openpyxl.Workbook) -> None:
        sheet = book["Desa"]
        columns = _desa_columns(sheet)
        sheet.protection.sheet = False
        last = sheet.max_row
        sheet[f"B{last + 1}"], sheet[f"C{last + 1}"] = "99.01.01.2999", "Desa Baru"
        sheet[f"{columns['I26-P4']}{last + 1}"] = "Ya"  # added by hand
        sheet[f"B{last + 2}"] = sheet["B5"].value  # a duplicate of the first desa
        sheet[f"{columns['I26-P4']}{last + 2}"] = "Ya"
        sheet[f"{columns['I26-P4']}{last + 3}"] = "Ya"  # an answer on a row without a code
        sheet[f"{columns['I26-P4']}5"] = "Tidak"

    inputs = tmp_path / "inputs"
    inputs.mkdir()
    _edit(kecamatan_paths["990101"], inputs / "kec.xlsx", trouble)
    ingested = read_inputs(inputs, instrument, region, jobs=1)
    last = openpyxl.load_workbook(kecamatan_paths["990101"])["Desa"].max_row
    codes = {(i.cell, i.code) for i in ingested.issues.itertuples() if i.severity == "galat"}
    assert codes == {
        (f"B{last + 1}", "desa-tidak-di-daftar"),
        (f"B{last + 2}", "desa-ganda"),
        (f"B{last + 3}", "desa-tanpa-kode"),
    }
    counted = ingested.units[ingested.units["kode"] == "I26-P4"]
    assert "99.01.01.2999" not in set(counted["kode_wilayah"])
    first = counted[counted["kode_wilayah"] == "99.01.01.1001"]
    assert first["jawaban"].tolist() == ["Tidak"]  # the first row counts, not the duplicate
    blank = [i for i in ingested.issues.itertuples() if i.code == "desa-belum-lengkap"]
    assert len(blank) == last - HEADER_ROW - 1  # every listed desa still has blank cells


def test_edited_metadata_and_other_region_are_refused(
    tmp_path: Path, kecamatan_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    def other_kecamatan(book: openpyxl.Workbook) -> None:
        for row in book["_meta"].iter_rows():
            if row[0].value == "kode_kecamatan":
                row[1].value = "99.01.02"

    inputs = tmp_path / "inputs"
    inputs.mkdir()
    _edit(kecamatan_paths["990101"], inputs / "kec.xlsx", other_kecamatan)
    ingested = read_inputs(inputs, instrument, region, jobs=1)
    assert ingested.files["status"].tolist() == [tables.FILE_REJECTED]
    assert ingested.issues["code"].tolist() == ["template-diubah"]
    assert ingested.units.empty


def test_run_writes_units_table_report_and_feedback(
    tmp_path: Path, kecamatan_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    def answer(book: openpyxl.Workbook) -> None:
        sheet = book["Desa"]
        columns = _desa_columns(sheet)
        sheet[f"{columns['I26-P4']}5"] = "Ya"
        sheet[f"{columns['Data']}5"] = '=HYPERLINK("x")'  # text from inputs stays text

    inputs = tmp_path / "inputs"
    inputs.mkdir()
    _edit(kecamatan_paths["990101"], inputs / "kec.xlsx", answer)
    output = run(inputs, tmp_path / "out", instrument, region, jobs=1)
    with (tmp_path / "out" / config.KD_UNITS_FILE).open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == list(tables.UNIT_TABLE)
    assert region.units is not None
    assert len(rows) == 9 * len(region.units.kecamatan) + 11 * len(region.units.desa)
    first = next(r for r in rows if r["kode_wilayah"] == "99.01.01.1001" and r["kode"] == "I26-P4")
    assert (first["jawaban"], first["sumber_file"]) == ("Ya", "kec.xlsx")
    assert first["sumber_sel"].startswith("Desa!")
    summary = json.loads((tmp_path / "out" / "ringkasan.json").read_text(encoding="utf-8"))
    assert summary["kelengkapan"]["kecamatan_mengirim"] == 1
    assert summary["kelengkapan"]["desa_terisi"] == 1
    questions = pd.read_csv(tmp_path / "out" / "nilai_pertanyaan.csv", encoding="utf-8-sig")
    computed = questions[questions["status"] == tables.STATUS_COMPUTED]
    assert len(computed) == 20
    book = openpyxl.load_workbook(output.report, read_only=True)
    assert (
        book.sheetnames.index(config.SHEET_KD_MATRIX) == book.sheetnames.index("Kecamatan-Desa") + 1
    )
    heading = [v for row in book["Ringkasan"].iter_rows(max_row=3, values_only=True) for v in row]
    assert any("dari 0 berkas isian OPD dan 1 berkas kecamatan" in str(v) for v in heading)
    texts = {v for row in book["Kecamatan-Desa"].iter_rows(values_only=True) for v in row if v}
    assert "Kelengkapan per kecamatan" in texts
    matrix = [row for row in book[config.SHEET_KD_MATRIX].iter_rows(values_only=True)]
    assert matrix[5][:1] == ("99.01.01.1001",) and "Ya" in matrix[5]
    feedback = [p.name for p in output.feedback]
    assert "KEC_99_01_01_Kecamatan_Sukamaju.xlsx" in feedback


def test_without_a_master_list_the_opd_answers(
    tmp_path: Path, instrument: Instrument, region: Region
) -> None:
    import dataclasses

    from pipeline.screen import summary_lines

    plain = dataclasses.replace(region, units=None)
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    output = run(inputs, tmp_path / "out", instrument, plain, jobs=1)
    assert output.results.kd is None
    assert not (tmp_path / "out" / config.KD_UNITS_FILE).exists()
    assert not (output.results.scored["status"] == tables.STATUS_COMPUTED).any()
    assert any("belum ada daftar_wilayah" in line for line in summary_lines(output, tmp_path))


def test_templates_without_a_master_list_say_so(
    tmp_path: Path, instrument: Instrument, region: Region
) -> None:
    import dataclasses

    from pipeline.templates.kecamatan import kecamatan_template_lines
    from pipeline.templates.opd import plan_templates

    plain = dataclasses.replace(region, units=None)
    lines = kecamatan_template_lines(instrument, plain, tmp_path)
    assert len(lines) == 1 and "Tanpa daftar_wilayah" in lines[0]
    assert not (tmp_path / str(region.tahun) / config.KECAMATAN_DIR).exists()
    asked = {q.kode for plan in plan_templates(instrument, plain) for q in plan.questions}
    assert {u.kode for u in instrument.unit_questions} <= asked  # the OPD answers them, as before
    lines = kecamatan_template_lines(instrument, region, tmp_path)
    assert lines[0].startswith("12 workbook kecamatan ditulis") and len(lines) == 13


def test_older_opd_workbook_with_a_computed_question(
    tmp_path: Path, instrument: Instrument, region: Region
) -> None:
    """An OPD template made before the master list still holds I26-P4: read, then replaced."""
    import dataclasses

    from pipeline.templates.opd import write_templates
    from tools.fill import Filled, fill_template

    plain = dataclasses.replace(region, units=None)
    written = write_templates(instrument, plain, tmp_path / "lama")
    dp3a = next(p for p in written if "_DP3A_" in p.name)
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    fill_template(dp3a, inputs / "dp3a.xlsx", {"I26-P4": Filled(40, "tebakan OPD")}, {})
    output = run(inputs, tmp_path / "out", instrument, region, jobs=1)
    codes = set(output.results.issues["code"])
    assert not codes & {"kode-tidak-dikenal", "tidak-ada-di-berkas"}
    row = output.results.scored.set_index("kode").loc["I26-P4"]
    assert (row["status"], row["jawaban"]) == (tables.STATUS_COMPUTED, "0")  # no kecamatan sent
