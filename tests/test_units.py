"""The master list of kecamatan and desa/kelurahan and the unit questions: loaded and checked."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from pipeline import config
from pipeline.errors import KlaError
from pipeline.instrument import Instrument
from pipeline.region import read_region
from pipeline.unit_questions import build_unit_questions, is_computed
from pipeline.units import read_master_list

HEADER = ("kode", "nama", "jenis")
GOOD = [
    ("32.17.01", "Cikalong", "kecamatan"),
    ("32.17.01.1001", "Sukajadi", ""),  # jenis left out: 1xxx is a kelurahan
    ("32.17.01.2001", "Mekarsari", "desa"),
]


def _write_csv(path: Path, rows: list[tuple[str, ...]], delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows([HEADER, *rows])
    return path


def test_example_master_list_is_loaded_with_the_region() -> None:
    region = read_region(config.EXAMPLE_REGION_FILE)
    assert region.units is not None
    assert len(region.units.kecamatan) == 12
    assert len(region.units.desa) == 158
    assert {d.jenis for d in region.units.desa} == {"desa", "kelurahan"}
    assert all(d.kode.startswith(d.kode_kecamatan + ".") for d in region.units.desa)


def test_csv_with_semicolons_and_inferred_kind(tmp_path: Path) -> None:
    units = read_master_list(_write_csv(tmp_path / "d.csv", GOOD, ";"), "32.17")
    assert [(u.kode, u.jenis, u.kode_kecamatan) for u in units.desa] == [
        ("32.17.01.1001", "kelurahan", "32.17.01"),
        ("32.17.01.2001", "desa", "32.17.01"),
    ]


def test_xlsx_pasted_from_a_district_sheet(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Daftar desa Kabupaten X"])  # a title above the header row
    sheet.append(["Kode", "Nama", "Jenis"])
    for row in GOOD:
        sheet.append(list(row))
    book.save(tmp_path / "d.xlsx")
    units = read_master_list(tmp_path / "d.xlsx", "32.17")
    assert [u.nama for u in units.kecamatan] == ["Cikalong"]
    assert len(units.desa) == 2


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            [*GOOD, ("32.17.01.2001", "Mekarsari Lagi", "desa")],
            "d.csv baris 5 (32.17.01.2001): kode sudah dipakai di baris 4.",
        ),
        (
            [*GOOD, ("32.17.02.2001", "Cibodas", "desa")],
            "d.csv baris 5 (32.17.02.2001): kecamatan 32.17.02 tidak ada di daftar.",
        ),
        (
            [*GOOD, ("33.01.01", "Lain", "kecamatan")],
            "d.csv baris 5 (33.01.01): kode tidak berada di bawah kode wilayah 32.17.",
        ),
        (
            [*GOOD, ("3217012002", "Tanpa Titik", "desa")],
            "d.csv baris 5 (3217012002): kode '3217012002'",
        ),
        ([*GOOD, ("32.17.01.2002", "", "desa")], "d.csv baris 5 (32.17.01.2002): nama kosong"),
        (
            [*GOOD, ("32.17.01.2002", "Salah Jenis", "kecamatan")],
            "jenis kecamatan tetapi kode berbentuk kode desa/kelurahan",
        ),
        ([*GOOD, ("32.17.01.2002", "Dusun", "dusun")], "jenis 'dusun' tidak dikenal"),
    ],
)
def test_bad_rows_are_named(tmp_path: Path, rows: list[tuple[str, ...]], expected: str) -> None:
    with pytest.raises(KlaError) as caught:
        read_master_list(_write_csv(tmp_path / "d.csv", rows), "32.17")
    assert expected in str(caught.value)


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    rows = [*GOOD, ("32.17.01.2001", "Ganda", "desa"), ("32.17.09.2001", "Yatim", "desa")]
    with pytest.raises(KlaError) as caught:
        read_master_list(_write_csv(tmp_path / "d.csv", rows), "32.17")
    assert "baris 5" in str(caught.value) and "baris 6" in str(caught.value)


def test_missing_columns_and_missing_file(tmp_path: Path) -> None:
    (tmp_path / "d.csv").write_text("kode;desa\n32.17.01;X\n", encoding="utf-8")
    with pytest.raises(KlaError, match="kolom wajib tidak ada: nama"):
        read_master_list(tmp_path / "d.csv", "32.17")
    with pytest.raises(KlaError, match="tidak ditemukan"):
        read_master_list(tmp_path / "tidak-ada.csv", "32.17")


def test_region_file_names_the_list(tmp_path: Path) -> None:
    text = config.EXAMPLE_REGION_FILE.read_text(encoding="utf-8")
    own = tmp_path / "wilayah.toml"
    own.write_text(text.replace("wilayah-contoh-desa.csv", "desa-saya.csv"), encoding="utf-8")
    with pytest.raises(KlaError, match=r"desa-saya\.csv"):
        read_region(own)
    rows = [("99.01.01", "Satu", "kecamatan"), ("99.01.01.2001", "Desa Satu", "desa")]
    _write_csv(tmp_path / "desa-saya.csv", rows)  # beside the settings file
    region = read_region(own)
    assert region.units is not None and [d.nama for d in region.units.desa] == ["Desa Satu"]
    own.write_text(
        text.replace('daftar_wilayah = "wilayah-contoh-desa.csv"\n', ""), encoding="utf-8"
    )
    assert read_region(own).units is None


def test_unit_questions_cover_exactly_the_computed_questions(instrument: Instrument) -> None:
    computed = [q for q in instrument.questions if is_computed(q.jenis, q.tingkat_wilayah)]
    assert [u.kode for u in instrument.unit_questions] == [q.kode for q in computed]
    levels = [u.tingkat for u in instrument.unit_questions]
    assert (levels.count("kecamatan"), levels.count("desa")) == (9, 11)
    assert all(u.pertanyaan.endswith("?") for u in instrument.unit_questions)


def test_unit_question_file_is_checked(tmp_path: Path) -> None:
    computed = {"I26-P4": "desa", "I26-P2": "desa"}
    path = tmp_path / "kla-unit.csv"
    rows = [
        (2, {"kode": "I26-P4", "judul": "Forum Anak", "pertanyaan": "Ada?", "bantuan": ""}),
        (3, {"kode": "I01-P1", "judul": "Perda", "pertanyaan": "Ada?", "bantuan": ""}),
    ]
    with pytest.raises(KlaError) as caught:
        build_unit_questions(path, rows, computed)
    assert "kla-unit.csv baris 3 (I01-P1): bukan pertanyaan persen" in str(caught.value)
    with pytest.raises(KlaError, match="pertanyaan I26-P2 belum punya baris"):
        build_unit_questions(path, rows[:1], computed)
