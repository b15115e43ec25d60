"""Region settings (kab/kota, year, deadline, contacts, office names) from a TOML file."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pipeline import config
from pipeline.errors import KlaError, setup_error
from pipeline.instrument import Instrument
from pipeline.messages import setup_problem
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


Problems = list[tuple[str, str]]  # (slug, message), see messages.SETUP_CATALOGUE


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
        found = setup_problem("wilayah-tidak-ditemukan", path=path)
        raise KlaError(found[1], (found[0],)) from None
    except tomllib.TOMLDecodeError as exc:
        code, text = toml_problem_of(path, exc)
        raise KlaError(text, (code,)) from None
    problems = unknown_settings(raw)
    region = _build_region(path, raw, problems)
    if problems or region is None:
        raise _problems_error(path, problems)
    listed = raw.get("daftar_wilayah")
    if isinstance(listed, str) and listed.strip():
        units = read_master_list(_schema_path(listed.strip(), path), region.kode)
        region = replace(region, units=units)
    elif listed is not None:
        raise _problems_error(path, [setup_problem("wilayah-daftar-bukan-teks")])
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
    return toml_problem_of(path, exc)[1]


def toml_problem_of(path: Path, exc: tomllib.TOMLDecodeError) -> tuple[str, str]:
    """(slug, message) of a TOML syntax error in the region settings."""
    where, what = toml_problem(str(exc))
    return setup_problem(
        "wilayah-toml-rusak", path=path, where=where, what=what, hints=" ".join(TOML_HINTS)
    )


def check_region(region: Region, instrument: Instrument) -> None:
    """Check that every role the instrument needs has an office; raise KlaError otherwise."""
    problems: list[tuple[str, str]] = []
    for role in sorted(set(region.offices) | set(region.redirects)):
        if role not in instrument.roles:
            close = closest(role, instrument.roles)
            hint = f"maksudnya {close}? " if close else ""
            problems.append(
                setup_problem(
                    "wilayah-peran-tidak-dikenal",
                    role=role,
                    hint=hint,
                    roles=", ".join(sorted(instrument.roles)),
                )
            )
    for source, target in sorted(region.redirects.items()):
        if target not in region.offices:
            problems.append(
                setup_problem("wilayah-peralihan-tanpa-nama", source=source, target=target)
            )
    needed = sorted({q.opd_utama for q in instrument.questions})
    for role in needed:
        if region.office_role(role) not in region.offices:
            problems.append(setup_problem("wilayah-opd-kosong", role=role))
    if region.tahun != instrument.tahun:
        problems.append(
            setup_problem(
                "wilayah-tahun-beda",
                tahun=region.tahun,
                instrumen=instrument.id,
                tahun_instrumen=instrument.tahun,
            )
        )
    if problems:
        raise _problems_error(region.path, problems)


def _problems_error(path: Path, problems: list[tuple[str, str]]) -> KlaError:
    return setup_error(f"Pengaturan wilayah {path} perlu diperbaiki:", problems)


def _text(raw: dict[str, Any], key: str, problems: Problems, label: str | None = None) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(setup_problem("wilayah-wajib-diisi", label=label or key))
        return ""
    return value.strip()


def _build_region(path: Path, raw: dict[str, Any], problems: Problems) -> Region | None:
    nama = _text(raw, "nama", problems)
    kode = _text(raw, "kode_kemendagri", problems)
    if kode and not REGION_CODE.match(kode):
        problems.append(setup_problem("wilayah-kode-salah", kode=kode))
    tahun = raw.get("tahun")
    if not isinstance(tahun, int) or isinstance(tahun, bool) or not 2000 <= tahun <= 2100:
        problems.append(setup_problem("wilayah-tahun-salah", value=_shown(tahun)))
        tahun = 0
    instrumen = _text(raw, "instrumen", problems)
    deadline = raw.get("batas_pengumpulan")
    if not isinstance(deadline, dt.date) or isinstance(deadline, dt.datetime):
        problems.append(setup_problem("wilayah-batas-salah", value=_shown(deadline)))
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
        problems.append(setup_problem("wilayah-kecamatan-salah"))
        kecamatan = []
    zone = raw.get("zona_waktu", "WIB")
    if zone not in TIME_ZONES:
        problems.append(setup_problem("wilayah-zona-salah", value=_shown(zone)))
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


def _mapping(raw: dict[str, Any], key: str, problems: Problems) -> dict[str, str]:
    table = raw.get(key, {})
    if not isinstance(table, dict):
        problems.append(setup_problem("wilayah-tabel-salah", key=key))
        return {}
    result = {}
    for role, value in table.items():
        if not isinstance(value, str) or not value.strip():
            problems.append(setup_problem("wilayah-nama-kosong", key=key, role=role))
        else:
            result[str(role)] = value.strip()
    return result
