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
