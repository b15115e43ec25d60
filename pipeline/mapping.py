"""schemas/peta-*.csv -> a checked Mapping between last year's and this year's question codes.

One row per link: `kode_lama, kode_baru, perubahan` (and an optional `catatan`). The kinds:
sama (same question), teks (wording changed), bobot (points changed): one old to one new;
pecah (one old question split): the old code on several rows; gabung (several merged): the new
code on several rows; hapus (old question dropped): kode_baru empty; baru (new question):
kode_lama empty. Every question of this year's instrument must appear, so nothing is guessed.
"""

from __future__ import annotations

import csv
import math
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline import config, tables
from pipeline.errors import KlaError
from pipeline.instrument import Instrument
from pipeline.messages import issue, records

if TYPE_CHECKING:
    import pandas as pd

SAME, TEXT, WEIGHT, SPLIT, MERGE, DROPPED, NEW = (
    "sama",
    "teks",
    "bobot",
    "pecah",
    "gabung",
    "hapus",
    "baru",
)
KINDS = (SAME, TEXT, WEIGHT, SPLIT, MERGE, DROPPED, NEW)
ONE_TO_ONE = (SAME, TEXT, WEIGHT)
COLUMNS = ("kode_lama", "kode_baru", "perubahan")


@dataclass(frozen=True)
class Link:
    """One row of the mapping file."""

    kode_lama: str
    kode_baru: str
    perubahan: str
    line: int


@dataclass(frozen=True)
class Mapping:
    """Links between last year's codes and this instrument's codes, checked against it."""

    path: Path
    links: tuple[Link, ...]

    def sources(self, kode_baru: str) -> tuple[str, ...]:
        """Last year's codes a question of this year takes its values from (empty for baru)."""
        return tuple(
            link.kode_lama for link in self.links if link.kode_baru == kode_baru and link.kode_lama
        )

    def change(self, kode_baru: str) -> str:
        """The kind of change of a question of this year."""
        return next(link.perubahan for link in self.links if link.kode_baru == kode_baru)

    def old_codes(self) -> set[str]:
        return {link.kode_lama for link in self.links if link.kode_lama}

    def dropped(self) -> tuple[str, ...]:
        return tuple(link.kode_lama for link in self.links if link.perubahan == DROPPED)

    def is_identity(self) -> bool:
        return all(link.perubahan == SAME for link in self.links)


def default_mapping_file(instrument: Instrument) -> Path:
    """schemas/peta-<instrument id>.csv: last year's results mapped into this instrument."""
    return config.SCHEMAS_DIR / config.MAPPING_FILE_PATTERN.format(instrumen=instrument.id)


def read_mapping(path: Path, instrument: Instrument) -> Mapping:
    """Read and check a mapping file against this year's instrument; KlaError lists every problem."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise KlaError(f"{path}: kolom wajib tidak ada: {', '.join(missing)}.")
            rows = [
                Link(
                    (row.get("kode_lama") or "").strip(),
                    (row.get("kode_baru") or "").strip(),
                    (row.get("perubahan") or "").strip().lower(),
                    reader.line_num,
                )
                for row in reader
            ]
    except FileNotFoundError:
        raise KlaError(
            f"Berkas peta pertanyaan tidak ditemukan: {path}. Buat berkas ini (kolom kode_lama, "
            f"kode_baru, perubahan; lihat docs/perbandingan.md) atau pilih berkas lain dengan PETA=."
        ) from None
    except UnicodeDecodeError:
        raise KlaError(f"{path}: bukan teks UTF-8. Simpan ulang sebagai CSV UTF-8.") from None
    return build_mapping(path, rows, instrument)


def build_mapping(path: Path, links: list[Link], instrument: Instrument) -> Mapping:
    """Check parsed links; raise KlaError listing every problem found."""
    problems = [
        f"{path.name} baris {link.line}: {p}." for link in links for p in _row_problems(link)
    ]
    problems += _shape_problems(path, links, instrument)
    if problems:
        raise KlaError("Peta pertanyaan tidak valid:\n" + "\n".join(f"- {p}" for p in problems))
    return Mapping(path, tuple(links))


def _row_problems(link: Link) -> list[str]:
    found = []
    if link.perubahan not in KINDS:
        found.append(f"perubahan '{link.perubahan}' tidak dikenal; pilih {', '.join(KINDS)}")
    elif link.perubahan == DROPPED and (link.kode_baru or not link.kode_lama):
        found.append("perubahan hapus: isi kode_lama, kosongkan kode_baru")
    elif link.perubahan == NEW and (link.kode_lama or not link.kode_baru):
        found.append("perubahan baru: isi kode_baru, kosongkan kode_lama")
    elif link.perubahan not in (DROPPED, NEW) and not (link.kode_lama and link.kode_baru):
        found.append(f"perubahan {link.perubahan}: kode_lama dan kode_baru wajib diisi")
    return found


def _shape_problems(path: Path, links: list[Link], instrument: Instrument) -> list[str]:
    """Codes exist, every question appears, and each kind has its shape (1:1, 1:n, n:1)."""
    known = {q.kode for q in instrument.questions}
    new_codes = Counter(link.kode_baru for link in links if link.kode_baru)
    old_codes = Counter(link.kode_lama for link in links if link.kode_lama)
    pairs = Counter((link.kode_lama, link.kode_baru) for link in links)
    found = [
        f"{path.name}: kode_baru '{k}' tidak ada di instrumen {instrument.id}"
        for k in new_codes
        if k not in known
    ]
    found += [
        f"{path.name}: pertanyaan {k} tidak ada di peta; tambahkan baris (perubahan baru bila tidak ada padanannya)"
        for k in sorted(known - set(new_codes))
    ]
    found += [
        f"{path.name}: pasangan {a or '-'} -> {b or '-'} ditulis {n} kali"
        for (a, b), n in pairs.items()
        if n > 1
    ]
    for link in links:
        where = f"{path.name} baris {link.line}"
        if link.perubahan in (*ONE_TO_ONE, NEW) and new_codes[link.kode_baru] > 1:
            found.append(
                f"{where}: {link.kode_baru} muncul di beberapa baris; pakai gabung untuk beberapa kode lama"
            )
        if link.perubahan in (*ONE_TO_ONE, DROPPED) and old_codes[link.kode_lama] > 1:
            found.append(
                f"{where}: {link.kode_lama} muncul di beberapa baris; pakai pecah untuk beberapa kode baru"
            )
        if link.perubahan == SPLIT and old_codes[link.kode_lama] < 2:
            found.append(f"{where}: pecah perlu kode_lama {link.kode_lama} di dua baris atau lebih")
        if link.perubahan == MERGE and new_codes[link.kode_baru] < 2:
            found.append(
                f"{where}: gabung perlu kode_baru {link.kode_baru} di dua baris atau lebih"
            )
    return found


@dataclass(frozen=True)
class ComparisonSettings:
    """schemas/perbandingan.toml: flag thresholds (data, not code)."""

    ambang_persen: float
    status_diterima: tuple[str, ...]


def read_comparison_settings(path: Path = config.COMPARISON_SETTINGS_FILE) -> ComparisonSettings:
    """Read and check the comparison settings; KlaError names what is wrong."""
    try:
        with Path(path).open("rb") as handle:
            raw = tomllib.load(handle)
    except FileNotFoundError:
        raise KlaError(f"Berkas pengaturan perbandingan tidak ditemukan: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise KlaError(f"{path} tidak dapat dibaca (format TOML): {exc}") from None
    threshold = raw.get("ambang_persen", 20)
    accepted = raw.get("status_diterima", [])
    if (
        isinstance(threshold, bool)
        or not isinstance(threshold, int | float)
        or not 0 <= threshold <= 100
    ):
        raise KlaError(f"{path}: ambang_persen harus angka 0 sampai 100.")
    if not isinstance(accepted, list) or not all(isinstance(s, str) for s in accepted):
        raise KlaError(f"{path}: status_diterima harus daftar teks.")
    return ComparisonSettings(float(threshold), tuple(s.strip().lower() for s in accepted))


def carry_previous(
    previous: pd.DataFrame, mapping: Mapping, instrument: Instrument, source: str
) -> tuple[pd.DataFrame, list[dict[str, str]]]:
    """Last year's values (PREVIOUS) on each question of this year (CARRIED), and what was missing.

    A merged question shows every old answer as `kode: jawaban`; its points are the old questions'
    share of their maximum times this year's maximum, and so for a split or re-weighted one.
    """
    import pandas as pd

    by_code = {str(row["kode"]): row for row in records(previous)}
    found: list[dict[str, str]] = []
    rows = []
    for question in instrument.questions:
        sources = mapping.sources(question.kode)
        present = [by_code[k] for k in sources if k in by_code]
        found += [
            issue("sebelumnya-kode-tidak-ada", file=mapping.path.name, kode=question.kode, value=k)
            for k in sources
            if k not in by_code
        ]
        rows.append(_carried(question.kode, question.nilai_maks, sources, present, mapping))
    found += [
        issue("sebelumnya-tanpa-peta", file=source, value=k, mapping=mapping.path.name)
        for k in sorted(set(by_code) - mapping.old_codes())
    ]
    return pd.DataFrame(rows, columns=list(tables.CARRIED)), found


def _carried(
    kode: str,
    maximum: float,
    sources: tuple[str, ...],
    present: list[dict[str, Any]],
    mapping: Mapping,
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "kode": kode,
        "kode_lalu": "; ".join(sources),
        "perubahan": mapping.change(kode),
        "jawaban_lalu": "",
        "data_dukung_lalu": "",
        "status_verifikasi_lalu": "",
        "catatan_verifikasi_lalu": "",
        "nilai_lalu": math.nan,
    }
    if not present:
        return row
    if len(present) == 1:
        only = present[0]
        texts = {k: str(only[k]) for k in ("jawaban", "data_dukung", "catatan_verifikasi")}
    else:
        texts = {
            k: "; ".join(f"{p['kode']}: {p[k]}" for p in present if p[k])
            for k in ("jawaban", "data_dukung", "catatan_verifikasi")
        }
    statuses = {str(p["status_verifikasi"]) for p in present}
    old_max = sum(float(p["nilai_maks"]) for p in present)
    old_points = sum(float(p["nilai_terverifikasi"]) for p in present)
    return row | {
        "jawaban_lalu": texts["jawaban"],
        "data_dukung_lalu": texts["data_dukung"],
        "status_verifikasi_lalu": statuses.pop()
        if len(statuses) == 1
        else tables.PREVIOUS_UNVERIFIED,
        "catatan_verifikasi_lalu": texts["catatan_verifikasi"],
        "nilai_lalu": old_points / old_max * maximum if old_max else 0.0,
    }
