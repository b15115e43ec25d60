"""Recommendations: ranked actions, running totals, the row where a category is reached."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline import tables
from pipeline.instrument import Instrument, Question
from pipeline.region import Region
from pipeline.score.recommend import recommendations, recommendations_for_office
from pipeline.score.rules import score_questions, totals
from tests.builders import (
    ANSWER,
    HYPOTHESIS,
    URL,
    drawn_answers,
    regional_with,
)

KINDS = ["lengkapi data dukung", "jawab", "tingkatkan capaian"]


def best_answer(question: Question, instrument: Instrument) -> str:
    if question.jenis == "persen":
        return "100" if question.arah == "naik" else "0"
    if question.jenis == "jumlah":
        return "1"
    return instrument.scales[question.jenis].labels[0]


def category(total: float, instrument: Instrument) -> str:
    """The category by the rule written in the issue, independent of the code under test."""
    reached = [c for c in instrument.categories if total >= c.minimum - 1e-9]
    return max(reached, key=lambda c: c.minimum).nama if reached else "Belum berpredikat"


@pytest.fixture(scope="module")
def near_full(instrument: Instrument, region: Region) -> pd.DataFrame:
    """Every question answered at its best with evidence, except four."""
    answers = {q.kode: (best_answer(q, instrument), URL, "dijawab") for q in instrument.questions}
    answers["I01-P1"] = ("Perbup/Perwal", "-", "dijawab")  # regulasi 12: 9 points, no evidence
    answers["I01-P4"] = ("Ya", "", "dijawab")  # ya_tidak 5: full, no evidence
    answers["I05-P3"] = ("", URL, "belum dijawab")  # jumlah 3: unanswered
    answers["I02-P3"] = ("Sebagian", URL, "dijawab")  # tingkat 5: 2.5 points with evidence
    return score_questions(regional_with(instrument, region, answers), instrument)


def test_columns_and_bases(near_full: pd.DataFrame, instrument: Instrument) -> None:
    recs = recommendations(near_full, instrument)
    assert tuple(recs.columns) == tables.RECOMMENDATIONS
    assert list(dict.fromkeys(recs["dasar"])) == ["terverifikasi", "mandiri"]


def test_verified_list_ranks_cheapest_first(
    near_full: pd.DataFrame, instrument: Instrument
) -> None:
    recs = recommendations(near_full, instrument)
    verified = recs[recs["dasar"] == "terverifikasi"]
    expected = [
        (1, "I01-P1", "lengkapi data dukung", 9.0, 1000 - 12 - 5 - 3 - 2.5 + 9),
        (2, "I01-P4", "lengkapi data dukung", 5.0, 991.5),
        (3, "I05-P3", "jawab", 3.0, 994.5),
        (4, "I01-P1", "tingkatkan capaian", 3.0, 997.5),
        (5, "I02-P3", "tingkatkan capaian", 2.5, 1000.0),
    ]
    got = verified[["peringkat", "kode", "jenis_tindakan", "tambahan", "kumulatif"]]
    assert list(got.itertuples(index=False, name=None)) == expected
    assert set(verified["mencapai"]) == {""}  # already KLA on both bases
    assert verified.iloc[0]["opd"] == "HUKUM"
    assert verified.iloc[2]["status"] == "belum dijawab"


def test_self_assessed_list_has_no_evidence_actions(
    near_full: pd.DataFrame, instrument: Instrument
) -> None:
    recs = recommendations(near_full, instrument)
    mandiri = recs[recs["dasar"] == "mandiri"]
    got = mandiri[["peringkat", "kode", "jenis_tindakan", "tambahan", "kumulatif"]]
    assert list(got.itertuples(index=False, name=None)) == [
        (1, "I05-P3", "jawab", 3.0, 1000 - 3 - 3 - 2.5 + 3),
        (2, "I01-P1", "tingkatkan capaian", 3.0, 997.5),
        (3, "I02-P3", "tingkatkan capaian", 2.5, 1000.0),
    ]


def test_empty_region_reaches_each_category_where_the_points_say(
    instrument: Instrument, region: Region
) -> None:
    scored = score_questions(regional_with(instrument, region, {}, files=[]), instrument)
    recs = recommendations(scored, instrument)
    verified = recs[recs["dasar"] == "terverifikasi"].reset_index(drop=True)
    # Nothing sent: every question with points is a "jawab", biggest first, ties in instrument order.
    questions = sorted(
        (q for q in instrument.questions if q.nilai_maks > 0),
        key=lambda q: (-q.nilai_maks, q.urutan),
    )
    assert list(verified["kode"]) == [q.kode for q in questions]
    assert set(verified["jenis_tindakan"]) == {"jawab"}
    running = 0.0
    expected_reached = {}
    for rank, question in enumerate(questions, start=1):
        previous, running = running, running + question.nilai_maks
        if category(running, instrument) != category(previous, instrument):
            expected_reached[rank] = category(running, instrument)
    reached = verified.loc[verified["mencapai"] != "", ["peringkat", "mencapai"]]
    assert dict(reached.itertuples(index=False, name=None)) == expected_reached
    assert list(expected_reached.values()) == ["Pratama", "Madya", "Nindya", "Utama", "KLA"]


@HYPOTHESIS
@given(draws=st.lists(ANSWER, max_size=60))
def test_running_total_crosses_where_mencapai_says(
    instrument: Instrument, region: Region, draws: list[tuple]
) -> None:
    chosen = drawn_answers(instrument, draws)
    scored = score_questions(regional_with(instrument, region, chosen), instrument)
    recs = recommendations(scored, instrument)
    for base, column in (("terverifikasi", "nilai_terverifikasi"), ("mandiri", "nilai_mandiri")):
        rows = recs[recs["dasar"] == base].reset_index(drop=True)
        current = totals(scored, instrument, column).nilai
        assert list(rows["peringkat"]) == list(range(1, len(rows) + 1))
        assert (rows["tambahan"] > 0).all()
        running = current + rows["tambahan"].cumsum()
        assert rows["kumulatif"].tolist() == pytest.approx(running.tolist())
        assert rows["kumulatif"].iloc[-1] == pytest.approx(1000)
        kinds = rows["jenis_tindakan"].map(KINDS.index)
        assert kinds.is_monotonic_increasing
        if base == "mandiri":
            assert "lengkapi data dukung" not in set(rows["jenis_tindakan"])
        previous = [current, *rows["kumulatif"].iloc[:-1]]
        for kumulatif, before, mencapai in zip(
            rows["kumulatif"], previous, rows["mencapai"], strict=True
        ):
            changed = category(kumulatif, instrument) != category(before, instrument)
            assert mencapai == (category(kumulatif, instrument) if changed else "")


def test_office_view_is_a_filter(near_full: pd.DataFrame, instrument: Instrument) -> None:
    recs = recommendations(near_full, instrument)
    hukum = recommendations_for_office(recs, "HUKUM")
    assert list(hukum["kode"]) == ["I01-P1", "I01-P1", "I01-P1"]
    assert list(hukum["peringkat"]) == [1, 4, 2]
    assert list(hukum["dasar"]) == ["terverifikasi", "terverifikasi", "mandiri"]
    assert recommendations_for_office(recs, "POLRES").empty
