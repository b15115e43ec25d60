"""Scoring rules, sums, totals and categories, completeness; a hand-worked region; invariants."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline import tables
from pipeline.instrument import Instrument, Question
from pipeline.region import Region
from pipeline.score.completeness import completeness
from pipeline.score.rules import (
    cluster_scores,
    has_evidence,
    indicator_scores,
    score_questions,
    totals,
)
from tests.builders import (
    ANSWER,
    HYPOTHESIS,
    LEVEL_TYPES,
    URL,
    draw_answer,
    drawn_answers,
    file_row,
    frame,
    regional_with,
)


def first_question(instrument: Instrument, jenis: str, arah: str = "naik") -> Question:
    return next(q for q in instrument.questions if q.jenis == jenis and q.arah == arah)


def scored_one(
    instrument: Instrument, region: Region, question: Question, jawaban: str, evidence: str = URL
) -> pd.Series:
    regional = regional_with(instrument, region, {question.kode: (jawaban, evidence, "dijawab")})
    scored = score_questions(regional, instrument)
    return scored[scored["kode"] == question.kode].iloc[0]


@pytest.mark.parametrize(
    ("jenis", "jawaban", "fraction"),
    [
        ("ya_tidak", "Ya", 1.0),
        ("ya_tidak", "Tidak", 0.0),
        ("regulasi", "Perda", 1.0),
        ("regulasi", "Perbup/Perwal", 0.75),
        ("regulasi", "SK/SE/Instruksi", 0.5),
        ("regulasi", "Rancangan", 0.25),
        ("regulasi", "Belum ada", 0.0),
        ("tingkat", "Seluruhnya", 1.0),
        ("tingkat", "Sebagian besar", 0.75),
        ("tingkat", "Sebagian", 0.5),
        ("tingkat", "Sebagian kecil", 0.25),
        ("tingkat", "Tidak ada", 0.0),
    ],
)
def test_label_fractions(
    instrument: Instrument, region: Region, jenis: str, jawaban: str, fraction: float
) -> None:
    question = first_question(instrument, jenis)
    row = scored_one(instrument, region, question, jawaban)
    assert row["fraksi"] == fraction
    assert row["nilai_mandiri"] == question.nilai_maks * fraction
    assert row["nilai_terverifikasi"] == question.nilai_maks * fraction


@pytest.mark.parametrize(
    ("jenis", "arah", "value", "fraction"),
    [
        ("persen", "naik", 100, 1.0),
        ("persen", "naik", 90, 1.0),
        ("persen", "naik", 89.99, 0.75),
        ("persen", "naik", 75, 0.75),
        ("persen", "naik", 74.99, 0.5),
        ("persen", "naik", 50, 0.5),
        ("persen", "naik", 49.99, 0.25),
        ("persen", "naik", 25, 0.25),
        ("persen", "naik", 24.99, 0.0),
        ("persen", "naik", 0, 0.0),
        ("persen", "turun", 0, 1.0),
        ("persen", "turun", 5, 1.0),
        ("persen", "turun", 5.01, 0.75),
        ("persen", "turun", 10, 0.75),
        ("persen", "turun", 10.01, 0.5),
        ("persen", "turun", 20, 0.5),
        ("persen", "turun", 20.01, 0.25),
        ("persen", "turun", 30, 0.25),
        ("persen", "turun", 30.01, 0.0),
        ("persen", "turun", 100, 0.0),
        ("jumlah", "naik", 0, 0.0),
        ("jumlah", "naik", 1, 1.0),
        ("jumlah", "naik", 2, 1.0),
        ("jumlah", "naik", 5000, 1.0),
        ("jumlah", "turun", 0, 1.0),
        ("jumlah", "turun", 1, 1.0),
        ("jumlah", "turun", 250, 1.0),
    ],
)
def test_number_thresholds(
    instrument: Instrument, region: Region, jenis: str, arah: str, value: float, fraction: float
) -> None:
    question = first_question(instrument, jenis, arah)
    row = scored_one(instrument, region, question, f"{value:g}")
    assert row["fraksi"] == fraction
    assert row["nilai_mandiri"] == question.nilai_maks * fraction


def test_number_without_nilai_angka_is_read_from_jawaban(
    instrument: Instrument, region: Region
) -> None:
    question = first_question(instrument, "persen")
    regional = regional_with(instrument, region, {question.kode: ("80", URL, "dijawab")})
    regional = regional.assign(nilai_angka=math.nan)
    row = score_questions(regional, instrument).set_index("kode").loc[question.kode]
    assert row["fraksi"] == 0.75


@pytest.mark.parametrize("status", ["belum dijawab", "ditolak", "tidak dikirim"])
def test_not_answered_scores_zero_whatever_the_text(
    instrument: Instrument, region: Region, status: str
) -> None:
    question = first_question(instrument, "ya_tidak")
    regional = regional_with(instrument, region, {question.kode: ("Ya", URL, "dijawab")})
    regional = regional.assign(status=status)
    scored = score_questions(regional, instrument)
    assert (scored["fraksi"] == 0).all()
    assert (scored["nilai_mandiri"] == 0).all()
    assert (scored["nilai_terverifikasi"] == 0).all()


@pytest.mark.parametrize(
    ("data_dukung", "expected"),
    [
        ("", False),
        ("-", False),
        ("--", False),
        (" - ", False),
        ("tidak ada", False),
        ("Tidak  Ada", False),
        ("BELUM ADA", False),
        ("n/a", False),
        ("N/A", False),
        ("nihil", False),
        ("Nihil ", False),
        (".", False),
        (URL, True),
        ("SK Bupati No. 5 Tahun 2023", True),
        ("lihat lampiran folder Klaster I", True),
        ("tidak ada data, lihat keterangan", False),  # "no data": a placeholder phrase
    ],
)
def test_placeholders_are_not_evidence(
    instrument: Instrument, data_dukung: str, expected: bool
) -> None:
    found = has_evidence(pd.Series([data_dukung]), instrument.scoring.no_evidence)
    assert found.tolist() == [expected]


def test_hand_worked_region(instrument: Instrument, region: Region) -> None:
    """Expected totals written out by hand from the rules and the instrument's points."""
    given_answers = {
        "I01-P1": ("Perbup/Perwal", URL, "dijawab"),  # regulasi, 12 points
        "I01-P4": ("Ya", "-", "dijawab"),  # ya_tidak, 5 points, placeholder evidence
        "I02-P3": ("Sebagian", URL, "dijawab"),  # tingkat, 5 points
        "I04-P1": ("80", URL, "dijawab"),  # persen naik, 1 point
        "I05-P3": ("0", URL, "dijawab"),  # jumlah naik, 3 points
        "I12-P4": ("2", URL, "dijawab"),  # jumlah turun, 3 points
        "I13-P1": ("12.5", "nihil", "dijawab"),  # persen turun, 3 points, no evidence
        "I01-P3a": ("", URL, "ditolak"),  # ya_tidak, 2 points, rejected
    }
    points = {kode: instrument.question(kode).nilai_maks for kode in given_answers}
    assert points == {
        "I01-P1": 12,
        "I01-P4": 5,
        "I02-P3": 5,
        "I04-P1": 1,
        "I05-P3": 3,
        "I12-P4": 3,
        "I13-P1": 3,
        "I01-P3a": 2,
    }
    scored = score_questions(regional_with(instrument, region, given_answers), instrument)
    mandiri = totals(scored, instrument, "nilai_mandiri")
    verified = totals(scored, instrument, "nilai_terverifikasi")
    assert mandiri.nilai == pytest.approx(12 * 0.75 + 5 * 1 + 5 * 0.5 + 1 * 0.75 + 3 * 1 + 3 * 0.5)
    assert verified.nilai == pytest.approx(12 * 0.75 + 5 * 0.5 + 1 * 0.75 + 3 * 1)
    assert (mandiri.kategori, mandiri.kategori_berikut) == ("Belum berpredikat", "Pratama")
    assert mandiri.kurang == pytest.approx(500 - 21.75)
    indicators = indicator_scores(scored, instrument).set_index("indikator")
    assert tuple(indicators.loc["I01", ["nilai_mandiri", "nilai_terverifikasi"]]) == (14, 9)
    assert tuple(indicators.loc["I13", ["nilai_mandiri", "nilai_terverifikasi"]]) == (1.5, 0)
    clusters = cluster_scores(scored, instrument).set_index("klaster")
    assert tuple(clusters.loc["KL", ["nilai_mandiri", "nilai_terverifikasi"]]) == (16.5, 11.5)
    assert tuple(clusters.loc["K1", ["nilai_mandiri", "nilai_terverifikasi"]]) == (0.75, 0.75)
    assert tuple(clusters.loc["K3", ["nilai_mandiri", "nilai_terverifikasi"]]) == (4.5, 3)
    assert clusters.loc["KL", "klaster_nama"] == "Kelembagaan"


def test_frames_follow_the_contract(instrument: Instrument, region: Region) -> None:
    scored = score_questions(regional_with(instrument, region, {}), instrument)
    assert tuple(scored.columns) == tables.SCORED
    indicators = indicator_scores(scored, instrument)
    clusters = cluster_scores(scored, instrument)
    assert tuple(indicators.columns) == tables.INDICATOR_SCORES
    assert tuple(clusters.columns) == tables.CLUSTER_SCORES
    assert list(indicators["indikator"]) == [i.kode for i in instrument.indicators]
    assert list(clusters["klaster"]) == [c.kode for c in instrument.clusters]
    assert clusters["nilai_maks"].sum() == 1000


@pytest.mark.parametrize(
    ("total", "kategori", "berikut", "kurang"),
    [
        (0, "Belum berpredikat", "Pratama", 500),
        (499.99, "Belum berpredikat", "Pratama", 0.01),
        (500, "Pratama", "Madya", 101),
        (600.99, "Pratama", "Madya", 0.01),
        (601, "Madya", "Nindya", 100),
        (700.5, "Madya", "Nindya", 0.5),
        (701, "Nindya", "Utama", 100),
        (800.99, "Nindya", "Utama", 0.01),
        (801, "Utama", "KLA", 100),
        (900.99, "Utama", "KLA", 0.01),
        (901, "KLA", "", 0),
        (1000, "KLA", "", 0),
    ],
)
def test_categories_at_and_around_every_threshold(
    instrument: Instrument, total: float, kategori: str, berikut: str, kurang: float
) -> None:
    # Split the total over three rows so the sum is what is tested, not one value.
    scored = pd.DataFrame({"nilai_mandiri": [total / 2, total / 4, total / 4]})
    result = totals(scored, instrument, "nilai_mandiri")
    assert (result.kategori, result.kategori_berikut) == (kategori, berikut)
    assert result.kurang == pytest.approx(kurang)
    assert result.nilai == pytest.approx(total)


def test_float_noise_does_not_drop_a_category(instrument: Instrument) -> None:
    scored = pd.DataFrame({"nilai_terverifikasi": [250.0, 249.99999999999994]})
    assert scored["nilai_terverifikasi"].sum() < 500  # float noise of a sum that is 500 on paper
    assert totals(scored, instrument, "nilai_terverifikasi").kategori == "Pratama"


def test_scoring_does_not_mutate_its_argument(instrument: Instrument, region: Region) -> None:
    regional = regional_with(instrument, region, {"I01-P1": ("Perda", "-", "dijawab")})
    before = regional.copy(deep=True)
    score_questions(regional, instrument)
    pd.testing.assert_frame_equal(before, regional)


def better(question: Question, instrument: Instrument, jawaban: str) -> str:
    """A strictly better or equal answer of the same question."""
    if question.jenis in LEVEL_TYPES:
        labels = instrument.scales[question.jenis].labels
        return labels[max(labels.index(jawaban) - 1, 0)]
    step = 7.5 if question.jenis == "persen" else 1
    value = float(jawaban) + (step if question.arah == "naik" else -step)
    upper = 100 if question.jenis == "persen" else math.inf
    return f"{min(max(value, 0), upper):g}"


@HYPOTHESIS
@given(draws=st.lists(ANSWER, max_size=30), pick=st.integers(0, 29))
def test_a_better_answer_never_lowers_any_score(
    instrument: Instrument, region: Region, draws: list[tuple], pick: int
) -> None:
    chosen = drawn_answers(instrument, draws)
    if not chosen:
        return
    kode = list(chosen)[pick % len(chosen)]
    jawaban, evidence, status = chosen[kode]
    question = instrument.question(kode)
    if status == "dijawab":
        improved = better(question, instrument, jawaban)
    else:
        improved = draw_answer(question, instrument, (0, 4, 0.0, 0, evidence, "dijawab"))[0]
    before = score_questions(regional_with(instrument, region, chosen), instrument)
    after = score_questions(
        regional_with(instrument, region, {**chosen, kode: (improved, evidence, "dijawab")}),
        instrument,
    )
    for column in ("fraksi", "nilai_mandiri", "nilai_terverifikasi"):
        assert (after[column] >= before[column]).all()
    for column in ("nilai_mandiri", "nilai_terverifikasi"):
        assert totals(after, instrument, column).nilai >= totals(before, instrument, column).nilai


@HYPOTHESIS
@given(draws=st.lists(ANSWER, max_size=30))
def test_adding_evidence_never_lowers_verified_score(
    instrument: Instrument, region: Region, draws: list[tuple]
) -> None:
    chosen = drawn_answers(instrument, draws)
    with_evidence = {kode: (j, URL, s) for kode, (j, _, s) in chosen.items()}
    before = score_questions(regional_with(instrument, region, chosen), instrument)
    after = score_questions(regional_with(instrument, region, with_evidence), instrument)
    assert (after["nilai_terverifikasi"] >= before["nilai_terverifikasi"]).all()
    assert (after["nilai_mandiri"] == before["nilai_mandiri"]).all()


@HYPOTHESIS
@given(draws=st.lists(ANSWER, max_size=60))
def test_score_invariants(instrument: Instrument, region: Region, draws: list[tuple]) -> None:
    scored = score_questions(
        regional_with(instrument, region, drawn_answers(instrument, draws)), instrument
    )
    assert (scored["nilai_terverifikasi"] <= scored["nilai_mandiri"]).all()
    assert (scored["nilai_mandiri"] <= scored["nilai_maks"]).all()
    assert scored["fraksi"].between(0, 1).all()
    indicators = indicator_scores(scored, instrument)
    clusters = cluster_scores(scored, instrument)
    for column in ("nilai_mandiri", "nilai_terverifikasi"):
        total = totals(scored, instrument, column).nilai
        assert 0 <= total <= 1000
        assert total == pytest.approx(indicators[column].sum())
        assert total == pytest.approx(clusters[column].sum())
        per_cluster = indicators.groupby("klaster", sort=False)[column].sum()
        assert per_cluster.to_dict() == pytest.approx(
            clusters.set_index("klaster")[column].to_dict()
        )
    assert (indicators["nilai_mandiri"] <= indicators["nilai_maks"] + 1e-9).all()


def test_completeness_rows_and_status(instrument: Instrument, region: Region) -> None:
    dp3a_codes = [q.kode for q in instrument.questions if region.office_role(q.opd_utama) == "DP3A"]
    hukum_codes = [q.kode for q in instrument.questions if q.opd_utama == "HUKUM"]
    answers = {kode: ("Perda", URL, "dijawab") for kode in hukum_codes}
    answers[dp3a_codes[0]] = ("", "", "ditolak")
    answers[dp3a_codes[1]] = ("Ya", "-", "dijawab")
    files = [
        file_row("hukum.xlsx", "HUKUM", narahubung="Sari"),
        file_row("dp3a.xlsx", "DP3A", disimpan="2024-03-02T08:00:00"),
    ]
    scored = score_questions(regional_with(instrument, region, answers, files), instrument)
    result = completeness(scored, files_frame(files), instrument, region)
    assert tuple(result.columns) == tables.COMPLETENESS
    expected_offices = {region.office_role(q.opd_utama) for q in instrument.questions}
    assert set(result["opd"]) == expected_offices
    assert "UPTDPPA" not in set(result["opd"])
    not_sent = result[result["status_kirim"] == "belum mengirim"]
    assert list(result["opd"][: len(not_sent)]) == sorted(not_sent["opd"])
    assert list(result["opd"][len(not_sent) :]) == ["DP3A", "HUKUM"]
    rows = result.set_index("opd")
    assert tuple(rows.loc["HUKUM", ["status_kirim", "file", "narahubung_nama"]]) == (
        "lengkap",
        "hukum.xlsx",
        "Sari",
    )
    assert rows.loc["HUKUM", "dijawab"] == len(hukum_codes)
    assert rows.loc["HUKUM", "dengan_data_dukung"] == len(hukum_codes)
    dp3a = rows.loc["DP3A"]
    assert (dp3a["status_kirim"], dp3a["disimpan"]) == ("sebagian", "2024-03-02T08:00:00")
    assert (dp3a["pertanyaan"], dp3a["dijawab"], dp3a["ditolak"]) == (len(dp3a_codes), 1, 1)
    assert (dp3a["belum_dijawab"], dp3a["dengan_data_dukung"]) == (len(dp3a_codes) - 2, 0)
    assert set(not_sent["file"]) == {""}


def files_frame(files: list[dict]) -> pd.DataFrame:
    return frame(files, tables.FILES)


@HYPOTHESIS
@given(draws=st.lists(ANSWER, max_size=60), senders=st.sets(st.integers(0, 30), max_size=10))
def test_completeness_counts_add_up(
    instrument: Instrument, region: Region, draws: list[tuple], senders: set[int]
) -> None:
    offices = sorted({region.office_role(q.opd_utama) for q in instrument.questions})
    files = [file_row(f"{o}.xlsx", o) for i, o in enumerate(offices) if i in senders]
    sent = {row["peran"] for row in files}
    chosen = {
        kode: answer
        for kode, answer in drawn_answers(instrument, draws).items()
        if region.office_role(instrument.question(kode).opd_utama) in sent
    }
    scored = score_questions(regional_with(instrument, region, chosen, files), instrument)
    result = completeness(scored, files_frame(files), instrument, region)
    assert len(result) == len(offices)
    assert result["pertanyaan"].sum() == len(instrument.questions)
    parts = result["dijawab"] + result["ditolak"] + result["belum_dijawab"]
    assert (parts == result["pertanyaan"]).all()
    assert (result["dengan_data_dukung"] <= result["dijawab"]).all()
    assert set(result.loc[result["status_kirim"] == "belum mengirim", "opd"]) == set(offices) - sent
    full = result["dijawab"] == result["pertanyaan"]
    assert (result.loc[full & result["opd"].isin(sent), "status_kirim"] == "lengkap").all()
    assert result["dijawab"].sum() == (scored["status"] == "dijawab").sum()


def test_placeholder_variants_score_no_verified_points(instrument: Instrument) -> None:
    texts = pd.Series(
        ["Tidak ada.", "N / A", "— —", "belum tersedia di dinas", "SK No. 5/2023", ""]
    )
    assert has_evidence(texts, instrument.scoring.no_evidence).tolist() == [
        False,
        False,
        False,
        False,
        True,
        False,
    ]
