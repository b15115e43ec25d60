"""The normaliser reads answers as people type them, and never accepts what the scale forbids."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.answers import classify_evidence, clean_text, normalise_answer
from pipeline.instrument import Instrument


@pytest.mark.parametrize(
    ("jenis", "typed", "expected", "changed"),
    [
        ("ya_tidak", "Ya", "Ya", False),
        ("ya_tidak", "  Ya\u00a0", "Ya", False),
        ("ya_tidak", "ya", "Ya", False),  # case only: no warning
        ("ya_tidak", "YA ", "Ya", False),
        ("ya_tidak", "Y", "Ya", True),
        ("ya_tidak", "iya", "Ya", True),
        ("ya_tidak", "tidak", "Tidak", False),
        ("ya_tidak", "tdk", "Tidak", True),
        ("ya_tidak", "T", "Tidak", True),
        ("regulasi", "Perbup", "Perbup/Perwal", True),
        ("regulasi", "perwal", "Perbup/Perwal", True),
        ("regulasi", "Perkada", "Perbup/Perwal", True),
        ("regulasi", "perbup / perwal", "Perbup/Perwal", False),
        ("regulasi", "tidak ada", "Belum ada", True),
        ("tingkat", "tidak ada", "Tidak ada", False),
        ("tingkat", "SEBAGIAN  BESAR", "Sebagian besar", False),
    ],
)
def test_label_variants(
    instrument: Instrument, jenis: str, typed: str, expected: str, changed: bool
) -> None:
    result = normalise_answer(typed, instrument.scales[jenis])
    assert (result.jawaban, result.problem, result.changed) == (expected, "", changed)


@pytest.mark.parametrize(
    ("jenis", "typed", "number", "changed", "ambiguous", "problem"),
    [
        ("persen", 85, 85.0, False, False, ""),
        ("persen", "85", 85.0, False, False, ""),
        ("persen", "12,5", 12.5, False, False, ""),
        ("persen", "12.5", 12.5, False, False, ""),  # the Petunjuk allows 12.5 too
        ("persen", "85%", 85.0, False, False, ""),  # as the template asks
        ("persen", "85 %", 85.0, False, False, ""),
        ("persen", "0,5%", 0.5, False, False, ""),
        ("persen", 0.85, 0.85, False, True, ""),
        ("persen", "0,85", 0.85, False, True, ""),
        ("persen", 1, 1.0, False, True, ""),
        ("persen", 0, 0.0, False, False, ""),
        ("jumlah", "1.234", 1234.0, True, False, ""),
        ("jumlah", "1 234", 1234.0, True, False, ""),
        ("jumlah", "1.234,5", 1234.5, True, False, ""),
        ("jumlah", "12 orang", 12.0, True, False, ""),
        ("jumlah", 12.0, 12.0, False, False, ""),
        ("jumlah", "dua belas", None, False, False, "bukan-angka"),
        ("jumlah", True, None, False, False, "bukan-angka"),
        ("jumlah", dt.date(2024, 1, 2), None, False, False, "bukan-angka"),
        ("jumlah", "=SUM(A1:A3)", None, False, False, "rumus-tanpa-nilai"),
    ],
)
def test_number_forms(
    instrument: Instrument,
    jenis: str,
    typed: Any,
    number: float | None,
    changed: bool,
    ambiguous: bool,
    problem: str,
) -> None:
    result = normalise_answer(typed, instrument.scales[jenis])
    assert (result.nilai, result.changed, result.ambiguous, result.problem) == (
        number,
        changed,
        ambiguous,
        problem,
    )


@pytest.mark.parametrize(
    ("typed", "kind", "clear"),
    [
        ("https://drive.example.go.id/sk.pdf", "url", True),
        ("lihat http://x.example/a", "url", True),
        ("SK Bupati No. 12/2023, arsip Bagian Hukum", "referensi", True),
        ("Laporan_2023.pdf", "referensi", True),
        ("ada", "referensi", False),
        ("-", "kosong", True),
        ("Tidak ada", "kosong", True),
        (0, "kosong", True),
        ("", "kosong", True),
    ],
)
def test_evidence(instrument: Instrument, typed: Any, kind: str, clear: bool) -> None:
    _, found_kind, found_clear = classify_evidence(typed, instrument.scoring.no_evidence)
    assert (found_kind, found_clear) == (kind, clear)


VALUES = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["ya", "Tidak ", "perbup", "85%", "1.234,5", "12 orang", "0,5", "-3", "1e9"]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.booleans(),
    st.none(),
    st.dates(),
)


@settings(max_examples=300, deadline=None)
@given(value=VALUES, jenis=st.sampled_from(["ya_tidak", "regulasi", "tingkat", "persen", "jumlah"]))
def test_normaliser_never_raises_and_labels_stay_in_scale(
    instrument: Instrument, value: Any, jenis: str
) -> None:
    scale = instrument.scales[jenis]
    result = normalise_answer(value, scale)
    if scale.is_label and result.jawaban and not result.problem:
        # A scale label, or the text passed through untouched for validate to reject as no label.
        assert result.jawaban in scale.labels or (
            not result.changed and result.jawaban == clean_text(value)
        )
    if not scale.is_label and result.nilai is not None:
        assert math.isfinite(result.nilai)
        assert not result.problem


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Tidak ada.", "kosong"),
        ("tdk ada", "kosong"),
        ("tidak ada data dukung", "kosong"),
        ("Belum ada data", "kosong"),
        ("belum tersedia", "kosong"),
        ("Nihil.", "kosong"),
        ("N / A", "kosong"),
        ("- -", "kosong"),
        ("—", "kosong"),
        ("SK Bupati No. 12/2023, arsip Bagian Hukum", "referensi"),
        ("Ada di arsip Dinas", "referensi"),
        ("https://jdih.example.go.id/perda-3-2022.pdf", "url"),
    ],
)
def test_placeholder_variants_are_not_evidence(
    text: str, kind: str, instrument: Instrument
) -> None:
    assert classify_evidence(text, instrument.scoring.no_evidence)[1] == kind
