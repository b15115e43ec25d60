"""The bundled example's returned verification workbook: the Klaster III sub-gugus, round 1.

A realistic mix: most answers accepted, two corrected (one up, one down), two rejected, one queried,
one rejection missing its Alasan (reported, not used), the rest still pending.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl.workbook.workbook import Workbook

from pipeline import config, tables
from pipeline.consolidate import run
from pipeline.instrument import Instrument
from pipeline.region import Region
from pipeline.templates.verification import verification_filename
from tools.example.answers import answer_fraction
from tools.fill import Filled
from tools.fill_verification import fill_verification_book

CLUSTER = "K3"
VERIFICATION_FILE = "email/Verifikasi Klaster III - hasil tim verifikator.xlsx"
SAVED = dt.datetime(2024, 4, 17, 8, 40)  # UTC; after every office's file
FIRST, SECOND = "dr. Maya Puspitasari", "Ir. Joko Widiyanto"
DAY_ONE, DAY_TWO = dt.date(2024, 4, 16), dt.date(2024, 4, 17)


@dataclass(frozen=True)
class Decision:
    """One row the verifiers filled in."""

    kode: str
    keputusan: str
    koreksi: str | float | None = None
    alasan: str = ""
    catatan: str = ""
    verifikator: str = FIRST
    tanggal: dt.date = DAY_ONE


A, C, R, Q = (
    tables.DECISION_ACCEPTED,
    tables.DECISION_CORRECTED,
    tables.DECISION_REJECTED,
    tables.DECISION_QUERIED,
)
DECISIONS: tuple[Decision, ...] = (
    Decision("I12-P1", A),
    Decision(
        "I12-P2",
        R,
        alasan="Tidak ditandatangani",
        catatan="SK Kepala Dinas No. 400/160/2023 yang dilampirkan belum bertanda tangan.",
    ),
    Decision("I12-P3", A),
    Decision("I12-P5", A),
    Decision("I12-P6", A),
    Decision("I12-P7", A),
    Decision("I13-P1", A),
    Decision("I13-P2", A),
    Decision("I13-P3", A),
    Decision(
        "I13-P4",
        Q,
        alasan="Data dukung tidak dapat dibuka",
        catatan="Tautan Google Drive meminta izin akses; buka untuk umum.",
    ),
    Decision("I13-P5", A),
    Decision("I13-P6", A),
    Decision(
        "I14-P1",
        C,
        koreksi=92,
        alasan="Angka tidak konsisten",
        catatan="Laporan cakupan ASI eksklusif 2023 mencatat 92 %, bukan 77 %.",
        verifikator=SECOND,
        tanggal=DAY_TWO,
    ),
    Decision(
        "I14-P2",
        R,
        alasan="Bukan periode penilaian",
        catatan="SK yang dilampirkan tahun 2021; lampirkan dokumen tahun 2023.",
        verifikator=SECOND,
        tanggal=DAY_TWO,
    ),
    Decision("I14-P3", A, verifikator=SECOND, tanggal=DAY_TWO),
    Decision("I14-P4", A, verifikator=SECOND, tanggal=DAY_TWO),
    Decision("I14-P5", R, verifikator=SECOND, tanggal=DAY_TWO),  # no Alasan: alasan-kosong
    Decision(
        "I15-P1",
        C,
        koreksi=85,
        alasan="Angka tidak konsisten",
        catatan="Profil Kesehatan 2023: 85 % puskesmas ramah anak, bukan 99 %.",
        verifikator=SECOND,
        tanggal=DAY_TWO,
    ),
    Decision("I15-P2", A, verifikator=SECOND, tanggal=DAY_TWO),
)
# Planted trouble: (question, issue code) expected for the verification file.
VERIFICATION_TROUBLES = (("I14-P5", "alasan-kosong"),)


def decision_values(decision: Decision) -> dict[str, Any]:
    """The input cells of one row, by header."""
    return {
        config.VCOL_DECISION: decision.keputusan,
        config.VCOL_CORRECTION: decision.koreksi,
        config.VCOL_REASON: decision.alasan or None,
        config.VCOL_NOTE: decision.catatan or None,
        config.VCOL_VERIFIER: decision.verifikator,
        config.VCOL_DATE: dt.datetime.combine(decision.tanggal, dt.time()),
    }


def used_decisions() -> dict[str, Decision]:
    """The decisions the consolidation should apply: every complete one, by question code."""
    troubled = {kode for kode, _ in VERIFICATION_TROUBLES}
    return {d.kode: d for d in DECISIONS if d.kode not in troubled}


def expected_verified_total(
    instrument: Instrument, answers: Mapping[str, Filled], has_evidence: Mapping[str, bool]
) -> float:
    """The verified total from first principles: each decision's rule, else the evidence rule."""
    decided = used_decisions()
    total = 0.0
    for question in instrument.questions:
        filled = answers.get(question.kode)
        if filled is None:
            continue
        points = question.nilai_maks * answer_fraction(instrument, question, filled.jawaban)
        decision = decided.get(question.kode)
        if decision is None:
            total += points if has_evidence[question.kode] else 0.0
        elif decision.keputusan == A:
            total += points
        elif decision.keputusan == C:
            total += question.nilai_maks * answer_fraction(instrument, question, decision.koreksi)
    return total


def filled_verification_book(instrument: Instrument, region: Region, inputs: Path) -> Workbook:
    """Consolidate the example inputs, take the cluster's round-1 workbook and fill it in."""
    with tempfile.TemporaryDirectory(prefix="kla-verifikasi-") as work:
        run(inputs, Path(work), instrument, region, jobs=1)
        source = Path(work) / config.VERIFICATION_DIR / verification_filename(region, CLUSTER)
        book = fill_verification_book(source, {d.kode: decision_values(d) for d in DECISIONS})
    book.properties.lastModifiedBy = FIRST
    return book
