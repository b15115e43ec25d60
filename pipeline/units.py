"""The region's master list of kecamatan and desa/kelurahan (Kemendagri codes) from CSV or xlsx."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import KlaError

KECAMATAN_CODE = re.compile(r"^\d{2}\.\d{2}\.\d{2}$")
DESA_CODE = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")
JENIS_KECAMATAN = "kecamatan"
JENIS_DESA = "desa"
JENIS_KELURAHAN = "kelurahan"
UNIT_KINDS = (JENIS_KECAMATAN, JENIS_DESA, JENIS_KELURAHAN)
# Kemendagri numbering: the fourth part starts with 1 for a kelurahan, 2 for a desa.
KIND_BY_DIGIT = {"1": JENIS_KELURAHAN, "2": JENIS_DESA}
COLUMNS = ("kode", "nama", "jenis")
REQUIRED = ("kode", "nama")
HEADER_SCAN_ROWS = 20
MAX_PROBLEMS = 30


@dataclass(frozen=True)
class Unit:
    """One kecamatan or desa/kelurahan of the master list."""

    kode: str
    nama: str
    jenis: str  # kecamatan, desa or kelurahan
    kode_kecamatan: str  # its own code for a kecamatan


@dataclass(frozen=True)
class MasterList:
    """Every kecamatan and desa/kelurahan of the region, in code order."""

    path: Path
    kecamatan: tuple[Unit, ...]
    desa: tuple[Unit, ...]

    def desa_of(self, kode_kecamatan: str) -> tuple[Unit, ...]:
        return tuple(d for d in self.desa if d.kode_kecamatan == kode_kecamatan)

    def kecamatan_name(self, kode: str) -> str:
        return next((k.nama for k in self.kecamatan if k.kode == kode), kode)


def read_master_list(path: Path, region_code: str) -> MasterList:
    """Read and check the master list (CSV or xlsx); raise KlaError naming every bad row."""
    path = Path(path)
    if not path.is_file():
        raise KlaError(
            f"Daftar kecamatan dan desa/kelurahan tidak ditemukan: {path}. Periksa "
            "`daftar_wilayah` di pengaturan wilayah (nama berkas relatif terhadap folder schemas/)."
        )
    rows = (
        _read_xlsx(path) if path.suffix.lower() in (".xlsx", ".xlsm", ".ods") else _read_csv(path)
    )
    return build_master_list(path, rows, region_code)


def build_master_list(
    path: Path, rows: list[tuple[int, dict[str, str]]], region_code: str
) -> MasterList:
    """Check the rows (line number, {kode, nama, jenis}) and build the MasterList."""
    problems: list[str] = []
    units: list[Unit] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        if not any(row.values()):
            continue
        where = f"{path.name} baris {line} ({row.get('kode') or 'tanpa kode'})"
        unit, found = _unit(row, region_code)
        if unit and unit.kode in seen:
            found.append(f"kode sudah dipakai di baris {seen[unit.kode]}")
        problems.extend(f"{where}: {p}." for p in found)
        if unit and not found:
            seen[unit.kode] = line
            units.append(unit)
    kecamatan = {u.kode for u in units if u.jenis == JENIS_KECAMATAN}
    for unit in units:
        if unit.jenis != JENIS_KECAMATAN and unit.kode_kecamatan not in kecamatan:
            problems.append(
                f"{path.name} baris {seen[unit.kode]} ({unit.kode}): kecamatan "
                f"{unit.kode_kecamatan} tidak ada di daftar. Tambahkan baris kecamatan itu "
                "atau perbaiki kode desa/kelurahan."
            )
    if not problems and not kecamatan:
        problems.append(f"{path.name}: tidak ada baris kecamatan (kode PP.KK.CC).")
    if problems:
        shown = problems[:MAX_PROBLEMS]
        more = len(problems) - len(shown)
        text = "\n".join(f"- {p}" for p in shown) + (f"\n- ... dan {more} lagi." if more else "")
        raise KlaError(f"Daftar kecamatan dan desa/kelurahan {path} perlu diperbaiki:\n{text}")
    ordered = sorted(units, key=lambda u: u.kode)
    return MasterList(
        path=path,
        kecamatan=tuple(u for u in ordered if u.jenis == JENIS_KECAMATAN),
        desa=tuple(u for u in ordered if u.jenis != JENIS_KECAMATAN),
    )


def _unit(row: dict[str, str], region_code: str) -> tuple[Unit | None, list[str]]:
    kode, nama, jenis = (row.get(c, "").strip() for c in COLUMNS)
    jenis = jenis.lower()
    found = []
    if not nama:
        found.append("nama kosong; isi nama kecamatan atau desa/kelurahan")
    if KECAMATAN_CODE.match(kode):
        expected, parent = JENIS_KECAMATAN, kode
    elif DESA_CODE.match(kode):
        expected, parent = KIND_BY_DIGIT.get(kode[-4], ""), kode[:8]
    else:
        found.append(
            f"kode '{kode}' bukan kode Kemendagri: kecamatan PP.KK.CC (mis. 32.17.01), "
            "desa/kelurahan PP.KK.CC.DDDD (mis. 32.17.01.2001)"
        )
        return None, found
    if not kode.startswith(region_code + "."):
        found.append(f"kode tidak berada di bawah kode wilayah {region_code}")
    if jenis and jenis not in UNIT_KINDS:
        found.append(f"jenis '{jenis}' tidak dikenal; tulis kecamatan, desa atau kelurahan")
    elif jenis == JENIS_KECAMATAN and expected != JENIS_KECAMATAN:
        found.append("jenis kecamatan tetapi kode berbentuk kode desa/kelurahan (PP.KK.CC.DDDD)")
    elif jenis and jenis != JENIS_KECAMATAN and expected == JENIS_KECAMATAN:
        found.append(f"jenis {jenis} tetapi kode berbentuk kode kecamatan (PP.KK.CC)")
    chosen = jenis or expected
    if not chosen:
        found.append("jenis kosong dan tidak dapat ditebak dari kode; tulis desa atau kelurahan")
    return Unit(kode, nama, chosen, parent), found


def _normal_header(value: Any) -> str:
    return str(value or "").strip().lower()


def _read_csv(path: Path) -> list[tuple[int, dict[str, str]]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            sample = handle.read(4096)
            handle.seek(0)
            delimiter = ";" if sample.count(";") > sample.count(",") else ","
            reader = csv.DictReader(handle, delimiter=delimiter)
            fields = {_normal_header(f): f for f in reader.fieldnames or []}
            _check_columns(path, fields)
            return [
                (
                    reader.line_num,
                    {c: (row.get(fields.get(c, ""), "") or "").strip() for c in COLUMNS},
                )
                for row in reader
            ]
    except UnicodeDecodeError:
        raise KlaError(f"{path}: bukan teks UTF-8. Simpan ulang sebagai CSV UTF-8.") from None


def _read_xlsx(path: Path) -> list[tuple[int, dict[str, str]]]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        fields = {_normal_header(v): col for col, v in enumerate(row) if _normal_header(v)}
        if all(c in fields for c in REQUIRED):
            return [
                (number + 1, {c: _cell(values, fields.get(c)) for c in COLUMNS})
                for number, values in enumerate(rows)
                if number > index
            ]
    _check_columns(path, {})
    return []


def _cell(values: list[Any], col: int | None) -> str:
    if col is None or col >= len(values):
        return ""
    value = values[col]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _check_columns(path: Path, fields: dict[str, Any]) -> None:
    missing = [c for c in REQUIRED if c not in fields]
    if missing:
        raise KlaError(
            f"{path}: kolom wajib tidak ada: {', '.join(missing)}. Baris judul harus memuat "
            "kode, nama (dan boleh jenis)."
        )
