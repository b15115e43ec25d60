"""The example's kecamatan workbooks: deterministic answers, and the trouble planted in them.

One kecamatan never sends, one leaves desa rows blank, one adds a desa that is not in the master
list, one types an answer that is neither Ya nor Tidak. expected_kd_points() counts the plan
without the pipeline's roll-up, for the end-to-end test.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.workbook.workbook import Workbook

from pipeline import config
from pipeline.instrument import Instrument
from pipeline.region import Region
from pipeline.templates.kecamatan import HEADER_ROW, kecamatan_filename
from pipeline.units import Unit
from tools.example.answers import answer_fraction

FOLDER = "kecamatan"
NOT_SENT = "99.01.07"  # Karang Anyar: never sent
BLANK_ROWS = "99.01.03"  # Tanjung Sari: its last three desa rows left blank, one row half done
ADDED_DESA = "99.01.05"  # Sindang Laut: a new hamlet typed in at the bottom, not in the list
ADDED_ROW = ("99.01.05.2012", "Cibeureum Girang (pemekaran)")
TYPO = ("99.01.09", "99.01.09.2003", "I26-P4", "Yaa")  # Cikaret: neither Ya nor Tidak
BLANK_COUNT = 3
HALF_DONE = 5  # of the desa questions, only the first five answered on one row
BASE_SAVED = dt.datetime(2024, 3, 20, 9, 0, tzinfo=dt.UTC)
STAFF = ("Dedi Kurniawan", "Siti Aminah", "Agus Salim", "Rina Wulandari", "Yusuf Hidayat")


@dataclass(frozen=True)
class UnitAnswer:
    """What a kecamatan typed for one unit and question; jawaban "" leaves the cell empty."""

    jawaban: str
    data_dukung: str


def _draw(*parts: str) -> float:
    """A stable number in [0, 1) from text (the example must not change between runs)."""
    digest = hashlib.sha256("|".join(parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") / 2**32


def _likely(kode: str) -> float:
    """How often a unit meets a criterion, varied by question so the bands differ."""
    return 0.35 + 0.6 * _draw("rate", kode)


def planned_answers(instrument: Instrument, region: Region) -> dict[tuple[str, str], UnitAnswer]:
    """(unit code, question code) -> what its kecamatan typed, for the kecamatan that sent."""
    assert region.units is not None
    plan: dict[tuple[str, str], UnitAnswer] = {}
    for kecamatan in region.units.kecamatan:
        if kecamatan.kode == NOT_SENT:
            continue
        desa = region.units.desa_of(kecamatan.kode)
        for question in instrument.unit_questions:
            units = [kecamatan] if question.tingkat == "kecamatan" else list(desa)
            for position, unit in enumerate(units):
                plan[(unit.kode, question.kode)] = _answer(
                    unit, question.kode, position, len(units)
                )
    return plan


def _answer(unit: Unit, kode: str, position: int, count: int) -> UnitAnswer:
    blank = unit.kode_kecamatan == BLANK_ROWS and unit.jenis != "kecamatan"
    if blank and position >= count - BLANK_COUNT:
        return UnitAnswer("", "")
    evidence = "" if _draw("bukti", unit.kode) < 0.15 else f"SK {unit.nama} No. 12/2024"
    if unit.jenis == "kecamatan":
        evidence = (
            "" if _draw("bukti", unit.kode, kode) < 0.2 else f"https://kec.example.go.id/{kode}"
        )
    met = _draw(unit.kode, kode) < _likely(kode)
    return UnitAnswer("Ya" if met else "Tidak", evidence)


def counted(
    plan: dict[tuple[str, str], UnitAnswer], instrument: Instrument, region: Region
) -> dict[str, tuple[int, int, int]]:
    """Per computed question: (units Ya, Ya with data dukung, all units), as the roll-up should."""
    assert region.units is not None
    half_done = _half_done_desa(instrument, region)
    desa_codes = [q.kode for q in instrument.unit_questions if q.tingkat == "desa"]
    result = {}
    for question in instrument.unit_questions:
        level = region.units.kecamatan if question.tingkat == "kecamatan" else region.units.desa
        ya = verified = 0
        for unit in level:
            answer = plan.get((unit.kode, question.kode), UnitAnswer("", ""))
            if unit.kode == half_done and question.kode in desa_codes[HALF_DONE:]:
                continue  # left blank
            if (unit.kode_kecamatan, unit.kode, question.kode) == TYPO[:3]:
                continue  # "Yaa" is not counted
            if answer.jawaban == "Ya":
                ya += 1
                verified += bool(answer.data_dukung)
        result[question.kode] = (ya, verified, len(level))
    return result


def expected_kd_points(instrument: Instrument, region: Region) -> tuple[float, float]:
    """(mandiri, terverifikasi) points of the computed questions in the example."""
    mandiri = verified_points = 0.0
    for kode, (ya, verified, total) in counted(
        planned_answers(instrument, region), instrument, region
    ).items():
        question = instrument.question(kode)
        mandiri += question.nilai_maks * answer_fraction(instrument, question, 100 * ya / total)
        verified_points += question.nilai_maks * answer_fraction(
            instrument, question, 100 * verified / total
        )
    return mandiri, verified_points


def _half_done_desa(instrument: Instrument, region: Region) -> str:
    assert region.units is not None
    desa = region.units.desa_of(BLANK_ROWS)
    return desa[len(desa) - BLANK_COUNT - 1].kode


def kecamatan_books(
    instrument: Instrument, region: Region, template_dir: Path
) -> list[tuple[str, Workbook, dt.datetime]]:
    """(path under inputs/, filled workbook, its saved time) for every kecamatan that sent."""
    assert region.units is not None
    plan = planned_answers(instrument, region)
    half_done = _half_done_desa(instrument, region)
    books = []
    for number, kecamatan in enumerate(region.units.kecamatan):
        if kecamatan.kode == NOT_SENT:
            continue
        name = kecamatan_filename(kecamatan, region)
        book = openpyxl.load_workbook(template_dir / config.KECAMATAN_DIR / name)
        _fill_identity(book, number)
        _fill_kecamatan(book, kecamatan, instrument, plan)
        _fill_desa(book, kecamatan, instrument, region, plan, half_done)
        saved = BASE_SAVED + dt.timedelta(hours=5 * number)
        books.append((f"{FOLDER}/{name}", book, saved))
    return books


def _fill_identity(book: Workbook, number: int) -> None:
    sheet = book[config.SHEET_IDENTITY]
    values = {
        config.ID_CONTACT_NAME: f"{STAFF[number % len(STAFF)]}",
        config.ID_CONTACT_TITLE: "Kasi Kesejahteraan Sosial",
        config.ID_CONTACT_PHONE: f"0813-2000-{1000 + number:04d}",
        config.ID_CONTACT_EMAIL: "",
        config.ID_FILLED_DATE: "",
    }
    for row in sheet.iter_rows(min_col=1, max_col=2):
        label = str(row[0].value or "")
        if values.get(label):
            row[1].value = values[label]


def _fill_kecamatan(
    book: Workbook, kecamatan: Unit, instrument: Instrument, plan: dict[tuple[str, str], UnitAnswer]
) -> None:
    sheet = book[config.SHEET_KECAMATAN]
    for row in range(HEADER_ROW + 2, sheet.max_row + 1):
        kode = sheet.cell(row, 2).value
        answer = plan.get((kecamatan.kode, str(kode)))
        if answer and answer.jawaban:
            sheet.cell(row, 4).value = answer.jawaban
            sheet.cell(row, 5).value = answer.data_dukung or None


def _fill_desa(
    book: Workbook,
    kecamatan: Unit,
    instrument: Instrument,
    region: Region,
    plan: dict[tuple[str, str], UnitAnswer],
    half_done: str,
) -> None:
    sheet = book[config.SHEET_DESA]
    headers = [c.value for c in sheet[HEADER_ROW + 1]]
    codes = [q.kode for q in instrument.unit_questions if q.tingkat == "desa"]
    column = {str(h).split(" ", 1)[0]: i + 1 for i, h in enumerate(headers) if h}
    evidence_col = headers.index(config.COL_EVIDENCE) + 1
    last = HEADER_ROW + 1
    for row in range(HEADER_ROW + 2, sheet.max_row + 1):
        unit = str(sheet.cell(row, 2).value or "")
        if not unit:
            continue
        last = row
        evidence = ""
        for position, kode in enumerate(codes):
            answer = plan.get((unit, kode))
            if answer is None or not answer.jawaban:
                continue
            if unit == half_done and position >= HALF_DONE:
                continue
            typed = TYPO[3] if (kecamatan.kode, unit, kode) == TYPO[:3] else answer.jawaban
            sheet.cell(row, column[kode]).value = typed
            evidence = answer.data_dukung
        if evidence:
            sheet.cell(row, evidence_col).value = evidence
    if kecamatan.kode == ADDED_DESA:
        sheet.protection.sheet = False
        added = last + 1
        sheet.cell(added, 1).value = added - HEADER_ROW - 1
        sheet.cell(added, 2).value, sheet.cell(added, 3).value = ADDED_ROW
        sheet.cell(added, 4).value = "desa"
        for kode in codes:
            sheet.cell(added, column[kode]).value = "Ya"
