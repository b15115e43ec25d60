"""What the bundled example's offices sent: file names, saved times, contacts, and planted trouble.

Pure data and pure functions. TROUBLES is the machine-readable list of every planted problem, so
tests can check each one shows up in the outputs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from pipeline import config
from pipeline.words import format_date
from tools.fill import Filled

FOLDERS = ("email", "whatsapp")
FIRST_SAVED = dt.datetime(2024, 3, 11, 1, 30)  # UTC; 08:30 WIB
SAVED_STEP = dt.timedelta(hours=19, minutes=37)
NOT_SENT = "DISDIK"
DRAFT_SHARE = 0.6  # the older draft answers this share of its questions, without data dukung


@dataclass(frozen=True)
class Sending:
    """One file an office sent: its path under the inputs folder and its own saved time (UTC)."""

    role: str
    file: str  # POSIX path relative to the inputs folder
    saved: dt.datetime
    draft: bool = False  # an older, half-filled file superseded by a newer one
    ods: bool = False  # saved through LibreOffice as .ods


@dataclass(frozen=True)
class Trouble:
    """One planted problem: where it is, what was typed, and what the pipeline should say.

    `issue` is the issue code expected in the issues table ("" when the trouble shows elsewhere:
    completeness, file list); `counted` is False when the answer must not score.
    """

    kind: str
    peran: str
    file: str = ""
    kode: str = ""
    value: str = ""
    issue: str = ""
    counted: bool = True


DINKES_OLD = "whatsapp/KLA2024_DINKES_Dinas_Kesehatan.xlsx"
DINKES_NEW = "email/isian dinkes FINAL revisi2.xlsx"
DINSOS_ODS = "email/Isian KLA Dinsos 2024.ods"
BAPPEDA_FILE = "KLA Bappeda 2024.xlsx"
HUKUM_FILE = "whatsapp/kla hukum 2024 fix.xlsx"
KOMINFO_FILE = "Copy of KLA2024_KOMINFO (1).xlsx"
DP3A_FILE = "email/KLA2024_DP3A_Dinas_Pemberdayaan_Perempuan_dan_Perlindungan_Anak.xlsx"
PUPR_FILE = "whatsapp/KLA2024_PUPR_Dinas_Pekerjaan_Umum_dan_Penataan_Ruang.xlsx"
DUKCAPIL_FILE = "email/KLA2024_DUKCAPIL_Dinas_Kependudukan_dan_Pencatatan_Sipil.xlsx"
KEMENAG_FILE = "whatsapp/KLA2024_KEMENAG_Kantor_Kementerian_Agama.xlsx"
PDF_FILE = "email/Surat Pengantar Isian KLA - Dinas PUPR.pdf"
DOCX_FILE = "whatsapp/Rekap data dukung DP3A.docx"

# Files whose name or folder differs from the template's own name (explicit sendings).
SENDINGS = (
    Sending("DINKES", DINKES_OLD, dt.datetime(2024, 3, 14, 2, 10), draft=True),
    Sending("DINKES", DINKES_NEW, dt.datetime(2024, 3, 27, 7, 45)),
    Sending("DINSOS", DINSOS_ODS, dt.datetime(2024, 3, 22, 3, 5), ods=True),
    Sending("BAPPEDA", BAPPEDA_FILE, dt.datetime(2024, 3, 19, 6, 20)),
    Sending("HUKUM", HUKUM_FILE, dt.datetime(2024, 3, 25, 8, 55)),
    Sending("KOMINFO", KOMINFO_FILE, dt.datetime(2024, 3, 28, 9, 40)),
    Sending("DP3A", DP3A_FILE, dt.datetime(2024, 3, 26, 4, 15)),
    Sending("PUPR", PUPR_FILE, dt.datetime(2024, 3, 20, 7, 5)),
    Sending("DUKCAPIL", DUKCAPIL_FILE, dt.datetime(2024, 3, 15, 2, 50)),
    Sending("KEMENAG", KEMENAG_FILE, dt.datetime(2024, 3, 29, 9, 10)),
)

TROUBLES: tuple[Trouble, ...] = (
    Trouble("tidak-mengirim", NOT_SENT),
    Trouble("dikirim-dua-kali", "DINKES", DINKES_OLD, issue="berkas-digantikan"),
    Trouble("disimpan-ods", "DINSOS", DINSOS_ODS),
    Trouble("nama-diganti", "DINKES", DINKES_NEW),
    Trouble("nama-diganti", "BAPPEDA", BAPPEDA_FILE),
    Trouble("nama-diganti", "HUKUM", HUKUM_FILE),
    Trouble("nama-diganti", "KOMINFO", KOMINFO_FILE),
    Trouble("koma-desimal", "DINKES", DINKES_NEW, "I12-P1"),
    Trouble("tanda-persen", "DINKES", DINKES_NEW, "I12-P2"),  # read as meant: no warning
    Trouble("huruf-kecil-spasi", "DINKES", DINKES_NEW, "I12-P6"),  # case only: no warning
    Trouble("huruf-kecil-spasi", "DINKES", DINKES_NEW, "I03-P1d"),
    Trouble("tanpa-data-dukung", "DP3A", DP3A_FILE, "I08-P6", issue="tanpa-data-dukung"),
    Trouble("tanpa-data-dukung", "DP3A", DP3A_FILE, "I21A-P2", issue="tanpa-data-dukung"),
    Trouble("tanpa-data-dukung", "DP3A", DP3A_FILE, "I21A-P3", issue="tanpa-data-dukung"),
    Trouble("tanpa-data-dukung", "DP3A", DP3A_FILE, "I21A-P5", issue="tanpa-data-dukung"),
    Trouble("tanpa-data-dukung", "DP3A", DP3A_FILE, "I21A-P6", issue="tanpa-data-dukung"),
    Trouble("tanpa-data-dukung", "DP3A", DP3A_FILE, "I21A-P8", issue="tanpa-data-dukung"),
    Trouble("tanpa-data-dukung", "PUPR", PUPR_FILE, "I16-P7", "-", issue="tanpa-data-dukung"),
    Trouble(
        "tanpa-data-dukung", "PUPR", PUPR_FILE, "I16-P4", "tidak ada", issue="tanpa-data-dukung"
    ),
    Trouble(
        "di-luar-rentang",
        "DUKCAPIL",
        DUKCAPIL_FILE,
        "I04-P1",
        "112.4",
        issue="nilai-di-luar-rentang",
        counted=False,
    ),
    Trouble(
        "teks-di-sel-angka",
        "KEMENAG",
        KEMENAG_FILE,
        "I20-P2",
        "data menyusul",
        issue="bukan-angka",
        counted=False,
    ),
    Trouble("baris-disisipkan", "BAPPEDA", BAPPEDA_FILE, "I01-P3k"),
    Trouble("bukan-template", "", PDF_FILE, issue="bukan-workbook"),
    Trouble("bukan-template", "", DOCX_FILE, issue="bukan-workbook"),
    Trouble("narahubung-kosong", "KOMINFO", KOMINFO_FILE, issue="narahubung-kosong"),
)

ANSWER_KINDS = (
    "koma-desimal",
    "tanda-persen",
    "huruf-kecil-spasi",
    "tanpa-data-dukung",
    "di-luar-rentang",
    "teks-di-sel-angka",
)

# Fictional contact people, assigned to offices in role order.
CONTACTS = (
    ("Agus Setiawan, S.E.", "Kepala Subbagian Perencanaan"),
    ("Dewi Lestari, S.Kep.", "Analis Kebijakan Ahli Muda"),
    ("Bambang Hermawan, S.T.", "Kepala Seksi Data dan Informasi"),
    ("Siti Nurhaliza, S.KM., M.Kes.", "Kepala Bidang Kesehatan Masyarakat"),
    ("Yusuf Maulana, S.Sos.", "Pekerja Sosial Ahli Muda"),
    ("Ratna Sari Dewi, S.Pd.", "Kepala Seksi Kurikulum"),
    ("Hendra Gunawan, A.Md.", "Pengelola Data"),
    ("Lina Marlina, S.H.", "Kepala Subbagian Umum"),
    ("Fajar Nugroho, S.Pd.", "Analis Kepemudaan"),
    ("Rina Kartikasari, S.Sos.", "Kepala Bidang Pemenuhan Hak Anak"),
    ("Indra Permana, S.Kom.", "Pranata Komputer Ahli Pertama"),
    ("Wulan Anggraeni, S.H., M.H.", "Analis Hukum Ahli Muda"),
    ("H. Ahmad Fauzi, S.Ag.", "Kepala Seksi Bimas Islam"),
    ("Dedi Kurniawan, S.IP.", "Kepala Bidang Ideologi dan Wawasan Kebangsaan"),
    ("Nurul Hidayah, S.Kom.", "Pranata Humas Ahli Muda"),
    ("Teguh Prasetyo, S.IP.", "Pustakawan Ahli Muda"),
    ("Asep Saepudin, S.T., M.T.", "Kepala Bidang Tata Ruang"),
    ("Rudi Hartono", "Kepala Seksi Ketertiban Umum"),
)


def sendings(roles: list[str], filenames: Mapping[str, str]) -> list[Sending]:
    """Every file sent, in role order: explicit SENDINGS, else the template name in a folder.

    `roles` are the offices with a template, `filenames` their template file names.
    """
    explicit: dict[str, list[Sending]] = {}
    for sending in SENDINGS:
        explicit.setdefault(sending.role, []).append(sending)
    sent = []
    for index, role in enumerate(roles):
        if role == NOT_SENT:
            continue
        default = Sending(
            role,
            f"{FOLDERS[index % len(FOLDERS)]}/{filenames[role]}",
            FIRST_SAVED + index * SAVED_STEP,
        )
        sent.extend(explicit.get(role, [default]))
    return sent


def contact(role: str, roles: list[str], saved: dt.datetime) -> dict[str, Any]:
    """Identitas values an office typed (empty contact for the narahubung-kosong trouble)."""
    name, title = CONTACTS[roles.index(role) % len(CONTACTS)]
    filled = format_date(saved.date())
    if any(t.kind == "narahubung-kosong" and t.peran == role for t in TROUBLES):
        return {config.ID_FILLED_DATE: filled}
    number = 1000 + 37 * (roles.index(role) + 1)
    return {
        config.ID_CONTACT_NAME: name,
        config.ID_CONTACT_TITLE: title,
        config.ID_CONTACT_PHONE: f"0812-{number:04d}-{(number * 7) % 10000:04d}",
        config.ID_CONTACT_EMAIL: f"{role.lower()}@sukamajuraya.example.go.id",
        config.ID_FILLED_DATE: filled,
    }


def typed(trouble: Trouble, clean: Filled) -> Filled:
    """What the office typed instead of the clean answer, for an answer trouble."""
    if trouble.kind == "koma-desimal":
        return replace(clean, jawaban=f"{float(clean.jawaban):.1f}".replace(".", ","))
    if trouble.kind == "tanda-persen":
        return replace(clean, jawaban=f"{clean.jawaban} %".replace(".", ","))
    if trouble.kind == "huruf-kecil-spasi":
        return replace(clean, jawaban=" " + str(clean.jawaban).lower().replace(" ", "  ") + " ")
    if trouble.kind == "tanpa-data-dukung":
        return replace(clean, data_dukung=trouble.value or None)
    if trouble.kind == "di-luar-rentang":
        return replace(clean, jawaban=float(trouble.value))
    if trouble.kind == "teks-di-sel-angka":
        return replace(clean, jawaban=trouble.value)
    raise ValueError(f"bukan masalah jawaban: {trouble.kind}")


def sent_answers(sending: Sending, clean: Mapping[str, Filled]) -> dict[str, Filled]:
    """The answers in one sent file: clean, with this file's answer troubles typed in.

    A draft answers only the first DRAFT_SHARE of its questions, without data dukung or notes.
    """
    if sending.draft:
        count = int(len(clean) * DRAFT_SHARE)
        return {kode: Filled(filled.jawaban) for kode, filled in list(clean.items())[:count]}
    answers = dict(clean)
    for trouble in TROUBLES:
        if trouble.file == sending.file and trouble.kind in ANSWER_KINDS:
            answers[trouble.kode] = typed(trouble, answers[trouble.kode])
    return answers


def counted_answers(clean: Mapping[str, Filled], not_sent_codes: set[str]) -> dict[str, Filled]:
    """The answers the consolidation should score: clean answers, minus the office that never
    sent, minus rejected answers; answers sent without data dukung keep no data dukung.
    """
    counted = {k: v for k, v in clean.items() if k not in not_sent_codes}
    for trouble in TROUBLES:
        if trouble.kode not in counted:
            continue
        if not trouble.counted:
            del counted[trouble.kode]
        elif trouble.kind == "tanpa-data-dukung":
            counted[trouble.kode] = replace(
                counted[trouble.kode], data_dukung=trouble.value or None
            )
    return counted
