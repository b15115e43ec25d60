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


# Province view (pipeline/province). One row per kab/kota of the province settings, ranked by
# verified then self-assessed total. `status`: "mengirim", "belum mengirim", "ditolak" (every result
# sent was rejected). Scores and categories are empty for a kab/kota without a used result.
PROVINCE = (
    "kode_wilayah",
    "nama",
    "nilai_mandiri",
    "kategori_mandiri",
    "nilai_terverifikasi",
    "kategori_terverifikasi",
    "peringkat",
    "status",
)
KABKOTA_SENT = "mengirim"
KABKOTA_NOT_SENT = "belum mengirim"
KABKOTA_REJECTED = "ditolak"

# One row per file the province view looked at. `jenis`: "workbook" or "json"; `dibuat` the run
# time in the summary ("" when unknown). status: "dipakai", "disisihkan" (another result of the
# same kab/kota was generated later), "ditolak", "bukan_hasil" (not a kab/kota result).
PROVINCE_FILES = ("file", "jenis", "kode_wilayah", "nama", "tahun", "dibuat", "status", "pesan")
RESULT_USED = "dipakai"
RESULT_SET_ASIDE = "disisihkan"
RESULT_REJECTED = "ditolak"
RESULT_NOT_RESULT = "bukan_hasil"

# Open data (opendata.py): long format, one row per region x indicator (or cluster) x status.
OPENDATA = (
    "tahun",
    "kode_wilayah",
    "nama_wilayah",
    "level_wilayah",
    "klaster",
    "kode_indikator",
    "indikator",
    "nilai",
    "nilai_maks",
    "satuan",
    "status",
)
SCORE_SELF = "mandiri"
SCORE_VERIFIED = "terverifikasi"
