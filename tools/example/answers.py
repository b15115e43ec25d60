"""The bundled example's clean answers: a real district's self-assessed points mapped to answers.

Pure functions except read_example_scores. Every question gets its own seeded random generator
(seed text `EXAMPLE_SEED:kode`), so answers are deterministic and adding a question to the
instrument does not change the answers of the others.
"""

from __future__ import annotations

import csv
import math
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline import config
from pipeline.errors import KlaError
from pipeline.instrument import Instrument, NumberRule, Question, Scale
from tools.fill import Filled

EXAMPLE_SEED = "kla-contoh-2024"
DOMAIN = "sukamajuraya.example.go.id"
DRIVE = f"https://drive.{DOMAIN}/kla2024"
JDIH = f"https://jdih.{DOMAIN}/dokumen"
URL_SHARE = 0.75  # the rest of the evidence is a reference in words
WHOLE_SPAN = 40  # widest range drawn for a count (jumlah) inside its band
PERSEN_FLOOR = 2.0  # persen values are drawn above 1 so none is read as an ambiguous fraction
UNBOUNDED = math.inf
REFERENCES = {
    "regulasi": (
        "Perbup No. {n}/2023 tentang {topic}, arsip Bagian Hukum",
        "SK Bupati No. 188.45/{n}/2023, arsip Bagian Hukum",
    ),
    "other": (
        "Laporan tahunan {role} 2023 ({topic}), arsip Subbag Program",
        "Notulen rapat Gugus Tugas KLA tanggal {day} Februari 2024, arsip {role}",
        "SK Kepala {role} No. 400/{n}/2023, arsip Sekretariat {role}",
    ),
}
NOTES = (
    "Data tahun 2023",
    "Sumber: profil {role} 2023",
    "Sedang diperbarui; data final menyusul",
)
NOTE_SHARE = 0.15


@dataclass(frozen=True)
class Band:
    """Numbers from low to high (both inclusive unless marked open) that earn `fraction`."""

    fraction: float
    low: float
    high: float
    low_open: bool = False
    high_open: bool = False


def read_example_scores(path: Path = config.EXAMPLE_SCORES_FILE) -> dict[str, float]:
    """The example's self-assessed points by question code (columns kode, nilai_contoh)."""
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except FileNotFoundError:
        raise KlaError(f"Berkas nilai contoh tidak ditemukan: {path}") from None
    scores = {}
    for line, row in enumerate(rows, start=2):
        try:
            scores[row["kode"].strip()] = float(row["nilai_contoh"].replace(",", "."))
        except (KeyError, AttributeError, ValueError):
            raise KlaError(
                f"{path} baris {line}: perlu kolom kode dan nilai_contoh (angka)."
            ) from None
    return scores


def number_fraction(rule: NumberRule, value: float) -> float:
    """The fraction a number earns under a threshold rule (first step met wins, else 0)."""
    for limit, fraction in rule.steps:
        if (value >= limit) if rule.comparison == ">=" else (value <= limit):
            return fraction
    return 0.0


def answer_fraction(instrument: Instrument, question: Question, answer: Any) -> float:
    """The fraction of its points a clean answer (scale label or number) earns; 0 when empty."""
    if answer is None or answer == "":
        return 0.0
    scale = instrument.scales[question.jenis]
    if scale.is_label:
        return instrument.scoring.label_fractions[question.jenis].get(str(answer), 0.0)
    rule = instrument.scoring.number_rules[(question.jenis, question.arah)]
    return number_fraction(rule, float(answer))


def nearest_label(fractions: Mapping[str, float], target: float) -> str:
    """The label whose fraction is nearest to target; a tie goes to the higher fraction."""
    return min(fractions, key=lambda label: (abs(fractions[label] - target), -fractions[label]))


def number_bands(rule: NumberRule, scale: Scale) -> list[Band]:
    """The ranges of numbers inside the scale that earn each fraction of the rule."""
    low = scale.minimum if scale.minimum is not None else 0.0
    high = scale.maximum if scale.maximum is not None else UNBOUNDED
    bands: list[Band] = []
    if rule.comparison == ">=":
        upper, upper_open = high, False
        for limit, fraction in sorted(rule.steps, key=lambda s: -s[0]):
            if limit <= upper:
                bands.append(Band(fraction, max(limit, low), upper, high_open=upper_open))
                upper, upper_open = limit, True
        if low < upper:
            bands.append(Band(0.0, low, upper, high_open=True))
    else:
        lower, lower_open = low, False
        for limit, fraction in sorted(rule.steps, key=lambda s: s[0]):
            if limit >= lower:
                bands.append(Band(fraction, lower, min(limit, high), low_open=lower_open))
                lower, lower_open = limit, True
        if lower < high:
            bands.append(Band(0.0, lower, high, low_open=True))
    return bands


def draw_number(band: Band, scale: Scale, rng: random.Random) -> float | int:
    """A realistic number inside the band: a count for whole scales, one decimal for percent."""
    if scale.whole:
        first = math.floor(band.low) + (1 if band.low_open else 0)
        last = min(band.high, first + WHOLE_SPAN)
        top = math.ceil(last) - 1 if band.high_open else math.floor(last)
        return rng.randint(first, max(first, top))
    low, high = max(band.low, PERSEN_FLOOR), band.high
    if low >= high:  # a band under the floor, e.g. exactly 0
        return band.low
    margin = 0.1
    value = round(rng.uniform(low + margin, high - margin), 1)
    return int(value) if rng.random() < 0.4 and int(value) > low else value


def number_answer(
    instrument: Instrument, question: Question, target: float, rng: random.Random
) -> float | int:
    """A number whose fraction is the achievable one nearest to target."""
    scale = instrument.scales[question.jenis]
    rule = instrument.scoring.number_rules[(question.jenis, question.arah)]
    bands = number_bands(rule, scale)
    band = min(bands, key=lambda b: (abs(b.fraction - target), -b.fraction))
    value = draw_number(band, scale, rng)
    if number_fraction(rule, float(value)) != band.fraction:  # guard against edge rounding
        raise ValueError(f"{question.kode}: {value} tidak memberi bagian {band.fraction}")
    return value


def evidence(question: Question, rng: random.Random) -> str:
    """Data Dukung as an office writes it: mostly a link, sometimes a document reference."""
    role = question.opd_utama
    topic = _topic(question.pertanyaan)
    number = rng.randint(11, 240)
    if rng.random() < URL_SHARE:
        slug = re.sub(r"[^a-z0-9]+", "-", topic.lower()).strip("-")[:48].rstrip("-")
        if question.jenis == "regulasi":
            return f"{JDIH}/perbup-{number}-2023-{slug}.pdf"
        return f"{DRIVE}/{role.lower()}/{question.kode.lower()}-{slug}.pdf"
    pool = REFERENCES["regulasi" if question.jenis == "regulasi" else "other"]
    template = pool[rng.randrange(len(pool))]
    return template.format(n=number, topic=topic, role=role, day=rng.randint(5, 26))


def _topic(text: str) -> str:
    """The first words of a question, without parentheses, as a document title."""
    plain = re.sub(r"\([^)]*\)", "", text)
    words = re.sub(r"[^\w\s/-]", "", plain).split()
    return " ".join(words[:7])


def clean_answer(
    instrument: Instrument, question: Question, points: float, rng: random.Random
) -> Filled:
    """The answer a careful office gives for a question the real district scored `points` on."""
    target = points / question.nilai_maks if question.nilai_maks else 0.0
    scale = instrument.scales[question.jenis]
    jawaban: Any
    if scale.is_label:
        jawaban = nearest_label(instrument.scoring.label_fractions[question.jenis], target)
    else:
        jawaban = number_answer(instrument, question, target, rng)
    data_dukung = evidence(question, rng)
    note = None
    if rng.random() < NOTE_SHARE:
        note = NOTES[rng.randrange(len(NOTES))].format(role=question.opd_utama)
    return Filled(jawaban, data_dukung, note)


def expected_example_answers(
    instrument: Instrument, scores: Mapping[str, float]
) -> dict[str, Filled]:
    """The clean intended answer of every question with an example score, by question code."""
    return {
        q.kode: clean_answer(
            instrument, q, scores[q.kode], random.Random(f"{EXAMPLE_SEED}:{q.kode}")
        )
        for q in instrument.questions
        if q.kode in scores
    }


def has_evidence(value: Any, no_evidence: tuple[str, ...]) -> bool:
    """True when a Data Dukung value is neither empty nor a placeholder like '-'."""
    text = " ".join(str(value or "").split()).casefold()
    return bool(text) and text not in no_evidence


def expected_totals(instrument: Instrument, answers: Mapping[str, Filled]) -> tuple[float, float]:
    """(self-assessed, verified) totals of clean answers, computed without the scoring stage."""
    mandiri = verified = 0.0
    for question in instrument.questions:
        filled = answers.get(question.kode)
        if filled is None:
            continue
        points = question.nilai_maks * answer_fraction(instrument, question, filled.jawaban)
        mandiri += points
        if has_evidence(filled.data_dukung, instrument.scoring.no_evidence):
            verified += points
    return mandiri, verified
