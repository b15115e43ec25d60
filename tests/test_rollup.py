"""The KD roll-up, hand-worked: exact band edges, a kecamatan that never sent, blank cells,
a desa added by hand, Ya without data dukung.

The small region: kecamatan A (99.01.01, 4 desa), B (99.01.02, 5 desa), C (99.01.03, 1 desa,
never sent): 3 kecamatan, 10 desa. Persen bands (schemas/kla-2024.toml): >= 90 -> 1,
>= 75 -> 0.75, >= 50 -> 0.5, >= 25 -> 0.25.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

from pipeline import tables
from pipeline.instrument import Instrument
from pipeline.merge import merge_answers
from pipeline.messages import issues_frame
from pipeline.region import Region
from pipeline.score.results import score_results
from pipeline.score.rollup import band, next_band, roll_up
from pipeline.units import build_master_list

A, B, C = "99.01.01", "99.01.02", "99.01.03"
DESA = {A: 4, B: 5, C: 1}


@pytest.fixture(scope="module")
def small(region: Region) -> Region:
    rows = []
    for kecamatan, count in DESA.items():
        rows.append(
            (len(rows) + 2, {"kode": kecamatan, "nama": f"Kec {kecamatan[-1]}", "jenis": ""})
        )
        for number in range(1, count + 1):
            code = f"{kecamatan}.{2000 + number}"
            rows.append((len(rows) + 2, {"kode": code, "nama": f"Desa {code}", "jenis": ""}))
    units = build_master_list(Path("kecil.csv"), rows, region.kode)
    return dataclasses.replace(region, units=units)


def _unit(
    kecamatan: str, unit: str, kode: str, jawaban: str, bukti: str = "SK"
) -> dict[str, object]:
    level = "kecamatan" if unit == kecamatan else "desa"
    return {
        "file": f"kec_{kecamatan}.xlsx",
        "sheet": "Kecamatan" if level == "kecamatan" else "Desa",
        "row": 5,
        "tingkat": level,
        "kode_wilayah": unit,
        "kode_kecamatan": kecamatan,
        "kode": kode,
        "jawaban": jawaban,
        "data_dukung": bukti,
        "keterangan": "",
        "jawaban_sel": "E5",
        "file_sha256": "x",
    }


def _answers() -> pd.DataFrame:
    rows = []
    # I26-P4 (4 points): A 4 Ya, B 5 Ya -> 9 of 10 = exactly 90 %. Two Ya without data dukung
    # (one empty, one "-") -> verified 7 of 10 = 70 %.
    for n in range(1, 5):
        rows.append(_unit(A, f"{A}.{2000 + n}", "I26-P4", "Ya", "" if n == 1 else "SK"))
    for n in range(1, 6):
        rows.append(_unit(B, f"{B}.{2000 + n}", "I26-P4", "Ya", "-" if n == 2 else "SK"))
    # A desa added by hand in B answers Ya: not in the master list, never counted.
    rows.append(_unit(B, f"{B}.2099", "I26-P4", "Ya"))
    rows.append(_unit(B, f"{B}.2099", "I26-P2", "Ya"))
    # I26-P2 (6 points): A: 2 Ya, 1 Tidak, 1 blank; B: 5 Tidak; C not sent -> 2 of 10 = 20 %.
    for n, answer in zip(range(1, 5), ("Ya", "Ya", "Tidak", ""), strict=True):
        rows.append(_unit(A, f"{A}.{2000 + n}", "I26-P2", answer))
    rows += [_unit(B, f"{B}.{2000 + n}", "I26-P2", "Tidak") for n in range(1, 6)]
    # I25-P4 (kecamatan, 4 points): A Ya with data dukung, B Ya without, C not sent -> 2 of 3.
    rows += [_unit(A, A, "I25-P4", "Ya"), _unit(B, B, "I25-P4", "Ya", "")]
    return pd.DataFrame(rows, columns=list(tables.UNIT_ANSWERS))


def _files() -> pd.DataFrame:
    rows = []
    for kecamatan in (A, B):
        row = dict.fromkeys(tables.FILES, "")
        row |= {
            "file": f"kec_{kecamatan}.xlsx",
            "status": tables.FILE_USED,
            "peran": f"KEC-{kecamatan}",
            "nama_opd": f"Kecamatan {kecamatan}",
            "ukuran": 1,
            "narahubung_nama": "Camat " + kecamatan[-1],
        }
        rows.append(row)
    return pd.DataFrame(rows, columns=list(tables.FILES))


@pytest.fixture(scope="module")
def kd(instrument: Instrument, small: Region) -> tables.KdResults:
    result = roll_up(instrument, small, _answers(), _files())
    assert result is not None
    return result


def _question(kd: tables.KdResults, kode: str) -> dict[str, object]:
    return kd.questions.set_index("kode").loc[kode].to_dict()


def test_band_edges_are_exact(instrument: Instrument) -> None:
    rule = instrument.scoring.number_rules[("persen", "naik")]
    assert band(9, 10, rule) == 1.0  # 90 % is the full band, no rounding needed or done
    assert band(899, 1000, rule) == 0.75  # 89.9 % is not rounded up to 90
    assert band(3, 4, rule) == 0.75
    assert band(2, 3, rule) == 0.5  # 66.67 %
    assert band(1, 4, rule) == 0.25 and band(0, 4, rule) == 0.0
    assert band(0, 0, rule) == 0.0  # no units at all: nothing met
    assert next_band(2, 10, rule) == (25.0, 1, 0.25)  # 3 of 10 reach 25 %
    assert next_band(9, 10, rule) is None


def test_exact_ninety_percent_with_evidence_missing(kd: tables.KdResults) -> None:
    row = _question(kd, "I26-P4")
    assert (row["unit_ya"], row["unit_total"], row["unit_terverifikasi"]) == (9, 10, 7)
    assert row["persen"] == 90.0 and row["persen_terverifikasi"] == 70.0
    assert (row["nilai_mandiri"], row["nilai_terverifikasi"]) == (4.0, 2.0)  # 1 and 0.5 of 4
    assert row["kurang_unit"] == 0 and row["kecamatan_kandidat"] == ""


def test_blank_and_missing_kecamatan_count_as_not_meeting(kd: tables.KdResults) -> None:
    row = _question(kd, "I26-P2")
    assert (row["unit_ya"], row["unit_total"], row["unit_kosong"]) == (2, 10, 2)  # A blank, C
    assert row["nilai_mandiri"] == 0.0  # 20 % is under the lowest band
    assert (row["persen_berikut"], row["kurang_unit"], row["tambahan"]) == (25.0, 1, 1.5)
    assert row["kecamatan_kandidat"] == "Kec 2 5, Kec 1 2, Kec 3 1"


def test_kecamatan_level_question(kd: tables.KdResults) -> None:
    row = _question(kd, "I25-P4")
    assert (row["unit_ya"], row["unit_total"], row["unit_terverifikasi"]) == (2, 3, 1)
    assert (row["nilai_mandiri"], row["nilai_terverifikasi"]) == (2.0, 1.0)  # 66.7 % and 33.3 %
    # 3 of 3 is 100 %: the one missing kecamatan lifts it past 75 % straight to the full band
    assert (row["kurang_unit"], row["tambahan"], row["kecamatan_kandidat"]) == (1, 2.0, "Kec 3")


def test_every_master_list_unit_is_listed_once_per_question(
    kd: tables.KdResults, instrument: Instrument
) -> None:
    units = kd.units
    assert len(units) == 9 * 3 + 11 * 10  # 9 kecamatan questions, 11 desa questions
    assert f"{B}.2099" not in set(units["kode_wilayah"])  # the desa added by hand
    never_sent = units[(units["kode_wilayah"] == f"{C}.2001") & (units["kode"] == "I26-P4")]
    assert never_sent[["jawaban", "sumber_file", "sumber_sel"]].values.tolist() == [["", "", ""]]
    sent = units[(units["kode_wilayah"] == f"{A}.2001") & (units["kode"] == "I26-P4")]
    assert sent[["jawaban", "sumber_file", "sumber_sel"]].values.tolist() == [
        ["Ya", f"kec_{A}.xlsx", "Desa!E5"]
    ]
    assert (kd.kecamatan_diharapkan, kd.kecamatan_mengirim) == (3, 2)
    assert (kd.desa_total, kd.desa_terisi) == (10, 9)
    status = kd.kecamatan.set_index("kode_kecamatan")["status_kirim"].to_dict()
    assert status == {A: "sebagian", B: "sebagian", C: "belum mengirim"}


def test_computed_answers_in_the_scores(instrument: Instrument, small: Region) -> None:
    empty = pd.DataFrame(columns=[*tables.ANSWERS])
    files = _files()
    issues = issues_frame([])
    regional = merge_answers(instrument, small, empty, files, issues)
    results = score_results(
        instrument,
        small,
        regional,
        files,
        issues,
        "2024-03-30T10:00:00",
        False,
        unit_answers=_answers(),
    )
    scored = results.scored.set_index("kode")
    row = scored.loc["I26-P4"]
    assert (row["status"], row["jawaban"], row["nilai_mandiri"], row["nilai_terverifikasi"]) == (
        tables.STATUS_COMPUTED,
        "90",
        4.0,
        2.0,
    )
    assert row["sumber_file"] == "2 workbook kecamatan (wilayah_kd.csv)"
    assert scored.loc["I26-P2", "jawaban"] == "20"
    assert results.kd is not None
    # no office is asked for a computed question, and they give no generic "jawab" action
    assert (
        "I26-P4" not in set(results.completeness["opd"])
        and results.completeness["belum_dijawab"].sum() > 0
    )
    actions = results.recommendations
    kd_rows = actions[actions["kode"] == "I26-P2"]
    mandiri = kd_rows[kd_rows["dasar"] == "mandiri"]
    assert (
        mandiri["pertanyaan"]
        .iloc[0]
        .startswith("1 desa/kelurahan lagi dengan Perdes/kebijakan anak: +1,5 poin")
    )
    assert mandiri["tambahan"].sum() == pytest.approx(6.0)  # every band up to full points
    verified = actions[(actions["kode"] == "I26-P4") & (actions["dasar"] == "terverifikasi")]
    assert verified["jenis_tindakan"].tolist() == ["lengkapi data dukung"]
    assert verified["tambahan"].sum() == pytest.approx(2.0)
