"""Pre-verification end to end: decisions typed into the verification workbook drive the scores."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pipeline import config, tables
from pipeline.decision_history import read_decision_history
from pipeline.instrument import Instrument, Question
from pipeline.region import Region
from pipeline.templates.verification import verification_filename
from tests.builders import (
    consolidate,
    copy_to,
    fill_verification,
    send_office,
    verification_rows,
)
from tools.example.answers import has_evidence, read_example_scores
from tools.example.build import expected_counted_answers
from tools.example.kecamatan import expected_kd_points
from tools.example.verification import (
    VERIFICATION_TROUBLES,
    expected_verified_total,
    used_decisions,
)
from tools.fill import Filled

LINK = "https://drive.example.go.id/kla/{}.pdf"
REFERENCE = "SK Bupati No. 12 Tahun 2023, arsip Bagian Hukum"
K = config  # headers
OFFICE = "DINKES"
CLUSTER = "K3"


def _questions(instrument: Instrument, jenis: str, count: int) -> list[Question]:
    found = [
        q
        for q in instrument.questions
        if q.opd_utama == OFFICE and q.klaster == CLUSTER and q.jenis == jenis and q.arah == "naik"
    ]
    return found[:count]


@pytest.fixture(scope="module")
def codes(instrument: Instrument) -> dict[str, Question]:
    """Named questions: a..g are Ya/Tidak, p and q persen (naik)."""
    yes_no = _questions(instrument, "ya_tidak", 7)
    percent = _questions(instrument, "persen", 2)
    return dict(zip("abcdefg", yes_no, strict=True)) | dict(zip("pq", percent, strict=True))


def _answers(codes: dict[str, Question], changed: bool = False) -> dict[str, Filled]:
    evidence = {name: LINK.format(q.kode.lower()) for name, q in codes.items()}
    evidence["b"] = REFERENCE
    evidence["e"] = "terlampir"  # vague: a verifier cannot check it
    if changed:
        evidence["b"] = REFERENCE + ", dengan tanda tangan"
    answers = {q.kode: Filled("Ya", evidence[n]) for n, q in codes.items() if n not in "pq"}
    answers |= {codes[n].kode: Filled(80, evidence[n]) for n in "pq"}
    return answers


ROUND_ONE = {
    "a": {K.VCOL_DECISION: "Diterima", K.VCOL_VERIFIER: "Budi"},
    "b": {
        K.VCOL_DECISION: "Ditolak",
        K.VCOL_REASON: "Tidak ditandatangani",
        K.VCOL_NOTE: "SK belum bertanda tangan",
    },
    "p": {K.VCOL_DECISION: "Diterima dengan koreksi", K.VCOL_CORRECTION: 60},
    "c": {K.VCOL_DECISION: "Perlu klarifikasi", K.VCOL_REASON: "Angka tidak konsisten"},
    "d": {K.VCOL_DECISION: "Ditolak"},  # no Alasan: reported, not used
    "q": {K.VCOL_DECISION: "Diterima dengan koreksi", K.VCOL_CORRECTION: 150},  # out of range
}


@pytest.fixture(scope="module")
def loop(
    tmp_path_factory: pytest.TempPathFactory,
    instrument: Instrument,
    region: Region,
    template_paths: dict[str, Path],
    codes: dict[str, Question],
) -> dict[str, object]:
    """Three runs: no decisions; round-1 decisions; an office resends and round 2 changes one."""
    base = tmp_path_factory.mktemp("verifikasi")
    inputs, outputs = base / "inputs", base / "outputs"
    send_office(template_paths[OFFICE], inputs, "dinkes.xlsx", _answers(codes))
    first = consolidate(inputs, outputs, instrument, region)
    workbook = outputs / config.VERIFICATION_DIR / verification_filename(region, CLUSTER)
    round_one = {codes[n].kode: values for n, values in ROUND_ONE.items()}
    fill_verification(workbook, inputs / "verifikator" / "k3 putaran 1.xlsx", round_one)
    second = consolidate(inputs, outputs, instrument, region)
    history_after_second = (outputs / config.DECISION_HISTORY_FILE).read_text(encoding="utf-8")
    carried = copy_to(workbook, base / "kept", "round2.xlsx")
    office = next(p for p in second.feedback if OFFICE in p.name)
    feedback = copy_to(office, base / "kept", "umpan_balik_putaran_1.xlsx")
    send_office(template_paths[OFFICE], inputs, "dinkes.xlsx", _answers(codes, changed=True))
    change = {codes["c"].kode: {K.VCOL_DECISION: "Diterima", K.VCOL_REASON: None}}
    fill_verification(carried, inputs / "k3 putaran 2.xlsx", change)
    third = consolidate(inputs, outputs, instrument, region)
    return {
        "first": first,
        "second": second,
        "third": third,
        "outputs": outputs,
        "carried": carried,
        "feedback": feedback,
        "history_after_second": history_after_second,
    }


def _row(results: tables.Results, code: str) -> pd.Series:
    scored = results.scored
    return scored[scored["kode"] == code].iloc[0]


def _issues(results: tables.Results, code: str) -> list[tuple[str, str]]:
    found = results.issues[results.issues["code"] == code]
    return [
        (f"{s}!{c}", k)
        for s, c, k in zip(found["sheet"], found["cell"], found["kode"], strict=True)
    ]


def test_each_decision_kind_sets_status_and_points(loop: dict, codes: dict[str, Question]) -> None:
    results = loop["second"].results
    expected = {
        "a": (tables.VERIFY_ACCEPTED, codes["a"].nilai_maks),
        "b": (tables.VERIFY_REJECTED, 0.0),
        "c": (tables.VERIFY_QUERIED, 0.0),
        "p": (tables.VERIFY_CORRECTED, codes["p"].nilai_maks * 0.5),  # 60 % -> 0.5
        "d": (tables.VERIFY_NONE, codes["d"].nilai_maks),  # invalid decision: evidence rule
        "q": (tables.VERIFY_NONE, codes["q"].nilai_maks * 0.75),  # 80 % with a link
        "e": (tables.VERIFY_NONE, 0.0),  # vague evidence counts as none
        "f": (tables.VERIFY_NONE, codes["f"].nilai_maks),
    }
    for name, (status, verified) in expected.items():
        row = _row(results, codes[name].kode)
        assert (name, row["status_verifikasi"]) == (name, status)
        assert (name, row["nilai_terverifikasi"]) == (name, pytest.approx(verified))
    assert _row(results, codes["b"].kode)["alasan"] == "Tidak ditandatangani"
    assert _row(results, codes["a"].kode)["keputusan_sel"] == "Verifikasi!N" + str(
        4
        + 1
        + [q.kode for q in results.instrument.questions if q.klaster == CLUSTER].index(
            codes["a"].kode
        )
    )


def test_hand_worked_totals(loop: dict, codes: dict[str, Question], instrument: Instrument) -> None:
    """From first principles: Ya = 1, 80 % = 0.75, 60 % = 0.5; nothing else answered."""
    m = {name: q.nilai_maks for name, q in codes.items()}
    mandiri = sum(m[n] for n in "abcdefg") + 0.75 * (m["p"] + m["q"])
    verified = m["a"] + 0.5 * m["p"] + m["d"] + 0.75 * m["q"] + m["f"] + m["g"]
    results = loop["second"].results
    assert results.mandiri.nilai == pytest.approx(mandiri)
    assert results.terverifikasi.nilai == pytest.approx(verified)
    before = loop["first"].results  # no decisions yet: evidence rule only (e is vague)
    assert before.terverifikasi.nilai == pytest.approx(mandiri - m["e"])
    summary = json.loads((loop["outputs"] / "ringkasan.json").read_text(encoding="utf-8"))
    assert summary["verifikasi"]["status"][tables.VERIFY_NONE] == len(instrument.questions) - 4


def test_invalid_decisions_are_located_issues(loop: dict, codes: dict[str, Question]) -> None:
    results = loop["second"].results
    assert ("Verifikasi!P" in _issues(results, "alasan-kosong")[0][0]) is True
    assert [k for _, k in _issues(results, "alasan-kosong")] == [codes["d"].kode]
    assert [k for _, k in _issues(results, "koreksi-tidak-valid")] == [codes["q"].kode]
    vague = results.issues[results.issues["code"] == "data-dukung-samar"]
    assert list(vague["kode"]) == [codes["e"].kode]
    assert "tautan https://" in vague["message"].iloc[0]


def test_office_feedback_lists_rejected_and_queried(loop: dict, codes: dict[str, Question]) -> None:
    results = loop["second"].results
    told = results.issues[
        results.issues["code"].isin(["ditolak-verifikator", "klarifikasi-verifikator"])
    ]
    assert sorted(told["kode"]) == sorted([codes["b"].kode, codes["c"].kode])
    assert set(told["file"]) == {"dinkes.xlsx"}
    message = told[told["kode"] == codes["b"].kode]["message"].iloc[0]
    assert "Tidak ditandatangani" in message and "SK belum bertanda tangan" in message
    assert "ditandatangani dan berstempel" in message  # what to send, from schemas/verifikasi.toml
    book = openpyxl.load_workbook(loop["feedback"], read_only=True)
    shown = [v for row in book["Daftar Masalah"].iter_rows(values_only=True) for v in row if v]
    assert any("SK belum bertanda tangan" in str(v) for v in shown)


def test_next_round_workbook_carries_decisions(loop: dict, codes: dict[str, Question]) -> None:
    book, columns, rows = verification_rows(loop["carried"])
    sheet = book[config.SHEET_VERIFICATION]
    decision = {
        name: sheet.cell(rows[codes[name].kode], columns[K.VCOL_DECISION]).value
        for name in "abcpdq"
    }
    assert decision == {
        "a": "Diterima",
        "b": "Ditolak",
        "c": "Perlu klarifikasi",
        "p": "Diterima dengan koreksi",
        "d": None,
        "q": None,
    }
    assert sheet.cell(rows[codes["p"].kode], columns[K.VCOL_CORRECTION]).value == "60"
    meta = {r[0]: r[1] for r in book[config.SHEET_META].iter_rows(values_only=True) if r[0]}
    assert meta["putaran"] == "2" and meta["jenis"] == "verifikasi"


def test_lapsed_decision_and_later_round(loop: dict, codes: dict[str, Question]) -> None:
    results = loop["third"].results
    lapsed = _row(results, codes["b"].kode)
    assert lapsed["status_verifikasi"] == tables.VERIFY_LAPSED
    assert lapsed["nilai_terverifikasi"] == pytest.approx(codes["b"].nilai_maks)  # evidence rule
    assert _issues(results, "keputusan-kedaluwarsa") == [(lapsed["keputusan_sel"], codes["b"].kode)]
    assert _row(results, codes["c"].kode)["status_verifikasi"] == tables.VERIFY_ACCEPTED
    assert _issues(results, "keputusan-bertentangan") == []  # round 2 overrides round 1
    assert results.verification_round == 3


def test_history_is_append_only_and_keeps_changed_decisions(
    loop: dict, codes: dict[str, Question]
) -> None:
    text = (loop["outputs"] / config.DECISION_HISTORY_FILE).read_text(encoding="utf-8")
    assert text.startswith(loop["history_after_second"])
    history = read_decision_history(loop["outputs"])
    about_c = [(h["putaran"], h["keputusan"]) for h in history if h["kode"] == codes["c"].kode]
    assert about_c == [(1, "Perlu klarifikasi"), (2, "Diterima")]
    assert len({(h["kode"], h["keputusan"]) for h in history}) == len(history)
    first = next(h for h in history if h["kode"] == codes["p"].kode)
    assert (first["jawaban_lama"], first["jawaban_baru"]) == ("80", "60")
    assert len(first["sha256_berkas"]) == 64 and first["sel"].startswith("Verifikasi!N")


def test_question_csv_has_status_and_decision_source(
    loop: dict, codes: dict[str, Question]
) -> None:
    with (loop["outputs"] / "nilai_pertanyaan.csv").open(encoding="utf-8-sig") as handle:
        rows = {row["kode"]: row for row in csv.DictReader(handle)}
    row = rows[codes["c"].kode]
    assert row["status_verifikasi"] == tables.VERIFY_ACCEPTED
    assert row["keputusan_file"] == "k3 putaran 2.xlsx" and row["keputusan_sel"].startswith(
        "Verifikasi!N"
    )
    assert {r["status_verifikasi"] for r in rows.values()} <= set(tables.VERIFICATION_STATUSES)


def test_conflicting_decisions_are_reported_not_guessed(
    tmp_path: Path,
    instrument: Instrument,
    region: Region,
    template_paths: dict[str, Path],
    codes: dict[str, Question],
) -> None:
    inputs, outputs = tmp_path / "inputs", tmp_path / "outputs"
    send_office(template_paths[OFFICE], inputs, "dinkes.xlsx", _answers(codes))
    consolidate(inputs, outputs, instrument, region)
    workbook = outputs / config.VERIFICATION_DIR / verification_filename(region, CLUSTER)
    kode = codes["a"].kode
    fill_verification(workbook, inputs / "tim1.xlsx", {kode: {K.VCOL_DECISION: "Diterima"}})
    rejected = {K.VCOL_DECISION: "Ditolak", K.VCOL_REASON: "Data dukung tidak ada"}
    fill_verification(workbook, inputs / "tim2.xlsx", {kode: rejected})
    results = consolidate(inputs, outputs, instrument, region).results
    conflicts = results.issues[results.issues["code"] == "keputusan-bertentangan"]
    assert sorted(conflicts["file"]) == ["tim1.xlsx", "tim2.xlsx"]
    assert set(conflicts["severity"]) == {tables.SEVERITY_ERROR}
    row = _row(results, kode)
    assert row["status_verifikasi"] == tables.VERIFY_NONE
    assert row["nilai_terverifikasi"] == pytest.approx(codes["a"].nilai_maks)  # evidence rule


def test_bundled_example_applies_its_verification_workbook(
    tmp_path: Path, instrument: Instrument, region: Region
) -> None:
    """The committed example's decisions, totals by first principles, and its planted trouble."""
    results = consolidate(config.EXAMPLE_INPUTS_DIR, tmp_path, instrument, region).results
    answers = expected_counted_answers(instrument, region, read_example_scores())
    evidence = {
        k: has_evidence(f.data_dukung, instrument.scoring.no_evidence) for k, f in answers.items()
    }
    _, kd_verified = expected_kd_points(instrument, region)  # KD answers computed from kecamatan
    assert results.terverifikasi.nilai == pytest.approx(
        expected_verified_total(instrument, answers, evidence) + kd_verified
    )
    found = {(k, c) for k, c in zip(results.issues["kode"], results.issues["code"], strict=True)}
    assert set(VERIFICATION_TROUBLES) <= found
    status = results.scored.set_index("kode")["status_verifikasi"]
    for decision in used_decisions().values():
        assert status[decision.kode] == tables.DECISION_STATUS[decision.keputusan]


def test_recommendations_rank_follow_ups_with_missing_evidence(
    loop: dict, codes: dict[str, Question]
) -> None:
    results = loop["second"].results
    recs = results.recommendations
    verified = recs[recs["dasar"] == "terverifikasi"]
    follow = verified[verified["jenis_tindakan"] == tables.ACTION_FOLLOW_UP]
    assert sorted(follow["kode"]) == sorted([codes["b"].kode, codes["c"].kode])
    assert list(follow["tambahan"]) == [codes["b"].nilai_maks, codes["c"].nilai_maks]
    cheap = verified[
        verified["jenis_tindakan"].isin([tables.ACTION_FOLLOW_UP, "lengkapi data dukung"])
    ]
    assert list(cheap["tambahan"]) == sorted(cheap["tambahan"], reverse=True)
    assert set(cheap["kode"]) >= {codes["e"].kode}  # vague evidence: attach a real document
    gap = results.instrument.nilai_total - results.terverifikasi.nilai
    assert verified["tambahan"].sum() == pytest.approx(gap)


def test_report_verification_sheet_lists_rejections(
    tmp_path: Path, instrument: Instrument, region: Region
) -> None:
    output = consolidate(config.EXAMPLE_INPUTS_DIR, tmp_path, instrument, region)
    book = openpyxl.load_workbook(output.report, read_only=True)
    names = book.sheetnames
    assert names.index("Verifikasi") == names.index("Rekomendasi") + 1
    rows = [row for row in book["Verifikasi"].iter_rows(values_only=True)]
    total = next(r for r in rows if r[0] == "Total")
    assert total[2:10] == (274, 18, 256, 0, 13, 2, 2, 1)
    assert total[10] == pytest.approx(9.0)
    listed = {r[0]: r for r in rows if r[0] in ("I12-P2", "I14-P2", "I13-P4")}
    assert listed["I12-P2"][5] == "Tidak ditandatangani"
    assert listed["I13-P4"][4] == tables.DECISION_QUERIED
    summary = " ".join(
        str(v) for r in book["Ringkasan"].iter_rows(values_only=True) for v in r if v
    )
    assert "Verifikasi: 18 dari 274 pertanyaan diputuskan" in summary
