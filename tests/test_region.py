"""Region settings: the example loads; bad settings give one Indonesian message naming file and field."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import config
from pipeline.errors import KlaError
from pipeline.instrument import Instrument
from pipeline.region import Region, check_region, read_region


def test_example_region_is_complete(region: Region, instrument: Instrument) -> None:
    check_region(region, instrument)
    assert "fiktif" in region.nama
    assert region.office_role("UPTDPPA") == "DP3A"
    assert region.office_name("DINKES").startswith("Dinas Kesehatan")


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    text = config.EXAMPLE_REGION_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "wilayah.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


BAD = [
    ("malformed year", "tahun = 2024", 'tahun = "dua ribu"', "tahun 'dua ribu'"),
    (
        "bad region code",
        'kode_kemendagri = "99.01"',
        'kode_kemendagri = "9901"',
        "kode_kemendagri '9901'",
    ),
    (
        "bad deadline",
        "batas_pengumpulan = 2024-03-29",
        'batas_pengumpulan = "besok"',
        "batas_pengumpulan",
    ),
    (
        "empty office name",
        'DINKES = "Dinas Kesehatan Kabupaten Sukamaju Raya"',
        'DINKES = ""',
        "[opd] DINKES: nama kosong",
    ),
]


@pytest.mark.parametrize(("name", "old", "new", "expected"), BAD, ids=[b[0] for b in BAD])
def test_bad_settings_name_file_and_field(
    tmp_path: Path, name: str, old: str, new: str, expected: str
) -> None:
    path = _variant(tmp_path, old, new)
    with pytest.raises(KlaError) as caught:
        read_region(path)
    assert str(path) in str(caught.value) and expected in str(caught.value)
    assert BAD_CODES[name] in caught.value.codes


BAD_CODES = {
    "malformed year": "wilayah-tahun-salah",
    "bad region code": "wilayah-kode-salah",
    "bad deadline": "wilayah-batas-salah",
    "empty office name": "wilayah-nama-kosong",
}


def test_unknown_role_and_missing_office(tmp_path: Path, instrument: Instrument) -> None:
    path = _variant(
        tmp_path, 'DINKES = "Dinas Kesehatan Kabupaten Sukamaju Raya"', 'DINKESS = "Dinas X"'
    )
    with pytest.raises(KlaError) as caught:
        check_region(read_region(path), instrument)
    message = str(caught.value)
    assert "'DINKESS': kode peran tidak dikenal" in message
    assert "[opd] DINKES: nama kantor belum diisi" in message
    assert {"wilayah-peran-tidak-dikenal", "wilayah-opd-kosong"} <= set(caught.value.codes)


def test_cli_exits_nonzero_with_indonesian_message(tmp_path: Path) -> None:
    path = _variant(tmp_path, "tahun = 2024", "tahun = 20x4")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline",
            "templates",
            "--wilayah",
            str(path),
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=config.PROJECT_DIR,
    )
    assert result.returncode == 1
    assert "GALAT" in result.stderr and str(path) in result.stderr
    assert "Traceback" not in result.stderr


def test_times_are_shown_in_the_region_time_zone(region: Region, tmp_path: Path) -> None:
    assert region.local_time("2024-03-15T02:50:00+00:00") == "15-03-2024 09.50 WIB"
    assert region.local_time("") == ""
    wita = read_region(_variant(tmp_path, 'zona_waktu = "WIB"', 'zona_waktu = "WITA"'))
    assert wita.local_time("2024-03-15T20:10:00+00:00") == "16-03-2024 04.10 WITA"
    with pytest.raises(KlaError, match="zona_waktu 'GMT'"):
        read_region(_variant(tmp_path, 'zona_waktu = "WIB"', 'zona_waktu = "GMT"'))
