"""The tables passed between stages: their column names, in order. The contract between modules.

Every stage returns new DataFrames with exactly these columns (extra columns only where noted).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from pipeline.instrument import Instrument
    from pipeline.region import Region

# One row per problem found anywhere (file, cell, value). `severity` is "galat" (error: the answer
# or file is rejected) or "peringatan" (warning: kept). `code` is a stable slug (see messages.py).
# `cell` is as Excel shows it without the sheet ("F14"), or "" for a whole file/sheet.
ISSUES = ("severity", "code", "file", "sheet", "cell", "kode", "value", "message")
SEVERITY_ERROR = "galat"
SEVERITY_WARNING = "peringatan"

# One row per input file seen by ingest. `file` is the path relative to the inputs folder (POSIX).
# status: "dipakai" (used), "digantikan" (superseded by a newer workbook of the same office),
# "ditolak" (rejected: unreadable, not a template, wrong year/region ...), "bukan_workbook".
# `peran` is the office role from the metadata ("" when unknown); `disimpan` the workbook's own
# saved time (ISO 8601, "" when unknown); `diubah` the file system modification time (ISO 8601).
FILES = (
    "file",
    "sha256",
    "ukuran",
    "status",
    "peran",
    "nama_opd",
    "format_template",
    "disimpan",
    "diubah",
    "narahubung_nama",
    "narahubung_jabatan",
    "narahubung_telepon",
    "narahubung_email",
    "tanggal_pengisian",
    "pesan",
)
FILE_USED = "dipakai"
FILE_SUPERSEDED = "digantikan"
FILE_REJECTED = "ditolak"
FILE_NOT_WORKBOOK = "bukan_workbook"

# One row per question row read from a used workbook (after duplicates are resolved), raw values.
# `row` is the 1-based sheet row; `*_sel` are cell references like "F14".
CELLS = (
    "file",
    "sheet",
    "row",
    "kode",
    "peran",
    "jawaban_mentah",
    "data_dukung_mentah",
    "keterangan_mentah",
    "jawaban_sel",
    "data_dukung_sel",
    "keterangan_sel",
    "file_sha256",
    "disimpan",
)

# CELLS plus the normalised, validated values. `jawaban` is the scale label or the number as text
# ("" when empty or rejected); `nilai_angka` the number for persen/jumlah (NaN otherwise);
# `data_dukung_jenis` is "url", "referensi" or "kosong"; `diterima` False when a galat rejected it;
# `status_jawaban` is "dijawab", "belum dijawab" or "ditolak".
ANSWERS = (
    *CELLS,
    "jawaban",
    "nilai_angka",
    "data_dukung",
    "data_dukung_jenis",
    "keterangan",
    "diterima",
    "status_jawaban",
)

# One row per question of the instrument, in instrument order (merge.py).
# status: "dijawab", "belum dijawab", "ditolak", "tidak dikirim". `masalah` is the rejecting
# issue's message for "ditolak", else "". `opd` is the office role that answers the question.
REGIONAL = (
    "urutan",
    "kode",
    "klaster",
    "indikator",
    "pertanyaan",
    "jenis",
    "arah",
    "nilai_maks",
    "opd",
    "nama_opd",
    "jawaban",
    "nilai_angka",
    "data_dukung",
    "data_dukung_jenis",
    "keterangan",
    "status",
    "masalah",
    "sumber_file",
    "sumber_sheet",
    "sumber_sel",
    "sumber_sha256",
    "disimpan",
)

# REGIONAL plus scores (score.py). `fraksi` in 0..1; `ada_data_dukung` bool.
SCORED = (*REGIONAL, "fraksi", "ada_data_dukung", "nilai_mandiri", "nilai_terverifikasi")

# Sums per indicator / cluster (score.py), in instrument order.
INDICATOR_SCORES = (
    "klaster",
    "indikator",
    "indikator_nama",
    "nilai_maks",
    "nilai_mandiri",
    "nilai_terverifikasi",
)
CLUSTER_SCORES = ("klaster", "klaster_nama", "nilai_maks", "nilai_mandiri", "nilai_terverifikasi")

# One row per office expected to answer (score.py). status_kirim: "lengkap", "sebagian",
# "belum mengirim".
COMPLETENESS = (
    "opd",
    "nama_opd",
    "status_kirim",
    "pertanyaan",
    "dijawab",
    "ditolak",
    "belum_dijawab",
    "dengan_data_dukung",
    "file",
    "disimpan",
    "narahubung_nama",
    "narahubung_jabatan",
    "narahubung_telepon",
    "narahubung_email",
)

# Ranked actions towards the next category (score.py). `jenis_tindakan`: "lengkapi data dukung",
# "jawab", "tingkatkan capaian". `dasar` says which total the action raises: "terverifikasi" or
# "mandiri". `kumulatif` is the running total of that base after the action; `mencapai` is the
# category name reached at this row ("" if none is newly reached).
RECOMMENDATIONS = (
    "peringkat",
    "dasar",
    "kode",
    "klaster",
    "indikator",
    "pertanyaan",
    "opd",
    "nama_opd",
    "jenis_tindakan",
    "status",
    "jawaban",
    "tambahan",
    "kumulatif",
    "mencapai",
)


@dataclass(frozen=True)
class Totals:
    """A total score, its category, and the way to the next category."""

    nilai: float
    kategori: str
    kategori_berikut: str  # "" when already in the top category
    kurang: float  # points missing to kategori_berikut (0.0 when none)


@dataclass(frozen=True)
class Results:
    """Everything one consolidation run produced, handed to the writers (report, export)."""

    instrument: Instrument
    region: Region
    generated_at: str  # ISO 8601, the run's time
    example: bool  # True when the run used the bundled example
    files: pd.DataFrame  # FILES
    issues: pd.DataFrame  # ISSUES, errors first
    scored: pd.DataFrame  # SCORED
    indicators: pd.DataFrame  # INDICATOR_SCORES
    clusters: pd.DataFrame  # CLUSTER_SCORES
    completeness: pd.DataFrame  # COMPLETENESS
    recommendations: pd.DataFrame  # RECOMMENDATIONS
    mandiri: Totals
    terverifikasi: Totals
    kd: KdResults | None = None  # the KD roll-up; None without a master list


# One row per unit answer read from a kecamatan workbook (ingest/kecamatan.py): a kecamatan-level
# criterion (`tingkat` "kecamatan", kode_wilayah = the kecamatan) or a desa cell ("desa").
# `jawaban` is "Ya", "Tidak" or "" (blank, or rejected with an issue); `jawaban_sel` like "E7".
UNIT_ANSWERS = (
    "file",
    "sheet",
    "row",
    "tingkat",
    "kode_wilayah",
    "kode_kecamatan",
    "kode",
    "jawaban",
    "data_dukung",
    "keterangan",
    "jawaban_sel",
    "file_sha256",
)
# Status of a computed question in the regional frame (score/rollup.py).
STATUS_COMPUTED = "dihitung"
# One row per master-list unit and computed question (outputs/wilayah_kd.csv, score/rollup.py).
UNIT_TABLE = (
    "kode_wilayah",
    "nama",
    "jenis",
    "kode_kecamatan",
    "kode",
    "jawaban",
    "data_dukung",
    "sumber_file",
    "sumber_sel",
)
# One row per computed question (score/rollup.py): units meeting / total, percentages (exact, not
# rounded), points, and the way to the next band (`kurang_unit` more units give `tambahan` points;
# `kecamatan_kandidat` names the kecamatan holding units not meeting yet).
KD_QUESTIONS = (
    "kode",
    "tingkat",
    "judul",
    "unit_total",
    "unit_ya",
    "unit_terverifikasi",
    "unit_kosong",
    "workbook",
    "persen",
    "persen_terverifikasi",
    "nilai_maks",
    "nilai_mandiri",
    "nilai_terverifikasi",
    "persen_berikut",
    "kurang_unit",
    "tambahan",
    "kecamatan_kandidat",
)
# One row per kecamatan of the master list: sent or not, desa rows filled, the narahubung.
KD_KECAMATAN = (
    "kode_kecamatan",
    "nama",
    "status_kirim",
    "desa_total",
    "desa_terisi",
    "desa_lengkap",
    "file",
    "narahubung_nama",
    "narahubung_telepon",
)


@dataclass(frozen=True)
class KdResults:
    """The KD roll-up (score/rollup.py): what the report, exports and screen show about it."""

    units: pd.DataFrame  # UNIT_TABLE plus `memenuhi`, `terverifikasi` (bool)
    questions: pd.DataFrame  # KD_QUESTIONS
    kecamatan: pd.DataFrame  # KD_KECAMATAN
    kecamatan_diharapkan: int
    kecamatan_mengirim: int
    desa_total: int
    desa_terisi: int
