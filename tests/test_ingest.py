"""Ingest reads real returned workbooks by content: identity, table position, duplicates, bad files."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from pipeline import tables
from pipeline.ingest.files import read_inputs
from pipeline.instrument import Instrument
from pipeline.region import Region
from tests.builders import (
    DINKES_ANSWERS,
    answered,
    edit_isian,
    edit_meta,
    found,
    returned,
    soffice_convert,
    status,
)
from tools.fill import Filled


def test_renamed_file_is_read_by_content(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    returned(template_paths["DINKES"], tmp_path / "isian dinkes FINAL revisi2.xlsx")
    result = read_inputs(tmp_path, instrument, region, jobs=1)
    assert status(result) == {"isian dinkes FINAL revisi2.xlsx": tables.FILE_USED}
    assert found(result) == []
    assert answered(result) == {
        "I03-P1d": ("Sebagian besar", "F7"),
        "I12-P1": (92.5, "F10"),
        "I12-P4": (14.0, "F13"),
        "I12-P6": ("Ya", "F15"),
    }
    assert list(result.files.columns) == list(tables.FILES)
    assert list(result.cells.columns) == list(tables.CELLS)
    assert len(result.cells) == 45  # 47 DINKES questions, 2 of them computed from kecamatan
    row = result.files.iloc[0]
    assert (row["peran"], row["narahubung_nama"], row["narahubung_telepon"]) == (
        "DINKES",
        "Budi Santoso",
        "0812-1111-2222",
    )
    assert row["disimpan"] and len(row["sha256"]) == 64
    assert set(result.cells["file_sha256"]) == {row["sha256"]}


def test_inserted_rows_and_columns_reordered_and_blank_rows(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    path = returned(template_paths["DINKES"], tmp_path / "dinkes.xlsx")

    def restructure(sheet: Any) -> None:
        sheet.protection.sheet = False
        sheet.insert_rows(1, 2)  # header moves from row 4 to row 6
        sheet.insert_cols(1)  # every column moves right: Jawaban F -> G
        for col in range(1, 13):  # swap the rows of I03-P1d (row 9) and I12-P1 (row 12)
            a, b = sheet.cell(9, col), sheet.cell(12, col)
            a.value, b.value = b.value, a.value
        sheet.insert_rows(13, 3)  # blank rows in the middle of the table

    edit_isian(path, restructure)
    result = read_inputs(tmp_path, instrument, region, jobs=1)
    assert found(result) == []
    assert answered(result) == {
        "I03-P1d": ("Sebagian besar", "G12"),
        "I12-P1": (92.5, "G9"),
        "I12-P4": (14.0, "G18"),
        "I12-P6": ("Ya", "G20"),
    }


def test_unknown_repeated_and_missing_codes(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    path = returned(template_paths["DINKES"], tmp_path / "dinkes.xlsx")

    def break_codes(sheet: Any) -> None:
        sheet["B11"] = "X99-P1"  # was I12-P2
        sheet["B12"] = "I12-P1"  # was I12-P3: a repeat
        sheet["B13"] = "I01-P1"  # another office's question (was I12-P4)

    edit_isian(path, break_codes)
    result = read_inputs(tmp_path, instrument, region, jobs=1)
    assert found(result) == [
        ("Isian!B11", "", "kode-tidak-dikenal"),
        ("Isian!B12", "I12-P1", "kode-ganda"),
        ("Isian!B13", "", "kode-tidak-dikenal"),
        ("Isian", "I12-P2", "tidak-ada-di-berkas"),
        ("Isian", "I12-P3", "tidak-ada-di-berkas"),
        ("Isian", "I12-P4", "tidak-ada-di-berkas"),
    ]
    assert len(result.cells) == 42  # 45 less the three broken rows


def test_duplicates_newer_saved_time_wins(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    newer = {**DINKES_ANSWERS, "I12-P6": Filled("Tidak", "SK Kepala Dinas No. 4/2023")}
    # The newer one by saved time has the older file time: the workbook's own time counts.
    returned(template_paths["DINKES"], tmp_path / "b" / "lama.xlsx", saved="2024-03-01T08:00:00Z")
    returned(
        template_paths["DINKES"], tmp_path / "a" / "baru.xlsx", newer, saved="2024-03-05T08:00:00Z"
    )
    os.utime(tmp_path / "a" / "baru.xlsx", (1_600_000_000, 1_600_000_000))
    result = read_inputs(tmp_path, instrument, region, jobs=2)
    assert status(result) == {"a/baru.xlsx": tables.FILE_USED, "b/lama.xlsx": "digantikan"}
    assert found(result) == [("", "", "berkas-digantikan")]
    assert result.issues.iloc[0]["file"] == "b/lama.xlsx"
    assert "a/baru.xlsx" in result.issues.iloc[0]["message"]
    assert set(result.cells["file"]) == {"a/baru.xlsx"}
    assert answered(result)["I12-P6"] == ("Tidak", "F15")
    assert result.files.set_index("file").loc["a/baru.xlsx", "disimpan"] == (
        "2024-03-05T08:00:00+00:00"
    )


@pytest.mark.parametrize(
    ("changes", "rehash", "expected"),
    [
        ({"tahun": "2023"}, True, [("_meta", "", "tahun-berbeda")]),
        ({"kode_wilayah": "32.04"}, True, [("_meta", "", "wilayah-berbeda")]),
        (
            {"tahun": "2023", "kode_wilayah": "32.04"},
            True,
            [("_meta", "", "tahun-berbeda"), ("_meta", "", "wilayah-berbeda")],
        ),
        ({"peran": "DINSOS"}, False, [("_meta", "", "template-diubah")]),
        ({"instrumen_id": "kla-2023"}, True, [("_meta", "", "instrumen-berbeda")]),
        ({"format_template": "9"}, True, [("_meta", "", "format-template-tidak-didukung")]),
        ({"peran": "BULOG"}, True, [("_meta", "", "peran-tidak-dikenal")]),
    ],
)
def test_identity_rejects(
    tmp_path: Path,
    template_paths: dict[str, Path],
    instrument: Instrument,
    region: Region,
    changes: dict[str, str],
    rehash: bool,
    expected: list[tuple[str, str, str]],
) -> None:
    path = returned(template_paths["DINKES"], tmp_path / "dinkes.xlsx")
    edit_meta(path, changes, rehash)
    result = read_inputs(tmp_path, instrument, region, jobs=1)
    assert status(result) == {"dinkes.xlsx": tables.FILE_REJECTED}
    assert found(result) == expected
    assert result.cells.empty
    assert set(result.issues["severity"]) == {tables.SEVERITY_ERROR}


def test_older_instrument_version(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    old = returned(template_paths["DINKES"], tmp_path / "lama.xlsx")
    edit_meta(old, {"instrumen_hash": "0" * 64})
    result = read_inputs(tmp_path, instrument, region, jobs=1)
    assert status(result) == {"lama.xlsx": tables.FILE_USED}
    assert found(result) == [("_meta", "", "versi-template-lama")]
    assert len(answered(result)) == 4

    edit_isian(old, lambda sheet: sheet.__setitem__("B7", "I03-P1z"))
    result = read_inputs(tmp_path, instrument, region, jobs=1)
    assert status(result) == {"lama.xlsx": tables.FILE_REJECTED}
    assert found(result) == [("_meta", "", "template-tidak-cocok")]


def test_not_template_and_not_workbook_files(
    tmp_path: Path, instrument: Instrument, region: Region
) -> None:
    book = openpyxl.Workbook()
    book.active["A1"] = "Kode"
    book.save(tmp_path / "rekap sendiri.xlsx")
    (tmp_path / "surat pengantar.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n")
    (tmp_path / "isian.xlsx.csv").write_text("Kode;Jawaban\nI12-P1;85\n")
    (tmp_path / "csv menyamar.xlsx").write_text("Kode;Jawaban\nI12-P1;85\n")
    (tmp_path / "~$dinkes.xlsx").write_bytes(b"\x00" * 162)
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01")
    (tmp_path / "README.md").write_text("bukan isian")
    result = read_inputs(tmp_path, instrument, region, jobs=1)
    assert status(result) == {
        ".DS_Store": tables.FILE_NOT_WORKBOOK,  # hidden: reported, not read (issue 12)
        "csv menyamar.xlsx": tables.FILE_REJECTED,
        "isian.xlsx.csv": tables.FILE_NOT_WORKBOOK,
        "rekap sendiri.xlsx": tables.FILE_REJECTED,
        "surat pengantar.pdf": tables.FILE_NOT_WORKBOOK,
        "~$dinkes.xlsx": tables.FILE_NOT_WORKBOOK,
    }
    assert [(r.file, r.code, r.severity) for r in result.issues.itertuples()] == [
        (".DS_Store", "berkas-tersembunyi", "peringatan"),
        ("csv menyamar.xlsx", "bukan-workbook-isi", "galat"),
        ("isian.xlsx.csv", "bukan-workbook", "peringatan"),
        ("rekap sendiri.xlsx", "bukan-template", "galat"),
        ("surat pengantar.pdf", "bukan-workbook", "peringatan"),
        ("~$dinkes.xlsx", "bukan-workbook", "peringatan"),
    ]
    assert "_meta" in result.issues.iloc[3]["message"]


def test_unreadable_workbook_does_not_stop_the_run(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    with zipfile.ZipFile(tmp_path / "rusak.xlsx", "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook><sheets>")
    returned(template_paths["DINKES"], tmp_path / "dinkes.xlsx")
    result = read_inputs(tmp_path, instrument, region, jobs=1)
    assert status(result) == {"dinkes.xlsx": tables.FILE_USED, "rusak.xlsx": tables.FILE_REJECTED}
    assert found(result) == [("", "", "berkas-tidak-terbaca")]
    assert len(result.cells) == 45  # 47 DINKES questions, 2 of them computed from kecamatan


def test_empty_contact_is_a_warning(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    returned(template_paths["DINKES"], tmp_path / "dinkes.xlsx", identity={})
    result = read_inputs(tmp_path, instrument, region, jobs=1)
    assert found(result) == [
        ("Identitas!B7", "", "narahubung-kosong"),
        ("Identitas!B9", "", "narahubung-kosong"),
    ]
    assert status(result) == {"dinkes.xlsx": tables.FILE_USED}


def test_formula_without_cached_value(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    path = returned(template_paths["DINKES"], tmp_path / "dinkes.xlsx")
    edit_isian(path, lambda sheet: sheet.__setitem__("F11", "=F10/2"))
    result = read_inputs(tmp_path, instrument, region, jobs=1)
    assert answered(result)["I12-P2"] == ("=F10/2", "F11")


def test_formula_without_value_in_data_dukung_is_reported(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    path = returned(template_paths["DINKES"], tmp_path / "dinkes.xlsx")
    edit_isian(path, lambda sheet: sheet.__setitem__("G11", '=HYPERLINK("http://x.example","y")'))
    result = read_inputs(tmp_path, instrument, region, jobs=1)
    assert ("Isian!G11", "I12-P2", "rumus-tanpa-nilai") in found(result)
    cells = result.cells.set_index("kode")
    assert cells.loc["I12-P2", "data_dukung_mentah"] == ""  # never taken as evidence


def test_threads_give_the_same_tables_as_serial(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    for role in ("DINKES", "DUKCAPIL", "HUKUM"):
        returned(template_paths[role], tmp_path / f"{role.lower()}.xlsx", answers={})
    (tmp_path / "catatan.txt").write_text("-")
    serial = read_inputs(tmp_path, instrument, region, jobs=1)
    seen: list[tuple[int, int]] = []
    parallel = read_inputs(
        tmp_path, instrument, region, jobs=2, on_read=lambda done, total: seen.append((done, total))
    )
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]  # progress reported to the caller, file by file
    pd.testing.assert_frame_equal(serial.files, parallel.files)
    pd.testing.assert_frame_equal(serial.cells, parallel.cells)
    pd.testing.assert_frame_equal(serial.issues, parallel.issues)


@pytest.mark.libreoffice
@pytest.mark.parametrize("target", ["xlsx", "ods"])
def test_saved_through_libreoffice(
    tmp_path: Path,
    template_paths: dict[str, Path],
    instrument: Instrument,
    region: Region,
    target: str,
) -> None:
    work = tmp_path / "kerja"
    source = returned(template_paths["DINKES"], work / "dinkes asli.xlsx")
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    done = soffice_convert(source, target, inputs)
    assert done.returncode == 0, done.stderr
    shutil.rmtree(inputs / "_lo_profile", ignore_errors=True)
    result = read_inputs(inputs, instrument, region, jobs=1)
    assert status(result) == {f"dinkes asli.{target}": tables.FILE_USED}
    assert found(result) == []
    assert answered(result) == {
        "I03-P1d": ("Sebagian besar", "F7"),
        "I12-P1": (92.5, "F10"),
        "I12-P4": (14.0, "F13"),
        "I12-P6": ("Ya", "F15"),
    }
    assert result.files.iloc[0]["disimpan"] != ""


def test_two_versions_saved_at_the_same_moment_with_other_answers_are_reported(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    """Identical saved and file times cannot order two versions: the tool says which it used."""
    saved = "2024-03-20T02:00:00Z"
    first = returned(template_paths["DINKES"], tmp_path / "a dinkes.xlsx", saved=saved)
    other = dict(DINKES_ANSWERS)
    code = next(iter(other))
    other[code] = Filled(jawaban="0", data_dukung="", keterangan="")
    second = returned(template_paths["DINKES"], tmp_path / "b dinkes.xlsx", other, saved=saved)
    for path in (first, second):
        os.utime(path, ns=(1_710_900_000 * 10**9, 1_710_900_000 * 10**9))
    result = read_inputs(tmp_path, instrument, region, jobs=1)
    found = result.issues[result.issues["code"] == "versi-tidak-terurut"]
    assert found[["file", "value"]].values.tolist() == [["b dinkes.xlsx", "a dinkes.xlsx"]]
    same = returned(template_paths["DINKES"], tmp_path / "c dinkes.xlsx", other, saved=saved)
    os.utime(same, ns=(1_710_900_000 * 10**9, 1_710_900_000 * 10**9))
    again = read_inputs(tmp_path, instrument, region, jobs=1)
    # c is used now (name order); b holds the same answers, a does not: only a is named
    assert again.issues.loc[again.issues["code"] == "versi-tidak-terurut", "value"].tolist() == [
        "a dinkes.xlsx"
    ]
