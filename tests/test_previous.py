"""Last year's results: read from an outputs folder or a consolidated workbook (also re-saved by
LibreOffice), with the defences of any input; the comparison they feed, end to end."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pipeline import config, tables
from pipeline.consolidate import RunOutput, run
from pipeline.errors import KlaError
from pipeline.ingest.previous import read_previous
from pipeline.instrument import Instrument
from pipeline.region import Region
from pipeline.report.workbook import sheet_names
from tests.builders import soffice_convert
from tools.example.previous import run_previous_year

COMPARED = ["kode", "jawaban", "data_dukung", "status", "status_verifikasi"]


@pytest.fixture(scope="module")
def last_year(
    tmp_path_factory: pytest.TempPathFactory, instrument: Instrument, region: Region
) -> RunOutput:
    """The example's 2023 results, consolidated by the pipeline (workbook and CSV)."""
    return run_previous_year(instrument, region, tmp_path_factory.mktemp("kla2023"))


@pytest.fixture(scope="module")
def compared(
    tmp_path_factory: pytest.TempPathFactory, instrument: Instrument, region: Region
) -> RunOutput:
    """The example consolidated with the committed 2023 results as SEBELUMNYA."""
    out = tmp_path_factory.mktemp("now") / "outputs"
    return run(
        config.EXAMPLE_INPUTS_DIR,
        out,
        instrument,
        region,
        jobs=1,
        example=True,
        previous=config.EXAMPLE_PREVIOUS_DIR,
    )


def test_outputs_folder_is_read(instrument: Instrument, region: Region) -> None:
    previous = read_previous(config.EXAMPLE_PREVIOUS_DIR, instrument, region)
    assert previous.tahun == 2023
    assert previous.source == "contoh/2023/outputs"
    assert len(previous.answers) == len(instrument.questions)
    summary = json.loads((config.EXAMPLE_PREVIOUS_DIR / "ringkasan.json").read_text("utf-8"))
    assert previous.terverifikasi == pytest.approx(summary["total"]["terverifikasi"], abs=0.01)
    assert previous.issues.empty


def test_workbook_gives_the_same_answers_as_the_csv(
    last_year: RunOutput, instrument: Instrument, region: Region
) -> None:
    from_csv = read_previous(last_year.report.parent, instrument, region).answers
    from_book = read_previous(last_year.report, instrument, region)
    assert from_book.tahun == 2023
    pd.testing.assert_frame_equal(from_book.answers[COMPARED], from_csv[COMPARED])
    assert from_book.answers["nilai_terverifikasi"].tolist() == pytest.approx(
        from_csv["nilai_terverifikasi"].tolist(), abs=1e-4
    )


@pytest.mark.parametrize("target", ["xlsx", "ods"])
def test_workbook_resaved_by_libreoffice(
    last_year: RunOutput, instrument: Instrument, region: Region, tmp_path: Path, target: str
) -> None:
    done = soffice_convert(last_year.report, target, tmp_path)
    assert done.returncode == 0, done.stderr
    resaved = tmp_path / f"{last_year.report.stem}.{target}"
    expected = read_previous(last_year.report.parent, instrument, region).answers
    previous = read_previous(resaved, instrument, region)
    assert previous.tahun == 2023
    assert previous.issues.empty
    pd.testing.assert_frame_equal(previous.answers[COMPARED], expected[COMPARED])


def test_same_year_is_accepted_with_a_note(
    compared: RunOutput, instrument: Instrument, region: Region
) -> None:
    previous = read_previous(compared.report.parent, instrument, region)
    assert previous.tahun == 2024
    assert list(previous.issues["code"]) == ["sebelumnya-tahun-sama"]
    assert "dua putaran pengumpulan" in previous.issues["message"].iloc[0]


def test_other_region_is_accepted_with_a_note(
    tmp_path: Path, instrument: Instrument, region: Region
) -> None:
    folder = _copy_previous(tmp_path)
    summary = json.loads((folder / "ringkasan.json").read_text("utf-8"))
    summary["wilayah"]["nama"] = "Kota Lain"
    (folder / "ringkasan.json").write_text(json.dumps(summary), "utf-8")
    previous = read_previous(folder, instrument, region)
    assert list(zip(previous.issues["code"], previous.issues["value"], strict=True)) == [
        ("sebelumnya-wilayah-lain", "Kota Lain")
    ]


def test_later_year_is_refused(tmp_path: Path, instrument: Instrument, region: Region) -> None:
    folder = _copy_previous(tmp_path)
    summary = json.loads((folder / "ringkasan.json").read_text("utf-8"))
    (folder / "ringkasan.json").write_text(json.dumps({**summary, "tahun": 2030}), "utf-8")
    with pytest.raises(KlaError, match="lebih baru dari tahun evaluasi 2024"):
        read_previous(folder, instrument, region)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("hasil.xlsx", b"%PDF-1.4 surat pengantar", "bukan lembar kerja (PDF)"),
        ("hasil.xlsx", b"", "berkas kosong"),
        ("hasil.xlsx", b"PK\x03\x04 rusak", "berkas rusak"),
    ],
)
def test_a_file_that_is_not_a_report_is_refused(
    tmp_path: Path, instrument: Instrument, region: Region, name: str, data: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(KlaError, match="Hasil tahun lalu tidak dapat dipakai") as raised:
        read_previous(path, instrument, region)
    assert message in str(raised.value)


def test_a_workbook_without_data_sheet_is_refused(
    tmp_path: Path, instrument: Instrument, region: Region
) -> None:
    path = tmp_path / "lain.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(KlaError, match="lembar Data, Ringkasan tidak ada"):
        read_previous(path, instrument, region)


def test_symlink_and_missing_folder_are_refused(
    tmp_path: Path, instrument: Instrument, region: Region
) -> None:
    link = tmp_path / "tautan"
    link.symlink_to(config.EXAMPLE_PREVIOUS_DIR)
    with pytest.raises(KlaError, match="tautan simbolik; tautan tidak diikuti"):
        read_previous(link, instrument, region)
    with pytest.raises(KlaError, match="tidak ditemukan"):
        read_previous(tmp_path / "tidak-ada", instrument, region)


def test_bad_rows_become_located_issues(
    tmp_path: Path, instrument: Instrument, region: Region
) -> None:
    folder = _copy_previous(tmp_path)
    rows = _csv_rows(folder / "nilai_pertanyaan.csv")
    rows[2]["nilai_terverifikasi"] = "banyak"
    rows[5]["kode"] = rows[4]["kode"]
    _write_rows(folder / "nilai_pertanyaan.csv", rows)
    previous = read_previous(folder, instrument, region)
    found = list(zip(previous.issues["cell"], previous.issues["code"], strict=True))
    assert found == [("baris 4", "sebelumnya-baris-salah"), ("baris 7", "sebelumnya-baris-salah")]
    assert len(previous.answers) == len(instrument.questions) - 2


def test_missing_column_is_refused(tmp_path: Path, instrument: Instrument, region: Region) -> None:
    folder = _copy_previous(tmp_path)
    rows = [
        {k: v for k, v in row.items() if k != "nilai_terverifikasi"}
        for row in _csv_rows(folder / "nilai_pertanyaan.csv")
    ]
    _write_rows(folder / "nilai_pertanyaan.csv", rows)
    with pytest.raises(KlaError, match="kolom nilai_terverifikasi tidak ada"):
        read_previous(folder, instrument, region)


def test_verifier_status_is_used_when_present(
    tmp_path: Path, instrument: Instrument, region: Region
) -> None:
    folder = _copy_previous(tmp_path)
    rows = _csv_rows(folder / "nilai_pertanyaan.csv")
    for row in rows:
        row["status_verifikasi"] = "ditolak"
        row["catatan_verifikasi"] = "SK kedaluwarsa"
    _write_rows(folder / "nilai_pertanyaan.csv", rows)
    answers = read_previous(folder, instrument, region).answers
    assert set(answers["status_verifikasi"]) == {"ditolak"}
    assert set(answers["catatan_verifikasi"]) == {"SK kedaluwarsa"}


def test_derived_status_without_a_verifier(instrument: Instrument, region: Region) -> None:
    answers = read_previous(config.EXAMPLE_PREVIOUS_DIR, instrument, region).answers
    verified = answers["status_verifikasi"] == tables.PREVIOUS_VERIFIED
    assert verified.sum() > 0
    assert (answers.loc[verified, "data_dukung"] != "").all()


def test_report_has_perbandingan_after_rekomendasi(
    compared: RunOutput, instrument: Instrument
) -> None:
    extra = {config.SHEET_MACHINE_SUMMARY, config.SHEET_KD_MATRIX}  # hidden summary; KD matrix
    names = [
        n
        for n in openpyxl.load_workbook(compared.report, read_only=True).sheetnames
        if n not in extra
    ]
    assert names == sheet_names(instrument, comparison=True)
    # after Verifikasi, the sheet before it in the report since pre-verification
    assert names.index(config.SHEET_COMPARISON) == names.index(config.SHEET_VERIFICATION) + 1
    assert config.SHEET_COMPARISON not in sheet_names(instrument)


def test_perbandingan_csv_contract(compared: RunOutput, instrument: Instrument) -> None:
    path = compared.report.parent / config.COMPARISON_FILE
    assert path in compared.exports
    rows = _csv_rows(path)
    assert list(rows[0]) == list(tables.COMPARISON)
    assert [r["kode"] for r in rows] == [q.kode for q in instrument.questions]
    flagged = {f for r in rows for f in r["tanda"].split("; ") if f}
    assert flagged == set(tables.FLAGS)  # the example shows every kind of flag
    for row in rows:
        assert float(row["selisih"]) == pytest.approx(
            float(row["nilai_kini"]) - float(row["nilai_lalu"]), abs=1e-3
        )


def test_ringkasan_json_and_screen_totals(compared: RunOutput) -> None:
    summary = json.loads((compared.report.parent / "ringkasan.json").read_text("utf-8"))
    part = summary["perbandingan"]
    assert part["tahun_lalu"] == 2023
    assert part["sumber"] == "contoh/2023/outputs"
    assert part["total"]["kini"] == summary["total"]["terverifikasi"]
    assert not part["instrumen_berubah"]
    assert part["sebanding"]["pertanyaan"] == 274
    assert sum(c["selisih"] for c in part["klaster"].values()) == pytest.approx(
        part["sebanding"]["selisih"], abs=0.05
    )


def test_ringkasan_sheet_shows_both_years(compared: RunOutput) -> None:
    sheet = openpyxl.load_workbook(compared.report)["Ringkasan"]
    texts = [
        c.value for row in sheet.iter_rows(max_row=12) for c in row if isinstance(c.value, str)
    ]
    line = next(t for t in texts if t.startswith("Dibanding tahun lalu"))
    assert "2023:" in line and "2024:" in line


def test_text_from_last_year_stays_text(
    tmp_path: Path, instrument: Instrument, region: Region
) -> None:
    folder = _copy_previous(tmp_path / "prev")
    rows = _csv_rows(folder / "nilai_pertanyaan.csv")
    rows[0]["jawaban"] = '=HYPERLINK("http://evil.example","klik")'
    _write_rows(folder / "nilai_pertanyaan.csv", rows)
    output = run(
        config.EXAMPLE_INPUTS_DIR, tmp_path / "out", instrument, region, jobs=1, previous=folder
    )
    sheet = openpyxl.load_workbook(output.report)[config.SHEET_COMPARISON]
    evil = '=HYPERLINK("http://evil.example","klik")'
    cells = [c for row in sheet.iter_rows() for c in row if c.value == evil]
    assert [c.data_type for c in cells] == ["s"]  # a string cell, not a formula
    csv_rows = _csv_rows(tmp_path / "out" / config.COMPARISON_FILE)
    assert csv_rows[0]["jawaban_lalu"].startswith("'=")


def test_without_previous_no_comparison_outputs(
    tmp_path: Path, compared: RunOutput, instrument: Instrument, region: Region
) -> None:
    out = tmp_path / "out"
    shutil.copytree(compared.report.parent, out)
    output = run(config.EXAMPLE_INPUTS_DIR, out, instrument, region, jobs=1)
    assert not (out / config.COMPARISON_FILE).exists()
    assert "perbandingan" not in json.loads((out / "ringkasan.json").read_text("utf-8"))
    extra = {config.SHEET_MACHINE_SUMMARY, config.SHEET_KD_MATRIX}  # hidden summary; KD matrix
    names = openpyxl.load_workbook(output.report, read_only=True).sheetnames
    assert [n for n in names if n not in extra] == sheet_names(instrument)


def _copy_previous(target: Path) -> Path:
    shutil.copytree(config.EXAMPLE_PREVIOUS_DIR, target, dirs_exist_ok=True)
    return target


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
