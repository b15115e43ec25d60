"""The example province: kab/kota results made by running the real pipeline on generated answers.

`python -m tools.province_example` rewrites contoh/provinsi/: for each
fictional kab/kota of schemas/provinsi-contoh.toml, the real templates are filled with answers of
that kab/kota's profile (how often the best answer, how much data dukung, a weak cluster), the real
consolidation runs at a fixed time, and its Konsolidasi workbook (or ringkasan.json) is kept.
Kabupaten Sukamaju Raya is the bundled example (contoh/inputs/) run as it is.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import random
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pipeline import config
from pipeline.consolidate import run
from pipeline.instrument import Instrument, Question, read_instrument
from pipeline.outfiles import write_text_atomic
from pipeline.region import Region, read_region
from pipeline.templates.opd import plan_templates, template_filename, write_templates
from tools.example.answers import clean_answer
from tools.fill import Filled, fill_template

TEMPLATES_AT = dt.datetime(2024, 3, 1, 8, 0, 0)
FRACTIONS = (0.0, 0.25, 0.5, 0.75)


@dataclass(frozen=True)
class Profile:
    """How one fictional kab/kota answered: share of best answers, of data dukung, a weak cluster."""

    kode: str
    nama: str
    nama_singkat: str
    best: float  # share of questions answered with the best answer
    evidence: float  # share of answers with data dukung
    weak: str  # cluster code answered at half the strength
    run_at: dt.datetime
    file: str  # where the result goes, relative to contoh/provinsi/
    skipped_role: str = ""  # an office that did not send


PROFILES = (
    Profile(
        "99.02",
        "Kabupaten Tanjung Padi (fiktif)",
        "Tanjung Padi",
        0.86,
        0.93,
        "K5",
        dt.datetime(2024, 4, 2, 9, 15),
        "Konsolidasi_KLA_Tanjung_Padi_2024.xlsx",
    ),
    Profile(
        "99.03",
        "Kabupaten Lembah Hijau (fiktif)",
        "Lembah Hijau",
        0.66,
        0.72,
        "KD",
        dt.datetime(2024, 4, 3, 14, 5),
        "email/Hasil KLA Lembah Hijau 2024 final.xlsx",
        "DISNAKER",
    ),
    Profile(
        "99.04",
        "Kabupaten Pesisir Timur (fiktif)",
        "Pesisir Timur",
        0.48,
        0.55,
        "K3",
        dt.datetime(2024, 4, 4, 10, 40),
        "email/Konsolidasi_KLA_Pesisir_Timur_2024.xlsx",
        "BPBD",
    ),
    Profile(
        "99.05",
        "Kabupaten Bukit Kencana (fiktif)",
        "Bukit Kencana",
        0.74,
        0.6,
        "K1",
        dt.datetime(2024, 4, 5, 8, 20),
        "whatsapp/Konsolidasi_KLA_Bukit_Kencana_2024.xlsx",
    ),
    Profile(
        "99.06",
        "Kabupaten Sungai Jernih (fiktif)",
        "Sungai Jernih",
        0.36,
        0.5,
        "KL",
        dt.datetime(2024, 4, 5, 16, 0),
        "whatsapp/kla sungai jernih.xlsx",
        "KOMINFO",
    ),
    Profile(
        "99.07",
        "Kabupaten Gunung Sari (fiktif)",
        "Gunung Sari",
        0.8,
        0.85,
        "K4",
        dt.datetime(2024, 4, 8, 11, 30),
        "Konsolidasi_KLA_Gunung_Sari_2024.xlsx",
    ),
    Profile(
        "99.71",
        "Kota Bandar Harapan (fiktif)",
        "Bandar Harapan",
        0.93,
        0.95,
        "K2",
        dt.datetime(2024, 4, 9, 13, 45),
        "Konsolidasi_KLA_Bandar_Harapan_2024.xlsx",
    ),
    Profile(
        "99.72",
        "Kota Cahaya Baru (fiktif)",
        "Cahaya Baru",
        0.7,
        0.88,
        "K5",
        dt.datetime(2024, 4, 10, 9, 0),
        "kota_cahaya_baru/ringkasan.json",
    ),
)
# An earlier run of Tanjung Padi, sent before its offices completed their data dukung: set aside.
EARLIER = dataclasses.replace(
    PROFILES[0],
    evidence=0.55,
    run_at=dt.datetime(2024, 3, 28, 15, 10),
    file="email/Konsolidasi_KLA_Tanjung_Padi_2024 (draft).xlsx",
)
SUKAMAJU_RUN_AT = dt.datetime(2024, 4, 1, 10, 0)
SUKAMAJU_FILE = "Konsolidasi_KLA_Sukamaju_Raya_2024.xlsx"
# Predikat of earlier years (fictional): progress the province view shows on its Riwayat sheet.
HISTORY = {
    "99.01": ("", "Pratama"),
    "99.02": ("Pratama", "Madya"),
    "99.03": ("", "Pratama"),
    "99.04": ("", ""),
    "99.05": ("Pratama", "Pratama"),
    "99.06": ("", ""),
    "99.07": ("Pratama", "Madya"),
    "99.08": ("", ""),
    "99.71": ("Madya", "Nindya"),
    "99.72": ("Pratama", "Madya"),
}
HISTORY_YEARS = (2022, 2023)


def profile_region(base: Region, profile: Profile) -> Region:
    """The example region renamed to the profile's kab/kota (office names follow)."""
    old = base.nama_singkat
    return dataclasses.replace(
        base,
        nama=profile.nama,
        nama_singkat=profile.nama_singkat,
        kode=profile.kode,
        offices={
            role: name.replace(old, profile.nama_singkat) for role, name in base.offices.items()
        },
    )


def profile_answer(instrument: Instrument, question: Question, profile: Profile) -> Filled | None:
    """One question's answer under the profile; seeded per kab/kota and question (stable)."""
    rng = random.Random(f"provinsi-contoh:{profile.kode}:{profile.evidence}:{question.kode}")
    best = profile.best / 2 if question.klaster == profile.weak else profile.best
    fraction = 1.0 if rng.random() < best else rng.choice(FRACTIONS)
    filled = clean_answer(instrument, question, fraction * question.nilai_maks, rng)
    if rng.random() >= profile.evidence:
        filled = Filled(filled.jawaban, None, filled.keterangan)
    return filled


def write_profile_inputs(
    instrument: Instrument, region: Region, profile: Profile, work: Path
) -> Path:
    """Filled OPD workbooks of one kab/kota under work/inputs; returns that folder."""
    templates = work / "templates"
    write_templates(instrument, region, templates, now=TEMPLATES_AT)
    inputs = work / "inputs"
    for plan in plan_templates(instrument, region):
        if plan.role == profile.skipped_role:
            continue
        answers = {q.kode: profile_answer(instrument, q, profile) for q in plan.questions}
        template = templates / str(region.tahun) / template_filename(plan, region)
        identity = {
            config.ID_CONTACT_NAME: f"Narahubung {plan.role} (fiktif)",
            config.ID_CONTACT_TITLE: "Analis Kebijakan",
            config.ID_CONTACT_PHONE: "0812-0000-0000",
            config.ID_CONTACT_EMAIL: "kla@example.go.id",
            config.ID_FILLED_DATE: "2024-03-15",
        }
        filled = {k: v for k, v in answers.items() if v is not None}
        fill_template(template, inputs / template.name, filled, identity)
    return inputs


def run_profile(instrument: Instrument, base: Region, profile: Profile, target: Path) -> Path:
    """Run the real consolidation for one profile and keep its result at target/profile.file."""
    region = profile_region(base, profile)
    with tempfile.TemporaryDirectory(prefix="kla-provinsi-") as folder:
        work = Path(folder)
        inputs = write_profile_inputs(instrument, region, profile, work)
        output = run(
            inputs, work / "outputs", instrument, region, jobs=1, example=True, now=profile.run_at
        )
        source = (
            output.report
            if profile.file.endswith(".xlsx")
            else work / "outputs" / config.OUT_SUMMARY
        )
        return _keep(source, target / profile.file)


def run_sukamaju(instrument: Instrument, region: Region, target: Path) -> Path:
    """The bundled example kabupaten, consolidated from contoh/inputs/ as `make consolidate` does."""
    with tempfile.TemporaryDirectory(prefix="kla-provinsi-") as folder:
        output = run(
            config.EXAMPLE_INPUTS_DIR,
            Path(folder),
            instrument,
            region,
            jobs=1,
            example=True,
            now=SUKAMAJU_RUN_AT,
        )
        return _keep(output.report, target / SUKAMAJU_FILE)


def _keep(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


def history_csv() -> str:
    """riwayat_predikat.csv of the example (fictional predikat of earlier years, no scores)."""
    names = {p.kode: p.nama for p in PROFILES} | {
        "99.01": "Kabupaten Sukamaju Raya (fiktif)",
        "99.08": "Kabupaten Rawa Indah (fiktif)",
    }
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        ("tahun", "kode_wilayah", "nama", "predikat", "nilai_mandiri", "nilai_terverifikasi")
    )
    for index, year in enumerate(HISTORY_YEARS):
        for kode in sorted(HISTORY):
            predikat = HISTORY[kode][index]
            writer.writerow((year, kode, names[kode], predikat or "Belum berpredikat", "", ""))
    return buffer.getvalue()


def write_example_province(target: Path = config.EXAMPLE_PROVINCE_DIR) -> list[Path]:
    """Regenerate the example province's inputs into `target` (replacing what was there)."""
    region = read_region(config.EXAMPLE_REGION_FILE)
    instrument = read_instrument(region.instrumen)
    if target.exists():
        shutil.rmtree(target)
    written = [run_sukamaju(instrument, region, target)]
    for profile in (*PROFILES, EARLIER):
        written.append(run_profile(instrument, region, profile, target))
    written.append(write_text_atomic(target / config.PROVINCE_HISTORY_INPUT, history_csv()))
    return sorted(written)


if __name__ == "__main__":
    for path in write_example_province():
        print(path.relative_to(config.PROJECT_DIR))
