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

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".ods", ".xls", ".xlsb")

# Every workbook the project writes: text stays text (no formulas, links or numbers made from
# strings), built in memory (no temporary files per sheet).
XLSXWRITER_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "in_memory": True,
}

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
