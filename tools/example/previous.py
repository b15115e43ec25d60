"""The bundled example's previous year: contoh/2023/outputs/, made by the pipeline itself.

2023 answers are the 2024 example answers varied per question (seeded, so deterministic): some
regulations were stronger, some percentages differ by more than the flag threshold, the office
that did not send in 2024 answered in 2023, and every 2023 answer had data dukung. The 2023
templates are filled (tools/fill.py) and consolidated by pipeline.consolidate.run; only the two
files a comparison reads are kept: nilai_pertanyaan.csv and ringkasan.json.

`python -m tools.example.previous` regenerates them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import shutil
import tempfile
from pathlib import Path

from pipeline import config
from pipeline.consolidate import RunOutput, run
from pipeline.instrument import Instrument, Question, read_instrument
from pipeline.region import Region, read_region
from pipeline.templates.opd import plan_templates, template_filename, write_templates
from tools.example.answers import expected_example_answers, read_example_scores
from tools.example.build import EXAMPLE_NOW
from tools.example.trouble import contact
from tools.fill import Filled, fill_template

PREVIOUS_YEAR = 2023
PREVIOUS_SEED = "kla-contoh-2023"
PREVIOUS_NOW = EXAMPLE_NOW.replace(year=PREVIOUS_YEAR)
PREVIOUS_DEADLINE = dt.date(PREVIOUS_YEAR, 3, 31)
KEPT = ("nilai_pertanyaan.csv", "ringkasan.json")
STRONGER_SHARE = 0.35  # regulations one step stronger in 2023 (regulasi-turun in 2024)
LOST_SHARE = 1.0  # every "Belum ada" of 2024 was a regulation in 2023 (regulasi-hilang)
MOVED_SHARE = 0.3  # percentages 25-40 points away from 2024 (persen-berubah)
OTHER_CHANGE_SHARE = 0.2  # other answers that differ from 2024


def previous_year(instrument: Instrument, region: Region) -> tuple[Instrument, Region]:
    """The example's instrument and region as they were in 2023 (same questions)."""
    return (
        dataclasses.replace(instrument, tahun=PREVIOUS_YEAR),
        dataclasses.replace(region, tahun=PREVIOUS_YEAR, batas_pengumpulan=PREVIOUS_DEADLINE),
    )


def previous_answers(instrument: Instrument) -> dict[str, Filled]:
    """Every question's 2023 answer: the 2024 example answer, varied, always with data dukung."""
    current = expected_example_answers(instrument, read_example_scores())
    varied = {}
    for question in instrument.questions:
        rng = random.Random(f"{PREVIOUS_SEED}:{question.kode}")
        base = current.get(question.kode)
        if base is None:
            continue
        varied[question.kode] = Filled(
            vary(instrument, question, base.jawaban, rng), base.data_dukung, None
        )
    return varied


def vary(instrument: Instrument, question: Question, answer: object, rng: random.Random) -> object:
    """One question's 2023 answer from its 2024 answer."""
    scale = instrument.scales[question.jenis]
    draw = rng.random()
    if question.jenis == "regulasi":
        labels = list(scale.labels)
        index = labels.index(str(answer))
        if index == len(labels) - 1 and draw < LOST_SHARE:
            return labels[rng.randrange(0, 2)]
        if draw < STRONGER_SHARE and index > 0:
            return labels[index - 1]
        return answer
    if question.jenis == "persen":
        value = float(str(answer))
        if draw < MOVED_SHARE:
            shift = rng.uniform(25, 40)
            moved = value - shift if value - shift >= 0 else value + shift
            return round(min(moved, 100.0), 1)
        return round(min(max(value + rng.uniform(-8, 8), 0.0), 100.0), 1)
    if scale.is_label and draw < OTHER_CHANGE_SHARE:
        return scale.labels[rng.randrange(len(scale.labels))]
    return answer


def run_previous_year(instrument: Instrument, region: Region, work: Path) -> RunOutput:
    """Fill the 2023 templates in `work` and consolidate them into `work`/outputs."""
    old_instrument, old_region = previous_year(instrument, region)
    answers = previous_answers(instrument)
    plans = plan_templates(old_instrument, old_region)
    roles = [plan.role for plan in plans]
    templates = work / "templates"
    write_templates(old_instrument, old_region, templates, now=PREVIOUS_NOW)
    inputs = work / "inputs"
    for plan in plans:
        name = template_filename(plan, old_region)
        own = {q.kode: answers[q.kode] for q in plan.questions if q.kode in answers}
        identity = contact(plan.role, roles, PREVIOUS_NOW)
        fill_template(templates / str(PREVIOUS_YEAR) / name, inputs / name, own, identity)
    outputs = work / "outputs"
    return run(inputs, outputs, old_instrument, old_region, jobs=1, example=True, now=PREVIOUS_NOW)


def write_previous_outputs(instrument: Instrument, region: Region, target: Path) -> list[Path]:
    """Make the 2023 results and copy the kept outputs into `target`."""
    with tempfile.TemporaryDirectory(prefix="kla-contoh-2023-") as work:
        outputs = run_previous_year(instrument, region, Path(work)).report.parent
        target.mkdir(parents=True, exist_ok=True)
        for name in KEPT:
            shutil.copyfile(outputs / name, target / name)
    return [target / name for name in KEPT]


def main() -> list[Path]:
    region = read_region(config.EXAMPLE_REGION_FILE)
    instrument = read_instrument(region.instrumen)
    return write_previous_outputs(instrument, region, config.EXAMPLE_PREVIOUS_DIR)


if __name__ == "__main__":
    for path in main():
        print(f"Ditulis: {path.relative_to(config.PROJECT_DIR)}")
