"""Comparison flags at and around their thresholds; the threshold is data in schemas/."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from pipeline import tables
from pipeline.errors import KlaError
from pipeline.instrument import Instrument
from pipeline.mapping import ComparisonSettings, read_comparison_settings
from pipeline.score.comparison import flags

SETTINGS = ComparisonSettings(20.0, ("terverifikasi", "diterima"))
EVIDENCE = "https://jdih.example.go.id/perbup-12-2023.pdf"


def now_row(
    jenis: str, jawaban: str = "", nilai_angka: float = math.nan, **extra: Any
) -> dict[str, Any]:
    return {
        "jenis": jenis,
        "jawaban": jawaban,
        "nilai_angka": nilai_angka,
        "status": "dijawab" if jawaban else "belum dijawab",
        "ada_data_dukung": True,
        **extra,
    }


def last_row(jawaban: str, **extra: Any) -> dict[str, Any]:
    return {
        "kode_lalu": "Q1",
        "jawaban_lalu": jawaban,
        "data_dukung_lalu": EVIDENCE,
        "status_verifikasi_lalu": tables.PREVIOUS_UNVERIFIED,
        "nilai_lalu": 1.0,
        **extra,
    }


@pytest.mark.parametrize(
    ("then", "now", "expected"),
    [
        (50.0, 70.0, []),  # exactly the threshold: not more than 20 points
        (50.0, 70.01, [tables.FLAG_PERCENT_MOVED]),
        (50.0, 69.99, []),
        (70.0, 49.99, [tables.FLAG_PERCENT_MOVED]),  # a fall counts like a rise
        (70.0, 50.0, []),
        (100.0, 0.0, [tables.FLAG_PERCENT_MOVED]),
    ],
)
def test_percentage_moved_more_than_the_threshold(
    instrument: Instrument, then: float, now: float, expected: list[str]
) -> None:
    found = flags(now_row("persen", f"{now:g}", now), last_row(f"{then:g}"), instrument, SETTINGS)
    assert found == expected


def test_percentage_threshold_is_read_from_schemas(tmp_path: Path, instrument: Instrument) -> None:
    settings = read_comparison_settings()
    assert settings.ambang_persen == 20
    path = tmp_path / "perbandingan.toml"
    path.write_text("ambang_persen = 10\nstatus_diterima = ['terverifikasi']\n", encoding="utf-8")
    ten = read_comparison_settings(path)
    assert flags(now_row("persen", "61", 61.0), last_row("50"), instrument, ten) == [
        tables.FLAG_PERCENT_MOVED
    ]
    path.write_text("ambang_persen = 'dua puluh'\n", encoding="utf-8")
    with pytest.raises(KlaError, match="ambang_persen harus angka"):
        read_comparison_settings(path)


def test_percentage_written_with_a_decimal_comma_last_year(instrument: Instrument) -> None:
    assert flags(now_row("persen", "80", 80.0), last_row("59,5"), instrument, SETTINGS) == [
        tables.FLAG_PERCENT_MOVED
    ]


@pytest.mark.parametrize(
    ("then", "now", "expected"),
    [
        ("Perda", "Perda", []),
        ("Perda", "Perbup/Perwal", [tables.FLAG_REGULATION_DOWN]),  # one step down
        ("Perbup/Perwal", "Perda", []),  # better is not flagged
        ("Rancangan", "Belum ada", [tables.FLAG_REGULATION_LOST]),  # the weakest still counts
        ("Perda", "Belum ada", [tables.FLAG_REGULATION_LOST]),
        ("Perda", "", [tables.FLAG_REGULATION_LOST]),  # not answered this year
        ("Belum ada", "Belum ada", []),
        ("Belum ada", "", []),
        ("perbup / perwal", "SK/SE/Instruksi", [tables.FLAG_REGULATION_DOWN]),  # label as typed
    ],
)
def test_regulation_lost_or_downgraded(
    instrument: Instrument, then: str, now: str, expected: list[str]
) -> None:
    assert flags(now_row("regulasi", now), last_row(then), instrument, SETTINGS) == expected


@pytest.mark.parametrize(
    ("status_then", "evidence_now", "expected"),
    [
        ("terverifikasi", False, [tables.FLAG_EVIDENCE_LOST]),
        ("diterima", False, [tables.FLAG_EVIDENCE_LOST]),  # a verifier's status (issue #14)
        ("terverifikasi", True, []),
        ("belum terverifikasi", False, []),
        ("ditolak", False, []),
    ],
)
def test_evidence_accepted_last_year_and_missing_now(
    instrument: Instrument, status_then: str, evidence_now: bool, expected: list[str]
) -> None:
    now = now_row("ya_tidak", "Tidak", ada_data_dukung=evidence_now)
    last = last_row("Ya", status_verifikasi_lalu=status_then)
    assert flags(now, last, instrument, SETTINGS) == expected


@pytest.mark.parametrize(
    ("then", "now", "evidence_then", "evidence_now", "expected"),
    [
        ("Ya", "Ya", EVIDENCE, False, [tables.FLAG_SAME_ANSWER_NO_EVIDENCE]),
        ("Ya", " ya ", EVIDENCE, False, [tables.FLAG_SAME_ANSWER_NO_EVIDENCE]),
        ("Ya", "Ya", EVIDENCE, True, []),
        ("Ya", "Tidak", EVIDENCE, False, []),  # answer changed: not this flag
        ("Ya", "Ya", "", False, []),  # no evidence last year either
        ("Ya", "", EVIDENCE, False, []),  # not answered now
    ],
)
def test_answer_unchanged_but_evidence_gone(
    instrument: Instrument,
    then: str,
    now: str,
    evidence_then: str,
    evidence_now: bool,
    expected: list[str],
) -> None:
    current = now_row("ya_tidak", now, ada_data_dukung=evidence_now)
    last = last_row(then, data_dukung_lalu=evidence_then)
    assert flags(current, last, instrument, SETTINGS) == expected


def test_question_without_counterpart_has_no_flags(instrument: Instrument) -> None:
    last = last_row("", kode_lalu="", nilai_lalu=math.nan)
    assert (
        flags(now_row("regulasi", "Belum ada", ada_data_dukung=False), last, instrument, SETTINGS)
        == []
    )
