"""merge_answers: one row per instrument question, statuses, rejected messages, provenance."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline import tables
from pipeline.instrument import Instrument
from pipeline.merge import merge_answers
from pipeline.region import Region
from tests.builders import SAVED, answer_row, file_row, frame, issue_row, merged


def codes_of(instrument: Instrument, region: Region, office: str) -> list[str]:
    """Codes of the questions the office answers, in instrument order."""
    return [q.kode for q in instrument.questions if region.office_role(q.opd_utama) == office]


def test_one_row_per_question_in_instrument_order(instrument: Instrument, region: Region) -> None:
    regional = merged(instrument, region, [], [])
    assert tuple(regional.columns) == tables.REGIONAL
    assert list(regional["kode"]) == [q.kode for q in instrument.questions]
    assert list(regional["urutan"]) == list(range(1, len(instrument.questions) + 1))
    assert set(regional["status"]) == {"tidak dikirim"}
    assert (regional["data_dukung_jenis"] == "kosong").all()
    assert regional["nilai_angka"].isna().all()


def test_statuses_and_provenance(instrument: Instrument, region: Region) -> None:
    first, second, third, *_ = codes_of(instrument, region, "DP3A")
    answers = [
        answer_row(first, "Ya", row=10),
        answer_row(second, "", row=11, status="belum dijawab", data_dukung=""),
        answer_row(third, "zz", row=12, status="ditolak", diterima=False),
    ]
    issues = [
        issue_row("dp3a.xlsx", third, "F12", "Isian!F12: 'zz' bukan pilihan; pilih Ya/Tidak.")
    ]
    regional = merged(instrument, region, answers, [file_row("dp3a.xlsx", "DP3A")], issues)
    by_code = regional.set_index("kode")
    assert [by_code.loc[c, "status"] for c in (first, second, third)] == [
        "dijawab",
        "belum dijawab",
        "ditolak",
    ]
    assert by_code.loc[third, "masalah"] == "Isian!F12: 'zz' bukan pilihan; pilih Ya/Tidak."
    assert by_code.loc[first, "masalah"] == ""
    assert tuple(
        by_code.loc[first, ["sumber_file", "sumber_lembar", "sumber_sel", "sumber_sha256"]]
    ) == ("dp3a.xlsx", "Isian", "F10", "sha-dp3a.xlsx")
    assert by_code.loc[first, "disimpan"] == SAVED
    dp3a = regional[regional["opd"] == "DP3A"]
    unanswered = dp3a[~dp3a["kode"].isin([first, second, third])]
    assert set(unanswered["status"]) == {"belum dijawab"}
    others = regional[regional["opd"] != "DP3A"]
    assert set(others["status"]) == {"tidak dikirim"}


def test_redirected_role_is_answered_by_the_target_office(
    instrument: Instrument, region: Region
) -> None:
    regional = merged(instrument, region, [], [file_row("dp3a.xlsx", "DP3A")])
    uptd = [q.kode for q in instrument.questions if q.opd_utama == "UPTDPPA"]
    assert uptd, "the example region redirects UPTDPPA; the instrument must use it"
    rows = regional[regional["kode"].isin(uptd)]
    assert set(rows["opd"]) == {"DP3A"}
    assert set(rows["nama_opd"]) == {region.offices["DP3A"]}
    assert set(rows["status"]) == {"belum dijawab"}


@pytest.mark.parametrize(
    ("file_status", "expected"),
    [
        (tables.FILE_USED, "belum dijawab"),
        (tables.FILE_SUPERSEDED, "tidak dikirim"),
        (tables.FILE_REJECTED, "ditolak"),  # sent, but refused: not a non-sender
    ],
)
def test_only_a_used_file_counts_as_sent(
    instrument: Instrument, region: Region, file_status: str, expected: str
) -> None:
    regional = merged(
        instrument, region, [], [file_row("dinkes.xlsx", "DINKES", status=file_status)]
    )
    assert set(regional.loc[regional["opd"] == "DINKES", "status"]) == {expected}


def test_rejected_without_issue_points_to_the_cell(instrument: Instrument, region: Region) -> None:
    kode = codes_of(instrument, region, "DP3A")[0]
    answers = [answer_row(kode, "zz", row=14, status="ditolak", diterima=False)]
    regional = merged(instrument, region, answers, [file_row("dp3a.xlsx", "DP3A")])
    message = str(regional.set_index("kode").loc[kode, "masalah"])
    assert "dp3a.xlsx Isian!F14" in message
    assert "ditolak" in message


def test_several_errors_on_one_answer_are_all_kept(instrument: Instrument, region: Region) -> None:
    kode = codes_of(instrument, region, "DP3A")[0]
    answers = [answer_row(kode, "zz", status="ditolak", diterima=False)]
    issues = [
        issue_row("dp3a.xlsx", kode, "F10", "pesan satu"),
        issue_row("dp3a.xlsx", kode, "G10", "hanya peringatan", severity="peringatan"),
        issue_row("dp3a.xlsx", kode, "F10", "pesan dua"),
        issue_row("lain.xlsx", kode, "F10", "berkas lain"),
    ]
    regional = merged(instrument, region, answers, [file_row("dp3a.xlsx", "DP3A")], issues)
    assert regional.set_index("kode").loc[kode, "masalah"] == "pesan satu | pesan dua"


def test_not_accepted_answer_is_rejected_whatever_its_status(
    instrument: Instrument, region: Region
) -> None:
    kode = codes_of(instrument, region, "DP3A")[0]
    answers = [answer_row(kode, "Ya", status="dijawab", diterima=False)]
    regional = merged(instrument, region, answers, [file_row("dp3a.xlsx", "DP3A")])
    assert regional.set_index("kode").loc[kode, "status"] == "ditolak"


def test_duplicate_code_keeps_the_first_by_file_and_row(
    instrument: Instrument, region: Region
) -> None:
    kode = codes_of(instrument, region, "DP3A")[0]
    answers = [
        answer_row(kode, "Tidak", row=40),
        answer_row(kode, "Ya", row=12),
        answer_row(kode, "Tidak", file="z.xlsx", row=5),
    ]
    regional = merged(instrument, region, answers, [file_row("dp3a.xlsx", "DP3A")])
    row = regional.set_index("kode").loc[kode]
    assert (row["jawaban"], row["sumber_sel"]) == ("Ya", "F12")
    assert len(regional) == len(instrument.questions)


def test_unknown_codes_are_ignored(instrument: Instrument, region: Region) -> None:
    answers = [answer_row("ZZ-P9", "Ya")]
    regional = merged(instrument, region, answers, [file_row("dp3a.xlsx", "DP3A")])
    assert "ZZ-P9" not in set(regional["kode"])
    assert len(regional) == len(instrument.questions)


def test_arguments_are_not_mutated(instrument: Instrument, region: Region) -> None:
    kode = codes_of(instrument, region, "DP3A")[0]
    answers = frame([answer_row(kode, "zz", status="ditolak", diterima=False)], tables.ANSWERS)
    files = frame([file_row("dp3a.xlsx", "DP3A")], tables.FILES)
    issues = frame([issue_row("dp3a.xlsx", kode, "F10", "x")], tables.ISSUES)
    copies = [answers.copy(deep=True), files.copy(deep=True), issues.copy(deep=True)]
    merge_answers(instrument, region, answers, files, issues)
    for before, after in zip(copies, [answers, files, issues], strict=True):
        pd.testing.assert_frame_equal(before, after)


def test_office_whose_only_workbook_was_refused_is_not_called_a_non_sender(
    instrument: Instrument, region: Region
) -> None:
    from pipeline.messages import issue
    from pipeline.score.completeness import completeness
    from pipeline.score.rules import score_questions

    files = [file_row("bpbd lama.xlsx", "BPBD", status=tables.FILE_REJECTED)]
    refusal = issue(
        "tahun-berbeda", file="bpbd lama.xlsx", sheet="_meta", value="2023", expected="2024"
    )
    regional = merged(instrument, region, [], files, [refusal])
    bpbd = regional[regional["opd"] == "BPBD"]
    assert set(bpbd["status"]) == {"ditolak"}
    assert set(bpbd["sumber_file"]) == {"bpbd lama.xlsx"}
    assert bpbd["masalah"].str.startswith("Berkas bpbd lama.xlsx ditolak: ").all()
    assert "tahun 2023" in bpbd["masalah"].iloc[0]
    assert set(regional.loc[regional["opd"] == "DINKES", "status"]) == {"tidak dikirim"}
    table = completeness(
        score_questions(regional, instrument), frame(files, tables.FILES), instrument, region
    ).set_index("opd")
    assert table.loc["BPBD", "status_kirim"] == "berkas ditolak"
    assert table.loc["BPBD", "file"] == "bpbd lama.xlsx"
    assert table.loc["DINKES", "status_kirim"] == "belum mengirim"
