"""Make N returned workbooks from the real templates, filled with valid varied answers (not timed)."""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
from pathlib import Path

from pipeline.instrument import Instrument, Question
from pipeline.region import Region
from pipeline.templates.opd import plan_templates, template_filename, write_templates
from tools.fill import Filled, fill_template

VARIANTS_PER_OFFICE = 3
FIXED_NOW = dt.datetime(2024, 1, 15, 8, 0, 0)


def random_answer(question: Question, instrument: Instrument, rng: random.Random) -> Filled:
    """A valid answer for the question's scale, with evidence most of the time."""
    scale = instrument.scales[question.jenis]
    if scale.is_label:
        value: object = rng.choice(scale.labels)
    elif scale.whole:
        value = rng.randint(0, 400)
    else:
        value = round(rng.uniform(0, 100), 1)
    evidence = (
        f"https://data.sukamajuraya.example.go.id/kla/{question.kode.lower()}.pdf"
        if rng.random() < 0.85
        else None
    )
    return Filled(jawaban=value, data_dukung=evidence, keterangan=None)


def identity(rng: random.Random) -> dict[str, object]:
    return {
        "Nama narahubung": rng.choice(
            ["Siti Aminah", "Budi Santoso", "Dewi Lestari", "Agus Salim"]
        ),
        "Jabatan": "Analis Kebijakan",
        "Nomor HP/WA": f"0812-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
        "Email": "opd@sukamajuraya.example.go.id",
        "Tanggal pengisian": "2024-03-01",
    }


def write_variants(instrument: Instrument, region: Region, work: Path) -> list[Path]:
    """VARIANTS_PER_OFFICE filled workbooks per office, under work/varian/."""
    templates = work / "templates"
    write_templates(instrument, region, templates, now=FIXED_NOW)
    rng = random.Random(20241123)
    variants = []
    for plan in plan_templates(instrument, region):
        template = templates / str(region.tahun) / template_filename(plan, region)
        for index in range(VARIANTS_PER_OFFICE):
            answers = {q.kode: random_answer(q, instrument, rng) for q in plan.questions}
            target = work / "varian" / f"{plan.role}_{index}.xlsx"
            fill_template(template, target, answers, identity(rng))
            variants.append(target)
    return variants


def write_submissions(variants: list[Path], n: int, folder: Path) -> list[Path]:
    """n submissions: copies of the variants under distinct names and folders, distinct mtimes."""
    if folder.exists():
        shutil.rmtree(folder)
    paths = []
    base = FIXED_NOW.timestamp()
    for index in range(n):
        source = variants[index % len(variants)]
        target = folder / f"kiriman_{index // 100:03d}" / f"isian {source.stem} ({index}).xlsx"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        os.utime(target, (base + index, base + index))
        paths.append(target)
    return paths
