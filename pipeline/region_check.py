"""Region settings that explain themselves: TOML syntax errors in Indonesian, unknown keys named."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Any

from pipeline.messages import setup_problem

# Every setting the region file knows: top-level keys, and the keys of its fixed tables.
TOP_KEYS = (
    "nama",
    "nama_singkat",
    "kode_kemendagri",
    "tahun",
    "instrumen",
    "batas_pengumpulan",
    "zona_waktu",
    "kecamatan",
    "daftar_wilayah",
)
TABLE_KEYS = {"koordinator": ("nama", "jabatan", "telepon", "email")}
# Tables whose keys are office role codes (checked against the instrument by check_region).
ROLE_TABLES = ("opd", "peran_dialihkan")

# tomllib's English messages (Python 3.11-3.13), matched at the start, and what to say instead.
TOML_PHRASES = (
    ("Illegal character", "ada karakter yang tidak boleh ada di sini (misalnya tab di dalam teks)"),
    ("Found invalid character", "ada karakter yang tidak boleh ada di sini"),
    ("Cannot overwrite a value", "pengaturan yang sama ditulis dua kali; hapus salah satunya"),
    ("Cannot declare", "bagian [..] yang sama ditulis dua kali; gabungkan isinya"),
    ("Cannot mutate immutable namespace", "pengaturan ini sudah ditulis sebelumnya"),
    ("Cannot redefine namespace", "pengaturan ini sudah ditulis sebelumnya"),
    ("Duplicate inline table key", "nama yang sama ditulis dua kali di dalam { }"),
    ("Expected '=' after a key", "tanda = tidak ditemukan setelah nama pengaturan"),
    ("Expected ']' at the end of a table", "nama bagian harus ditutup dengan ], misalnya [opd]"),
    ("Expected ']]'", "nama bagian harus ditutup dengan ]]"),
    ("Invalid statement", "baris ini tidak dapat dibaca"),
    ("Invalid initial character for a key", "nama pengaturan diawali karakter yang tidak boleh"),
    ("Invalid value", "nilainya tidak dapat dibaca (teks harus diapit tanda kutip lurus)"),
    ("Invalid date or datetime", "tanggal tidak ada atau salah tulis (TTTT-BB-HH)"),
    ("Unclosed array", "daftar belum ditutup dengan ] atau koma antarbutir terlupa"),
    ("Unclosed inline table", "tanda { belum ditutup dengan }"),
    ("Unterminated string", "teks belum ditutup dengan tanda kutip"),
    ("Unescaped '\\' in a string", "garis miring terbalik \\ di dalam teks: ganti dengan /"),
    ("Invalid hex value", "kode \\u di dalam teks salah tulis"),
    ("Escaped character", "kode \\u di dalam teks salah tulis"),
)
TOML_UNKNOWN = "tulisannya tidak sesuai format berkas pengaturan"
TOML_PLACE = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)")


def toml_problem(message: str) -> tuple[str, str]:
    """(where, what) for a tomllib message: ' di baris 12, kolom 5' and the Indonesian phrase."""
    found = TOML_PLACE.search(message)
    where = ""
    if found and found.group(1):
        where = f" di baris {found.group(1)}, kolom {found.group(2)}"
    elif found:
        where = " di akhir berkas"
    english = TOML_PLACE.sub("", message)
    for start, indonesian in TOML_PHRASES:
        if english.startswith(start):
            return where, indonesian
    return where, TOML_UNKNOWN


def unknown_settings(raw: dict[str, Any]) -> list[tuple[str, str]]:
    """One line per key or section the region file does not know, with a suggestion where one fits."""
    problems = []
    known_top = (*TOP_KEYS, *TABLE_KEYS, *ROLE_TABLES)
    for key, value in raw.items():
        if key in known_top:
            continue
        close = closest(key, known_top)
        if isinstance(value, dict):
            hint = f"; maksudnya [{close}]?" if close in (*TABLE_KEYS, *ROLE_TABLES) else "."
            problems.append(setup_problem("wilayah-bagian-tidak-dikenal", key=key, hint=hint))
        else:
            hint = f"; maksudnya {close}?" if close else "."
            problems.append(setup_problem("wilayah-pengaturan-tidak-dikenal", key=key, hint=hint))
    for table, keys in TABLE_KEYS.items():
        section = raw.get(table)
        if isinstance(section, dict):
            problems += [_unknown_in_table(table, key, keys) for key in section if key not in keys]
    return problems


def _unknown_in_table(table: str, key: str, keys: tuple[str, ...]) -> tuple[str, str]:
    if key in TOP_KEYS:
        return setup_problem("wilayah-salah-bagian", table=table, key=key)
    close = closest(key, keys)
    hint = f"; maksudnya {close}?" if close else "."
    return setup_problem(
        "wilayah-kunci-tidak-dikenal", table=table, key=key, hint=hint, keys=", ".join(keys)
    )


def closest(name: str, known: Iterable[str]) -> str:
    """The known name closest to `name` (case ignored), or '' when none is close."""
    by_lower = {k.lower(): k for k in known}
    close = difflib.get_close_matches(name.lower(), list(by_lower), n=1, cutoff=0.6)
    return by_lower[close[0]] if close else ""
