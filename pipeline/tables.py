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
# masalah.csv, which people open: the same columns under Indonesian names, in ISSUES order.
ISSUES_CSV_HEADERS = {
    "severity": "tingkat",
    "code": "kode_masalah",
    "file": "berkas",
    "sheet": "lembar",
    "cell": "sel",
    "kode": "kode_pertanyaan",
    "value": "nilai",
    "message": "pesan",
}
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
# How a file status is said on screen.
FILE_STATUS_SHOWN = {
    FILE_USED: "dipakai",
    FILE_SUPERSEDED: "digantikan",
    FILE_REJECTED: "ditolak",
    FILE_NOT_WORKBOOK: "bukan berkas isian",
}


# Status vocabularies: every status word a table holds, spelled here and nowhere else.
# Answer and regional status (ANSWERS.status_jawaban, REGIONAL.status).
STATUS_ANSWERED = "dijawab"
STATUS_UNANSWERED = "belum dijawab"
STATUS_REJECTED = "ditolak"
STATUS_NOT_SENT = "tidak dikirim"
STATUSES = (STATUS_ANSWERED, STATUS_UNANSWERED, STATUS_REJECTED, STATUS_NOT_SENT)
# Kinds of Data Dukung (ANSWERS.data_dukung_jenis).
EVIDENCE_URL = "url"
EVIDENCE_REFERENCE = "referensi"
EVIDENCE_NONE = "kosong"
# Office completeness (COMPLETENESS.status_kirim).
SENT_ALL = "lengkap"
SENT_PART = "sebagian"
SENT_NONE = "belum mengirim"
SENT_REFUSED = "berkas ditolak"  # sent, but every workbook of the office was refused
SENT_EMPTY = "dikirim kosong"  # the used workbook came back with no answer at all
# Report order: an untouched template is as far from done as a refused file.
SENT_ORDER = {SENT_NONE: 0, SENT_REFUSED: 1, SENT_EMPTY: 1, SENT_PART: 2, SENT_ALL: 3}
# Recommendation actions (RECOMMENDATIONS.jenis_tindakan) and the totals they raise (`dasar`).
ACTION_EVIDENCE = "lengkapi data dukung"
ACTION_ANSWER = "jawab"
ACTION_IMPROVE = "tingkatkan capaian"
BASE_VERIFIED = "terverifikasi"
BASE_SELF = "mandiri"

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
    "sumber_lembar",
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
# "belum mengirim", "berkas ditolak", "dikirim kosong" (SENT_EMPTY: a template sent back untouched).
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


# The coordinator's send list (sendlist.py): one row per expected office, as COMPLETENESS orders
# them. `tindakan` is one of the ACTION_* words; `terlambat` is LATE_YES when the used workbook was
# saved after batas_pengumpulan (region's time zone); `disimpan` is that time as people read it;
# `berkas_umpan_balik` the feedback file relative to outputs/ ("" when none); `tautan_wa` a
# https://wa.me/62... link when the contact number is an Indonesian mobile number.
SEND_LIST = (
    "opd",
    "nama_opd",
    "tindakan",
    "status_kirim",
    "terlambat",
    "disimpan",
    "berkas_umpan_balik",
    "narahubung_nama",
    "narahubung_telepon",
    "narahubung_email",
    "tautan_wa",
)
SEND_LIST_HEADERS = {
    "opd": "Kode OPD",
    "nama_opd": "Nama OPD",
    "tindakan": "Tindakan",
    "status_kirim": "Status kiriman",
    "terlambat": "Terlambat",
    "disimpan": "Disimpan OPD",
    "berkas_umpan_balik": "Berkas umpan balik",
    "narahubung_nama": "Narahubung",
    "narahubung_telepon": "HP/WA",
    "narahubung_email": "Email",
    "tautan_wa": "Tautan WhatsApp",
}
LATE_YES = "ya"
ACTION_REMIND = "ingatkan untuk mengirim"
ACTION_RESEND = "minta kirim ulang (berkas ditolak)"
ACTION_FEEDBACK = "kirim berkas umpan balik"
ACTION_NONE = "tidak perlu tindakan"
# Verification decisions (docs/verifikasi.md): the Keputusan dropdown words, exactly.
DECISION_ACCEPTED = "Diterima"
DECISION_CORRECTED = "Diterima dengan koreksi"
DECISION_REJECTED = "Ditolak"
DECISION_QUERIED = "Perlu klarifikasi"
DECISIONS = (DECISION_ACCEPTED, DECISION_CORRECTED, DECISION_REJECTED, DECISION_QUERIED)
# status_verifikasi per question: no decision, one per decision kind, or a decision that lapsed
# because the office has since sent a different answer.
VERIFY_NONE = "belum"
VERIFY_ACCEPTED = "diterima"
VERIFY_CORRECTED = "dikoreksi"
VERIFY_REJECTED = "ditolak"
VERIFY_QUERIED = "klarifikasi"
VERIFY_LAPSED = "perlu verifikasi ulang"
VERIFICATION_STATUSES = (
    VERIFY_NONE,
    VERIFY_ACCEPTED,
    VERIFY_CORRECTED,
    VERIFY_REJECTED,
    VERIFY_QUERIED,
    VERIFY_LAPSED,
)
DECISION_STATUS = {
    DECISION_ACCEPTED: VERIFY_ACCEPTED,
    DECISION_CORRECTED: VERIFY_CORRECTED,
    DECISION_REJECTED: VERIFY_REJECTED,
    DECISION_QUERIED: VERIFY_QUERIED,
}
# Recommendation kind for a rejected or queried answer (score/recommend.py).
ACTION_FOLLOW_UP = "tindak lanjuti verifikasi"

# One row per filled row of a returned verification workbook (ingest/verification.py), raw text.
# `putaran` is the workbook's round; `sidik` the fingerprint of the answer the row judged;
# `jawaban_dinilai` the answer as the workbook showed it; `*_sel` cells like "N5".
DECISION_CELLS = (
    "file",
    "sheet",
    "row",
    "kode",
    "klaster",
    "putaran",
    "sidik",
    "jawaban_dinilai",
    "keputusan",
    "jawaban_koreksi",
    "alasan",
    "catatan",
    "verifikator",
    "tanggal",
    "keputusan_sel",
    "koreksi_sel",
    "alasan_sel",
    "file_sha256",
)
# DECISION_CELLS after checking (decisions.py): keputusan is one of DECISIONS, jawaban_koreksi the
# normalised correction ("" unless corrected), nilai_koreksi its number (NaN otherwise).
DECISION_ROWS = (*DECISION_CELLS, "nilai_koreksi")

# SCORED plus the verification columns (score/decisions.py): what Results.scored holds.
# `keputusan_file`/`keputusan_sel` locate the decision in force ("" when none).
VERIFIED = (
    *SCORED,
    "status_verifikasi",
    "keputusan",
    "jawaban_koreksi",
    "alasan",
    "catatan_verifikasi",
    "verifikator",
    "tanggal_verifikasi",
    "keputusan_file",
    "keputusan_sel",
    "sidik_jawaban",
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
    scored: pd.DataFrame  # VERIFIED (SCORED plus the verification columns)
    indicators: pd.DataFrame  # INDICATOR_SCORES
    clusters: pd.DataFrame  # CLUSTER_SCORES
    completeness: pd.DataFrame  # COMPLETENESS
    recommendations: pd.DataFrame  # RECOMMENDATIONS
    mandiri: Totals
    terverifikasi: Totals
    comparison: Comparison | None = None  # with SEBELUMNYA: last year beside this year
    decisions: pd.DataFrame | None = None  # DECISION_ROWS read this run, every round (or None)
    verification_round: int = 1  # the round of the verification workbooks this run writes
    kd: KdResults | None = None  # the KD roll-up; None without a master list

    @property
    def offices_sent(self) -> int:
        """Offices that sent at least one workbook (refused ones included): one count for every writer."""
        return int(self.completeness["status_kirim"].ne(SENT_NONE).sum())

    @property
    def questions_answered(self) -> int:
        return int(self.scored["status"].eq(STATUS_ANSWERED).sum())


# Year over year (issue #17). Last year's results, one row per last year's question, as read from
# nilai_pertanyaan.csv or a consolidated workbook's Data sheet (ingest/previous.py).
# `status_verifikasi` is the verifier's status when last year's results carry one, else derived:
# "terverifikasi" (answered with data dukung that counted) or "belum terverifikasi".
PREVIOUS = (
    "kode",
    "jawaban",
    "data_dukung",
    "nilai_maks",
    "nilai_mandiri",
    "nilai_terverifikasi",
    "status",
    "status_verifikasi",
    "catatan_verifikasi",
)
PREVIOUS_VERIFIED = "terverifikasi"
PREVIOUS_UNVERIFIED = "belum terverifikasi"

# Last year's values carried onto each question of this year's instrument (mapping.py), in
# instrument order. `nilai_lalu` is last year's verified points put on this year's maximum
# (share of last year's maximum times this year's nilai_maks); NaN when there is no counterpart.
CARRIED = (
    "kode",
    "kode_lalu",
    "perubahan",
    "jawaban_lalu",
    "data_dukung_lalu",
    "status_verifikasi_lalu",
    "catatan_verifikasi_lalu",
    "nilai_lalu",
)

# perbandingan.csv and the Perbandingan sheet: one row per question of this year's instrument.
# `tanda` holds the flags below joined by "; " ("" when none).
COMPARISON = (
    "kode",
    "kode_lalu",
    "perubahan",
    "klaster",
    "indikator",
    "pertanyaan",
    "jawaban_lalu",
    "jawaban_kini",
    "data_dukung_lalu",
    "data_dukung_kini",
    "status_verifikasi_lalu",
    "nilai_lalu",
    "nilai_kini",
    "selisih",
    "tanda",
)
# Sums per indicator / cluster over the questions with a counterpart (sebanding).
COMPARISON_GROUPS = ("kode", "nama", "nilai_maks", "nilai_lalu", "nilai_kini", "selisih", "tanda")
FLAG_REGULATION_LOST = "regulasi-hilang"
FLAG_REGULATION_DOWN = "regulasi-turun"
FLAG_PERCENT_MOVED = "persen-berubah"
FLAG_EVIDENCE_LOST = "data-dukung-hilang"
FLAG_SAME_ANSWER_NO_EVIDENCE = "jawaban-sama-data-dukung-hilang"
FLAGS = (
    FLAG_REGULATION_LOST,
    FLAG_REGULATION_DOWN,
    FLAG_PERCENT_MOVED,
    FLAG_EVIDENCE_LOST,
    FLAG_SAME_ANSWER_NO_EVIDENCE,
)


@dataclass(frozen=True)
class PreviousResults:
    """Last year's results as read (ingest/previous.py)."""

    tahun: int
    wilayah: str
    source: str  # the folder or workbook as the user named it
    answers: pd.DataFrame  # PREVIOUS
    mandiri: float  # last year's totals over all its questions
    terverifikasi: float
    issues: pd.DataFrame  # ISSUES: rows that could not be used, same-year note


@dataclass(frozen=True)
class Comparison:
    """Last year beside this year (score/comparison.py)."""

    tahun_lalu: int
    source: str
    questions: pd.DataFrame  # COMPARISON
    indicators: pd.DataFrame  # COMPARISON_GROUPS
    clusters: pd.DataFrame  # COMPARISON_GROUPS
    unmatched: pd.DataFrame  # kode_lama, kode_baru, perubahan: no counterpart (listed, not guessed)
    changed: bool  # the instrument changed: totals are compared over mapped questions only
    total_lalu: float  # last year's verified total over all its questions
    total_kini: float
    sebanding_lalu: float  # over questions with a counterpart
    sebanding_kini: float


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
KABKOTA_NOT_SENT = SENT_NONE
KABKOTA_REJECTED = STATUS_REJECTED

# One row per file the province view looked at. `jenis`: "workbook" or "json"; `dibuat` the run
# time in the summary ("" when unknown). status: "dipakai", "disisihkan" (another result of the
# same kab/kota was generated later), "ditolak", "bukan_hasil" (not a kab/kota result).
PROVINCE_FILES = ("file", "jenis", "kode_wilayah", "nama", "tahun", "dibuat", "status", "pesan")
RESULT_USED = FILE_USED
RESULT_SET_ASIDE = "disisihkan"
RESULT_REJECTED = FILE_REJECTED
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
