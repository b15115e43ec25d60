"""Region settings (kab/kota, year, deadline, contacts, office names) from a TOML file."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pipeline import config
from pipeline.errors import KlaError
from pipeline.instrument import Instrument
from pipeline.region_check import closest, toml_problem, unknown_settings
from pipeline.units import MasterList, read_master_list

REGION_CODE = re.compile(r"^\d{2}\.\d{2}$")
# Indonesian time zones and their offsets from UTC, for times shown to people.
TIME_ZONES = {"WIB": 7, "WITA": 8, "WIT": 9}


@dataclass(frozen=True)
class Contact:
    nama: str
    jabatan: str
    telepon: str
    email: str


@dataclass(frozen=True)
class Region:
    """One kabupaten/kota's settings for one evaluation year."""

    path: Path
    nama: str
    nama_singkat: str
    kode: str
    tahun: int
    instrumen: Path
    batas_pengumpulan: dt.date
    koordinator: Contact
    kecamatan: tuple[str, ...]
    offices: dict[str, str]
    redirects: dict[str, str]
    zona_waktu: str = "WIB"
    # The kecamatan and desa/kelurahan master list (`daftar_wilayah`); None when not given.
    units: MasterList | None = None

    def office_role(self, role: str) -> str:
        """The role whose office answers for `role` (itself unless redirected)."""
        return self.redirects.get(role, role)

    def office_name(self, role: str) -> str:
        return self.offices[self.office_role(role)]

    def local_time(self, iso: str) -> str:
        """An ISO 8601 time as people here read it: '15-03-2024 09.50 WIB' ('' if not a time)."""
        try:
            moment = dt.datetime.fromisoformat(str(iso))
        except ValueError:
            return ""
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        local = moment.astimezone(dt.timezone(dt.timedelta(hours=TIME_ZONES[self.zona_waktu])))
        return f"{local:%d-%m-%Y %H.%M} {self.zona_waktu}"


def default_region_file() -> Path:
    """The coordinator's schemas/wilayah.toml if present, else the bundled fictional example."""
    return config.REGION_FILE if config.REGION_FILE.exists() else config.EXAMPLE_REGION_FILE


def read_region(path: Path) -> Region:
    """Read and check a region settings file; raise KlaError naming the file and every bad field."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except FileNotFoundError:
        raise KlaError(f"Berkas pengaturan wilayah tidak ditemukan: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise KlaError(toml_error_text(path, exc)) from None
    problems = unknown_settings(raw)
    region = _build_region(path, raw, problems)
    if problems or region is None:
        raise KlaError(_problem_text(path, problems))
    listed = raw.get("daftar_wilayah")
    if isinstance(listed, str) and listed.strip():
        units = read_master_list(_schema_path(listed.strip(), path), region.kode)
        region = replace(region, units=units)
    elif listed is not None:
        raise KlaError(
            _problem_text(path, ['daftar_wilayah: tulis nama berkas, misalnya "desa.csv".'])
        )
    return region


def _schema_path(name: str, region_file: Path) -> Path:
    """A file named in the region settings: absolute, else beside the settings file or in schemas/."""
    given = Path(name)
    if given.is_absolute():
        return given
    beside = region_file.parent / given
    return beside if beside.exists() else config.SCHEMAS_DIR / given


TOML_HINTS = (
    "Periksa baris itu dan baris sebelumnya:",
    'teks diapit tanda kutip lurus di kedua ujung (nama = "Kabupaten X"),',
    "tahun dan tanggal tanpa tanda kutip (tahun = 2024, batas_pengumpulan = 2024-03-29),",
    'daftar memakai kurung siku dan koma (["A", "B"]), satu pengaturan per baris.',
)


def toml_error_text(path: Path, exc: tomllib.TOMLDecodeError) -> str:
    """An Indonesian message for a TOML syntax error: the line and column, and what to check."""
    where, what = toml_problem(str(exc))
    return f"Berkas pengaturan wilayah {path} salah tulis{where}: {what}. " + " ".join(TOML_HINTS)


def check_region(region: Region, instrument: Instrument) -> None:
    """Check that every role the instrument needs has an office; raise KlaError otherwise."""
    problems = []
    for role in sorted(set(region.offices) | set(region.redirects)):
        if role not in instrument.roles:
            close = closest(role, instrument.roles)
            hint = f"maksudnya {close}? " if close else ""
            problems.append(
                f"[opd]/[peran_dialihkan] '{role}': kode peran tidak dikenal; {hint}"
                f"kode yang ada di schemas/opd-peran.csv: {', '.join(sorted(instrument.roles))}."
            )
    for source, target in sorted(region.redirects.items()):
        if target not in region.offices:
            problems.append(
                f'[peran_dialihkan] {source} = "{target}": {target} tidak punya nama di [opd].'
            )
    needed = sorted({q.opd_utama for q in instrument.questions})
    for role in needed:
        if region.office_role(role) not in region.offices:
            problems.append(
                f"[opd] {role}: nama kantor belum diisi (peran ini penanggung jawab pertanyaan). "
                f'Tulis {role} = "nama kantor" atau alihkan di [peran_dialihkan].'
            )
    if region.tahun != instrument.tahun:
        problems.append(
            f"tahun = {region.tahun}, tetapi instrumen {instrument.id} untuk tahun {instrument.tahun}. "
            "Samakan tahun, atau pakai instrumen tahun itu."
        )
    if problems:
        raise KlaError(_problem_text(region.path, problems))


def _problem_text(path: Path, problems: list[str]) -> str:
    lines = "\n".join(f"- {p}" for p in problems)
    return f"Pengaturan wilayah {path} perlu diperbaiki:\n{lines}"


def _text(raw: dict[str, Any], key: str, problems: list[str], label: str | None = None) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{label or key}: wajib diisi (teks).")
        return ""
    return value.strip()


def _build_region(path: Path, raw: dict[str, Any], problems: list[str]) -> Region | None:
    nama = _text(raw, "nama", problems)
    kode = _text(raw, "kode_kemendagri", problems)
    if kode and not REGION_CODE.match(kode):
        problems.append(f"kode_kemendagri '{kode}': format harus PP.KK, misalnya \"32.04\".")
    tahun = raw.get("tahun")
    if not isinstance(tahun, int) or isinstance(tahun, bool) or not 2000 <= tahun <= 2100:
        problems.append(
            f"tahun {_shown(tahun)}: harus tahun empat angka tanpa tanda kutip, misalnya 2024."
        )
        tahun = 0
    instrumen = _text(raw, "instrumen", problems)
    deadline = raw.get("batas_pengumpulan")
    if not isinstance(deadline, dt.date) or isinstance(deadline, dt.datetime):
        problems.append(
            f"batas_pengumpulan {_shown(deadline)}: harus tanggal TTTT-BB-HH tanpa tanda kutip, "
            "misalnya 2024-03-29."
        )
        deadline = dt.date(2000, 1, 1)
    contact = raw.get("koordinator", {})
    if not isinstance(contact, dict):
        contact = {}
    koordinator = Contact(
        *(
            _text(contact, k, problems, f"koordinator.{k}")
            for k in ("nama", "jabatan", "telepon", "email")
        )
    )
    offices = _mapping(raw, "opd", problems)
    redirects = _mapping(raw, "peran_dialihkan", problems)
    kecamatan = raw.get("kecamatan", [])
    if not isinstance(kecamatan, list) or not all(isinstance(k, str) for k in kecamatan):
        problems.append('kecamatan: harus daftar teks, misalnya ["Sukamaju", "Cibening"].')
        kecamatan = []
    zone = raw.get("zona_waktu", "WIB")
    if zone not in TIME_ZONES:
        problems.append(f'zona_waktu {_shown(zone)}: pilih "WIB", "WITA" atau "WIT".')
    if problems:
        return None
    return Region(
        path=path,
        nama=nama,
        nama_singkat=str(raw.get("nama_singkat") or nama),
        kode=kode,
        tahun=int(tahun),
        instrumen=(config.SCHEMAS_DIR / instrumen)
        if not Path(instrumen).is_absolute()
        else Path(instrumen),
        batas_pengumpulan=deadline,
        koordinator=koordinator,
        kecamatan=tuple(kecamatan),
        offices=offices,
        redirects=redirects,
        zona_waktu=str(zone),
    )


def _shown(value: Any) -> str:
    """A found value as a message quotes it; a missing one as 'belum diisi'."""
    return "belum diisi" if value is None else f"'{value}'"


def _mapping(raw: dict[str, Any], key: str, problems: list[str]) -> dict[str, str]:
    table = raw.get(key, {})
    if not isinstance(table, dict):
        problems.append(f'[{key}]: harus tabel kode_peran = "teks".')
        return {}
    result = {}
    for role, value in table.items():
        if not isinstance(value, str) or not value.strip():
            problems.append(f"[{key}] {role}: nama kosong; isi dengan teks.")
        else:
            result[str(role)] = value.strip()
    return result
