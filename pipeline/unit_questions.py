"""The short Ya/Tidak question put to each kecamatan or desa/kelurahan for a computed question."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import KlaError

if TYPE_CHECKING:
    from pipeline.instrument import Instrument
    from pipeline.region import Region

# The instrument's persen questions at these levels are computed from the units (docs/skor.md).
COMPUTED_LEVELS = ("kecamatan", "desa")
COMPUTED_TYPE = "persen"
COLUMNS = ("kode", "judul", "pertanyaan", "bantuan")
# Beside the instrument manifest: <manifest stem>-unit.csv (kla-2024.toml -> kla-2024-unit.csv).
FILE_SUFFIX = "-unit.csv"
MAX_TITLE = 40


@dataclass(frozen=True)
class UnitQuestion:
    """One computed question as a unit answers it: Ya/Tidak, with a short column title and help."""

    kode: str
    tingkat: str  # kecamatan or desa
    judul: str  # short title after the code in the Desa sheet header
    pertanyaan: str
    bantuan: str


def is_computed(jenis: str, tingkat_wilayah: str) -> bool:
    """A persen question asked of kecamatan or desa/kelurahan: computed from the units."""
    return jenis == COMPUTED_TYPE and tingkat_wilayah in COMPUTED_LEVELS


def unit_questions_path(manifest: Path) -> Path:
    return Path(manifest).with_name(Path(manifest).stem + FILE_SUFFIX)


def read_unit_questions(path: Path, computed: dict[str, str]) -> tuple[UnitQuestion, ...]:
    """Read and check the unit questions; `computed` maps each computed code to its level.

    A missing file gives no unit questions (the OPD answers every question, as before).
    """
    path = Path(path)
    if not path.is_file():
        return ()
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise KlaError(f"{path}: kolom wajib tidak ada: {', '.join(missing)}.")
            rows = [
                (reader.line_num, {k: (v or "").strip() for k, v in row.items() if k})
                for row in reader
            ]
    except UnicodeDecodeError:
        raise KlaError(f"{path}: bukan teks UTF-8. Simpan ulang sebagai CSV UTF-8.") from None
    return build_unit_questions(path, rows, computed)


def build_unit_questions(
    path: Path, rows: list[tuple[int, dict[str, str]]], computed: dict[str, str]
) -> tuple[UnitQuestion, ...]:
    """Check every row and that each computed question has exactly one; raise KlaError if not."""
    problems: list[str] = []
    found: dict[str, UnitQuestion] = {}
    for line, row in rows:
        kode = row.get("kode", "")
        where = f"{path.name} baris {line} ({kode or 'tanpa kode'})"
        if kode not in computed:
            problems.append(
                f"{where}: bukan pertanyaan persen tingkat kecamatan/desa di instrumen."
            )
        elif kode in found:
            problems.append(f"{where}: kode muncul dua kali.")
        elif not row.get("pertanyaan") or not row.get("judul"):
            problems.append(f"{where}: judul dan pertanyaan wajib diisi.")
        elif len(row["judul"]) > MAX_TITLE:
            problems.append(f"{where}: judul lebih dari {MAX_TITLE} karakter; persingkat.")
        else:
            found[kode] = UnitQuestion(
                kode, computed[kode], row["judul"], row["pertanyaan"], row.get("bantuan", "")
            )
    absent = [k for k in computed if k not in found and not problems]
    problems += [f"{path.name}: pertanyaan {k} belum punya baris." for k in absent]
    if problems:
        raise KlaError("Pertanyaan unit tidak valid:\n" + "\n".join(f"- {p}" for p in problems))
    return tuple(found[k] for k in computed)


def computed_codes(instrument: Instrument, region: Region) -> frozenset[str]:
    """Codes computed from the kecamatan workbooks: none when the region has no master list."""
    if region.units is None:
        return frozenset()
    return frozenset(u.kode for u in instrument.unit_questions)
