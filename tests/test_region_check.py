"""Region settings explain themselves: TOML mistakes in Indonesian, unknown keys named with a hint."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline import config
from pipeline.errors import KlaError
from pipeline.instrument import Instrument
from pipeline.region import Region, check_region, read_region
from pipeline.region_check import TOML_PHRASES

TOML_ENGLISH = re.compile(r"Illegal|Cannot|Invalid|Expected|Unclosed|Unterminated|None|at line")
EXAMPLE = config.EXAMPLE_REGION_FILE.read_text(encoding="utf-8")


def _written(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "wilayah.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _problem(tmp_path: Path, text: str) -> str:
    with pytest.raises(KlaError) as caught:
        read_region(_written(tmp_path, text))
    message = str(caught.value)
    assert not TOML_ENGLISH.search(message), message
    return message


def test_shipped_example_has_its_kecamatan(region: Region) -> None:
    assert len(region.kecamatan) == 8 and region.kecamatan[0] == "Sukamaju"


SYNTAX = [
    ("duplicate", EXAMPLE.replace("tahun = 2024", "tahun = 2024\ntahun = 2025"), "baris 10", "dua kali"),
    ("unquoted", EXAMPLE.replace('nama_singkat = "Sukamaju Raya"', "nama_singkat = Sukamaju"), "baris 7", "tanda kutip"),
    ("control", EXAMPLE.replace('"Sukamaju Raya"', '"Sukamaju\x07Raya"'), "baris 7", "karakter"),
    ("section", EXAMPLE.replace("[opd]", "[opd"), "kolom 5", "ditutup dengan ]"),
    ("open list", EXAMPLE.replace('"Bojong Kidul",\n]', '"Bojong Kidul",\n'), "baris", "daftar"),
    ("open text", EXAMPLE.replace('"WIB" ', '"WIB '), "baris 12", "tanda kutip"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "text", "where", "what"), SYNTAX, ids=[s[0] for s in SYNTAX])
def test_toml_mistakes_in_indonesian(
    tmp_path: Path, name: str, text: str, where: str, what: str
) -> None:
    message = _problem(tmp_path, text)
    assert "salah tulis" in message and where in message and what in message


def test_every_phrase_is_indonesian() -> None:
    assert all(not TOML_ENGLISH.search(said) for _, said in TOML_PHRASES)


def test_missing_values_are_named_not_none(tmp_path: Path) -> None:
    text = EXAMPLE.replace("tahun = 2024 ", "").replace("batas_pengumpulan = 2024-03-29 ", "")
    message = _problem(tmp_path, text)
    assert "- tahun belum diisi: harus tahun empat angka" in message
    assert "- batas_pengumpulan belum diisi: harus tanggal TTTT-BB-HH" in message


def test_kecamatan_under_koordinator_is_refused_with_the_fix(tmp_path: Path) -> None:
    start = EXAMPLE.index("kecamatan = [")
    block = EXAMPLE[start : EXAMPLE.index("]\n", start) + 2]
    text = EXAMPLE.replace(block, "").replace(
        'email = "kla@sukamajuraya.example.go.id"\n',
        'email = "kla@sukamajuraya.example.go.id"\n\n' + block,
    )
    message = _problem(tmp_path, text)
    assert "[koordinator] kecamatan: kecamatan bukan bagian dari [koordinator]" in message
    assert "Pindahkan baris kecamatan = ... ke atas, sebelum baris [koordinator]" in message


UNKNOWN = [
    ("[opd]", "[OPD]", "bagian [OPD] tidak dikenal; maksudnya [opd]?"),
    ("tahun = 2024", "tahunn = 2024", "pengaturan tahunn tidak dikenal; maksudnya tahun?"),
    ('telepon = "0812', 'hp = "0812', "[koordinator] hp: tidak dikenal."),
    ("[peran_dialihkan]", "[lain_lain]", "bagian [lain_lain] tidak dikenal."),
]


@pytest.mark.parametrize(("old", "new", "expected"), UNKNOWN)
def test_unknown_keys_and_sections_are_named(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    assert expected in _problem(tmp_path, EXAMPLE.replace(old, new, 1))


def test_misspelled_role_gets_a_suggestion(tmp_path: Path, instrument: Instrument) -> None:
    text = EXAMPLE.replace("DINKES = ", "DINKESS = ", 1)
    with pytest.raises(KlaError) as caught:
        check_region(read_region(_written(tmp_path, text)), instrument)
    assert "'DINKESS': kode peran tidak dikenal; maksudnya DINKES?" in str(caught.value)
