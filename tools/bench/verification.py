"""Bench case for verification: every office's workbook plus the verifiers' workbooks deciding all
questions of the instrument (one per cluster), filled with openpyxl as verifiers' apps save them.

Not timed here: `make bench` times one consolidate of the folder this writes.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import tempfile
from pathlib import Path
from typing import Any

import openpyxl

from pipeline import config, tables
from pipeline.consolidate import run
from pipeline.instrument import read_instrument
from pipeline.region import read_region
from tools.fill_verification import fill_verification_book, verification_columns

VERIFIERS = ("dr. Maya Puspitasari", "Ir. Joko Widiyanto", "Rina Kartika, S.H.")
REJECTION_REASON = "Tidak ditandatangani"
DECIDED_ON = dt.datetime(2024, 4, 16)
# Mostly accepted, some rejected or queried: what a verification round returns.
DECISION_WEIGHTS: tuple[tuple[str, int], ...] = (
    (tables.DECISION_ACCEPTED, 8),
    (tables.DECISION_REJECTED, 1),
    (tables.DECISION_QUERIED, 1),
)


def write_verification_case(variants: list[Path], work: Path) -> tuple[Path, int]:
    """(inputs folder, questions decided): one workbook per office and the filled verification books."""
    region = read_region(config.EXAMPLE_REGION_FILE)
    instrument = read_instrument(region.instrumen)
    inputs = work / "verifikasi" / "inputs"
    if inputs.exists():
        shutil.rmtree(inputs)
    for variant in (v for v in variants if v.stem.endswith("_0")):  # one version per office
        target = inputs / "opd" / variant.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(variant, target)
    rng = random.Random(20241203)
    decided = 0
    known = {q.kode for q in instrument.questions}
    with tempfile.TemporaryDirectory(dir=work) as outputs:
        run(inputs, Path(outputs), instrument, region, jobs=1)
        for source in sorted((Path(outputs) / config.VERIFICATION_DIR).glob("*.xlsx")):
            codes = [code for code in _codes(source) if code in known]
            book = fill_verification_book(source, {code: _decision(rng) for code in codes})
            target = inputs / "verifikasi" / source.name
            target.parent.mkdir(parents=True, exist_ok=True)
            book.save(target)
            decided += len(codes)
    return inputs, decided


def _codes(source: Path) -> list[str]:
    _, rows = verification_columns(openpyxl.load_workbook(source))
    return sorted(rows)


def _decision(rng: random.Random) -> dict[str, Any]:
    words, weights = zip(*DECISION_WEIGHTS, strict=True)
    decision = rng.choices(words, weights)[0]
    return {
        config.VCOL_DECISION: decision,
        config.VCOL_REASON: REJECTION_REASON if decision != tables.DECISION_ACCEPTED else None,
        config.VCOL_VERIFIER: rng.choice(VERIFIERS),
        config.VCOL_DATE: DECIDED_ON,
    }
