"""Validation of real returned answers: exact issues per cell, accepted answers, statuses."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import tables
from pipeline.ingest.files import read_inputs
from pipeline.instrument import Instrument
from pipeline.region import Region
from pipeline.validate import validate_answers
from tests.builders import edit_isian, returned
from tools.fill import Filled

LINK = "https://drive.example.go.id/x"
MESSY = {
    "I03-P1d": Filled("sebagian  BESAR", LINK),  # case and spaces only: no warning
    "I12-P1": Filled("85 %", LINK),  # percent sign: 85, no warning
    "I12-P2": Filled(0.85, LINK),  # ambiguous percent: warning, kept 0.85
    "I12-P3": Filled(120, LINK),  # out of range: error
    "I12-P4": Filled("12 orang", LINK),  # unit: warning, 12
    "I12-P5": Filled(2.5, LINK),  # not whole: error
    "I12-P6": Filled("Yaa", LINK),  # unknown label: error
    "I12-P7": Filled("Ya", None),  # no data dukung: warning
    "I13-P1": Filled("banyak", LINK),  # not a number: error
    "I13-P2": Filled("12,5", "ada"),  # decimal comma; unclear data dukung: warning
    "I13-P4": Filled("Tidak", "-"),  # placeholder data dukung: no evidence warning
    "I14-P7": Filled("1.234", "SK Kepala Dinas No. 4/2023"),  # thousands dot: warning, 1234
}


def test_messy_answers(
    tmp_path: Path, template_paths: dict[str, Path], instrument: Instrument, region: Region
) -> None:
    path = returned(template_paths["DINKES"], tmp_path / "dinkes.xlsx", MESSY)
    edit_isian(path, lambda sheet: sheet.__setitem__("F19", "=F18*2"))  # I13-P2: formula
    cells = read_inputs(tmp_path, instrument, region, jobs=1).cells
    before = cells.copy()
    answers, issues = validate_answers(cells, instrument)
    pd.testing.assert_frame_equal(cells, before)
    assert list(answers.columns) == list(tables.ANSWERS)
    assert list(issues.columns) == list(tables.ISSUES)
    assert sorted(zip(issues["cell"], issues["code"], strict=True)) == [
        ("F11", "persen-ambigu"),
        ("F12", "nilai-di-luar-rentang"),
        ("F13", "jawaban-dinormalisasi"),
        ("F14", "bukan-bilangan-bulat"),
        ("F15", "label-tidak-dikenal"),
        ("F18", "bukan-angka"),
        ("F19", "rumus-tanpa-nilai"),
        ("F31", "jawaban-dinormalisasi"),
        ("G16", "tanpa-data-dukung"),
        ("G19", "data-dukung-tidak-jelas"),
        ("G21", "tanpa-data-dukung"),
    ]
    by_code = answers.set_index("kode")
    accepted = by_code[by_code["status_jawaban"] == "dijawab"]
    assert accepted["jawaban"].to_dict() == {
        "I03-P1d": "Sebagian besar",
        "I12-P1": "85",
        "I12-P2": "0.85",
        "I12-P4": "12",
        "I12-P7": "Ya",
        "I13-P4": "Tidak",
        "I14-P7": "1234",
    }
    assert accepted["nilai_angka"].dropna().to_dict() == {
        "I12-P1": 85.0,
        "I12-P2": 0.85,
        "I12-P4": 12.0,
        "I14-P7": 1234.0,
    }
    rejected = by_code[by_code["status_jawaban"] == "ditolak"]
    assert sorted(rejected.index) == ["I12-P3", "I12-P5", "I12-P6", "I13-P1", "I13-P2"]
    assert not rejected["diterima"].any() and set(rejected["jawaban"]) == {""}
    assert by_code.loc["I13-P4", "data_dukung_jenis"] == "kosong"
    assert by_code.loc["I12-P1", "data_dukung_jenis"] == "url"
    assert by_code.loc["I14-P1", "status_jawaban"] == "belum dijawab"
    label = issues[issues["code"] == "label-tidak-dikenal"].iloc[0]["message"]
    assert "dinkes.xlsx, Isian!F15 (I12-P6)" in label and "Ya, Tidak" in label


def _cells(values: list[Any], kode: str) -> pd.DataFrame:
    rows = [
        {
            "file": "x.xlsx",
            "sheet": "Isian",
            "row": 10 + i,
            "kode": kode,
            "peran": "DINKES",
            "jawaban_mentah": value,
            "data_dukung_mentah": "",
            "keterangan_mentah": "",
            "jawaban_sel": f"F{10 + i}",
            "data_dukung_sel": f"G{10 + i}",
            "keterangan_sel": f"H{10 + i}",
            "file_sha256": "",
            "disimpan": "",
        }
        for i, value in enumerate(values)
    ]
    return pd.DataFrame(rows, columns=list(tables.CELLS), dtype=object)


VALUES = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["Ya", "ya", "perbup", "Sebagian", "85%", "-3", "1.234,5", "101", "0,5"]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.none(),
)
CODES = {"ya_tidak": "I12-P6", "tingkat": "I03-P1d", "persen": "I12-P1", "jumlah": "I12-P4"}


@settings(max_examples=40, deadline=None)
@given(values=st.lists(VALUES, min_size=1, max_size=8), jenis=st.sampled_from(sorted(CODES)))
def test_never_accepts_what_the_scale_forbids(
    instrument: Instrument, values: list[Any], jenis: str
) -> None:
    scale = instrument.scales[jenis]
    answers, _ = validate_answers(_cells(values, CODES[jenis]), instrument)
    accepted = answers[answers["status_jawaban"] == "dijawab"]
    if scale.is_label:
        assert set(accepted["jawaban"]) <= set(scale.labels)
        return
    for number in accepted["nilai_angka"]:
        assert math.isfinite(number)
        assert scale.minimum is None or number >= scale.minimum
        assert scale.maximum is None or number <= scale.maximum
        assert not scale.whole or number == int(number)
