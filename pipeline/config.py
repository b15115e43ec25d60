"""Paths, sheet names, column headers and format versions: constants only, no I/O at import."""

from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
SCHEMAS_DIR = PROJECT_DIR / "schemas"
TEMPLATES_DIR = PROJECT_DIR / "templates_xlsx"
INPUTS_DIR = PROJECT_DIR / "inputs"
OUTPUTS_DIR = PROJECT_DIR / "outputs"
REGION_FILE = SCHEMAS_DIR / "wilayah.toml"
EXAMPLE_REGION_FILE = SCHEMAS_DIR / "wilayah-contoh.toml"
EXAMPLE_SCORES_FILE = SCHEMAS_DIR / "contoh-nilai-2024.csv"
EXAMPLE_INPUTS_DIR = PROJECT_DIR / "contoh" / "inputs"
# Files in inputs/ that are part of the project, not submissions.
INPUTS_IGNORED = ("README.md", ".gitkeep")
# Left by Windows: Explorer copying into WSL adds "<name>:Zone.Identifier"; thumbnails and folder
# settings. Skipped like hidden files.
INPUTS_IGNORED_WINDOWS = ("Thumbs.db", "desktop.ini")
INPUTS_IGNORED_SUFFIX = ":Zone.Identifier"
# Files the tool keeps in outputs/ while a run is going: its lock, and the list of files it wrote
# (see owned.py), so that it never removes a file it did not write itself.
LOCK_FILE = ".konsolidasi.lock"
OWNED_FILE = ".berkas_alat.json"
VERIFICATION_RULES_FILE = SCHEMAS_DIR / "verifikasi.toml"

# Template format: bump TEMPLATE_FORMAT when the workbook layout changes in a way ingest must know.
TEMPLATE_FORMAT = "1"
SUPPORTED_TEMPLATE_FORMATS = ("1",)

SHEET_GUIDE = "Petunjuk"
SHEET_IDENTITY = "Identitas"
SHEET_ANSWERS = "Isian"
SHEET_META = "_meta"

# Header texts of the Isian table; the four marked CONTRACT are what ingest looks for.
COL_NO = "No"
COL_CODE = "Kode"  # CONTRACT
COL_CLUSTER = "Klaster"
COL_INDICATOR = "Indikator"
COL_QUESTION = "Pertanyaan"
COL_TYPE = "Jenis Jawaban"
COL_ANSWER = "Jawaban"  # CONTRACT
COL_EVIDENCE = "Data Dukung"  # CONTRACT
COL_NOTE = "Keterangan"  # CONTRACT
COL_MAX = "Nilai Maks"
COL_SUPPORT = "OPD Pendukung"
COL_LEVEL = "Tingkat Wilayah"
CONTRACT_HEADERS = (COL_CODE, COL_ANSWER, COL_EVIDENCE, COL_NOTE)

# Identitas sheet: label in column A, value in column B.
ID_OFFICE = "Nama OPD"
ID_ROLE = "Kode peran"
ID_REGION = "Wilayah"
ID_YEAR = "Tahun evaluasi"
ID_CONTACT_NAME = "Nama narahubung"
ID_CONTACT_TITLE = "Jabatan"
ID_CONTACT_PHONE = "Nomor HP/WA"
ID_CONTACT_EMAIL = "Email"
ID_FILLED_DATE = "Tanggal pengisian"
IDENTITY_INPUTS = (
    ID_CONTACT_NAME,
    ID_CONTACT_TITLE,
    ID_CONTACT_PHONE,
    ID_CONTACT_EMAIL,
    ID_FILLED_DATE,
)

# Metadata keys in the very hidden _meta sheet (column A key, column B value).
META_KEYS = (
    "format_template",
    "instrumen_id",
    "instrumen_hash",
    "tahun",
    "kode_wilayah",
    "nama_wilayah",
    "peran",
    "peran_tercakup",
    "nama_opd",
    "dibuat",
    "hash_kode",
    "hash_meta",
)


# Output files and folders written by `make consolidate` (relative to the outputs folder).
OUT_SUMMARY = "ringkasan.json"
OUT_QUESTIONS = "nilai_pertanyaan.csv"
OUT_INDICATORS = "nilai_indikator.csv"
OUT_COMPLETENESS = "kelengkapan.csv"
OUT_ISSUES = "masalah.csv"
OUT_HISTORY = "riwayat.jsonl"
OUT_MANIFEST = "selesai.json"
OUT_FEEDBACK_DIR = "umpan_balik"
OUT_REPORT_PREFIX = "Konsolidasi_KLA_"
OUT_REPORT_PATTERN = OUT_REPORT_PREFIX + "*.xlsx"

# Sheets of the consolidated report, besides one per cluster.
REPORT_SUMMARY = "Ringkasan"
REPORT_COMPLETENESS = "Kelengkapan"
REPORT_RECOMMENDATIONS = "Rekomendasi"
REPORT_ISSUES = "Validasi"
REPORT_DATA = "Data"

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".ods", ".xls", ".xlsb")

# Every workbook the project writes: text stays text (no formulas, links or numbers made from
# strings), built in memory (no temporary files per sheet).
XLSXWRITER_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "in_memory": True,
}

# The coordinator's send list (sendlist.py), beside the feedback folder in outputs/.
SEND_LIST_XLSX = "daftar_kirim.xlsx"
SEND_LIST_CSV = "daftar_kirim.csv"
SEND_LIST_SHEET = "Daftar Kirim"
SEND_LIST_TITLE = "Daftar kirim umpan balik dan pengingat"
# Year over year (issue #17): mapping files, comparison settings, the example's previous year.
MAPPING_FILE_PATTERN = "peta-{instrumen}.csv"
COMPARISON_SETTINGS_FILE = SCHEMAS_DIR / "perbandingan.toml"
EXAMPLE_PREVIOUS_DIR = PROJECT_DIR / "contoh" / "2023" / "outputs"
SHEET_COMPARISON = "Perbandingan"
COMPARISON_FILE = "perbandingan.csv"
# Read-only history columns of a template made with SEBELUMNYA; {tahun} is last year.
COL_PREVIOUS_ANSWER = "Jawaban {tahun}"
COL_PREVIOUS_EVIDENCE = "Data Dukung {tahun}"
COL_PREVIOUS_STATUS = "Status Verifikasi {tahun}"
COL_PREVIOUS_NOTE = "Catatan Verifikator {tahun}"
# Perbandingan follows the first of these sheets the report has (Verifikasi comes with issue #14).
SHEET_COMPARISON_AFTER = ("Verifikasi", "Rekomendasi")
NOTES_SHOWN = 5  # notes about last year's results printed by `make templates SEBELUMNYA=...`
PREFILL_TYPES = ("regulasi",)  # answer types `templates --salin-regulasi` copies into Jawaban
# Verification workbooks (templates/verification.py, ingest/verification.py; docs/verifikasi.md).
VERIFICATION_FORMAT = "1"
VERIFICATION_KIND = "verifikasi"
VERIFICATION_DIR = "verifikasi"
DECISION_HISTORY_FILE = "riwayat_verifikasi.jsonl"
SHEET_VERIFICATION = "Verifikasi"
VCOL_OFFICE = "OPD"
VCOL_SELF = "Nilai Mandiri"
VCOL_SOURCE = "Sel Sumber"
VCOL_STATUS = "Status Verifikasi"
VCOL_DECISION = "Keputusan"  # CONTRACT
VCOL_CORRECTION = "Jawaban Koreksi"  # CONTRACT
VCOL_REASON = "Alasan"  # CONTRACT
VCOL_NOTE = "Catatan"  # CONTRACT
VCOL_VERIFIER = "Verifikator"  # CONTRACT
VCOL_DATE = "Tanggal"  # CONTRACT
VERIFICATION_INPUTS = (
    VCOL_DECISION,
    VCOL_CORRECTION,
    VCOL_REASON,
    VCOL_NOTE,
    VCOL_VERIFIER,
    VCOL_DATE,
)
VERIFICATION_CONTRACT_HEADERS = (COL_CODE, COL_ANSWER, *VERIFICATION_INPUTS)
# _meta keys of a verification workbook; below them a table of (kode, sidik_jawaban) rows.
VERIFICATION_META_KEYS = (
    "jenis",
    "format_verifikasi",
    "instrumen_id",
    "instrumen_hash",
    "tahun",
    "kode_wilayah",
    "nama_wilayah",
    "klaster",
    "putaran",
    "dibuat",
    "hash_sidik",
    "hash_meta",
)
FINGERPRINT_HEADER = ("kode", "sidik_jawaban")

# The consolidated workbook's machine-readable summary (ringkasan.json + format + run time), in a
# very hidden sheet: column A key, column B value; the JSON is split over rows `json` (cells hold at
# most 32,767 characters). Bump SUMMARY_FORMAT when its content changes in a way readers must know.
SHEET_MACHINE_SUMMARY = "_ringkasan"
SUMMARY_FORMAT = "1"
SUPPORTED_SUMMARY_FORMATS = ("1",)
SUMMARY_CHUNK = 30000

# Province view (`make provinsi`): settings, example, sheets and files.
PROVINCE_FILE = SCHEMAS_DIR / "provinsi.toml"
EXAMPLE_PROVINCE_FILE = SCHEMAS_DIR / "provinsi-contoh.toml"
EXAMPLE_PROVINCE_DIR = PROJECT_DIR / "contoh" / "provinsi"
PROVINCE_HISTORY_INPUT = "riwayat_predikat.csv"
OUT_PROVINCE_REPORT_PREFIX = "Provinsi_KLA"
OUT_PROVINCE_CSV = "provinsi.csv"
OUT_PROVINCE_JSON = "provinsi.json"
SHEET_PROVINCE_SUMMARY = REPORT_SUMMARY  # "Ringkasan"
SHEET_PROVINCE_CLUSTERS = COL_CLUSTER  # "Klaster"
SHEET_PROVINCE_INDICATORS = COL_INDICATOR  # "Indikator"
SHEET_PROVINCE_VERIFICATION = "Verifikasi"
SHEET_PROVINCE_HISTORY = "Riwayat"
SHEET_PROVINCE_FILES = "Daftar Berkas"
SHEET_PROVINCE_DATA = REPORT_DATA  # "Data"

# Open data (`make opendata`): folder, files and the metadata workbook's sheets.
OPENDATA_DIR = "opendata"  # also the CLI command: not an OUT_ word
OUT_OPENDATA_METADATA = "metadata.xlsx"
SHEET_OPENDATA_DATASETS = "Metadata"
SHEET_OPENDATA_COLUMNS = "Kolom"
SUMMARY_SUFFIXES = (".xlsx", ".xlsm", ".ods", ".json")
# The office role that coordinates KLA in a kab/kota: its office is the open data publisher.
COORDINATOR_ROLE = "DP3A"

# Kecamatan workbook (templates/kecamatan.py, ingest/kecamatan.py; docs/kecamatan.md).
KECAMATAN_DIR = "kecamatan"  # templates_xlsx/<tahun>/kecamatan/
SHEET_KECAMATAN = "Kecamatan"
SHEET_DESA = "Desa"
COL_UNIT_CODE = "Kode Wilayah"  # CONTRACT (Desa)
COL_UNIT_NAME = "Desa/Kelurahan"  # CONTRACT (Desa)
COL_UNIT_KIND = "Jenis"
ID_KECAMATAN = "Kecamatan"
ID_KECAMATAN_CODE = "Kode kecamatan"
META_KIND = "jenis_berkas"
KIND_KECAMATAN = "kecamatan"
KECAMATAN_TEMPLATE_FORMAT = "1"
KECAMATAN_META_KEYS = (
    META_KIND,
    "format_template",
    "instrumen_id",
    "instrumen_hash",
    "tahun",
    "kode_wilayah",
    "nama_wilayah",
    "kode_kecamatan",
    "nama_kecamatan",
    "hash_desa",
    "hash_kode",
    "dibuat",
    "hash_meta",
)
# FILES `peran` of a kecamatan workbook: this prefix and the kecamatan code (KEC-32.17.01).
KECAMATAN_ROLE_PREFIX = "KEC-"
KD_UNITS_FILE = "wilayah_kd.csv"  # outputs/: one row per unit and computed question
SHEET_KD_MATRIX = "Matriks Desa"  # report: the printable desa x criterion matrix
