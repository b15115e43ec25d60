"""Mapping between instruments: checked on load; every kind of change carries last year's values."""

from __future__ import annotations

import csv
import math
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline import config, tables
from pipeline.errors import KlaError
from pipeline.instrument import Instrument, read_instrument
from pipeline.mapping import (
    carry_previous,
    default_mapping_file,
    read_comparison_settings,
    read_mapping,
)
from pipeline.messages import issues_frame
from pipeline.score.comparison import compare

# The synthetic next-year instrument: changes inside indicator I01 (sums stay 96 points).
TEXT_CHANGED = "I01-P2a"
WEIGHTS = {"I01-P2b": 1.5, "I01-P2d": 0.5}
SPLIT = ("I01-P2e", ("I01-P2e-1", "I01-P2e-2"))
MERGED = (("I01-P2g", "I01-P2h"), "I01-PGAB")
DROPPED = "I01-P2i"
NEW = "I01-PBARU"
MAPPING_HEADER = ["kode_lama", "kode_baru", "perubahan", "catatan"]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path: Path, rows: list[dict[str, str]], fields: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def next_year_questions(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The 2024 questions with one of each kind of change (teks, bobot, pecah, gabung, hapus, baru)."""
    out = []
    for row in rows:
        kode = row["kode"]
        if kode == TEXT_CHANGED:
            out.append(row | {"pertanyaan": row["pertanyaan"] + " (rumusan baru)"})
        elif kode in WEIGHTS:
            out.append(row | {"nilai_maks": str(WEIGHTS[kode])})
        elif kode == SPLIT[0]:
            out += [row | {"kode": k, "nilai_maks": "0.5"} for k in SPLIT[1]]
        elif kode == MERGED[0][0]:
            out.append(row | {"kode": MERGED[1], "nilai_maks": "2"})
        elif kode == MERGED[0][1]:
            continue
        elif kode == DROPPED:
            out.append(row | {"kode": NEW, "pertanyaan": "Kebijakan baru tentang anak"})
        else:
            out.append(row)
    return out


def next_year_mapping(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    links = []
    for row in rows:
        kode = row["kode"]
        if kode == TEXT_CHANGED:
            links.append((kode, kode, "teks"))
        elif kode in WEIGHTS:
            links.append((kode, kode, "bobot"))
        elif kode == SPLIT[0]:
            links += [(kode, new, "pecah") for new in SPLIT[1]]
        elif kode in MERGED[0]:
            links.append((kode, MERGED[1], "gabung"))
        elif kode == DROPPED:
            links += [(kode, "", "hapus"), ("", NEW, "baru")]
        else:
            links.append((kode, kode, "sama"))
    return [dict(zip(MAPPING_HEADER, (*link, ""), strict=True)) for link in links]


@pytest.fixture(scope="module")
def next_year(tmp_path_factory: pytest.TempPathFactory) -> tuple[Instrument, Path]:
    """A synthetic kla-2025 instrument beside its mapping file (tests only)."""
    folder = tmp_path_factory.mktemp("kla2025")
    for name in ("kla-2024-indikator.csv", "opd-peran.csv"):
        shutil.copy(config.SCHEMAS_DIR / name, folder / name)
    manifest = (config.SCHEMAS_DIR / "kla-2024.toml").read_text(encoding="utf-8")
    manifest = manifest.replace('id = "kla-2024"', 'id = "kla-2025"').replace(
        "tahun = 2024", "tahun = 2025"
    )
    (folder / "kla-2025.toml").write_text(
        manifest.replace("kla-2024-pertanyaan.csv", "kla-2025-pertanyaan.csv"), encoding="utf-8"
    )
    old = _rows(config.SCHEMAS_DIR / "kla-2024-pertanyaan.csv")
    _write(folder / "kla-2025-pertanyaan.csv", next_year_questions(old), list(old[0]))
    _write(folder / "peta-kla-2025.csv", next_year_mapping(old), MAPPING_HEADER)
    return read_instrument(folder / "kla-2025.toml"), folder / "peta-kla-2025.csv"


def previous_answers(instrument: Instrument) -> pd.DataFrame:
    """Last year's results: every question answered, half its points, with data dukung."""
    rows = [
        {
            "kode": q.kode,
            "jawaban": f"jawab {q.kode}",
            "data_dukung": f"https://jdih.example.go.id/{q.kode}.pdf",
            "nilai_maks": q.nilai_maks,
            "nilai_mandiri": q.nilai_maks / 2,
            "nilai_terverifikasi": q.nilai_maks / 2,
            "status": "dijawab",
            "status_verifikasi": tables.PREVIOUS_VERIFIED,
            "catatan_verifikasi": "",
        }
        for q in instrument.questions
    ]
    return pd.DataFrame(rows, columns=list(tables.PREVIOUS))


def test_shipped_identity_mapping_loads(instrument: Instrument) -> None:
    mapping = read_mapping(default_mapping_file(instrument), instrument)
    assert mapping.is_identity()
    assert [link.kode_baru for link in mapping.links] == [q.kode for q in instrument.questions]


def test_synthetic_instrument_is_a_valid_instrument(next_year: tuple[Instrument, Path]) -> None:
    instrument, mapping_file = next_year
    mapping = read_mapping(mapping_file, instrument)
    kinds = {link.perubahan for link in mapping.links}
    assert kinds == {"sama", "teks", "bobot", "pecah", "gabung", "hapus", "baru"}
    assert instrument.question(NEW).nilai_maks == 1


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([("I01-P1", "I01-P1", "mirip")], "perubahan 'mirip' tidak dikenal"),
        ([("I01-P1", "", "sama")], "kode_lama dan kode_baru wajib diisi"),
        ([("I01-P1", "I01-P1", "hapus")], "perubahan hapus: isi kode_lama, kosongkan kode_baru"),
        ([("X", "I01-P1", "baru")], "perubahan baru: isi kode_baru, kosongkan kode_lama"),
        ([("I01-P1", "I99-P1", "sama")], "kode_baru 'I99-P1' tidak ada di instrumen"),
        ([("A", "I01-P1", "sama"), ("B", "I01-P1", "sama")], "pakai gabung"),
        ([("A", "I01-P1", "pecah")], "pecah perlu kode_lama A di dua baris"),
        ([("A", "I01-P1", "gabung")], "gabung perlu kode_baru I01-P1 di dua baris"),
        ([("I01-P1", "I01-P1", "sama"), ("I01-P1", "I01-P1", "sama")], "ditulis 2 kali"),
    ],
)
def test_mapping_problems_are_listed(
    tmp_path: Path, instrument: Instrument, rows: list[tuple[str, str, str]], expected: str
) -> None:
    others = [(q.kode, q.kode, "sama") for q in instrument.questions if q.kode != "I01-P1"]
    path = tmp_path / "peta.csv"
    _write(
        path,
        [dict(zip(MAPPING_HEADER[:3], r, strict=True)) for r in rows + others],
        MAPPING_HEADER[:3],
    )
    with pytest.raises(KlaError, match="Peta pertanyaan tidak valid") as raised:
        read_mapping(path, instrument)
    assert expected in str(raised.value)


def test_question_missing_from_mapping_is_not_guessed(
    tmp_path: Path, instrument: Instrument
) -> None:
    path = tmp_path / "peta.csv"
    rows = [(q.kode, q.kode, "sama") for q in instrument.questions[1:]]
    _write(path, [dict(zip(MAPPING_HEADER[:3], r, strict=True)) for r in rows], MAPPING_HEADER[:3])
    with pytest.raises(KlaError, match="pertanyaan I01-P1 tidak ada di peta"):
        read_mapping(path, instrument)


def test_missing_mapping_file_says_how_to_make_one(tmp_path: Path, instrument: Instrument) -> None:
    with pytest.raises(KlaError, match="PETA="):
        read_mapping(tmp_path / "tidak-ada.csv", instrument)


def test_each_kind_of_change_carries_last_year(
    next_year: tuple[Instrument, Path], instrument: Instrument
) -> None:
    new_instrument, mapping_file = next_year
    mapping = read_mapping(mapping_file, new_instrument)
    previous = previous_answers(instrument)
    carried, found = carry_previous(previous, mapping, new_instrument, "nilai_pertanyaan.csv")
    by_code = carried.set_index("kode")
    assert found == []
    # sama and teks: the old answer and points as they were
    assert by_code.loc["I01-P1", ["kode_lalu", "jawaban_lalu", "nilai_lalu"]].tolist() == [
        "I01-P1",
        "jawab I01-P1",
        6.0,
    ]
    assert by_code.loc[TEXT_CHANGED, "perubahan"] == "teks"
    assert by_code.loc[TEXT_CHANGED, "nilai_lalu"] == 0.5
    # bobot: last year's share (half) of this year's maximum
    assert by_code.loc["I01-P2b", "nilai_lalu"] == 0.75
    assert by_code.loc["I01-P2d", "nilai_lalu"] == 0.25
    # pecah: both parts show the old answer, each with half of its own maximum
    for part in SPLIT[1]:
        assert by_code.loc[part, "jawaban_lalu"] == "jawab I01-P2e"
        assert by_code.loc[part, "nilai_lalu"] == 0.25
    # gabung: every old answer, named by its code; the old share of the new maximum
    merged = by_code.loc[MERGED[1]]
    assert merged["jawaban_lalu"] == "I01-P2g: jawab I01-P2g; I01-P2h: jawab I01-P2h"
    assert merged["kode_lalu"] == "I01-P2g; I01-P2h"
    assert merged["nilai_lalu"] == 1.0
    # baru: nothing guessed
    assert by_code.loc[NEW, "jawaban_lalu"] == ""
    assert math.isnan(by_code.loc[NEW, "nilai_lalu"])
    assert DROPPED not in by_code.index


def test_old_codes_outside_the_mapping_are_reported(
    next_year: tuple[Instrument, Path], instrument: Instrument
) -> None:
    new_instrument, mapping_file = next_year
    mapping = read_mapping(mapping_file, new_instrument)
    extra = previous_answers(instrument).iloc[:1].assign(kode="LAMA-9")
    previous = pd.concat([previous_answers(instrument), extra], ignore_index=True)
    previous = previous[previous["kode"] != "I01-P1"]
    _, found = carry_previous(previous, mapping, new_instrument, "nilai_pertanyaan.csv")
    issues = issues_frame(found)
    assert sorted(zip(issues["code"], issues["value"], strict=True)) == [
        ("sebelumnya-kode-tidak-ada", "I01-P1"),
        ("sebelumnya-tanpa-peta", "LAMA-9"),
    ]


def test_comparison_over_a_changed_instrument_counts_mapped_questions_only(
    next_year: tuple[Instrument, Path], instrument: Instrument
) -> None:
    new_instrument, mapping_file = next_year
    mapping = read_mapping(mapping_file, new_instrument)
    old = previous_answers(instrument)
    carried, _ = carry_previous(old, mapping, new_instrument, "nilai_pertanyaan.csv")
    scored = _scored_all_full(new_instrument)
    last = tables.PreviousResults(2024, "", "hasil", old, 500.0, 500.0, issues_frame([]))
    comparison = compare(scored, carried, last, mapping, new_instrument, read_comparison_settings())
    assert comparison.changed
    assert comparison.total_lalu == 500.0
    assert comparison.total_kini == 1000.0
    # every question but the new one (1 point) has a counterpart; last year had half of each
    assert comparison.sebanding_kini == pytest.approx(999.0)
    assert comparison.sebanding_lalu == pytest.approx(499.5)
    unmatched = comparison.unmatched
    assert list(zip(unmatched["kode_lama"], unmatched["kode_baru"], strict=True)) == [
        (DROPPED, ""),
        ("", NEW),
    ]
    i01 = comparison.indicators.set_index("kode").loc["I01"]
    assert i01["nilai_maks"] == 95.0


def _scored_all_full(instrument: Instrument) -> pd.DataFrame:
    """A SCORED-like frame: every question answered with full points and data dukung."""
    frame = instrument.questions_frame()
    return frame.assign(
        jawaban="Ya",
        nilai_angka=float("nan"),
        data_dukung="https://example.go.id/x.pdf",
        status="dijawab",
        ada_data_dukung=True,
        nilai_mandiri=frame["nilai_maks"],
        nilai_terverifikasi=frame["nilai_maks"],
    )
