"""Province settings (province, year, its kab/kota, contact) from a TOML file."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline import config
from pipeline.errors import KlaError
from pipeline.region import TIME_ZONES, Contact, toml_error_text

PROVINCE_CODE = re.compile(r"^\d{2}$")
KABKOTA_CODE = re.compile(r"^\d{2}\.\d{2}$")
CONTACT_KEYS = ("nama", "jabatan", "telepon", "email")


@dataclass(frozen=True)
class KabKota:
    kode: str
    nama: str


@dataclass(frozen=True)
class Province:
    """One province's settings for one evaluation year: the kab/kota it expects results from."""

    path: Path
    nama: str
    nama_singkat: str
    kode: str
    tahun: int
    instrumen: Path
    nama_skpd: str
    narahubung: Contact
    kabupaten_kota: tuple[KabKota, ...]
    zona_waktu: str = "WIB"

    def kabkota(self, kode: str) -> KabKota | None:
        return next((k for k in self.kabupaten_kota if k.kode == kode), None)

    @property
    def national(self) -> bool:
        """True for the national picture: kab/kota of many provinces (kode "00")."""
        return self.kode == "00"

    def includes(self, kode: str) -> bool:
        """True when a kab/kota code belongs to this province (any code for the national picture)."""
        return self.national or kode.split(".")[0] == self.kode


def default_province_file() -> Path:
    """schemas/provinsi.toml if present, else the bundled fictional example province."""
    return config.PROVINCE_FILE if config.PROVINCE_FILE.exists() else config.EXAMPLE_PROVINCE_FILE


def read_province(path: Path) -> Province:
    """Read and check a province settings file; raise KlaError naming the file and every bad field."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except FileNotFoundError:
        raise KlaError(f"Berkas pengaturan provinsi tidak ditemukan: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise KlaError(toml_error_text(path, exc).replace("wilayah", "provinsi", 1)) from None
    problems: list[str] = []
    province = build_province(path, raw, problems)
    if problems or province is None:
        lines = "\n".join(f"- {p}" for p in problems)
        raise KlaError(f"Pengaturan provinsi {path} perlu diperbaiki:\n{lines}")
    return province


def build_province(path: Path, raw: dict[str, Any], problems: list[str]) -> Province | None:
    """A Province from parsed TOML; every problem is appended to `problems` (None when any)."""
    nama = _text(raw, "nama", problems)
    kode = _text(raw, "kode_kemendagri", problems)
    if kode and not PROVINCE_CODE.match(kode):
        problems.append(f"kode_kemendagri '{kode}': format harus PP (dua angka), misalnya \"64\".")
    tahun = raw.get("tahun")
    if not isinstance(tahun, int) or isinstance(tahun, bool) or not 2000 <= tahun <= 2100:
        problems.append(
            f"tahun '{tahun}': harus tahun empat angka tanpa tanda kutip, misalnya 2024."
        )
        tahun = 0
    instrumen = _text(raw, "instrumen", problems)
    contact = raw.get("narahubung", {})
    contact = contact if isinstance(contact, dict) else {}
    narahubung = Contact(*(_text(contact, k, problems, f"narahubung.{k}") for k in CONTACT_KEYS))
    kabkota = _kabkota(raw, kode, problems)
    nama_skpd = _text(raw, "nama_skpd", problems)
    zone = raw.get("zona_waktu", "WIB")
    if zone not in TIME_ZONES:
        problems.append(f'zona_waktu \'{zone}\': pilih "WIB", "WITA" atau "WIT".')
    if problems:
        return None
    return Province(
        path=path,
        nama=nama,
        nama_singkat=str(raw.get("nama_singkat") or nama),
        kode=kode,
        tahun=int(tahun),
        instrumen=config.SCHEMAS_DIR / instrumen
        if not Path(instrumen).is_absolute()
        else Path(instrumen),
        nama_skpd=nama_skpd,
        narahubung=narahubung,
        kabupaten_kota=kabkota,
        zona_waktu=str(zone),
    )


def _kabkota(raw: dict[str, Any], province: str, problems: list[str]) -> tuple[KabKota, ...]:
    items = raw.get("kabupaten_kota")
    if not isinstance(items, list) or not items:
        problems.append(
            '[[kabupaten_kota]]: wajib ada, satu tabel per kabupaten/kota (kode = "PP.KK", nama = "...").'
        )
        return ()
    found: list[KabKota] = []
    for number, item in enumerate(items, start=1):
        label = f"[[kabupaten_kota]] ke-{number}"
        item = item if isinstance(item, dict) else {}
        kode = _text(item, "kode", problems, f"{label} kode")
        nama = _text(item, "nama", problems, f"{label} nama")
        if kode and not KABKOTA_CODE.match(kode):
            problems.append(f"{label} kode '{kode}': format harus PP.KK, misalnya \"64.01\".")
        elif kode and province not in ("00", kode.split(".")[0]):
            problems.append(f"{label} kode '{kode}': bukan kode provinsi {province} (PP.KK).")
        if kode in {k.kode for k in found}:
            problems.append(f"{label} kode '{kode}': sudah tercantum; setiap kode sekali saja.")
        found.append(KabKota(kode, nama))
    return tuple(found)


def _text(raw: dict[str, Any], key: str, problems: list[str], label: str | None = None) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{label or key}: wajib diisi (teks).")
        return ""
    return value.strip()
